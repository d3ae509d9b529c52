"""The phone view (a branch head opening a WhatsApp link, 390 px wide).

Streamlit folds the sidebar away on a narrow screen, and with it every filter. So the shell's filters are
drawn twice: in the sidebar as always, and in a "Filter" popover at the top of the page that only a narrow
screen shows (CSS below). The copies have their own keys and write into the sidebar's keys, so the URL, the
language switch and every page see one set of filters. `Mirrored` stands in for st.sidebar in
context.setup(): each filter drawn there is remembered for the copy, whatever filters are added later.

The same style sheet makes the pages shorter on a phone: KPI cards two to a row, a smaller demo banner; and
`table` draws a table once per screen: the columns that fit a projector (and, for a long table, a copy with those
that fit a 1920 px screen) and the few that fit a phone, each screen showing its own (a grid cannot change its
columns with the width, and the server does not know the width).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd
import streamlit as st

from .. import frame_memo
from . import fit

# Streamlit folds the sidebar away below this width (its "md" breakpoint).
NARROW = 768

STYLE = f"""<style>
.st-key-phone_filters, [class*="st-key-phone_table_"], [class*="st-key-big_table_"] {{ display: none; }}
/* a table with a copy for big screens: that copy instead of the projector's ("mid") */
@media (min-width: {fit.BIG_WINDOW}px) {{
  [class*="st-key-big_table_"] {{ display: block; }}
  [class*="st-key-mid_table_"] {{ display: none; }}
}}
@media (max-width: {NARROW - 0.02}px) {{
  .st-key-phone_filters, [class*="st-key-phone_table_"] {{ display: block; }}
  [class*="st-key-wide_table_"], [class*="st-key-mid_table_"] {{ display: none; }}
  /* the scope and date line, then the filters, right under the banner */
  .st-key-demo_banner [data-testid="stAlert"] p {{ font-size: 0.8rem; line-height: 1.3; }}
  .st-key-demo_banner [data-testid="stAlertContainer"] {{ padding: 0.45rem 0.75rem; }}
  [data-testid="stMainBlockContainer"] {{ padding-top: 4.5rem; }}
  /* cards two to a row instead of one under another */
  .st-key-kpi_cards [data-testid="stHorizontalBlock"], .st-key-pace_cards [data-testid="stHorizontalBlock"] {{
    flex-wrap: nowrap !important; gap: 0.5rem; }}
  .st-key-kpi_cards [data-testid="stColumn"], .st-key-pace_cards [data-testid="stColumn"] {{
    min-width: 0 !important; width: auto !important; flex: 1 1 0 !important; }}
  .st-key-kpi_cards [data-testid="stMetricValue"], .st-key-pace_cards [data-testid="stMetricValue"] {{
    font-size: 1.6rem; }}
  .st-key-kpi_cards [data-testid="stMetric"], .st-key-pace_cards [data-testid="stMetric"] {{ padding: 0.5rem; }}
  /* a half-width card wraps its label and change note instead of cutting them with "…" */
  [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"] *,
  [data-testid="stMetricDeltaDescription"], [data-testid="stMetricDeltaDescription"] * {{
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
  [data-testid="stMetricLabel"] {{ height: auto !important; }}
  div:has(> [data-testid="stMetricDelta"]) {{ flex-wrap: wrap; row-gap: 0.2rem; }}
  h1 {{ font-size: 2rem !important; padding-top: 0.5rem !important; }}
}}
</style>"""


@dataclass
class _Filter:
    label: str
    options: list
    key: str
    format_func: Callable[[Any], str]
    on_change: Callable[[], None] | None


class Mirrored:
    """st.sidebar for the shell's filters, remembering each selectbox drawn there."""

    def __init__(self) -> None:
        self.filters: list[_Filter] = []
        st.session_state["_phone_sidebar"] = self  # this run's filters, for filters() in the page header

    def selectbox(self, label, options, *, key, format_func=str, on_change=None, **kw):
        self.filters.append(_Filter(label, list(options), key, format_func, on_change))
        return st.sidebar.selectbox(label, options, key=key, format_func=format_func, on_change=on_change, **kw)

    # The language radio is not copied: with a copy, switching back to Indonesian failed in a real browser
    # (tests/browser/test_language_browser.py); on a phone it stays in the sidebar.

    def __getattr__(self, name):
        return getattr(st.sidebar, name)


def sidebar() -> Mirrored:
    """This run's Mirrored (made by context.setup before the filters)."""
    return st.session_state["_phone_sidebar"]


def _copy_back(f: _Filter, mkey: str) -> None:
    """on_change of a copy: the sidebar's key takes the value, then the sidebar widget's own callback runs."""
    st.session_state[f.key] = st.session_state[mkey]
    if f.on_change is not None:
        f.on_change()


def filters(summary: str, lang: str) -> None:
    """The 'Filter' popover for a narrow screen, labelled with what is shown (scope · date). The copies' keys
    carry the language: a selectbox's value travels as its label, so after a language switch an old copy
    would come back as its first option (context._switch_language)."""
    st.html(STYLE)
    sidebar = st.session_state.get("_phone_sidebar")
    if sidebar is None or not sidebar.filters:
        return
    with st.container(key="phone_filters"):
        with st.popover(summary, icon=":material/tune:", width="stretch"):
            for f in sidebar.filters:
                mkey = f"m_{lang}_{f.key}"
                value = st.session_state.get(f.key)
                if value in f.options:
                    st.session_state[mkey] = value  # the copy follows the sidebar (URL, language switch)
                st.selectbox(f.label, f.options, key=mkey, format_func=f.format_func, on_change=_copy_back,
                             args=(f, mkey))


def copies(key: str) -> tuple[tuple[str, str, bool], ...]:
    """A table drawn for both screens: (container key, widget key, for the phone) of each copy. STYLE shows the
    copy for the screen by these container keys."""
    return (f"wide_table_{key}", key, False), (f"phone_table_{key}", f"{key}_phone", True)


def table(frame: pd.DataFrame, key: str, narrow: list[str], on_select: Callable[[str], None] | None = None,
          *, wide: list[str] | None = None, big: list[str] | None = None,
          note: Callable[[list[str]], str | None] | None = None, **kw) -> None:
    """st.dataframe of `frame` on a wide screen (its `wide` columns, default all), of its `narrow` columns on a
    phone (390 px: the village and one or two short figures fit without scrolling sideways). With `big` (the
    columns that fit a window of fit.BIG_WINDOW px or more) and more of them than `wide`, a third copy for big
    screens. `note(columns)`: a caption under each screen's copy, about the columns it shows. `on_select(key)`
    gets the key of the copy clicked; `kw` (column_config, height, ...) go to every copy."""
    (wide_box, wide_key, _), (phone_box, phone_key, _) = copies(key)
    desks = [(wide_box, wide_key, wide)]
    if big is not None and wide is not None and len(big) > len(wide):
        desks = [(f"mid_table_{key}", wide_key, wide), (f"big_table_{key}", f"{key}_big", big)]
    for box, tkey, order in desks:
        with st.container(key=box):
            _dataframe(frame, tkey, order, on_select, kw)
            text = note(list(order or frame.columns)) if note is not None else None
            if text:
                st.caption(text)
    with st.container(key=phone_box):
        _dataframe(_columns(frame, tuple(narrow)), phone_key, None, on_select, kw)


def _dataframe(part: pd.DataFrame, tkey: str, order: list[str] | None, on_select, kw: dict) -> None:
    select = {} if on_select is None else {"on_select": (lambda k=tkey: on_select(k)), "selection_mode": "single-row"}
    # Arrow once per frame (frame_memo): a page that keeps its frame across reruns does not convert it again
    st.dataframe(frame_memo.arrow(part), key=tkey, column_order=order, **select, **kw)


@frame_memo.per_frame
def _columns(frame: pd.DataFrame, cols: tuple[str, ...]) -> pd.DataFrame:
    return frame[list(cols)]
