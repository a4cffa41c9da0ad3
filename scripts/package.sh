#!/usr/bin/env bash
# Builds tcpviz's Debian package: a Release build in its own directory, the
# web page, CPack's .deb, then lintian over it (any error fails). Prints the
# .deb's path as the last line of standard output.
#
#   scripts/package.sh                   build into build-package/
#   scripts/package.sh DIR               build into DIR
#   scripts/package.sh --reuse-web [DIR] use web/dist as it is (tests: already built)
#   scripts/package.sh --reuse-web --from-build DIR
#                                        no build of its own: pack DIR, a build
#                                        tree whose programs are built (the
#                                        package test packs the test build)
#
# Install the result with: sudo apt install ./build-package/tcpviz_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

reuse_web=0
from_build=0
if [[ ${1:-} == --reuse-web ]]; then reuse_web=1; shift; fi
if [[ ${1:-} == --from-build ]]; then from_build=1; shift; fi
build_dir=${1:-build-package}
jobs=${JOBS:-2}

for tool in cmake cpack dpkg-shlibdeps lintian; do
  command -v "$tool" >/dev/null || { echo "package: error: $tool not found; run scripts/setup.sh" >&2; exit 2; }
done

# The page: built by npm, not by CMake (web/build.mjs writes web/dist).
if ((reuse_web == 0)) || [[ ! -f web/dist/report-template.html ]]; then
  echo "== web page (web/dist)" >&2
  (cd web && { [[ -d node_modules ]] || npm ci --no-audit --no-fund >&2; } && node build.mjs >&2)
fi

# The package's maintainer: Debian's variables, else git's identity.
name=${DEBFULLNAME:-$(git config user.name 2>/dev/null || true)}
email=${DEBEMAIL:-$(git config user.email 2>/dev/null || true)}
if [[ -z $name || -z $email ]]; then
  # A fresh clone in CI has no identity: build a local package and say so.
  name="tcpviz local build"
  email="root@localhost"
  echo "package: no DEBFULLNAME/DEBEMAIL or git identity: the maintainer is \"$name <$email>\"" >&2
fi

if ((from_build)); then
  [[ -f $build_dir/CPackConfig.cmake ]] || { echo "package: error: $build_dir is not a configured build tree" >&2; exit 2; }
  for program in tcpviz tcpviz-classic-server tcpviz-classic-client; do
    [[ -x $build_dir/$program ]] || { echo "package: error: $build_dir/$program is not built" >&2; exit 2; }
  done
else
  echo "== Release build ($build_dir)" >&2
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DTCPVIZ_BUILD_TESTS=OFF \
    -DTCPVIZ_PACKAGE=ON "-DTCPVIZ_PACKAGE_MAINTAINER=$name <$email>" -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON "${launcher[@]}" >&2
  # Only what the package holds (not the benchmark peers).
  cmake --build "$build_dir" -j"$jobs" \
    --target tcpviz tcpviz-classic-server tcpviz-classic-client tcpviz_package_docs >&2
fi

echo "== cpack -G DEB" >&2
rm -f "$build_dir"/tcpviz_*.deb
(cd "$build_dir" && cpack -G DEB >&2)
debs=("$build_dir"/tcpviz_*.deb)
[[ -f ${debs[0]} ]] || { echo "package: error: cpack made no .deb in $build_dir" >&2; exit 2; }
deb=$(cd "$(dirname "${debs[0]}")" && pwd)/$(basename "${debs[0]}")

echo "== lintian" >&2
# lintian's own exit status depends on its version's --fail-on default: read its tags.
report=$(lintian --tag-display-limit 0 "$deb" 2>&1 || true)
[[ -n $report ]] && echo "$report" >&2
if grep -q '^E: ' <<<"$report"; then
  echo "package: error: lintian found errors in $deb" >&2
  exit 1
fi
echo "$deb"
