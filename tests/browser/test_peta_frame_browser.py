"""The national map as people see it, in chromium at the three desktop sizes: Indonesia whole inside the frame
(no land on the frame's edge) and filling its height, with province names; a click on a kabupaten shows its
summary beside the map, on screen without scrolling at 1440x900, as a clicked village's does; the tooltip is
not cut at the frame. Screenshots: test-output/peta-nasional-<w>x<h>.png, peta-kabupaten-1440x900.png,
peta-desa-1440x900.png, peta-tooltip-tepi-1440x900.png."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from desasadar import maps

from .conftest import block_outside, hide_first_picture, settle

CHART = "[data-testid='stDeckGlJsonChart']"
KAPUAS_HULU = (112.786, 0.827)  # a point inside Kabupaten Kapuas Hulu (61.06), Kalimantan Barat


def map_image(page) -> Image.Image:
    el = page.locator(CHART)
    expect(el.locator("canvas").first).to_be_visible(timeout=60_000)
    hide_first_picture(page)  # what WebGL draws, not the picture under it (test_peta_picture_browser.py)
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


# Wait until the map's WebGL work is done (a pixel read waits for every queued frame) and two frames have passed.
GL_IDLE = """() => {
  const c = document.querySelector('#deckgl-overlay');
  const gl = c && (c.getContext('webgl2') || c.getContext('webgl'));
  if (gl) gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))));
}"""


def track_sent(page) -> list[float]:
    """Times of the messages the page sends to the server (call before page.goto): a map click that reached
    the server is one of them."""
    import time

    sent: list[float] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda _f: sent.append(time.monotonic())))
    return sent


def click_until(page, sent: list[float], x: float, y: float, shown, tries: int = 4) -> int:
    """Click the map at (x, y) until a click reaches the server, then wait for `shown` (a locator); returns the
    number of clicks.

    deck.gl counts a press as a click only when the browser handles it within 250 ms, and the press starts a
    synchronous pick: on software WebGL in a loaded machine that can take longer, and the press is then
    dropped (nothing is sent). Only such a dropped press is retried: a click that was sent is never repeated,
    since a second click on the same object clears the selection (single-object mode), and on a loaded
    machine its rerun may not have started when the page first looks settled. Each try waits for the map to
    be idle. Clicks that never select (the defect this guards against) still fail."""
    from playwright.sync_api import expect

    for n in range(1, tries + 1):
        page.mouse.move(x, y)
        page.evaluate(GL_IDLE)
        before = len(sent)
        page.mouse.click(x, y)
        for _ in range(30):  # up to 3 s for the click's message
            if len(sent) > before:
                expect(shown.first).to_be_visible(timeout=60_000)
                return n
            page.wait_for_timeout(100)
    return tries


def test_click_on_kabupaten_shows_its_summary_on_screen(server, browser, output_dir):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    block_outside(ctx)
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    try:
        sent = track_sent(page)
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
        head = page.locator("[data-testid='stHeading']").filter(has_text="Kabupaten Kapuas Hulu")
        click_until(page, sent, x, y, head)
        expect(head).to_be_visible(timeout=30_000)
        hb = head.bounding_box()
        assert hb["y"] + hb["height"] <= 900, "the summary is below the fold at 1440x900"
        expect(page.get_by_text("Desa tersertifikasi", exact=True).first).to_be_visible()
        expect(page.get_by_text("Kalimantan Barat", exact=True).first).to_be_in_viewport()
        page.screenshot(path=str(output_dir / "peta-kabupaten-1440x900.png"))
    finally:
        ctx.close()


EKANG = (104.387995, 1.101892)
MERAUKE = (140.40, -8.00)  # Kabupaten Merauke, at the map's south-east corner


CLIPPED = """(tip) => {
  const t = tip.getBoundingClientRect();
  for (let e = tip.parentElement; e && e !== document.body; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (/(hidden|clip|scroll|auto)/.test(s.overflow + s.overflowX + s.overflowY)) {
      const r = e.getBoundingClientRect();
      if (t.left < r.left - 1 || t.right > r.right + 1 || t.top < r.top - 1 || t.bottom > r.bottom + 1)
        return (e.getAttribute('data-testid') || e.id || e.className) + ' clips it';
    }
  }
  return null;
}"""


# Whether the tooltip's corners are the topmost element there (it ignores the pointer: let it be hit meanwhile).
ON_TOP = """(tip) => {
  tip.style.pointerEvents = 'auto';
  const r = tip.getBoundingClientRect();
  const corners = [[r.left + 3, r.top + 3], [r.right - 3, r.top + 3], [r.left + 3, r.bottom - 3], [r.right - 3, r.bottom - 3]];
  const ok = corners.every(([x, y]) => tip.contains(document.elementFromPoint(x, y)));
  tip.style.pointerEvents = 'none';
  return ok;
}"""


def test_tooltip_is_not_cut_at_the_map_edge(server, browser, output_dir):
    """A regency at the frame's corner: its tooltip reaches past the map and is shown whole, not clipped."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    block_outside(ctx)
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    try:
        page.goto(f"{server}/peta?snapshot=2018-08-01")
        settle(page)
        map_image(page)
        box = page.locator(CHART).bounding_box()
        view = maps.fit_view(maps.indonesia_bounds(), height=maps.national_height())
        page.mouse.move(*pixel_of(box, view, *MERAUKE))
        tip = page.locator(".deck-tooltip")
        expect(tip).to_contain_text("Kabupaten Merauke", timeout=20_000)
        tb = tip.bounding_box()
        assert tb["y"] + tb["height"] > box["y"] + box["height"], "the test's tooltip should reach past the frame"
        assert tip.evaluate(CLIPPED) is None
        assert tip.evaluate(ON_TOP), "the tooltip is painted under the page beside the map"
        page.screenshot(path=str(output_dir / "peta-tooltip-tepi-1440x900.png"))
    finally:
        ctx.close()


def test_clicked_village_summary_is_on_screen_at_1440x900(server, browser, output_dir, demo_dir):
    from desasadar import db
    from desasadar.scope import Scope

    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    block_outside(ctx)
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    try:
        sent = track_sent(page)
        page.goto(f"{server}/peta?snapshot=2018-08-01&cabang=tanjung-pinang")
        settle(page)
        map_image(page)
        kab = db.run("peta_kabupaten", Scope.of(branches=["tanjung-pinang"]), "2018-08-01", base=demo_dir)
        box = page.locator(CHART).bounding_box()
        x, y = pixel_of(box, maps.fit_view(maps.scope_bounds(kab["regency_code"])), *EKANG)
        page.mouse.click(box["x"] + box["width"] - 60, box["y"] + box["height"] - 60)  # the ignored first click
        settle(page)
        head = page.locator("[data-testid='stHeading']").filter(has_text="Desa Ekang Anculai")
        click_until(page, sent, x, y, head)
        expect(head).to_be_visible(timeout=30_000)
        # the whole summary, down to its links, without scrolling
        for el in (head, page.get_by_text("Peserta aktif").first, page.get_by_role("link", name="Profil desa")):
            b = el.bounding_box()
            assert b and b["y"] + b["height"] <= 900, f"below the fold at 1440x900: {el}"
        page.screenshot(path=str(output_dir / "peta-desa-1440x900.png"))
    finally:
        ctx.close()
