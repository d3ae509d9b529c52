"""The Desa page in a real browser: find a village by a typo, open its profile, screenshot it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, settle

pytestmark = pytest.mark.browser

EKANG = "21.01.10.2002"


def whole_page(page) -> None:
    """Streamlit scrolls inside its main block: make the window as tall as the content for a full screenshot."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll(\"[data-testid='stMain'], [data-testid='stAppScrollToBottomContainer']\")]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)")
    page.set_viewport_size({"width": 1600, "height": min(int(height) + 40, 6000)})
    settle(page)


def test_profile_of_ekang_anculai(server, page):
    page.goto(f"{server}/desa?snapshot=2018-08-01&cabang=tanjung-pinang&desa={EKANG}")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_role("heading", name="Desa Ekang Anculai")).to_be_visible()
    expect(main.get_by_text("sejak Rabu, 1 Agustus 2018", exact=False).first).to_be_visible()
    expect(main.get_by_text("KC Tanjung Pinang", exact=True).first).to_be_visible()
    expect(main.get_by_text("Kanwil Sumbarriau", exact=True)).to_be_visible()
    expect(main.get_by_text("4 dari 4 syarat terpenuhi")).to_be_visible()
    # three breakdowns and the trend, drawn
    expect(main.locator("[data-testid='stVegaLiteChart']")).to_have_count(4)
    whole_page(page)
    expect(main.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg")
           .first).to_be_visible()
    path = screenshot(page, "desa")
    assert path.stat().st_size > 50_000
    assert not page.blocked, f"requests to outside hosts: {page.blocked}"


def test_search_with_a_typo_opens_the_profile(server, page):
    page.goto(f"{server}/desa?snapshot=2018-08-01&cabang=tanjung-pinang")
    settle(page)
    box = page.get_by_label("Cari desa (nama atau kode)")
    box.fill("ekang ancul")
    box.press("Enter")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text("Kec. Teluk Sebong, Kabupaten Bintan, Kepulauan Riau")).to_be_visible()
    main.get_by_role("link", name="Desa Ekang Anculai").click()
    settle(page)
    expect(main.get_by_role("heading", name="Desa Ekang Anculai")).to_be_visible()
    assert f"desa={EKANG}" in page.url and "cabang=tanjung-pinang" in page.url and "snapshot=2018-08-01" in page.url
    # and back to the list
    main.get_by_role("button", name="Kembali ke daftar desa").click()
    settle(page)
    expect(main.get_by_role("heading", name="Daftar desa")).to_be_visible()
    assert "desa=" not in page.url and "cabang=tanjung-pinang" in page.url
    # selecting a row of the village list (certified first, most recent first) opens that village too
    grid = main.locator("[data-testid='stDataFrame'] >> visible=true").first  # this screen's copy (ui/phone.py)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box
    settle(page)
    expect(main.get_by_role("heading", name="Desa Ekang Anculai")).to_be_visible()
    assert f"desa={EKANG}" in page.url


def test_bad_code_in_the_link_shows_not_found(server, page):
    page.goto(f"{server}/desa?desa=%27%20OR%201%3D1%20--")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text("Desa tidak ditemukan")).to_be_visible()
    expect(page.get_by_label("Cari desa (nama atau kode)")).to_be_visible()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
