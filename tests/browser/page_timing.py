"""When a page became usable, timed inside the page (for the benchmarks, scripts/bench_app.py and bench_peta.py).

Timing from Python with settle() (tests/browser/conftest.py) adds the polling of Playwright's expect(): it
checks again after 100, 250, 500 and then 1,000 ms, and each check is script run on the page's main thread,
so it waits while that thread parses a large chunk or draws. A page that keeps the main thread busy for
longer was measured up to 1.7 s late (Peta: its map drawn at 2.5 s, "settled" at 4.1 s). These timestamps are
taken by the page itself, in ms from the start of navigation (performance.now()):

- usable: the last moment the app became connected, with its script finished and no element left as a
  skeleton (what settle() waits for), seen by a MutationObserver on every change of the page;
- drawn: the last WebGL draw call (the map's canvas; None on a page without one);
- shown: the end of the frame that shows the last draw call's picture (a task queued from the next animation
  frame runs only after that frame's painting). With software compositing (as here) the browser copies the WebGL
  picture back for the page, waiting until the emulated GPU has compiled the layers' shaders and drawn; the main
  thread is blocked meanwhile, so the map is on screen only by then (Peta, 2026-12-03: 1.7 s after the last draw
  call with its boundaries drawn as paths, 0.9 s as straight segments).

- pictured: when Peta's first picture (desasadar/map_picture.py, the map drawn on the server, shown in the map's
  frame until WebGL has drawn over it) was painted: Element Timing's render time of the frame's background image.

install(context) before the page is opened; read(page) once settle() (and, for a map, the drawing) is done.
"""
from __future__ import annotations

INIT = """(() => {
  const t = window.__dsjsTiming = {usable: null, drawn: null, shown: null, pictured: null, ready: false};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.identifier === 'peta-gambar' && t.pictured === null) t.pictured = e.renderTime || e.loadTime;
    }
  }).observe({type: 'element', buffered: true});
  let frame = false;
  const shown = () => { t.shown = performance.now(); frame = false; };
  for (const C of [window.WebGL2RenderingContext, window.WebGLRenderingContext]) {
    if (!C) continue;
    for (const f of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced']) {
      const orig = C.prototype[f];
      if (orig) C.prototype[f] = function (...a) {
        t.drawn = performance.now();
        if (!frame) { frame = true; t.shown = null; requestAnimationFrame(() => setTimeout(shown)); }
        return orig.apply(this, a);
      };
    }
  }
  const check = () => {
    // Element Timing reports a background image only for an element marked before it is painted: mutation
    // observers run before the next paint
    const frame = document.querySelector('.st-key-peta-bingkai');
    if (frame && !frame.hasAttribute('elementtiming')) frame.setAttribute('elementtiming', 'peta-gambar');
    const app = document.querySelector("[data-testid='stApp']");
    const ready = !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
      && app.getAttribute('data-test-script-state') === 'notRunning'
      && !document.querySelector("[data-testid='stSkeleton']");
    if (ready && !t.ready) t.usable = performance.now();
    t.ready = ready;
  };
  const start = () => new MutationObserver(check).observe(document.documentElement,
    {subtree: true, childList: true, attributes: true, attributeFilter: ['data-test-script-state',
     'data-test-connection-state', 'data-testid']});
  if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
})();"""


def install(context) -> None:
    context.add_init_script(INIT)


def read(page) -> tuple[float | None, float | None, float | None]:
    """(usable, drawn, shown) in seconds from the start of navigation; None where it did not happen."""
    t = page.evaluate("window.__dsjsTiming")
    usable = t["usable"] / 1000 if t and t["ready"] and t["usable"] is not None else None
    return usable, _seconds(t, "drawn"), _seconds(t, "shown")


def pictured(page) -> float | None:
    """When Peta's first picture was painted, in seconds from the start of navigation (None: not painted)."""
    return _seconds(page.evaluate("window.__dsjsTiming"), "pictured")


def _seconds(t: dict | None, name: str) -> float | None:
    return t[name] / 1000 if t and t.get(name) is not None else None
