#!/usr/bin/env bash
# Installs what tcpviz needs to build, run and test, from Debian's packages.
# Safe to run twice: it installs only the packages that are missing.
#
#   scripts/setup.sh          everything (build, demo, tests)
#
# Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config ninja-build   # ninja: scripts/test.sh builds with it
  libpcap-dev nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev
  libcpp-httplib-dev   # tcpviz serve: its pkg-config file pulls in libssl-dev, zlib1g-dev, libbrotli-dev
  # tests: tshark is the oracle, tcpdump/iproute2/iptables record captures
  tshark tcpdump iproute2 iptables python3 python3-jsonschema
  # fuzzing (scripts/fuzz.sh): libFuzzer comes with clang's runtime libraries
  clang libclang-rt-14-dev
  # scripts/lint.sh: the C/C++ layout (ESLint for the page comes from npm)
  clang-format
  # benchmarks
  iperf3 time
  # the .deb (scripts/package.sh): dpkg-shlibdeps and lintian
  dpkg-dev lintian man-db   # man-db: the package test renders the man page
  # browser tests of the web page
  chromium fonts-wqy-microhei   # a Chinese font for the page in headless Chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done

# Node and npm often come from outside Debian (nodesource, nvm); Debian's
# nodejs/npm packages conflict with those, so install them only when no npm
# is found at all.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if ((${#missing[@]} == 0)); then
  echo "setup: all packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "setup: error: missing packages (${missing[*]}) and not root; run as root or install sudo" >&2
    exit 2
  fi
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Answer wireshark-common's question (may non-root users capture?) up front so
# the install never stops at a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
