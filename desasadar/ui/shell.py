"""What every page shows around its content: demo banner, data stamp, notes, attribution."""
from __future__ import annotations

import streamlit as st

from . import a11y, phone
from .context import Context


def header(ctx: Context, full_screen: bool = False) -> None:
    """The page scripts, then (unless the page is a full-screen view, registry.full_screen) the banner, notes,
    data stamp and phone filters: a full-screen slide carries its own DEMO badge and stamp, and even hidden
    blocks above it would push it off a projector (each takes a 16 px gap)."""
    a11y.page_scripts(ctx.lang)  # <html lang>, sparkline labels, Enter on table rows (in the sidebar)
    if not full_screen:
        banner(ctx)


def banner(ctx: Context) -> None:
    """Demo banner, notes, data stamp and (on a phone) the filters, at the top of the page."""
    if ctx.is_demo:
        with st.container(key="demo_banner"):
            st.warning(ctx.t("shell.demo_banner"), icon=":material/science:")
    for note in ctx.notes:
        st.info(note, icon=":material/info:")
    scope = ctx.scope_name()
    st.caption(ctx.t("shell.data_stamp", date=ctx.date(ctx.as_of), snapshot=ctx.served.id, scope=scope))
    # a phone has no sidebar on screen: the filters under the stamp, labelled with what is shown
    phone.filters(ctx.t("shell.phone_filters", scope=scope, date=ctx.date_medium(ctx.as_of)), ctx.lang)


def footer(ctx: Context) -> None:
    st.divider()
    st.caption(ctx.t("shell.attribution"))
