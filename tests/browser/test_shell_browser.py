"""The shell in a real browser: a deputy's deep link as the very first request to a fresh server."""
from __future__ import annotations

from playwright.sync_api import expect

from .conftest import screenshot, settle


def script_runs(page) -> list[bytes]:
    """The messages that start a script run (call before page.goto): Streamlit begins each run with a new-session
    message, the one message that names the main script."""
    runs: list[bytes] = []

    def received(frame) -> None:
        if b"dashboard.py" in (frame if isinstance(frame, bytes) else frame.encode()):
            runs.append(frame)

    page.on("websocket", lambda ws: ws.on("framereceived", received))
    return runs


def test_deep_link_runs_through_entrypoint_on_fresh_server(fresh_server, page, request):
    # The first request this server ever sees is the deep link (DESIGN.md section 6).
    runs = script_runs(page)
    page.goto(f"{fresh_server}/peringkat?wilayah=sumbarriau&cabang=tanjung-pinang&snapshot=2018-08-01")
    settle(page)
    if request.node.callspec.params["fresh_server"] == "serve":
        # started as start.sh does, the server is in st.navigation's mode from the start: the first visitor's
        # script runs once, not once to reach desasadar.ui.guard and again (about 0.2 s and a round trip)
        assert len(runs) == 1, f"the first visitor's script ran {len(runs)} times"
    sidebar = page.locator("[data-testid='stSidebar']")
    # the entrypoint's filters are there, set from the URL
    expect(sidebar.get_by_role("combobox", name="Kantor Cabang")).to_match_aria_snapshot(
        '- combobox "Kantor Cabang": KC Tanjung Pinang')
    expect(sidebar.get_by_role("combobox", name="Kantor Wilayah")).to_match_aria_snapshot(
        '- combobox "Kantor Wilayah": Sumbarriau')
    # and the page itself is filtered
    expect(page.get_by_text("Data per Rabu, 1 Agustus 2018 · snapshot 2018-08-01 · KC Tanjung Pinang")).to_be_visible()
    # the entrypoint's banner and data stamp
    expect(page.get_by_text("DATA DEMO", exact=False).first).to_be_visible()
    expect(page.get_by_text("Data per Rabu, 1 Agustus 2018", exact=False).first).to_be_visible()
    # navigation by Indonesian titles, not file names
    nav = page.locator("[data-testid='stSidebarNav']")
    expect(nav.get_by_text("Ringkasan")).to_be_visible()
    assert "cabang=tanjung-pinang" in page.url
    screenshot(page, "shell-deeplink-peringkat")
    assert not page.blocked, f"requests to outside hosts: {page.blocked}"


def test_first_visitor_keeps_the_link_through_a_filter_change_and_a_page_switch(fresh_server, page):
    # The first session of a fresh server used to run in Streamlit's old pages/-folder mode: its filter widgets
    # were registered under another page, so the first filter change threw the link away (measured: picking a
    # cabang showed the national latest view, the URL lost snapshot and wilayah). Only the first visitor hit it.
    page.goto(f"{fresh_server}/?wilayah=sumbarriau&snapshot=2018-08-01")
    settle(page)
    expect(page.get_by_text("Data per Rabu, 1 Agustus 2018 · snapshot 2018-08-01 · Kanwil Sumbarriau")).to_be_visible()
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("combobox", name="Kantor Cabang").click()
    page.get_by_role("option", name="KC Agam").click()
    settle(page)
    expect(page.get_by_text("Data per Rabu, 1 Agustus 2018 · snapshot 2018-08-01 · KC Agam")).to_be_visible()
    page.wait_for_function("() => location.search.includes('cabang=agam')", timeout=10_000)
    assert "snapshot=2018-08-01" in page.url and "wilayah=sumbarriau" in page.url, page.url
    sidebar.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Peringkat", exact=True).click()
    settle(page)
    expect(page.get_by_text("Data per Rabu, 1 Agustus 2018 · snapshot 2018-08-01 · KC Agam")).to_be_visible()
    page.wait_for_function("() => location.pathname.endsWith('/peringkat')", timeout=10_000)
    assert "snapshot=2018-08-01" in page.url and "cabang=agam" in page.url, page.url


def test_language_switch_in_url(server, page):
    page.goto(f"{server}/?lang=en&snapshot=2018-08-01")
    settle(page)
    expect(page.get_by_text("Data as of Wednesday, 1 August 2018", exact=False).first).to_be_visible()
    expect(page.locator("[data-testid='stSidebarNav']").get_by_text("Overview")).to_be_visible()


def test_filters_survive_page_switches(server, page):
    page.goto(f"{server}/?cabang=tanjung-pinang&snapshot=2018-08-01")
    settle(page)
    page.locator("[data-testid='stSidebarNav']").get_by_text("Desa", exact=True).click()
    settle(page)
    expect(page.get_by_text("Data per Rabu, 1 Agustus 2018 · snapshot 2018-08-01 · KC Tanjung Pinang")).to_be_visible()
    page.wait_for_function("() => location.search.includes('cabang=tanjung-pinang')", timeout=10_000)
    assert "/desa" in page.url and "snapshot=2018-08-01" in page.url
