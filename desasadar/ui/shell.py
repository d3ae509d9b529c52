"""What every page shows around its content: demo banner, data stamp, notes, attribution."""
from __future__ import annotations

import streamlit as st

from . import a11y
from .context import Context


def header(ctx: Context) -> None:
    a11y.page_scripts(ctx.lang)  # <html lang>, sparkline labels, Enter on table rows
    if ctx.is_demo:
        st.warning(ctx.t("shell.demo_banner"), icon=":material/science:")
    for note in ctx.notes:
        st.info(note, icon=":material/info:")
    st.caption(ctx.t("shell.data_stamp", date=ctx.date(ctx.as_of), snapshot=ctx.served.id, scope=ctx.scope_name()))


def footer(ctx: Context) -> None:
    st.divider()
    st.caption(ctx.t("shell.attribution"))
