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
  .filter(s => s.offsetParent).map(s => [s.scrollWidth, s.clientWidth])"""  # the copy this screen shows


def _context(browser, width: int, height: int):
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    blocked = block_outside(ctx)
    pg = ctx.new_page()
    yield pg
    assert not blocked, f"requests to outside hosts: {blocked}"
    ctx.close()


@pytest.fixture
def laptop(browser):
    yield from _context(browser, 1440, 900)


@pytest.fixture
def projector(browser):
    """The smallest screen a ranking is shown on: a 1280x720 projector (wider screens have more room)."""
    yield from _context(browser, 1280, 720)


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


def test_peringkat_measure_only_on_office_tabs_and_tables_fit_1280(server, projector):
    page = projector
    page.goto(f"{server}/peringkat?snapshot=2018-08-01")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    office_measure = main.get_by_text("Ukuran peringkat kantor", exact=True)
    expect(office_measure).to_be_visible()
    _no_sideways_scroll(page)  # the national branch table: 165 rows, the headline columns that fit
    expect(main.get_by_text("Kolom lain ada di unduhan XLSX/CSV", exact=False).first).to_be_visible()

    main = _open_tab(page, "Desa")
    expect(main.get_by_text("Ukuran peringkat desa", exact=True)).to_be_visible()
    expect(office_measure).to_have_count(0)  # it does not apply to villages
    _no_sideways_scroll(page)

    main = _open_tab(page, "Kantor wilayah")
    expect(office_measure).to_be_visible()
    _no_sideways_scroll(page)
    assert "ukuran=persen_target" in page.url


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", is_mobile=True, has_touch=True,
                              device_scale_factor=2)
    blocked = block_outside(ctx)
    pg = ctx.new_page()
    yield pg
    assert not blocked, f"requests to outside hosts: {blocked}"
    ctx.close()


def _main_height(page) -> int:
    return page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")


def test_phone_branch_head_link(server, phone):
    """A Kepala Cabang opens the WhatsApp link on a phone: scope and date, the filters and the headline number
    on the first screen, cards two to a row with their labels whole, a page of reasonable length."""
    page = phone
    page.goto(f"{server}/?wilayah=sumbarriau&cabang=tanjung-pinang&snapshot=2018-08-01")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    first_screen = lambda loc: loc.bounding_box()["y"] + loc.bounding_box()["height"] <= 844  # noqa: E731
    stamp = main.get_by_text("Data per Rabu, 1 Agustus 2018", exact=False).first
    filters = main.get_by_role("button", name="Filter: KC Tanjung Pinang · 1 Agustus 2018")
    headline = main.get_by_text("Target 3 tercapai", exact=False).first
    for loc in (stamp, filters, headline):
        expect(loc).to_be_visible()
        assert first_screen(loc), loc
    # KPI cards two to a row, labels not cut with "…"
    cards = main.locator(".st-key-kpi_cards [data-testid='stMetric']")
    expect(cards).to_have_count(4)
    boxes = [cards.nth(i).bounding_box() for i in range(4)]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[1]["x"] > boxes[0]["x"] + 100, boxes
    cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stMetricLabel] p')]
        .filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.innerText)""")
    assert not cut, f"metric labels cut: {cut}"
    assert _main_height(page) < 3_900  # was 4,277 px (one card under another, a tall banner)

    # the filters without the sidebar: another branch of the region, then English; the data date stays
    filters.click()
    box = page.locator("[data-testid='stPopoverBody']")
    expect(box).to_be_visible()
    box.get_by_role("combobox", name="Kantor Cabang").fill("Siak")
    page.get_by_role("option", name="KC Siak").click()
    settle(page)
    filters = main.get_by_role("button", name="Filter: KC Siak · 1 Agustus 2018")
    expect(filters).to_be_visible()
    assert "cabang=siak" in page.url and "wilayah=sumbarriau" in page.url and "snapshot=2018-08-01" in page.url
    # then English (in the sidebar): the copies follow, in English, with the same data date and branch
    if box.is_visible():
        page.keyboard.press("Escape")
    page.locator("[data-testid='stSidebarCollapsedControl'] button, [data-testid='stExpandSidebarButton']").first.click()
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    settle(page)
    expect(main.get_by_role("button", name="Filters: KC Siak · 1 August 2018")).to_be_visible()
    assert "lang=en" in page.url and "snapshot=2018-08-01" in page.url and "cabang=siak" in page.url
    expect(main.locator("[data-testid='stException']")).to_have_count(0)
    expect(page.locator("[data-testid='stAlert']", has_text="Session State API")).to_have_count(0)


def _desa_tables_fit(server, page, screen: str) -> None:
    """The Desa page nationally (the longest names): the three tables this screen shows, none scrolling sideways."""
    page.goto(f"{server}/desa?snapshot=2018-08-01")
    settle(page)
    widths = page.evaluate("""() => [...document.querySelectorAll("[data-testid=stDataFrame] .dvn-scroller")]
      .filter(s => s.offsetParent).map(s => [s.scrollWidth, s.clientWidth])""")
    assert len(widths) == 3, widths  # the village list, the next ceremonies, the evidence still missing
    for scroll, box in widths:
        assert scroll <= box + 1, f"table scrolls sideways {screen}: {scroll} px of content in a {box} px box"


