"""The shared view state: viewer, language, snapshot, wilayah/cabang/provinsi/kabupaten/tahun filters (all in the URL).

dashboard.py calls `setup()` once per run; pages call `context()` and read everything from it:

    ctx = context()
    df = ctx.run("kpi_ringkasan", year=ctx.year)   # scope and snapshot applied by the data layer
    st.metric(ctx.t("ringkasan.certified"), ctx.num(df.certified[0]))
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import streamlit as st

from .. import area, db, echo, fmt, frame_memo, i18n, offices, paths, reference
from ..words import Words, scope_name
from ..access import Viewer
from ..scope import Scope, ScopeError
from .auth import record_refusal
from .guard import through_entrypoint
from .phone import Mirrored, sidebar as phone_sidebar

# URL parameters owned by the shell; pages own theirs (e.g. ?desa=, ?ukuran=).
PARAMS = ("snapshot", "wilayah", "cabang", "provinsi", "kabupaten", "tahun", "lang")


@dataclass
class Context(Words):
    viewer: Viewer
    lang: str
    served: db.Served
    scope: Scope  # the viewer's scope narrowed by the filters: what every query sees
    wilayah: str | None
    cabang: str | None
    year: int
    notes: list[str] = field(default_factory=list)
    structure: offices.Offices | None = None  # the office structure of the served snapshot (desasadar/offices.py)
    provinsi: str | None = None  # the area filter (province / regency code), also in `scope`
    kabupaten: str | None = None

    # --- data -------------------------------------------------------------------------
    def run(self, name: str, **params) -> pd.DataFrame:
        """A query from queries/<name>.sql on the served snapshot within the current scope (a branch named with
        an assumed seat marked "perkiraan", desasadar/offices.py)."""
        return offices.mark_branches(db.run(name, self.scope, self.served, **params), self.lang)

    def run_in(self, name: str, scope: Scope, **params) -> pd.DataFrame:
        """The same, in another scope; it must lie within the viewer's (checked here)."""
        if not self.viewer.scope.all and not _within(scope, self.viewer.scope, self.structure.region_of()):
            raise ScopeError("scope outside the viewer's")
        return offices.mark_branches(db.run(name, scope, self.served, **params), self.lang)

    @property
    def as_of(self) -> date:
        return self.served.as_of

    @property
    def is_demo(self) -> bool:
        return self.served.snapshot.is_demo

    @property
    def level(self) -> str:
        """national | region | branch | mixed: the level of what every query sees."""
        s = self.scope
        if s.area:
            return "mixed"  # a province or regency: not one office's view
        if s.all:
            return "national"
        if len(s.branches) == 1 and not s.regions:
            return "branch"
        if len(s.regions) == 1 and not s.branches:
            return "region"
        return "mixed"

    def scope_name(self, scope: Scope | None = None, national: str | None = None) -> str:
        """words.scope_name of `scope` (default: what every query sees) in the UI language."""
        return scope_name(self.scope if scope is None else scope, self.lang, national, self.structure)

    def link_params(self, **extra) -> dict[str, str]:
        """Query parameters that reopen this view (for st.page_link / st.switch_page)."""
        out = {k: v for k, v in _shell_params().items() if v}
        out.update({k: str(v) for k, v in extra.items() if v is not None})
        return out


def _within(inner: Scope, outer: Scope, region_of: dict[str, str]) -> bool:
    return all(r in outer.regions for r in inner.regions) and all(
        outer.sees_branch(b, region_of) for b in inner.branches
    ) and not inner.all


def context() -> Context:
    """The context dashboard.py set up for this run. Every page calls it first: a deep link that a fresh
    server ran without dashboard.py is sent back through it (ui/guard.py)."""
    through_entrypoint()
    ctx = st.session_state.get("_ctx")
    if ctx is None:
        st.error("Halaman ini dibuka tanpa dashboard.py / opened without dashboard.py")
        st.stop()
    return ctx


def _shell_params() -> dict[str, str | None]:
    return st.session_state.get("_qp_written", {})


