"""Real-browser fixtures: a fresh Streamlit server on the demo data, Debian chromium via playwright.

Outside hosts are blocked in every page (the dashboard must be whole offline); the server runs
on a free port, is polled on /_stcore/health and always terminated.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DSJS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu-sandbox", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # WebGL (deck.gl) through software rendering
    "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
    # ...but the page itself composited and rastered in software: through the emulated GPU every page
    # cost chromium 2-3x the CPU (6-10 s against 3-4 s a page load on an idle machine);
    # the map's WebGL canvas still draws and picks.
    "--disable-gpu-compositing", "--disable-gpu-rasterization",
]



def pytest_collection_modifyitems(config, items):
    """Everything under tests/browser/ carries the `browser` marker (-m "not browser" skips it)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, env_extra: dict | None = None, script: str = "dashboard.py",
                 args: list[str] | tuple = (), launcher: str | list[str] = "streamlit"):
    """Start `streamlit run` on a free port; returns (process, base_url) once healthy.
    `args`: more `streamlit run` options (e.g. --secrets.files for a test's own secrets.toml).
    `launcher="serve"`: as scripts/start.sh starts it (python -m desasadar.serve, which runs dashboard.py);
    a list: python's arguments before the options (a script wrapping desasadar.serve, e.g.)."""
    port = free_port()
    env = dict(os.environ, DSJS_DATA_DIR=str(data_dir), **(env_extra or {}))
    if isinstance(launcher, list):
        command = launcher
    else:
        command = ["-m", "desasadar.serve"] if launcher == "serve" else ["-m", "streamlit", "run", script]
    proc = subprocess.Popen(
        [sys.executable, *command, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited:\n" + proc.stdout.read().decode(errors="replace"))
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy in 60 s")


def stop_server(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(params=["streamlit", "serve"], ids=["streamlit-run", "desasadar-serve"])
def fresh_server(demo_dir, request):
    """A server started for this test alone (for 'first request to a fresh server' tests), both ways it is
    started: plain `streamlit run dashboard.py`, and scripts/start.sh's `python -m desasadar.serve`."""
    proc, url = start_server(demo_dir, launcher=request.param)
    yield url
    stop_server(proc)



@pytest.fixture(scope="session")
def server(demo_dir):
    """One server on the demo data shared by the browser tests of a run."""
    proc, url = start_server(demo_dir)
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium (the test command does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def block_outside(context) -> list[str]:
    """Abort every request to a host other than this machine; returns the list of blocked URLs."""
    blocked: list[str] = []

    def route(r):
        host = urlparse(r.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost", "::1") or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return blocked


@pytest.fixture
def page(browser):
    """A page at 1600x1000 with outside hosts blocked; `page.blocked` lists what was stopped."""
    ctx = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="id-ID")
    blocked = block_outside(ctx)
    pg = ctx.new_page()
    pg.blocked = blocked
    yield pg
    ctx.close()


def settle(page, timeout: float = 60_000) -> None:
    """Wait until the app is connected, the script has finished and no skeleton is left."""
    from playwright.sync_api import expect

    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    expect(page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']")).to_have_count(1, timeout=timeout)
    expect(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")).to_have_count(1, timeout=timeout)
    expect(page.locator("[data-testid='stSkeleton']")).to_have_count(0, timeout=timeout)
    page.wait_for_timeout(300)  # let charts finish their first paint
    expect(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")).to_have_count(1, timeout=timeout)


def hide_first_picture(page) -> None:
    """Take away Peta's first picture (desasadar/map_picture.py, under the map's canvas until WebGL draws over it),
    so what a screenshot of the map shows is what WebGL drew."""
    page.add_style_tag(content=".st-key-peta-bingkai {background: none !important}")


def screenshot(page, name: str) -> Path:
    out = ROOT / "test-output"
    out.mkdir(exist_ok=True)
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


__all__ = ["settle", "screenshot", "hide_first_picture", "start_server", "stop_server", "block_outside", "free_port"]
