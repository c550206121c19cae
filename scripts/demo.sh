#!/usr/bin/env bash
# The demo: tutorial 001 on embedded defaults. A local server streams generated tweet texts;
# hashtag-top10 charts the top hashtags of a sliding window. Runs DEMO_SECONDS (default 30)
# or until Ctrl-C. Installs the system packages it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-dependencies.sh
swift build --product line-server >&2
swift build --product hashtag-top10 >&2
bin=$(swift build --show-bin-path)

server_out=$(mktemp)
"$bin/line-server" --port 0 --rate 300 >"$server_out" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$server_out"' EXIT
for _ in $(seq 100); do [ -s "$server_out" ] && break; sleep 0.1; done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$server_out")
echo "tweet texts served on 127.0.0.1:$port; charting hashtags for ${DEMO_SECONDS:-30} s (Ctrl-C stops)" >&2

"$bin/hashtag-top10" --host 127.0.0.1 --port "$port" --batch-interval 2 --window 6 --run-for "${DEMO_SECONDS:-30}"
