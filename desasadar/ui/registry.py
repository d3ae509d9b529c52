"""The dashboard's pages and who may open which: the one list dashboard.py navigates and auth.py guards.

A new page is one line here (its file in pages/, its title key in locale/, its URL path, its icon).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..access import Viewer


@dataclass(frozen=True)
class Page:
    file: str  # relative to the repository root
    title_key: str  # i18n key of the navigation title
    url_path: str  # "" for the home page
    icon: str  # a :material/...: name (drawn from Streamlit's bundled font, no outside host)
    officers_only: bool = False  # the Data page: data officers (and demo mode, read-only)
    full_screen_with: str | None = None  # a URL parameter that makes the page a full-screen view (the ceremony)


PAGES = (
    Page("pages/ringkasan.py", "nav.ringkasan", "", ":material/speed:"),
    Page("pages/peringkat.py", "nav.peringkat", "peringkat", ":material/leaderboard:"),
    Page("pages/peta.py", "nav.peta", "peta", ":material/map:"),
    Page("pages/desa.py", "nav.desa", "desa", ":material/holiday_village:"),
    Page("pages/peresmian.py", "nav.peresmian", "peresmian", ":material/celebration:", full_screen_with="desa"),
    Page("pages/data.py", "nav.data", "data", ":material/database:", officers_only=True),
    Page("pages/metodologi.py", "nav.metodologi", "metodologi", ":material/menu_book:"),
)
ALL_PAGES = frozenset(p.url_path for p in PAGES)


def pages_for(viewer: Viewer) -> set[str]:
    """URL paths of the pages this viewer may open: the Data page only for data officers
    (and, read-only, in demo mode so the two-command start shows it)."""
    return {p.url_path for p in PAGES if not p.officers_only or viewer.can_publish or viewer.demo_mode}


def full_screen(url_path: str, query_params) -> bool:
    """Whether this run shows a page as a full-screen view (the ceremony slide at /peresmian?desa=...): the
    shell then draws nothing above it, and the page draws the shell's header itself if it cannot show the view."""
    page = next((p for p in PAGES if p.url_path == url_path), None)
    return bool(page and page.full_screen_with and query_params.get(page.full_screen_with))
