#!/usr/bin/env bash
# Runs every test: unit and integration tests (swift test), then the example programs end to
# end. Installs the system packages it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-dependencies.sh
swift build --build-tests
swift test --skip-build
bash scripts/check-examples.sh
