#!/usr/bin/env bash
# One lab scenario, end to end, as CI runs it (root, namespaces, no netem):
#  1. live, in Chinese: exits 0 with "已出现" (its phenomenon was seen), answers
#     every question, and prints no English word outside the ladder, the
#     commands, numbers and identifiers;
#  2. the same questions in English on the timeline it wrote (--capture);
#  3. against a tcpviz that lies (TCPVIZ_LAB_LIE=1 doctors the timeline on
#     loading): the check must catch it, exit 1 with "NOT SEEN";
#  4. nothing left behind: the namespaces it printed are gone.
# With LESSONS_WORKDIR set (the normal build), the live runs are the lessons'
# own: every lesson command of this lab runs there (lesson_commands.py --lab,
# English and Chinese, reports kept for the screenshots) and its Chinese run
# is the one checked here, so no lab runs live more often than the lessons
# ask. Without it (the sanitizer build), the lab runs live once, here.
# Usage: lab_scenario_test.sh SCENARIO   (TCPVIZ: the tcpviz executable)
set -uo pipefail
: "${TCPVIZ:?set TCPVIZ to the tcpviz executable}"
name=${1:?usage: lab_scenario_test.sh SCENARIO}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
fail() { echo "FAIL: $name: $*"; failed=1; }

needs_root=$("$TCPVIZ" lab --list | awk -v n="$name" '$1 == n { print ($0 ~ /needs root/) }')
[[ -n $needs_root ]] || { echo "FAIL: $name is not in tcpviz lab --list"; exit 1; }
if [[ $(id -u) -ne 0 ]]; then
  echo "FAIL: $name: the lab tests capture live traffic and must run as root (CI does)"
  exit 1
fi

# 1. Live, in Chinese: the lessons' run, or one of its own.
if [[ -n ${LESSONS_WORKDIR:-} ]]; then
  if ! python3 "$here/../tutorials/lesson_commands.py" "$LESSONS_WORKDIR" --lab "$name" --zh-output "$scratch/zh.txt"; then
    fail "a lesson command of this lab failed (above)"
    [[ -f $scratch/zh.txt ]] || exit 1
  fi
fi
if [[ -f $scratch/zh.txt ]]; then
  out=$(<"$scratch/zh.txt")
  status=0  # lesson_commands.py writes it only for a run that exited 0
  base=$LESSONS_WORKDIR
else
  out=$("$TCPVIZ" lab "$name" --lang zh --out "$scratch/run" 2>&1)
  status=$?
  echo "$out" >"$scratch/zh.txt"
  base=$scratch
fi
if [[ $status -ne 0 ]] || ! grep -q '^已出现：' <<<"$out"; then
  fail "live run exited $status without 已出现 (its phenomenon)"
  tail -40 <<<"$out"
fi
questions=$(grep -c '^问题 [0-9]*：' <<<"$out")
answers=$(grep -c '^答案 [0-9]*：' <<<"$out")
[[ $questions -ge 2 && $questions -eq $answers ]] || fail "asked $questions questions, answered $answers"
grep -q 'None\|null' <<<"$(grep -v '^ *[0-9]\+ \+[0-9]\+\.[0-9]' <<<"$out")" && fail "printed None or null"
python3 "$here/chinese_only.py" "$scratch/zh.txt" || fail "English words in the Chinese output (above)"

# 4. Nothing left behind.
for ns in $(grep -o 'ip netns add [^ ]*' <<<"$out" | awk '{print $4}'); do
  if ip netns list | grep -qw "$ns"; then fail "namespace $ns left behind"; ip netns del "$ns"; fi
done

# 2. English, on the timeline it wrote (the path it printed, relative to
# where it ran when the lesson gave a relative --out).
timeline=$(sed -n 's/^时间线：\([^（]*\)（.*/\1/p' <<<"$out" | head -1)
[[ -z $timeline || $timeline == /* ]] || timeline="$base/$timeline"
if [[ -f $timeline ]]; then
  # From where it ran: a lesson's relative --out is how the timeline names
  # its capture and the programs' output beside it.
  out=$(cd "$base" && "$TCPVIZ" lab "$name" --capture "$timeline" --out "$scratch/again" 2>&1)
  status=$?
  if [[ $status -ne 0 ]] || ! grep -q '^SEEN: ' <<<"$out"; then
    fail "English run on its own timeline exited $status"
    tail -20 <<<"$out"
  fi
  grep -q '^A[0-9]*: this capture cannot answer' <<<"$out" && fail "a question its own timeline cannot answer"
  # 3. A tcpviz that lies.
  out=$(cd "$base" && TCPVIZ_LAB_LIE=1 "$TCPVIZ" lab "$name" --capture "$timeline" --out "$scratch/lie" 2>&1)
  status=$?
  if [[ $status -ne 1 ]] || ! grep -q '^NOT SEEN: ' <<<"$out"; then
    fail "the check accepted a doctored timeline (exit $status)"
    grep -A2 '^-- Check' <<<"$out"
  fi
else
  fail "no timeline at $timeline"
fi
[[ $failed -eq 0 ]] && echo "ok   $name: seen live, answered in Chinese and English, rejects a lying timeline"
exit $failed
