"""The one way pages get data: run(name, scope, snapshot, **params).

Per snapshot one DuckDB database holds the derived facts (this snapshot, the previous one,
the history of all earlier ones) and the reference tables as `_all`: the snapshot's
served.duckdb attached read-only (written at publish), or the same tables built in memory.
Query files only see views in `main` that filter every row through the viewer's scope,
held in per-cursor variables; DuckDB's parser checks that they name nothing else. The
database is locked down once open: no file access at all, no extensions, configuration frozen.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from . import paths, public, reference, served, snapshots
from .evidence import store as evidence_store
from .scope import Scope

# DuckDB's note on every Arrow result of execute(): silenced once for the process, not per call with
# warnings.catch_warnings(), which swaps the process-wide filter list and so is not thread-safe (the warm-up
# thread and the sessions query at once: the note leaked, 18-63 times a test run). pyproject.toml has the same
# filter for pytest, which resets the filters for each test.
ARROW_NOTE = r"Arrow output on a DB-API result makes an extra copy"
warnings.filterwarnings("ignore", message=ARROW_NOTE, category=UserWarning)

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
PARAM_RE = re.compile(r"(?<![$\w])\$([a-z_][a-z0-9_]*)")


def _visible(alias: str = "") -> str:
    """The scope filter every row-level view applies, on the region_code/branch_code of table `alias`."""
    t = f"{alias}." if alias else ""
    return (f"(getvariable('scope_all') or {t}region_code in getvariable('scope_regions') "
            f"or {t}branch_code in getvariable('scope_branches'))")


def _in_area(regency: str) -> str:
    """The area filter (Scope.provinces/regencies) on a row's regency code: a regency code starts with
    its province's ('21.01' in '21')."""
    return (f"(getvariable('area_all') or {regency} in getvariable('area_regencies') "
            f"or left({regency}, 2) in getvariable('area_provinces'))")


# Monthly events per branch (as facts_bulanan derives them) for an area: from its villages' step dates, as
# the published facts are per branch and month, not per regency. Enrollment counts are not known per area.
_BULANAN_AREA = (
    "select date_trunc('month', e.tanggal)::date as month, e.branch_code, e.region_code, "
    "count(*) filter (where e.kind = 'proposed') as proposed, count(*) filter (where e.kind = 'verified') as verified, "
    "count(*) filter (where e.kind = 'certified') as certified, count(*) filter (where e.kind = 'revoked') as revoked, "
    "null::bigint as enrolled_new, null::bigint as aparatur_new "
    "from (select branch_code, region_code, unnest([proposed_on, verified_on, certified_on, revoked_on]) as tanggal, "
    "unnest(['proposed', 'verified', 'certified', 'revoked']) as kind from _all.desa "
    f"where not getvariable('area_all') and {_visible()} and {_in_area('regency_code')}) as e "
    "where e.tanggal is not null group by all"
)
# view name -> select over _all (fixed list; never built from input)
_VIEWS = {
    "desa": f"select * from _all.desa where {_visible()} and {_in_area('regency_code')}",
    "desa_prev": f"select * from _all.desa_prev where {_visible()} and {_in_area('regency_code')}",
    "rincian": f"select * from _all.rincian where {_visible()} and {_in_area('left(village_code, 5)')}",
    "bulanan": f"select * from _all.bulanan where getvariable('area_all') and {_visible()} union all {_BULANAN_AREA}",
    "riwayat": f"select * from _all.riwayat where {_visible()} and {_in_area('regency_code')}",
    # an area shows the branches serving its regencies
    "cabang": (f"select * from _all.cabang where {_visible()} and (getvariable('area_all') or branch_code in "
               f"(select branch_code from _all.wilayah_kerja where {_in_area('regency_code')}))"),
    "wilayah_kerja": (f"select w.* from _all.wilayah_kerja w join _all.cabang c using (branch_code) where {_visible('c')} "
                      f"and {_in_area('w.regency_code')}"),
    "wilayah": (
        "select * from _all.wilayah w where getvariable('scope_all') or w.region_code in getvariable('scope_regions') "
        "or exists (select 1 from _all.cabang c where c.region_code = w.region_code and c.branch_code in getvariable('scope_branches'))"
    ),
    # targets are set per office, never per area: an area has none
    "target": (
        "select * from _all.target t where getvariable('area_all') and (t.scope = 'national' and getvariable('scope_all') "
        "or t.scope = 'region' and (getvariable('scope_all') or t.scope_code in getvariable('scope_regions')) "
        "or t.scope = 'branch' and exists (select 1 from _all.cabang c where c.branch_code = t.scope_code and "
        f"{_visible('c')}))"
    ),
    # Register villages whose point must not be plotted (scripts/build_lokasi_cek.py), within the scope.
    "lokasi_cek": (f"select l.* from _all.lokasi_cek l join _all.desa d using (village_code) where {_visible('d')} "
                   f"and {_in_area('d.regency_code')}"),
    # Evidence metadata (not part of any snapshot: loaded from data/evidence/ into _lokal, see _Database.bukti_fresh).
    "bukti": (f"select b.* from _lokal.bukti b join _all.desa d using (village_code) where {_visible('d')} "
              f"and {_in_area('d.regency_code')}"),
    # Reference geography is public knowledge, not scoped.
    "kabupaten": "select * from _all.kabupaten",
    "provinsi": "select * from _all.provinsi",
    "snapshot": "select * from _all.snapshot",
    "snapshots": "select * from _all.snapshots",
    # The public national figures (press releases), the same for every scope: only the columns
    # listed in desasadar/public.py, so no query file can show a scoped viewer more.
    "nasional": f"select {', '.join(public.NATIONAL_FIGURES)} from _all.nasional",
    "target_nasional": f"select {', '.join(public.NATIONAL_TARGET)} from _all.target where scope = 'national'",
}