def _sync_from_url(valid: dict[str, list[str]], region_of: dict[str, str]) -> list[tuple[str, str]]:
    """Seed the filter widgets from the URL when it changed outside the app (first load, a
    shared link). Returns (param, value) pairs that were unknown and ignored."""
    qp = st.query_params
    url = {k: qp.get(k) for k in PARAMS}
    if "_seeded" in st.session_state and url == _shell_params():
        return []  # our own write: the widgets hold the filters
    if "_seeded" in st.session_state and not any(url.values()):
        # A page switch (Streamlit clears the URL): keep the filters. Their widgets lose values that came from
        # a link and were never touched (measured: /?wilayah=…&snapshot=… then Peringkat in the sidebar showed
        # the national latest view), so the last values are put back before the widgets are drawn.
        for k, v in st.session_state.get("_filters_kept", {}).items():
            st.session_state[k] = v
        return []
    st.session_state["_seeded"] = True
    bad = []
    for k in PARAMS:
        v = url[k]
        if v is None or v == "":
            st.session_state[f"f_{k}"] = ""
        elif isinstance(valid[k], dict) and v.strip().lower() in valid[k]:  # a place: its code or slug
            st.session_state[f"f_{k}"] = valid[k][v.strip().lower()]
        elif not isinstance(valid[k], dict) and v in valid[k]:
            st.session_state[f"f_{k}"] = v
        else:
            st.session_state[f"f_{k}"] = ""
            bad.append((k, v))
    cabang = st.session_state.get("f_cabang")
    if cabang and not st.session_state.get("f_wilayah"):
        st.session_state["f_wilayah"] = region_of[cabang]  # a branch link shows its region too
    kabupaten = st.session_state.get("f_kabupaten")
    if kabupaten and not st.session_state.get("f_provinsi"):
        st.session_state["f_provinsi"] = area.places()["province_of"][kabupaten]  # and a regency its province
    return bad


# Widgets whose value must survive a language switch: the shell's filters, plus keys pages register.
SHELL_KEYS = ("f_snapshot", "f_wilayah", "f_cabang", "f_provinsi", "f_kabupaten", "f_tahun")


def keep_across_language(key: str) -> None:
    """Register a page widget (one with a translated format_func) to keep its value when the language changes."""
    st.session_state.setdefault("_lang_keep", set()).add(key)


def _switch_language() -> None:
    """on_change of the language radio. A selectbox's value travels from the browser as its *label*; once the
    labels change language that label is no longer among the options and Streamlit silently falls back to
    the first option (measured: snapshot, wilayah and tahun reset to 'latest'/'all' on the next run, and the
    URL lost them). So the values are put aside here and written back before the widgets are drawn."""
    keys = [*SHELL_KEYS, *st.session_state.get("_lang_keep", ())]
    st.session_state["_lang_kept"] = {k: st.session_state[k] for k in keys if k in st.session_state}
    st.session_state["f_lang"] = None if st.session_state["f_lang_widget"] == "id" else "en"


def _restore_after_language_switch() -> None:
    for k, v in st.session_state.pop("_lang_kept", {}).items():
        st.session_state[k] = v


def _write_url(values: dict[str, str | None]) -> None:
    qp = st.query_params
    for k, v in values.items():
        if v:
            if qp.get(k) != v:
                qp[k] = v
        elif k in qp:
            del qp[k]
    st.session_state["_qp_written"] = {k: (v or None) for k, v in values.items()}
    st.session_state["_filters_kept"] = {k: st.session_state.get(k) for k in SHELL_KEYS}


# How old a cached answer to "which snapshot is CURRENT" may be (db.serve); replicas sharing the
# data folder see each other's publishes within this, without reading every manifest each rerun.
SERVE_MAX_AGE = 3.0


def _session_latest(current: db.Served) -> str | None:
    """The snapshot an open session shows as "the latest": CURRENT as it was when the session
    started or last changed a filter, so a publish meanwhile does not change the numbers under
    the viewer's hands; a reload or a filter change shows the new one. None: CURRENT itself."""
    filters = tuple(st.session_state.get(f"f_{k}") for k in ("snapshot", "wilayah", "cabang", "provinsi", "kabupaten",
                                                             "tahun"))
    pin = st.session_state.get("_latest_pin")
    if pin is None or pin[1] != filters or pin[0] not in {s.id for s in current.available}:
        pin = (current.id, filters)
        st.session_state["_latest_pin"] = pin
    return None if pin[0] == current.id else pin[0]


