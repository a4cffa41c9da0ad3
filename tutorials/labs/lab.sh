# Shared by the labs (sourced, not run). A lab analyzes a capture with
# tcpviz, shows the ladder, then asks questions and answers them from the
# timeline JSON -- so every answer is read from real packets, not written in.
#
# Options every lab takes:
#   --capture FILE   use your own capture instead of the one the lab names
#   --lang en|zh     language of the ladder and its notes
#   --pause          wait for Enter before each answer (for a class)
#   --check          for the test suite: exit 1 if an answer is not what TCP says it must be
set -euo pipefail

lab_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The tcpviz built in a clone, else (installed from the package, where the labs
# live in /usr/share/tcpviz) the one on PATH.
tcpviz=${TCPVIZ:-$lab_root/build/tcpviz}
if [[ -z ${TCPVIZ:-} && ! -x $tcpviz ]] && command -v tcpviz >/dev/null; then
  tcpviz=$(command -v tcpviz)
fi
capture=""
lang=en
pause=0
check=0
failures=0

# Commands run when the lab ends, however it ends.
lab_cleanup=()
lab_on_exit() {
  local cmd
  for cmd in "${lab_cleanup[@]}"; do eval "$cmd" || true; done
}
trap lab_on_exit EXIT
trap 'exit 3' TERM  # sent by q when a question cannot be answered

lab_need_tcpviz() {
  if [[ ! -x $tcpviz ]]; then
    echo "lab: $tcpviz not found; build it first with scripts/demo.sh or scripts/test.sh (or set TCPVIZ)" >&2
    exit 2
  fi
}

lab_options() {  # lab_options DEFAULT_CAPTURE "$@"
  capture=$1
  [[ $capture == /* ]] || capture=$lab_root/$capture
  shift
  while [[ $# -gt 0 ]]; do
    case $1 in
      --capture) capture=${2:?--capture needs a file}; shift 2 ;;
      --lang) lang=${2:?--lang needs en or zh}; shift 2 ;;
      --pause) pause=1; shift ;;
      --check) check=1; shift ;;
      *) echo "usage: $0 [--capture FILE] [--lang en|zh] [--pause] [--check]" >&2; exit 2 ;;
    esac
  done
  lab_need_tcpviz
  if [[ -n ${lab_timeline:-} ]]; then
    lab_load_timeline "$lab_timeline"  # a timeline made while capturing
    return
  fi
  local file
  file=$(mktemp --suffix=.json)
  local cleanup
  printf -v cleanup 'rm -f %q' "$file"
  lab_cleanup+=("$cleanup")
  "$tcpviz" analyze "$capture" --format json -o "$file" --quiet
  lab_load_timeline "$file"
}

say() { printf '%s\n' "$@"; }

heading() { printf '\n== %s\n' "$1"; }

# The ladder of the capture, optionally only some frames: ladder [FIRST LAST]
ladder() {
  local args=("$capture" --format text --lang "$lang" --notes --quiet)
  if [[ $# -eq 2 ]]; then
    "$tcpviz" analyze "${args[@]}" | awk -v a="$1" -v b="$2" '
      /^ *[0-9]+ +[0-9]+\.[0-9]+ / { frame = $1 + 0; show = frame >= a && frame <= b }
      /^# tcpviz|^conn|^ frame/ { print; next }
      /^#/ { next }
      show'
  else
    "$tcpviz" analyze "${args[@]}"
  fi
}

# The answers come from one Python process that loads the timeline once and
# evaluates expressions over it: `t` is the whole JSON, `ev` its events, `c`
# the first connection and `cev` that connection's events, first(pred) the
# first of them matching, has(e, name) whether an event has that analysis name.
lab_python='
import json, sys
t = json.load(open(sys.argv[1]))
ev, c = t["events"], (t["connections"] or [None])[0]
cev = [e for e in ev if c is not None and e["conn"] == c["id"]]
def first(pred):
    return next((e for e in cev if pred(e)), None)
def has(e, name):
    return name in e["analysis"]
for expression in sys.stdin:
    try:
        print(eval(expression))
    except Exception as error:
        print("@@lab-error@@", repr(error), "in:", expression.strip())
    print("@@lab-end@@", flush=True)
'

lab_load_timeline() {  # lab_load_timeline FILE
  timeline=$1
  coproc LAB_PYTHON { exec python3 -u -c "$lab_python" "$timeline"; }
  lab_cleanup+=("kill $LAB_PYTHON_PID 2>/dev/null")
}

# q EXPRESSION: prints the value of a Python expression over the timeline.
# A question that cannot be answered ends the lab (exit 3), even from inside
# another command's arguments, where set -e would not see it.
q() {
  local line
  if [[ -n ${LAB_PYTHON[1]:-} ]] && printf '%s\n' "${1//$'\n'/ }" >&"${LAB_PYTHON[1]}" 2>/dev/null; then
    while IFS= read -r line <&"${LAB_PYTHON[0]}"; do
      [[ $line == @@lab-end@@ ]] && return 0
      if [[ $line == @@lab-error@@* ]]; then
        echo "lab: cannot answer from this capture: ${line#@@lab-error@@ }" >&2
        kill -s TERM $$
        return 1
      fi
      printf '%s\n' "$line"
    done
  fi
  echo "lab: the Python answering questions ended (is the timeline valid JSON?)" >&2
  kill -s TERM $$
  return 1
}

ask() {  # ask QUESTION
  printf '\nQ: %s\n' "$1"
  if [[ $pause -eq 1 ]]; then read -r -p "   (Enter for the answer) " _ </dev/tty || true; fi
}

# answer TEXT ACTUAL EXPECTED: prints the answer; with --check, the actual
# value read from the capture must equal what TCP's rules say it must be.
answer() {
  printf 'A: %s\n' "$1"
  if [[ $check -eq 1 && "$2" != "$3" ]]; then
    printf 'CHECK FAILED: got %s, expected %s\n' "$2" "$3" >&2
    failures=$((failures + 1))
  fi
}

lab_end() {
  if [[ $check -eq 1 && $failures -gt 0 ]]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
}
