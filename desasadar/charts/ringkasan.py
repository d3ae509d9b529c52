"""The Ringkasan (overview) page's charts; the Peresmian briefs and the ceremony slide reuse them as PNGs."""
from __future__ import annotations

import html
import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from .. import fmt
from .theme import MUTED, PRIMARY, STATUS_COLORS, TARGET, TEXT, TRACK, month_label_expr


def _arc(start: float, end: float, inner: float, outer: float, color: str) -> dict:
    return {"start": start, "end": end, "inner": inner, "outer": outer, "color": color}


@dataclass(frozen=True)
class GaugeShape:
    """Where a gauge's parts go in a size x height box: ring segments and target ticks as _arc dicts (angles
    from 12 o'clock, clockwise), the centre of the ring and the figure in the middle."""
    size: int
    height: float
    cx: float
    cy: float
    parts: list
    ticks: list
    centre: str


def gauge_shape(value: float, target: float | None, lang: str = "id", size: int = 320) -> GaugeShape:
    """The one gauge geometry (the page's SVG and the briefs' chart): see `gauge`."""
    r_out, r_in = size * 0.46, size * 0.32
    cx, cy = size / 2, r_out + 10  # centre of the ring; 10 px above for the target tick
    height = cy + size * 0.11      # room for the label under the centre line
    parts = [_arc(-math.pi / 2, math.pi / 2, r_in, r_out, TRACK)]
    ticks = []
    value = max(float(value or 0), 0.0)
    if target and target > 0:
        full = max(target, value)
        to_angle = lambda x: -math.pi / 2 + math.pi * (x / full)  # noqa: E731
        if value > 0:
            parts.append(_arc(-math.pi / 2, to_angle(min(value, target)), r_in, r_out, PRIMARY))
        if value > target:
            parts.append(_arc(to_angle(target), to_angle(value), r_in, r_out, "#075228"))
            ticks.append(_arc(to_angle(target) - 0.014, to_angle(target) + 0.014, r_in - 10, r_out + 10, TARGET))
        centre = fmt.percent(value / target, lang)
    else:
        centre = "–"
    return GaugeShape(size, height, cx, cy, parts, ticks, centre)


def gauge(value: float, target: float | None, lang: str = "id", *, label: str = "", size: int = 320,
          description: str = "") -> alt.LayerChart:
    """A half-ring gauge of `value` against `target`.

    The ring's full sweep is max(target, value): a target exceeded shows the ring full with the
    overshoot in a darker band and a red tick where the target (100%) lies, not a clipped 100%.
    Without a target (None, or 0: no percentage can be computed) the ring is empty and the centre
    shows "–". The ring sits on the bottom of the chart with the label just under the centre,
    so the chart has no empty band below.
    """
    g = gauge_shape(value, target, lang, size)
    at = {"x": alt.value(g.cx), "y": alt.value(g.cy)}
    ring = dict(theta=alt.Theta("start:Q", scale=None), theta2="end:Q",
                radius=alt.Radius("outer:Q", scale=None), radius2="inner:Q",
                color=alt.Color("color:N", scale=None), **at)
    layers = [alt.Chart(pd.DataFrame(g.parts)).mark_arc(stroke=None).encode(**ring)]
    for tick in g.ticks:
        layers.append(alt.Chart(pd.DataFrame([tick])).mark_arc().encode(**ring))
    layers.append(alt.Chart(pd.DataFrame([{"t": g.centre}]))
                  .mark_text(fontSize=size * 0.13, fontWeight="bold", color=TEXT, baseline="alphabetic")
                  .encode(text="t:N", x=alt.value(g.cx), y=alt.value(g.cy - size * 0.02)))
    if label:
        layers.append(alt.Chart(pd.DataFrame([{"t": label}]))
                      .mark_text(fontSize=max(size * 0.05, 12), color=MUTED, baseline="top")
                      .encode(text="t:N", x=alt.value(g.cx), y=alt.value(g.cy + size * 0.025)))
    chart = alt.layer(*layers).properties(width=size, height=g.height, view=alt.ViewConfig(strokeWidth=0))
    return chart.properties(description=description or f"{g.centre} {label}")


def _ring_path(a: dict, cx: float, cy: float) -> str:
    """An annular sector as an SVG path: angles from 12 o'clock, clockwise (as Vega's theta)."""
    def at(r, t):
        return f"{cx + r * math.sin(t):.2f} {cy - r * math.cos(t):.2f}"
    large = 1 if a["end"] - a["start"] > math.pi else 0
    return (f"M {at(a['outer'], a['start'])} A {a['outer']:.2f} {a['outer']:.2f} 0 {large} 1 {at(a['outer'], a['end'])} "
            f"L {at(a['inner'], a['end'])} A {a['inner']:.2f} {a['inner']:.2f} 0 {large} 0 {at(a['inner'], a['start'])} Z")


