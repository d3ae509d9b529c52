"""Sign-in and roles in the app. Sign-in is Streamlit's OIDC (st.login) when secrets.toml has an
[auth] section; otherwise demo mode. The viewer's scope comes from config/akses.toml, never
from the URL, and is part of every data-layer cache key."""
from __future__ import annotations

import streamlit as st

from .. import audit, i18n
from ..access import Viewer, demo_viewer, viewer_for

ALL_PAGES = {"", "peringkat", "peta", "desa", "peresmian", "data", "metodologi"}


def sign_in_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def _lang() -> str:
    return "en" if st.query_params.get("lang") == "en" else "id"


def current_viewer() -> Viewer:
    """The viewer of this session; shows the sign-in screen and stops when nobody is signed in."""
    if not sign_in_configured():
        return demo_viewer()
    if not st.user.is_logged_in:
        lang = _lang()
        st.title("Desa Sadar Jaminan Sosial")
        st.write(i18n.t("auth.sign_in_needed", lang))
        st.button(i18n.t("auth.sign_in", lang), on_click=st.login, type="primary")
        st.stop()
    user = st.user.to_dict()
    viewer = viewer_for(user.get("email"), user.get("name"), claims=user)
    if st.session_state.get("_signed_in_as") != viewer.email:
        st.session_state["_signed_in_as"] = viewer.email
        audit.record("sign_in", viewer.label, role=viewer.role)
    return viewer


def pages_for(viewer: Viewer) -> set[str]:
    """URL paths of the pages this viewer may open: the Data page only for data officers
    (and, read-only, in demo mode so the two-command start shows it)."""
    return ALL_PAGES if viewer.can_publish or viewer.demo_mode else ALL_PAGES - {"data"}


def no_access(viewer: Viewer) -> None:
    lang = _lang()
    st.title(i18n.t("auth.no_access_title", lang))
    st.error(i18n.t("auth.no_access", lang, email=viewer.email or "–"))
    audit.record("denied", viewer.label)
    if sign_in_configured() and st.user.is_logged_in:
        st.button(i18n.t("auth.sign_out", lang), on_click=st.logout)


def sidebar_identity(viewer: Viewer, lang: str) -> None:
    """Who is signed in and with which role, with a sign-out button."""
    if viewer.demo_mode:
        st.sidebar.caption(i18n.t("auth.demo_mode", lang))
        return
    st.sidebar.caption(i18n.t("auth.signed_in_as", lang, who=viewer.label, role=i18n.t(f"auth.role.{viewer.role}", lang)))
    st.sidebar.button(i18n.t("auth.sign_out", lang), on_click=st.logout)


def record_view(viewer: Viewer, page: str, scope_key: tuple, snapshot: str) -> None:
    """Log a view once per (page, scope, snapshot) change in a session, not on every rerun."""
    key = (page, scope_key, snapshot)
    if st.session_state.get("_last_view") != key:
        st.session_state["_last_view"] = key
        audit.record("view", viewer.label, page=page or "ringkasan", scope=list(scope_key), snapshot=snapshot)


def audited(what: str, make, **details):
    """A deferred download's data callable that first writes an 'export' audit event.

    Who and which scope are taken now, at render time: the callable itself runs when the
    file is requested, outside the script run."""
    ctx = st.session_state.get("_ctx")
    who = ctx.viewer.label if ctx else "?"
    scope = list(ctx.scope.key) if ctx else None
    snapshot = ctx.served.id if ctx else None

    def data():
        audit.record("export", who, what=what, scope=scope, snapshot=snapshot, **details)
        return make()

    return data
