#!/usr/bin/env bash
# Runs the whole test suite again, built with the Thread Sanitizer, and fails on any report.
# scripts/test.sh calls it after the normal run, with the broker and the Python readers set up.
#
# Two things make the run possible and useful on Linux:
# - librdkafka's C11 threads are routed through pthread (thread-sanitizer/c11-threads.c,
#   preloaded), so the sanitizer registers them and sees their locks;
# - tests run one at a time: run in parallel under the sanitizer on 2 cores, the X client
#   suite stalled for minutes, and one at a time the whole suite takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build/tsan
swift build --build-tests --sanitize=thread --scratch-path "$scratch"
shim="$scratch/libc11-threads.so"
"${CC:-clang}" -O2 -shared -fPIC -o "$shim" scripts/thread-sanitizer/c11-threads.c -lpthread

log=$(mktemp)
status=0
LD_PRELOAD="$PWD/$shim" TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1" \
    timeout 1200 swift test --skip-build --sanitize=thread --scratch-path "$scratch" --no-parallel >"$log" 2>&1 || status=$?
reports=$(grep -c "WARNING: ThreadSanitizer" "$log" || true)
if [ "$status" -ne 0 ] || [ "$reports" -ne 0 ]; then
    grep -B2 -A40 "WARNING: ThreadSanitizer" "$log" | head -400 || true
    grep -E "✘|error:|Fatal" "$log" | head -50 || true
    tail -20 "$log"
    echo "thread sanitizer: exit status $status, $reports reports" >&2
    exit 1
fi
grep -E "Test run with|Executed [0-9]+ tests" "$log" | tail -2
echo "thread sanitizer: 1 passed, 0 failed (0 reports)"
