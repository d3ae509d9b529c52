"""Two replicas behind a real nginx (Debian), one shared data folder, real chromium.

What an agency's IT will rely on: browsers are spread over the replicas and stay on theirs
(sticky route cookie, WebSocket through nginx); a replica killed with SIGKILL moves its open page
to the other with the same view; a publish from one replica is served by both within 10 s; two
publishes started at once on two replicas never lose a row. deploy/replicas.py starts it all,
as an administrator would for a try-out. Skip with -m "not replicas".
"""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect

from desasadar import snapshots

from ..ingest_world import FIX, publish_base
from .conftest import ROOT, block_outside, free_port, screenshot, settle

sys.path.insert(0, str(ROOT / "deploy"))
import replicas as R  # noqa: E402  (deploy/ is a folder of scripts, not a package)

pytestmark = pytest.mark.replicas
VIEW = "/peringkat?wilayah=sumbarriau&cabang=tanjung-pinang"


@pytest.fixture(scope="module")
def nginx_bin():
    if not Path(R.NGINX).exists():
        pytest.fail("nginx not found: apt-get install -y nginx (the test command does this)")
    return R.NGINX


@pytest.fixture(scope="module")
def cluster(nginx_bin, tmp_path_factory):
    data = tmp_path_factory.mktemp("shared-data")
    publish_base(data)
    c = R.Cluster(tmp_path_factory.mktemp("run"), data, replicas=2, listen_port=free_port(),
                  replica_ports=[free_port(), free_port()])
    c.start()
    yield c
    c.stop()


