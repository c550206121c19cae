#!/usr/bin/env bash
# Runs the example programs as a user would and checks what they print:
# replays against Spark's golden outputs, and a live run over a real TCP socket.
set -uo pipefail
cd "$(dirname "$0")/.."

bin=$(swift build --show-bin-path)
golden=Tests/StreamCoreTests/Golden
tweets=Tests/TweetPipelineTests/Golden   # a copy of ../shared/golden/tweets
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; [ -n "${KEEP_WORK:-}" ] && echo "work files kept in $work" || rm -rf "$work"' EXIT
passed=0
failed=0

wait_for_output() {  # wait_for_output FILE: until a started server has printed its first line
    for _ in $(seq 300); do [ -s "$1" ] && return 0; sleep 0.1; done
    return 1
}

listening_port() {  # listening_port FILE: the port of "listening on HOST:PORT" in a server's output
    wait_for_output "$1" && sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$1"
}

check() {  # check NAME COMMAND...: runs the command, counts the result (only checks named in $ONLY_CHECKS, if set)
    local name=$1
    shift
    if [ -n "${ONLY_CHECKS:-}" ] && [[ " $ONLY_CHECKS " != *" $name "* ]]; then return 0; fi
    if "$@" >"$work/$name.log" 2>&1; then
        passed=$((passed + 1))
        echo "ok      $name"
    else
        failed=$((failed + 1))
        echo "FAILED  $name"
        sed 's/^/        /' "$work/$name.log" | tail -20
    fi
}

replay_wordcount() {
    "$bin/network-wordcount" --input "$golden/corpus_1k.txt" --records-per-batch 200 --batches 12 --output jsonl >"$work/wc.jsonl" &&
        python3 - "$work/wc.jsonl" "$golden/batch_word_counts.json" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
golden = json.load(open(sys.argv[2], encoding="utf-8"))["batches"]
assert len(lines) == 12, f"{len(lines)} batches"
for got, want in zip(lines, golden):
    assert got["output"] == "counts" and got["batch"] == want["batch"], got
    records = sorted(got["records"], key=lambda r: r[0])
    assert records == want["data"], f"batch {want['batch']} differs from Spark"
print("network-wordcount replay equals Spark's batch_word_counts")
PY
}

replay_hashtags() {
    "$bin/hashtag-top10" --input "$golden/corpus_1k.txt" --records-per-batch 200 --batches 8 --output jsonl >"$work/top.jsonl" &&
        python3 - "$work/top.jsonl" "$golden/corpus_1k.txt" <<'PY'
import json, sys
from collections import Counter
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
corpus = open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]
batches = [corpus[i:i + 200] for i in range(0, 1000, 200)] + [[]] * 3
def tags(batch):
    return Counter(t.lower() for line in batch for t in line.split() if t.startswith("#") and len(t) > 1)
assert len(lines) == 8, f"{len(lines)} batches"
for k, got in enumerate(lines):
    window = tags(batches[max(0, k - 1)]) + tags(batches[k]) if k > 0 else tags(batches[0])
    want = sorted(window.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    assert got["output"] == "top10" and [tuple(r) for r in got["records"]] == want, f"batch {k + 1}: {got['records']} != {want}"
print("hashtag-top10 replay equals a Python oracle of the tutorial")
PY
}

replay_kafka_wordcount() {  # tutorial 000's consumer without Kafka: running totals equal Spark's
    "$bin/kafka-wordcount" --input "$golden/corpus_1k.txt" --records-per-batch 200 --batches 12 --output jsonl >"$work/totals.jsonl" &&
        python3 - "$work/totals.jsonl" "$golden/running_word_counts.json" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
golden = json.load(open(sys.argv[2], encoding="utf-8"))["batches"]
assert len(lines) == 12, f"{len(lines)} batches"
for got, want in zip(lines, golden):
    ranked = sorted(want["data"], key=lambda kv: (-kv[1], kv[0]))
    assert got["output"] == "totals" and got["records"] == ranked, f"batch {want['batch']} differs from Spark's running totals"
print("kafka-wordcount replay equals Spark's running_word_counts, ranked")
PY
}

live_wordcount() {
    "$bin/line-server" --port 0 --input "$golden/corpus_1k.txt" --rate 20000 --clients 1 >"$work/server.out" &
    port=$(listening_port "$work/server.out")
    [ -n "$port" ] || { echo "line-server did not start"; return 1; }
    timeout 60 "$bin/network-wordcount" --port "$port" --batch-interval 0.2 --stop-after-idle-batches 10 --output jsonl \
        >"$work/live.jsonl" &&
        python3 - "$work/live.jsonl" "$golden/corpus_1k.txt" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [l["batch"] for l in lines] == list(range(1, len(lines) + 1)), "live batches are not numbered 1, 2, 3, …"
total = sum(c for l in lines for _, c in l["records"])
want = sum(len(line.split()) for line in open(sys.argv[2], encoding="utf-8").read().split("\n"))
assert total == want, f"counted {total} words live, the file has {want}"
print(f"network-wordcount counted all {total} words over a live socket")
PY
}

interrupt_stops_gracefully() {  # Ctrl-C: the batch in progress and what was received are processed
    "$bin/line-server" --port 0 --rate 50 >"$work/server2.out" &
    local server=$!
    port=$(listening_port "$work/server2.out")
    "$bin/network-wordcount" --port "$port" --batch-interval 0.5 --output jsonl >"$work/int.jsonl" 2>"$work/int.err" &
    local app=$!
    for _ in $(seq 100); do [ "$(wc -l <"$work/int.jsonl")" -ge 2 ] && break; sleep 0.1; done
    kill -INT "$app"
    wait "$app"
    local status=$?
    kill "$server"
    [ "$status" -eq 0 ] && grep -q "stopping gracefully" "$work/int.err" && [ "$(wc -l <"$work/int.jsonl")" -ge 2 ]
}

