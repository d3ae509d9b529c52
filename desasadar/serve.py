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
    # The app is st.navigation's (dashboard.py), not Streamlit's old pages/ mode, which a fresh server assumes
    # while a pages/ folder exists: its first visitor's run would only reach desasadar.ui.guard, switch it off
    # and start again (about 0.6 s of that visitor's wait). Plain `streamlit run` still goes through the guard.
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    warm.visit_own_pages_after_warming()
    warm.ensure_watcher()
    threading.Thread(target=warm.preload_modules, name="dsjs-preload", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(paths.ROOT / "dashboard.py"), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
