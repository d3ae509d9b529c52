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
    _keep_compiled_scripts()
    _page_requests_are_visitors()
    warm.visit_own_pages_after_warming()
    warm.ensure_watcher()
    threading.Thread(target=warm.preload_modules, name="dsjs-preload", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(paths.ROOT / "dashboard.py"), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


class _PageRequests:
    """Streamlit's static files, telling the warm-up when a browser asks for a page (not for an asset)."""

    def __init__(self, static_app):
        self.static_app = static_app

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and "/_stcore/" not in path and "." not in path.rsplit("/", 1)[-1]:
            warm.visitor_arrived({})
        await self.static_app(scope, receive, send)


def _keep_compiled_scripts() -> None:
    """Keep the compiled scripts when the last session ends. Streamlit empties its script cache whenever no
    session is connected (so a file edited while nobody watched is read again), and the next visitor's run
    compiles dashboard.py and its page again, Streamlit's "magic" pass included: every visitor to a server with
    nobody else on it, and the first after the server's own visit of its pages. Without a file watcher (the
    served configuration, .streamlit/config.toml) the files do not change under a running server: new code
    means a restart. With one (`--server.fileWatcherType auto` while editing) the cache is emptied as before."""
    from streamlit import config
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    original = ScriptCache.clear

    def clear(self) -> None:
        if config.get_option("server.fileWatcherType") != "none":
            original(self)

    ScriptCache.clear = clear


def _page_requests_are_visitors() -> None:
    """A visitor's browser asks for the page about a second before its script runs (it loads Streamlit's code
    first): the warm-up steps aside from that request on, not only from the script run (first visit 3 s after a
    start: `scripts/bench_app.py --page-requests 6`, 2.43 s -> 1.94 s, medians of 6)."""
    from streamlit.web.server.starlette import starlette_static_routes as routes

    original = routes.create_streamlit_static_handler

    def create(directory: str, base_url: str | None):
        return _PageRequests(original(directory=directory, base_url=base_url))

    routes.create_streamlit_static_handler = create


if __name__ == "__main__":
    sys.exit(main())
