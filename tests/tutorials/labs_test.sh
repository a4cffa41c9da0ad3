#!/usr/bin/env bash
# Runs every lab in tutorials/labs with --check: each must finish, ask its
# questions, and find TCP's rules holding in the packets. Then runs lab 1
# against a tcpviz that lies about one number, to see the checks catch it.
# Lab 6 captures live traffic and needs root (CI runs as root): without it
# this test fails, it does not skip.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${TCPVIZ:?set TCPVIZ to the tcpviz executable}"
export TCPVIZ
# Lab 6 leaves its capture in a directory under TMPDIR: a private one, removed at the end.
scratch=$(mktemp -d)
export TMPDIR=$scratch
trap 'rm -rf "$scratch"' EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }

for lab in "$root"/tutorials/labs/[0-9][0-9]-*.sh; do
  name=$(basename "$lab")
  if [[ $name == 06-* && $(id -u) -ne 0 ]]; then
    fail "$name captures live traffic and must run as root (CI does)"
    continue
  fi
  out=$("$lab" --check 2>&1)
  status=$?
  questions=$(grep -c '^Q: ' <<<"$out")
  answers=$(grep -c '^A: ' <<<"$out")
  if [[ $status -ne 0 ]]; then
    fail "$name exited $status"
    echo "$out" | tail -20
  elif [[ $questions -lt 3 || $answers -ne $questions ]]; then
    fail "$name asked $questions questions and answered $answers"
  elif grep -q '^lab: \|Traceback\|CHECK FAILED' <<<"$out"; then
    fail "$name printed an error"
    echo "$out" | tail -20
  else
    echo "ok   $name: $questions questions answered from the packets"
  fi
done

# A tcpviz whose timeline says the SYN-ACK acknowledges the client's ISN + 2.
liar=$scratch/liar
mkdir "$liar"
cat >"$liar/tcpviz" <<LIAR
#!/usr/bin/env bash
"$TCPVIZ" "\$@" || exit
for ((i = 1; i <= \$#; i++)); do
  if [[ \${!i} == -o ]]; then j=\$((i + 1)); out=\${!j}; fi
done
[[ -n \${out:-} ]] && python3 - "\$out" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
for e in t["events"]:
    if "SYN" in e["flags"] and "ACK" in e["flags"]:
        e["ack_raw"] = (e["ack_raw"] + 1) % 2**32
json.dump(t, open(sys.argv[1], "w"))
PY
exit 0
LIAR
chmod +x "$liar/tcpviz"
out=$(TCPVIZ="$liar/tcpviz" "$root/tutorials/labs/01-handshake.sh" --check 2>&1)
status=$?
if [[ $status -eq 1 ]] && grep -q '^CHECK FAILED: got [0-9]*, expected [0-9]*$' <<<"$out"; then
  echo "ok   01-handshake.sh --check rejects a SYN-ACK that acknowledges ISN + 2"
else
  fail "01-handshake.sh --check accepted a SYN-ACK that acknowledges ISN + 2 (exit $status)"
  echo "$out" | tail -5
fi

# A question that cannot be answered ends a lab with an error, not an "ok".
out=$("$root/tutorials/labs/05-teardown.sh" --capture "$root/tests/captures/refused.pcap" 2>&1)
status=$?
if [[ $status -ne 0 ]] && grep -q '^lab: ' <<<"$out"; then
  echo "ok   a capture a lab cannot use ends it with an error (exit $status)"
else
  fail "05-teardown.sh on refused.pcap exited $status without an error line"
fi
exit $failed
