"""No visitor pays for opening a snapshot: the server opens and warms the current one when it
starts and whenever CURRENT changes (a publish or rollback here, or by another replica sharing
the data folder), in a background thread.

It answers the national first view of every page, then each region's (`DSJS_WARM=national`: the national
one only; the tests use that, as each test's own data folder would otherwise be warmed region by region).

`python -m desasadar.serve` (scripts/start.sh) warms before the first visitor arrives;
dashboard.py calls `ensure_watcher()` so a server started with plain `streamlit run` follows
CURRENT as well. The watcher only stats CURRENT, every POLL_SECONDS.
"""
from __future__ import annotations

import atexit
import hmac
import logging
import os
import secrets
import threading
import time
import urllib.request
from pathlib import Path

from . import db, domain, paths, ranking
from .scope import Scope

POLL_SECONDS = 2.0
log = logging.getLogger(__name__)

YEAR = object()  # stands for the served snapshot's year
UNIT = object()  # stands for the units Ringkasan splits the scope by (Scope.unit_below)

# The first view of every page (what a first visitor opens), nationally and for each region (a deputy
# signing in, or anyone choosing a region), by query file; the test tests/test_warm_first_view.py fails
# when a page asks for one more.
_FIRST_VIEW = (
    ("kantor_terpilih", {}), ("target_capaian", {"year": YEAR}), ("laju_target", {"year": YEAR}),
    ("kpi_perubahan", {}), ("tren_sertifikasi", {}), ("pipeline_status", {}), ("sertifikasi_per_tahun", {}),
    ("sertifikasi_per_wilayah", {"tingkat": UNIT, "year": YEAR}), ("snapshot_sebelumnya", {}),
    ("peta_kabupaten", {}), ("peta_desa", {}),  # and the national map
    # the rankings by their default measures (Ringkasan's best and lagging offices too): at national scale
    # the slowest first answers (36-80 ms at 50 M enrollments)
    ("cabang_peringkat", {"year": YEAR, "ukuran": ranking.OFFICE_DEFAULT}),
    ("wilayah_peringkat", {"year": YEAR, "ukuran": ranking.OFFICE_DEFAULT}),
    ("desa_peringkat", {"ukuran": ranking.VILLAGE_DEFAULT}),
    # Desa's search list, next ceremonies and missing evidence; Peresmian's list of certified villages
    ("desa_cari", {}), ("desa_hampir", {"limit": domain.NEXT_CEREMONIES}), ("bukti_belum_lengkap", {}),
    ("peresmian_desa_tersertifikasi", {"branch_code": None, "region_code": None}),
)
_NATIONAL_ONLY = {"wilayah_peringkat"}  # a region's Peringkat opens on its branches

_started: set[str] = set()
_lock = threading.Lock()
_last_warmed: dict[str, tuple] = {}


def warm(base: Path | None = None) -> str | None:
    """Open the current snapshot's database and answer the first view's queries once.
    Returns the snapshot id warmed (None when there is nothing published)."""
    base = base or paths.data_dir()
    try:
        served = db.serve(None, base)
    except db.QueryError:
        return None
    national = Scope.national()
    _first_view(national, served, base)
    if _own_visits:  # the pages' charts next, before the regions: most first visitors open the national view
        try:
            visit_own_pages()
        except Exception:  # e.g. a server that stopped meanwhile: the regions are still worth warming
            log.exception("visiting the own pages failed")
    if os.environ.get("DSJS_WARM", "regions") == "national":
        return served.id
    # then the first view of each region with villages in the programme (about 0.3 s a region; all eleven in
    # the agency's data), from the national split by region the first view has just answered
    regions = db.run("sertifikasi_per_wilayah", national, served, base=base, tingkat="region", year=served.as_of.year)
    for code in sorted(regions.loc[(regions["certified"] > 0) | (regions["in_pipeline"] > 0), "code"]):
        _yield_to_visitors()
        _first_view(Scope.of(regions=[code]), served, base)
    return served.id


def _first_view(scope: Scope, served: db.Served, base: Path) -> None:
    year = served.as_of.year
    for name, params in _FIRST_VIEW:
        if name in _NATIONAL_ONLY and not scope.all:
            continue
        values = {k: year if v is YEAR else scope.unit_below if v is UNIT else v for k, v in params.items()}
        try:
            db.run(name, scope, served, base=base, **values)
        except db.QueryError as e:  # a query file whose parameters changed: warm the rest
            log.warning("warm %s: %s", name, e)


def _pointer_stamp(base: Path) -> tuple:
    try:
        st = os.stat(paths.current_pointer(base))
        return (st.st_ino, st.st_mtime_ns, st.st_size)
    except OSError:
        return ()


def _watch(base: Path) -> None:
    while base.is_dir() and not _stop.is_set():  # a data folder that went away (tests' temporary ones) ends it
        stamp = _pointer_stamp(base)
        if _last_warmed.get(str(base)) != stamp:
            try:
                sid = warm(base)
                _last_warmed[str(base)] = stamp
                log.info("warmed snapshot %s", sid)
            except Exception:  # never let the watcher die: the next visitor simply pays
                log.exception("warming the current snapshot failed")
                _last_warmed[str(base)] = stamp
        _stop.wait(POLL_SECONDS)
    with _lock:
        _started.discard(str(base))


def ensure_watcher(base: Path | None = None) -> None:
    """Start (once per process and data folder) the thread that warms CURRENT now and on change."""
    base = base or paths.data_dir()
    with _lock:
        if str(base) in _started:
            return
        _started.add(str(base))
    thread = threading.Thread(target=_watch, args=(base,), name="dsjs-warm", daemon=True)
    _threads.append(thread)
    thread.start()


