"""Data: upload branch files, see what would be rejected and why, publish, roll back (data officers)."""
import json

import pandas as pd
import streamlit as st

from desasadar import echo, offices, snapshots, table_files
from desasadar.ingest import columns, permission, publish, report, uploads
from desasadar.ui import a11y
from desasadar.ui.auth import audited
from desasadar.ui.context import context

ctx = context()
T, num, pct = ctx.t, ctx.num, ctx.pct
st.title(T("nav.data"))

# --- who may be here ------------------------------------------------------------------------------------
if not (ctx.viewer.can_publish or ctx.viewer.demo_mode):
    st.error(T("data.page.no_access"), icon=":material/lock:")
    st.stop()
# Demo mode is read-only (reports yes, publish/rollback no) unless DSJS_DEMO_PUBLISH=1 for a local trial.
MAY_PUBLISH = ctx.viewer.can_publish
if ctx.viewer.demo_mode:
    st.warning(T("data.page.demo_mode" if MAY_PUBLISH else "data.page.demo_read_only"), icon=":material/science:")
# A data officer limited to regions/branches: publishes files of that scope only, sees counts and rejected
# rows within it, no rollback (desasadar/ingest/permission.py).
SCOPE = ctx.viewer.scope
SCOPED = not SCOPE.all


if SCOPED:
    st.info(T("data.page.scoped_officer", scope=ctx.scope_name(SCOPE)), icon=":material/badge:")

LIMIT_MB = int(st.get_option("server.maxUploadSize"))
LIMIT = LIMIT_MB * 1024 * 1024  # Streamlit counts upload megabytes in MiB
SHOWN_MAX = 5_000  # problem rows sent to the browser; the download has all
UI_LOCK_WAIT = 30.0  # seconds a publish from this page waits for another one before it is refused


def _kinds(kinds) -> str:
    return ", ".join(T(f"data.kind.{k}") for k in kinds) or "–"


def _ask(action: str) -> None:
    """Button callbacks only note the action; the page body does it (a callback survives reruns)."""
    st.session_state["data_action"] = action


def _fit(rows: int) -> int:
    """A table height that shows `rows` rows without an inner scrollbar."""
    return 35 * (rows + 1) + 3


def _reason_label(key: str) -> str:
    return report.label(key, ctx.lang)


