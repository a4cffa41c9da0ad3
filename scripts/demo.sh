#!/usr/bin/env bash
# The classroom demo in one command: installs what is missing, builds tcpviz
# and the web page, then runs `tcpviz demo`: a chat server and three scripted
# students, captured and analyzed. As root they talk across a routed path of
# network namespaces (demo-PID-*) with a 4 Mbit/s bottleneck, where slow
# start shows; otherwise on a loopback. Writes into out/demo/:
#   session.pcap   the capture (Wireshark opens it too)
#   timeline.json  the timeline, with the kernel's congestion window
#   ladder.txt     the ladder diagram, one sentence per segment
#   report.html    the page with the timeline inside: open it in a browser
# Without permission to capture (not root), it says so and shows a capture
# shipped in the repository instead.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs" --target tcpviz tcpviz-classic-server tcpviz-classic-client tutorial_programs

# The web page (for report.html): npm packages pinned by web/package-lock.json.
if [[ ! -f web/dist/report-template.html ]]; then
  echo "demo: building the web page (npm ci)..."
  (cd web && npm ci --no-audit --no-fund >/dev/null && node build.mjs >/dev/null) ||
    echo "demo: the web page could not be built; the demo continues without report.html" >&2
fi

./build/tcpviz demo --out out/demo --fallback tests/captures/handshake_data_fin.pcap "$@"
echo
echo "Next: open out/demo/report.html in a browser, or replay the session in the terminal:"
echo "  ./build/tcpviz replay out/demo/timeline.json --every 300"
