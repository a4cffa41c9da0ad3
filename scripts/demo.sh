#!/usr/bin/env bash
# The classroom demo in one command: installs what is missing, builds, and
# shows a TCP conversation as a timeline.
#
# For now it analyzes a capture shipped in the repository (a chat-like
# exchange on loopback: handshake, data both ways, FIN teardown) and writes
# the timeline JSON and the text ladder into out/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs" --target tcpviz

out=out/demo
mkdir -p "$out"
capture=tests/captures/handshake_data_fin.pcap
cp "$capture" "$out/session.pcap"
./build/tcpviz analyze "$out/session.pcap" --format json -o "$out/timeline.json" --quiet
./build/tcpviz analyze "$out/session.pcap" --format text --notes -o "$out/ladder.txt" --quiet
./build/tcpviz analyze "$out/session.pcap" --format text --quiet

echo
echo "demo: wrote $out/session.pcap (the capture), $out/timeline.json (the timeline),"
echo "      $out/ladder.txt (the ladder with a sentence per segment)"