kafka_crash_recovery() {  # kill -9 mid-run, restart: the totals equal an uncrashed run's
    "$bin/kafka-embedded-broker" --topic tweets-kafka:2 >"$work/broker.out" 2>"$work/broker.err" &
    local broker=$!
    wait_for_output "$work/broker.out"
    local servers
    servers=$(sed -n 's/^bootstrap.servers=//p' "$work/broker.out")
    "$bin/kafka-produce" --bootstrap-servers "$servers" --input "$golden/corpus_1k.txt" 2>>"$work/produce.err" || return 1
    local args=(--bootstrap-servers "$servers" --checkpoint "$work/kafka-checkpoint" --batch-interval 0.2
                --max-records-per-partition 40 --output jsonl)
    "$bin/kafka-wordcount" "${args[@]}" >"$work/crash1.jsonl" 2>"$work/crash1.err" &
    local app=$!
    for _ in $(seq 300); do [ "$(wc -l <"$work/crash1.jsonl")" -ge 4 ] && break; sleep 0.1; done
    kill -KILL "$app"
    wait "$app" 2>/dev/null
    timeout 120 "$bin/kafka-wordcount" "${args[@]}" --stop-after-idle-batches 5 >"$work/crash2.jsonl" 2>"$work/crash2.err"
    local status=$?
    kill "$broker"
    [ "$status" -eq 0 ] || { tail -5 "$work/crash2.err"; return 1; }
    python3 - "$work/crash1.jsonl" "$work/crash2.jsonl" "$golden/running_word_counts.json" <<'PY'
import json, sys
first = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
second = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
golden = json.load(open(sys.argv[3], encoding="utf-8"))["batches"][4]["data"]  # totals of the whole corpus
words = sum(c for _, c in golden)
before = sum(c for _, c in first[-1]["records"]) if first else 0
assert 0 < before < words, f"the crash should come mid-run: {before} of {words} words counted"
final = sorted(second[-1]["records"], key=lambda r: r[0])
assert final == golden, "totals after kill -9 and restart differ from Spark's totals of the corpus"
print(f"killed after {before} of {words} words; after restart the totals equal Spark's exactly")
PY
}

start_broker() {  # start_broker NAME: an embedded broker process; sets $servers and $broker_pid
    "$bin/kafka-embedded-broker" --topic tweets-kafka:2 >"$work/$1.out" 2>"$work/$1.err" &
    broker_pid=$!
    wait_for_output "$work/$1.out"
    servers=$(sed -n 's/^bootstrap.servers=//p' "$work/$1.out")
    "$bin/kafka-produce" --bootstrap-servers "$servers" --input "$golden/corpus_1k.txt" 2>>"$work/produce.err"
}

wait_for_lines() {  # wait_for_lines FILE N: until FILE has N lines (at most 30 s)
    for _ in $(seq 300); do [ "$(wc -l <"$1")" -ge "$2" ] && return 0; sleep 0.1; done
    return 1
}

dead_broker_fails_the_batch() {  # kill -9 the broker: the batch fails within --read-timeout, naming the brokers
    start_broker dead
    local args=(--checkpoint "$work/dead-checkpoint" --batch-interval 0.5 --read-timeout 5 --output jsonl)
    "$bin/kafka-wordcount" --bootstrap-servers "$servers" "${args[@]}" >"$work/dead.jsonl" 2>"$work/dead.err" &
    local app=$!
    wait_for_lines "$work/dead.jsonl" 2 || return 1
    kill -KILL "$broker_pid"
    local started=$SECONDS
    for _ in $(seq 200); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$app" 2>/dev/null && { kill -KILL "$app"; echo "still running 20 s after the broker died"; return 1; }
    wait "$app"
    local status=$?
    echo "exit $status $((SECONDS - started)) s after the broker died"
    [ "$status" -ne 0 ] && grep -q "the brokers at $servers" "$work/dead.err" || { grep "failed" "$work/dead.err" | tail -2; return 1; }

    # The checkpoint now belongs to a cluster that is gone: a new one with the same topic is refused.
    start_broker recreated
    "$bin/kafka-wordcount" --bootstrap-servers "$servers" "${args[@]}" >/dev/null 2>"$work/recreated.err"
    status=$?
    kill "$broker_pid"
    [ "$status" -ne 0 ] && grep -q "it was written against Kafka cluster" "$work/recreated.err" || { tail -3 "$work/recreated.err"; return 1; }
    # So is another topic on the same checkpoint.
    start_broker renamed
    "$bin/kafka-wordcount" --bootstrap-servers "$servers" --topic other-topic --checkpoint "$work/dead-checkpoint" \
        --batch-interval 0.5 --output jsonl >/dev/null 2>"$work/renamed.err"
    status=$?
    kill "$broker_pid"
    [ "$status" -ne 0 ] && grep -q "which the pipeline no longer has" "$work/renamed.err" || { tail -3 "$work/renamed.err"; return 1; }
}

