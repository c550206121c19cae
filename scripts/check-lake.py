"""The lake after `lake ingest` replays: read with delta-rs, recomputed with DuckDB.

usage: check-lake.py LAKE INPUT_JSONL FIRST SECOND COMPACTED
(each a JSON object: table → [version, live files], after the first replay, after the second,
and after `lake compact` of bronze and silver)
"""
import glob
import json
import re
import sys

import duckdb
from deltalake import DeltaTable

lake, input_path = sys.argv[1:3]
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok      {name}")
    else:
        failed += 1
        print(f"FAILED  {name}\n        {str(detail)[:2000]}")


lines = [line.rstrip("\n") for line in open(input_path, encoding="utf-8")]
tables = {name: DeltaTable(f"{lake}/{name}") for name in
          ["bronze/tweets", "silver/tweets", "gold/hashtag_counts", "gold/tweets_per_minute", "gold/sentiment_per_hour"]}
bronze = tables["bronze/tweets"].to_pyarrow_table()
silver = tables["silver/tweets"].to_pyarrow_table()
db = duckdb.connect()
db.register("bronze", bronze)
db.register("silver", silver)
db.register("hashtag_counts", tables["gold/hashtag_counts"].to_pyarrow_table())
db.register("tweets_per_minute", tables["gold/tweets_per_minute"].to_pyarrow_table())
db.register("sentiment_per_hour", tables["gold/sentiment_per_hour"].to_pyarrow_table())

first, second, compacted = (json.loads(argument) for argument in sys.argv[3:6])
check("a second replay of the same input adds nothing", first == second, (first, second))
for name in ["bronze/tweets", "silver/tweets"]:
    partitions = {uri.rsplit("/", 1)[0] for uri in tables[name].file_uris()}
    check(f"compaction leaves {name} one file per partition, in one new version",
          compacted[name] == [second[name][0] + 1, len(partitions)] and second[name][1] > len(partitions),
          (second[name], compacted[name], len(partitions)))

offsets = sorted(bronze.column("offset").to_pylist())
check("bronze holds every record once", offsets == list(range(len(lines))), (len(offsets), len(lines)))
by_offset = dict(zip(bronze.column("offset").to_pylist(), bronze.column("value").to_pylist()))
check("bronze keeps each raw value", all(by_offset.get(i) == line for i, line in enumerate(lines)))


def tweet_id(line):  # a v1.1 status with an author, as TwitterSource decodes one
    try:
        status = json.loads(line)
    except ValueError:
        return None
    if not isinstance(status, dict) or not (status.get("id_str") or status.get("text") or status.get("full_text")):
        return None
    return status.get("id_str") if (status.get("user") or {}).get("screen_name") else None


expected_ids = {int(i) for i in map(tweet_id, lines) if i is not None}
ids = silver.column("id").to_pylist()
check("silver has each tweet id once", len(ids) == len(set(ids)), len(ids) - len(set(ids)))
check("silver has exactly the input's tweets", set(ids) == expected_ids, (len(set(ids)), len(expected_ids)))
texts, tags = silver.column("text").to_pylist(), silver.column("hashtags").to_pylist()
wrong = [(t, h) for t, h in zip(texts, tags) if h != [m.lower() for m in re.findall(r"#(\w+)", t)]]
check("silver hashtags are the #(\\w+) matches, lowercased", not wrong, wrong[:3])

epoch = "TIMESTAMPTZ '1970-01-01 00:00:00+00'"
recomputed = db.execute(f"""
    SELECT coalesce(date_trunc('hour', created_at), {epoch}) AS hour, lower(tag) AS hashtag, count(*) AS count
    FROM (SELECT created_at, unnest(hashtags) AS tag FROM silver) GROUP BY ALL ORDER BY ALL""").fetchall()
gold = db.execute("SELECT hour, hashtag, count FROM hashtag_counts ORDER BY ALL").fetchall()
check("gold hashtag_counts equals DuckDB's count over silver", gold == recomputed, (gold[:3], recomputed[:3]))
recomputed = db.execute(f"""
    SELECT coalesce(date_trunc('minute', created_at), {epoch}) AS minute, topic, count(*) AS count
    FROM silver GROUP BY ALL ORDER BY ALL""").fetchall()
gold = db.execute("SELECT minute, topic, count FROM tweets_per_minute ORDER BY ALL").fetchall()
check("gold tweets_per_minute equals DuckDB's count over silver", gold == recomputed, (gold[:3], recomputed[:3]))

on_disk = len(glob.glob(f"{lake}/gold/hashtag_counts/*.parquet"))
check("vacuum leaves only the live files of a rewritten table", on_disk == len(tables["gold/hashtag_counts"].file_uris()), on_disk)
check("vacuum after compaction leaves exactly an appended table's live files",
      len(glob.glob(f"{lake}/silver/tweets/*.parquet")) == len(tables["silver/tweets"].file_uris()))

import math
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
vader = SentimentIntensityAnalyzer()
groups = {}
for created, topic, text in db.execute(f"SELECT coalesce(date_trunc('hour', created_at), {epoch}), topic, text FROM silver").fetchall():
    groups.setdefault((created, topic), []).append(vader.polarity_scores(text)["compound"])
gold = {(h, t): (n, m) for h, t, n, m in db.execute("SELECT hour, topic, tweets, mean_compound FROM sentiment_per_hour").fetchall()}
bad = [(k, gold.get(k), len(v), math.fsum(v) / len(v)) for k, v in groups.items()
       if k not in gold or gold[k][0] != len(v) or abs(gold[k][1] - math.fsum(v) / len(v)) > 1e-9]
check("gold sentiment_per_hour equals vaderSentiment's mean over silver", not bad and len(gold) == len(groups), bad[:3])

print(f"lake: {passed} passed, {failed} failed")
sys.stdout.flush()
import os
os._exit(1 if failed else 0)
