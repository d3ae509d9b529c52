"""Ringkasan: national or scoped progress against the target."""
import pandas as pd
import streamlit as st

from desasadar import offices, ranking
from desasadar.charts import ringkasan as ringkasan_charts
from desasadar.ui import a11y, chart
from desasadar.ui.context import context

ctx = context()
st.title(ctx.t("nav.ringkasan"))

T, year = ctx.t, ctx.year
BADGE = {"on_track": "green", "achieved": "green", "at_risk": "orange", "off_track": "red", "missed": "red",
         "no_target": "gray"}


def _val(x):
    """A cell as a plain value, None for NULL/NaN/NaT."""
    return None if x is None or pd.isna(x) else x


def _delta(change, text: str, neutral: bool = False) -> dict:
    """st.metric arguments for a change: ctx.signed writes '−', which st.metric does not read as negative.
    `neutral`: the change is neither good nor bad (grey; st.metric colours the sparkline the same)."""
    if change is None:
        return {"delta": None}
    if change == 0:
        return {"delta": text, "delta_color": "off", "delta_arrow": "off"}
    if neutral:
        return {"delta": text, "delta_color": "off", "delta_arrow": "up" if change > 0 else "down"}
    return {"delta": text, "delta_color": "green" if change > 0 else "red", "delta_arrow": "up" if change > 0 else "down"}


# --- data for the headline (every number comes from a query file); the charts' own queries run after
# the headline numbers are on screen: first paint first.
gauge_row = ctx.run("target_capaian", year=year).iloc[0]
pace_row = ctx.run("laju_target", year=year).iloc[0]
kpi = ctx.run("kpi_perubahan").iloc[0]
tren = ctx.run("tren_sertifikasi")

st.caption(T("ringkasan.heading", scope=ctx.scope_name(), year=year))

certified = int(gauge_row.certified)
target = _val(gauge_row.target_villages)
deadline = _val(gauge_row.period_end)
status = pace_row.status
num, pct = ctx.num, ctx.pct

# --- row 1: gauge and KPI cards --------------------------------------------------------------------------
g_col, k_col = st.columns([4, 8], gap="large")
with g_col:
    st.markdown(f"**{T('ringkasan.gauge_title', year=year)}**")
    if target is not None:
        label = T("ringkasan.gauge_label", certified=num(certified), target=num(target))
        alt_text = T("ringkasan.gauge_alt", certified=num(certified), target=num(target), share=pct(_val(gauge_row.share)))
    else:
        label = T("ringkasan.gauge_label_no_target", certified=num(certified))
        alt_text = T("ringkasan.gauge_alt_no_target", year=year, certified=num(certified))
    # inline SVG, not a Vega chart: the headline figure is drawn with the first paint (st.html strips SVG;
    # every text in it is ours and escaped, see gauge_svg)
    st.markdown(ringkasan_charts.gauge_svg(certified, target, ctx.lang, label=label, size=300, description=alt_text),
                unsafe_allow_html=True)
    if target is None:
        st.markdown(T("ringkasan.no_target", year=year, certified=num(certified), date=ctx.date_medium(gauge_row.evaluated_on)))
        if gauge_row.parts > 1 and gauge_row.parts_without_target < gauge_row.parts:
            st.caption(T("ringkasan.no_target_parts", missing=num(gauge_row.parts_without_target),
                         parts=num(gauge_row.parts), year=year))
    elif target == 0:
        st.markdown(T("ringkasan.target_zero", year=year, certified=num(certified)))
    elif gauge_row.surplus > 0:
        st.markdown(T("ringkasan.exceeded", target=num(target), surplus=num(gauge_row.surplus),
                      certified=num(certified), share=pct(gauge_row.share)))
    elif gauge_row.remaining == 0:
        st.markdown(T("ringkasan.met", target=num(target), certified=num(certified)))
    else:
        st.markdown(T("ringkasan.remaining", remaining=num(gauge_row.remaining), target=num(target),
                      deadline=ctx.date_medium(deadline)))
    if gauge_row.evaluated_on < gauge_row.as_of and target is not None:
        st.caption(T("ringkasan.evaluated_on", date=ctx.date_medium(gauge_row.evaluated_on)))
    if target is not None and gauge_row.target_is_demo:
        # the demo split's own text is Indonesian and says "not official" already: one sentence, in the UI language
        st.caption(T("ringkasan.target_source_demo"))
    elif target is not None and _val(gauge_row.source):
        st.caption(T("ringkasan.target_source", source=ctx.source(gauge_row.source)))

