"""Desa: find any village in scope; its profile at ?desa=<code> (checklist, steps, enrollment, trend, rank)."""
from typing import NamedTuple

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from desasadar import domain, echo, frame_memo, search
from desasadar.charts import desa as desa_charts
from desasadar.ui import bukti, chart, fit, phone
from desasadar.ui.auth import record_refusal
from desasadar.ui.context import context

ctx = context()
T = ctx.t
PARAM = "desa"             # this page's own URL parameter
SEARCH_SHOWN = 10          # search hits listed as links
LIST_CAP = 5000            # rows sent to the browser in the village list
NEXT_CEREMONIES = domain.NEXT_CEREMONIES
ORDER = ("certified", "verified", "proposed", "revoked", "none")  # list order and status filter order
OK = ":green[:material/check_circle:]"
NOT_OK = ":red[:material/cancel:]"
PENDING = ":gray[:material/radio_button_unchecked:]"


def md(text) -> str:
    """Data text (names from the register) shown in markdown as plain text."""
    return echo.inert(text, limit=200)


def village_title(kind: str, name: str) -> str:
    """'Desa Ekang Anculai' / 'Ekang Anculai (desa)'."""
    return T("desa.name_kelurahan" if kind == "kelurahan" else "desa.name_desa", name=name)


def status_label(s: str) -> str:
    return T(f"status.{s}")


def open_village(code: str) -> None:
    st.query_params[PARAM] = code


def close_village() -> None:
    if PARAM in st.query_params:
        del st.query_params[PARAM]


def open_selected(key: str, codes: list[str]) -> None:
    """on_select of a table: open the chosen row's village, and forget the selection."""
    rows = st.session_state[key].selection.rows
    if rows:
        open_village(codes[rows[0]])
    st.session_state["desa_table_nonce"] = st.session_state.get("desa_table_nonce", 0) + 1


def missing_items(r) -> list[str]:
    """The unmet criteria of a village row (profile or next-ceremony), in words."""
    out = []
    if not r.head_ok:
        out.append(T("desa.miss_head"))
    if not r.officials_ok:
        out.append(T("desa.miss_officials", n=ctx.num(r.officials_total - r.officials_enrolled))
                   if r.officials_total > 0 else T("desa.miss_officials_unknown"))
    if not r.agent_ok:
        out.append(T("desa.miss_agent"))
    if not r.regulation_ok:
        out.append(T("desa.miss_regulation"))
    return out


class ListTable(NamedTuple):
    frame: pd.DataFrame      # the columns the list can show, at most LIST_CAP rows
    n: int                   # villages with the chosen statuses (before the cap)
    codes: list[str]         # village code of each row
    widths: dict[str, int]
    shown: list[str]         # the columns that fit a projector
    shown_big: list[str]     # the columns that fit a big screen (fit.BIG_SCREEN)


@frame_memo.per_frame
def status_counts(rows: pd.DataFrame) -> dict[str, int]:
    return rows["status"].value_counts().to_dict()