def gauge_svg(value: float, target: float | None, lang: str = "id", *, label: str = "", size: int = 320,
              description: str = "") -> str:
    """The same gauge as `gauge`, as inline SVG for the page: the headline figure is on screen with the first
    paint, without waiting for the chart library (Vega) the other charts load. `description` is its alt text."""
    g = gauge_shape(value, target, lang, size)
    alt_text = html.escape(description or f"{g.centre} {label}")
    shapes = "".join(f'<path d="{_ring_path(a, g.cx, g.cy)}" fill="{a["color"]}"/>' for a in g.parts + g.ticks)
    texts = (f'<text x="{g.cx:.1f}" y="{g.cy - size * 0.02:.1f}" text-anchor="middle" font-weight="bold" '
             f'font-size="{size * 0.13:.1f}" fill="{TEXT}">{html.escape(g.centre)}</text>')
    if label:
        texts += (f'<text x="{g.cx:.1f}" y="{g.cy + size * 0.025:.1f}" text-anchor="middle" dominant-baseline="hanging" '
                  f'font-size="{max(size * 0.05, 12):.1f}" fill="{MUTED}">{html.escape(label)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{alt_text}" width="{size}" '
            f'height="{g.height:.0f}" viewBox="0 0 {size} {g.height:.1f}" style="max-width:100%;height:auto;'
            f'font-family:inherit"><title>{alt_text}</title>{shapes}{texts}</svg>')


def trend(df: pd.DataFrame, lang: str = "id", *, target: float | None = None, deadline=None,
          y_title: str = "", target_label: str = "", needed_label: str = "", description: str = "",
          height: int = 260) -> alt.LayerChart:
    """Cumulative certified villages per snapshot: a line with a point per snapshot.

    `df` has columns as_of (date) and certified. With a `target` a dashed red rule marks it; with a
    `deadline` after the last snapshot the time axis runs to the deadline and a dashed grey segment
    shows the path still needed (last point -> target at the deadline).
    """
    d = df[["as_of", "certified"]].copy()
    d["as_of"] = pd.to_datetime(d["as_of"])
    d["tgl"] = [fmt.date_medium(x, lang) for x in d["as_of"]]
    d["nilai"] = [fmt.number(x, lang) for x in d["certified"]]
    first = d["as_of"].min() if len(d) else pd.Timestamp.today().normalize()
    last = d["as_of"].max() if len(d) else first
    end = max(last, pd.Timestamp(deadline)) if deadline is not None and target is not None else last
    if end <= first:
        first, end = first - pd.Timedelta(days=15), end + pd.Timedelta(days=15)
    span_months = max(1, (end.year - first.year) * 12 + end.month - first.month)
    step = max(1, math.ceil(span_months / 8))
    x = alt.X("as_of:T", title=None, scale=alt.Scale(domain=[first.isoformat(), end.isoformat()]),
              axis=alt.Axis(labelExpr=month_label_expr(lang), tickCount=alt.TimeIntervalStep(interval="month", step=step),
                            grid=False, labelAngle=0))
    top = max(float(d["certified"].max()) if len(d) else 0, float(target or 0))
    y = alt.Y("certified:Q", title=y_title or None, scale=alt.Scale(zero=True, domainMin=0, **({} if top > 0 else {"domain": [0, 1]})),
              axis=alt.Axis(format=",d", tickMinStep=1))
    layers = []
    if target is not None and len(d):
        t = pd.DataFrame([{"as_of": end, "certified": target, "label": target_label}])
        layers.append(alt.Chart(t).mark_rule(color=TARGET, strokeDash=[6, 4], strokeWidth=2).encode(y="certified:Q"))
        if target_label:
            layers.append(alt.Chart(t).mark_text(color=TARGET, align="right", baseline="bottom", dy=-4, fontSize=13,
                                                 fontWeight="bold").encode(x="as_of:T", y="certified:Q", text="label:N"))
        tail = d.iloc[-1]
        if deadline is not None and pd.Timestamp(deadline) > tail["as_of"] and target > tail["certified"]:
            path = pd.DataFrame([{"as_of": tail["as_of"], "certified": tail["certified"]},
                                 {"as_of": pd.Timestamp(deadline), "certified": target}])
            path["label"] = needed_label
            layers.append(alt.Chart(path).mark_line(color=MUTED, strokeDash=[3, 3], strokeWidth=2)
                          .encode(x="as_of:T", y="certified:Q", tooltip=alt.Tooltip("label:N", title=None)))
    layers.append(alt.Chart(d).mark_area(color=PRIMARY, opacity=0.12).encode(x=x, y=y))
    layers.append(alt.Chart(d).mark_line(color=PRIMARY, strokeWidth=3,
                                         point=alt.OverlayMarkDef(color=PRIMARY, size=40, filled=True))
                  .encode(x=x, y=y, tooltip=[alt.Tooltip("tgl:N", title=None), alt.Tooltip("nilai:N", title=y_title or None)]))
    chart = alt.layer(*layers).properties(height=height, width="container")
    return chart.properties(description=description)


