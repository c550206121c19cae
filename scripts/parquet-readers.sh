#!/usr/bin/env bash
# Prints the path of a Python that has pyarrow, DuckDB and delta-rs (deltalake), installed from
# PyPI into .build/parquet-venv once: the readers the Parquet tests check our files with (DuckDB
# needs pytz for time zones), and vaderSentiment to recompute the lake's sentiment table.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/parquet-venv
if ! "$venv/bin/python" -c 'import pyarrow, duckdb, deltalake, pytz, vaderSentiment' 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet pyarrow duckdb deltalake pytz vaderSentiment==3.3.2 >&2
fi
echo "$PWD/$venv/bin/python"
