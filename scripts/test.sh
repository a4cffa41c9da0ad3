#!/usr/bin/env bash
# Checks the code's layout (scripts/lint.sh), builds tcpviz twice and runs
# the whole suite, each test where it shows something:
#
#  1. build/ (gcc, RelWithDebInfo: what the package ships): the tests of the
#     shipped build itself: the unit tests, the oracle and the golden files,
#     what only an unsanitized build can measure (memory, peak RSS, the
#     snaplen sweep that ASan makes 5x slower), the package, the web page in
#     Chromium, and the lessons: every command of every lesson, each lab's
#     live runs checked in Chinese, replayed in English and caught lying.
#  2. build-asan/ (clang, AddressSanitizer + UBSan, leaks checked, libFuzzer's
#     coverage): everything else, which is every test that runs tcpviz code
#     but the few named below: unit and end-to-end, the CLI on hostile input,
#     serve, the chat (its soak too), each lab live once, the report and the
#     live page against the sanitized serve; then each libFuzzer target for
#     10 s (scripts/fuzz.sh; TCPVIZ_FUZZ_SECONDS changes it, 0 skips it).
#
#   scripts/test.sh            everything
#   scripts/test.sh -R oracle  only the tests whose name matches (ctest -R),
#                              in both builds (but what cannot run sanitized)
#
# Prints each phase's start and length; exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

SECONDS=0
phase_start=0
phase_name=""
phases=()
phase() {  # NAME: ends the phase before it (its length recorded), starts NAME
  if [[ -n $phase_name ]]; then phases+=("$(printf '%5d s  %s' $((SECONDS - phase_start)) "$phase_name")"); fi
  phase_start=$SECONDS
  phase_name=$1
  [[ -n $phase_name ]] && echo "== [$(date -u +%H:%M:%S), +$((SECONDS / 60))m$((SECONDS % 60))s] $phase_name"
  return 0
}
summary() {
  phase ""
  echo "== phases (load $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
  printf '%s\n' "${phases[@]}"
  printf '%5d s  total\n' "$SECONDS"
}
trap summary EXIT

# Ninja when the build folder is new (CI): it starts compiling sooner than
# make and keeps both cores busy; an existing folder keeps its generator.
generator_for() {  # DIR
  if [[ ! -f $1/CMakeCache.txt ]] && command -v ninja >/dev/null; then echo "-GNinja"; fi
}

phase "setup (scripts/setup.sh)"
scripts/setup.sh

phase "lint (clang-format, eslint)"
scripts/lint.sh

phase "build (build/, gcc)"
# -g1: line tables and functions, enough for a backtrace; no test reads the
# rest of full debug information (-g), which costs compile and link time.
cmake -S . -B build $(generator_for build) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1" >/dev/null
cmake --build build -j"$jobs"

# The tests of the normal build (1. above). Those also run under the
# sanitizers (the unit tests, the oracle, the labs, the two-minute chat soak,
# damaged_captures with 30 variants of each capture, 8 sanitized) are here
# because this is the build that ships; the rest only here because they
# cannot run sanitized (see the list further down).
release_only='^(oracle_snaplen_cuts|memory_flat_in_connections|package_deb|web_unit|web_browser|web_big|tutorials_.*)$|StaysSmallInAHostileClassroom'
release_also='^(oracle_tshark|golden_.*|damaged_captures|lab_.*)$|ChatSoak'
phase "tests, build/: unit tests"
if (($# == 0)); then
  ctest --test-dir build --output-on-failure -j"$jobs" -L unit
  phase "tests, build/: oracle, golden files, memory, package, web page, lessons and labs"
  ctest --test-dir build --output-on-failure -j"$jobs" -R "$release_only|$release_also"
else
  ctest --test-dir build --output-on-failure -j"$jobs" "$@"
fi

phase "build (build-asan/, clang, ASan+UBSan+libFuzzer coverage)"
# One build serves both: its libraries carry libFuzzer's coverage hooks too,
# which cost the tests little and save CI a third build. -O1 keeps the
# sanitized runs quick; -gline-tables-only is all a sanitizer's report needs
# (file and line of each frame).
CC=clang CXX=clang++ cmake -S . -B build-asan $(generator_for build-asan) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DTCPVIZ_SANITIZE=ON -DTCPVIZ_FUZZ=ON >/dev/null
cmake --build build-asan -j"$jobs"

phase "tests, build-asan/: the suite under ASan+UBSan"
# Not run sanitized, each for its reason:
#  - package_deb: the package is the normal build's (tested above);
#  - memory_flat_in_connections, StaysSmallInAHostileClassroom: they measure
#    peak RSS, and ASan's shadow memory and quarantine are not tcpviz's;
#  - oracle_snaplen_cuts: 5x slower sanitized; the same decoding of cut
#    headers runs here in oracle_tshark's crafted captures, damaged_captures
#    and the fuzzers;
#  - web_unit, web_browser, web_big, tutorials_lesson_screenshots: the page's
#    JavaScript in node and Chromium; the timelines they load are made by
#    the same `tcpviz analyze` the oracle and golden tests run here;
#  - the lessons' commands: each lab runs live once here instead (lab_*).
# The chat soak runs 60 s here (CHAT_SOAK_SECONDS, tests/chat/CMakeLists.txt).
# web_deps stays as a fixture: tests of tcpviz site and the report need the page.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" \
    -E "^(package_deb|memory_flat_in_connections|oracle_snaplen_cuts|web_unit|web_browser|web_big|tutorials_lesson_screenshots)$|StaysSmallInAHostileClassroom" "$@"

fuzz_seconds=${TCPVIZ_FUZZ_SECONDS:-10}
if [[ $fuzz_seconds != 0 ]]; then
  phase "fuzz: each target for ${fuzz_seconds}s"
  TCPVIZ_FUZZ_BUILD=build-asan scripts/fuzz.sh "$fuzz_seconds"
fi

echo "== all tests passed"
