"""A served dashboard compiles its scripts once (desasadar.serve._keep_compiled_scripts): Streamlit empties its
script cache whenever no session is connected, and without that fix every visitor alone on the server (and the
first after the server's own visit of its pages) compiled dashboard.py and their page again, Streamlit's "magic"
pass included (8-24 ms a page on this machine).

Checked on a real server started as scripts/start.sh starts it, its visitors over Streamlit's WebSocket; the only
addition is a note of each compiled script (tests/serve_noting_compiles.py)."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

from streamlit import config
from streamlit.runtime.scriptrunner.script_cache import ScriptCache

from desasadar import serve, warm

from .browser.conftest import ROOT, start_server, stop_server


def compiled(log: Path) -> list[str]:
    return [Path(p).name for p in log.read_text().splitlines()] if log.exists() else []


def test_visitors_alone_on_the_server_run_the_scripts_compiled_at_its_own_visit(demo_dir, tmp_path):
    data = tmp_path / "data"  # the demo's files linked, not copied
    subprocess.run(["cp", "-al", str(demo_dir), str(data)], check=True)
    log = tmp_path / "compiled.txt"
    proc, url = start_server(data, launcher=[str(ROOT / "tests" / "serve_noting_compiles.py"), str(log)])
    try:
        deadline = time.monotonic() + 180
        while "peringkat.py" not in compiled(log):  # the server's own visit of its pages (after the warm-up)
            assert time.monotonic() < deadline, f"the server did not visit its pages: {compiled(log)}"
            time.sleep(0.5)
        time.sleep(3)  # its last pages, then it disconnects: no session is left
        before = compiled(log)
        assert {"dashboard.py", "ringkasan.py", "peringkat.py"} <= set(before)
        for pages in ([""], ["", "peringkat"], ["peringkat"]):  # one visitor after another, each alone
            assert all(ok for ok, _ in warm.open_pages(url, pages))
            time.sleep(0.5)
        assert compiled(log) == before, "a visitor alone on the server compiled the scripts again"
    finally:
        stop_server(proc)


def test_with_a_file_watcher_the_cache_is_emptied_as_streamlit_does(monkeypatch):
    """While editing (`--server.fileWatcherType auto`) a changed file must be read again: only the served
    configuration, without a watcher, keeps the compiled scripts."""
    monkeypatch.setattr(ScriptCache, "clear", ScriptCache.clear)  # restored after the test
    serve._keep_compiled_scripts()
    cache = ScriptCache()
    script = str(ROOT / "dashboard.py")
    code = cache.get_bytecode(script)
    monkeypatch.setattr(config, "get_option", lambda key: "none" if key == "server.fileWatcherType" else None)
    cache.clear()
    assert cache.get_bytecode(script) is code  # kept
    monkeypatch.setattr(config, "get_option", lambda key: "auto" if key == "server.fileWatcherType" else None)
    cache.clear()
    monkeypatch.setattr(config, "get_option", lambda key: False if key == "runner.magicEnabled" else None)
    assert cache.get_bytecode(script) is not code  # emptied: compiled again