def pipeline(df: pd.DataFrame, lang: str = "id", *, labels: dict[str, str] | None = None, description: str = "",
             height: int | None = None) -> alt.LayerChart:
    """Villages by programme status as short horizontal bars in pipeline order, coloured by status.

    `df` has columns status and villages (in the order to show); `labels` maps status -> text.
    """
    d = df[["status", "villages"]].copy()
    d["label"] = [(labels or {}).get(s, s) for s in d["status"]]
    d["teks"] = [fmt.number(v, lang) for v in d["villages"]]
    order = list(d["label"])
    y = alt.Y("label:N", sort=order, title=None, scale=alt.Scale(paddingInner=0.3, paddingOuter=0.15),
              axis=alt.Axis(labelLimit=160, ticks=False, domain=False, labelOverlap=False))
    color = alt.Color("status:N", scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values())),
                      legend=None)
    top = max(float(d["villages"].max()) if len(d) else 0, 1)
    bars = alt.Chart(d).mark_bar(cornerRadiusEnd=3).encode(
        y=y, x=alt.X("villages:Q", title=None, axis=None, scale=alt.Scale(domain=[0, top * 1.18])), color=color,
        tooltip=[alt.Tooltip("label:N", title=None), alt.Tooltip("teks:N", title=None)])
    text = alt.Chart(d).mark_text(align="left", dx=5, fontSize=14, fontWeight="bold", color=TEXT).encode(
        y=y, x="villages:Q", text="teks:N")
    chart = alt.layer(bars, text).properties(height=height or 40 * max(len(d), 1) + 10, width="container")
    return chart.properties(description=description)


def per_year(df: pd.DataFrame, lang: str = "id", *, to_date_label: str = "", y_title: str = "",
             description: str = "", height: int = 220) -> alt.LayerChart:
    """Villages certified per calendar year as columns with their count on top.

    `df` has columns year, certified and to_date (True for a year still running: drawn lighter and
    labelled with `to_date_label`, e.g. 's.d. 1 Agu 2018').
    """
    d = df[["year", "certified", "to_date"]].copy()
    d["label"] = [f"{y} ({to_date_label})" if t and to_date_label else str(y) for y, t in zip(d["year"], d["to_date"])]
    d["teks"] = [fmt.number(v, lang) for v in d["certified"]]
    d["opacity"] = [0.55 if t else 1.0 for t in d["to_date"]]
    x = alt.X("label:N", sort=list(d["label"]), title=None, scale=alt.Scale(paddingInner=0.35, paddingOuter=0.2),
              axis=alt.Axis(labelAngle=0, ticks=False, labelLimit=200, labelOverlap=False))
    top = max(float(d["certified"].max()) if len(d) else 0, 1)
    bars = alt.Chart(d).mark_bar(color=PRIMARY, cornerRadiusEnd=3).encode(
        x=x, y=alt.Y("certified:Q", title=y_title or None, axis=None, scale=alt.Scale(domain=[0, top * 1.2])),
        opacity=alt.Opacity("opacity:Q", scale=None),
        tooltip=[alt.Tooltip("label:N", title=None), alt.Tooltip("teks:N", title=y_title or None)])
    text = alt.Chart(d).mark_text(baseline="bottom", dy=-4, fontSize=15, fontWeight="bold", color=TEXT).encode(
        x=x, y="certified:Q", text="teks:N")
    chart = alt.layer(bars, text).properties(height=height, width="container")
    return chart.properties(description=description)


