#!/usr/bin/env bash
# One command: set up (venv, dev requirements, Debian chromium for the browser tests) and run every test.
# Extra arguments go to pytest (e.g. -m "not browser" for a quick run without the browser).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" requirements-dev.txt
# Debian packages the tests drive for real: chromium (pages) and nginx (replicas, deploy/).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian ${missing[*]} for the browser and replica tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    # The package starts a system nginx on port 80 where it can; the tests run their own.
    { command -v systemctl >/dev/null && systemctl disable --now nginx; } >/dev/null 2>&1 || true
    { [ -x /etc/init.d/nginx ] && /etc/init.d/nginx stop; } >/dev/null 2>&1 || true
  else
    echo "The browser and replica tests need Debian's ${missing[*]}: run 'sudo apt-get install ${missing[*]}' first." >&2
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
# Two test processes (pytest-xdist), a file each at a time: on 2 cores the browser tests wait on chromium and the
# server about a third of the time. DSJS_TEST_WORKERS=0 runs in one process (for -s, pdb, or one file).
exec .venv/bin/python -m pytest -n "${DSJS_TEST_WORKERS:-2}" --dist loadfile "$@"
