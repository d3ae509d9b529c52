"""Desa Sadar Jaminan Sosial: entrypoint. Run: streamlit run dashboard.py

Sets the page, builds the demo data on a first run, signs the viewer in, renders the
shared filters (kept in the URL) and the data stamp, then hands over to the chosen page.
"""
from pathlib import Path

import streamlit as st

from desasadar import demo, snapshots, warm
from desasadar.ui import auth, registry, shell
from desasadar.ui.context import setup
from desasadar.ui.guard import through_entrypoint

# A local favicon: a :material/...: icon would be fetched from an outside host.
ICON = Path(__file__).parent / "desasadar" / "ui" / "icon.png"
st.set_page_config(page_title="Desa Sadar Jaminan Sosial", page_icon=str(ICON), layout="wide")
warm.visitor_arrived(st.context.headers)  # the background warm-up steps aside while visitors are served
# Before any widget: the first run of a fresh server is in the old pages/-folder mode, and widgets drawn in it
# belong to another page, so the first visitor's first filter change dropped the shared link (ui/guard.py).
through_entrypoint()


@st.cache_resource(show_spinner=False)
def _cleaned_at_start() -> list[str]:
    """Once per server: remove what interrupted publishes left behind (if no writer is at work)."""
    return snapshots.clean_at_start()


_cleaned_at_start()
# Follow CURRENT in the background (a publish here or by another replica): the next visitor finds it warm.
warm.ensure_watcher()

viewer = auth.current_viewer()  # with sign-in configured, nothing below runs for a visitor not signed in
if not viewer.has_access:
    auth.no_access(viewer)
    st.stop()

if not snapshots.published():
    with st.status("Menyiapkan data demo pertama kali… / Building the demo data…", expanded=True) as box:
        bar = st.progress(0.0)
        demo.ensure(progress=lambda k, n, sid: bar.progress(k / n, text=f"Snapshot {sid} ({k}/{n})"))
        box.update(label="Data demo siap / Demo data ready", state="complete", expanded=False)

ctx = setup(viewer)
auth.sidebar_identity(viewer, ctx.lang)

allowed = auth.pages_for(viewer)
pages = [
    st.Page(p.file, title=ctx.t(p.title_key), url_path=p.url_path or None, icon=p.icon, default=not p.url_path)
    if p.url_path in allowed else  # typed in by someone without the right: a refusal, recorded, not the page
    st.Page(auth.refused_page(viewer, p.url_path, ctx.t(p.title_key), ctx.lang), title=ctx.t(p.title_key),
            url_path=p.url_path, visibility="hidden")
    for p in registry.PAGES
]
nav = st.navigation(pages, position="sidebar")
shell.header(ctx, full_screen=nav.url_path in allowed and registry.full_screen(nav.url_path, st.query_params))
if not warm.is_own_visit(st.context.headers):  # the server's own warm-up visit is nobody's view
    auth.record_view(viewer, nav.url_path, ctx.scope.key, ctx.served.id)
nav.run()
shell.footer(ctx)
