"""Layout in a real browser (issue #20): Peringkat at 1440 px, the phone view of a branch head's link,
the ceremony slide on a phone, the Data page's own words. One shared server; every wait is for a condition."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import block_outside, settle

pytestmark = pytest.mark.browser

# scrollWidth/clientWidth of the grids in the open tab: a grid wider than its box scrolls sideways
GRID_WIDTHS = """() => [...document.querySelectorAll("[data-testid=stTabPanel]")].filter(p => p.offsetParent)
  .flatMap(p => [...p.querySelectorAll("[data-testid=stDataFrame] .dvn-scroller")])
  .map(s => [s.scrollWidth, s.clientWidth])"""


@pytest.fixture
def laptop(browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    blocked = block_outside(ctx)
    pg = ctx.new_page()
    yield pg
    assert not blocked, f"requests to outside hosts: {blocked}"
    ctx.close()


def _open_tab(page, name: str):
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("tab", name=name).click()
    expect(main.get_by_role("tab", name=name, selected=True)).to_have_count(1)
    settle(page)
    return main


def _no_sideways_scroll(page) -> None:
    widths = page.evaluate(GRID_WIDTHS)
    assert widths, "no table in the open tab"
    for scroll, box in widths:
        assert scroll <= box + 1, f"table scrolls sideways: {scroll} px of content in a {box} px box"


def test_peringkat_measure_only_on_office_tabs_and_tables_fit_1440(server, laptop):
    page = laptop
    page.goto(f"{server}/peringkat?snapshot=2018-08-01")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    office_measure = main.get_by_text("Ukuran peringkat kantor", exact=True)
    expect(office_measure).to_be_visible()
    _no_sideways_scroll(page)  # the national branch table: 165 rows, the headline columns
    expect(main.get_by_text("Kolom lain ada di unduhan XLSX/CSV", exact=False).first).to_be_visible()

    main = _open_tab(page, "Desa")
    expect(main.get_by_text("Ukuran peringkat desa", exact=True)).to_be_visible()
    expect(office_measure).to_have_count(0)  # it does not apply to villages
    _no_sideways_scroll(page)

    main = _open_tab(page, "Kantor wilayah")
    expect(office_measure).to_be_visible()
    _no_sideways_scroll(page)
    assert "ukuran=persen_target" in page.url