def get(url: str, route: str | None = None) -> tuple[str, str | None]:
    """(the replica that answered, the route cookie nginx set) for a plain GET."""
    req = urllib.request.Request(url, headers={"Cookie": f"dsjs_route={route}"} if route else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        cookie = r.headers.get("Set-Cookie") or ""
        m = re.match(r"dsjs_route=([^;]+)", cookie)
        return r.headers["X-DSJS-Replica"], m.group(1) if m else None


def route_to(cluster, replica: int) -> str:
    """A route cookie value that nginx sends to the given replica."""
    want = f"127.0.0.1:{cluster.ports[replica]}"
    for _ in range(64):
        served, route = get(cluster.url + "/")
        if served == want:
            return route
    raise AssertionError(f"no route to {want} in 64 tries")


def open_view(browser, cluster, route: str, path: str = VIEW, base: str | None = None):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    block_outside(ctx)
    ctx.add_cookies([{"name": "dsjs_route", "value": route, "url": cluster.url}])
    page = ctx.new_page()
    page.goto((base or cluster.url) + path)
    settle(page)
    return ctx, page


def upstreams_of(cluster, route: str, path_prefix: str = "/_stcore/stream") -> set[str]:
    out = set()
    for line in cluster.access_log.read_text().splitlines():
        if f"route={route} " in line and f'"GET {path_prefix}' in line:
            out.add(line.split("upstream=")[1].split()[0])
    return out


@pytest.mark.slow
def test_browsers_spread_and_stick(cluster, browser):
    seen: dict[str, str] = {}
    for _ in range(40):  # 40 new browsers: each replica is chosen with p = 1/2
        served, route = get(cluster.url + "/")
        assert route, "nginx set no route cookie"
        seen.setdefault(served, route)
        # the same browser comes back to the same replica, every time
        assert all(get(cluster.url + p, route)[0] == served for p in ("/", "/_stcore/health", "/peringkat"))
    assert set(seen) == {f"127.0.0.1:{p}" for p in cluster.ports}
    # A real page on each replica: the WebSocket goes through nginx to the replica of its cookie.
    for replica, route in enumerate(route_to(cluster, i) for i in range(2)):
        ctx, page = open_view(browser, cluster, route)
        expect(page.get_by_text("Tanjung Pinang").first).to_be_visible()
        ctx.close()  # nginx logs a WebSocket when it closes
        deadline = time.monotonic() + 10
        while not upstreams_of(cluster, route) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert upstreams_of(cluster, route) == {f"127.0.0.1:{cluster.ports[replica]}"}


def test_metrics_not_exposed_and_uploads_allowed(cluster):
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(cluster.url + "/_stcore/metrics", timeout=5)
    assert e.value.code == 404
    conf = (cluster.run_dir / "dsjs.conf").read_text()
    assert f"client_max_body_size {R.upload_limit_mb() + 1}m;" in conf


def test_failover_keeps_the_view(cluster, browser):
    route = route_to(cluster, 0)
    ctx, page = open_view(browser, cluster, route)
    before = page.url
    expect(page.get_by_text("Tanjung Pinang").first).to_be_visible()
    t0 = time.monotonic()
    cluster.kill_replica(0)
    try:
        # The browser reconnects through nginx, which now sends it to replica 1.
        page.wait_for_selector("[data-testid='stApp']:not([data-test-connection-state='CONNECTED'])",
                               timeout=30_000)
        settle(page)
        failover = time.monotonic() - t0
        # The page's requests since the kill (host-config, health) went to replica 1.
        assert get(cluster.url + "/", route)[0] == f"127.0.0.1:{cluster.ports[1]}"
        assert page.url == before
        expect(page.get_by_text("Tanjung Pinang").first).to_be_visible()
        screenshot(page, "replicas-after-failover")
        print(f"\nfailover: the open page was served again by the other replica after {failover:.1f} s")
    finally:
        ctx.close()
        cluster.start_replica(0)
        R.wait_healthy(cluster.replica_url(0))


def enrollment_file(tmp: Path, new_ids: list[str]) -> list[Path]:
    """The branch's two reports, with extra new participants in the enrollment file."""
    status = tmp / "status_desa_tanjung-pinang.csv"
    shutil.copy(FIX / "status_desa_tanjung-pinang.csv", status)
    rows = list(csv.reader((FIX / "kepesertaan_tanjung-pinang.csv").open(encoding="utf-8")))
    for pid in new_ids:
        rows.append(["tanjung-pinang", "21.01.10.2002", pid, "BPU", "petani", "ya", "ya", "tidak", "tidak",
                     "01/07/2018", "08/2018", "aktif"])
    enr = tmp / "kepesertaan_tanjung-pinang.csv"
    with enr.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return [status, enr]


def ingest(cluster, files: list[Path], as_of: str) -> subprocess.Popen:
    """The CLI a data officer runs on one replica's machine, against the shared data folder."""
    import os

    env = dict(os.environ, DSJS_DATA_DIR=str(cluster.data_dir))
    return subprocess.Popen([sys.executable, "-m", "desasadar", "ingest", *map(str, files), "--as-of", as_of,
                             "--quiet"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def participants(cluster) -> set[str]:
    snap = next(s for s in snapshots.published(cluster.data_dir) if s.id == snapshots.current_id(cluster.data_dir))
    return {r[0] for r in duckdb.connect().execute("select participant_id from read_parquet($p)",
                                                   {"p": str(snap.path / "enrollments.parquet")}).fetchall()}


def stamp_shows(page, date_text: str) -> bool:
    return page.get_by_text(date_text).count() > 0


@pytest.mark.slow
def test_publish_on_one_replica_is_served_by_both_within_10_s(cluster, browser, tmp_path):
    # A session already open keeps the snapshot it is looking at.
    open_ctx, open_page = open_view(browser, cluster, route_to(cluster, 1), path="/")
    assert stamp_shows(open_page, "31 Juli 2018")
    proc = ingest(cluster, enrollment_file(tmp_path, ["R1"]), "2018-08-01")
    out, _ = proc.communicate(timeout=180)
    assert proc.returncode == 0, out
    t0 = time.monotonic()
    seen_at: dict[int, float] = {}
    while len(seen_at) < 2:
        # Both replicas asked at once; what counts is when the page was asked for, not how long a
        # busy machine took to draw it.
        asked = time.monotonic() - t0
        views = []
        for i in (i for i in range(2) if i not in seen_at):
            ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
            block_outside(ctx)
            page = ctx.new_page()
            page.goto(cluster.replica_url(i) + "/")
            views.append((i, ctx, page))
        for i, ctx, page in views:
            settle(page)
            if stamp_shows(page, "1 Agustus 2018"):
                seen_at[i] = asked
            ctx.close()
        missing = sorted(set(range(2)) - set(seen_at))
        assert not missing or asked < 10, f"replica(s) {missing} still served the old snapshot {asked:.0f} s after"
        time.sleep(0.5)
    assert stamp_shows(open_page, "31 Juli 2018"), "an open session must keep its snapshot until it reloads"
    open_page.reload()
    settle(open_page)
    assert stamp_shows(open_page, "1 Agustus 2018")
    open_ctx.close()
    print(f"\nnew CURRENT served to pages asked for {seen_at[0]:.1f} s (replica 0) and {seen_at[1]:.1f} s "
          "(replica 1) after the publish finished")


def test_two_publishes_on_two_replicas_at_once_lose_no_row(cluster, tmp_path):
    before = participants(cluster)
    a_dir, b_dir = tmp_path / "a", tmp_path / "b"
    a_dir.mkdir()
    b_dir.mkdir()
    procs = {
        "2018-08-02": (ingest(cluster, enrollment_file(a_dir, ["A1", "A2"]), "2018-08-02"), {"A1", "A2"}),
        "2018-08-03": (ingest(cluster, enrollment_file(b_dir, ["B1"]), "2018-08-03"), {"B1"}),
    }
    results = {day: (p.communicate(timeout=300)[0], p.returncode, ids) for day, (p, ids) in procs.items()}
    after = participants(cluster)
    assert before <= after, "a publish dropped participants that were already served"
    published = [day for day, (_, rc, _) in results.items() if rc == 0]
    assert published, results
    assert snapshots.current_id(cluster.data_dir) == max(published)
    for day, (out, rc, ids) in results.items():
        if rc == 0:
            assert ids <= after, f"{day} reported success but its participants are not served:\n{out}"
        else:  # refused: said so, in words, and nothing half-done is served
            assert out.strip() and "Traceback" not in out, out
