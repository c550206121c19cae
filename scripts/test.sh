#!/usr/bin/env bash
# Runs every test: unit and integration tests (swift test), then the example programs end to
# end. Installs the system packages it needs first, and starts (then stops) an independent
# Kafka broker process for the Kafka integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-dependencies.sh
swift build --build-tests

KAFKA_TEST_BOOTSTRAP_SERVERS=$(bash scripts/kafka-test-broker.sh start)
export KAFKA_TEST_BOOTSTRAP_SERVERS
trap 'bash scripts/kafka-test-broker.sh stop' EXIT
echo "independent Kafka broker (noida-db) at $KAFKA_TEST_BOOTSTRAP_SERVERS" >&2

swift test --skip-build
bash scripts/check-examples.sh
bash scripts/check-consumer.sh

# The DocC catalog builds, with no warning (every public symbol and parameter documented).
swift package generate-documentation --target StreamCore 2>&1 | tee /dev/stderr | { ! grep -q 'warning:'; }
echo "documentation: 1 passed, 0 failed"