def units_vs_target(df: pd.DataFrame, lang: str = "id", *, certified_label: str = "", target_label: str = "",
                    description: str = "", row_height: int = 24) -> alt.LayerChart:
    """Certified villages per unit (region, branch, regency) as bars, each unit's target as a red tick.

    `df` has columns name, certified and target_villages (NULL: no tick); rows are shown in the given order.
    """
    d = df[["name", "certified", "target_villages"]].copy()
    d["target"] = pd.to_numeric(d["target_villages"], errors="coerce").astype("float")
    d["teks"] = [fmt.number(c, lang) + ("" if t != t else " / " + fmt.number(t, lang))
                 for c, t in zip(d["certified"], d["target"])]
    d["sasaran"] = [fmt.number(t, lang) if t == t else "–" for t in d["target"]]
    d["capai"] = [fmt.number(c, lang) for c in d["certified"]]
    top = max(float(d["certified"].max()) if len(d) else 0, float(d["target"].max()) if d["target"].notna().any() else 0, 1)
    y = alt.Y("name:N", sort=list(d["name"]), title=None, scale=alt.Scale(paddingInner=0.25, paddingOuter=0.1),
              axis=alt.Axis(labelLimit=170, ticks=False, domain=False, labelOverlap=False))
    xs = alt.Scale(domain=[0, top * 1.25])
    tip = [alt.Tooltip("name:N", title=None), alt.Tooltip("capai:N", title=certified_label or None),
           alt.Tooltip("sasaran:N", title=target_label or None)]
    bars = alt.Chart(d).mark_bar(color=PRIMARY, cornerRadiusEnd=3).encode(
        y=y, x=alt.X("certified:Q", title=None, scale=xs, axis=alt.Axis(format=",d", tickMinStep=1, grid=True)),
        tooltip=tip)
    ticks = alt.Chart(d[d["target"].notna()]).mark_tick(color=TARGET, thickness=3, size=row_height * 0.95, opacity=1).encode(
        y=y, x=alt.X("target:Q", scale=xs), tooltip=tip)
    text = alt.Chart(d).mark_text(align="left", dx=6, fontSize=12, color=TEXT).encode(
        y=y, x=alt.X("xt:Q", scale=xs), text="teks:N").transform_calculate(
        xt="max(datum.certified, isValid(datum.target) ? datum.target : 0)")
    # the height includes the x axis (Streamlit fits the whole chart into it)
    chart = alt.layer(bars, ticks, text).properties(height=row_height * max(len(d), 1) + 34, width="container")
    return chart.properties(description=description)


def pace(needed: float | None, pace_3m: float | None, pace_6m: float | None, lang: str = "id", *,
         labels: dict[str, str] | None = None, description: str = "", height: int = 110) -> alt.LayerChart:
    """Villages per month achieved (last 3 and 6 complete months) as bars against the pace needed (red rule).

    `labels` has keys pace_3m, pace_6m, needed. Without a needed pace (no target, met, deadline passed)
    only the bars show.
    """
    lab = {"pace_3m": "3", "pace_6m": "6", "needed": "", **(labels or {})}
    d = pd.DataFrame([{"label": lab["pace_3m"], "v": float(pace_3m or 0), "o": 1.0},
                      {"label": lab["pace_6m"], "v": float(pace_6m or 0), "o": 0.6}])
    d["teks"] = [fmt.number(v, lang, 1) for v in d["v"]]
    top = max(float(d["v"].max()), float(needed or 0), 1)
    xs = alt.Scale(domain=[0, top * 1.3])
    y = alt.Y("label:N", sort=list(d["label"]), title=None, scale=alt.Scale(paddingInner=0.3, paddingOuter=0.1),
              axis=alt.Axis(labelLimit=220, ticks=False, domain=False, labelOverlap=False))
    layers = [
        alt.Chart(d).mark_bar(color=PRIMARY, cornerRadiusEnd=3).encode(
            y=y, x=alt.X("v:Q", title=None, scale=xs, axis=None), opacity=alt.Opacity("o:Q", scale=None),
            tooltip=[alt.Tooltip("label:N", title=None), alt.Tooltip("teks:N", title=None)]),
        alt.Chart(d).mark_text(align="left", dx=5, fontSize=14, fontWeight="bold", color=TEXT).encode(
            y=y, x=alt.X("v:Q", scale=xs), text="teks:N"),
    ]
    if needed is not None and needed == needed:
        r = pd.DataFrame([{"v": float(needed), "teks": f"{lab['needed']} {fmt.number(needed, lang, 1)}".strip()}])
        layers.append(alt.Chart(r).mark_rule(color=TARGET, strokeWidth=3).encode(x=alt.X("v:Q", scale=xs)))
        right = float(needed) > 0.55 * top * 1.3  # label on the rule's left when the rule sits far right
        layers.append(alt.Chart(r).mark_text(color=TARGET, align="right" if right else "left", baseline="bottom",
                                             dx=-5 if right else 5, y=-3, fontSize=12, fontWeight="bold")
                      .encode(x=alt.X("v:Q", scale=xs), text="teks:N"))
    chart = alt.layer(*layers).properties(height=height, width="container")
    return chart.properties(description=description)
