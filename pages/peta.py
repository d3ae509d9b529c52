"""Peta: programme villages on a map that is whole offline (bundled boundaries, no tiles by default).

National view: regencies coloured by certified villages (points on request). Wilayah/cabang:
villages as points by status, sized by active participants. Selecting a village or a regency
shows its summary beside the map. Villages whose point is missing, outside Indonesia or in
another province are not drawn but listed under the map ("lokasi perlu dicek").
Own URL parameter: ?desa=<village code> focuses the map on that village (links from the Desa page).
"""
import json
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from desasadar import map_picture, maps, paths
from desasadar.ui import a11y
from desasadar.ui.context import Context, context

ROOT = Path(__file__).resolve().parent.parent
PARAM = "desa"  # this page's own URL parameter
FRAME = "peta-bingkai"  # the map's container (its first picture, map_picture)
TABLES_OPEN, CHECK_OPEN = "peta_tables_open", "peta_check_open"  # the expanders' open state (session state)
LINKS = [("pages/desa.py", "peta.link_desa", ":material/holiday_village:"),
         ("pages/peresmian.py", "peta.link_peresmian", ":material/celebration:")]


@st.cache_resource(max_entries=32, show_spinner=False)
def build_deck(snapshot_key: tuple, scope_key: tuple, lang: str, points: bool, tiles: bool, focus: str | None,
               _ctx: Context) -> tuple[maps.CompactDeck, str, int]:
    """The map for one (snapshot, scope, language, options), built and serialised once, shared read-only; with
    the <style> that shows its first picture in the frame until the browser has drawn it (map_picture), and the
    frame's height in px, which its view and picture are made for."""
    kab = _ctx.run("peta_kabupaten")
    plotted, _ = maps.split_located(_ctx.run("peta_desa"))
    hit = plotted[plotted["village_code"] == focus] if focus else plotted.iloc[0:0]
    whole = False
    if len(hit):
        r = hit.iloc[0]
        view = maps.fit_view((r.lon - 0.12, r.lat - 0.08, r.lon + 0.12, r.lat + 0.08))
    elif _ctx.level == "national":
        view = maps.fit_view(maps.indonesia_bounds(), height=maps.national_height())
        whole = True
    else:
        # where the scope's villages are, and never leaving out one of its programme villages
        view = maps.fit_view(maps.with_points(maps.scope_bounds(kab["regency_code"]), plotted))
    height = maps.national_height() if whole else maps.MAP_HEIGHT
    deck = maps.deck(kab, plotted if points else None, view, lang, tiles=tiles, regency_lines=not whole, height=height)
    # not over online tiles: the picture has no tiles to show
    first = "" if tiles else map_picture.css(json.loads(deck.to_json()), FRAME, height, maps.SEA)
    return deck, first, height


ctx = context()
T = ctx.t
st.title(T("peta.title"))

desa = ctx.run("peta_desa")
kab = ctx.run("peta_kabupaten")
plotted, to_check = maps.split_located(desa)
national = ctx.level == "national"
focus = st.query_params.get(PARAM)


def village_summary(code: str) -> None:
    row = desa[desa["village_code"] == code]
    if row.empty:
        return
    r = row.iloc[0]
    kind = T("peta.kind_kelurahan") if r.kind == "kelurahan" else T("peta.kind_desa")
    st.header(f"{kind} {r.village_name}")
    st.caption(f"{T('peta.tt_place', kecamatan=r.district_name, kabupaten=r.regency_name)} · "
               f"{T('peta.tt_branch', cabang=r.branch_name)} · `{r.village_code}`")
    since = T("peta.sel_since", date=ctx.date_medium(r.status_on)) if pd.notna(r.status_on) else ""
    st.markdown(f"**{T('peta.sel_status')}:** {T('status.' + r.status)} {since}")
    if r.status == "certified" and pd.notna(r.certified_seq_national):
        st.markdown(T("peta.sel_seq", n=ctx.num(r.certified_seq_national)))
    c1, c2 = st.columns(2)
    c1.metric(T("peta.sel_participants"), ctx.num(r.participants_active or 0))
    c2.metric(T("peta.sel_aparatur"), ctx.num(r.aparatur_active or 0))
    for page, key, icon in LINKS:
        if (ROOT / page).exists():
            try:
                st.page_link(page, label=T(key), icon=icon, query_params=ctx.link_params(**{PARAM: code}))
            except StreamlitAPIException:
                pass  # the page is not open to this viewer