sigterm_with_a_dead_broker() {  # sigterm_with_a_dead_broker NAME [FLAG…]: SIGTERM ends kafka-wordcount within 10 s even while the brokers are gone
    local name=$1
    shift
    start_broker "$name"
    "$bin/kafka-wordcount" --bootstrap-servers "$servers" --checkpoint "$work/$name-checkpoint" --batch-interval 0.5 \
        --output jsonl "$@" >"$work/$name.jsonl" 2>"$work/$name.err" &
    local app=$!
    # Until a batch has counted words: with --scale-out, once the group has assigned partitions.
    for _ in $(seq 300); do grep -q '"records":\[\[' "$work/$name.jsonl" && break; sleep 0.1; done
    grep -q '"records":\[\[' "$work/$name.jsonl" || { echo "no words counted in 30 s"; return 1; }
    kill -KILL "$broker_pid"
    sleep 1
    kill -TERM "$app"
    for _ in $(seq 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$app" 2>/dev/null && { kill -KILL "$app"; echo "SIGTERM did not end it within 10 s"; return 1; }
    echo "ended after SIGTERM"
}

many_partitions_keep_up() {  # 32 partitions at --batch-interval 1: batches keep near the interval once caught up
    "$bin/kafka-embedded-broker" --topic tweets-kafka:32 >"$work/p32.out" 2>"$work/p32.err" &
    broker_pid=$!
    wait_for_output "$work/p32.out"
    servers=$(sed -n 's/^bootstrap.servers=//p' "$work/p32.out")
    "$bin/kafka-produce" --bootstrap-servers "$servers" --input "$golden/corpus_1k.txt" 2>>"$work/produce.err"
    "$bin/kafka-wordcount" --bootstrap-servers "$servers" --checkpoint "$work/p32-checkpoint" --batch-interval 1 --run-for 10 \
        --output jsonl >"$work/p32.jsonl" 2>"$work/p32-app.err"
    local status=$? batches
    kill "$broker_pid"
    batches=$(wc -l <"$work/p32.jsonl")
    echo "$batches batches in 10 s over 32 partitions; $(grep -c 'after its time' "$work/p32-app.err") late"
    [ "$status" -eq 0 ] && [ "$batches" -ge 8 ]
}

demo_topology() {  # the README's demo: emulator → twitter-to-kafka → broker → kafka-wordcount
    DEMO_SECONDS=8 bash scripts/demo.sh >"$work/demo.out" 2>"$work/demo.err" || { tail -5 "$work/demo.err"; return 1; }
    grep -q "^Time: " "$work/demo.out" && grep -Eq "^\(.+,[0-9]+\)$" "$work/demo.out"
}

tweets_are_deterministic() {  # tweet-gen: same seed, same lines; v2 and v1.1 are JSON
    "$bin/tweet-gen" --count 200 --seed 7 >"$work/a.jsonl" && "$bin/tweet-gen" --count 200 --seed 7 >"$work/b.jsonl" &&
        cmp -s "$work/a.jsonl" "$work/b.jsonl" && "$bin/tweet-gen" --count 50 --v1 >"$work/v1.jsonl" &&
        python3 -c 'import json,sys; [json.loads(l) for f in sys.argv[1:] for l in open(f)]' "$work/a.jsonl" "$work/v1.jsonl"
}

socket_listener_feeds_hashtags() {  # tutorial 001: twitter-to-socket → hashtag-top10
    "$bin/twitter-to-socket" --port 0 >"$work/tts.out" 2>"$work/tts.err" &
    local listener=$!
    port=$(listening_port "$work/tts.out")
    timeout 60 "$bin/hashtag-top10" --port "$port" --batch-interval 1 --window 2 --run-for 4 --output jsonl >"$work/tags.jsonl" 2>/dev/null
    kill "$listener"
    python3 - "$work/tags.jsonl" <<'PY'
import json, sys
batches = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
tags = [tag for b in batches for tag, _ in b["records"]]
assert tags and all(t.startswith("#") for t in tags), f"no hashtags from the stream: {batches}"
print(f"{len(batches)} batches, top hashtag {batches[-1]['records'][0] if batches[-1]['records'] else None}")
PY
}

hashtag_top10_dashboard() {  # hashtag-top10 --dashboard: the chart as a live page and the window as the view `tweets`
    "$bin/twitter-to-socket" --port 0 >"$work/tts2.out" 2>"$work/tts2.err" &
    local listener=$!
    port=$(listening_port "$work/tts2.out")
    timeout 60 "$bin/hashtag-top10" --port "$port" --batch-interval 1 --window 2 --run-for 8 --dashboard \
        >/dev/null 2>"$work/dash.err" &
    local program=$!
    local url="" tries=0
    while [ -z "$url" ] && [ $tries -lt 100 ]; do
        url=$(sed -n 's/^dashboard=//p' "$work/dash.err" | head -1); sleep 0.1; tries=$((tries + 1))
    done
    sleep 4
    local ok=0
    python3 - "$url" <<'PY' || ok=1
import json, sys, urllib.parse, urllib.request
url = sys.argv[1]
panels = json.load(urllib.request.urlopen(url + "api/snapshot", timeout=10))["panels"]
bars = panels[0]["data"]
assert panels[0]["id"] == "hashtags" and bars and all(tag.startswith("#") for tag, _ in bars), panels
query = urllib.parse.quote("SELECT tag, count FROM tweets ORDER BY count DESC, tag LIMIT 10")
rows = json.load(urllib.request.urlopen(url + "api/sql?q=" + query, timeout=10))["rows"]
assert rows and all(tag.startswith("#") for tag, _ in rows), rows
print(f"{len(bars)} bars, view of {len(rows)} rows, top {rows[0]}")
PY
    wait "$program" || ok=1
    kill "$listener"
    return $ok
}

compare_outputs() {  # compare_outputs GOT.jsonl SPARK.jsonl: every (output, batch) equal, floats within 1e-6
    python3 - "$1" "$2" <<'PY'
import json, sys
def load(path):
    return {(o["output"], o["batch"]): o["records"] for o in map(json.loads, filter(str.strip, open(path, encoding="utf-8")))}
def close(a, b):
    if isinstance(a, float) or isinstance(b, float): return abs(a - b) <= 1e-6
    if isinstance(a, list) and isinstance(b, list): return len(a) == len(b) and all(map(close, a, b))
    return a == b
got, want = load(sys.argv[1]), load(sys.argv[2])
bad = sorted(k for k in want if k not in got or not close(got[k], want[k]))
assert not bad, f"{bad[0]}: {str(got.get(bad[0]))[:200]} but Spark has {str(want[bad[0]])[:200]} ({len(bad)} differ)"
assert got.keys() == want.keys(), f"outputs Spark does not have: {sorted(got.keys() - want.keys())[:3]}"
print(f"{len(want)} outputs of {len({b for _, b in want})} batches equal Spark's")
PY
}

replay_tweets() {  # replay_tweets PROGRAM: the program's replay of the tweet corpus equals PySpark's outputs
    "$bin/$1" --input "$tweets/tweets_2k.jsonl" --records-per-batch 125 --batches 32 --output jsonl \
        >"$work/$1.jsonl" 2>"$work/$1.err" || { tail -3 "$work/$1.err"; return 1; }
    compare_outputs "$work/$1.jsonl" "$tweets/tweets_2k.$1.jsonl"
}

tweet_analytics_crash_recovery() {  # kill -9 mid-run over Kafka, restart: every later batch equals an uncrashed run's
    "$bin/kafka-embedded-broker" --topic tweets:2 >"$work/ta-broker.out" 2>"$work/ta-broker.err" &
    local broker=$!
    wait_for_output "$work/ta-broker.out"
    local servers
    servers=$(sed -n 's/^bootstrap.servers=//p' "$work/ta-broker.out")
    "$bin/kafka-produce" --bootstrap-servers "$servers" --topic tweets --input "$tweets/tweets_2k.jsonl" 2>>"$work/produce.err" || return 1
    # 40 records a partition a batch: batch k holds the same records in every run.
    local args=(--bootstrap-servers "$servers" --topic tweets --batch-interval 0.2 --window 1
                --max-records-per-partition 40 --dead-letter "$work/ta-dead.jsonl" --output jsonl)
    timeout 120 "$bin/tweet-analytics" "${args[@]}" --checkpoint "$work/ta-whole" --stop-after-idle-batches 8 \
        >"$work/ta-whole.jsonl" 2>"$work/ta-whole.err" || { kill "$broker"; tail -3 "$work/ta-whole.err"; return 1; }
    "$bin/tweet-analytics" "${args[@]}" --checkpoint "$work/ta-crash" >"$work/ta-crash1.jsonl" 2>"$work/ta-crash1.err" &
    local app=$!
    wait_for_lines "$work/ta-crash1.jsonl" 64   # 8 outputs a batch: 8 batches
    kill -KILL "$app"
    wait "$app" 2>/dev/null
    timeout 120 "$bin/tweet-analytics" "${args[@]}" --checkpoint "$work/ta-crash" --stop-after-idle-batches 8 \
        >"$work/ta-crash2.jsonl" 2>"$work/ta-crash2.err"
    local status=$?
    kill "$broker"
    [ "$status" -eq 0 ] || { tail -3 "$work/ta-crash2.err"; return 1; }
    python3 - "$work/ta-whole.jsonl" "$work/ta-crash1.jsonl" "$work/ta-crash2.jsonl" "$work/ta-dead.jsonl" <<'PY'
import json, sys
def load(path):
    return {(o["output"], o["batch"]): o["records"] for o in map(json.loads, filter(str.strip, open(path, encoding="utf-8")))}
whole, before, after = load(sys.argv[1]), load(sys.argv[2]), load(sys.argv[3])
data = [b for (o, b), r in whole.items() if o == "batch_count" and r != [0]]
assert sum(whole[("batch_count", b)][0] for b in data) == 2000, "the uncrashed run missed records"
crashed_at = max(b for _, b in before)
resumed_at = min(b for _, b in after)
assert 1 < resumed_at <= crashed_at + 1 <= max(data), f"killed after batch {crashed_at}, resumed at {resumed_at}: not mid-run"
differ = [k for k in after if whole.get(k) != after[k]]
assert not differ, f"after the restart, {sorted(differ)[0]} differs from the uncrashed run"
assert max(b for _, b in after) >= max(data), "the restarted run stopped early"
letters = [json.loads(l) for l in open(sys.argv[4], encoding="utf-8")]
assert {l["kind"] for l in letters} == {"malformed", "not_a_tweet"}, "dead letters missing"
print(f"killed after batch {crashed_at}, resumed at batch {resumed_at}: {len(after)} later outputs (windows included) "
      f"equal the uncrashed run's; {len(letters)} dead letters")
PY
}

router_crash_recovery() {  # router_crash_recovery SERVERS: kill -9 and restart; the output topic holds exactly the routed tweets
    local servers=$1 in="router-in-$RANDOM$RANDOM" out="router-out-$RANDOM$RANDOM"
    "$bin/kafka-produce" --bootstrap-servers "$servers" --topic "$in" --input "$tweets/tweets_2k.jsonl" 2>>"$work/produce.err" || return 1
    local args=(--bootstrap-servers "$servers" --topic "$in" --output-topic "$out" --checkpoint "$work/$in"
                --batch-interval 0.2 --max-records-per-partition 50 --output jsonl)
    "$bin/tweet-router" "${args[@]}" >"$work/$in.1.jsonl" 2>"$work/$in.1.err" &
    local app=$!
    wait_for_lines "$work/$in.1.jsonl" 25   # 5 outputs a batch: 5 batches
    kill -KILL "$app"
    wait "$app" 2>/dev/null
    timeout 120 "$bin/tweet-router" "${args[@]}" --stop-after-idle-batches 5 >"$work/$in.2.jsonl" 2>"$work/$in.2.err" ||
        { tail -3 "$work/$in.2.err"; return 1; }
    timeout 60 kcat -C -b "$servers" -t "$out" -e -q -f '%k\t%s\n' >"$work/$out.txt" || { echo "kcat could not read $out"; return 1; }
    python3 - "$work/$out.txt" "$tweets/tweets_2k.tweet-router.jsonl" "$tweets/tweets_2k.jsonl" "$work/$in.1.jsonl" <<'PY'
import collections, json, sys
sent = [line.rstrip("\n").split("\t", 1) for line in open(sys.argv[1], encoding="utf-8")]
spark = {i for o in map(json.loads, open(sys.argv[2], encoding="utf-8")) if o["output"] == "routed" for i in o["records"]}
records = {}
for line in open(sys.argv[3], encoding="utf-8"):
    try: records[json.loads(line)["id_str"]] = line.rstrip("\n")
    except (ValueError, KeyError): pass
ids = collections.Counter(key for key, _ in sent)
assert set(ids) == spark, f"{len(spark - set(ids))} routed tweets missing, {len(set(ids) - spark)} extra"
assert all(value == records[key] for key, value in sent), "a routed record is not the original JSON"
batches_before = max((o["batch"] for o in map(json.loads, open(sys.argv[4], encoding="utf-8"))), default=0)
repeats = sum(n - 1 for n in ids.values())
assert max(ids.values()) <= 2, f"a tweet was sent {max(ids.values())} times"
print(f"killed after batch {batches_before}; the output topic holds all {len(spark)} routed tweets as sent, "
      f"{repeats} sent twice (the interrupted batch, at-least-once)")
PY
}

lake_kafka_crash_recovery() {  # lake ingest over Kafka killed with SIGKILL at random moments, 10 times or more, then run to the end
    [ -n "${PARQUET_READER_PYTHON:-}" ] || { echo "PARQUET_READER_PYTHON is not set (scripts/test.sh sets it)"; return 1; }
    "$bin/kafka-embedded-broker" --topic lake-in:3 >"$work/lk-broker.out" 2>"$work/lk-broker.err" &
    local broker=$!
    wait_for_output "$work/lk-broker.out"
    local servers
    servers=$(sed -n 's/^bootstrap.servers=//p' "$work/lk-broker.out")
    "$bin/kafka-produce" --bootstrap-servers "$servers" --topic lake-in --input "$tweets/tweets_2k.jsonl" 2>>"$work/produce.err" ||
        { kill "$broker"; return 1; }
    local args=(ingest --bootstrap-servers "$servers" --topic lake-in --lake "$work/lk-lake" --checkpoint "$work/lk-checkpoint"
                --batch-interval 0.2 --max-records-per-partition 15)
    local before=0 runs=0
    # Ten kills, and more (up to 30) while the killed runs have committed too little for the
    # check to prove anything (a slow start can eat a run's whole life).
    while [ "$runs" -lt 10 ] || { [ "$before" -le 3 ] && [ "$runs" -lt 30 ]; }; do
        "$bin/lake" "${args[@]}" >/dev/null 2>>"$work/lk.err" &
        local app=$!
        sleep "0.$((RANDOM % 9 + 1))" && sleep "0.$((RANDOM % 9 + 1))"   # not a synchronisation: a random moment to kill
        kill -KILL "$app"
        wait "$app" 2>/dev/null
        runs=$((runs + 1))
        before=$(ls "$work/lk-lake/bronze/tweets/_delta_log" 2>/dev/null | grep -c '\.json$' || true)
    done
    local status=0
    timeout 180 "$bin/lake" "${args[@]}" --stop-after-idle-batches 5 >/dev/null 2>>"$work/lk.err" || { tail -3 "$work/lk.err"; status=1; }
    echo "bronze had $before commits after $runs killed runs"
    [ "$before" -gt 3 ] || { echo "the killed runs committed almost nothing: the check proves little"; status=1; }
    kill "$broker"
    [ "$status" -eq 0 ] || return 1
    "$PARQUET_READER_PYTHON" - "$work/lk-lake" "$tweets/tweets_2k.jsonl" <<'PY'
import collections, json, os, sys
from deltalake import DeltaTable
lake, source = sys.argv[1:3]
lines = [l.rstrip("\n") for l in open(source, encoding="utf-8")]
bronze = DeltaTable(lake + "/bronze/tweets").to_pyarrow_table()
positions = collections.Counter(zip(bronze.column("partition").to_pylist(), bronze.column("offset").to_pylist()))
assert max(positions.values()) == 1, f"{sum(n - 1 for n in positions.values())} records in bronze twice"
assert collections.Counter(bronze.column("value").to_pylist()) == collections.Counter(lines), "bronze is not the topic's records"
def tweet_id(line):
    try: status = json.loads(line)
    except ValueError: return None
    ok = isinstance(status, dict) and (status.get("user") or {}).get("screen_name") and status.get("id_str")
    return int(status["id_str"]) if ok else None
expected = {i for i in map(tweet_id, lines) if i is not None}
ids = DeltaTable(lake + "/silver/tweets").to_pyarrow_table().column("id").to_pylist()
assert len(ids) == len(set(ids)), f"{len(ids) - len(set(ids))} tweets in silver twice"
assert set(ids) == expected, f"silver: {len(expected - set(ids))} tweets missing, {len(set(ids) - expected)} extra"
print(f"after the kills: bronze holds all {len(lines)} records once, silver all {len(ids)} tweets once")
sys.stdout.flush(); os._exit(0)
PY
}

scale_out_member_killed() {  # three kafka-wordcount --scale-out members; one is killed with SIGKILL: how long the others lack its partitions
    "$bin/kafka-embedded-broker" --topic words:6 >"$work/so-broker.out" 2>"$work/so-broker.err" &
    local broker=$!
    wait_for_output "$work/so-broker.out"
    local servers
    servers=$(sed -n 's/^bootstrap.servers=//p' "$work/so-broker.out")
    "$bin/kafka-produce" --bootstrap-servers "$servers" --topic words --input "$golden/corpus_1k.txt" 2>>"$work/so-produce.err" ||
        { kill "$broker"; return 1; }
    local members=()
    for i in 1 2 3; do
        "$bin/kafka-wordcount" --bootstrap-servers "$servers" --topic words --scale-out --group-id stall --batch-interval 1 \
            --checkpoint "$work/so-checkpoint-$i" --run-for 60 --output jsonl >/dev/null 2>"$work/so-$i.err" &
        members+=($!)
    done
    # Until each member owns two partitions (their own log lines say so).
    local settled=""
    for _ in $(seq 600); do
        settled=yes
        for i in 1 2 3; do
            [ "$(grep 'the group assigns this member' "$work/so-$i.err" | tail -1 | grep -o 'words/[0-9]*' | wc -l)" -eq 2 ] || settled=""
        done
        [ -n "$settled" ] && break
        sleep 0.1
    done
    [ -n "$settled" ] || { echo "the three members never split the six partitions"; kill "${members[@]}" "$broker"; return 1; }
    kill -KILL "${members[0]}"
    local killed
    killed=$(date +%s)
    # Until the two survivors together own all six partitions again.
    local stall=""
    for _ in $(seq 600); do
        local owned
        owned=$(for i in 2 3; do grep 'the group assigns this member' "$work/so-$i.err" | tail -1 | grep -o 'words/[0-9]*'; done | sort -u | wc -l)
        if [ "$owned" -eq 6 ]; then stall=$(($(date +%s) - killed)); break; fi
        sleep 0.1
    done
    # SIGKILL: what is measured is the stall. (A --scale-out member stopped gracefully together
    # with its broker can wait minutes for its batch to give up: Docs/Kafka.md, known problems.)
    kill -KILL "${members[1]}" "${members[2]}" 2>/dev/null
    kill "$broker" 2>/dev/null
    wait "${members[1]}" "${members[2]}" 2>/dev/null
    [ -n "$stall" ] || { echo "60 s after the SIGKILL, the survivors still lack partitions"; return 1; }
    echo "after a SIGKILL, the two other members owned all six partitions again within ${stall} s"
    # The session timeout (6 s), then a rebalance that waits for each member's next poll: 10–16 s here.
    [ "$stall" -le 20 ] || { echo "more than 20 s: longer than a stream job can stall"; return 1; }
}

scale_out_member() {  # scale_out_member NAME SERVERS RUN_FOR: one kafka-wordcount --scale-out member of group "wc", in the background
    "$bin/kafka-wordcount" --bootstrap-servers "$2" --topic words --scale-out --group-id wc --batch-interval 1 \
        --checkpoint "$work/so-$1.checkpoint" --run-for "$3" --output jsonl >"$work/so-$1.jsonl" 2>"$work/so-$1.err" &
    echo $! >"$work/so-$1.pid"
}

scale_out_totals() {  # scale_out_totals EXPECTED.json MEMBER…: each word's latest total across the members equals EXPECTED
    python3 - "$@" <<'PY'
import json, sys
expected = json.load(open(sys.argv[1]))
latest, at_time = {}, {}
for member in sys.argv[2:]:
    for line in open(member, encoding="utf-8"):
        batch = json.loads(line)
        for word, total in batch["records"]:
            other = at_time.setdefault(batch["time"], {}).setdefault(word, total)
            assert other == total, f"{word!r} is {other} and {total} in the batch of {batch['time']}"
            if word not in latest or latest[word][0] <= batch["time"]:
                latest[word] = (batch["time"], total)
got = {word: total for word, (_, total) in latest.items()}
wrong = sorted(w for w in set(got) | set(expected) if got.get(w) != expected.get(w))
assert not wrong, f"{len(wrong)} of {len(expected)} words differ, e.g. " + ", ".join(f"{w!r}: {got.get(w)} not {expected.get(w)}" for w in wrong[:5])
print(f"all {len(expected)} words' latest totals across {len(sys.argv) - 2} members equal a single process's and Spark's")
PY
}

scale_out_sigkill_and_join() {  # three members on six partitions; one SIGKILLed while the input arrives, a fourth joins
    "$bin/kafka-embedded-broker" --topic words:6 >"$work/sx-broker.out" 2>"$work/sx-broker.err" &
    echo $! >"$work/sx-broker.pid"
    wait_for_output "$work/sx-broker.out"
    local servers
    servers=$(sed -n 's/^bootstrap.servers=//p' "$work/sx-broker.out")
    # Spark's running totals after the whole corpus, which a single process also prints last.
    python3 - "$golden/running_word_counts.json" >"$work/so-expected.json" <<'PY'
import json, sys
print(json.dumps(dict(json.load(open(sys.argv[1]))["batches"][-1]["data"])))
PY
    "$bin/kafka-wordcount" --input "$golden/corpus_1k.txt" --records-per-batch 200 --output jsonl | tail -1 >"$work/so-single.jsonl"
    python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=dict(json.loads(open(sys.argv[2]).read())["records"]); assert a == b, "a single process differs from Spark"' \
        "$work/so-expected.json" "$work/so-single.jsonl" || return 1
    for i in 1 2 3; do scale_out_member "$i" "$servers" 90; done
    "$bin/kafka-produce" --bootstrap-servers "$servers" --topic words --input "$golden/corpus_1k.txt" --rate 100 \
        2>"$work/so-produce.err" &
    local producer=$!
    sleep 4
    kill -KILL "$(cat "$work/so-1.pid")"
    sleep 1
    scale_out_member 4 "$servers" 90
    wait "$producer" || { echo "kafka-produce failed"; return 1; }
    for i in 2 3 4; do wait "$(cat "$work/so-$i.pid")" || { echo "member $i failed:"; tail -5 "$work/so-$i.err"; return 1; }; done
    grep -h "restored from" "$work"/so-[234].err | head -3
    scale_out_totals "$work/so-expected.json" "$work"/so-[1234].jsonl
}

scale_out_restart_from_broker() {  # after the run above, two new members with new checkpoints restore every total from Kafka
    local servers
    servers=$(sed -n 's/^bootstrap.servers=//p' "$work/sx-broker.out")
    [ -n "$servers" ] || { echo "the broker of scale-out-sigkill-and-join is gone"; return 1; }
    # 20 s: on a loaded machine the two members' first rebalances can take ten.
    for i in 5 6; do scale_out_member "$i" "$servers" 20; done
    for i in 5 6; do wait "$(cat "$work/so-$i.pid")" || { echo "member $i failed:"; tail -5 "$work/so-$i.err"; return 1; }; done
    kill "$(cat "$work/sx-broker.pid")"
    grep -h "restored from" "$work"/so-[56].err | head -3
    [ "$(grep -h "restored from" "$work"/so-[56].err | grep -o 'task [0-9]*' | sort -u | wc -l)" -eq 6 ] ||
        { echo "the new members did not restore all six tasks from the changelog"; return 1; }
    scale_out_totals "$work/so-expected.json" "$work"/so-[56].jsonl
}

lake_embedded_default() {  # lake ingest with no broker: twitter-to-kafka's pipeline over the emulator feeds both topics
    [ -n "${PARQUET_READER_PYTHON:-}" ] || { echo "PARQUET_READER_PYTHON is not set (scripts/test.sh sets it)"; return 1; }
    timeout 120 "$bin/lake" ingest --lake "$work/le-lake" --batch-interval 1 --run-for 6 >/dev/null 2>"$work/le.err" ||
        { tail -3 "$work/le.err"; return 1; }
    grep -q "fed by twitter-to-kafka's pipeline over the X API emulator" "$work/le.err" || { head -3 "$work/le.err"; return 1; }
    "$PARQUET_READER_PYTHON" - "$work/le-lake" <<'PY'
import collections, json, os, sys
from deltalake import DeltaTable
bronze = DeltaTable(sys.argv[1] + "/bronze/tweets").to_pyarrow_table()
topics = collections.Counter(bronze.column("topic").to_pylist())
assert topics["tweets-data"] > 0 and topics["tweets-other"] > 0, f"records per topic: {dict(topics)}"
positions = list(zip(bronze.column("topic").to_pylist(), bronze.column("partition").to_pylist(), bronze.column("offset").to_pylist()))
assert len(positions) == len(set(positions)), "a record in bronze twice"
sent = {json.loads(v)["id"] for v in bronze.column("value").to_pylist()}
ids = DeltaTable(sys.argv[1] + "/silver/tweets").to_pyarrow_table().column("id").to_pylist()
assert len(ids) == len(set(ids)) and {str(i) for i in ids} == sent, f"silver {len(ids)} tweets, bronze {len(sent)} posts"
print(f"bronze: {dict(topics)} from the emulator through twitter-to-kafka's pipeline; silver: each of the {len(ids)} posts once")
sys.stdout.flush(); os._exit(0)
PY
}

router_on_embedded_broker() {
    "$bin/kafka-embedded-broker" --topic tweets-kafka:2 >"$work/rt-broker.out" 2>"$work/rt-broker.err" &
    local broker=$!
    wait_for_output "$work/rt-broker.out"
    router_crash_recovery "$(sed -n 's/^bootstrap.servers=//p' "$work/rt-broker.out")"
    local status=$?
    kill "$broker"
    return "$status"
}

router_on_independent_broker() {  # noida-db, started by scripts/test.sh
    [ -n "${KAFKA_TEST_BOOTSTRAP_SERVERS:-}" ] || { echo "KAFKA_TEST_BOOTSTRAP_SERVERS is not set (scripts/test.sh sets it)"; return 1; }
    router_crash_recovery "$KAFKA_TEST_BOOTSTRAP_SERVERS"
}

helps() {
    for tool in network-wordcount hashtag-top10 line-server dstream-bench kafka-wordcount kafka-produce kafka-embedded-broker \
        kafka-bench twitter-emulator tweet-gen twitter-to-kafka twitter-to-socket tweet-analytics tweet-router tweet-sentiment \
        tweet-dashboard dashboard-bench parquet-bench lake; do
        "$bin/$tool" --help | grep -q -- "--help" || { echo "$tool --help failed"; return 1; }
    done
}

replays_are_byte_identical() {  # the same input twice: the same JSON lines, byte for byte, for every example
    for tool in network-wordcount hashtag-top10 kafka-wordcount tweet-analytics tweet-router tweet-sentiment; do
        local input="$golden/corpus_1k.txt"
        case $tool in tweet-*) input="$tweets/tweets_2k.jsonl" ;; esac
        for run in 1 2; do
            "$bin/$tool" --input "$input" --records-per-batch 200 --batches 12 --output jsonl \
                >"$work/$tool.$run.jsonl" 2>/dev/null || { echo "$tool replay failed"; return 1; }
        done
        cmp "$work/$tool.1.jsonl" "$work/$tool.2.jsonl" || { echo "$tool: two replays differ"; return 1; }
    done
    # From a pipe, as from a file.
    cat "$golden/corpus_1k.txt" | "$bin/network-wordcount" --input /dev/stdin --records-per-batch 200 --batches 12 \
        --output jsonl 2>/dev/null | cmp - "$work/network-wordcount.1.jsonl"
}

