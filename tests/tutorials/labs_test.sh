#!/usr/bin/env bash
# Runs every lab in tutorials/labs: each (but 02) is one call of `tcpviz lab`
# on a recorded capture (06 live, as root: CI runs as root; without root this
# test fails, it does not skip). Each must finish with its phenomenon SEEN and
# answer every question it asks. Lab 02 still uses lab.sh's --check. Then lab
# 01 against a tcpviz that lies (TCPVIZ_LAB_LIE doctors the timeline), and a
# lab on a capture it cannot use: both must fail.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${TCPVIZ:?set TCPVIZ to the tcpviz executable}"
export TCPVIZ
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
  if [[ $name == 02-* ]]; then
    out=$("$lab" --check 2>&1)
    status=$?
    questions=$(grep -c '^Q: ' <<<"$out")
    answers=$(grep -c '^A: ' <<<"$out")
    if [[ $status -ne 0 || $questions -lt 3 || $answers -ne $questions ]] || grep -q '^lab: \|Traceback\|CHECK FAILED' <<<"$out"; then
      fail "$name exited $status, $questions questions, $answers answers"
      tail -20 <<<"$out"
    else
      echo "ok   $name: $questions questions answered from the packets"
    fi
    continue
  fi
  out=$("$lab" --out "$scratch/$name" 2>&1)
  status=$?
  questions=$(grep -c '^Q[0-9]*: ' <<<"$out")
  answers=$(grep -c '^A[0-9]*: ' <<<"$out")
  if [[ $status -ne 0 ]] || ! grep -q '^SEEN: ' <<<"$out"; then
    fail "$name exited $status without SEEN"
    tail -20 <<<"$out"
  elif [[ $questions -lt 3 || $answers -ne $questions ]]; then
    fail "$name asked $questions questions and answered $answers"
  elif grep -q 'None\|Traceback' <<<"$out"; then
    fail "$name printed None or a traceback"
  else
    echo "ok   $name: $questions questions answered from the packets, its phenomenon seen"
  fi
done

out=$(TCPVIZ_LAB_LIE=1 "$root/tutorials/labs/01-handshake.sh" --out "$scratch/lie" 2>&1)
status=$?
if [[ $status -eq 1 ]] && grep -q '^NOT SEEN: ' <<<"$out"; then
  echo "ok   01-handshake.sh rejects a timeline that lies"
else
  fail "01-handshake.sh accepted a lying timeline (exit $status)"
fi

out=$("$root/tutorials/labs/05-teardown.sh" --capture "$root/tests/captures/refused.pcap" --out "$scratch/refused" 2>&1)
status=$?
if [[ $status -eq 1 ]] && grep -q 'cannot answer' <<<"$out" && grep -q '^NOT SEEN: ' <<<"$out" && ! grep -q None <<<"$out"; then
  echo "ok   a capture a lab cannot use says so and fails (exit $status)"
else
  fail "05-teardown.sh on refused.pcap exited $status without saying it cannot answer"
fi
exit $failed
