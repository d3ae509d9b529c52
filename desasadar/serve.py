"""Run the dashboard with the current snapshot warm before the first visitor:

    python -m desasadar.serve [streamlit run options, e.g. --server.port 8502]

Starts the warm-up thread (desasadar.warm), then Streamlit's own `streamlit run dashboard.py`
in this same process, so the pages find the snapshot already open and its first answers cached.
"""
from __future__ import annotations

import sys
import threading

from . import paths, warm


def main(argv: list[str] | None = None) -> int:
    warm.ensure_watcher()
    threading.Thread(target=warm.preload_modules, name="dsjs-preload", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(paths.ROOT / "dashboard.py"), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