def _structures(served: db.Served) -> tuple[dict[str, str], pd.DataFrame]:
    """Branch -> Kanwil and the branches (code, name, name_basis) of every structure the available
    snapshots use (the reference's, or an office list a snapshot carries): what a URL may name."""
    found = offices.distinct((*served.available, served.snapshot))
    if len(found) == 1:
        return found[0].region_of(), found[0].cabang
    key = tuple(o.key for o in found)  # the structures' contents: merged once, not on every rerun
    hit = _merged.get(key)  # one lookup: another session's thread may clear the dict meanwhile
    if hit is None:
        cab = pd.concat([o.cabang for o in found]).drop_duplicates("branch_code", keep="last")
        if len(_merged) >= 8:
            _merged.clear()
        hit = _merged[key] = (dict(zip(cab["branch_code"], cab["region_code"])), cab)
    region_of, cab = hit
    return dict(region_of), cab


_merged: dict[tuple, tuple[dict[str, str], pd.DataFrame]] = {}


def setup(viewer: Viewer) -> Context:
    """Render the shared filters in the sidebar and build this run's context."""
    served_default = db.serve(None, max_age=SERVE_MAX_AGE)
    region_of, cab = _structures(served_default)
    valid = _valid_values(viewer, served_default, region_of, cab)
    _restore_after_language_switch()
    bad = _sync_from_url(valid, region_of)
    for k, v in bad:  # the audit names who asked for which value
        record_refusal(viewer, k, v)
    lang = st.session_state.get("f_lang") or "id"
    T = _translator(lang)
    _language_radio(lang)
    Mirrored()  # the filters below are also copied for a phone (ui/phone.py)
    served, structure = _office_filters(viewer, valid, served_default, lang, region_of)
    region_of = {**region_of, **structure.region_of()}
    provinsi, kabupaten, area_notes = _area_filters(viewer, region_of, T)
    _year_filter(served, lang)
    notes = [T("shell.unknown_param", param=k, value=echo.inert(v)) for k, v in bad] + area_notes
    scope, wilayah, cabang = _narrowed_scope(viewer, notes, lang, region_of)
    if kabupaten or provinsi:
        scope = scope.in_area(regencies=[kabupaten] if kabupaten else (), provinces=[] if kabupaten else [provinsi])
    year = int(st.session_state.get("f_tahun") or served.as_of.year)
    _write_url({
        "snapshot": st.session_state.get("f_snapshot"),
        "wilayah": st.session_state.get("f_wilayah"),
        "cabang": cabang,
        "provinsi": area.url_value(provinsi) if provinsi and not kabupaten else None,
        "kabupaten": area.url_value(kabupaten) if kabupaten else None,
        "tahun": st.session_state.get("f_tahun"),
        "lang": None if lang == "id" else lang,
    })
    served_notes = [n.text(lang) if hasattr(n, "text") else n for n in served.notes]  # in the UI language
    ctx = Context(viewer, lang, served, scope, wilayah, cabang, year, notes + served_notes, structure,
                  provinsi, kabupaten)
    st.session_state["_ctx"] = ctx
    return ctx


def _translator(lang: str):
    return lambda k, **kw: i18n.t(k, lang, **kw)


def _valid_values(viewer: Viewer, served_default: db.Served, region_of: dict[str, str],
                  cab: pd.DataFrame) -> dict[str, list[str]]:
    """What each shell URL parameter may hold for this viewer, in the order the filters list them
    (branches: of every office structure the available snapshots use, see _structures). Made once per
    viewer scope, snapshot list, office structures and reference files: the shell asks on every rerun."""
    wil = reference.table("wilayah.csv")  # the same frame object while its file is unchanged
    key = (viewer.scope.key, tuple(s.id for s in served_default.available), id(cab), id(wil), str(paths.reference_dir()))
    hit = _valid_memo.get(key)
    if hit is not None:
        return hit[0]
    valid = _valid_values_of(viewer, served_default, region_of, cab, wil)
    if len(_valid_memo) >= 64:
        _valid_memo.clear()
    _valid_memo[key] = (valid, cab, wil)  # the frames kept alive: their ids in the key stay theirs
    return valid


