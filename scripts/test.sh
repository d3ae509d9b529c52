#!/usr/bin/env bash
# One command: set up (venv, dev requirements, Debian chromium for the browser tests) and run every test.
# Extra arguments go to pytest (e.g. -m "not browser" for a quick run without the browser).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian chromium for the browser tests…"
    apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium' first." >&2
    exit 2
  fi
fi
# The accessibility test injects axe-core, which it installs with npm into .cache/ (npm registry, pinned).
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian npm for the accessibility test…"
    apt-get update -qq && apt-get install -y -qq npm >/dev/null
  else
    echo "The accessibility test needs npm: run 'sudo apt-get install npm' first." >&2
    exit 2
  fi
fi
exec .venv/bin/python -m pytest "$@"