numeric_flags_are_validated() {  # nan, inf, negative, zero and out-of-range values: exit 64 and one line, never a crash
    local failures=0
    while read -r tool flag values; do
        for value in $values; do
            "$bin/$tool" "$flag=$value" >/dev/null 2>"$work/flag.err"
            local status=$?
            if [ "$status" -ne 64 ] || ! grep -q -- "$flag\|${flag#--}" "$work/flag.err"; then
                echo "$tool $flag=$value: exit $status: $(head -1 "$work/flag.err")"
                failures=$((failures + 1))
            fi
        done
    done <<'FLAGS'
network-wordcount --batch-interval nan inf -inf -1 0 1e300
network-wordcount --port nan -1 0 70000
network-wordcount --records-per-batch nan -1 0 1e300
network-wordcount --batches -1 1e300
network-wordcount --run-for nan inf -1 0 1e300
network-wordcount --stop-after-idle-batches -1 0
hashtag-top10 --window nan inf -1 0 1e300
tweet-dashboard --batch-interval nan inf -1 0 1e300
tweet-dashboard --window nan inf -1 0
tweet-dashboard --port -1 70000
tweet-dashboard --records-per-batch -1 0
tweet-dashboard --run-for nan -1 0
hashtag-top10 --batch-interval nan inf -1 0
hashtag-top10 --port -1 0 70000
kafka-wordcount --batch-interval nan inf -1 0 1e300
kafka-wordcount --max-records-per-partition -1 0
kafka-wordcount --demo-rate -1 0 1e300
kafka-embedded-broker --brokers nan -1 0 1000
kafka-embedded-broker --topic x:-1 x:0 x:nan x:100000 :4
kafka-produce --chunk -1 0
kafka-bench --records -1 0
kafka-bench --record-bytes -1 0
line-server --port -1 70000
line-server --rate nan inf -1 0 1e300
line-server --clients -1 0
twitter-emulator --port -1 70000
twitter-emulator --rate nan inf -1 1e300
twitter-emulator --keep-alive nan inf -1 0
twitter-emulator --malformed-share nan -1 5
twitter-emulator --max-posts -1 0
twitter-emulator --disconnect-after -1 0
tweet-gen --count -1
tweet-gen --malformed-share nan -0.5 5
twitter-to-kafka --batch-interval nan inf -1 0
twitter-to-kafka --run-for nan inf -1 0
twitter-to-kafka --emulator-rate nan -1
twitter-to-socket --port -1 70000
dstream-bench --lines -1 0
dstream-bench --lines-per-batch -1 0
tweet-analytics --batch-interval nan inf -1 0 1e300
tweet-analytics --window nan inf -1 0 1e300
tweet-analytics --max-records-per-partition -1 0
tweet-analytics --read-timeout nan -1 0
tweet-router --batch-interval nan inf -1 0
tweet-router --window nan inf -1 0
tweet-router --demo-rate -1 0 1e300
tweet-sentiment --batch-interval nan inf -1 0
tweet-sentiment --parallelism -1 0 5000
tweet-sentiment --event-time nan -1 1e300
FLAGS
    [ "$failures" -eq 0 ] && echo "every numeric flag rejects nan, inf, negative, zero and out-of-range values with exit 64"
}

