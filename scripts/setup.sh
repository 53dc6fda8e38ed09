#!/usr/bin/env bash
# Create or update .venv/ at the repository root and install what barometer needs.
#   scripts/setup.sh            core + test dependencies (Python)
#   scripts/setup.sh --pdf      also the system libraries WeasyPrint needs for PDF (pango)
#   scripts/setup.sh --browser  also Debian's chromium (browser tests, screenshots) and nginx-light
#                               (smoke test of deploy/nginx/utforska.conf)
# Debian packages are installed with apt-get when we are root (or have sudo); otherwise the
# script says exactly which packages are missing and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
want_pdf=0; want_browser=0
for arg in "$@"; do
  case "$arg" in
    --pdf) want_pdf=1 ;;
    --browser) want_browser=1; want_pdf=1 ;;
  esac
done

apt_install() {
  local pkgs=("$@")
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "barometer: saknar Debian-paket: ${pkgs[*]}. Installera dem med: apt-get install -y ${pkgs[*]}" >&2
    exit 1
  fi
  echo "barometer: installerar Debian-paket: ${pkgs[*]}" >&2
  if ! $SUDO apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1; then
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null
  fi
}

# 1. python3 -m venv needs ensurepip (Debian: python3-venv)
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install "python${ver}-venv" || apt_install python3-venv
    "$PY" -m venv .venv
  fi
fi

# 2. Python packages, reinstalled only when the CONTENT of pyproject.toml (or the venv's Python)
#    changed. The stamp holds a hash of both; modification times are not compared, because a fresh
#    clone, a checkout or a merge gives pyproject.toml a new mtime without changing what to install.
stamp=.venv/.barometer-installed
want="$(sha256sum pyproject.toml | cut -d' ' -f1) $(.venv/bin/python -c 'import sys; print(sys.version)' | head -1)"
have=$(cat "$stamp" 2>/dev/null || true)
if [ -f "$stamp" ] && [ -z "$have" ] && [ ! pyproject.toml -nt "$stamp" ]; then
  have=$want   # stamp of the older setup.sh (empty file, newer than pyproject.toml): still valid
  echo "$want" > "$stamp"
fi
if [ "$have" != "$want" ]; then
  [ -f "$stamp" ] || .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[test]'
  echo "$want" > "$stamp"
fi

# 3. System libraries
missing=()
if [ "$want_pdf" = 1 ]; then
  ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0)
  ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || missing+=(libpangoft2-1.0-0)
  fc-list 2>/dev/null | grep -qi 'dejavu\|liberation\|noto' || missing+=(fonts-dejavu-core)
fi
if [ "$want_browser" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  apt_install "${missing[@]}"
fi
