"""The server started as scripts/start.sh starts it (python -m desasadar.serve) visits its own data pages after the
warm-up, so its first real visitor builds no chart and no map; the own visit is nobody's view in the audit log.
Checked from outside, on a real server: Streamlit's cache counters (/_stcore/metrics), its WebSocket protocol for
the visitor, and the audit file."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import urllib.request

from desasadar import snapshots, warm

from .browser.conftest import start_server, stop_server

CACHES = ("desasadar.ui.chart._spec", "__main__.build_deck")  # the charts' Vega-Lite specs, Peta's deck


def lookups(url: str) -> dict[tuple[str, str], int]:
    with urllib.request.urlopen(url + "/_stcore/metrics", timeout=10) as r:
        text = r.read().decode()
    out: dict[tuple[str, str], int] = {}
    for cache, result, n in re.findall(r'cache_lookups_total\{cache="([^"]+)",cache_type="[^"]+",result="(\w+)"\} (\d+)',
                                       text):
        out[(cache, result)] = int(n)
    return out


def views(audit_file) -> int:
    if not audit_file.exists():
        return 0
    return sum(1 for line in audit_file.read_text().splitlines() if line and json.loads(line).get("action") == "view")


def visit(url: str, headers: dict | None = None) -> None:
    """A new visitor opening / over Streamlit's WebSocket, as a browser does, until the script has finished."""
    [(ok, _)] = warm.open_pages(url, [""], headers)
    assert ok


def test_a_browser_asking_for_a_page_holds_the_warm_up_back(demo_dir, tmp_path):
    """A visitor's browser asks for the page about a second before its script runs: the warm-up steps aside
    from that request on. Pages asked for every 0.5 s from the start keep the own visit back (without them it
    builds its first chart about 2 s after the server answers); once they stop, it comes, though assets and health
    checks are still asked for."""
    data = tmp_path / "data"
    subprocess.run(["cp", "-al", str(demo_dir), str(data)], check=True)
    proc, url = start_server(data, launcher="serve")
    try:
        until = time.monotonic() + 6
        while time.monotonic() < until:
            with urllib.request.urlopen(url + "/peringkat?wilayah=sumbarriau", timeout=10) as r:
                assert r.status == 200
            time.sleep(0.5)
        assert not lookups(url).get((CACHES[0], "miss"), 0), "the own visit built charts while pages were asked for"
        deadline = time.monotonic() + 20  # under the warm-up's 30 s per step: assets and health checks are no visitors
        while not lookups(url).get((CACHES[0], "miss"), 0):
            assert time.monotonic() < deadline, "the own visit waited for asset or health requests"
            urllib.request.urlopen(url + "/favicon.png", timeout=10).read()
            urllib.request.urlopen(url + "/_stcore/health", timeout=10).read()
            time.sleep(0.5)
    finally:
        stop_server(proc)


def test_the_first_visitor_after_a_start_builds_no_chart_and_the_own_visit_is_not_a_view(demo_dir, tmp_path):
    data = tmp_path / "data"  # the demo's files linked, not copied; an audit log of this server's own
    subprocess.run(["cp", "-al", str(demo_dir), str(data)], check=True)
    shutil.rmtree(data / "audit", ignore_errors=True)
    audit_file = data / "audit" / "audit.jsonl"
    before = views(audit_file)
    assert before == 0
    proc, url = start_server(data, launcher="serve")
    try:
        deadline = time.monotonic() + 180
        while not all(lookups(url).get((c, "miss"), 0) for c in CACHES):  # the own visit built them
            assert time.monotonic() < deadline, f"the server did not visit its pages: {lookups(url)}"
            time.sleep(0.5)
        time.sleep(2)  # the own visit's last pages
        built = lookups(url)
        assert views(audit_file) == before, "the server's own visit was recorded as a view"

        visit(url)  # the first real visitor
        after = lookups(url)
        assert after.get((CACHES[0], "miss"), 0) == built[(CACHES[0], "miss")], "the first visitor built a chart"
        assert after.get((CACHES[0], "hit"), 0) > built.get((CACHES[0], "hit"), 0)
        assert views(audit_file) == before + 1, "a real visit is recorded"

        # the token is this server's own: a visitor sending the header with another value is recorded
        visit(url, {warm.OWN_VISIT_HEADER: "guess"})
        assert views(audit_file) == before + 2

        # after a change of CURRENT (here a rollback; a publish moves it the same way) the server visits again
        snapshots.set_current("2018-08-01", data)
        moved = time.monotonic()
        while lookups(url).get((CACHES[1], "miss"), 0) <= built[(CACHES[1], "miss")]:  # the new snapshot's map
            assert time.monotonic() < moved + 90, f"no visit after CURRENT moved: {lookups(url)}"
            time.sleep(0.5)
        time.sleep(2)
        rebuilt = lookups(url)
        visit(url)
        assert lookups(url).get((CACHES[0], "miss"), 0) == rebuilt[(CACHES[0], "miss")], \
            "the first visitor after the change built a chart"
        assert views(audit_file) == before + 3
    finally:
        stop_server(proc)


def test_the_warm_up_steps_aside_while_a_visitor_is_served(monkeypatch):
    monkeypatch.setattr(warm, "QUIET_SECONDS", 0.5)
    monkeypatch.setattr(warm, "_last_visitor", 0.0)
    t0 = time.monotonic()
    warm._yield_to_visitors()
    assert time.monotonic() - t0 < 0.1  # nobody here: no wait
    warm.visitor_arrived({warm.OWN_VISIT_HEADER: warm._own_visit_token})  # the server's own visit is nobody
    warm._yield_to_visitors()
    assert time.monotonic() - t0 < 0.1
    warm.visitor_arrived({})  # a visitor's script run
    t1 = time.monotonic()
    warm._yield_to_visitors()
    assert 0.4 < time.monotonic() - t1 < 0.8
    warm.visitor_arrived({})
    t2 = time.monotonic()
    warm._yield_to_visitors(longest=0.2)  # a busy server: the warm-up still goes on
    assert time.monotonic() - t2 < 0.35
