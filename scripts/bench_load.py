"""Benchmark (not a test): many sessions at once against one server.

    .venv/bin/python scripts/bench_load.py                 # 30 sessions, demo data in data/
    .venv/bin/python scripts/bench_load.py --sessions 30 --browsers 5
    .venv/bin/python scripts/bench_load.py --browsers 0 --replicas 2   # behind nginx (deploy/replicas.py)

Starts one server (`python -m desasadar.serve`, as scripts/start.sh does) on the data in
DSJS_DATA_DIR (default data/), or with --replicas N that many behind nginx as deploy/replicas.py runs them
(each new WebSocket without a route cookie goes to a replica nginx picks; server CPU and memory are the sum
over the replicas), then:

1. Protocol sessions: a light client speaking Streamlit's own WebSocket protocol (BackMsg /
   ForwardMsg protobufs on /_stcore/stream, as the browser does) opens `/`, changes the branch
   (a rerun with `?cabang=...`, as a shared link or the filter's URL does), then opens
   /peringkat. Time to settled = from sending the rerun to the server's `script_finished`.
   First one session alone (the baseline), then N at once. Memory per session = growth of the
   server's resident memory with N sessions connected, divided by N.
2. Browser sessions: the same path in headless chromium, B pages at once (fewer: each chromium
   page costs more CPU than the server), time until the page is settled (tests/browser settle()).

3. Streamlit's own floor, in the same run: a bare "hello" page (one st.write, `streamlit run`, no watcher) opened
   by one protocol session alone, then by N at once: the p95 ratio and the server CPU a session that Streamlit
   itself costs, with no query and no chart (--no-reference: skip).

Budgets (issue #17): p95 settle with 30 sessions <= 3x a single session; <= 10 MB per session.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from desasadar import paths  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, stop_server  # noqa: E402

BRANCH = "tanjung-pinang"
STEPS = (("open /", "", ""), ("change branch", f"cabang={BRANCH}", ""), ("open /peringkat", f"cabang={BRANCH}", "peringkat"))
HELLO_STEPS = (("open / (hello)", "", ""),)


def start(data_dir: Path, app: list[str] | None = None) -> tuple[subprocess.Popen, str]:
    """The dashboard as scripts/start.sh serves it, or `app`: python's arguments for another Streamlit app."""
    port = free_port()
    env = dict(os.environ, DSJS_DATA_DIR=str(data_dir))
    proc = subprocess.Popen(
        [sys.executable, *(app or ["-m", "desasadar.serve"]), "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


class Servers:
    """What the sessions talk to: one server, or replicas behind nginx (deploy/replicas.py's Cluster)."""

    def __init__(self, data_dir: Path, replicas: int = 1):
        self.cluster = None
        if replicas == 1:
            self.proc, self.url = start(data_dir)
            self.pids = [self.proc.pid]
            return
        import tempfile

        sys.path.insert(0, str(ROOT / "deploy"))
        from replicas import NGINX, Cluster

        if not Path(NGINX).exists():
            raise SystemExit("--replicas needs nginx: apt-get install nginx")
        ports = set()
        while len(ports) < replicas + 1:
            ports.add(free_port())
        listen, *own = sorted(ports)
        self.cluster = Cluster(Path(tempfile.mkdtemp(prefix="bench-load-")), data_dir, replicas=replicas,
                               listen_port=listen, replica_ports=own).start()
        self.url = self.cluster.url
        self.pids = [p.pid for p in self.cluster.procs]

    def cpu_s(self) -> float:
        return sum(cpu_s(pid) for pid in self.pids)

    def rss_mb(self) -> float:
        return sum(rss_mb(pid) for pid in self.pids)

    def stop(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()
        else:
            stop_server(self.proc)


def cpu_s(pid: int) -> float:
    """User + system CPU seconds the server process has used (load on the machine does not inflate it)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Session:
    """One protocol session: the messages a browser tab would send, and the time to each finish."""

    def __init__(self, url: str):
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.pages: dict[str, str] = {}

    async def __aenter__(self):
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None, ping_interval=None,
                                           origin=self.ws_url.replace("ws://", "http://").split("/_stcore")[0])
        return self

    async def __aexit__(self, *exc):
        pass  # kept open (memory is measured with every session connected); closed by close()

    async def close(self):
        await self.ws.close()

    async def rerun(self, query: str, page: str) -> float:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = query
        cs.page_name = page
        if page and page in self.pages:
            cs.page_script_hash = self.pages[page]
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self.ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                for p in fwd.navigation.app_pages:
                    self.pages[p.url_pathname] = p.page_script_hash
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                if fwd.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise RuntimeError(f"script finished with status {fwd.script_finished}")
                return time.perf_counter() - t0


async def one_path(url: str, sessions: list, delay: float = 0.0, steps=STEPS) -> list[float]:
    await asyncio.sleep(delay)
    s = Session(url)
    await s.__aenter__()
    sessions.append(s)
    return [await s.rerun(q, p) for _, q, p in steps]


async def protocol_round(url: str, n: int, spread: float = 0.0, steps=STEPS) -> tuple[list[list[float]], list]:
    """n sessions, all at once (spread 0) or arriving evenly over `spread` seconds."""
    sessions: list = []
    times = await asyncio.gather(*(one_path(url, sessions, spread * k / n, steps) for k in range(n)))
    return list(times), sessions


async def _round_closed(url: str, n: int, spread: float, steps=STEPS) -> list[list[float]]:
    runs, sessions = await protocol_round(url, n, spread, steps)
    for s in sessions:
        await s.close()
    return runs


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


async def browser_round(url: str, n: int) -> list[list[float]]:
    from playwright.async_api import async_playwright, expect

    async def settle(page):
        await page.wait_for_selector("[data-testid='stApp']", timeout=120_000)
        await expect(page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']")).to_have_count(1, timeout=120_000)
        await expect(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")).to_have_count(1, timeout=120_000)
        await expect(page.locator("[data-testid='stSkeleton']")).to_have_count(0, timeout=120_000)

    async def path(browser) -> list[float]:
        ctx = await browser.new_context(viewport={"width": 1600, "height": 1000})
        page = await ctx.new_page()
        page.set_default_navigation_timeout(300_000)  # a loaded machine: measure, do not give up
        out = []
        for _, query, pg in STEPS:
            t0 = time.perf_counter()
            await page.goto(f"{url}/{pg}" + (f"?{query}" if query else ""))
            await settle(page)
            out.append(time.perf_counter() - t0)
        await ctx.close()
        return out

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            return list(await asyncio.gather(*(path(browser) for _ in range(n))))
        finally:
            await browser.close()


def report(label: str, runs: list[list[float]], steps=STEPS) -> float:
    print(f"  {label}:")
    allt = []
    for k, (step, _, _) in enumerate(steps):
        xs = [r[k] * 1000 for r in runs]
        allt += xs
        print(f"    {step:18} median {statistics.median(xs):7.0f} ms   p95 {p95(xs):7.0f} ms")
    print(f"    {'every step':18} median {statistics.median(allt):7.0f} ms   p95 {p95(allt):7.0f} ms")
    return p95(allt)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--browsers", type=int, default=5, help="concurrent chromium pages (0: skip)")
    ap.add_argument("--think", type=float, default=20.0, help="seconds between a viewer's actions (capacity line)")
    ap.add_argument("--spread", type=float, default=10.0,
                    help="also run the N sessions arriving evenly over this many seconds (0: skip)")
    ap.add_argument("--no-reference", action="store_true", help="skip the bare Streamlit page's figures")
    ap.add_argument("--replicas", type=int, default=1, help="replicas behind nginx (default 1: one server, no nginx)")
    args = ap.parse_args()
    with open("/proc/loadavg") as f:
        print(f"load average at start: {f.read().split()[:3]}")
    servers = Servers(paths.data_dir(), args.replicas)
    url = servers.url
    try:
        time.sleep(3)  # let the warm-up thread finish, as a server that has been up a moment
        for _ in range(2 * args.replicas):  # the first visitors (imports, chart specs), on every replica
            asyncio.run(protocol_round(url, 1))
        where = f"{args.replicas} replicas behind nginx" if args.replicas > 1 else "server"
        print(f"{where} {url}, data {paths.data_dir()}")
        print("protocol sessions (server time to script_finished):")
        singles = []
        for _ in range(3):
            runs, sess = asyncio.run(protocol_round(url, 1))
            singles += runs
        one = report("one session alone (3 runs)", singles)
        before = servers.rss_mb()
        cpu_before = servers.cpu_s()

        async def crowd():
            runs, sess = await protocol_round(url, args.sessions)
            after = servers.rss_mb()
            for s in sess:
                await s.close()
            return runs, after

        runs, after = asyncio.run(crowd())
        cpu_ms = (servers.cpu_s() - cpu_before) * 1000
        many = report(f"{args.sessions} sessions at once", runs)
        print(f"    p95 ratio {many / one:.2f}x a single session   (budget <= 3x)")
        print(f"    server memory {before:.0f} MB -> {after:.0f} MB with {args.sessions} sessions: "
              f"{(after - before) / args.sessions:.1f} MB per session   (budget <= 10 MB)")
        steps = args.sessions * len(STEPS)
        print(f"    server CPU {cpu_ms:.0f} ms for {steps} steps: {cpu_ms / steps:.0f} ms per step, "
              f"{cpu_ms / args.sessions:.0f} ms per session's path (open /, change branch, open /peringkat)")
        # Capacity (deploy/README.md): a replica is one Python process, about one core for the
        # script (the GIL), kept at most half busy so a burst queues briefly, not for seconds.
        per_step = cpu_ms / steps
        print(f"    capacity: a viewer acting every {args.think:.0f} s costs {per_step / args.think:.1f} ms CPU per second; "
              f"one replica kept half busy serves about {500 / (per_step / args.think):.0f} such viewers")
        if args.spread:
            spread_runs = asyncio.run(_round_closed(url, args.sessions, args.spread))
            spread = report(f"{args.sessions} sessions arriving over {args.spread:.0f} s", spread_runs)
            print(f"    p95 ratio {spread / one:.2f}x a single session")
        if args.browsers:
            print(f"headless chromium (time until the page is settled), {args.browsers} page(s) at once:")
            report("one page alone", asyncio.run(browser_round(url, 1)))
            report(f"{args.browsers} pages at once", asyncio.run(browser_round(url, args.browsers)))
    finally:
        servers.stop()
    if not args.no_reference:
        streamlit_floor(args.sessions)
    with open("/proc/loadavg") as f:
        print(f"load average at end: {f.read().split()[:3]}")
    return 0


def streamlit_floor(n: int) -> None:
    """The same crowd on a bare Streamlit page: what Streamlit itself costs a session, with nothing to compute."""
    import tempfile

    hello = Path(tempfile.mkdtemp()) / "hello.py"
    hello.write_text("import streamlit as st\nst.write('hello')\n")
    proc, url = start(paths.data_dir(), ["-m", "streamlit", "run", str(hello), "--server.fileWatcherType", "none"])
    try:
        time.sleep(2)
        asyncio.run(_round_closed(url, 1, 0.0, HELLO_STEPS))  # the first visitor
        print("Streamlit's floor: a bare hello page (one st.write), the same protocol sessions:")
        singles = []
        for _ in range(3):
            singles += asyncio.run(_round_closed(url, 1, 0.0, HELLO_STEPS))
        one = report("one session alone (3 runs)", singles, HELLO_STEPS)
        cpu_before = cpu_s(proc.pid)
        runs = asyncio.run(_round_closed(url, n, 0.0, HELLO_STEPS))
        cpu_ms = (cpu_s(proc.pid) - cpu_before) * 1000
        many = report(f"{n} sessions at once", runs, HELLO_STEPS)
        print(f"    p95 ratio {many / one:.2f}x a single session; server CPU {cpu_ms / n:.1f} ms per session")
    finally:
        stop_server(proc)


if __name__ == "__main__":
    sys.exit(main())