# --- 1. upload, validate, publish -----------------------------------------------------------------------
def upload_tab(action: str | None) -> None:
    st.markdown(T("data.page.upload_intro"))
    st.caption(T("data.page.limit", mb=num(LIMIT_MB)))
    c1, c2 = st.columns([1, 1])
    as_of = c1.date_input(T("data.page.as_of"), value=uploads.default_as_of(), format="DD/MM/YYYY", key="data_as_of")
    # steps written in the viewer's format ("0,5%"): a number input would show "5.00" with a decimal point
    max_pct = c2.select_slider(T("data.page.max_rejected"), options=(0, 0.5, 1, 2, 3, 5, 10, 15, 20, 25, 50, 100),
                               value=5, format_func=lambda v: ctx.pct(v / 100, 0 if v == int(v) else 1),
                               key="data_max_rejected")
    uploaded = st.file_uploader(T("data.page.files"), type=uploads.ACCEPTED_TYPES, accept_multiple_files=True,
                                key=f"data_files_{st.session_state.get('data_round', 0)}")
    a11y.uploader_words(T("data.page.files"), T("data.page.upload_button"),
                        T("data.page.upload_note", mb=num(LIMIT_MB), types=", ".join(t.upper() for t in uploads.ACCEPTED_TYPES)))
    files = list(uploaded or [])
    for f in files:
        if f.size > LIMIT:
            st.error(T("data.page.too_large", name=echo.inert(f.name), mb=num(f.size / 1024 / 1024, 1), limit=num(LIMIT_MB)),
                     icon=":material/block:")

    state = st.session_state.get("data_check")
    sig = (tuple((f.file_id, f.name, f.size) for f in files), str(as_of), max_pct)
    if state and state["sig"] != sig:  # the files or settings changed: the old report no longer applies
        uploads.discard(state["staged"])
        st.session_state.pop("data_check", None)
        state = None

    st.button(T("data.page.validate"), type="primary", disabled=not files, key="data_validate",
              on_click=_ask, args=("validate",))
    if action == "validate" and files:
        staged = uploads.stage([(f.name, f.getvalue()) for f in files], LIMIT)
        with st.status(T("data.page.validating"), expanded=False) as box:
            bar = st.progress(0.0)

            def _progress(name, label, done, total):
                if total:
                    bar.progress(min(done / total, 1.0), text=f"{name or T('data.page.stage_' + label)}")

            rep = publish.ingest(staged.inputs, as_of, max_rejected=max_pct / 100, max_bytes=LIMIT, publish=False,
                           progress=_progress, scope=SCOPE)
            box.update(label=T("data.page.validated"), state="complete")
        state = {"sig": sig, "staged": staged, "report": rep}
        st.session_state["data_check"] = state

    if state:
        rep: report.Report = state["report"]
        st.header(T("data.page.report_title", date=ctx.date_medium(rep.as_of)))
        st.caption(T("data.page.base", base=rep.base or "–"))
        m1, m2, m3, m4 = st.columns(4)
        m1.metric(T("data.page.rows"), num(rep.rows))
        m2.metric(T("data.page.accepted"), num(rep.accepted))
        m3.metric(T("data.page.rejected"), num(rep.rejected))
        m4.metric(T("data.page.rejected_share"), pct(rep.rejected / rep.rows if rep.rows else 0))
        for _, p in rep.blocking.iterrows():
            where = f"{echo.inert(p['file'])}: " if p["file"] else ""
            text = echo.inert(rep.error_text(ctx.lang), 600) if p["reason"] == "publish_failed" and rep.error is not None \
                else report.message(p["reason"], echo.inert(p["detail"], 200), ctx.lang)  # a refusal in the UI language
            st.error(where + text, icon=":material/block:")
        files_df = pd.DataFrame([{
            T("data.col.file"): f.name, T("data.page.kind"): _kinds(f.kinds), T("data.page.rows"): num(f.rows),
            T("data.page.accepted"): num(f.accepted), T("data.page.rejected"): num(f.rejected),
            T("data.page.encoding"): (f.encoding or f.format or "").upper() + (f" '{f.delimiter}'" if f.delimiter else ""),
        } for f in rep.files])
        st.dataframe(files_df, hide_index=True, width="stretch")

        if len(rep.problems):
            counts = rep.problems["reason"].value_counts()
            chosen = st.multiselect(T("data.page.filter_reason"), list(counts.index), placeholder=T("data.page.all_reasons"),
                                    format_func=lambda k: f"{_reason_label(k)} ({num(counts[k])})", key="data_reasons")
            frames = state.setdefault("frames", {})
            if ctx.lang not in frames:
                frames[ctx.lang] = rep.frame(ctx.lang)
            table = frames[ctx.lang]
            if chosen:
                table = table[rep.problems["reason"].isin(chosen).to_numpy()]
            if len(table) > SHOWN_MAX:
                st.caption(T("data.page.shown_first", shown=num(SHOWN_MAX), total=num(len(table))))
            shown = table.head(SHOWN_MAX)
            sheet_col = T("data.col.sheet")
            if not (shown[sheet_col] != "").any():
                shown = shown.drop(columns=[sheet_col])
            st.dataframe(shown, hide_index=True, width="stretch", column_config={
                T("data.col.reason"): st.column_config.TextColumn(width="large"),
                T("data.col.row"): st.column_config.NumberColumn(format="%d", width="small"),
                T("data.col.level"): st.column_config.TextColumn(width="small"),
            })
            d1, d2 = st.columns(2)
            stem = f"laporan_validasi_{rep.as_of.isoformat()}"
            # made when clicked (a large report is slow to write as XLSX)
            d1.download_button(T("data.page.download_csv"), audited(f"{stem}.csv", lambda t=table: report.to_csv(t)), f"{stem}.csv", "text/csv",
                               key="data_dl_csv", icon=":material/download:")
            d2.download_button(T("data.page.download_xlsx"), audited(f"{stem}.xlsx", lambda t=table: table_files.to_xlsx(t.head(200_000), styled=False)), f"{stem}.xlsx",
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="data_dl_xlsx",
                               icon=":material/download:")
        else:
            st.success(T("data.page.no_problems"), icon=":material/check_circle:")

        st.divider()
        if not rep.ok:
            st.error(T("data.page.cannot_publish"), icon=":material/block:")
        else:
            st.markdown(T("data.page.publish_intro", accepted=num(rep.accepted), rejected=num(rep.rejected),
                          date=ctx.date_medium(rep.as_of)))
            sure = st.checkbox(T("data.page.confirm_publish", date=ctx.date_medium(rep.as_of), rejected=num(rep.rejected)),
                               key="data_confirm_publish")
            st.button(T("data.page.publish"), type="primary", disabled=not (sure and MAY_PUBLISH), key="data_publish",
                      on_click=_ask, args=("publish",))
            if action == "publish" and sure and MAY_PUBLISH:
                with st.spinner(T("data.page.publishing")):
                    done = publish.ingest(state["staged"].inputs, as_of, max_rejected=max_pct / 100, max_bytes=LIMIT,
                                    publish=True, demo=ctx.viewer.demo_mode, who=ctx.viewer.label, scope=SCOPE,
                                    wait=UI_LOCK_WAIT)
                uploads.discard(state["staged"])
                st.session_state.pop("data_check", None)
                st.session_state["data_round"] = st.session_state.get("data_round", 0) + 1  # empty the uploader
                st.session_state["data_result"] = {"outcome": done.outcome, "id": done.snapshot_id,
                                                   "current": done.made_current,
                                                   "why": ([echo.inert(done.error_text(ctx.lang), 600)]
                                                           if done.error is not None else [])
                                                   + [report.message(p["reason"], echo.inert(p["detail"], 200), ctx.lang)
                                                      for _, p in done.blocking.iterrows()
                                                      if p["reason"] != "publish_failed"],
                                                   "after": [echo.inert(report.after_text(a, ctx.lang), 600) for a in done.after]}
                st.rerun()

    res = st.session_state.get("data_result")
    if res:
        if res["outcome"] in ("published", "unchanged"):
            st.success(T(f"data.page.result_{res['outcome']}", id=res["id"])
                       + (" " + T("data.page.result_current") if res["current"] else ""), icon=":material/check_circle:")
            for msg in res.get("after", []):
                st.warning(T("data.summary.published_but", message=msg), icon=":material/warning:")
        else:
            st.error(T("data.page.result_failed") + " " + " ".join(res["why"]), icon=":material/error:")