class QueryError(Exception):
    """Unknown query, bad parameters, or no data to serve."""


@dataclass(frozen=True)
class Served:
    """The snapshot a request is served from, and why it is not the one asked for (if so)."""
    snapshot: snapshots.Snapshot
    notes: tuple[str, ...]
    available: tuple[snapshots.Snapshot, ...]

    @property
    def id(self) -> str:
        return self.snapshot.id

    @property
    def as_of(self) -> date:
        return self.snapshot.as_of


def _sql_text(name: str) -> str:
    if not NAME_RE.match(name):
        raise QueryError(f"invalid query name {name!r}")
    path = paths.QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"no query file queries/{name}.sql")
    return _read_query(str(path), path.stat().st_mtime_ns)


_query_cache: dict[tuple, str] = {}


def _read_query(path: str, mtime: int) -> str:
    key = (path, mtime)
    if key not in _query_cache:
        text = Path(path).read_text()
        try:
            check_query(text)
        except QueryError as e:
            raise QueryError(f"{path}: {e}") from None
        _query_cache[key] = text
    return _query_cache[key]


# Table functions a query file may call: the table macros of queries/macros/ and row generators, no readers.
_TABLE_FUNCTIONS = {"target_lingkup", "office_ranking", "unnest", "range", "generate_series"}
_parser = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
_parser.execute("set enable_external_access = false")
_parser_lock = threading.Lock()


