"""Peringkat: fair rankings of wilayah, cabang and villages, bands of % of target, movement since the last snapshot."""
import contextlib

import pandas as pd
import streamlit as st

from desasadar import echo, table_files, fmt, frame_memo, ranking
from desasadar.charts import peringkat as peringkat_charts
from desasadar.ui import a11y, chart, fit, phone
from desasadar.ui.auth import audited
from desasadar.ui.context import context, keep_across_language

ctx = context()
T = ctx.t
region_of = ctx.structure.region_of()  # the served snapshot's office structure (desasadar/offices.py)


# --- URL-bound choices (this page owns ?ukuran= and ?ukuran_desa=) ------------------------------
def url_choice(param: str, options: tuple[str, ...], default: str, label_key: str) -> None:
    """Seed the widget keyed `pk_<param>` from the URL when the URL changed outside the app (first load,
    a shared link, a switch from a row click); an unknown value falls back to the default, with a note."""
    key, seen = f"pk_{param}", f"_pk_{param}_url"
    keep_across_language(key)  # its labels are translated
    raw = st.query_params.get(param)
    if raw is not None and raw != st.session_state.get(seen):
        value, bad = ranking.parse_choice(raw, options, default)
        st.session_state[key] = value
        if bad is not None:
            st.info(T("peringkat.unknown_measure", param=param, value=echo.inert(bad), default=T(f"{label_key}.{default}")),
                    icon=":material/info:")
    elif st.session_state.get(key) not in options:  # first visit, or back from another page (URL cleared)
        st.session_state[key] = st.session_state.get(seen) or default


def write_url(param: str, value: str) -> None:
    if st.query_params.get(param) != value:
        st.query_params[param] = value
    st.session_state[f"_pk_{param}_url"] = value


def open_view(wilayah: str | None, cabang: str | None) -> None:
    """Reopen this page filtered to a wilayah/cabang; the shell takes the filter from the URL for every page."""
    params = ctx.link_params(wilayah=wilayah, cabang=cabang, ukuran=st.session_state["pk_ukuran"],
                             ukuran_desa=st.session_state.get("pk_ukuran_desa"))
    if not cabang:
        params.pop("cabang", None)
    if not wilayah and not cabang:
        params.pop("wilayah", None)
    st.switch_page("pages/peringkat.py", query_params=params)


# --- tables ---------------------------------------------------------------------------------------
# Every column gets a width measured from its content (desasadar/ui/fit.py), and the columns that do not fit
# are left to the downloads, so no table scrolls sideways at 1280 px or wider.


def screen_table(table: ranking.Table, order: tuple[str, ...]) -> tuple[pd.DataFrame, dict[str, int], list[str]]:
    """The cells as shown (counts, dates and percentages as text in the viewer's format), each column's width,
    and the columns shown: taken in the priority `order` while they fit a projector (fit.PROJECTOR), then put
    back in the table's own order. The downloads keep every column. Shared, read-only: made once per table, order and
    language (Babel wording every cell took most of a warm rerun)."""
    return _screen_table(table.frame, tuple(table.kinds.items()), order, ctx.lang)


@frame_memo.per_frame
def _screen_table(frame: pd.DataFrame, kinds: tuple[tuple[str, str], ...], order: tuple[str, ...],
                  lang: str) -> tuple[pd.DataFrame, dict[str, int], list[str]]:
    frame = frame.copy(deep=False)
    for col, kind in kinds:
        if kind == "count":
            frame[col] = fmt.integers(frame[col], lang)
        elif kind == "date":
            frame[col] = [fmt.date_short(x, lang) if pd.notna(x) else "–" for x in frame[col]]
        elif kind == "percent":
            # as text in the viewer's format ("55,2%"): the grid's own number format writes a decimal point
            frame[col] = ["–" if pd.isna(x) else fmt.percent(x / 100, lang) for x in frame[col]]
    widths = {col: fit.column_width(col, frame[col] if kind != "rank" else ()) for col, kind in kinds}
    return frame, widths, fit.columns_that_fit(widths, order, frame.columns, fit.PROJECTOR)