# --- 2. snapshots: manifests, validation summaries, rollback --------------------------------------------
def snapshots_tab(action: str | None) -> None:
    rows = publish.snapshot_rows()
    if SCOPED and not rows.empty:  # counts within the officer's scope; the national ones are not theirs
        by_id = {s.id: s for s in snapshots.published()}
        counts = [permission.snapshot_counts(by_id[i], SCOPE) for i in rows["id"]]
        rows = rows.assign(villages=[c[0] for c in counts], enrollments=[c[1] for c in counts], rows_in=pd.NA, rejected=pd.NA)
    if rows.empty:
        st.info(T("data.page.no_snapshots"))
    else:
        view = pd.DataFrame({
            T("data.page.snapshot"): rows["id"] + rows["current"].map({True: " ★", False: ""}),
            T("data.page.as_of"): rows["as_of"].map(ctx.date_medium),
            T("data.page.origin"): rows["source"].map(lambda s: T(f"data.page.origin_{s}")),
            T("data.page.villages_in_scope" if SCOPED else "data.page.villages"): rows["villages"].map(num),
            T("data.page.enrollments_in_scope" if SCOPED else "data.page.enrollments"): rows["enrollments"].map(num),
            T("data.page.rows_in"): rows["rows_in"].map(lambda x: "–" if pd.isna(x) else num(x)),
            T("data.page.rejected"): rows["rejected"].map(lambda x: "–" if pd.isna(x) else num(x)),
            T("data.page.integrity"): rows["damaged"].map(lambda d: T("data.page.damaged") if d else T("data.page.intact")),
        })
        if SCOPED:  # rows read and rejected are national figures of each publish
            view = view.drop(columns=[T("data.page.rows_in"), T("data.page.rejected")])
        st.caption(T("data.page.current_marker"))
        st.dataframe(view, hide_index=True, width="stretch", height=_fit(min(len(view), 15)))

        as_of = dict(zip(rows["id"], rows["as_of"]))  # one lookup per option (re-indexing for each cost 60 ms)
        pick = st.selectbox(T("data.page.inspect"), list(rows["id"]), key="data_inspect",
                            format_func=lambda s: f"{s} · {ctx.date_medium(as_of[s])}")
        man = publish.manifest(pick)
        ing = man.get("ingest") or {}
        if ing and SCOPED:  # only the rejected rows of their scope, no national summary, sources or manifest
            for rel in (ing.get("quarantine") or {}):
                kind = permission.quarantine_kind(rel)
                data = publish.quarantine_file(pick, rel) if kind else None
                if data is None:
                    continue
                with offices.using(offices.of_snapshot(snapshots.find(pick))):  # that snapshot's office structure
                    mine, n = permission.quarantine_in_scope(data, kind, SCOPE)
                if n:
                    name = rel.split("/")[-1]
                    st.download_button(T("data.page.download_quarantine", name=name, rows=num(n)),
                                       audited(f"{pick}/{rel}", lambda m=mine: m, scope_only=True), name, "text/csv",
                                       key=f"data_q_{pick}_{rel}", icon=":material/download:")
        elif ing:
            a, b, c = st.columns(3)
            a.metric(T("data.page.rows_in"), num(ing.get("rows", 0)))
            b.metric(T("data.page.rejected"), num(ing.get("rejected", 0)))
            c.metric(T("data.page.base_short"), ing.get("base") or "–")
            if ing.get("problems"):
                summary = pd.DataFrame([{T("data.col.reason"): _reason_label(k), T("data.col.code"): k,
                                         T("data.page.count"): num(v)} for k, v in ing["problems"].items()])
                st.dataframe(summary, hide_index=True, width="stretch")
            for rel, info in (ing.get("quarantine") or {}).items():
                name = rel.split("/")[-1]
                st.download_button(T("data.page.download_quarantine", name=name, rows=num(info["rows"])),
                                   audited(f"{pick}/{rel}", lambda sid=pick, r=rel: publish.quarantine_file(sid, r) or b""), name, "text/csv",
                                   key=f"data_q_{pick}_{rel}", icon=":material/download:")
        srcs = [s for s in man.get("sources", []) if "sha256" in s] if not SCOPED else []
        if srcs:
            st.dataframe(pd.DataFrame([{T("data.col.file"): s["name"], T("data.page.kind"): _kinds(s.get("kinds", [])),
                                        T("data.page.rows"): num(s.get("rows", 0)), T("data.page.rejected"): num(s.get("rejected", 0)),
                                        "sha256": s["sha256"]} for s in srcs]), hide_index=True, width="stretch")
        if not SCOPED:
            with st.expander(T("data.page.manifest")):
                st.code(json.dumps(man, indent=2, ensure_ascii=False), language="json")

        st.divider()
        st.header(T("data.page.rollback_title"))
        cur = snapshots.current_id()
        st.caption(T("data.page.rollback_intro", current=cur or "–"))
        good = rows[(rows["damaged"] == "") & ~rows["current"]]
        if SCOPED:
            st.info(T("data.page.rollback_national_only"), icon=":material/lock:")
        elif good.empty:
            st.info(T("data.page.rollback_none"))
        else:
            target = st.selectbox(T("data.page.rollback_to"), list(good["id"]), key="data_rollback_to")
            sure = st.checkbox(T("data.page.confirm_rollback", id=target, current=cur or "–"), key="data_confirm_rollback")
            st.button(T("data.page.rollback"), disabled=not (sure and MAY_PUBLISH), key="data_rollback", on_click=_ask,
                      args=("rollback",))
            if action == "rollback" and sure and MAY_PUBLISH:
                try:
                    after = publish.rollback(target, who=ctx.viewer.label, scope=SCOPE, wait=UI_LOCK_WAIT)
                    st.session_state["data_rolled"] = target
                    st.session_state["data_rolled_after"] = [echo.inert(report.after_text(a, ctx.lang), 600) for a in after]
                    st.rerun()
                except snapshots.SnapshotError as e:  # lock held, read-only folder, damaged: in the UI language
                    st.session_state["data_rolled"] = None
                    st.error(echo.inert(e.text(ctx.lang), 600), icon=":material/error:")
                except permission.NotPermitted as e:
                    st.session_state["data_rolled"] = None
                    st.error(echo.inert(e, 200))
        if st.session_state.get("data_rolled"):
            st.success(T("data.page.rolled_back", id=st.session_state["data_rolled"]), icon=":material/undo:")
            for msg in st.session_state.get("data_rolled_after") or []:
                st.warning(T("data.summary.published_but", message=msg), icon=":material/warning:")

