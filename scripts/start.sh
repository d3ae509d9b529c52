#!/usr/bin/env bash
# One command: set up (venv, requirements, demo data if missing) and run the dashboard.
# Extra arguments go to `streamlit run` (e.g. --server.port 8502).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" requirements.txt
if ! .venv/bin/python -c 'import sys; from desasadar import snapshots; sys.exit(not snapshots.published())' 2>/dev/null; then
  echo "No snapshot yet: building the demo data (about a minute)…"
  .venv/bin/python -m desasadar demo
fi
# desasadar.serve = `streamlit run dashboard.py`, with the current snapshot opened and warmed at start.
exec .venv/bin/python -m desasadar.serve "$@"