def table_dates(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    return frame.assign(**{c: pd.to_datetime(frame[c]).dt.date for c in cols})


DATE_FMT = "DD/MM/YYYY" if ctx.lang == "id" else "D MMM YYYY"


# --- search and list --------------------------------------------------------------------
def search_box(rows: pd.DataFrame) -> None:
    q = st.text_input(T("desa.search_label"), key="desa_q", placeholder=T("desa.search_placeholder"),
                      icon=":material/search:")
    if not q.strip():
        return
    hits = search.villages(rows, q, limit=None)
    if hits.empty:
        st.info(T("desa.search_none", q=echo.inert(q)), icon=":material/search_off:")
        return
    n = len(hits)
    if n > SEARCH_SHOWN:
        st.caption(T("desa.search_hits_more", n=ctx.num(n), q=echo.inert(q), shown=SEARCH_SHOWN))
    else:
        st.caption(T("desa.search_hits", n=ctx.num(n), q=echo.inert(q)))
    with st.container(border=True):
        for r in hits.head(SEARCH_SHOWN).itertuples(index=False):
            c1, c2, c3, c4 = st.columns([3, 5, 2, 2], vertical_alignment="center")
            with c1:
                page_link_self(village_title(r.kind, r.village_name), r.village_code)
            c2.markdown(md(T("desa.search_result_place", district=r.district_name, regency=r.regency_name,
                             province=r.province_name)) + f"  \n:gray[{r.village_code}]")
            c3.markdown(f":{status_color(r.status)}-badge[{status_label(r.status)}]")
            c4.markdown(f"{ctx.num(r.participants_active)} :gray[{T('desa.col_participants').lower()}]")


def status_color(s: str) -> str:
    return {"certified": "green", "verified": "blue", "proposed": "orange", "revoked": "gray"}.get(s, "gray")


def page_link_self(label: str, code: str) -> None:
    """A link that opens a village's profile on this page (a real URL: can be opened in a new tab)."""
    st.page_link("pages/desa.py", label=label, icon=":material/holiday_village:",
                 query_params=ctx.link_params(**{PARAM: code}))


# The header of every column the Desa tables show (locale keys)
LABELS = {"village_code": "desa.col_code", "village_name": "desa.col_village", "district_name": "desa.col_district",
          "regency_name": "desa.col_regency", "branch_name": "desa.col_branch", "status": "desa.col_status",
          "proposed_on": "desa.col_proposed", "verified_on": "desa.col_verified", "certified_on": "desa.col_certified",
          "since": "desa.col_since", "criteria_met": "desa.col_criteria", "criteria_missing": "desa.col_missing",
          "missing_what": "desa.col_missing_what", "participants_active": "desa.col_participants"}


def column(col: str, width: int):
    """One column of a Desa table as the grid shows it: its header, format and width."""
    label = T(LABELS[col])
    if col in ("proposed_on", "verified_on", "certified_on", "since"):
        return st.column_config.DateColumn(label, format=DATE_FMT, width=width)
    if col == "criteria_met":
        return st.column_config.ProgressColumn(label, min_value=0, max_value=4, format="%d/4", width=width)
    if col == "criteria_missing":
        return st.column_config.NumberColumn(label, format="%d", width=width)
    if col == "participants_active":
        # a number (so the column sorts as one) without separators: "localized" follows the browser's locale, and
        # an English browser wrote "1,119" on the Indonesian page
        return st.column_config.NumberColumn(label, format="%d", width=width)
    return st.column_config.TextColumn(label, width=width)


@frame_memo.per_frame
def list_table(rows: pd.DataFrame, chosen: tuple[str, ...], lang: str, level: str) -> ListTable | None:
    """The village list for the statuses `chosen`, made once per query result, choice, language and level (the
    sort, the dates, the labels and the column widths were half of a warm Desa rerun). None: nothing to list."""
    view = rows[rows["status"].isin(chosen)]
    if view.empty:
        return None
    rank = {s: i for i, s in enumerate(ORDER)}
    latest = view[["revoked_on", "certified_on", "verified_on", "proposed_on"]].bfill(axis=1).iloc[:, 0]
    view = (view.assign(_rank=view["status"].map(rank), _latest=latest)
            .sort_values(["_rank", "_latest", "village_code"], ascending=[True, False, True]))
    n = len(view)
    view = view.head(LIST_CAP)
    disp = table_dates(view, ["proposed_on", "verified_on", "certified_on"]).assign(
        status=view["status"].map(status_label))
    # a branch sees kecamatan; wider scopes see the branch instead (the search shows both)
    cols = ["village_code", "village_name"]
    cols += ["district_name", "regency_name"] if level == "branch" else ["regency_name", "branch_name"]
    cols += ["status", "proposed_on", "verified_on", "certified_on", "criteria_met", "participants_active"]
    # On a projector (1280 px) the columns that fit, in this order; the profile a row opens has the rest.
    names = {c: fit.column_width(T(LABELS[c]), disp[c], share=0.95)
             for c in ("village_name", "district_name", "regency_name", "branch_name", "status") if c in cols}
    widths = {"village_code": 108, "proposed_on": 96, "verified_on": 96, "certified_on": 104, "criteria_met": 80,
              "participants_active": 100, **names}
    order = ("village_name", "status", *cols[2:4], "certified_on", "criteria_met", "participants_active",
             "village_code", "verified_on", "proposed_on")
    shown, shown_big = (fit.columns_that_fit(widths, order, cols, room) for room in (fit.PROJECTOR, fit.BIG_SCREEN))
    return ListTable(disp[cols], n, view["village_code"].tolist(), widths, shown, shown_big)


def village_list(rows: pd.DataFrame) -> None:
    st.header(T("desa.list_title"))
    counts = status_counts(rows)
    options = [s for s in ORDER if counts.get(s, 0) > 0]
    chosen = st.pills(T("desa.list_status"), options, selection_mode="multi",
                      default=[s for s in options if s != "none"], key="desa_status",
                      format_func=lambda s: f"{status_label(s)} ({ctx.num(counts.get(s, 0))})")
    listed = list_table(rows, tuple(chosen or ()), ctx.lang, ctx.level)
    if listed is None:
        st.info(T("desa.list_empty"))
        return
    if listed.n > LIST_CAP:
        st.caption(T("desa.list_capped", n=ctx.num(listed.n), shown=ctx.num(LIST_CAP)))
    else:
        st.caption(T("desa.list_caption", n=ctx.num(listed.n)))
    key = f"desa_list_{st.session_state.get('desa_table_nonce', 0)}"
    cols, widths = list(listed.frame.columns), listed.widths

    def left_out(shown: list[str]) -> str | None:
        rest = [c for c in cols if c not in shown]
        return T("desa.list_more_columns", columns=", ".join(T(LABELS[c]) for c in rest)) if rest else None

    phone.table(  # on a phone: the village and its status (the profile has the rest)
        listed.frame, key, ["village_name", "status"], lambda k: open_selected(k, listed.codes), wide=listed.shown,
        big=listed.shown_big, note=left_out, hide_index=True, height=min(38 + 35 * len(listed.frame), 460),
        placeholder="–", column_config={c: column(c, widths[c]) for c in cols},
    )


@frame_memo.per_frame
def ceremony_table(near: pd.DataFrame, lang: str, level: str) -> ListTable:
    """The next-ceremonies table, made once per query result, language and level."""
    what = ["; ".join(missing_items(r)) or T("desa.all_met") for r in near.itertuples(index=False)]
    disp = near.assign(status=near["status"].map(status_label), missing_what=what,
                       since=pd.to_datetime(near["verified_on"].fillna(near["proposed_on"])).dt.date)
    cols = ["village_name", "district_name", "regency_name"]
    if level != "branch":
        cols.append("branch_name")
    cols += ["status", "since", "criteria_missing", "missing_what", "participants_active"]
    # On a projector (1280 px): the village, what it still misses and where, while they fit
    widths = {c: max(fit.column_width(T(LABELS[c]), disp[c]), 96 if c == "since" else 0) for c in cols}
    widths["missing_what"] = min(widths["missing_what"], 320)  # a long list is cut; the profile has it
    order = ("village_name", "criteria_missing", "missing_what", "regency_name", "branch_name", "status", "since",
             "participants_active", "district_name")
    shown, shown_big = (fit.columns_that_fit(widths, order, cols, room) for room in (fit.PROJECTOR, fit.BIG_SCREEN))
    return ListTable(disp[cols], len(near), near["village_code"].tolist(), widths, shown, shown_big)


def next_ceremonies() -> None:
    st.header(T("desa.hampir_title"))
    st.caption(T("desa.hampir_caption"))
    near = ctx.run("desa_hampir", limit=NEXT_CEREMONIES)
    if near.empty:
        st.info(T("desa.hampir_none"))
        return
    listed = ceremony_table(near, ctx.lang, ctx.level)
    key = f"desa_near_{st.session_state.get('desa_table_nonce', 0)}"
    phone.table(  # on a phone: the village and how many criteria it still misses
        listed.frame, key, ["village_name", "criteria_missing"], lambda k: open_selected(k, listed.codes),
        hide_index=True, wide=listed.shown, big=listed.shown_big,
        column_config={c: column(c, listed.widths[c]) for c in listed.frame.columns},
    )


def landing(rows: pd.DataFrame) -> None:
    search_box(rows)
    village_list(rows)
    next_ceremonies()
    bukti.incomplete(ctx, PARAM)


# --- profile ------------------------------------------------------------------------------
def identity(p) -> None:
    st.markdown(f"**{T('desa.identity')}**")
    branch = T("desa.branch_name", name=p.branch_name) if isinstance(p.branch_name, str) else T("desa.no_office")
    region = T("desa.region_name", name=p.region_name) if isinstance(p.region_name, str) else T("desa.no_office")
    items = [
        ("desa.id_code", p.village_code),
        ("desa.id_kind", T("desa.kind_kelurahan") if p.kind == "kelurahan" else T("desa.kind_desa")),
        ("desa.id_district", p.district_name),
        ("desa.id_regency", p.regency_name),
        ("desa.id_province", p.province_name),
        ("desa.id_branch", branch),
        ("desa.id_region", region),
    ]
    st.markdown("  \n".join(f":gray[{T(k)}]: **{md(v)}**" for k, v in items))


def steps(p) -> None:
    st.markdown(f"**{T('desa.pipeline')}**")
    lines = []
    for s, d in (("proposed", p.proposed_on), ("verified", p.verified_on), ("certified", p.certified_on)):
        done = not pd.isna(d)
        lines.append(f"{OK if done else PENDING} {status_label(s)}: "
                     + (f"**{ctx.date(d)}**" if done else f":gray[{T('desa.step_pending')}]"))
    if not pd.isna(p.revoked_on):
        lines.append(f"{NOT_OK} {status_label('revoked')}: **{ctx.date(p.revoked_on)}**")
    st.markdown("  \n".join(lines))
    notes = []
    if not pd.isna(p.days_to_certify):
        notes.append(T("desa.days_to_certify", days=ctx.num(p.days_to_certify)))
    if not pd.isna(p.certified_seq_branch):
        if not pd.isna(p.certified_seq_national):
            notes.append(T("desa.seq", national=ctx.num(p.certified_seq_national),
                           branch=ctx.num(p.certified_seq_branch), name=p.branch_name))
        else:
            notes.append(T("desa.seq_branch_only", branch=ctx.num(p.certified_seq_branch), name=p.branch_name))
    if notes:
        st.caption(" ".join(notes))


def checklist(p) -> None:
    st.markdown(f"**{T('desa.checklist')}**")
    head = T("desa.crit_head_lurah") if p.kind == "kelurahan" else T("desa.crit_head")
    officials = (T("desa.crit_officials", n=ctx.num(p.officials_enrolled), total=ctx.num(p.officials_total))
                 if p.officials_total > 0 else T("desa.crit_officials_unknown"))
    crits = [
        (p.head_ok, f"{head}: **{T('desa.yes') if p.head_ok else T('desa.no')}**"),
        (p.officials_ok, officials),
        (p.agent_ok, f"{T('desa.crit_agent')}: **{T('desa.yes') if p.agent_ok else T('desa.no')}**"),
        (p.regulation_ok, f"{T('desa.crit_regulation')}: **{T('desa.yes') if p.regulation_ok else T('desa.no')}**"),
    ]
    st.markdown("  \n".join(f"{OK if ok else NOT_OK} {text} · "
                            + (f":green[{T('desa.met')}]" if ok else f":red[{T('desa.not_met')}]")
                            for ok, text in crits))
    st.caption(T("desa.criteria_count", met=ctx.num(p.criteria_met)))


def still_missing(p) -> None:
    st.markdown(f"**{T('desa.missing_title')}**")
    if p.status == "certified":
        st.success(T("desa.done_certified", date=ctx.date(p.certified_on)), icon=":material/verified:")
        return
    items = missing_items(p)
    step = {"none": "desa.miss_propose", "proposed": "desa.miss_verify", "verified": "desa.miss_ceremony"}.get(p.status)
    if step:
        items.append(T(step))
    if p.status == "revoked":
        st.error(T("desa.done_revoked", date=ctx.date(p.revoked_on)), icon=":material/gpp_bad:")
    if items:
        st.warning("\n".join(f"- {x}" for x in items), icon=":material/pending_actions:")


def enrollment(p, code: str) -> None:
    st.header(T("desa.enrollment"))
    rin = ctx.run("desa_rincian", village_code=code)
    total = rin[rin["dimension"] == "total"].iloc[0]
    if total.active + total.lapsed == 0:
        st.info(T("desa.enrollment_none"))
        return
    st.caption(T("desa.enrollment_caption", active=ctx.num(total.active), lapsed=ctx.num(total.lapsed)))
    common = dict(active_label=T("desa.active"), lapsed_label=T("desa.lapsed"), axis_title=T("desa.participants_axis"))
    c1, c2 = st.columns(2, gap="large")
    panels = [
        (c1, "segment", "desa.by_segment", lambda k: T(f"desa.segment.{k}")),
        (c1, "programme", "desa.by_programme", lambda k: T(f"desa.programme.{k}")),
        (c2, "occupation", "desa.by_occupation", lambda k: T(f"desa.occupation.{k}")),
    ]
    for col, dim, title, label in panels:
        part = rin[rin["dimension"] == dim]
        with col:
            st.markdown(f"**{T(title)}**")
            chart.show(desa_charts.breakdown_bars, part, ctx.lang, labels={k: label(k) for k in part["key"]},
                       description=T("desa.chart_alt", what=T(title).lower(), village=p.village_name),
                       **common, lang=ctx.lang)


def trend(p, code: str) -> None:
    st.header(T("desa.trend"))
    tr = ctx.run("desa_tren", village_code=code)
    if tr.empty:
        return
    st.caption(T("desa.trend_caption"))
    chart.show(
        desa_charts.participants_trend, tr, ctx.lang, status_labels={s: status_label(s) for s in ORDER},
        series_labels={"participants_active": T("desa.participants_series"),
                       "aparatur_active": T("desa.aparatur_series")},
        date_title=T("desa.trend_date"),
        description=T("desa.trend_alt", village=p.village_name, first=ctx.date_medium(tr["as_of"].iloc[0]),
                      last=ctx.date_medium(tr["as_of"].iloc[-1])),
        lang=ctx.lang,
    )


def links(code: str) -> None:
    """To the map centred on the village and to its ceremony view."""
    present = [("pages/peta.py", "desa.link_map", ":material/map:"),
               ("pages/peresmian.py", "desa.link_ceremony", ":material/celebration:")]
    cols = st.columns(len(present) + 3)
    for col, (page, key, icon) in zip(cols, present):
        with col:
            try:
                st.page_link(page, label=T(key), icon=icon, query_params=ctx.link_params(**{PARAM: code}))
            except StreamlitAPIException:
                pass  # the page is not open to this viewer


def profile(p, code: str) -> None:
    st.button(T("desa.back"), icon=":material/arrow_back:", on_click=close_village, type="tertiary")
    st.title(village_title(p.kind, p.village_name))
    since = {"proposed": p.proposed_on, "verified": p.verified_on, "certified": p.certified_on,
             "revoked": p.revoked_on}.get(p.status)
    line = f":{status_color(p.status)}-badge[{status_label(p.status)}]"
    if since is not None and not pd.isna(since):
        line += " " + T("desa.since", date=f"**{ctx.date(since)}**")
    st.markdown(line + " &nbsp;·&nbsp; " + md(T("desa.place_line", district=p.district_name, regency=p.regency_name,
                                                province=p.province_name)))
    links(code)
    rank = ctx.run("desa_peringkat_cabang", village_code=code)
    m = st.columns(4)
    m[0].metric(T("desa.m_participants"), ctx.num(p.participants_active), border=True,
                help=T("desa.m_participants_delta", n=ctx.num(p.participants_lapsed)))
    m[1].metric(T("desa.m_aparatur"), ctx.num(p.aparatur_active), border=True,
                help=T("desa.m_aparatur_help", rtrw=ctx.num(p.rtrw_staf_active)))
    m[2].metric(T("desa.m_coverage"), ctx.pct(p.coverage), border=True,
                help=T("desa.m_coverage_help", workforce=ctx.num(p.workforce_estimate)))
    if not rank.empty:
        r = rank.iloc[0]
        m[3].metric(T("desa.m_rank"), T("desa.m_rank_value", rank=ctx.num(r.rank_participants),
                                        n=ctx.num(r.villages_in_branch)), border=True,
                    help=T("desa.m_rank_help", n=ctx.num(r.villages_in_branch), branch=p.branch_name,
                           rank_cov=T("desa.m_rank_value", rank=ctx.num(r.rank_coverage),
                                      n=ctx.num(r.villages_in_branch))))
    else:
        m[3].metric(T("desa.m_rank"), "–", border=True)

    c1, c2 = st.columns(2, gap="medium")
    with c1.container(border=True):
        identity(p)
    with c1.container(border=True):
        checklist(p)
    with c2.container(border=True):
        steps(p)
    with c2.container(border=True):
        still_missing(p)
    bukti.section(ctx, p, code)
    enrollment(p, code)
    trend(p, code)


# --- the page -----------------------------------------------------------------------------
raw = st.query_params.get(PARAM)
if raw is not None:
    code = search.normalise_code(raw)
    prof = ctx.run("desa_profil", village_code=code) if code else None
    if prof is not None and not prof.empty:
        # (re)write it: 2101102002 becomes 21.01.10.2002, and a link from this page to itself leaves the
        # address bar without it otherwise; the address bar must be a link to this profile
        st.query_params[PARAM] = code
        profile(prof.iloc[0], code)
    else:
        st.title(T("desa.title"))
        st.error(T("desa.not_found"), icon=":material/search_off:")
        record_refusal(ctx.viewer, PARAM, raw)  # outside the viewer's scope, or no such village
        st.markdown(T("desa.not_found_detail", code=echo.inert(raw, limit=40), date=ctx.date(ctx.as_of)))
        search_box(ctx.run("desa_cari"))
else:
    st.title(T("desa.title"))
    st.caption(T("desa.intro"))
    landing(ctx.run("desa_cari"))
