"""Evidence on the Desa page (profile section, upload for data officers, "bukti belum lengkap" list) and the
ceremony photos on the Peresmian page. Every record comes from a scoped query file; every file is handed
out through evidence.attach.file_for, which checks the scope again when the file is asked for."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import echo, frame_memo
from ..evidence import attach, checks, thumbs
from ..evidence.checks import EvidenceError
from ..scope import Scope
from . import phone
from .auth import audited
from .context import Context

THUMBS_PER_ROW = 4


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _thumb(scope_key: tuple, served_id: str, code: str, sha: str, _scope: Scope, _served) -> bytes | None:
    """A photo's preview; the scope is part of the key and checked again by file_for."""
    data = attach.file_for(_scope, code, sha, _served)
    return thumbs.thumbnail(data) if data else None


def _size(ctx: Context, n: int) -> str:
    return f"{ctx.num(n / 1024, 0)} KB" if n < 1024 * 1024 else f"{ctx.num(n / 1024 / 1024, 1)} MB"


def _pdf_button(ctx: Context, r, label: str) -> None:
    scope, served = ctx.scope, ctx.served
    st.download_button(
        T(ctx, "bukti.download", what=label, size=_size(ctx, r.size_bytes)),
        data=audited("bukti", lambda: attach.file_for(scope, r.village_code, r.sha256, served) or b"",
                     village=r.village_code, kind=r.kind),
        file_name=f"{r.kind}-{r.village_code}-{r.sha256[:8]}.pdf", mime="application/pdf",
        icon=":material/picture_as_pdf:", key=f"bukti_dl_{r.bukti_id}", on_click="ignore")


def T(ctx: Context, key: str, **kw) -> str:
    return ctx.t(key, **kw)


def photos(ctx: Context, rows: pd.DataFrame, code: str, captions: bool = True) -> None:
    """The ceremony photos of a village as thumbnails, with caption and GPS note."""
    fotos = rows[rows["kind"] == "foto"]
    for start in range(0, len(fotos), THUMBS_PER_ROW):
        cols = st.columns(THUMBS_PER_ROW)
        for col, r in zip(cols, fotos.iloc[start:start + THUMBS_PER_ROW].itertuples(index=False)):
            img = _thumb(ctx.scope.key, ctx.served.id, code, r.sha256, ctx.scope, ctx.served)
            if img is None:
                continue
            with col:
                st.image(img, caption=r.caption or None, width="stretch")
                if not captions:
                    continue
                if pd.isna(r.distance_km):
                    st.caption(T(ctx, "bukti.no_gps"))
                elif r.far:
                    # wraps in a narrow column, unlike a badge
                    far = T(ctx, "bukti.far", km=ctx.num(r.distance_km, 1))
                    st.markdown(f":orange[:material/wrong_location: **{far}**]")
                else:
                    st.caption(T(ctx, "bukti.near", km=ctx.num(r.distance_km, 1)))


def ceremony_photos(ctx: Context, code: str) -> None:
    """The ceremony view: the village's photos on file, big, below the slide (none: nothing shown)."""
    rows = ctx.run("bukti_desa", village_code=code)
    if (rows["kind"] == "foto").any():
        st.markdown(f"**{T(ctx, 'bukti.photos')}**")
        photos(ctx, rows, code, captions=False)


def section(ctx: Context, p, code: str) -> None:
    """The profile's evidence: certificate number and date, PDFs to download, photo thumbnails, upload."""
    st.header(T(ctx, "bukti.title"))
    rows = ctx.run("bukti_desa", village_code=code)
    certs = rows[rows["kind"] == "sertifikat"]
    if p.status == "certified" and certs.empty:
        st.warning(T(ctx, "bukti.incomplete"), icon=":material/assignment_late:")
    if rows.empty:
        st.caption(T(ctx, "bukti.none"))
    for r in certs.itertuples(index=False):
        st.markdown(":material/workspace_premium: " + T(ctx, "bukti.cert_line", number=_md(r.cert_number),
                                                      date=ctx.date(r.cert_date))
                    + f"  \n:gray[{T(ctx, 'bukti.added_by', who=_md(r.who), date=ctx.date(r.added_at))}]")
        _pdf_button(ctx, r, T(ctx, "bukti.kind.sertifikat").lower())
    for r in rows[rows["kind"] == "berita_acara"].itertuples(index=False):
        st.markdown(":material/description: **" + T(ctx, "bukti.kind.berita_acara") + "**"
                    + (f" — {_md(r.caption)}" if r.caption else "")
                    + f"  \n:gray[{T(ctx, 'bukti.added_by', who=_md(r.who), date=ctx.date(r.added_at))}]")
        _pdf_button(ctx, r, T(ctx, "bukti.kind.berita_acara").lower())
    if (rows["kind"] == "foto").any():
        st.markdown(f"**{T(ctx, 'bukti.photos')}**")
        photos(ctx, rows, code)
    if ctx.viewer.can_publish:
        upload(ctx, code)