def regency_summary(code: str) -> None:
    row = kab[kab["regency_code"] == code]
    if row.empty:
        return
    r = row.iloc[0]
    st.header(r.regency_name)
    st.caption(r.province_name)
    c1, c2 = st.columns(2)
    c1.metric(T("peta.sel_certified"), ctx.num(r.certified))
    c2.metric(T("peta.sel_pipeline"), ctx.num(int(r.proposed) + int(r.verified)))
    st.metric(T("peta.sel_villages"), ctx.num(r.villages))


@st.fragment
def map_panel() -> None:
    """Map, options, legend and the selection summary: a selection or an option reruns only this."""
    left, right = st.columns([3, 1], gap="medium")
    with right:
        # nationally off (631 points over the regencies' colours), but on where a village is focused (?desa=: the
        # Desa page's link, or a row chosen in the table below): zoomed in on it, the map is about that village's
        # point. Its own key, so focusing a village does not inherit the national map's switch.
        points = st.toggle(T("peta.show_points"), value=not national or bool(focus),
                           key=f"peta_points_{ctx.level}" + ("_desa" if focus else ""), help=T("peta.show_points_help"))
        tiles = st.toggle(T("peta.tiles"), value=False, key="peta_tiles", help=T("peta.tiles_help"))
        summary = st.container()  # right under the options: a selection's summary in view without scrolling
    served = (str(paths.data_dir()), ctx.served.id, ctx.served.snapshot.manifest.get("created_at"))
    deck, first_picture, height = build_deck(served, ctx.scope.key, ctx.lang, points, tiles, focus, ctx)
    certified = int((desa["status"] == "certified").sum())
    scope_name = ctx.scope_name()
    with left:
        if first_picture:
            st.html(first_picture)
        event = st.container(key=FRAME).pydeck_chart(
            deck, on_select="rerun", selection_mode="single-object", height=height,
            alt=T("peta.map_alt", scope=scope_name, n=ctx.num(len(desa)), certified=ctx.num(certified)))
        if points:
            st.caption(T("peta.counts", n=ctx.num(len(desa)), certified=ctx.num(certified),
                         points=ctx.num(len(plotted))))
        else:
            st.caption(T("peta.counts_no_points", n=ctx.num(len(desa)), certified=ctx.num(certified),
                         regencies=ctx.num(len(kab))))
    with summary:
        picked = maps.selected(event)
        if picked is None and focus and (desa["village_code"] == focus).any():
            picked = (maps.LAYER_DESA, focus)
        if picked is None:
            st.caption(T("peta.select_hint"))
        elif picked[0] == maps.LAYER_DESA:
            village_summary(picked[1])
        else:
            regency_summary(picked[1])
        st.divider()
    with right:
        counts = plotted["status"].value_counts().to_dict()
        st.html(maps.legend_html(ctx.lang, counts, show_regencies=True, show_points=points))


# The map's tooltip is drawn inside the chart, which clips it at the frame: let it spill over the page instead,
# above the column beside the map.
st.html("<style>[data-testid='stDeckGlJsonChart'], [data-testid='stDeckGlJsonChart'] div "
        "{overflow: visible !important} [data-testid='stColumn']:has([data-testid='stDeckGlJsonChart']) "
        "{position: relative; z-index: 20} .deck-tooltip {z-index: 10 !important}</style>")
