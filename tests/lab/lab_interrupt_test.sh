#!/usr/bin/env bash
# Ctrl-C and SIGTERM in the middle of a live lab: it exits 130 and leaves no
# namespace (and so no veth, qdisc or iptables rule) behind.
set -uo pipefail
: "${TCPVIZ:?set TCPVIZ to the tcpviz executable}"
[[ $(id -u) -eq 0 ]] || { echo "FAIL: needs root (CI runs as root)"; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
for sig in INT TERM; do
  "$TCPVIZ" lab timeout --out "$scratch/$sig" >"$scratch/$sig.txt" 2>&1 &
  pid=$!
  for _ in $(seq 100); do ip netns list | grep -q "labs-$pid-" && break; sleep 0.05; done
  ip netns list | grep -q "labs-$pid-" || { echo "FAIL: SIG$sig: the lab made no namespace"; failed=1; }
  sleep 2
  kill -s "$sig" "$pid"
  wait "$pid"
  status=$?
  if [[ $status -ne 130 ]]; then echo "FAIL: SIG$sig: exit $status, not 130"; failed=1; fi
  if ip netns list | grep -q "labs-$pid-"; then echo "FAIL: SIG$sig: namespaces left: $(ip netns list | grep "labs-$pid-")"; failed=1; fi
  if pgrep -f "capture -i labs$pid" >/dev/null; then echo "FAIL: SIG$sig: a capture still runs"; failed=1; fi
  [[ $failed -eq 0 ]] && echo "ok   SIG$sig: exit 130, nothing left behind"
done
exit $failed