_valid_memo: dict[tuple, tuple] = {}


def _valid_values_of(viewer: Viewer, served_default: db.Served, region_of: dict[str, str],
                     cab: pd.DataFrame, wil: pd.DataFrame) -> dict[str, list[str]]:
    vis_regions = [r for r in wil["region_code"] if viewer.scope.all or r in viewer.scope.regions
                   or any(region_of.get(b) == r for b in viewer.scope.branches)]
    vis_branches = [b for b in _codes_by_name(cab) if viewer.scope.sees_branch(b, region_of)]
    vis_regencies = area.regencies_in(viewer.scope, region_of)
    return {
        "snapshot": [s.id for s in reversed(served_default.available)],
        "wilayah": vis_regions,
        "cabang": vis_branches,
        "provinsi": area.aliases(area.provinces_of(vis_regencies)),  # a place: code or slug -> code
        "kabupaten": area.aliases(vis_regencies),
        "tahun": [str(y) for y in range(2015, 2031)],
        "lang": list(i18n.LANGS),
    }


def _language_radio(lang: str) -> None:
    st.sidebar.radio(_translator(lang)("shell.language"), ["id", "en"], key="f_lang_widget", horizontal=True,
                     index=0 if lang == "id" else 1,
                     format_func=lambda x: {"id": "Bahasa Indonesia", "en": "English"}[x],
                     on_change=_switch_language)


def _office_filters(viewer: Viewer, valid: dict[str, list[str]], served_default: db.Served, lang: str,
                   region_of: dict[str, str]) -> tuple[db.Served, offices.Offices]:
    """The snapshot, wilayah and cabang selectboxes (their values live in session state); returns the served
    snapshot and its office structure, whose branches the cabang filter lists (an assumed one "perkiraan")."""
    T = _translator(lang)
    sb = phone_sidebar()
    as_of_of = {s.id: s.as_of for s in served_default.available}
    sb.selectbox(
        T("shell.snapshot"), [""] + valid["snapshot"], key="f_snapshot", persist_state="session",
        format_func=lambda s: T("shell.snapshot_latest", date=fmt.date_medium(as_of_of[served_default.id], lang))
        if not s else fmt.date_medium(as_of_of[s], lang) + f" ({s})",
    )
    served = db.serve(st.session_state.get("f_snapshot") or _session_latest(served_default), max_age=SERVE_MAX_AGE)
    structure = offices.of_snapshot(served.snapshot)
    region_of = {**region_of, **structure.region_of()}
    wil = reference.table("wilayah.csv")
    names = dict(zip(wil["region_code"], wil["name"]))
    sb.selectbox(T("shell.wilayah"), [""] + valid["wilayah"], key="f_wilayah", persist_state="session",
                 format_func=lambda r: (T("shell.all_regions") if viewer.scope.all else T("shell.all_in_scope"))
                 if not r else names[r],
                 on_change=lambda: st.session_state.update(f_cabang=""))
    chosen_region = st.session_state.get("f_wilayah") or None
    branch_opts = [b for b in _codes_by_name(structure.cabang)
                   if viewer.scope.sees_branch(b, region_of) and (chosen_region is None or region_of[b] == chosen_region)]
    if st.session_state.get("f_cabang") not in branch_opts:
        st.session_state["f_cabang"] = ""
    bnames = offices.label_of(structure.cabang, lang)
    sb.selectbox(T("shell.cabang"), [""] + branch_opts, key="f_cabang", persist_state="session",
                 format_func=lambda b: (T("shell.all_branches") if viewer.scope.all else T("shell.all_in_scope"))
                 if not b else "KC " + bnames[b])
    return served, structure