st.caption(T("peta.intro_national") if national else T("peta.intro_scoped"))
if desa.empty:
    st.info(T("peta.nothing"), icon=":material/info:")
map_panel()


def map_as_tables() -> None:
    """What the map draws, as tables: reachable by keyboard and read by screen readers. A village row selected
    (click, or Enter) focuses the map on it and shows its summary, as a click on its point does."""
    # drawn only once opened (a rerun): two grids under a closed expander still load the table code and draw,
    # which held up the map's first draw by about 0.5 s of a new visitor's 2.7 s (software WebGL)
    with st.expander(T("peta.list_title"), icon=":material/table_rows:", key=TABLES_OPEN, on_change="rerun") as box:
        st.caption(T("peta.list_intro"))
        if not box.open:
            return
        if not plotted.empty:
            st.markdown(f"**{T('peta.list_villages', n=ctx.num(len(plotted)))}**")
            rows = plotted.sort_values(["regency_name", "village_name"])
            # each date and status worded once, not once a village (Babel: ~0.2 ms a date, 600+ villages a rerun)
            days = rows["status_on"].dropna().drop_duplicates()
            since = rows["status_on"].map(dict(zip(days, (ctx.date_short(d) for d in days)))).fillna("–")
            status = rows["status"].map({s: T("status." + s) for s in rows["status"].unique()})
            table = pd.DataFrame({
                T("peta.cek_col_village"): rows["village_name"],
                T("peta.col_district"): rows["district_name"],
                T("peta.cek_col_regency"): rows["regency_name"],
                T("peta.col_branch"): rows["branch_name"],
                T("peta.cek_col_status"): status,
                T("peta.col_since"): since,
                T("peta.col_participants"): rows["participants_active"].fillna(0).astype(int),
            })
            with a11y.enter_selects("peta-desa"):
                event = st.dataframe(
                    table, hide_index=True, width="stretch", key=f"peta_tbl_desa_{ctx.lang}", on_select="rerun",
                    selection_mode="single-row", height=min(38 + 35 * len(table), 388),
                    column_config={T("peta.col_participants"): st.column_config.NumberColumn(format="%d")})
            picked = event.selection.rows
            if picked and rows["village_code"].iloc[picked[0]] != focus:
                st.query_params[PARAM] = rows["village_code"].iloc[picked[0]]
                st.rerun()
        shown = kab[(kab["certified"] + kab["verified"] + kab["proposed"] + kab["revoked"]) > 0]
        shown = shown.sort_values(["certified", "regency_name"], ascending=[False, True])
        st.markdown(f"**{T('peta.list_regencies', n=ctx.num(len(shown)))}**")
        st.dataframe(pd.DataFrame({
            T("peta.cek_col_regency"): shown["regency_name"],
            T("peta.col_province"): shown["province_name"],
            T("peta.col_certified"): shown["certified"],
            T("peta.col_pipeline"): shown["proposed"] + shown["verified"],
            T("peta.sel_villages"): shown["villages"],
        }), hide_index=True, width="stretch", height=min(38 + 35 * max(len(shown), 1), 388))


map_as_tables()

if not to_check.empty:  # closed at first, its count in the label: a list for data officers, drawn once opened
    with st.expander(T("peta.cek_title", n=ctx.num(len(to_check))), icon=":material/wrong_location:", key=CHECK_OPEN,
                     on_change="rerun") as box:
        st.caption(T("peta.cek_intro"))
        if box.open:
            st.dataframe(
                pd.DataFrame({
                    T("peta.cek_col_code"): to_check["village_code"],
                    T("peta.cek_col_village"): to_check["village_name"],
                    T("peta.cek_col_regency"): to_check["regency_name"],
                    T("peta.cek_col_status"): [T("status." + s) for s in to_check["status"]],
                    T("peta.cek_col_reason"): [T("peta.reason_" + s) for s in to_check["lokasi_cek"]],
                }),
                hide_index=True, width="stretch",
            )
