"""The Peringkat page's chart: % of target per office, sorted, coloured by band, with the 100% target line.

A pure function (data in, Altair chart out), so a brief can render the same spec with vl-convert.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from .. import fmt, i18n
from ..ranking import BANDS, band_label
from .theme import BAND_COLORS, TARGET, TEXT


def pct_of_target(df: pd.DataFrame, lang: str = "id", *, level: str = "branch", highlight: str | None = None,
                  height: int = 300) -> alt.Chart | None:
    """Bars of % of target (offices with a target only), best first; None when no office has a target.

    `df` is a cabang_peringkat / wilayah_peringkat result; `highlight` the code of an office to outline.
    """
    name_col, code_col = ("branch_name", "branch_code") if level == "branch" else ("region_name", "region_code")
    d = df[df["pct_target"].notna()].copy()
    if d.empty:
        return None
    d = d.sort_values(["pct_target", "certified", name_col], ascending=[False, False, True])
    T = lambda k, **kw: i18n.t(f"peringkat.{k}", lang, **kw)  # noqa: E731
    labels = [band_label(b, lang) for b in BANDS]
    d["band_label"] = [band_label(b, lang) for b in d["band"]]
    d["name"] = d[name_col]
    d["pct_text"] = [fmt.percent(x, lang) for x in d["pct_target"]]
    d["certified_text"] = [fmt.number(x, lang) for x in d["certified"]]
    d["target_text"] = [fmt.number(x, lang) for x in d["target"]]
    d["chosen"] = d[code_col] == highlight
    order = list(d["name"])
    many = len(d) > 30
    bars = alt.Chart(d).mark_bar(cornerRadiusTopLeft=2, cornerRadiusTopRight=2).encode(
        x=alt.X("name:N", sort=order, title=None,
                axis=alt.Axis(labelAngle=-60 if many else -35, labelFontSize=10 if many else 12, labelLimit=150,
                              labelOverlap=False)),
        y=alt.Y("pct_target:Q", title=T("chart.y"), axis=alt.Axis(format=".0%", tickCount=5)),
        color=alt.Color("band_label:N", title=T("chart.band"),
                        scale=alt.Scale(domain=labels, range=BAND_COLORS),
                        legend=alt.Legend(orient="top", direction="horizontal", symbolType="square")),
        stroke=alt.condition("datum.chosen", alt.value(TEXT), alt.value(None)),
        strokeWidth=alt.condition("datum.chosen", alt.value(2.5), alt.value(0)),
        tooltip=[
            alt.Tooltip("name:N", title=T("col.branch") if level == "branch" else T("col.region")),
            alt.Tooltip("pct_text:N", title=T("col.pct_target")),
            alt.Tooltip("certified_text:N", title=T("col.certified")),
            alt.Tooltip("target_text:N", title=T("chart.target")),
            alt.Tooltip("band_label:N", title=T("chart.band")),
        ],
    )
    rule = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(color=TARGET, strokeDash=[6, 4], size=2) \
        .encode(y="y:Q")
    rule_text = alt.Chart(pd.DataFrame({"y": [1.0], "t": [T("chart.target_line")]})).mark_text(
        align="right", baseline="bottom", dy=-3, color=TARGET, fontSize=12, fontWeight="bold",
    ).encode(y="y:Q", x=alt.value("width"), text="t:N")
    # fit-x: the plot keeps `height` and only the width follows the container (rotated labels add below).
    chart = alt.layer(bars, rule, rule_text).properties(
        height=height, width="container", autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    best = d.iloc[0]
    description = T("chart.alt", n=fmt.number(len(d), lang), best=best["name"],
                    pct=fmt.percent(best["pct_target"], lang), met=fmt.number(int((d["pct_target"] >= 1).sum()), lang))
    return chart.properties(description=description)
