#!/usr/bin/env bash
# The dashboard in a real browser: headless Chromium (Debian's, driven by Selenium from a
# venv) against `tweet-dashboard` replaying the golden tweets. Prints "dashboard: N passed, 0 failed".
# The screenshot lands in .build/artifacts/dashboard.png.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/browser-venv
if ! "$venv/bin/python" -c 'import selenium' 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet 'selenium>=4.10' >&2
fi
mkdir -p .build/artifacts
timeout 300 "$venv/bin/python" scripts/check-dashboard.py \
    "$(swift build --show-bin-path)/tweet-dashboard" Tests/TweetPipelineTests/Golden/tweets_2k.jsonl .build/artifacts
