"""Metodologi: definitions (certified, aparatur, pace, bands, ranks), status rules, sources and the snapshot cadence.

The rules that live in query files are quoted with the same labels the Ringkasan and Peringkat pages show,
and the pace constants come from queries/laju_target.sql, so this page cannot drift from what is computed.
"""
import streamlit as st

from desasadar import maps, ranking
from desasadar.ui.context import context

ctx = context()
T = ctx.t
st.title(T("metodologi.title"))
st.caption(T("metodologi.intro"))

pace = ctx.run("laju_target", year=ctx.year).iloc[0]
national = ctx.run("peresmian_nasional", year=ctx.year).iloc[0]


def section(key: str, *texts: str) -> None:
    st.header(T(f"metodologi.h_{key}"))
    for text in texts:
        st.markdown(text)


statuses = {s: T(f"status.{s}") for s in ("none", "proposed", "verified", "certified", "revoked")}
section("certified", T("metodologi.certified"))
section("status", T("metodologi.status", **statuses))
section("aparatur", T("metodologi.aparatur"))
section("participants", T("metodologi.participants"), T("peringkat.coverage_rule"))
section("target", T("peringkat.target_rule", year=ctx.year))
section("pace", T("metodologi.pace"),
        T("ringkasan.rule", share=ctx.pct(pace.at_risk_from, 0), days=ctx.num(pace.days_per_month, 2)))
office_bands = ", ".join(ranking.band_label(b, ctx.lang) for b in ranking.BANDS)
map_bands = ", ".join(label for _, label in maps.share_bins_labels(ctx.lang))
section("bands", T("metodologi.bands", bands=office_bands), T("metodologi.map_bands", bands=map_bands))
section("ranks", T("peringkat.tie_rule"))
section("sources", T("metodologi.sources", source=ctx.source(national.target_source) or "–"))
avail = sorted(ctx.served.available, key=lambda s: s.as_of)
section("cadence", T("metodologi.cadence", n=ctx.num(len(avail)), first=ctx.date_medium(avail[0].as_of),
                     last=ctx.date_medium(avail[-1].as_of), current=ctx.date_medium(ctx.as_of)))
if ctx.is_demo:
    st.info(T("metodologi.demo"), icon=":material/science:")
