# Shared by the numbered labs (sourced, not run): each is now one call of
# `tcpviz lab SCENARIO`, on the recorded capture the lab names unless you give
# your own with --capture FILE. Every other option goes to tcpviz lab
# (--lang zh, --pause, --quiz, --out DIR, --html).
set -euo pipefail
lab_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tcpviz=${TCPVIZ:-$lab_root/build/tcpviz}
# Installed from the package: no build tree, the tcpviz on PATH.
if [[ -z ${TCPVIZ:-} && ! -x $tcpviz ]] && command -v tcpviz >/dev/null; then tcpviz=$(command -v tcpviz); fi

run_lab() {  # run_lab SCENARIO [DEFAULT_CAPTURE] "$@"
  local scenario=$1 capture=${2:-}
  shift 2
  if [[ ! -x $tcpviz ]]; then
    echo "lab: $tcpviz not found; build it first with scripts/demo.sh or scripts/test.sh (or set TCPVIZ)" >&2
    exit 2
  fi
  local args=("$@")
  if [[ -n $capture && " ${args[*]} " != *" --capture "* ]]; then
    args+=(--capture "$lab_root/$capture")
  fi
  exec "$tcpviz" lab "$scenario" "${args[@]}"
}
