#!/usr/bin/env bash
# Lab 6 (live, needs root): slow start and congestion avoidance, seen in the
# kernel's own congestion window while a bulk transfer crosses a slow link.
#
# Runs everything in a private network namespace (unshare -n) whose loopback
# gets a 20 Mbit/s bottleneck (and 10 ms of delay each way when the kernel has netem),
# so nothing on the machine's real interfaces is touched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ ${1:-} != --inside ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "lab: this lab captures live traffic in a private network namespace: run it with sudo" >&2
    exit 2
  fi
  exec unshare -n "$0" --inside "$@"
fi
shift

# The capture and its timeline stay in a new directory after the lab, to
# open in the page (the lab prints where).
work=$(mktemp -d "${TMPDIR:-/tmp}/tcpviz-slow-start.XXXXXX")
source "$here/lab.sh"
lab_need_tcpviz
lab_cleanup+=('kill $(jobs -p) 2>/dev/null')

# A slow link: MTU-sized segments (no 64 KiB loopback super-packets), a rate
# limit, and delay when netem exists (users' kernels usually have it).
ip link set dev lo up mtu 1500 gso_max_size 1500 2>/dev/null || ip link set dev lo up mtu 1500
if tc qdisc add dev lo root netem delay 10ms rate 20mbit limit 1000 2>/dev/null; then
  link="20 Mbit/s with 10 ms of delay each way (netem)"
else
  tc qdisc add dev lo root tbf rate 20mbit burst 16kb limit 150kb
  link="20 Mbit/s, a 150 KB queue (tbf; this kernel has no netem)"
fi

"$tcpviz" chat server --port 6666 --bind 127.0.0.1 >/dev/null 2>&1 &
"$tcpviz" capture -i lo --filter "tcp port 6666" --snaplen 128 -w "$work/slow-start.pcap" \
  --timeline "$work/slow-start.json" --quiet 2>/dev/null &
capture_pid=$!
sleep 1
"$tcpviz" chat client --nick bulk --bulk 4000000 >/dev/null
sleep 0.5
kill -INT "$capture_pid"
wait "$capture_pid" || true

lab_timeline="$work/slow-start.json"  # the capture's own timeline: it has the kernel's samples
lab_options "$work/slow-start.pcap" "$@"

heading "Lab 6: slow start and congestion avoidance"
say "A client sent 4 MB over $link." \
    "tcpviz capture sampled the sender's TCP_INFO every 10 ms: its congestion" \
    "window (cwnd, in segments) and slow-start threshold (ssthresh)."
# The sender's samples where cwnd or ssthresh changed (the first 30).
q "'\n'.join('   %7.3f s  cwnd %4d  ssthresh %s' % r for r in [r for i, r in enumerate(rows) if i == 0 or r[1:] != rows[i - 1][1:]][:30]) if (rows := [(s['t'], s['cwnd'], s['ssthresh'] or '-') for s in c['kernel'] if s['side'] == 'client']) else '   (no samples)'"

ask "How big is the congestion window when the transfer starts?"
first=$(q "[s['cwnd'] for s in c['kernel'] if s['side'] == 'client'][0]")
answer "Linux starts at 10 segments (RFC 6928: an initial window of about 14 KB); the first sample, taken a few ms in, already shows $first because ACKs had come back." ok ok

ask "How does it grow before the bottleneck's queue overflows?"
peak=$(q "max(s['cwnd'] for s in c['kernel'] if s['side'] == 'client')")
answer "Exponentially: every ACK adds a segment, so cwnd doubles every round trip (slow start). It reached $peak segments." \
  "$(q "$peak > 10")" True

ask "When and why does slow start end?"
end=$(q "next((s for s in c['kernel'] if s['side'] == 'client' and s['ssthresh'] is not None), None)")
if [[ $end == None ]]; then
  answer "It did not end: the 4 MB were sent before the window outgrew the link. (Try a longer transfer.)" ok ok
else
  at=$(q "next(s['t'] for s in c['kernel'] if s['side'] == 'client' and s['ssthresh'] is not None)")
  ssthresh=$(q "next(s['ssthresh'] for s in c['kernel'] if s['side'] == 'client' and s['ssthresh'] is not None)")
  lost=$(q "next(s['retrans'] for s in c['kernel'] if s['side'] == 'client' and s['ssthresh'] is not None)")
  if [[ $lost -gt 0 ]]; then
    why="the queue overflowed, segments were lost ($lost retransmitted so far), and the sender set ssthresh to about half its window"
  else
    cc=$(cat /proc/sys/net/ipv4/tcp_congestion_control 2>/dev/null || echo unknown)
    if [[ $cc == cubic ]]; then
      why="before any loss: Linux's CUBIC saw the round-trip time rise as the bottleneck's queue filled (HyStart) and left slow start, setting ssthresh to its window"
    else
      why="before any loss: the congestion control ($cc) left slow start on its own signal, setting ssthresh"
    fi
  fi
  answer "At $at s, ssthresh = $ssthresh segments: $why. Above ssthresh the window grows by about one segment per round trip (congestion avoidance), and a loss later cuts it down again -- look for the drops in the list above." ok ok
fi
say "" "The capture and its timeline (with the kernel's samples) are in $work:" \
       "open web/dist/index.html, choose \"Open timeline...\" and pick slow-start.json" \
       "to see the cwnd curve beside the segments."
lab_end