def check_query(sql: str) -> None:
    """Raise QueryError unless `sql` is one SELECT whose tables are the scoped views (or its own
    CTEs) and whose table functions are harmless — judged on DuckDB's own parse tree, so quoting
    (`"_all".desa`), catalogs or `query_table('_a'||'ll.desa')` do not get past it."""
    with _parser_lock:
        out = _parser.execute("select json_serialize_sql($q)", {"q": sql}).fetchone()[0]
    tree = json.loads(out)
    if tree.get("error"):
        raise QueryError(f"a query file is one select statement ({tree.get('error_message', '')})")
    if len(tree["statements"]) != 1:
        raise QueryError("a query file is one select statement")
    ctes: set[str] = set()
    tables: list[dict] = []
    functions: list[dict] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for item in (node.get("cte_map") or {}).get("map", []):
                ctes.add(item["key"].lower())
            if node.get("type") == "BASE_TABLE":
                tables.append(node)
            elif node.get("type") == "TABLE_FUNCTION":
                functions.append(node["function"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(tree["statements"])
    for t in tables:
        name = t["table_name"].lower()
        if t.get("catalog_name") or t.get("schema_name") or (name not in _VIEWS and name not in ctes):
            shown = ".".join(x for x in (t.get("catalog_name"), t.get("schema_name"), t["table_name"]) if x)
            raise QueryError(f"table {shown!r} is not one of the scoped views")
    for f in functions:
        if f.get("catalog") or f.get("schema") or f.get("function_name", "").lower() not in _TABLE_FUNCTIONS:
            raise QueryError(f"table function {f.get('function_name')!r} is not allowed in a query file")


def _attach_served(con: duckdb.DuckDBPyConnection, snap: snapshots.Snapshot, earlier: list[snapshots.Snapshot],
                   ref: Path) -> str:
    """Attach the snapshot's served.duckdb read-only as `_all` when it is listed in the manifest,
    intact, and was built from the same history and reference data as now. Returns "file", or
    why not (the caller then builds the tables in memory, as for snapshots published before
    served.duckdb existed)."""
    if served.FILE not in snap.manifest.get("files", {}):
        return "not in manifest"
    if snapshots.integrity_problems(snap, (served.FILE,)):
        return "checksum"
    con.execute(f"attach {served.quote(snap.path / served.FILE)} as _all (read_only)")
    ref_version, ids = con.execute("select reference_version, history from _all.built_from").fetchone()
    if ids != [s.id for s in earlier] + [snap.id] or ref_version != _reference_version(ref):
        con.execute("detach _all")
        return "history or reference changed"
    return "file"


def _reference_version(ref: Path) -> str:
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(ref.iterdir()) if p.is_file())
    key = (str(ref), stamp)
    if key not in _ref_versions:
        _ref_versions[key] = reference.version(ref)
    return _ref_versions[key]


_ref_versions: dict[tuple, str] = {}


class _Database:
    """One locked-down database for one snapshot: its served.duckdb attached read-only as `_all`,
    or, for a snapshot without a usable one, the same tables built in memory."""

    def __init__(self, snap: snapshots.Snapshot, history: list[snapshots.Snapshot], base: Path):
        self.snapshot = snap
        self.base = base
        earlier = [s for s in history if s.as_of < snap.as_of]
        ref = paths.reference_dir(base)
        con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False,
                                     "allow_community_extensions": False, "threads": 2})
        self.source = _attach_served(con, snap, earlier, ref)
        if self.source != "file":
            con.execute("attach ':memory:' as _all")
            served.build(con, snapshot_id=snap.id, as_of=snap.as_of, demo=snap.is_demo, facts=snap.path,
                         history=earlier, ref_dir=ref)
        # Evidence metadata lives outside the snapshot and grows between publishes: a small writable
        # in-memory catalog of its own, refreshed from a frame (bukti_fresh), never from a file.
        con.execute("attach ':memory:' as _lokal")
        self.con = con
        self.lock = threading.Lock()
        self._idle: dict[tuple, list] = {}  # scope values -> cursors with them set (_checkout)
        self.bukti_stamp = ()
        self.bukti_fresh()
        for view, sql in _VIEWS.items():
            con.execute(f"create view main.{view} as {sql}")
        for macro in sorted(paths.MACROS_DIR.glob("*.sql")):  # the shared rules query files call
            con.execute(macro.read_text())
        # Lock down: from here on no file at all can be read or written (not the raw enrollments,
        # not COPY TO), not even the attached file by name; no spilling; configuration frozen.
        con.execute("set temp_directory = ''")
        con.execute("set enable_external_access = false")
        con.execute("set disabled_filesystems = 'LocalFileSystem'")
        con.execute("set lock_configuration = true")

    def bukti_fresh(self) -> None:
        """(Re)load the evidence metadata when its log changed since the last load. It is small and
        lives outside the snapshot, so it is handed over as a frame (no file access from SQL)."""
        now = evidence_store.stamp(self.base)
        if now == self.bukti_stamp:
            return
        frame = evidence_store.records(self.base)
        with self.lock:
            self.con.register("_bukti_new", frame)
            self.con.execute("create or replace table _lokal.bukti as select * from _bukti_new")
            self.con.unregister("_bukti_new")
            self.bukti_stamp = now

    def query(self, sql: str, scope: Scope, params: dict) -> pd.DataFrame:
        if "bukti" in sql:
            self.bukti_fresh()
        values = _scope_values(scope)
        cur = self._checkout(values)
        try:
            # Arrow, then pandas: ~3x faster than .df() on large results (the register's 83,762 rows), and
            # faster than the relation API DuckDB's "extra copy" note suggests (binds twice; ARROW_NOTE)
            table = cur.execute(sql, params).to_arrow_table()
            frame = table.to_pandas(date_as_object=False)
        except BaseException:
            cur.close()  # a cursor whose query failed is not used again
            raise
        self._checkin(values, cur)
        return frame

    def close(self) -> None:
        """Close the kept cursors and the database, unless another thread is in it: DuckDB refuses to close
        a busy connection ("connection is busy with another call"), and the visitor whose query pushed this
        database out of the cache must not get that error. A busy one is freed when its last user lets go."""
        with self.lock:
            idle = [c for cursors in self._idle.values() for c in cursors]
            self._idle.clear()
        for c in idle:
            c.close()
        try:
            self.con.close()
        except duckdb.Error:
            pass

    # Cursors with a scope's variables already set, kept per scope: setting the six variables on a new cursor
    # took about 2 ms of every query (half of the fixed cost; 50 M benchmark). A cursor is only ever handed
    # back out for exactly the same six values, so no query can see another scope's rows.
    _IDLE_PER_SCOPE = 2
    _IDLE_SCOPES = 64

    def _checkout(self, values: tuple) -> duckdb.DuckDBPyConnection:
        with self.lock:  # cursors share one database; creation is cheap, use is serialised
            idle = self._idle.get(values)
            if idle:
                return idle.pop()
            cur = self.con.cursor()
        try:
            for statement, value in zip(_SCOPE_SETS, values):
                cur.execute(statement, {"v": list(value) if isinstance(value, tuple) else value})
        except BaseException:
            cur.close()
            raise
        return cur

    def _checkin(self, values: tuple, cur: duckdb.DuckDBPyConnection) -> None:
        with self.lock:
            idle = self._idle.pop(values, [])  # re-inserted last: the least recently used scope is dropped first
            if len(idle) < self._IDLE_PER_SCOPE:
                idle.append(cur)
                cur = None
            self._idle[values] = idle
            dropped = []
            while len(self._idle) > self._IDLE_SCOPES:
                dropped += self._idle.pop(next(iter(self._idle)))
        for c in dropped + ([cur] if cur is not None else []):
            c.close()


