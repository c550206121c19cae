#!/usr/bin/env bash
# Prints the path of a file of texts scored by the Python reference, vaderSentiment 3.3.2
# (installed from PyPI into .build/vader-venv once), for the Sentiment differential test.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/vader-venv
if ! "$venv/bin/python" -c 'import vaderSentiment' 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet vaderSentiment==3.3.2 >&2
fi
out=.build/vader-reference.jsonl
"$venv/bin/python" scripts/vader-reference.py 3000 2026 >"$out"
echo "$PWD/$out"
