"""A Bupati's link in chromium: /?kabupaten=kabupaten-bintan opens his kabupaten, and it stays his kabupaten
when he moves to another page through the sidebar (stamp, sidebar filter and URL). Screenshot:
test-output/kabupaten-peta-1440x900.png."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import block_outside, settle

STAMP = "[data-testid='stCaptionContainer']"


def test_a_kabupaten_link_stays_on_every_page(server, browser, output_dir):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    blocked = block_outside(ctx)
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    try:
        page.goto(f"{server}/?kabupaten=kabupaten-bintan&snapshot=2018-08-01")
        settle(page)
        expect(page.locator(STAMP).filter(has_text="Data per").first).to_contain_text("· Kabupaten Bintan")
        expect(page.get_by_test_id("stSidebar").get_by_role("combobox", name="Kabupaten/kota")).to_match_aria_snapshot(
            '- combobox "Kabupaten/kota": Kabupaten Bintan')
        for label, path in (("Peringkat", "/peringkat"), ("Desa", "/desa"), ("Peta", "/peta")):
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=label).click()
            settle(page)
            expect(page).to_have_url(re.compile(re.escape(path) + r"\?.*kabupaten=kabupaten-bintan"))
            expect(page.locator(STAMP).filter(has_text="Data per").first).to_contain_text("· Kabupaten Bintan")
        expect(page.get_by_text("titik di peta", exact=False).first).to_be_visible()  # the kabupaten's villages
        page.screenshot(path=str(output_dir / "kabupaten-peta-1440x900.png"))
        assert not blocked, blocked
    finally:
        ctx.close()
