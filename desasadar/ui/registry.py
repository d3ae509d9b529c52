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


PAGES = (
    Page("pages/ringkasan.py", "nav.ringkasan", "", ":material/speed:"),
    Page("pages/peringkat.py", "nav.peringkat", "peringkat", ":material/leaderboard:"),
    Page("pages/peta.py", "nav.peta", "peta", ":material/map:"),
    Page("pages/desa.py", "nav.desa", "desa", ":material/holiday_village:"),
    Page("pages/peresmian.py", "nav.peresmian", "peresmian", ":material/celebration:"),
    Page("pages/data.py", "nav.data", "data", ":material/database:", officers_only=True),
    Page("pages/metodologi.py", "nav.metodologi", "metodologi", ":material/menu_book:"),
)
ALL_PAGES = frozenset(p.url_path for p in PAGES)


def pages_for(viewer: Viewer) -> set[str]:
    """URL paths of the pages this viewer may open: the Data page only for data officers
    (and, read-only, in demo mode so the two-command start shows it)."""
    return {p.url_path for p in PAGES if not p.officers_only or viewer.can_publish or viewer.demo_mode}
