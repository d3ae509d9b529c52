"""Switching language keeps every filter: a regional link with a pinned snapshot, English, then every page.

Before the fix the switch itself dropped `snapshot` and `wilayah` (a selectbox's value travels as its label,
which changed language), so every page after it showed the latest data for the whole country.
"""
from __future__ import annotations

import pytest

from playwright.sync_api import expect

from .conftest import screenshot, settle

STAMP_EN = "Data as of Wednesday, 1 August 2018 · snapshot 2018-08-01 · Kanwil Sumbarriau"
STAMP_ID = "Data per Rabu, 1 Agustus 2018 · snapshot 2018-08-01 · Kanwil Sumbarriau"
PAGES_EN = ["Rankings", "Map", "Villages", "Ceremony", "Data", "Methodology", "Overview"]


def nav_click(page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title, exact=True).click()
    settle(page)


@pytest.mark.slow
def test_language_switch_keeps_snapshot_and_filters_on_every_page(server, browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    page = ctx.new_page()
    page.set_default_timeout(90_000)  # the map page keeps a shared 2-core machine busy for a while
    try:
        page.goto(f"{server}/?wilayah=sumbarriau&snapshot=2018-08-01&tahun=2018")
        settle(page)
        expect(page.get_by_text(STAMP_ID)).to_be_visible()
        page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
        settle(page)
        expect(page.get_by_text(STAMP_EN)).to_be_visible()
        for title in PAGES_EN:
            nav_click(page, title)
            expect(page.get_by_text(STAMP_EN)).to_be_visible()
            page.wait_for_function("() => location.search.includes('snapshot=2018-08-01')", timeout=10_000)
            assert "wilayah=sumbarriau" in page.url and "tahun=2018" in page.url and "lang=en" in page.url, page.url
        sidebar = page.locator("[data-testid='stSidebar']")
        expect(sidebar.get_by_role("combobox", name="Regional office")).to_match_aria_snapshot(
            '- combobox "Regional office": Sumbarriau')
        screenshot(page, "bahasa-en-1440x900")
        # and back to Indonesian, still on the same data
        sidebar.get_by_text("Bahasa Indonesia", exact=True).click()
        settle(page)
        expect(page.get_by_text(STAMP_ID)).to_be_visible()
        nav_click(page, "Peringkat")
        expect(page.get_by_text(STAMP_ID)).to_be_visible()
        assert "snapshot=2018-08-01" in page.url and "lang=" not in page.url
    finally:
        ctx.close()


def test_language_switch_keeps_the_ranking_measure(server, browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    page = ctx.new_page()
    page.set_default_timeout(90_000)  # the map page keeps a shared 2-core machine busy for a while
    try:
        page.goto(f"{server}/peringkat?snapshot=2018-08-01&ukuran=peserta")
        settle(page)
        page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
        settle(page)
        page.wait_for_function("() => location.search.includes('lang=en')", timeout=10_000)
        assert "ukuran=peserta" in page.url and "snapshot=2018-08-01" in page.url, page.url
    finally:
        ctx.close()