# The variables every scoped view reads (_visible, _in_area, macros/target_lingkup.sql), in _scope_values' order.
# Query files cannot change them: check_query admits one SELECT only.
_SCOPE_SETS = ("set variable scope_all = $v", "set variable scope_regions = $v::varchar[]",
               "set variable scope_branches = $v::varchar[]", "set variable area_all = $v",
               "set variable area_provinces = $v::varchar[]", "set variable area_regencies = $v::varchar[]")


def _scope_values(scope: Scope) -> tuple:
    return (bool(scope.all), tuple(sorted(scope.regions)), tuple(sorted(scope.branches)), not scope.area,
            tuple(sorted(scope.provinces)), tuple(sorted(scope.regencies)))


_MAX_DATABASES = 3
_MAX_RESULTS = 1024
_dbs: "OrderedDict[tuple, _Database]" = OrderedDict()
_results: "OrderedDict[tuple, pd.DataFrame]" = OrderedDict()
_lock = threading.Lock()


def serve(requested: str | None = None, base: Path | None = None, max_age: float = 0.0) -> Served:
    """Which snapshot answers a request for `requested` (None: CURRENT).

    With `max_age` (the dashboard: a few seconds) an answer that old or younger is reused while
    CURRENT and the snapshots folder are unchanged (two stats instead of reading every manifest
    on every rerun); a publish or rollback, here or by another process, is seen at once."""
    base = base or paths.data_dir()
    key = (str(base), requested)
    stamp = _folder_stamp(base)
    if max_age > 0:
        hit = _served.get(key)
        if hit is not None and hit[1] == stamp and time.monotonic() - hit[0] <= max_age:
            return hit[2]
    res = snapshots.resolve(requested, base)
    if res.snapshot is None:
        raise QueryError("no published snapshot")
    out = Served(res.snapshot, tuple(res.notes), tuple(res.available))
    with _lock:
        _served[key] = (time.monotonic(), stamp, out)
        if len(_served) > 256:
            _served.pop(next(iter(_served)))
    return out


