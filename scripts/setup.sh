# Shared by start.sh and test.sh: a virtual environment with the pinned requirements.
# Usage: source scripts/setup.sh <requirements file>
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (found: $("$PY" --version 2>&1))." >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "Installing python3-venv…"
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      "$PY" -m venv .venv
    else
      echo "Cannot create a virtual environment: run 'sudo apt-get install python3-venv' first." >&2
      exit 2
    fi
  fi
fi
REQ=$1
STAMP=.venv/.installed-$(basename "$REQ")
if [ ! -f "$STAMP" ] || [ requirements.txt -nt "$STAMP" ] || [ "$REQ" -nt "$STAMP" ]; then
  echo "Installing $REQ into .venv…"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$REQ"
  touch "$STAMP"
fi