bad_input() {  # a missing --input is a clear error, not a crash
    ! "$bin/network-wordcount" --input /nonexistent/file 2>"$work/err.txt" && grep -q "cannot read --input" "$work/err.txt"
}

check replay-network-wordcount replay_wordcount
check replay-hashtag-top10 replay_hashtags
check replay-kafka-wordcount replay_kafka_wordcount
check replay-tweet-analytics replay_tweets tweet-analytics
check replay-tweet-router replay_tweets tweet-router
check replay-tweet-sentiment replay_tweets tweet-sentiment
check tweet-analytics-sigkill-and-restart tweet_analytics_crash_recovery
check tweet-router-embedded-broker-sigkill router_on_embedded_broker
check tweet-router-independent-broker-sigkill router_on_independent_broker
check live-network-wordcount live_wordcount
check sigint-stops-gracefully interrupt_stops_gracefully
check kafka-sigkill-and-restart kafka_crash_recovery
check dead-broker-fails-the-batch dead_broker_fails_the_batch
check sigterm-with-a-dead-broker sigterm_with_a_dead_broker term
check scale-out-sigterm-with-a-dead-broker sigterm_with_a_dead_broker term-so --scale-out --group-id term
check many-partitions-keep-up many_partitions_keep_up
check scale-out-member-killed-stalls-seconds scale_out_member_killed
check scale-out-sigkill-and-join-counts-once scale_out_sigkill_and_join
check scale-out-restart-from-the-broker scale_out_restart_from_broker
check demo-topology demo_topology
check tweet-gen-is-deterministic tweets_are_deterministic
check twitter-to-socket-feeds-hashtag-top10 socket_listener_feeds_hashtags
check hashtag-top10-dashboard hashtag_top10_dashboard
check lake-kafka-sigkill-and-restart lake_kafka_crash_recovery
check lake-embedded-default-fed-by-the-emulator lake_embedded_default
check help-of-every-example helps
check replays-are-byte-identical replays_are_byte_identical
check missing-input-is-reported bad_input
check numeric-flags-are-validated numeric_flags_are_validated

echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