with k_col, st.container(key="kpi_cards"):  # two to a row on a phone (ui/phone.py)
    has_prev = _val(kpi.prev_id) is not None
    since = T("ringkasan.since", date=ctx.date_short(kpi.prev_as_of)) if has_prev else T("ringkasan.no_prev")

    spark_alts = {}  # metric label -> its sparkline in words (a11y.sparkline_alts)

    def card(col, label: str, value: str, change, change_text: str, help_text: str, spark: str,
             neutral: bool = False) -> None:
        if len(tren) > 1:
            show = pct if spark == "coverage_certified" else num
            series = tren[spark].fillna(0)
            spark_alts[label] = T("ringkasan.spark_alt", label=label[0].lower() + label[1:], n=num(len(tren)),
                                  first=ctx.date_short(tren.as_of.iloc[0]), last=ctx.date_short(tren.as_of.iloc[-1]),
                                  start=show(series.iloc[0]), end=show(series.iloc[-1]),
                                  low=show(series.min()), high=show(series.max()))
        with col:
            delta = _delta(change if has_prev else None, change_text, neutral)
            st.metric(label, value, **delta, help=help_text, border=True,
                      delta_description=since if delta["delta"] is not None or not has_prev else None,
                      chart_data=tren[spark].fillna(0).tolist() if len(tren) > 1 else None, chart_type="area")

    cov_change = _val(kpi.coverage_certified_change)
    cov_text = (T("ringkasan.points", x=ctx.signed(cov_change * 100, 2 if abs(cov_change) < 0.001 else 1))
                if cov_change is not None else "")
    r1, r2 = st.columns(2), st.columns(2)
    # One rule for a past target year: figures beside that year's target count on its deadline (gauge,
    # Peringkat); this card is the snapshot's own count, so it then names its date.
    certified_label = (T("ringkasan.kpi_certified_on", date=ctx.date_short(gauge_row.as_of))
                       if gauge_row.evaluated_on < gauge_row.as_of else T("ringkasan.kpi_certified"))
    card(r1[0], certified_label, num(kpi.certified), _val(kpi.certified_change),
         ctx.signed(_val(kpi.certified_change)), T("ringkasan.kpi_certified_help"), "certified")
    card(r1[1], T("ringkasan.kpi_aparatur"), num(kpi.aparatur), _val(kpi.aparatur_change),
         ctx.signed(_val(kpi.aparatur_change)), T("ringkasan.kpi_aparatur_help"), "aparatur")
    card(r2[0], T("ringkasan.kpi_participants"), num(kpi.participants_certified), _val(kpi.participants_certified_change),
         ctx.signed(_val(kpi.participants_certified_change)), T("ringkasan.kpi_participants_help"), "participants_certified")
    card(r2[1], T("ringkasan.kpi_coverage"), pct(_val(kpi.coverage_certified)), cov_change, cov_text,
         T("ringkasan.kpi_coverage_help"), "coverage_certified", neutral=True)
    a11y.sparkline_alts(spark_alts)

# --- row 2: pace and status ------------------------------------------------------------------------------
st.header(T("ringkasan.pace_title", year=year))
p = pace_row
needed, pace3, pace6 = _val(p.needed_per_month), _val(p.pace_3m), _val(p.pace_6m)
share_txt, days_txt = pct(p.at_risk_from, 0), num(p.days_per_month, 2)
s_col, m_col = st.columns([4, 8], gap="large")
with s_col:
    st.badge(T(f"ringkasan.status.{status}"), color=BADGE[status],
             icon=":material/check_circle:" if BADGE[status] == "green" else ":material/warning:"
             if status in ("at_risk", "off_track", "missed") else ":material/remove:")
    st.markdown(T(f"ringkasan.status_note.{status}", pace=num(pace3, 1), needed=num(needed, 1), share=share_txt,
                  certified=num(p.certified), target=num(_val(p.target_villages)), deadline=ctx.date_medium(_val(p.period_end))))
    if needed:  # Streamlit's own bar (no Vega embed): the last 3 months' pace against the pace needed
        st.progress(min((pace3 or 0) / needed, 1.0),
                    text=T("ringkasan.pace_progress", pace=num(pace3, 1), needed=num(needed, 1),
                           share=pct((pace3 or 0) / needed, 0)))
