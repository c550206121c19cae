#!/usr/bin/env bash
# The demo: tutorial 000's whole topology on embedded defaults, in one command, as separate
# processes:  twitter-emulator → twitter-to-kafka → kafka-embedded-broker → kafka-wordcount
# Runs DEMO_SECONDS (default 30) or until Ctrl-C. Installs the system packages it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-dependencies.sh
echo "building (the first build takes a few minutes)…" >&2
swift build >&2
bin=$(swift build --show-bin-path)
work=$(mktemp -d)
pids=()
producer=""
cleanup() {
    # The producer first: its graceful stop delivers its last posts while the broker still runs.
    [ -z "$producer" ] || { kill "$producer" 2>/dev/null; wait "$producer" 2>/dev/null; }
    kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

first_line() {  # first_line FILE: waits for a process's first output line
    for _ in $(seq 200); do [ -s "$1" ] && break; sleep 0.05; done
    head -n 1 "$1"
}

"$bin/kafka-embedded-broker" --topic tweets-kafka:4 >"$work/broker.out" 2>"$work/broker.log" &
pids+=($!)
"$bin/twitter-emulator" --rate 100 >"$work/emulator.out" 2>"$work/emulator.log" &
pids+=($!)
servers=$(first_line "$work/broker.out" | sed 's/^bootstrap.servers=//')
url=$(first_line "$work/emulator.out")

# Tutorial 000 filters the stream on a location box (v1.1 `locations`, a v2 bounding_box rule).
TWITTER_BEARER_TOKEN=emulator-token "$bin/twitter-to-kafka" --base-url "$url" --location=-122.75,36.8,-121.75,37.8 \
    --bootstrap-servers "$servers" --topic tweets-kafka 2>"$work/producer.log" &
producer=$!

echo "X API emulator at $url → twitter-to-kafka → Kafka at $servers → kafka-wordcount (${DEMO_SECONDS:-30} s, Ctrl-C stops)" >&2
"$bin/kafka-wordcount" --bootstrap-servers "$servers" --topic tweets-kafka --batch-interval 2 \
    --checkpoint "$work/checkpoint" --run-for "${DEMO_SECONDS:-30}" 2>"$work/consumer.log"
