#!/usr/bin/env bash
# The .deb a lab admin installs works without the source or build tree:
# pack the test build's programs (scripts/package.sh --from-build: the same
# install rules and lintian check as the Release package; no second build in
# CI's time), unpack it into a scratch root with dpkg-deb -x, and from there,
# in another working directory with a bare environment, run tcpviz --version,
# an analysis with --html whose page must come from the unpacked
# /usr/share/tcpviz/web, a lab, and man -l.
#
#   tests/package/package_test.sh BUILD_DIR
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${1:?usage: package_test.sh BUILD_DIR}

for tool in dpkg-deb lintian man gzip; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (scripts/setup.sh installs it)" >&2; exit 1; }
done

fail() { echo "FAIL: $*" >&2; exit 1; }

deb=$("$src/scripts/package.sh" --reuse-web --from-build "$build_dir" | tail -n 1)
[[ -f $deb ]] || fail "scripts/package.sh printed no .deb path"
echo "package: $deb"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tcpviz-package-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
dpkg-deb -x "$deb" "$scratch/root"
root=$scratch/root

for f in usr/bin/tcpviz usr/bin/tcpviz-classic-server usr/bin/tcpviz-classic-client \
         usr/share/tcpviz/web/index.html usr/share/tcpviz/web/report-template.html \
         usr/share/tcpviz/tutorials/README.md usr/share/tcpviz/tutorials/labs/01-handshake.sh \
         usr/share/tcpviz/tests/captures/handshake_data_fin.pcap \
         usr/share/man/man1/tcpviz.1.gz usr/share/man/man1/tcpviz-classic-server.1.gz \
         usr/share/man/man1/tcpviz-classic-client.1.gz usr/share/doc/tcpviz/copyright; do
  [[ -e $root/$f ]] || fail "the package has no /$f"
done
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
[[ $depends == *libpcap0.8* ]] || fail "Depends does not name libpcap0.8: $depends"

# Mark the unpacked page: a report that carries the mark was made from it.
mark="<!-- tcpviz package test $$ -->"
printf '%s\n' "$mark" >>"$root/usr/share/tcpviz/web/report-template.html"

# Run from elsewhere with nothing of the clone in the environment.
work=$scratch/work
mkdir -p "$work"
cp "$root/usr/share/tcpviz/tests/captures/handshake_data_fin.pcap" "$work/"
run() { (cd "$work" && env -i PATH="$root/usr/bin:/usr/bin:/bin" HOME="$work" LANG=C.UTF-8 "$@"); }

version=$(run tcpviz --version)
[[ $version == "tcpviz "[0-9]* ]] || fail "tcpviz --version printed '$version'"
[[ $(run sh -c 'command -v tcpviz') == "$root/usr/bin/tcpviz" ]] || fail "PATH does not find the unpacked tcpviz"

run tcpviz analyze handshake_data_fin.pcap --html out.html -o out.json -q
grep -qF "$mark" "$work/out.html" || fail "the report's page did not come from the unpacked /usr/share/tcpviz/web"
grep -q '"events"' "$work/out.html" || fail "the report holds no timeline"
grep -q '__TCPVIZ_TIMELINE__' "$work/out.html" && fail "the report still has the template's placeholder"
python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); assert len(t["events"]) > 0' "$work/out.json" \
  || fail "the timeline has no events"

# Without the unpacked page there is no other to fall back on (no build or source tree).
mv "$root/usr/share/tcpviz/web/report-template.html" "$scratch/hidden.html"
status=0
run tcpviz analyze handshake_data_fin.pcap --html again.html -o /dev/null -q 2>"$work/err" || status=$?
[[ $status == 2 ]] || fail "with the page removed, analyze --html exited $status, not 2 (did it find a build tree?)"
grep -q '^tcpviz: error: ' "$work/err" || fail "no one-line error without the page: $(cat "$work/err")"
mv "$scratch/hidden.html" "$root/usr/share/tcpviz/web/report-template.html"
# (The test build's binary names its source tree, but looks there only while
# it runs inside its build tree: the check above is what matters.)

# A lab, run from the unpacked share dir with the unpacked tcpviz on PATH.
run bash "$root/usr/share/tcpviz/tutorials/labs/01-handshake.sh" >"$work/lab.txt" 2>&1 \
  || { cat "$work/lab.txt"; fail "lab 01-handshake failed from the package"; }
grep -q 'SYN' "$work/lab.txt" || fail "the lab printed no ladder"

# The man page renders without a warning and names every subcommand.
man_err=$(MANWIDTH=80 man --warnings -l "$root/usr/share/man/man1/tcpviz.1.gz" 2>&1 >"$work/man.txt") || fail "man -l failed"
[[ -z $man_err ]] || fail "man --warnings: $man_err"
for cmd in analyze capture replay site demo "chat server" "chat client" lab serve classroom; do
  grep -q "tcpviz $cmd" "$work/man.txt" || fail "the man page does not show 'tcpviz $cmd'"
done

# Every program's shared libraries resolve from the system alone.
for program in tcpviz tcpviz-classic-server tcpviz-classic-client; do
  libs=$(ldd "$root/usr/bin/$program") || fail "ldd $program failed"
  if grep -q 'not found' <<<"$libs"; then fail "$program: $libs"; fi
done
echo "package test: ok"
