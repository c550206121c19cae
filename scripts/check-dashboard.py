"""tweet-dashboard in headless Chromium: the chart, the SQL view and the JSON output agree,
the page updates after a batch, tweet text renders as text, writes are refused.

usage: check-dashboard.py TWEET_DASHBOARD_BINARY TWEETS_JSONL ARTIFACT_DIR
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

binary, corpus, artifacts = sys.argv[1:4]
passed, failed = 0, 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok      {name}")
    else:
        failed += 1
        print(f"FAILED  {name}\n        {detail}")


# The replayed input: a hostile tweet first (the most extreme of every window), then the golden tweets.
hostile = {
    "created_at": "Mon May 13 18:00:00 +0000 2024", "id_str": "1", "lang": "en",
    "text": "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\"> LOVE LOVE LOVE best amazing wonderful!!! #xss",
    "user": {"id_str": "9", "screen_name": "mallory"}, "entities": {"hashtags": [{"text": "xss"}]},
}
records_per_batch = 200
with open(corpus, encoding="utf-8") as f:
    lines = [json.dumps(hostile)] + f.read().splitlines()
input_batches = -(-len(lines) // records_per_batch)
replay = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
replay.write("\n".join(lines) + "\n")
replay.close()

process = subprocess.Popen(
    [binary, "--input", replay.name, "--records-per-batch", str(records_per_batch), "--batch-interval", "1",
     "--window", "60", "--output", "jsonl"],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
first = process.stdout.readline().strip()
check("first line names the page", first.startswith("dashboard=http://127.0.0.1:"), first)
url = first.split("=", 1)[1]
outputs = []  # the program's top10 JSON lines, read as they come


def read_outputs():
    for line in process.stdout:
        outputs.append(json.loads(line))


threading.Thread(target=read_outputs, daemon=True).start()


def get(path):
    try:
        with urllib.request.urlopen(url + path.lstrip("/"), timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def sql(query):
    return get("api/sql?q=" + urllib.parse.quote(query))


options = Options()
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1100"):
    options.add_argument(argument)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(url)
    wait = WebDriverWait(driver, 60, poll_frequency=0.1)

    # Each read is one script, so a re-render between two reads cannot mix two batches.
    def bars():
        rows = driver.execute_script("""return [...document.querySelectorAll('#panel-hashtags .bar-row')]
            .map(g => [g.dataset.label, g.dataset.value])""")
        return [(label, float(value)) for label, value in rows]

    def panel_batch():
        value = driver.execute_script("const p = document.getElementById('panel-hashtags'); return p && p.dataset.batch")
        return int(value or 0)

    wait.until(lambda _: len(bars()) == 10)
    check("connection state shows live", driver.find_element("id", "connection").text == "live",
          driver.find_element("id", "connection").text)
    seen_batch, seen_bars = panel_batch(), bars()
    wait.until(lambda _: panel_batch() > seen_batch)
    check("the page updates after a batch without a reload", bars() != seen_bars or panel_batch() > seen_batch,
          f"batch {seen_batch} → {panel_batch()}")

    # After the input ends the window still holds every tweet: chart, view and output are stable.
    wait.until(lambda _: panel_batch() >= input_batches + 1 and len(outputs) >= input_batches + 1)
    chart = bars()
    status, answer = sql("SELECT tag, count FROM tweets ORDER BY count DESC, tag LIMIT 10")
    view = [(tag, float(count)) for tag, count in answer["rows"]]
    last = [(tag, float(count)) for tag, count in outputs[-1]["records"]]
    check("one bar per top-10 hashtag", len(chart) == 10, chart)
    check("the chart equals the SQL view's top 10", status == 200 and chart == view, f"{chart}\n        {view}")
    check("the chart equals the replay's JSON output", chart == last, f"{chart}\n        {last}")
    status, answer = sql("SELECT tag, count FROM tweets ORDER BY count DESC LIMIT 10")
    check("the seed's query answers the same ten", sorted(map(tuple, answer["rows"])) == sorted((t, int(c)) for t, c in chart),
          answer)

    extreme = driver.execute_script("return document.getElementById('panel-extreme').innerText")
    check("tweet text renders as text", "<script>window.pwned=1</script>" in extreme and "<img src=x" in extreme, extreme)
    check("no script from the stream ran", driver.execute_script("return window.pwned === undefined"))
    check("no element came from the stream",
          len(driver.find_elements("css selector", "#panels script, #panels img")) == 0)

    status, answer = sql("DROP TABLE tweets")
    check("DROP TABLE is refused with a 4xx", 400 <= status < 500, (status, answer))
    status, _ = sql("SELECT 1; DELETE FROM tweets")
    check("a second statement is refused with a 4xx", 400 <= status < 500, status)
    status, _ = sql("ATTACH DATABASE '/tmp/x.db' AS x")
    check("ATTACH is refused with a 4xx", 400 <= status < 500, status)
    status, answer = sql("SELECT count(*) FROM tweets")
    check("the view still answers afterwards", status == 200 and answer["rows"][0][0] > 0, answer)

    box = driver.find_element("id", "sql-query")
    box.clear()
    box.send_keys("SELECT tag, count FROM tweets ORDER BY count DESC, tag LIMIT 3")
    driver.find_element("css selector", "#sql-form button").click()
    wait.until(lambda _: len(driver.find_elements("css selector", "#sql-result tr")) == 4)
    cells = driver.execute_script("return [...document.querySelectorAll('#sql-result td')].map(td => td.textContent)")
    check("the query box shows the answer", cells[:2] == [chart[0][0], str(int(chart[0][1]))], cells)

    status, health = get("health")
    check("health counts the open page", status == 200 and health["clients"] >= 1, health)
    driver.save_screenshot(os.path.join(artifacts, "dashboard.png"))
    check("screenshot saved", os.path.getsize(os.path.join(artifacts, "dashboard.png")) > 10_000)
finally:
    driver.quit()
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        code = None
    os.unlink(replay.name)
check("SIGTERM stops it cleanly", code == 0, code)
print(f"dashboard: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
