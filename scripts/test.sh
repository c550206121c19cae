#!/usr/bin/env bash
# Runs every test: unit and integration tests (swift test), then the example programs end to
# end, the dashboard in headless Chromium, and the suite again under the Thread Sanitizer.
# Installs the system packages it needs first, starts (then stops) an independent Kafka broker
# process for the Kafka integration tests, scores texts with the Python VADER, and reads Parquet
# files with pyarrow, DuckDB and delta-rs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-dependencies.sh
# The sources are formatted as .swift-format says (`swift format --in-place --recursive Sources Tests` fixes them).
swift format lint --strict --recursive Sources Tests
echo "format: 1 passed, 0 failed"
swift build --build-tests

KAFKA_TEST_BOOTSTRAP_SERVERS=$(bash scripts/kafka-test-broker.sh start)
export KAFKA_TEST_BOOTSTRAP_SERVERS
trap 'bash scripts/kafka-test-broker.sh stop' EXIT
echo "independent Kafka broker (noida-db) at $KAFKA_TEST_BOOTSTRAP_SERVERS" >&2

# The Sentiment module's differential test compares with the Python reference (vaderSentiment 3.3.2 from PyPI).
VADER_REFERENCE_SCORES=$(bash scripts/vader-reference.sh)
export VADER_REFERENCE_SCORES
# The Parquet tests read what the writer wrote with pyarrow and DuckDB, and Delta tables with delta-rs.
PARQUET_READER_PYTHON=$(bash scripts/parquet-readers.sh)
export PARQUET_READER_PYTHON

swift test --skip-build
bash scripts/check-examples.sh
bash scripts/check-dashboard.sh
bash scripts/check-lake.sh
bash scripts/check-consumer.sh
# The whole suite again, built with the Thread Sanitizer: any data race it reports fails the run.
bash scripts/check-thread-sanitizer.sh

# The DocC catalogs build, with no warning (every public symbol and parameter documented).
# SwiftPM's notes on files a dependency's manifest leaves unhandled are the dependency's, not ours.
for target in StreamCore StreamDashboard; do
    docs_log=$(mktemp)
    swift package generate-documentation --target "$target" >"$docs_log" 2>&1 || { cat "$docs_log"; exit 1; }
    if grep 'warning:' "$docs_log" | grep -qv "which are unhandled; explicitly declare them"; then
        grep -A3 'warning:' "$docs_log"
        exit 1
    fi
done
echo "documentation: 2 passed, 0 failed"
