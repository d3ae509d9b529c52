"""Sign-in and roles in the app. Sign-in is Streamlit's OIDC (st.login) when secrets.toml has an
[auth] section; otherwise demo mode. The viewer's scope comes from config/akses.toml, never
from the URL, and is part of every data-layer cache key.

A sign-in lasts as long as Streamlit's identity cookie: until the user signs out, or 30 days in
that browser, or until the administrator changes `cookie_secret` (which ends every sign-in).
config/akses.toml is read on every run, so removing someone there ends their access at once.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import streamlit as st

from .. import audit, echo, i18n
from ..access import Viewer, demo_viewer, viewer_from_token
from .registry import ALL_PAGES, pages_for  # noqa: F401  (pages_for: dashboard.py asks auth)

NEXT_COOKIE = "dsjs_next"  # the shared link a signed-out visitor opened, kept across the provider's pages
USER_COOKIE = "_streamlit_user"  # Streamlit's signed identity cookie
PROVIDER_TIMEOUT = 5  # seconds to wait for the provider's discovery document before saying so


def sign_in_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def _lang() -> str:
    return "en" if st.query_params.get("lang") == "en" else "id"


def _t(key: str, lang: str, **kw) -> str:
    return i18n.t(f"auth.{key}", lang, **kw)


def current_viewer() -> Viewer:
    """The viewer of this session; shows the sign-in screen and stops when nobody is signed in."""
    if not sign_in_configured():
        return demo_viewer()
    lang = _lang()
    if not st.user.is_logged_in:
        _sign_in_screen(lang)
    claims = st.user.to_dict()
    viewer = viewer_from_token(claims)
    _record_sign_in(viewer, claims)
    _return_to_shared_link()
    return viewer


# --- the sign-in screen ---------------------------------------------------------------------------------
def _sign_in_screen(lang: str) -> None:
    hide_page_list()
    st.title("Desa Sadar Jaminan Sosial")
    st.write(_t("sign_in_needed", lang))
    here, there = _browser_origin(), _redirect_origin()
    if here and there and here != there:
        # The provider would send the browser back to another host, whose cookies this one never sees:
        # without this, sign-in silently loops back here.
        st.error(_t("host_mismatch", lang, here=here, there=there), icon=":material/link_off:")
        st.link_button(_t("open_there", lang, there=there), there + "/", type="primary")
        st.stop()
    if _from_browser(st.context.cookies.get(USER_COOKIE)):
        st.warning(_t("stale_cookie", lang), icon=":material/cookie_off:")
    if problem := st.session_state.pop("_sign_in_problem", None):
        st.error(problem, icon=":material/error:")
    st.button(_t("sign_in", lang), on_click=_start_sign_in, args=(lang,), type="primary")
    st.caption(_t("lifetime", lang))
    _remember_shared_link()
    st.stop()


def _start_sign_in(lang: str) -> None:
    """The button's callback: check that the provider answers, then hand over to st.login."""
    problem = provider_problem(_auth_section().get("server_metadata_url"))
    if problem:
        st.session_state["_sign_in_problem"] = _t("provider_unreachable", lang, reason=problem)
        return
    try:
        st.login()
    except Exception as e:  # StreamlitAuthError: a key missing from [auth]
        st.session_state["_sign_in_problem"] = _t("config_error", lang, detail=str(e).split(".")[0])


def provider_problem(url: str | None) -> str | None:
    """Why the provider's discovery document cannot be used (None when it can, or is not configured here)."""
    if not url:
        return None
    import httpx

    try:
        r = httpx.get(url, timeout=PROVIDER_TIMEOUT, follow_redirects=True)
    except httpx.HTTPError as e:
        return f"{url}: {type(e).__name__}"
    if r.status_code != 200:
        return f"{url}: HTTP {r.status_code}"
    try:
        ok = "authorization_endpoint" in r.json()
    except ValueError:
        ok = False
    return None if ok else f"{url}: no OpenID configuration"


def _auth_section() -> dict:
    try:
        return dict(st.secrets.get("auth", {}))
    except Exception:
        return {}


def _redirect_origin() -> str | None:
    uri = str(_auth_section().get("redirect_uri") or "")
    if "{port}" in uri:
        uri = uri.replace("{port}", str(st.get_option("server.port")))
    u = urlsplit(uri)
    return f"{u.scheme}://{u.netloc}" if u.scheme and u.netloc else None


def _from_browser(value) -> str | None:
    """A value of st.context as text (None where there is no browser, as in AppTest)."""
    return value if isinstance(value, str) and value else None


def _browser_origin() -> str | None:
    url = _from_browser(st.context.url)
    if not url:
        return None
    u = urlsplit(url)
    return f"{u.scheme}://{u.netloc}" if u.scheme and u.netloc else None


def hide_page_list() -> None:
    """Before sign-in (or without access) no page is offered: without st.navigation, Streamlit lists the
    files of pages/ in the sidebar. Every page path is known, hidden, so a shared link keeps its address."""
    st.navigation([st.Page(_nothing, title="Desa Sadar Jaminan Sosial", url_path=p or None, default=not p)
                   for p in sorted(ALL_PAGES)], position="hidden")


def _nothing() -> None:
    """The page body behind the hidden list: the entrypoint has already drawn what there is."""


