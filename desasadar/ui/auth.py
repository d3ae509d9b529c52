"""Who is looking. Demo mode until sign-in is configured (see issue: roles and scope)."""
from __future__ import annotations

import streamlit as st

from ..access import DEMO_VIEWER, Viewer

ALL_PAGES = {"", "peringkat", "peta", "desa", "peresmian", "data"}


def current_viewer() -> Viewer:
    return DEMO_VIEWER


def pages_for(viewer: Viewer) -> set[str]:
    """URL paths of the pages this viewer may open."""
    return ALL_PAGES if viewer.can_publish or viewer.demo_mode else ALL_PAGES - {"data"}


def no_access(viewer: Viewer) -> None:
    st.error("Anda belum memiliki akses ke dasbor ini. / You have no access to this dashboard.")
