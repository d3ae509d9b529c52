"""Peresmian: ceremony mode for one certified village (?desa=<code>), big type for a projector, offline;
briefs to take away (village PDF and PNG, branch/region PDF), built when their button is clicked.

Own URL parameters: desa (Kemendagri village code) and putar (seconds per slide for the automatic sequence
village -> branch -> region -> nation; absent: the village slide only).
"""

import streamlit as st

from desasadar import echo, table_files, search
from desasadar.export import brief_pdf, brief_png, facts, qr, slide
from desasadar.laporan import nasional_pdf
from desasadar.scope import Scope, ScopeError
from desasadar.ui.auth import audited
from desasadar.ui import bukti, shell
from desasadar.ui.context import context, keep_across_language

ctx = context()
T = ctx.t
PUTAR_MIN, PUTAR_MAX, PUTAR_DEFAULT = 5, 600, 15


def _secret_public_url() -> str | None:
    """`public_url` from Streamlit secrets, if there is a secrets file holding it."""
    try:
        return st.secrets.get("public_url")
    except Exception:  # no secrets file: not configured
        return None


def _office_runners(level: str, code: str):
    """(runner in the office's own scope, runner in the viewer's whole scope); None when outside the viewer's."""
    scope = Scope.of(branches=[code]) if level == "branch" else Scope.of(regions=[code])
    try:
        ctx.run_in("kantor_terpilih", scope)  # raises when the office lies outside the viewer's scope
    except ScopeError:
        return None
    return (lambda name, **p: ctx.run_in(name, scope, **p)), (lambda name, **p: ctx.run_in(name, ctx.viewer.scope, **p))


def _kantor(level: str, code: str):
    runners = _office_runners(level, code)
    return facts.kantor(level, code, ctx.year, *runners) if runners else None


def _putar() -> int | None:
    raw = st.query_params.get("putar")
    if raw and raw.isdigit() and PUTAR_MIN <= int(raw) <= PUTAR_MAX:
        return int(raw)
    return None


def open_ceremony(village_code: str | None, seconds: int | None) -> None:
    """Button callback (runs before the script): the ceremony view is a URL, so it can be reloaded or bookmarked."""
    if not village_code:
        return
    st.query_params["desa"] = village_code
    if seconds:
        st.query_params["putar"] = str(seconds)
    elif "putar" in st.query_params:
        del st.query_params["putar"]
    st.session_state.pop("peresmian_slide", None)


def close_ceremony() -> None:
    for k in ("desa", "putar"):
        if k in st.query_params:
            del st.query_params[k]


public_url = qr.public_base_url(_secret_public_url())
lang, snap = ctx.lang, ctx.served.id
raw = st.query_params.get("desa")
code = search.normalise_code(raw)  # as the Desa page: '21.01.10.2002' or 10 digits, nothing else
if raw and code and raw != code:
    st.query_params["desa"] = code
desa = facts.desa(ctx.run, code, ctx.year) if code else None
problem = None
if raw and not code:
    problem = T("peresmian.bad_code", code=echo.inert(raw, limit=24))
elif code and desa is None:
    problem = T("peresmian.unknown", code=code)
elif desa is not None and not desa.certified:
    problem = T(
        "peresmian.not_certified",
        name=desa.name,
        date=ctx.date_medium(ctx.as_of),
        status=T(f"status.{desa.v['status']}"),
    )


def national_download(where, key: str) -> None:
    """Direksi's one-page national brief (gauge, pace, best and lagging Kanwil, map), the one the weekly
    e-mail carries; offered only to a viewer whose scope is the whole nation."""
    if not ctx.viewer.scope.all:
        return
    name = table_files.file_name(f"ringkasan-nasional-{snap}-{lang}", "pdf", demo=ctx.is_demo)
    run = lambda q, **p: ctx.run_in(q, ctx.viewer.scope, **p)  # noqa: E731  (the national scope)
    where.download_button(
        T("peresmian.dl_national_pdf"),
        data=audited(name, lambda: nasional_pdf.national_pdf(run, ctx.year, lang)),
        file_name=name,
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        key=key,
    )


