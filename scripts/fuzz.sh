#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang, ASan and UBSan (in
# build-fuzz/) and runs each for SECONDS (default 60), seeded from
# tests/captures, the test timelines and fuzz/seeds. What each run finds
# that is new stays in build-fuzz/corpus/TARGET for the next run. A crash
# stops the script; its input is in build-fuzz/crashes/TARGET/: fix the bug,
# then add the input to fuzz/regressions/TARGET/ (the test fuzz_inputs_TARGET
# replays it in every build from then on).
#
#   scripts/fuzz.sh          60 s per target
#   scripts/fuzz.sh 10       the short run of scripts/test.sh and CI
#
# TCPVIZ_FUZZ_BUILD=DIR uses DIR, a tree already configured with clang and
# -DTCPVIZ_FUZZ=ON (scripts/test.sh's sanitizer build), instead of build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
jobs=$(nproc 2>/dev/null || echo 2)
targets=(capture_file record tcp_options timeline chat_lines)

launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
build=${TCPVIZ_FUZZ_BUILD:-build-fuzz}
if [[ -n ${TCPVIZ_FUZZ_BUILD:-} ]]; then
  grep -q '^TCPVIZ_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null \
    || { echo "fuzz: error: $build is not configured with -DTCPVIZ_FUZZ=ON" >&2; exit 2; }
else
  CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTCPVIZ_FUZZ=ON \
    -DTCPVIZ_BUILD_TESTS=OFF "${launcher[@]}" >/dev/null
fi
echo "== fuzz: build ($build/, clang)"
cmake --build "$build" -j"$jobs" --target fuzz_all

seeds_capture_file=(tests/captures)
seeds_record=(fuzz/seeds/record)
seeds_tcp_options=(fuzz/seeds/tcp_options)
seeds_timeline=(tests/golden fuzz/seeds/timeline)
seeds_chat_lines=(fuzz/seeds/chat_lines)

for t in "${targets[@]}"; do
  corpus=$build/corpus/$t
  crashes=$build/crashes/$t
  mkdir -p "$corpus" "$crashes"
  seeds_var="seeds_${t}[@]"
  regressions=()
  [[ -d fuzz/regressions/$t ]] && regressions=("fuzz/regressions/$t")
  echo "== fuzz: $t for ${seconds}s"
  # -max_len: captures are cut to 64 KiB (the seeds go up to 450 KB; longer
  # inputs only slow each run). -timeout: one input may take at most 10 s.
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "${!seeds_var}" "${regressions[@]}" \
    2>"$build/fuzz_$t.log" || {
      tail -40 "$build/fuzz_$t.log"
      echo "fuzz: $t FAILED; the input is in $crashes/" >&2
      exit 1
    }
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz_$t.log" | grep -o '[0-9]*$' || echo "?")
  echo "   clean: $runs inputs run, corpus $(find "$corpus" -type f | wc -l) files"
done
echo "== fuzz: all targets ran clean for ${seconds}s each"
