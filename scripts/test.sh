#!/usr/bin/env bash
# Checks the code's layout (scripts/lint.sh), builds tcpviz and runs every
# test: unit, end-to-end (real captures compared with tshark, the CLI, the
# chat, the labs, the package, the web page in Chromium); then, in one clang
# build with AddressSanitizer + UBSan and libFuzzer's coverage, the suite
# again (all but the browser, package, lab, soak and timing tests: see below)
# and each libFuzzer target for 10 s
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

echo "== lint (clang-format, eslint)"
scripts/lint.sh

echo "== build (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

echo "== tests"
ctest --test-dir build --output-on-failure -j"$jobs" "$@"

echo "== sanitizers (build-asan/, clang): the suite again under ASan+UBSan, then the fuzzers"
# One build serves both: its libraries carry libFuzzer's coverage hooks too,
# which cost the tests little and save CI a third build. -O1 keeps the
# sanitized runs quick enough for the whole suite's budget.
CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DTCPVIZ_SANITIZE=ON -DTCPVIZ_FUZZ=ON >/dev/null
cmake --build build-asan -j"$jobs"
# Left out, to stay in CI's time: the page's own tests (no tcpviz code), the
# package (packaging, tested above), the labs, lessons and chat soak (live
# networks whose timing a sanitized build changes), the memory measurement
# and the chat server's peak RSS (ASan's shadow memory is not tcpviz's) and the
# snaplen sweep (5x slower).
# web_deps stays as a fixture: tests of tcpviz site and the report need the page.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE "web|package|lab|soak" \
    -E "^report_from_capture$|^memory_flat_in_connections$|StaysSmallInAHostileClassroom|^oracle_snaplen_cuts$|^tutorials_" "$@"

fuzz_seconds=${TCPVIZ_FUZZ_SECONDS:-10}
if [[ $fuzz_seconds != 0 ]]; then
  echo "== fuzz: each target for ${fuzz_seconds}s"
  TCPVIZ_FUZZ_BUILD=build-asan scripts/fuzz.sh "$fuzz_seconds"
fi

echo "== all tests passed"