# the four pace figures, one column each
window_end = T("ringkasan.pace_window", date=ctx.date_short(p.window_to))
pace_cards = m_col.container(key="pace_cards")  # two to a row on a phone (ui/phone.py)
m1, m2, m3, m4 = [c for _ in range(2) for c in pace_cards.columns(2)]
if needed is not None:
    needed_note = T("ringkasan.needed_until", deadline=ctx.date_short(p.period_end))
    needed_help = T("ringkasan.needed_help", remaining=num(p.remaining), months=num(p.months_left, 1),
                    as_of=ctx.date_short(p.as_of), deadline=ctx.date_short(p.period_end))
else:
    needed_note = T("ringkasan.needed_no_target" if status == "no_target" else
                    "ringkasan.needed_deadline" if status == "missed" else "ringkasan.needed_none")
    needed_help = None
m1.metric(T("ringkasan.needed"), num(needed, 1), delta=needed_note, delta_color="off", delta_arrow="off",
          help=needed_help, border=True)
m2.metric(T("ringkasan.pace_3m"), num(pace3, 1), delta=window_end, delta_color="off", delta_arrow="off", border=True,
          help=T("ringkasan.pace_help", start=ctx.date_short(p.window_3m_from), end=ctx.date_short(p.window_to), n=3))
m3.metric(T("ringkasan.pace_6m"), num(pace6, 1), delta=window_end, delta_color="off", delta_arrow="off", border=True,
          help=T("ringkasan.pace_help", start=ctx.date_short(p.window_6m_from), end=ctx.date_short(p.window_to), n=6))
projected = _val(p.projected_on)
if projected is not None:
    late = deadline is not None and projected > deadline
    proj_note = T("ringkasan.projected_late" if late else "ringkasan.projected_in_time", deadline=ctx.date_short(deadline))
    m4.metric(T("ringkasan.projected"), ctx.date_short(projected), delta=proj_note, border=True,
              delta_color="red" if late else "green", delta_arrow="off", help=T("ringkasan.projected_help"))
else:
    # the card always says why there is no date
    proj_note = T({"no_target": "ringkasan.projected_no_target", "missed": "ringkasan.projected_over",
                   "achieved": "ringkasan.projected_done"}.get(status, "ringkasan.projected_never"), year=year)
    m4.metric(T("ringkasan.projected"), "–", delta=proj_note, delta_color="off", delta_arrow="off", border=True,
              help=T("ringkasan.projected_help"))
st.caption(T("ringkasan.rule", share=share_txt, days=days_txt))

# --- the headline is out: now the charts ------------------------------------------------------------------
tahap = ctx.run("pipeline_status")
per_tahun = ctx.run("sertifikasi_per_tahun")
tingkat = ctx.scope.unit_below  # regions nationally, a branch's or an area's regencies, else branches
per_unit = ctx.run("sertifikasi_per_wilayah", tingkat=tingkat, year=year)
per_unit = offices.with_labels(per_unit, ctx.lang, "name", "branch_basis")  # "perkiraan" marks

# --- best and lagging branch offices (top and bottom five by % of target), linking to Peringkat ----------
def office_line(r) -> str:
    return T("ringkasan.office_line", rank=num(r.rank), name=offices.label(r.branch_name, r.name_basis, ctx.lang),
             pct=pct(r.pct_target, 0),
             certified=num(r.certified), target=num(r.target))


