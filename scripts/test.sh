#!/usr/bin/env bash
# Builds tcpviz and runs every test: unit, end-to-end (real captures compared
# with tshark, the CLI, the chat, the web page in Chromium); then every test
# but the browser ones again under AddressSanitizer + UBSan (the web page's
# own tests do not run tcpviz code); then each libFuzzer target for 20 s
# (scripts/fuzz.sh; TCPVIZ_FUZZ_SECONDS changes it, 0 skips it).
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

echo "== sanitizers (build-asan/): every test but the browser's under ASan+UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTCPVIZ_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
# web_deps stays: tests of tcpviz site and the report need the built page.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -E "^web_(unit|browser)$|^report_from_capture$" "$@"

fuzz_seconds=${TCPVIZ_FUZZ_SECONDS:-20}
if [[ $fuzz_seconds != 0 ]]; then
  echo "== fuzz: each target for ${fuzz_seconds}s"
  scripts/fuzz.sh "$fuzz_seconds"
fi

echo "== all tests passed"
