#!/usr/bin/env bash
# Builds tcpviz and runs every test: unit, end-to-end (real captures compared
# with tshark, the CLI, the chat, the web page in Chromium), then the unit and
# robustness tests again under AddressSanitizer + UBSan.
#
#   scripts/test.sh            everything
#   scripts/test.sh -R oracle  only the tests whose name matches (ctest -R)
#
# Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

scripts/setup.sh

echo "== build (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

echo "== tests"
ctest --test-dir build --output-on-failure -j"$jobs" "$@"

echo "== sanitizers (build-asan/): unit and robustness tests under ASan+UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTCPVIZ_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -L "unit|robust" "$@"

echo "== all tests passed"
