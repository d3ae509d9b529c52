"""The Peringkat page in a real browser: bands, chart and tables drawn; a row click opens the branch on every page."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, settle

pytestmark = pytest.mark.browser


def _whole_page(page, width: int = 1600, height: int = 2600) -> None:
    # Streamlit scrolls inside its own container, so a full-page screenshot needs a tall viewport
    page.set_viewport_size({"width": width, "height": height})
    settle(page)


def test_peringkat_sumbarriau(server, page):
    page.goto(f"{server}/peringkat?snapshot=2018-08-01&wilayah=sumbarriau")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_role("heading", name="Peringkat", exact=True)).to_be_visible()
    expect(main.get_by_text("Data per Rabu, 1 Agustus 2018", exact=False).first).to_be_visible()
    expect(main.get_by_text("Pita capaian target").first).to_be_visible()
    expect(main.get_by_text("Pemimpin:", exact=False).first).to_be_visible()
    _whole_page(page)
    panel = main.locator("[data-testid='stTabPanel']:visible")  # the open tab (Kantor cabang)
    chart = panel.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg")
    expect(chart).to_have_count(1)
    expect(panel.locator("[data-testid='stDataFrame']:visible")).to_have_count(1)  # the wide copy, not the phone's
    expect(panel.get_by_text("Tanjung Pinang", exact=False).first).to_be_visible()
    expect(panel.get_by_role("button", name="Unduh XLSX")).to_be_visible()
    expect(main.locator("[data-testid='stException']")).to_have_count(0)
    assert "ukuran=persen_target" in page.url
    screenshot(page, "peringkat")
    assert not page.blocked, f"requests to outside hosts: {page.blocked}"


def test_peringkat_tabs_and_english(server, page):
    page.goto(f"{server}/peringkat?snapshot=2018-08-01&lang=en&ukuran=cakupan&ukuran_desa=hari")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_role("heading", name="Rankings", exact=True)).to_be_visible()
    _whole_page(page)
    main.get_by_role("tab", name="Regional offices").click()
    settle(page)
    panel = main.locator("[data-testid='stTabPanel']:visible")
    expect(panel.get_by_text("Regional offices · Ranked by: Workforce covered")).to_be_visible()
    expect(panel.locator("[data-testid='stDataFrame']:visible")).to_have_count(1)  # the wide copy, not the phone's
    screenshot(page, "peringkat-wilayah-en")
    main.get_by_role("tab", name="Villages").click()
    settle(page)
    panel = main.locator("[data-testid='stTabPanel']:visible")
    expect(panel.get_by_text("Certified villages — all of Indonesia", exact=False)).to_be_visible()
    expect(main.locator("[data-testid='stException']")).to_have_count(0)
    screenshot(page, "peringkat-desa-en")
    assert not page.blocked, f"requests to outside hosts: {page.blocked}"


def test_row_click_opens_branch_on_every_page(server, page):
    page.goto(f"{server}/peringkat?snapshot=2018-08-01&wilayah=sumbarriau&ukuran=tersertifikasi")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    grid = main.locator("[data-testid='stTabPanel']:visible [data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # the row-selection checkbox of the second row (header 35 px, rows 35 px)
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 35 + 17)
    page.wait_for_url(re.compile(r"cabang="), timeout=30_000)
    settle(page)
    branch = re.search(r"cabang=([a-z-]+)", page.url).group(1)
    assert "wilayah=sumbarriau" in page.url and "ukuran=tersertifikasi" in page.url
    stamp = main.get_by_text(re.compile(r"Data per .* · KC ")).first
    expect(stamp).to_be_visible()
    name = stamp.inner_text().split("· KC ")[1].strip()
    # the one rank wording (desasadar/ranking.py): "KC <name>: peringkat ke-N dari M … menurut …"
    expect(main.get_by_text(re.compile(rf"KC {re.escape(name)}\*?\*?: peringkat")).first).to_be_visible()
    # every other page keeps that filter
    page.locator("[data-testid='stSidebarNav']").get_by_text("Ringkasan").click()
    settle(page)
    expect(main.get_by_text(f"· KC {name}", exact=False).first).to_be_visible()
    assert f"cabang={branch}" in page.url
    assert not page.blocked, f"requests to outside hosts: {page.blocked}"
