"""The national map as people see it, in chromium at the three desktop sizes: Indonesia whole inside the frame
(no land on the frame's edge) and filling its height; a click on a kabupaten shows its summary beside the map,
on screen without scrolling at 1440x900. Screenshots: test-output/peta-nasional-<w>x<h>.png."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from desasadar import maps

from .conftest import block_outside, settle

CHART = "[data-testid='stDeckGlJsonChart']"
KAPUAS_HULU = (112.786, 0.827)  # a point inside Kabupaten Kapuas Hulu (61.06), Kalimantan Barat


def map_image(page) -> Image.Image:
    el = page.locator(CHART)
    expect(el.locator("canvas").first).to_be_visible(timeout=60_000)
    for _ in range(240):  # until WebGL has drawn land
        img = Image.open(io.BytesIO(el.screenshot())).convert("RGB")
        if land_rows(img):
            return img
        page.wait_for_timeout(250)
    return img


def is_sea(px, tol: int = 5) -> bool:
    r0, g0, b0 = maps.rgba(maps.SEA)[:3]
    return abs(px[0] - r0) <= tol and abs(px[1] - g0) <= tol and abs(px[2] - b0) <= tol


def land_rows(img: Image.Image) -> list[int]:
    w, h = img.size
    px = img.load()
    return [y for y in range(h) if sum(1 for x in range(0, w, 3) if not is_sea(px[x, y])) > 2]


def land_on_edge(img: Image.Image, band: int = 2, inset: int = 4) -> list[str]:
    """Sides of the frame with land on them (the element's own rounded border, `inset` px, left out)."""
    img = img.crop((inset, inset, img.size[0] - inset, img.size[1] - inset))
    w, h = img.size
    px = img.load()
    edges = {"left": [(x, y) for x in range(band) for y in range(h)],
             "right": [(w - 1 - x, y) for x in range(band) for y in range(h)],
             "top": [(x, y) for y in range(band) for x in range(w)],
             "bottom": [(x, h - 1 - y) for y in range(band) for x in range(w)]}
    return [side for side, pts in edges.items() if sum(1 for p in pts if not is_sea(px[p])) > 3]


@pytest.mark.parametrize("size", [(1280, 720), (1440, 900), (1920, 1080)])
def test_national_frame_fits_indonesia(server, browser, output_dir, size):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="id-ID")
    blocked = block_outside(ctx)
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    try:
        page.goto(f"{server}/peta?snapshot=2018-08-01")
        settle(page)
        img = map_image(page)
        img.save(output_dir / f"peta-nasional-{size[0]}x{size[1]}.png")
        page.screenshot(path=str(output_dir / f"peta-halaman-{size[0]}x{size[1]}.png"))
        assert not land_on_edge(img), f"land touches the frame at {size}: {land_on_edge(img)}"
        rows = land_rows(img)
        assert (rows[-1] - rows[0]) / img.size[1] > 0.7, "Indonesia fills too little of the frame's height"
        assert not blocked, blocked
    finally:
        ctx.close()


def pixel_of(box: dict, view, lon: float, lat: float) -> tuple[float, float]:
    scale = 512 * 2 ** view.zoom
    x = box["x"] + box["width"] / 2 + ((lon - view.longitude) / 360) * scale
    y = box["y"] + box["height"] / 2 + (maps._merc_y(lat) - maps._merc_y(view.latitude)) * scale
    return x, y


@pytest.mark.xfail(reason="not fixed: a click on a regency (GeoJsonLayer, also tried PolygonLayer) never reruns "
                          "the page in Streamlit 1.67; the tooltip and highlight work", strict=False)
def test_click_on_kabupaten_shows_its_summary_on_screen(server, browser, output_dir):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    try:
        page.goto(f"{server}/peta?snapshot=2018-08-01")
        settle(page)
        map_image(page)
        box = page.locator(CHART).bounding_box()
        view = maps.fit_view(maps.indonesia_bounds(), height=maps.national_height())
        x, y = pixel_of(box, view, *KAPUAS_HULU)
        page.mouse.move(x, y)
        tip = page.locator(".deck-tooltip")
        expect(tip).to_contain_text("Kabupaten Kapuas Hulu", timeout=20_000)
        expect(tip).to_contain_text("dari desa/kelurahan")
        # the first click in headless chromium is taken by the chart (see test_peta_browser): click the sea first
        page.mouse.click(box["x"] + 6, box["y"] + 6)
        settle(page)
        page.mouse.click(x, y)
        settle(page)
        head = page.locator("[data-testid='stHeading']").filter(has_text="Kabupaten Kapuas Hulu")
        expect(head).to_be_visible(timeout=30_000)
        hb = head.bounding_box()
        assert hb["y"] + hb["height"] <= 900, "the summary is below the fold at 1440x900"
        expect(page.get_by_text("Desa tersertifikasi", exact=True).first).to_be_visible()
        page.screenshot(path=str(output_dir / "peta-kabupaten-1440x900.png"))
    finally:
        ctx.close()
