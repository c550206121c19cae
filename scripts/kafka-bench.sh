#!/usr/bin/env bash
# Runs kafka-bench (release build) against an independent broker process started for it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh
command -v kcat >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"; $sudo apt-get install -y -qq kcat >/dev/null; }
swift build -c release --product kafka-bench >&2
servers=$(bash scripts/kafka-test-broker.sh start)
trap 'bash scripts/kafka-test-broker.sh stop' EXIT
"$(swift build -c release --show-bin-path)/kafka-bench" --bootstrap-servers "$servers" "$@"
