#!/usr/bin/env bash
# Builds Tests/ConsumerPackage, a package that depends on this one as a user's would, and
# checks what the library promises its users: Swift 6 refuses a data race in foreachBatch;
# tutorial 002's top authors, written as the docs show, equal Spark's; a ReplaySource
# resumes exactly from its checkpoint; getOrCreate refuses a QueueSource holding records.
set -uo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$PWD" "$work/swift-streaming"            # the package name `.package(path:)` derives
cp -R Tests/ConsumerPackage "$work/consumer"
tweets=Tests/TweetPipelineTests/Golden/tweets_2k.jsonl   # a copy of ../shared/golden/tweets
passed=0
failed=0
check() {  # check NAME COMMAND...
    local name=$1
    shift
    if "$@" >"$work/$name.log" 2>&1; then
        passed=$((passed + 1)); echo "ok      $name"
    else
        failed=$((failed + 1)); echo "FAILED  $name"; sed 's/^/        /' "$work/$name.log" | tail -20
    fi
}

race_is_a_compile_error() {
    ! swift build --package-path "$work/consumer" --product RaceCheck 2>&1 | tee "$work/race.out" >/dev/null &&
        grep -Eq "error: .*(total|Sendable|concurrently-executing)" "$work/race.out" &&
        { grep -E "error: " "$work/race.out" | head -1; }
}

top_authors_equal_spark_across_a_restart() {
    swift build --package-path "$work/consumer" --product tutorial-002-authors || return 1
    local app
    app="$(swift build --package-path "$work/consumer" --show-bin-path)/tutorial-002-authors"
    "$app" "$tweets" "$work/checkpoint" 10 >"$work/authors.jsonl" &&
        "$app" "$tweets" "$work/checkpoint" 22 >>"$work/authors.jsonl" &&
        python3 - "$work/authors.jsonl" "${tweets%.jsonl}.tweet-analytics.jsonl" <<'PY'
import json, sys
got = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
want = [l for l in map(json.loads, open(sys.argv[2], encoding="utf-8")) if l["output"] == "top_authors"]
assert [g["batch"] for g in got] == list(range(1, 33)), [g["batch"] for g in got]
for g, w in zip(got, want):
    assert g["records"] == w["records"], f"batch {g['batch']}: {g['records']} != Spark's {w['records']}"
print("32 batches of top_authors equal Spark's, with a restart after batch 10")
PY
}

queue_is_refused() {
    local app
    app="$(swift build --package-path "$work/consumer" --show-bin-path)/tutorial-002-authors"
    "$app" --queue-with-checkpoint "$work/queue-checkpoint" | tee /dev/stderr | grep -q "refused: source 'queue' (QueueSource"
}

check foreachBatch-data-race-does-not-compile race_is_a_compile_error
check tutorial-002-top-authors-with-restart top_authors_equal_spark_across_a_restart
check getOrCreate-refuses-a-queue queue_is_refused
echo "consumer: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