def test_desa_tables_fit_a_phone(server, phone):
    """The Desa page's tables on a 390 px phone (national: the longest names): each shows the few columns that
    fit, none scrolls sideways; a tap on a row still opens the village (the phone's own copy of the table)."""
    page = phone
    _desa_tables_fit(server, page, "on a phone")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    grid = page.locator(".st-key-phone_table_desa_list_0 [data-testid='stDataFrame']")
    expect(grid).to_be_visible()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 38 + 17)  # the first row's select box
    settle(page)
    page.wait_for_function("() => location.search.includes('desa=')", timeout=10_000)


def test_desa_tables_fit_a_projector(server, projector):
    """The Desa page nationally (the longest names) at 1280x720: no table scrolls sideways; the village
    list names the columns it leaves to the profile."""
    page = projector
    _desa_tables_fit(server, page, "at 1280 px")
    main = page.locator("[data-testid='stMain']")
    expect(main.locator(".st-key-mid_table_desa_list_0").get_by_text("ada di profil desa: pilih barisnya",
                                                                     exact=False)).to_be_visible()


@pytest.fixture
def big_screen(browser):
    yield from _context(browser, 1920, 1080)


def test_desa_tables_use_a_big_screen(server, big_screen, output_dir):
    """At 1920x1080 the Desa page shows each table's big-screen copy, with the columns that fit there (the
    criteria and participants the projector leaves to the profile), still without scrolling sideways."""
    page = big_screen
    _desa_tables_fit(server, page, "at 1920 px")
    main = page.locator("[data-testid='stMain']")
    expect(main.locator(".st-key-big_table_desa_list_0 [data-testid='stDataFrame']")).to_be_visible()
    expect(main.locator(".st-key-mid_table_desa_list_0 [data-testid='stDataFrame']")).to_be_hidden()
    for header in ("Syarat", "Peserta aktif"):  # the grid fills its accessible header row after drawing
        expect(main.locator(".st-key-big_table_desa_list_0 [role=columnheader]", has_text=header).first
               ).to_be_attached(timeout=30_000)
    page.screenshot(path=str(output_dir / "desa-1920x1080.png"))


def test_peringkat_fits_a_phone(server, phone):
    """A branch head's ranking on a 390 px phone: the rank, the office and the ranked-by figure, no table
    scrolling sideways in any tab; a tap on a row opens that branch (the phone's own copy of the table)."""
    page = phone
    page.goto(f"{server}/peringkat?snapshot=2018-08-01&wilayah=sumbarriau")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    for tab in ("Kantor cabang", "Kantor wilayah", "Desa"):
        if tab != "Kantor cabang":
            main = _open_tab(page, tab)
        _no_sideways_scroll(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    main = _open_tab(page, "Kantor cabang")
    grid = main.locator("[class*='st-key-phone_table_pk_tbl_cabang'] [data-testid='stDataFrame']")
    expect(grid).to_be_visible()
    expect(main.locator("[class*='st-key-wide_table_pk_tbl_cabang'] [data-testid='stDataFrame']")).to_be_hidden()
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 38 + 17)  # the first row's select box
    page.wait_for_function("() => location.search.includes('cabang=')", timeout=20_000)
    settle(page)
    assert "wilayah=sumbarriau" in page.url and "snapshot=2018-08-01" in page.url
    expect(main.get_by_text("peringkat ke-1 dari", exact=False).first).to_be_visible()


def test_ceremony_slide_on_a_phone(server, phone):
    page = phone
    page.goto(f"{server}/peresmian?desa=21.01.10.2002&snapshot=2018-08-01")
    settle(page)
    big = page.locator(".dsjs-big").first
    expect(big).to_have_text("ke-411")
    box = big.bounding_box()
    assert box["height"] < 80, f"'ke-411' wraps: {box}"  # one line of ~37 px type
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_data_page_words_in_indonesian(server, laptop):
    """Streamlit's own uploader words and the rejected-rows limit in the page's language and format."""
    page = laptop
    page.goto(f"{server}/data?snapshot=2018-08-01")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    zone = main.locator("[data-testid='stFileUploaderDropzone']")
    expect(zone.get_by_role("button", name="Unggah", exact=True)).to_be_visible()
    expect(zone.get_by_text("Upload", exact=True)).to_have_count(0)
    expect(zone.locator("[data-testid='stFileUploaderDropzoneInstructions']")).to_have_text(
        "Maks. 50 MB per berkas • CSV, TXT, XLSX")
    limit = main.locator("[data-testid='stSlider']", has_text="Batas baris ditolak")
    expect(limit.get_by_role("slider")).to_have_attribute("aria-valuetext", "5%")
    expect(main.get_by_text("5.00")).to_have_count(0)


def test_english_target_source(server, laptop):
    page = laptop
    page.goto(f"{server}/?snapshot=2018-08-01&lang=en")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text("Target source: Republika, 1 August 2018: a target of 500 villages", exact=False)
           ).to_be_visible()
    expect(main.get_by_text("target 500 desa", exact=False)).to_have_count(0)