@frame_memo.per_frame
def _codes_by_name(cabang: pd.DataFrame) -> list[str]:
    """An office list's branch codes in name order, sorted once per list (do not change it)."""
    return list(cabang.sort_values("name")["branch_code"])


def _year_filter(served: db.Served, lang: str) -> None:
    """The tahun selectbox: the years the served snapshot and the ones before it cover."""
    T = _translator(lang)
    years = sorted({served.as_of.year, *[s.as_of.year for s in served.available if s.as_of <= served.as_of]}, reverse=True)
    if st.session_state.get("f_tahun") not in [str(y) for y in years]:
        st.session_state["f_tahun"] = ""
    phone_sidebar().selectbox(T("shell.tahun"), [""] + [str(y) for y in years], key="f_tahun", persist_state="session",
                         format_func=lambda y: T("shell.year_of_snapshot", year=served.as_of.year) if not y else y)


def _narrowed_scope(viewer: Viewer, notes: list[str], lang: str,
                    region_of: dict[str, str]) -> tuple[Scope, str | None, str | None]:
    """The viewer's scope narrowed by the wilayah/cabang filters, and the wilayah and cabang it stands for;
    a choice outside the scope falls back to the whole scope with a note (appended to `notes`)."""
    wilayah, cabang = st.session_state.get("f_wilayah") or None, st.session_state.get("f_cabang") or None
    if cabang and not wilayah:
        wilayah = region_of[cabang]
    try:
        scope = viewer.scope.narrow(region_of, wilayah=wilayah, cabang=cabang)
    except ScopeError:
        notes.append(_translator(lang)("shell.outside_scope"))
        scope, wilayah, cabang = viewer.scope, None, None
    # A viewer whose whole scope is one region or one branch is always looking at it.
    if not cabang and len(scope.branches) == 1 and not scope.regions:
        cabang = next(iter(scope.branches))
        wilayah = region_of[cabang]
    elif not wilayah and len(scope.regions) == 1 and not scope.branches:
        wilayah = next(iter(scope.regions))
    return scope, wilayah, cabang


def _area_filters(viewer: Viewer, region_of: dict, T) -> tuple[str | None, str | None, list[str]]:
    """The Provinsi and Kabupaten/Kota selectboxes, offering only places the office filters above leave in view
    (a regency whose serving branch is in scope). A place that is no longer among them (the office filter
    changed) falls back to all, with a note. Returns (province code, regency code, notes)."""
    wilayah, cabang = st.session_state.get("f_wilayah") or None, st.session_state.get("f_cabang") or None
    try:
        office = viewer.scope.narrow(region_of, wilayah=wilayah, cabang=cabang)
    except ScopeError:
        office = viewer.scope
    regencies = area.regencies_in(office, region_of)
    provinces = area.provinces_of(regencies)
    notes = []
    if st.session_state.get("f_provinsi") and st.session_state["f_provinsi"] not in provinces:
        notes.append(T("shell.outside_office", place=area.name(st.session_state["f_provinsi"])))
        st.session_state["f_provinsi"] = ""
    chosen = st.session_state.get("f_provinsi") or None
    province_of = area.places()["province_of"]
    regency_opts = [r for r in regencies if chosen is None or province_of[r] == chosen]
    if st.session_state.get("f_kabupaten") and st.session_state["f_kabupaten"] not in regency_opts:
        notes.append(T("shell.outside_office", place=area.name(st.session_state["f_kabupaten"])))
        st.session_state["f_kabupaten"] = ""
    sb = st.sidebar
    place = area.namer()  # called once per option: the reference folder is found once
    sb.selectbox(T("shell.provinsi"), [""] + provinces, key="f_provinsi", persist_state="session",
                 format_func=lambda p: T("shell.all_provinces") if not p else place(p),
                 on_change=lambda: st.session_state.update(f_kabupaten=""))
    sb.selectbox(T("shell.kabupaten"), [""] + regency_opts, key="f_kabupaten", persist_state="session",
                 format_func=lambda r: T("shell.all_regencies") if not r else place(r))
    return st.session_state.get("f_provinsi") or None, st.session_state.get("f_kabupaten") or None, notes
