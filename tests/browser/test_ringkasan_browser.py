"""The Ringkasan page in a real browser: every chart drawn, the numbers visible, screenshots for people to look at."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, settle

pytestmark = pytest.mark.browser


def _whole_page(page, width: int = 1600, height: int = 2300) -> None:
    # Streamlit scrolls inside its own container, so a full-page screenshot needs a tall viewport
    page.set_viewport_size({"width": width, "height": height})
    settle(page)


def test_ringkasan_national(server, page):
    page.goto(f"{server}/?snapshot=2018-08-01")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_role("heading", name="Ringkasan")).to_be_visible()
    # the first screen (laptop, 1600x1000): gauge and the four KPI cards
    expect(main.locator("[data-testid='stMetric']").first).to_be_visible()
    expect(main.get_by_text("Sisa 89 desa menuju target 500", exact=False)).to_be_visible()
    screenshot(page, "ringkasan-fold")
    _whole_page(page)
    charts = main.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg")
    expect(charts).to_have_count(4)  # the pace is a progress bar, the gauge an inline SVG drawn with the first paint
    gauge = main.locator("svg[role='img'][aria-label^='Gauge: 411 desa tersertifikasi dari target 500 (82,2%)']")
    expect(gauge).to_be_visible()
    expect(gauge.locator("text").first).to_have_text("82,2%")
    expect(main.locator(".stMarkdownBadge", has_text="Sesuai jalur")).to_be_visible()
    expect(main.get_by_text("2017: 276", exact=False)).to_be_visible()
    expect(main.locator("[data-testid='stException']")).to_have_count(0)
    screenshot(page, "ringkasan")
    assert not page.blocked, f"requests to outside hosts: {page.blocked}"


def test_ringkasan_tanjung_pinang_en(server, page):
    page.goto(f"{server}/?snapshot=2018-08-01&cabang=tanjung-pinang&lang=en")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text("Target of 3 reached: 3 villages certified", exact=False)).to_be_visible()
    _whole_page(page)
    expect(main.locator("[data-testid='stException']")).to_have_count(0)
    screenshot(page, "ringkasan-tanjung-pinang-en")
    assert not page.blocked, f"requests to outside hosts: {page.blocked}"
