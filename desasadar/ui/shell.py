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
    st.caption(ctx.t("shell.data_stamp", date=ctx.date(ctx.as_of), snapshot=ctx.served.id, scope=scope_label(ctx)))


def scope_label(ctx: Context) -> str:
    """'Nasional', 'Kanwil Sumbarriau', 'KC Tanjung Pinang' or a list for mixed scopes; a province or
    regency filter comes first ('Kabupaten Bintan · KC Tanjung Pinang', or alone in a national scope)."""
    if ctx.area_name:
        return ctx.area_name + ("" if ctx.scope.all else " · " + _offices(ctx))
    if ctx.level == "national":
        return ctx.t("shell.national")
    offices = ctx.run("kantor_terpilih")
    if ctx.level == "branch":
        return "KC " + offices["branch_name"].iloc[0]
    if ctx.level == "region":
        return "Kanwil " + offices["region_name"].iloc[0]
    return _offices(ctx)


def _offices(ctx: Context) -> str:
    offices = ctx.run("kantor_terpilih")
    regions = [f"Kanwil {r}" for r in sorted(set(offices.loc[offices.region_code.isin(ctx.scope.regions), "region_name"]))]
    branches = [f"KC {b}" for b in offices.loc[offices.branch_code.isin(ctx.scope.branches), "branch_name"]]
    return ", ".join(regions + branches)


def footer(ctx: Context) -> None:
    st.divider()
    st.caption(ctx.t("shell.attribution"))