if ctx.level != "branch":
    ends = ranking.ends(ctx.run("cabang_peringkat", year=year, ukuran="persen_target"))
    if ends.ranked >= 2:
        st.header(T("ringkasan.offices_title", year=year))
        k = len(ends.best)
        best_col, lag_col = st.columns(2, gap="large")
        with best_col:
            st.markdown(f"**{T('ringkasan.offices_best', n=num(k))}**")
            st.markdown("\n".join(f"- {office_line(r)}" for r in ends.best))
        with lag_col:
            st.markdown(f"**{T('ringkasan.offices_lagging', n=num(k))}**")
            st.markdown("\n".join(f"- {office_line(r)}" for r in ends.lagging))
        st.caption(T("ringkasan.offices_caption", n=num(ends.ranked))
                   + (" " + T("ringkasan.offices_unranked", n=num(ends.unranked)) if ends.unranked else ""))
        st.page_link("pages/peringkat.py", label=T("ringkasan.offices_link"), icon=":material/leaderboard:",
                     query_params=ctx.link_params())

# --- row 3: trend and pipeline ---------------------------------------------------------------------------
t_col, p_col = st.columns([8, 4], gap="large")
with t_col:
    st.markdown(f"**{T('ringkasan.trend_title')}**")
    trend_alt = T("ringkasan.trend_alt", first=ctx.date_short(tren.as_of.iloc[0]), last=ctx.date_short(tren.as_of.iloc[-1]),
                  start=num(tren.certified.iloc[0]), end=num(tren.certified.iloc[-1]))
    if target is not None:
        trend_alt += " " + T("ringkasan.trend_alt_target", year=year, target=num(target))
    chart.show(ringkasan_charts.trend, tren, ctx.lang, target=target, deadline=deadline, y_title=T("ringkasan.trend_y"),
               target_label=T("ringkasan.trend_target", year=year, target=num(target)) if target is not None else "",
               needed_label=T("ringkasan.trend_needed"), description=trend_alt, height=250,
               lang=ctx.lang)
    st.caption(T("ringkasan.trend_caption", date=ctx.date_medium(ctx.as_of)))
with p_col:
    st.markdown(f"**{T('ringkasan.pipeline_title')}**")
    labels = {s: T(f"status.{s}") for s in tahap.status}
    pipe_alt = T("ringkasan.pipeline_alt", items="; ".join(f"{labels[s]} {num(v)}" for s, v in zip(tahap.status, tahap.villages)))
    chart.show(ringkasan_charts.pipeline, tahap, ctx.lang, labels=labels, description=pipe_alt, height=190,
               lang=ctx.lang)
    st.caption(T("ringkasan.pipeline_caption", date=ctx.date_medium(ctx.as_of)))

# --- row 4: per year and per unit ------------------------------------------------------------------------
y_col, u_col = st.columns([4, 8], gap="large")
with y_col:
    st.markdown(f"**{T('ringkasan.per_year_title')}**")
    to_date = T("ringkasan.per_year_to_date", date=ctx.date_short(ctx.as_of))
    items = " · ".join(f"{y}{' (' + to_date + ')' if d else ''}: {num(c)}"
                       for y, c, d in zip(per_tahun.year, per_tahun.certified, per_tahun.to_date))
    year_alt = T("ringkasan.per_year_alt", items=items)
    chart.show(ringkasan_charts.per_year, per_tahun, ctx.lang, to_date_label=to_date, description=year_alt, height=200,
               lang=ctx.lang)
    st.markdown(items)
    st.caption(T("ringkasan.per_year_caption"))
with u_col:
    st.markdown(f"**{T(f'ringkasan.per_unit_{tingkat}')}**")
    if per_unit.empty:
        st.info(T("ringkasan.per_unit_empty"), icon=":material/info:")
    else:
        unit_alt = T("ringkasan.per_unit_alt", items="; ".join(
            f"{n} {num(c)}" + ("" if pd.isna(t) else f"/{num(t)}")
            for n, c, t in zip(per_unit.name, per_unit.certified, per_unit.target_villages)))
        chart.show(ringkasan_charts.units_vs_target, per_unit, ctx.lang, certified_label=T("ringkasan.per_unit_certified"),
                   target_label=T("ringkasan.per_unit_target", year=year), description=unit_alt,
                   row_height=30 if len(per_unit) <= 8 else 24 if len(per_unit) <= 15 else 19,
                   lang=ctx.lang)
        has_targets = per_unit.target_villages.notna().any()
        st.caption(T("ringkasan.per_unit_legend" if has_targets else "ringkasan.per_unit_legend_no_target", year=year))