def _md(text) -> str:
    """A caption or certificate number someone typed, shown in markdown as plain text (the one helper)."""
    return echo.inert(text, limit=200)


def upload(ctx: Context, code: str) -> None:
    flash = st.session_state.pop("bukti_flash", None)
    if flash:  # the outcome of the previous run's upload, now listed above
        (st.warning if flash[0] == "warning" else st.success)(flash[1])
    with st.expander(T(ctx, "bukti.add_title"), icon=":material/upload_file:"):
        st.caption(T(ctx, "bukti.add_help", max=round(checks.MAX_BYTES / 1024 / 1024)))
        kind = st.segmented_control(T(ctx, "bukti.add_kind"), checks.KINDS, default="sertifikat",
                                    format_func=lambda k: T(ctx, f"bukti.kind.{k}"), key="bukti_kind")
        with st.form("bukti_form", clear_on_submit=True, border=False):
            f = st.file_uploader(T(ctx, "bukti.add_file"), type=["pdf", "jpg", "jpeg", "png"], key="bukti_file")
            number = when = None
            if kind == "sertifikat":
                c1, c2 = st.columns(2)
                number = c1.text_input(T(ctx, "bukti.add_number"), max_chars=attach.MAX_CERT_NUMBER)
                when = c2.date_input(T(ctx, "bukti.add_date"), value=None, format="DD/MM/YYYY")
            caption = st.text_input(T(ctx, "bukti.add_caption"), max_chars=attach.MAX_CAPTION)
            if not st.form_submit_button(T(ctx, "bukti.add_submit"), type="primary", icon=":material/save:"):
                return
        if f is None:
            st.error(T(ctx, "bukti.add_no_file"))
            return
        try:
            got = attach.add(ctx.viewer.scope, ctx.viewer.label, code, kind or "", f.getvalue(), caption=caption,
                             cert_number=number, cert_date=when, original_name=f.name, served=ctx.served)
        except EvidenceError as e:
            st.error(T(ctx, e.key, **e.values), icon=":material/block:")
            return
        if got.far:
            st.session_state["bukti_flash"] = ("warning", T(ctx, "bukti.add_ok_far", km=ctx.num(got.distance_km, 1)))
        else:
            st.session_state["bukti_flash"] = ("success", T(ctx, "bukti.add_ok", what=T(ctx, f"bukti.kind.{got.kind}")))
        st.rerun()  # show the new file in the list above


@frame_memo.per_frame
def _listed(df: pd.DataFrame) -> pd.DataFrame:
    """The list's columns, made once per query result (so phone.table converts them to Arrow once too)."""
    return df.assign(certified_on=pd.to_datetime(df["certified_on"]).dt.date)[
        ["branch_name", "village_name", "regency_name", "certified_on", "berita_acara", "photos"]]


def incomplete(ctx: Context, open_key: str) -> None:
    """Certified villages without a certificate on file, per branch, with a link to each profile."""
    st.header(T(ctx, "bukti.list_title"))
    df = ctx.run("bukti_belum_lengkap")
    if df.empty:
        st.success(T(ctx, "bukti.list_none"), icon=":material/task_alt:")
        return
    st.caption(T(ctx, "bukti.list_caption", n=ctx.num(len(df))))
    codes = df["village_code"].tolist()
    key = f"bukti_list_{st.session_state.get('desa_table_nonce', 0)}"

    def opened(clicked: str):
        picked = st.session_state[clicked].selection.rows
        if picked:
            st.query_params[open_key] = codes[picked[0]]
        st.session_state["desa_table_nonce"] = st.session_state.get("desa_table_nonce", 0) + 1

    disp = _listed(df)
    phone.table(  # on a phone: the village and what is on file
        disp, key,
        ["village_name", "berita_acara", "photos"], opened, hide_index=True,
        height=min(38 + 35 * len(disp), 320),
        column_config={
            "branch_name": st.column_config.TextColumn(T(ctx, "desa.col_branch")),
            "village_name": st.column_config.TextColumn(T(ctx, "desa.col_village")),
            "regency_name": st.column_config.TextColumn(T(ctx, "desa.col_regency")),
            "certified_on": st.column_config.DateColumn(T(ctx, "desa.col_certified"),
                                                        format="DD/MM/YYYY" if ctx.lang == "id" else "D MMM YYYY"),
            "berita_acara": st.column_config.NumberColumn(T(ctx, "bukti.col_report"), format="%d"),
            "photos": st.column_config.NumberColumn(T(ctx, "bukti.col_photos"), format="%d"),
        },
    )