_stop = threading.Event()
_threads: list[threading.Thread] = []


@atexit.register
def _stop_watchers() -> None:
    """At exit, let a watcher finish the query it is in: a daemon thread still inside DuckDB when the
    interpreter goes away aborts the process ("terminate called ...", exit code 134)."""
    _stop.set()
    for thread in _threads:
        thread.join(timeout=30)


# --- visitors first ---------------------------------------------------------------------------------
# The warm-up after the national first view is for later visitors: it steps aside while one is here. On 2 cores
# a region's queries or the own visit of a page, run beside a visitor's page, made that visitor's first page
# slower than no own visit at all (chromium, a visitor 3 s after a start: 3.53 s against 2.75 s, medians of 3).
QUIET_SECONDS = 3.0  # after a visitor's page request or script run: it runs, then their browser fetches and draws
_last_visitor = 0.0


def visitor_arrived(headers) -> None:
    """Called by dashboard.py on every script run, and by desasadar.serve when a browser asks for a page's HTML:
    the warm-up waits while visitors are being served."""
    global _last_visitor
    if not is_own_visit(headers):
        _last_visitor = time.monotonic()


def _yield_to_visitors(longest: float = 30.0) -> None:
    """Wait until no visitor arrived (visitor_arrived) in the last QUIET_SECONDS (at most `longest` s: on a busy
    server the warm-up still finishes)."""
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline and (wait := QUIET_SECONDS - (time.monotonic() - _last_visitor)) > 0:
        _stop.wait(min(wait, deadline - time.monotonic()))


# --- the server's own first visit -------------------------------------------------------------
# With the queries answered, a first visitor after a start or a publish still builds each page's charts and map
# (the Altair specs, the deck): about 0.6 s of their first Ringkasan at the demo's size. So the server started by
# `python -m desasadar.serve` visits its own data pages first, over Streamlit's WebSocket as a browser does.
# The visit carries a token only this process knows, so it is not recorded as somebody's view. With sign-in
# configured it only sees the sign-in page (no viewer, no scope): nothing to warm, nothing recorded.
OWN_PAGES = ("", "peringkat", "peta", "desa", "peresmian")
OWN_VISIT_HEADER = "X-Dsjs-Own-Visit"
_own_visit_token = secrets.token_hex(16)
_own_visits = False


def visit_own_pages_after_warming() -> None:
    """Called by desasadar.serve: after each warm-up, visit the pages (plain `streamlit run` does not)."""
    global _own_visits
    _own_visits = True


def is_own_visit(headers) -> bool:
    """Whether a session is the server's own visit (its WebSocket request carried this process's token)."""
    return hmac.compare_digest(str((headers or {}).get(OWN_VISIT_HEADER, "")), _own_visit_token)


def _own_url() -> str:
    from streamlit import config

    address = config.get_option("server.address") or "127.0.0.1"
    if address in ("0.0.0.0", "::"):
        address = "127.0.0.1"
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"{address}:{config.get_option('server.port')}" + (f"/{base}" if base else "")


def open_pages(url: str, pages, headers: dict | None = None, timeout: float = 120.0,
               before_each=lambda: None) -> list[tuple[bool, float]]:
    """Open `pages` (url paths, "" for the main page) one after another in one new session of the server at
    `url` (http://host:port[/base]), over Streamlit's WebSocket as a browser does, each until its script run has
    finished: (finished successfully, seconds) a page. Also the visitor of tests/test_own_visit.py and scripts/bench_app.py --first-script."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    host = url.removeprefix("http://")
    deadline = time.monotonic() + timeout
    out: list[tuple[bool, float]] = []
    with connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit"], origin=f"http://{host.split('/')[0]}",
                 additional_headers=headers or {}, max_size=None, open_timeout=10) as ws:
        hashes: dict[str, str] = {}
        for page in pages:
            before_each()
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_name = page
            if page in hashes:
                msg.rerun_script.page_script_hash = hashes[page]
            t0 = time.perf_counter()
            ws.send(msg.SerializeToString())
            while True:
                fwd = ForwardMsg()
                fwd.ParseFromString(ws.recv(timeout=max(1.0, deadline - time.monotonic())))
                kind = fwd.WhichOneof("type")
                if kind == "navigation":
                    hashes.update({p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages})
                elif kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    out.append((fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY, time.perf_counter() - t0))
                    break
    return out


def visit_own_pages(timeout: float = 120.0) -> float | None:
    """Open each data page once as a new visitor of this server; returns the seconds it took (None when the
    server did not answer)."""
    url = _own_url()
    deadline = time.monotonic() + timeout
    while True:  # the server may still be starting
        try:
            with urllib.request.urlopen(f"http://{url}/_stcore/health", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.2)
    t0 = time.monotonic()
    open_pages(url, OWN_PAGES, {OWN_VISIT_HEADER: _own_visit_token}, timeout=deadline - t0,
               before_each=_yield_to_visitors)
    took = time.monotonic() - t0
    log.info("visited the own pages in %.2f s", took)
    return took


def preload_modules() -> None:
    """Import what the pages import, so the first page run does not pay for it."""
    import altair  # noqa: F401
    import pyarrow  # noqa: F401

    from . import table_files, maps, ranking, search  # noqa: F401
    from .charts import desa, peringkat, ringkasan  # noqa: F401

    maps.preload()  # the map's boundaries and label anchors (a second and more on a first Peta visit)