# --- a shared link survives sign-in ---------------------------------------------------------------------
# The provider always sends the browser back to "/": the signed-out page notes its own address in a
# short-lived cookie, and the first run after sign-in sends the browser there (checked on the server).
_REMEMBER_JS = """<script>(() => {
  const target = window.location.pathname + window.location.search;
  const keep = target.replace(/\\/+$/, "") !== "";
  document.cookie = "%s=" + (keep ? encodeURIComponent(target) : "") + "; Path=/; SameSite=Lax; Max-Age=" + (keep ? 900 : 0);
})();</script>""" % NEXT_COOKIE


def _remember_shared_link() -> None:
    st.html(_REMEMBER_JS, unsafe_allow_javascript=True)


def safe_target(raw: str, base_path: str = "") -> str | None:
    """The app-relative address to return to, rebuilt from a known page and its parameters; None
    for anything else (another host, an unknown path, the bare home page)."""
    u = urlsplit(raw)
    if u.scheme or u.netloc or not u.path.startswith("/"):
        return None
    base = "/" + base_path.strip("/") if base_path.strip("/") else ""
    path = u.path[len(base):] if base and u.path.startswith(base) else u.path
    page = path.strip("/")
    if page not in ALL_PAGES:
        return None
    query = urlencode(parse_qsl(u.query)[:20])
    if not page and not query:
        return None
    return f"{base}/{page}" + (f"?{query}" if query else "")


def _return_to_shared_link() -> None:
    raw = _from_browser(st.context.cookies.get(NEXT_COOKIE))
    if not raw or st.session_state.get("_next_checked"):
        return
    st.session_state["_next_checked"] = True
    target = safe_target(unquote(raw), st.get_option("server.baseUrlPath") or "")
    at_home = _current_page() == "" and not st.query_params
    go = target if target and at_home else None
    st.html("<script>document.cookie = '%s=; Path=/; SameSite=Lax; Max-Age=0';%s</script>"
            % (NEXT_COOKIE, f" window.location.replace({json.dumps(go)});" if go else ""),
            unsafe_allow_javascript=True)
    if go:
        hide_page_list()
        st.stop()  # the browser is leaving for the shared link: draw nothing here


def _current_page() -> str:
    url = _from_browser(st.context.url)
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] if url else ""


# --- audit ----------------------------------------------------------------------------------------------
def _record_sign_in(viewer: Viewer, claims: dict) -> None:
    """One `sign_in` per sign-in: keyed by the ID token (issuer, subject, issued at, nonce), not per page load."""
    key = [viewer.issuer, viewer.subject, claims.get("iat"), claims.get("nonce")]
    if st.session_state.get("_signed_in_key") == key:
        return
    st.session_state["_signed_in_key"] = key
    first = audit.once("sign_in", json.dumps(key, default=str)) if key[2] or key[3] else True
    if first:
        audit.record("sign_in", viewer.label, role=viewer.role, sub=viewer.subject, iss=viewer.issuer,
                     email_verified=claims.get("email_verified"))


def record_refusal(viewer: Viewer, param: str, value, **details) -> None:
    """A refused request: who asked for which parameter and value, on which page (once per session)."""
    if viewer.demo_mode:
        return  # no identity to hold to account
    page = _current_page() or "ringkasan"
    seen = st.session_state.setdefault("_refused", set())
    if (page, param, str(value)) in seen:
        return  # the same request again on a rerun of the page
    seen.add((page, param, str(value)))
    audit.record("denied", viewer.label, param=param, value=str(value)[:200], page=page,
                 sub=viewer.subject or None, **details)


def _sign_out(who: str, sub: str) -> None:
    audit.record("sign_out", who, sub=sub or None)
    st.logout()


# --- what a signed-in viewer sees -----------------------------------------------------------------------
def no_access(viewer: Viewer) -> None:
    lang = _lang()
    hide_page_list()
    st.title(_t("no_access_title", lang))
    # The provider's claims are shown as plain text (a display name may hold markdown).
    st.error(_t("email_unverified" if viewer.email_unverified else "no_access", lang,
                email=echo.identity(viewer.email) if viewer.email else "–"))
    if st.session_state.get("_denied_logged") != viewer.label:
        st.session_state["_denied_logged"] = viewer.label
        audit.record("denied", viewer.label, reason="email_unverified" if viewer.email_unverified else "no_role",
                     sub=viewer.subject or None, iss=viewer.issuer or None)
    if sign_in_configured() and st.user.is_logged_in:
        st.button(_t("sign_out", lang), on_click=_sign_out, args=(viewer.label, viewer.subject))


def refused_page(viewer: Viewer, path: str, title: str, lang: str):
    """The body of a page this viewer may not open (reached by typing its address): a message, audited."""
    def body() -> None:
        st.title(title)
        st.error(_t("page_refused", lang, page=title), icon=":material/lock:")
        record_refusal(viewer, "page", path)
    body.__name__ = f"refused_{path}"
    return body


def sidebar_identity(viewer: Viewer, lang: str) -> None:
    """Who is signed in and with which role, with a sign-out button."""
    if viewer.demo_mode:
        st.sidebar.caption(_t("demo_mode", lang))
        return
    st.sidebar.caption(_t("signed_in_as", lang, who=echo.identity(viewer.label), role=_t(f"role.{viewer.role}", lang)))
    st.sidebar.button(_t("sign_out", lang), on_click=_sign_out, args=(viewer.label, viewer.subject))


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