def show_table(table: ranking.Table, key: str, order: tuple[str, ...], *, chosen: str | None = None,
               selectable: bool = False):
    """A ranking as st.dataframe: the columns of `order` that fit the screen (screen_table), numbers in the
    viewer's language, the chosen office selected (the ranked-by column is named in the heading above).
    Drawn twice (phone.table's CSS shows one): every column that fits a projector, and on a phone the rank,
    the name and the ranked-by figure. Returns the selection event of the copy the viewer clicked.

    Counts are sent as text already formatted (fmt.integers, right-aligned), not through a pandas
    Styler: styling every cell on every rerun cost more than the rest of the page together."""
    frame, widths, columns = screen_table(table, order)
    config = {}
    for col, kind in table.kinds.items():
        helptext = table.helps.get(col)
        if kind == "rank":
            config[col] = st.column_config.NumberColumn(col, help=helptext, width=widths[col], format="%d")
        else:
            config[col] = st.column_config.TextColumn(col, help=helptext, width=widths[col],
                                                      alignment="right" if kind in ("count", "percent") else None)
    rank, name, figure = frame.columns[0], frame.columns[2], table.measure
    figure_width = min(widths[figure], fit.PHONE_FIGURE)
    phone_config = {**config,
                    rank: st.column_config.NumberColumn("#", help=table.helps.get(rank) or rank,
                                                        width=fit.PHONE_RANK, format="%d"),
                    name: st.column_config.TextColumn(name, width=fit.PHONE - fit.PHONE_RANK - figure_width),
                    figure: st.column_config.TextColumn(figure, help=table.helps.get(figure), width=figure_width,
                                                        alignment="right" if table.kinds[figure] != "text" else None)}
    chosen_rows = [i for i, c in enumerate(table.codes) if c == chosen]
    height = min(38 + 35 * max(len(frame), 1), 738)
    select = {"on_select": "rerun", "selection_mode": "single-row",
              "selection_default": {"selection": {"rows": chosen_rows[:1]}} if chosen_rows else None} \
        if selectable else {}
    events = []
    for (box, tkey, for_phone) in phone.copies(key):
        cols, cfg = ([rank, name, figure], phone_config) if for_phone else (columns, config)
        with st.container(key=box):
            with a11y.enter_selects(tkey) if selectable else contextlib.nullcontext():  # Enter opens a row too
                events.append(st.dataframe(frame_memo.arrow(frame), hide_index=True, column_config=cfg, height=height, key=tkey,
                                           placeholder="–", column_order=cols, **select))
            left_out = [c for c in frame.columns if c not in cols]
            if left_out:
                st.caption(T("peringkat.more_columns", columns=", ".join(left_out)))
    if not selectable:
        return None
    # the copy clicked is the one whose selection moved off the chosen office
    return next((e for e in events if list(e.selection.rows) != chosen_rows[:1]), events[0])


