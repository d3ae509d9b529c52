"""Keep deep links going through dashboard.py.

While a folder named pages/ sits beside the entrypoint, a freshly started Streamlit server
serves a deep link such as /peringkat in the old multipage mode: it runs the page file alone,
skipping dashboard.py (filters, language, banner, sign-in, scope). Every page calls
`context()` first, which calls `through_entrypoint()`: it switches that mode off and reruns, so
st.navigation in dashboard.py takes over. dashboard.py calls it too, before its first widget: on `/` the old
mode runs dashboard.py as its own page, and the filters drawn in that run were registered under that page,
so the first visitor's first filter change lost the link's snapshot and wilayah (measured in a browser).
Browser tests open a deep link, and change a filter, as the first visitor of a fresh server to prove it.
"""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def through_entrypoint() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