def downloads(d: facts.Desa, where) -> None:
    """Deferred downloads: each file is built only when its button is clicked, in the display language."""
    where.markdown(f"**{T('peresmian.downloads')}**")
    where.caption(T("peresmian.downloads_help", demo=T("peresmian.downloads_demo") if ctx.is_demo else ""))
    c1, c2, c3, c4 = where.columns(4)
    demo = ctx.is_demo  # demo files carry DEMO in the name (table_files.file_name) and in the content
    base = f"peresmian-{d.code}-{snap}-{lang}"
    pdf_name, png_name = (table_files.file_name(base, ext, demo=demo) for ext in ("pdf", "png"))
    c1.download_button(
        T("peresmian.dl_village_pdf"),
        data=audited(pdf_name, lambda: brief_pdf.village_pdf(d, lang, public_url)),
        file_name=pdf_name,
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        key="dl_village_pdf",
    )
    c2.download_button(
        T("peresmian.dl_village_png"),
        data=audited(png_name, lambda: brief_png.village_png(d, lang, public_url)),
        file_name=png_name,
        mime="image/png",
        icon=":material/image:",
        on_click="ignore",
        key="dl_village_png",
    )
    branch, region = d.v["branch_code"], d.v["region_code"]
    if _office_runners("branch", branch):
        c3.download_button(
            T("peresmian.dl_branch_pdf", name=d.v["branch_name"]),
            data=audited(f"ringkasan-kc-{branch}.pdf", lambda: brief_pdf.office_pdf(_kantor("branch", branch), lang)),
            file_name=table_files.file_name(f"ringkasan-kc-{branch}-{snap}-{lang}", "pdf", demo=demo),
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
            on_click="ignore",
            key="dl_branch_pdf",
        )
    if _office_runners("region", region):
        c4.download_button(
            T("peresmian.dl_region_pdf", name=d.v["region_name"]),
            data=audited(f"ringkasan-kanwil-{region}.pdf", lambda: brief_pdf.office_pdf(_kantor("region", region), lang)),
            file_name=table_files.file_name(f"ringkasan-kanwil-{region}-{snap}-{lang}", "pdf", demo=demo),
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
            on_click="ignore",
            key="dl_region_pdf",
        )
    national_download(where, "dl_national_pdf")


# --- ceremony view -------------------------------------------------------------------------------------
if desa is not None and problem is None:
    st.html(slide.CHROME_CSS)
    seconds = _putar()

    def slides() -> list:
        """Slide builders in order: village, branch, region (when the viewer may see them), nation."""
        out = [lambda foot: slide.village_slide(desa, lang, public_url, foot)]
        for level, c in (("branch", desa.v["branch_code"]), ("region", desa.v["region_code"])):
            if _office_runners(level, c):
                out.append(lambda foot, level=level, c=c: slide.office_slide(_kantor(level, c), lang, foot))
        pts = ctx.run_in("peresmian_desa_tersertifikasi", ctx.viewer.scope, branch_code=None, region_code=None)
        here = (float(desa.v["lon"]), float(desa.v["lat"]))
        out.append(
            lambda foot: slide.nation_slide(
                desa.nasional, ctx.year, lang, list(zip(pts["lon"], pts["lat"])), here, foot
            )
        )
        return out

    if seconds:

        @st.fragment(run_every=seconds)
        def sequence() -> None:
            builders = slides()
            i = (st.session_state.get("peresmian_slide", -1) + 1) % len(builders)
            st.session_state["peresmian_slide"] = i
            st.html(builders[i](T("peresmian.slide_of", i=i + 1, n=len(builders))))

        sequence()
    else:
        st.html(slide.village_slide(desa, lang, public_url))

    after = st.container(key="dsjs-after")
    left, right = after.columns([1, 3])
    left.button(T("peresmian.exit"), key="peresmian_exit", on_click=close_ceremony)
    if not public_url:
        right.markdown(f"<small>{T('peresmian.qr_off')}</small>", unsafe_allow_html=True)
    downloads(desa, after)
    with after:
        bukti.ceremony_photos(ctx, desa.code)
    # the shell's footer is folded away with the chrome: its attribution stays, below the slide
    after.markdown(f"<small>{T('shell.attribution')}</small>", unsafe_allow_html=True)
    st.stop()

# --- picking a village ---------------------------------------------------------------------------------
if raw:  # ?desa= asked for the full-screen view, which cannot be shown: the shell's header after all
    shell.banner(ctx)
st.title(T("peresmian.title"))
st.markdown(T("peresmian.intro"))
national_download(st, "dl_national_pdf_top")
if problem:
    st.warning(problem, icon=":material/error:")

pilihan = ctx.run("peresmian_desa_tersertifikasi", branch_code=None, region_code=None)
if pilihan.empty:
    st.info(T("peresmian.none_in_scope", date=ctx.date_medium(ctx.as_of)), icon=":material/info:")
    st.stop()

newest = pilihan.sort_values(["certified_on", "certified_seq_national"], ascending=False)
label = {
    r.village_code: T(
        "peresmian.pick_option",
        name=r.village_name,
        district=r.district_name,
        regency=r.regency_name,
        date=ctx.date_short(r.certified_on),
    )
    for r in newest.itertuples()
}
keep_across_language("peresmian_pick")  # its labels carry dates in the viewer's language
chosen = st.selectbox(
    T("peresmian.pick"),
    list(label),
    index=None,
    format_func=label.get,
    placeholder=T("peresmian.pick_placeholder"),
    key="peresmian_pick",
)
c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
autoplay = c1.checkbox(T("peresmian.autoplay"), key="peresmian_autoplay")
seconds = c2.number_input(
    T("peresmian.interval"),
    min_value=PUTAR_MIN,
    max_value=PUTAR_MAX,
    value=PUTAR_DEFAULT,
    step=5,
    disabled=not autoplay,
    key="peresmian_interval",
)
st.button(
    T("peresmian.start"),
    type="primary",
    disabled=chosen is None,
    icon=":material/slideshow:",
    on_click=open_ceremony,
    args=(chosen, int(seconds) if autoplay else None),
    key="peresmian_start",
)

if chosen:
    picked = facts.desa(ctx.run, chosen, ctx.year)
    if picked is not None:
        st.divider()
        downloads(picked, st.container())
