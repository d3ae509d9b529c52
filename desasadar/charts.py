"""Altair chart builders: pure functions, data in, chart out. Shared by pages and briefs.

Colours follow the theme (.streamlit/config.toml) and stay distinguishable on a projector.
"""
from __future__ import annotations

import math

import altair as alt
import pandas as pd

from . import fmt

PRIMARY = "#0B7A3E"  # BPJS Ketenagakerjaan green (theme primaryColor)
TEXT = "#14231A"
MUTED = "#6B7A70"
TRACK = "#DDE7E0"
TARGET = "#B3261E"
STATUS_COLORS = {
    "proposed": "#E0A100",   # amber
    "verified": "#2F6DB5",   # blue
    "certified": "#0B7A3E",  # green
    "revoked": "#8A8F8C",    # grey
}
# Bands of % of target, best first (used by rankings and maps).
BAND_COLORS = ["#0B7A3E", "#6BAA3A", "#E0A100", "#E46A1A", "#B3261E", "#8A8F8C"]


def base(chart: alt.Chart, lang: str = "id", description: str = "") -> alt.Chart:
    """Common config: fonts, number locale, no chart border; `description` is the alt text."""
    return (
        chart.properties(description=description, usermeta={"embedOptions": {"formatLocale": fmt.D3_LOCALE[lang]}})
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=13, titleFontSize=13, labelColor=TEXT, titleColor=TEXT, gridColor="#E6ECE8")
        .configure_legend(labelFontSize=13, titleFontSize=13)
        .configure_title(fontSize=16, color=TEXT, anchor="start")
    )


def _arc(start: float, end: float, inner: float, outer: float, color: str) -> dict:
    return {"start": start, "end": end, "inner": inner, "outer": outer, "color": color}


def gauge(value: float, target: float | None, lang: str = "id", *, label: str = "", size: int = 320,
          description: str = "") -> alt.LayerChart:
    """A half-ring gauge of `value` against `target`.

    The ring's full sweep is max(target, value): a target exceeded shows the ring full with the
    overshoot in a darker band and the 100% tick where the target lies, not a clipped 100%.
    Without a target the ring is empty and the centre says so.
    """
    h = size * 0.62
    r_out, r_in = size * 0.46, size * 0.32
    parts = [_arc(-math.pi / 2, math.pi / 2, r_in, r_out, TRACK)]
    ticks = []
    if target and target > 0:
        full = max(target, value)
        to_angle = lambda x: -math.pi / 2 + math.pi * (x / full)  # noqa: E731
        parts.append(_arc(-math.pi / 2, to_angle(min(value, target)), r_in, r_out, PRIMARY))
        if value > target:
            parts.append(_arc(to_angle(target), to_angle(value), r_in, r_out, "#075228"))
        ticks.append(to_angle(target))
        centre = fmt.percent(value / target, lang)
    else:
        centre = "–"
    df = pd.DataFrame(parts)
    arcs = alt.Chart(df).mark_arc(stroke=None).encode(
        theta=alt.Theta("start:Q", scale=None), theta2="end:Q",
        radius=alt.Radius("outer:Q", scale=None), radius2="inner:Q",
        color=alt.Color("color:N", scale=None),
    )
    layers = [arcs]
    for a in ticks:
        tick = pd.DataFrame([_arc(a - 0.012, a + 0.012, r_in - 8, r_out + 8, TARGET)])
        layers.append(alt.Chart(tick).mark_arc().encode(
            theta=alt.Theta("start:Q", scale=None), theta2="end:Q",
            radius=alt.Radius("outer:Q", scale=None), radius2="inner:Q", color=alt.Color("color:N", scale=None)))
    text = pd.DataFrame([{"t": centre, "y": 0}])
    layers.append(alt.Chart(text).mark_text(fontSize=size * 0.13, fontWeight="bold", color=TEXT, dy=-size * 0.05)
                  .encode(text="t:N"))
    if label:
        layers.append(alt.Chart(pd.DataFrame([{"t": label}]))
                      .mark_text(fontSize=size * 0.05, color=MUTED, dy=size * 0.06).encode(text="t:N"))
    chart = alt.layer(*layers).properties(width=size, height=h, view=alt.ViewConfig(strokeWidth=0))
    return chart.properties(description=description or f"{centre} {label}")
