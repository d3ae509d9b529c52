"""A visitor that speaks Streamlit's WebSocket protocol as a browser does, without the browser: for tests of a
real server (tests/test_own_visit.py) and the benchmarks (scripts/bench_app.py --first-script)."""
from __future__ import annotations

from desasadar import warm


def visit(url: str, headers: dict | None = None) -> tuple[bool, float]:
    """A new visitor opening / until its script run has finished: (finished successfully, seconds from the first
    message to the end of the run). The server's own visit (desasadar.warm.open_pages) speaks the same."""
    [result] = warm.open_pages(url, [""], headers)
    return result
