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
# Each table's version and number of live files, as delta-rs reads them.
tables() {
    "$python" -c '
import json, sys
from deltalake import DeltaTable
names = ["bronze/tweets", "silver/tweets", "gold/hashtag_counts", "gold/tweets_per_minute", "gold/sentiment_per_hour"]
tables = {n: DeltaTable(sys.argv[1] + "/" + n) for n in names}
print(json.dumps({n: [t.version(), len(t.file_uris())] for n, t in tables.items()}))
sys.stdout.flush()
import os; os._exit(0)' "$lake"
}
first=$(tables)
"$bin/lake" ingest --input "$input" --records-per-batch 200 --topic tweets --lake "$lake" 2>/dev/null
second=$(tables)
# Each batch appended a small file to bronze and silver: compaction merges them (the checks then
# read the compacted tables). Gold rewrites its table each batch: vacuum deletes the replaced
# files, and the tables still read the same.
"$bin/lake" compact "$lake/bronze/tweets" >/dev/null
"$bin/lake" compact "$lake/silver/tweets" >/dev/null
"$bin/lake" vacuum "$lake/gold/hashtag_counts" --retention-hours 0 >/dev/null
"$bin/lake" vacuum "$lake/silver/tweets" --retention-hours 0 >/dev/null
timeout 120 "$python" scripts/check-lake.py "$lake" "$input" "$first" "$second" "$(tables)"
