"""Benchmark (not a test) of the Peta page: deck JSON sizes and rerun time on a filter change.

    .venv/bin/python scripts/bench_peta.py [--repeat 10]

Runs the whole app (dashboard.py + pages/peta.py) in Streamlit's AppTest on the demo data in
data/ (or DSJS_DATA_DIR), warms every view once, then switches the shell's filters back and forth
and reports the median and max wall time of a rerun (server side only: AppTest has no browser;
its own bookkeeping is included, so this is an upper bound). Budget (issue 6): < 150 ms warm;
national deck JSON < 2 MB.

    .venv/bin/python scripts/bench_peta.py --browser [--repeat 3]

In headless chromium (software WebGL, as the browser tests): time from opening the page to a settled page
(for Peta: until the map is on screen, its first picture painted) for Ringkasan, Peringkat and Peta
(national, and a branch's) as a new visitor to a running server (each page warmed once first), timed by the page itself (tests/browser/page_timing.py; the time
settle() took from Python is printed beside it, and is late by its polling on a busy page); for Peta also until
WebGL has drawn the deck over the picture (the frame after its last draw call), when the map answers hover and
clicks; and the time from switching on village points on the national map until they are drawn. Budget (issue
20): Peta no slower than the other pages.

    .venv/bin/python scripts/bench_peta.py --clicks [--repeat 3]

Clicks on the national map as a person makes them (the pointer moved onto a kabupaten, 300 ms, pressed for
100 ms), eight kabupaten a visit: how many clicks reached the server (a message sent on the WebSocket), and the
time the browser took from the press to the release. deck.gl counts a press as a click only when it is released
within 250 ms of being handled, so a main thread busy drawing (software WebGL) loses clicks.

    .venv/bin/python scripts/bench_peta.py --first [--repeat 5]

Server time (AppTest script runs) of the first visit to Peta after a start, as `python -m desasadar.serve` starts
(the current snapshot warmed, modules preloaded, one Ringkasan visit before), then of warm reruns of Peta and of
Ringkasan for comparison. One first visit per process: run it a few times on a busy machine.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Filter changes, each one widget as a user makes it: (label, widget key, value)
STEPS = [
    ("nasional -> Kanwil Sumbarriau", "f_wilayah", "sumbarriau"),
    ("-> KC Tanjung Pinang", "f_cabang", "tanjung-pinang"),
    ("-> nasional", "f_wilayah", None),
]


# Peta twice: the national map (an executive's first view) and a branch's (a deputy's link: village points,
# regency outlines)
BROWSER_PAGES = [("Ringkasan", "/"), ("Peringkat", "/peringkat"), ("Peta", "/peta"),
                 ("Peta KC", "/peta?cabang=tanjung-pinang")]


def _map_drawn(page) -> None:
    """Until the deck canvas shows more than one colour (WebGL has drawn), polled; the map's first picture under the
    canvas is taken away first, or it would count as drawn."""
    import io

    from PIL import Image

    from tests.browser.conftest import hide_first_picture

    chart = page.locator("[data-testid='stDeckGlJsonChart']")
    chart.locator("canvas").first.wait_for(timeout=120_000)
    hide_first_picture(page)
    for _ in range(1200):
        img = Image.open(io.BytesIO(chart.screenshot())).convert("RGB").resize((64, 32))
        if len(img.getcolors(4096) or []) > 8:
            return
        page.wait_for_timeout(50)
    raise RuntimeError("the map never drew")


def browser_bench(repeat: int) -> int:
    from playwright.sync_api import sync_playwright

    from desasadar import paths
    from tests.browser import page_timing
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, block_outside, settle, start_server, stop_server

    proc, url = start_server(paths.data_dir())
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

            def visit(path: str, peta: bool, points: bool = False) -> tuple[float, float | None, float, float | None,
                                                                            float | None]:
                ctx = browser.new_context(viewport={"width": 1440, "height": 900})
                block_outside(ctx)
                page_timing.install(ctx)
                page = ctx.new_page()
                page.set_default_timeout(300_000)  # a loaded machine: measure, never give up early
                t0 = time.perf_counter()
                page.goto(url + path)
                settle(page)
                if peta:
                    _map_drawn(page)
                took = time.perf_counter() - t0 - 0.3  # settle() ends with a fixed 300 ms paint wait
                if peta:  # the frame after the last draw call: the map is on screen (see page_timing)
                    page.wait_for_function("window.__dsjsTiming.shown !== null")
                usable, drawn, shown = page_timing.read(page)
                pictured = page_timing.pictured(page) if peta else None
                # the map is on screen with its first picture (or, without one, once WebGL has drawn it)
                in_page = max(usable, pictured or shown) if peta else usable
                drawn = max(usable, shown) if peta else None
                toggled = None
                if points:
                    # timed in the page: from the click to the end of the frame after the last WebGL draw call that
                    # follows it, once nothing has been drawn for 1 s (the deck already on screen stays there, so a
                    # screenshot cannot tell the new drawing from the old)
                    page.evaluate("window.__dsjsClick = performance.now()")
                    page.get_by_text("Tampilkan titik desa", exact=False).first.click()
                    settle(page)
                    page.wait_for_function("(() => { const t = window.__dsjsTiming; return t.drawn > window.__dsjsClick"
                                           " && t.shown !== null && performance.now() - t.drawn > 1000; })()")
                    toggled = page.evaluate("(window.__dsjsTiming.shown - window.__dsjsClick) / 1000")
                ctx.close()
                return took, toggled, in_page, drawn, pictured

            for _, path in BROWSER_PAGES:  # warm the server's caches once per page
                visit(path, path.startswith("/peta"))
            print(f"new visitor to a running server, 1440x900, median of {repeat}; 'in page': timed by the page "
                  "itself (tests/browser/page_timing.py), 'polled': by settle() from Python:")
            for name, path in BROWSER_PAGES:
                runs = [visit(path, path.startswith("/peta")) for _ in range(repeat)]
                inside, polled = [r[2] for r in runs], [r[0] for r in runs]
                print(f"  {name:10s} settled{' and map on screen' if path.startswith('/peta') else ''}: in page median "
                      f"{statistics.median(inside):5.2f} s (max {max(inside):5.2f})   polled median "
                      f"{statistics.median(polled):5.2f} s (max {max(polled):5.2f})")
                if path.startswith("/peta"):
                    deck, first = [r[3] for r in runs], [r[4] for r in runs]
                    print(f"  {'':10s} its first picture painted: "
                          + (f"median {statistics.median(first):5.2f} s" if None not in first else "not every time"))
                    print(f"  {'':10s} WebGL's deck drawn over it (hover and clicks answered): in page median "
                          f"{statistics.median(deck):5.2f} s (max {max(deck):5.2f})")
            ts = [visit("/peta", True, points=True)[1] for _ in range(repeat)]
            print(f"  Peta: village points switched on (national) until drawn: median {statistics.median(ts):5.2f} s"
                  f"   max {max(ts):5.2f} s")
            browser.close()
    finally:
        stop_server(proc)
    return 0


# Points inside kabupaten across the country (lon, lat): Kapuas Hulu, Kampar, Semarang, Luwu, Mamberamo Raya,
# Kupang, Kotawaringin Timur, Deli Serdang.
CLICK_PLACES = [(112.786, 0.827), (101.45, 0.5), (110.4, -7.0), (120.2, -3.5), (138.5, -4.0), (122.0, -8.6),
                (113.0, -2.3), (98.7, 3.5)]
PRESS = """() => { window.__press = []; for (const t of ['pointerdown', 'pointerup']) {
  window.addEventListener(t, () => window.__press.push([t, performance.now()]), true); } }"""


def clicks_bench(repeat: int) -> int:
    from playwright.sync_api import sync_playwright

    from desasadar import maps, paths
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, block_outside, settle, start_server, stop_server
    from tests.browser.test_peta_frame_browser import pixel_of

    proc, url = start_server(paths.data_dir())
    reached, gaps = 0, []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for _ in range(repeat):
                ctx = browser.new_context(viewport={"width": 1440, "height": 900})
                block_outside(ctx)
                page = ctx.new_page()
                page.set_default_timeout(300_000)
                sent: list[float] = []
                page.on("websocket", lambda ws, sent=sent: ws.on("framesent", lambda _f: sent.append(time.perf_counter())))
                page.goto(url + "/peta")
                settle(page)
                _map_drawn(page)
                page.evaluate(PRESS)
                box = page.locator("[data-testid='stDeckGlJsonChart']").bounding_box()
                view = maps.fit_view(maps.indonesia_bounds(), height=maps.national_height())
                for lon, lat in CLICK_PLACES:
                    x, y = pixel_of(box, view, lon, lat)
                    page.mouse.move(x - 20, y - 10)
                    page.mouse.move(x, y, steps=5)
                    page.wait_for_timeout(300)
                    before = len(sent)
                    page.evaluate("window.__press = []")
                    page.mouse.down()
                    page.wait_for_timeout(100)
                    page.mouse.up()
                    page.wait_for_timeout(1500)
                    press = dict(page.evaluate("window.__press"))
                    gaps.append(press.get("pointerup", 0) - press.get("pointerdown", 0))
                    reached += len(sent) > before
                    settle(page)
                ctx.close()
            browser.close()
    finally:
        stop_server(proc)
    gaps.sort()
    print(f"national map, 1440x900, {len(gaps)} clicks ({repeat} visits x {len(CLICK_PLACES)} kabupaten):")
    print(f"  reached the server: {reached} of {len(gaps)}")
    print(f"  press to release in the browser (held 100 ms): median {statistics.median(gaps):.0f} ms, "
          f"max {gaps[-1]:.0f} ms, over 250 ms: {sum(g > 250 for g in gaps)}")
    return 0


def first_bench(repeat: int) -> int:
    from streamlit.testing.v1 import AppTest

    from desasadar import warm

    warm.warm()
    warm.preload_modules()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    at.run()  # a first visitor on Ringkasan

    def timed() -> float:
        t0 = time.perf_counter()
        at.run()
        assert not at.exception, at.exception
        return (time.perf_counter() - t0) * 1000

    at.switch_page("pages/peta.py")
    print(f"Peta, first visit after a start: {timed():6.0f} ms")
    ts = [timed() for _ in range(repeat)]
    print(f"Peta, warm rerun:                median {statistics.median(ts):6.0f} ms   max {max(ts):6.0f} ms")
    at.switch_page("pages/ringkasan.py").run()
    ts = [timed() for _ in range(repeat)]
    print(f"Ringkasan, warm rerun:           median {statistics.median(ts):6.0f} ms   max {max(ts):6.0f} ms")
    return 0


def main() -> int:
    from streamlit.testing.v1 import AppTest

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=None)
    ap.add_argument("--browser", action="store_true", help="time pages in headless chromium instead")
    ap.add_argument("--first", action="store_true", help="server time of the first Peta visit after a start")
    ap.add_argument("--clicks", action="store_true", help="clicks on the national map that reach the server")
    args = ap.parse_args()
    if args.clicks:
        return clicks_bench(args.repeat or 3)
    if args.first:
        return first_bench(args.repeat or 5)
    if args.browser:
        return browser_bench(args.repeat or 3)
    args.repeat = args.repeat or 10

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/peta.py").run()

    def step(key, value) -> float:
        at.selectbox(key=key).set_value(value)
        t0 = time.perf_counter()
        at.run()
        took = (time.perf_counter() - t0) * 1000
        assert not at.exception, at.exception
        return took

    def deck() -> tuple[float, int]:
        spec = at.get("deck_gl_json_chart")[0].proto.json
        layers = {lyr["id"]: lyr for lyr in json.loads(spec)["layers"]}
        return len(spec.encode()) / 1e6, len(layers["desa"]["data"]) if "desa" in layers else 0

    size, pts = deck()
    print(f"{'nasional':34s} deck JSON {size:6.3f} MB, {pts} points")
    for label, key, value in STEPS:
        cold = step(key, value)
        size, pts = deck()
        print(f"{label:34s} deck JSON {size:6.3f} MB, {pts} points; first (cold) rerun {cold:6.0f} ms")
    at.toggle(key="peta_points_national").set_value(True).run()
    size, pts = deck()
    print(f"{'nasional + titik desa':34s} deck JSON {size:6.3f} MB, {pts} points")
    at.toggle(key="peta_points_national").set_value(False).run()

    times: dict[str, list[float]] = {label: [] for label, _, _ in STEPS}
    for _ in range(args.repeat):
        for label, key, value in STEPS:
            times[label].append(step(key, value))
    print(f"\nwarm reruns after a filter change ({args.repeat} rounds):")
    for label, ts in times.items():
        print(f"  {label:32s} median {statistics.median(ts):6.1f} ms   max {max(ts):6.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
