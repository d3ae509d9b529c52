"""What every page shows around its content: demo banner, data stamp, notes, attribution."""
from __future__ import annotations

import streamlit as st

from . import a11y, phone
from .context import Context


def header(ctx: Context) -> None:
    a11y.page_scripts(ctx.lang)  # <html lang>, sparkline labels, Enter on table rows
    if ctx.is_demo:
        with st.container(key="demo_banner"):
            st.warning(ctx.t("shell.demo_banner"), icon=":material/science:")
    for note in ctx.notes:
        st.info(note, icon=":material/info:")
    scope = scope_label(ctx)
    st.caption(ctx.t("shell.data_stamp", date=ctx.date(ctx.as_of), snapshot=ctx.served.id, scope=scope))
    # a phone has no sidebar on screen: the filters under the stamp, labelled with what is shown
    phone.filters(ctx.t("shell.phone_filters", scope=scope, date=ctx.date_medium(ctx.as_of)), ctx.lang)


def scope_label(ctx: Context) -> str:
    """'Nasional', 'Kanwil Sumbarriau', 'KC Tanjung Pinang' or a list for mixed scopes."""
    if ctx.level == "national":
        return ctx.t("shell.national")
    offices = ctx.run("kantor_terpilih")
    if ctx.level == "branch":
        return "KC " + offices["branch_name"].iloc[0]
    if ctx.level == "region":
        return "Kanwil " + offices["region_name"].iloc[0]
    regions = [f"Kanwil {r}" for r in sorted(set(offices.loc[offices.region_code.isin(ctx.scope.regions), "region_name"]))]
    branches = [f"KC {b}" for b in offices.loc[offices.branch_code.isin(ctx.scope.branches), "branch_name"]]
    return ", ".join(regions + branches)


def footer(ctx: Context) -> None:
    st.divider()
    st.caption(ctx.t("shell.attribution"))