def downloads(table: ranking.Table, kind: str, sheet_key: str, where: str | None) -> None:
    stem = ranking.file_stem(kind, ctx.served.id, where)
    helptext = T("peringkat.download.help", n=ctx.num(len(table.frame)))
    c1, c2, _ = st.columns([1, 1, 4])
    # Built when clicked (deferred), and each export is audited. Demo data says DEMO in name and content.
    demo, lang = ctx.is_demo, ctx.lang
    sheet, title = T(sheet_key), f"{stem} ({ctx.served.id})"
    if demo:
        sheet, title = T("shell.demo_sheet", sheet=sheet), "DEMO " + title

    def frame() -> pd.DataFrame:  # marked when a file is built, not on every rerun
        return table_files.mark_demo(table.frame, lang) if demo else table.frame

    csv_name, xlsx_name = (table_files.file_name(stem, ext, demo=demo) for ext in ("csv", "xlsx"))
    # XLSX first: it opens right in any Excel; the CSV is written for Excel set to Indonesian (';' and ',')
    c2.download_button(T("peringkat.download.csv"), audited(csv_name, lambda: table_files.to_csv(frame())),
                       file_name=csv_name, mime="text/csv", icon=":material/download:",
                       help=helptext + " " + T("peringkat.download.csv_format"),
                       key=f"dl_csv_{kind}", on_click="ignore")
    c1.download_button(T("peringkat.download.xlsx"),
                       audited(xlsx_name, lambda: table_files.to_xlsx(frame(), sheet, title=title)),
                       file_name=xlsx_name, icon=":material/download:", help=helptext, key=f"dl_xlsx_{kind}",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")


# A ranking's visible table, made once per query result (the data layer hands out the same frame while it is
# cached) and choices: building it words every row's movement and name. Shared, read-only.
@frame_memo.per_frame
def office_table(rows: pd.DataFrame, level: str, measure: str, lang: str, year: int, prev_date,
                 with_region: bool = True) -> ranking.Table:
    return ranking.office_table(rows, level, measure, lang, year=year, prev_date=prev_date, with_region=with_region)


@frame_memo.per_frame
def village_table(rows: pd.DataFrame, measure: str, lang: str, with_branch: bool) -> ranking.Table:
    return ranking.village_table(rows, measure, lang, with_branch=with_branch)


def band_cards(rows: pd.DataFrame, level: str) -> None:
    bands = ranking.bands(rows, level, ctx.lang)
    cols = st.columns(len(bands))
    for col, b in zip(cols, bands):
        with col.container(border=True):
            color = ranking.band_color(b.band)
            st.markdown(
                f"<span style='display:inline-block;width:0.9em;height:0.9em;border-radius:2px;"
                f"background:{color};margin-right:0.4em;vertical-align:-0.1em'></span>"
                f"<b>{ranking.band_label(b.band, ctx.lang)}</b>", unsafe_allow_html=True)
            count_key = "peringkat.bands.count" if level == "branch" else "peringkat.bands.count_region"
            st.markdown("### " + T(count_key, n=ctx.num(b.count)))
            if b.count == 0:
                st.caption(T("peringkat.bands.empty"))
                continue
            if b.leader_pct or b.leader_certified:
                value = ctx.pct(b.leader_pct) if b.leader_pct is not None else \
                    T("peringkat.bands.certified_value", n=ctx.num(b.leader_certified))
                st.markdown(T("peringkat.bands.leader", name=b.leader, value=value))
            else:
                st.markdown(T("peringkat.bands.no_leader"))
            if has_prev:
                st.markdown(T("peringkat.bands.mover", name=b.mover, n=ctx.num(b.mover_new)) if b.mover
                            else T("peringkat.bands.no_mover"))


def office_order(table: ranking.Table) -> tuple[str, ...]:
    """An office ranking's columns by how much they matter on screen: rank, change, the office (and its region
    or branch count), the ranked-by figure, % of target and what it is made of, then the rest."""
    cols = list(table.frame.columns)
    n = 4 if table.kinds[cols[3]] != "count" or cols[3] == T("peringkat.col.branches") else 3
    return (*cols[:n], table.measure, T("peringkat.col.pct_target"), T("peringkat.col.certified"),
            T("peringkat.col.target", year=ctx.year), *cols)


# --- the page ------------------------------------------------------------------------------------
scope_name = ctx.scope_name(national=T("peringkat.branch.national"))
prev = ctx.run("snapshot_sebelumnya")
has_prev = bool(prev["prev_id"].notna().iloc[0])
prev_date = prev["prev_as_of"].iloc[0] if has_prev else None

st.title(T("peringkat.title"))
st.caption(T("peringkat.intro", scope=scope_name, date=ctx.date(ctx.as_of)))

url_choice("ukuran", ranking.OFFICE_MEASURES, ranking.OFFICE_DEFAULT, "peringkat.measure")
measure = st.session_state["pk_ukuran"]
write_url("ukuran", measure)


def office_measure() -> str:
    """The office-measure control, drawn in the open office tab only (it does not apply to villages)."""
    chosen = st.segmented_control(T("peringkat.measure_label"), ranking.OFFICE_MEASURES, key="pk_ukuran",
                                  required=True, format_func=lambda m: T(f"peringkat.measure.{m}"))
    write_url("ukuran", chosen)
    return chosen



with st.expander(T("peringkat.rules"), expanded=False, icon=":material/rule:"):
    st.markdown(T("peringkat.tie_rule"))
    st.markdown(T("peringkat.change_rule", date=ctx.date_medium(prev_date)) if has_prev else T("peringkat.no_prev"))
    st.markdown(T("peringkat.target_rule", year=ctx.year))
    if ctx.structure.assumed:  # none once the agency's own office list is loaded
        st.markdown(T("peringkat.assumed_note"))
    st.markdown(T("peringkat.coverage_rule"))

# Which offices are ranked against each other: every region the viewer sees; the branches of the
# selected region (or all the viewer sees); villages of the current filter.
region_scope = ctx.viewer.scope
branch_scope = ctx.viewer.scope.narrow(region_of, wilayah=ctx.wilayah) if ctx.wilayah else ctx.viewer.scope

# Tabs that know which is open (a click reruns), so the office measure shows only where it applies. The
# open tab is kept by position: a language switch changes the labels, and with them the widget.
TAB_KEYS = ("cabang", "wilayah", "desa")
tab_labels = [T(f"peringkat.tab.{k}") for k in TAB_KEYS]
if f"pk_tab_{ctx.lang}" not in st.session_state:
    st.session_state[f"pk_tab_{ctx.lang}"] = tab_labels[st.session_state.get("_pk_tab_open", 0)]
tab_cabang, tab_wilayah, tab_desa = tabs = st.tabs(tab_labels, key=f"pk_tab_{ctx.lang}", on_change="rerun")
open_tab = next((i for i, t in enumerate(tabs) if t.open), 0)
st.session_state["_pk_tab_open"] = open_tab
if open_tab < 2:
    with tabs[open_tab]:
        measure = office_measure()
measure_name = T(f"peringkat.measure.{measure}")

# --- branch offices ---
with tab_cabang:
    rows = ctx.run_in("cabang_peringkat", branch_scope, year=ctx.year, ukuran=measure)
    region_name = rows["region_name"].iloc[0] if ctx.wilayah and len(rows) else None
    if ctx.cabang:
        me = rows[rows["branch_code"] == ctx.cabang]
        pos = ranking.position(rows, "branch", ctx.cabang, measure, within_region=bool(ctx.wilayah))
        if pos is not None:  # the one rank rule (desasadar/ranking.py), worded as on slides and briefs
            (st.success if pos.rank else st.info)(
                T("peringkat.branch.position", name=ranking.office_names(me, "branch", ctx.lang).iloc[0],
                  text=ranking.position_text(pos, ctx.lang, ctx.year)), icon=":material/leaderboard:")

    st.header(T("peringkat.bands.heading"))
    st.caption(T("peringkat.bands.caption", date=ctx.date_medium(prev_date)) if has_prev
               else T("peringkat.bands.caption_no_prev"))
    band_cards(rows, "branch")

    st.header(T("peringkat.chart.title"))
    chart.show(peringkat_charts.pct_of_target, rows, ctx.lang, level="branch", highlight=ctx.cabang, lang=ctx.lang)
    n_without = int(rows["pct_target"].isna().sum())
    if n_without:
        st.caption(T("peringkat.chart.not_drawn", n=ctx.num(n_without)))

    st.header(T("peringkat.tab.cabang") + " · " + T("peringkat.ranked_by", measure=measure_name))
    table = office_table(rows, "branch", measure, ctx.lang, ctx.year, prev_date, not ctx.wilayah)
    st.caption(T("peringkat.branch.click_hint"))
    event = show_table(table, f"pk_tbl_cabang_{ctx.wilayah}_{ctx.cabang}_{measure}_{ctx.lang}", office_order(table),
                       chosen=ctx.cabang, selectable=True)
    picked = event.selection.rows if event is not None else []
    if picked:
        code = table.codes[picked[0]]
        if code != ctx.cabang:
            open_view(region_of[code], code)

    names = dict(zip(rows["branch_code"], ranking.office_names(rows, "branch", ctx.lang)))
    options = [None] + sorted(names, key=names.get)
    choice = st.selectbox(
        T("peringkat.branch.open"), options, index=options.index(ctx.cabang) if ctx.cabang in options else 0,
        format_func=lambda b: ("KC " + names[b]) if b else (T("peringkat.branch.all", region=region_name)
                                                            if ctx.cabang else T("peringkat.branch.none")),
        help=T("peringkat.branch.open_help"), key=f"pk_open_cabang_{ctx.wilayah}_{ctx.cabang}")
    if choice and choice != ctx.cabang:
        open_view(region_of[choice], choice)
    elif choice is None and ctx.cabang:
        open_view(ctx.wilayah, None)
    downloads(table, "cabang", "peringkat.download.sheet_branch", ctx.cabang or ctx.wilayah)

# --- regional offices ---
with tab_wilayah:
    regions = ctx.run_in("wilayah_peringkat", region_scope, year=ctx.year, ukuran=measure)
    if ctx.wilayah:
        me = regions[regions["region_code"] == ctx.wilayah]
        pos = ranking.position(regions, "region", ctx.wilayah, measure)
        if pos is not None:
            (st.success if pos.rank else st.info)(
                T("peringkat.branch.region_position", name=me["region_name"].iloc[0],
                  text=ranking.position_text(pos, ctx.lang, ctx.year)), icon=":material/leaderboard:")
    st.header(T("peringkat.bands.heading"))
    band_cards(regions, "region")
    st.header(T("peringkat.chart.title_region"))
    chart.show(peringkat_charts.pct_of_target, regions, ctx.lang, level="region", highlight=ctx.wilayah, height=260,
               lang=ctx.lang)
    st.header(T("peringkat.tab.wilayah") + " · " + T("peringkat.ranked_by", measure=measure_name))
    rtable = office_table(regions, "region", measure, ctx.lang, ctx.year, prev_date)
    st.caption(T("peringkat.branch.click_hint_region"))
    event = show_table(rtable, f"pk_tbl_wilayah_{ctx.wilayah}_{ctx.cabang}_{measure}_{ctx.lang}", office_order(rtable),
                       chosen=None if ctx.cabang else ctx.wilayah, selectable=True)
    picked = event.selection.rows if event is not None else []
    if picked:
        code = rtable.codes[picked[0]]
        if code != ctx.wilayah or ctx.cabang:
            open_view(code, None)
    downloads(rtable, "wilayah", "peringkat.download.sheet_region", None)

# --- villages ---
with tab_desa:
    url_choice("ukuran_desa", ranking.VILLAGE_MEASURES, ranking.VILLAGE_DEFAULT, "peringkat.vmeasure")
    vmeasure = st.segmented_control(T("peringkat.village_measure_label"), ranking.VILLAGE_MEASURES,
                                    key="pk_ukuran_desa", required=True,
                                    format_func=lambda m: T(f"peringkat.vmeasure.{m}"))
    write_url("ukuran_desa", vmeasure)
    st.caption(T("peringkat.village.rule"))
    villages = ctx.run("desa_peringkat", ukuran=vmeasure)
    st.header(T("peringkat.village.heading", scope=scope_name))
    if villages.empty:
        st.info(T("peringkat.village.none"))
    else:
        vtable = village_table(villages, vmeasure, ctx.lang, not ctx.cabang)
        vcols = list(vtable.frame.columns)
        # rank, change, village, the ranked-by figure, where it is, the date; then the rest while they fit
        show_table(vtable, f"pk_tbl_desa_{vmeasure}_{ctx.lang}",
                   (*vcols[:3], vtable.measure, vcols[9], *vcols[10:], vcols[6], *vcols))
        downloads(vtable, "desa", "peringkat.download.sheet_village", ctx.cabang or ctx.wilayah)
