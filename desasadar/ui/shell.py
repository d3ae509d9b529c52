"""What every page shows around its content: demo banner, data stamp, notes, attribution."""
from __future__ import annotations

import streamlit as st

from .context import Context


def header(ctx: Context) -> None:
    if ctx.is_demo:
        st.warning(ctx.t("shell.demo_banner"), icon=":material/science:")
    for note in ctx.notes:
        st.info(note, icon=":material/info:")
    where = ctx.t("shell.national")
    if ctx.cabang:
        where = "KC " + ctx.run("kantor_terpilih")["branch_name"].iloc[0]
    elif ctx.wilayah:
        where = "Kanwil " + ctx.run("kantor_terpilih")["region_name"].iloc[0]
    st.caption(ctx.t("shell.data_stamp", date=ctx.date(ctx.as_of), snapshot=ctx.served.id, scope=where))


def footer(ctx: Context) -> None:
    st.divider()
    st.caption(ctx.t("shell.attribution"))