# --- 3. templates ---------------------------------------------------------------------------------------
def templates_tab() -> None:
    st.markdown(T("data.page.templates_intro"))
    for kind, spec in columns.REPORTS.items():
        st.header(T(f"data.kind.{kind}"))
        cols = pd.DataFrame([{
            T("data.col.column"): c.name,
            T("data.page.meaning"): c.id if ctx.lang == "id" else c.en,
            T("data.page.required"): T("data.page.yes") if c.required else T("data.page.no"),
            T("data.page.example"): c.example,
        } for c in spec.columns])
        st.dataframe(cols, hide_index=True, width="stretch", height=_fit(len(cols)))
        a, b = st.columns(2)
        a.download_button(T("data.page.template_csv"), lambda k=kind: columns.template_csv(k), f"templat_{kind}.csv", "text/csv",
                          key=f"data_tpl_csv_{kind}", icon=":material/download:")
        b.download_button(T("data.page.template_xlsx"), lambda k=kind: columns.template_xlsx(k), f"templat_{kind}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"data_tpl_xlsx_{kind}",
                          icon=":material/download:")


# The button callbacks ran before this rerun (_ask): the action is taken once, by the tab whose button it is.
action = st.session_state.pop("data_action", None)
tab_up, tab_snap, tab_tpl = st.tabs([T("data.page.tab_upload"), T("data.page.tab_snapshots"), T("data.page.tab_templates")])
with tab_up:
    upload_tab(action)
with tab_snap:
    snapshots_tab(action)
with tab_tpl:
    templates_tab()
