"""Every page at the four sizes people use (1440x900 and 1920x1080 laptops/projectors, 1280x720 projector,
390x844 phone), screenshots written to test-output/screens/ for people to look at. Each screen must be
whole: no error, the data stamp on it, nothing wider than the window."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import ROOT, block_outside, settle

pytestmark = pytest.mark.browser

SIZES = [(1440, 900), (1920, 1080), (1280, 720), (390, 844)]
PAGES = ["", "peringkat", "peta", "desa", "peresmian", "data", "metodologi"]
OUT = ROOT / "test-output" / "screens"


@pytest.mark.slow
@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_page_at_size(server, browser, width, height):
    phone = width < 768
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID", is_mobile=phone,
                              has_touch=phone)
    blocked = block_outside(ctx)
    page = ctx.new_page()
    OUT.mkdir(parents=True, exist_ok=True)
    # a branch head's link on the phone, the national view on the big screens
    query = "snapshot=2018-08-01" + ("&wilayah=sumbarriau&cabang=tanjung-pinang" if phone else "")
    wide = []
    for path in PAGES:
        page.goto(f"{server}/{path}?{query}")
        settle(page)
        main = page.locator("[data-testid='stMain']")
        expect(main.get_by_text("Data per Rabu, 1 Agustus 2018", exact=False).first).to_be_visible()
        expect(main.locator("[data-testid='stException']")).to_have_count(0)
        if path == "peta":  # the WebGL map draws after the script settles (software rendering: slowly)
            expect(main.locator("[data-testid='stDeckGlJsonChart'] canvas").first).to_be_visible(timeout=60_000)
        page.screenshot(path=str(OUT / f"{width}x{height}-{path or 'ringkasan'}.png"), timeout=120_000,
                        animations="disabled")
        if page.evaluate("() => document.documentElement.scrollWidth") > width:
            wide.append(path or "ringkasan")
    ctx.close()
    assert not wide, f"wider than the {width} px window: {wide}"
    assert not blocked, f"requests to outside hosts: {blocked}"
