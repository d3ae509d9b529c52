"""The Desa page's charts: a village profile's participant breakdowns and its trend.

Streamlit drops Vega's number/time locale, so every label a reader sees is either an
integer axis (no separators needed for village-sized counts) or a string formatted here
with desasadar.fmt (tooltips, dates).
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from .. import fmt
from .theme import MUTED, NO_STATUS, PRIMARY, STATUS_COLORS, TEXT, month_label_expr

LAPSED = "#C9D3CC"


def breakdown_bars(df: pd.DataFrame, lang: str, *, labels: dict[str, str], active_label: str, lapsed_label: str,
                   axis_title: str, description: str, width: int | str = "container") -> alt.Chart:
    """Horizontal bars of active (green) and lapsed (grey) participants per key, in the frame's order.

    `df` has columns key, active, lapsed; `labels` maps each key to the text shown.
    """
    rows = []
    for order, r in enumerate(df.itertuples(index=False)):
        label = labels.get(r.key, r.key)
        total = int(r.active) + int(r.lapsed)
        for kind, n, text in (("active", int(r.active), active_label), ("lapsed", int(r.lapsed), lapsed_label)):
            rows.append({"label": label, "order": order, "kind": kind, "kind_text": text, "n": n,
                         "n_text": fmt.number(n, lang), "total_text": fmt.number(total, lang), "total": total})
    data = pd.DataFrame(rows, columns=["label", "order", "kind", "kind_text", "n", "n_text", "total_text", "total"])
    order = list(dict.fromkeys(data["label"]))
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, ticks=False, domain=False))
    # no x axis: each bar carries its total; Streamlit sizes charts to the whole height given
    x_scale = alt.Scale(domain=[0, max(1, int(data["total"].max() if len(data) else 1)) * 1.12])
    bars = alt.Chart(data).mark_bar(height={"band": 0.72}).encode(
        y=y,
        x=alt.X("n:Q", stack="zero", title=None, axis=None, scale=x_scale),
        color=alt.Color("kind_text:N", title=None,
                        scale=alt.Scale(domain=[active_label, lapsed_label], range=[PRIMARY, LAPSED]),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        order=alt.Order("kind:N"),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("kind_text:N", title=" "),
                 alt.Tooltip("n_text:N", title=axis_title)],
    )
    totals = data.drop_duplicates("label")
    text = alt.Chart(totals).mark_text(align="left", dx=4, color=TEXT, fontSize=12).encode(
        y=y, x=alt.X("total:Q", axis=None, scale=x_scale), text="total_text:N")
    height = 27 * max(1, len(order)) + 48  # rows + the legend below
    return alt.layer(bars, text).properties(width=width, height=height, description=description)


def participants_trend(df: pd.DataFrame, lang: str, *, status_labels: dict[str, str], series_labels: dict[str, str],
                       date_title: str, description: str, width: int | str = "container", height: int = 330) -> alt.Chart:
    """Active participants (and active village officials) per snapshot; points coloured by the status then.

    `df` has columns as_of, status, participants_active, aparatur_active (one row per snapshot).
    `series_labels` maps 'participants_active' and 'aparatur_active' to legend text.
    """
    d = df.copy()
    d["as_of"] = pd.to_datetime(d["as_of"])
    d["date_text"] = [fmt.date_medium(x, lang) for x in d["as_of"]]
    d["status_text"] = [status_labels.get(s, s) for s in d["status"]]
    long = d.melt(id_vars=["as_of", "date_text", "status", "status_text"],
                  value_vars=["participants_active", "aparatur_active"], var_name="series", value_name="n")
    long["series_text"] = long["series"].map(series_labels)
    long["n_text"] = [fmt.number(n, lang) for n in long["n"]]
    series_domain = [series_labels["participants_active"], series_labels["aparatur_active"]]
    x = alt.X("as_of:T", title=None, axis=alt.Axis(labelExpr=month_label_expr(lang), tickCount=8, grid=False))
    y = alt.Y("n:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1))
    tooltip = [alt.Tooltip("date_text:N", title=date_title), alt.Tooltip("series_text:N", title=" "),
               alt.Tooltip("n_text:N", title=" "), alt.Tooltip("status_text:N", title=" ")]
    lines = alt.Chart(long).mark_line(strokeWidth=2.5, interpolate="monotone").encode(
        x=x, y=y,
        strokeDash=alt.StrokeDash("series_text:N", title=None, scale=alt.Scale(domain=series_domain, range=[[1, 0], [5, 3]]),
                                  legend=alt.Legend(orient="bottom", direction="horizontal")),
        detail="series:N",
        color=alt.value(MUTED),
    )
    in_programme = [s for s in ("none", "proposed", "verified", "certified", "revoked") if s in set(d["status"])]
    colors = {"none": NO_STATUS, **STATUS_COLORS}
    points = alt.Chart(long[long["series"] == "participants_active"]).mark_circle(size=70, opacity=1).encode(
        x=x, y=y,
        color=alt.Color("status_text:N", title=None,
                        scale=alt.Scale(domain=[status_labels.get(s, s) for s in in_programme],
                                        range=[colors[s] for s in in_programme]),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        tooltip=tooltip,
    )
    return (alt.layer(lines, points).resolve_scale(color="independent")
            .properties(width=width, height=height, description=description))