def _folder_stamp(base: Path) -> tuple:
    out = []
    for p in (paths.current_pointer(base), paths.snapshots_dir(base)):
        try:
            st = os.stat(p)
            out.append((st.st_ino, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


_served: dict[tuple, tuple] = {}


def _database(served: Served, base: Path) -> _Database:
    snap = served.snapshot
    key = (str(base), snap.id, snap.manifest.get("created_at"), tuple(s.id for s in served.available))
    with _lock:
        db = _dbs.get(key)
        if db is not None:
            _dbs.move_to_end(key)
            return db
    db = _Database(snap, list(served.available), base)
    with _lock:
        _dbs[key] = db
        while len(_dbs) > _MAX_DATABASES:
            _dbs.popitem(last=False)[1].close()
    return db


def run(name: str, scope: Scope, snapshot: str | Served | None = None, base: Path | None = None, **params) -> pd.DataFrame:
    """Run queries/<name>.sql on a snapshot with `$name` parameters bound and the scope applied.

    Results are cached by (data dir, snapshot, scope, query, parameters); the cache is bounded.
    The returned frame is shared with the cache: treat it as read-only.
    """
    if not isinstance(scope, Scope):
        raise QueryError("a scope is required")
    sql = _sql_text(name)
    wanted = set(PARAM_RE.findall(sql))
    if wanted != set(params):
        raise QueryError(f"{name}: parameters {sorted(params)} do not match {sorted(wanted)}")
    base = base or paths.data_dir()
    served = snapshot if isinstance(snapshot, Served) else serve(snapshot, base)
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    key = (str(base), served.id, served.snapshot.manifest.get("created_at"), scope.key, name, frozen)
    if "bukti" in sql:  # evidence is added between snapshots: its log's stamp keys those results
        key += (evidence_store.stamp(base),)
    with _lock:
        hit = _results.get(key)
        if hit is not None:
            _results.move_to_end(key)
            return hit
    df = _database(served, base).query(sql, scope, params)
    with _lock:
        _results[key] = df
        while len(_results) > _MAX_RESULTS:
            _results.popitem(last=False)
    return df


def clear_caches() -> None:
    with _lock:
        for db in _dbs.values():
            db.close()
        _dbs.clear()
        _results.clear()
        _served.clear()
