#!/usr/bin/env bash
# Checks the layout of the C and C++ code (clang-format, with the
# .clang-format files of the repository) and the page's JavaScript (ESLint,
# web/eslint.config.js). Exits 1 on any finding, 2 when a tool is missing.
#
#   scripts/lint.sh               check everything
#   scripts/lint.sh --fix         apply clang-format and eslint --fix, then check
#   scripts/lint.sh [--fix] PATH...   only these files or folders
#
# ESLint comes from web/node_modules (npm ci, pinned in web/package-lock.json);
# clang-format from Debian (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

fix=0
if [[ ${1:-} == --fix ]]; then
  fix=1
  shift
fi
paths=("$@")

# The files to look at: tracked ones (a build folder or node_modules never
# counts), or what is on disk when this is not a git checkout.
list_files() {  # PATTERN...
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -- "$@"
  else
    local args=()
    for p in "$@"; do args+=(-o -path "./$p"); done
    find . \( -name 'build*' -o -name node_modules -o -name .git \) -prune -o -type f \( -false "${args[@]}" \) -print |
      sed 's|^\./||'
  fi
}

# Keeps the files that lie under one of the PATHs given (all when none).
within_paths() {
  if ((${#paths[@]} == 0)); then
    cat
    return
  fi
  local f p
  while IFS= read -r f; do
    for p in "${paths[@]}"; do
      p=${p%/}
      p=${p#./}
      if [[ $f == "$p" || $f == "$p"/* || $p == . ]]; then
        echo "$f"
        break
      fi
    done
  done
}

status=0

# ---- C and C++: clang-format
if ! command -v clang-format >/dev/null 2>&1; then
  echo "lint: error: clang-format not found: run scripts/setup.sh" >&2
  exit 2
fi
mapfile -t cxx_files < <(list_files '*.c' '*.h' '*.cc' '*.cpp' '*.hpp' | within_paths)
if ((${#cxx_files[@]} > 0)); then
  if ((fix)); then
    clang-format -i "${cxx_files[@]}"
  fi
  report=$(clang-format --dry-run -Werror "${cxx_files[@]}" 2>&1) || true
  if [[ -n $report ]]; then
    mapfile -t unformatted < <(grep -oE '^[^: ]+:[0-9]+:[0-9]+: error' <<<"$report" | cut -d: -f1 | sort -u)
    head -n 40 <<<"$report"
    echo "lint: ${#unformatted[@]} C/C++ file(s) not in the layout of .clang-format (scripts/lint.sh --fix formats them):"
    printf '  %s\n' "${unformatted[@]}"
    status=1
  else
    echo "lint: clang-format: ${#cxx_files[@]} C/C++ files ok"
  fi
fi

# ---- the page: ESLint over web/src, web/build.mjs and web/test
mapfile -t js_files < <(list_files 'web/src/*.js' 'web/build.mjs' 'web/test/*.js' 'web/test/*.mjs' 'web/eslint.config.js' |
  within_paths | sed 's|^web/||')
if ((${#js_files[@]} > 0)); then
  if [[ ! -x web/node_modules/.bin/eslint ]]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "lint: error: npm not found (ESLint is installed with it): run scripts/setup.sh" >&2
      exit 2
    fi
    echo "lint: installing the page's tools (npm ci in web/)"
    (cd web && npm ci --no-audit --no-fund >/dev/null)
  fi
  eslint_args=(--max-warnings 0)
  ((fix)) && eslint_args+=(--fix)
  if (cd web && node_modules/.bin/eslint "${eslint_args[@]}" "${js_files[@]}"); then
    echo "lint: eslint: ${#js_files[@]} JavaScript files ok"
  else
    echo "lint: eslint found problems (above); scripts/lint.sh --fix mends those it can"
    status=1
  fi
fi

exit "$status"
