#!/usr/bin/env bash
# tutorial 003's lake: `lake ingest` replays the golden tweets twice into a fresh lake; delta-rs
# reads the tables and DuckDB recomputes gold from silver (scripts/check-lake.py).
# Prints "lake: N passed, 0 failed".
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PARQUET_READER_PYTHON:-$(bash scripts/parquet-readers.sh)}
bin=$(swift build --show-bin-path)
input=Tests/TweetPipelineTests/Golden/tweets_2k.jsonl
lake=$(mktemp -d)
trap 'rm -rf "$lake"' EXIT
"$bin/lake" ingest --input "$input" --records-per-batch 200 --topic tweets --lake "$lake" 2>/dev/null
versions=$("$python" -c '
import json, sys
from deltalake import DeltaTable
names = ["bronze/tweets", "silver/tweets", "gold/hashtag_counts", "gold/tweets_per_minute", "gold/sentiment_per_hour"]
print(json.dumps({n: DeltaTable(sys.argv[1] + "/" + n).version() for n in names}))
sys.stdout.flush()
import os; os._exit(0)' "$lake")
"$bin/lake" ingest --input "$input" --records-per-batch 200 --topic tweets --lake "$lake" 2>/dev/null
# Gold rewrites its table each batch: vacuum deletes the replaced files, and the tables still read the same.
"$bin/lake" vacuum "$lake/gold/hashtag_counts" --retention-hours 0 >/dev/null
"$bin/lake" vacuum "$lake/silver/tweets" --retention-hours 0 >/dev/null
timeout 120 "$python" scripts/check-lake.py "$lake" "$input" "$versions"
