"""The one way pages get data: run(name, scope, snapshot, **params).

Per snapshot one in-memory DuckDB database holds the derived facts (this snapshot, the
previous one, the history of all earlier ones) and the reference tables in schema `_all`.
Query files only see views in `main` that filter every row through the viewer's scope,
held in per-cursor variables. The database is locked down after loading: no file access
outside data/, no extensions, configuration frozen.
"""
from __future__ import annotations

import re
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from . import paths, public, reference, snapshots
from .evidence import store as evidence_store
from .scope import Scope

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
PARAM_RE = re.compile(r"(?<![$\w])\$([a-z_][a-z0-9_]*)")

# Scope filter applied to every row-level view.
_VISIBLE = (
    "(getvariable('scope_all') or region_code in getvariable('scope_regions') "
    "or branch_code in getvariable('scope_branches'))"
)
# view name -> select over _all (fixed list; never built from input)
_VIEWS = {
    "desa": f"select * from _all.desa where {_VISIBLE}",
    "desa_prev": f"select * from _all.desa_prev where {_VISIBLE}",
    "rincian": f"select * from _all.rincian where {_VISIBLE}",
    "bulanan": f"select * from _all.bulanan where {_VISIBLE}",
    "riwayat": f"select * from _all.riwayat where {_VISIBLE}",
    "cabang": f"select * from _all.cabang where {_VISIBLE}",
    "wilayah_kerja": f"select w.* from _all.wilayah_kerja w join _all.cabang c using (branch_code) where {_VISIBLE.replace('region_code', 'c.region_code')}",
    "wilayah": (
        "select * from _all.wilayah w where getvariable('scope_all') or w.region_code in getvariable('scope_regions') "
        "or exists (select 1 from _all.cabang c where c.region_code = w.region_code and c.branch_code in getvariable('scope_branches'))"
    ),
    "target": (
        "select * from _all.target t where t.scope = 'national' and getvariable('scope_all') "
        "or t.scope = 'region' and (getvariable('scope_all') or t.scope_code in getvariable('scope_regions')) "
        "or t.scope = 'branch' and exists (select 1 from _all.cabang c where c.branch_code = t.scope_code and "
        f"{_VISIBLE.replace('region_code', 'c.region_code').replace('branch_code', 'c.branch_code')})"
    ),
    # Register villages whose point must not be plotted (scripts/build_lokasi_cek.py), within the scope.
    "lokasi_cek": (
        "select l.* from _all.lokasi_cek l join _all.desa d using (village_code) where "
        + _VISIBLE.replace("region_code", "d.region_code").replace("branch_code", "d.branch_code")
    ),
    # Evidence metadata (not part of any snapshot: loaded from data/evidence/, see _Database.bukti_fresh).
    "bukti": (
        "select b.* from _all.bukti b join _all.desa d using (village_code) where "
        + _VISIBLE.replace("region_code", "d.region_code").replace("branch_code", "d.branch_code")
    ),
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


# The target of the current scope for one year, one row: the national row when the scope is
# national, else the sum of the targets of its regions and branches; NULL ("no target set") when
# any part has no target row for that year. Query files use it as `from target_lingkup($tahun)`.
_TARGET_MACRO = """
create macro main.target_lingkup(tahun) as table
with bagian as (
    select 'national' as scope, '' as scope_code where getvariable('scope_all')
    union all
    select 'region', unnest(getvariable('scope_regions')) where not getvariable('scope_all')
    union all
    select 'branch', unnest(getvariable('scope_branches')) where not getvariable('scope_all')
),
cocok as (
    select t.target_villages, t.period_end::date as period_end, t.source, t.is_demo
    from bagian as b
    left join _all.target as t on t.scope = b.scope and t.scope_code = b.scope_code and t.year = tahun
)
select
    count(*) as parts,
    count(*) - count(target_villages) as parts_without_target,
    case when count(*) > 0 and count(target_villages) = count(*) then sum(target_villages) end as target_villages,
    case when count(*) > 0 and count(target_villages) = count(*) then max(period_end) end as period_end,
    string_agg(distinct source, ' · ' order by source) as source,
    coalesce(bool_or(is_demo), false) as target_is_demo
from cocok
"""


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
        body = re.sub(r"--[^\n]*", "", text).strip().lower()
        if not (body.startswith("select") or body.startswith("with")) or "_all." in body or ";" in body.rstrip(";"):
            raise QueryError(f"{path}: a query file is one select over the scoped views")
        _query_cache[key] = text
    return _query_cache[key]


class _Database:
    """One loaded, locked-down in-memory database for one snapshot."""

    def __init__(self, snap: snapshots.Snapshot, history: list[snapshots.Snapshot], base: Path):
        self.snapshot = snap
        self.base = base
        con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False, "threads": 2})
        con.execute("set allowed_directories = $d", {"d": [str(base) + "/", str(paths.reference_dir(base)) + "/"]})
        con.execute("set enable_external_access = false")
        con.execute("create schema _all")
        earlier = [s for s in history if s.as_of < snap.as_of]
        prev = earlier[-1] if earlier else None
        f = snap.file
        con.execute("create table _all.desa as select * from read_parquet($p)", {"p": str(f("facts_desa.parquet"))})
        if prev:
            con.execute("create table _all.desa_prev as select * from read_parquet($p)", {"p": str(prev.file("facts_desa.parquet"))})
        else:
            con.execute("create table _all.desa_prev as select * from _all.desa limit 0")
        con.execute("create table _all.rincian as select * from read_parquet($p)", {"p": str(f("facts_rincian.parquet"))})
        con.execute("create table _all.bulanan as select * from read_parquet($p)", {"p": str(f("facts_bulanan.parquet"))})
        hist = earlier + [snap]
        con.execute(
            """create table _all.riwayat as
            select s.snapshot_id, s.as_of, d.village_code, d.branch_code, d.region_code, d.regency_code, d.status,
                   d.certified_on, d.participants_active, d.aparatur_active, d.workforce_estimate
            from read_parquet($files, filename = true) d
            join (select unnest($ids) as snapshot_id, unnest($dates) as as_of, unnest($files) as filename) s using (filename)
            where d.status <> 'none' or d.participants_active > 0""",
            {"files": [str(s.file("facts_desa.parquet")) for s in hist],
             "ids": [s.id for s in hist], "dates": [s.as_of for s in hist]},
        )
        ref = paths.reference_dir(base)
        for fname, table in reference.TABLES.items():
            if table == "ref_desa":
                continue  # villages come with the facts
            con.register("_ref", reference.table(fname, ref))
            con.execute(f"create table _all.{table} as select * from _ref")
            con.unregister("_ref")
        con.execute(
            "create table _all.snapshot as select $id as snapshot_id, $as_of::date as as_of, $demo as is_demo, "
            "$prev_id as prev_id, $prev_as_of::date as prev_as_of",
            {"id": snap.id, "as_of": snap.as_of, "demo": snap.is_demo,
             "prev_id": prev.id if prev else None, "prev_as_of": prev.as_of if prev else None},
        )
        con.execute(
            "create table _all.snapshots as select unnest($ids) as snapshot_id, unnest($dates)::date as as_of",
            {"ids": [s.id for s in hist], "dates": [s.as_of for s in hist]},
        )
        # National headline numbers (published in the press anyway): counts only, no villages.
        con.execute(
            """create table _all.nasional as select
                count(*) filter (where status = 'certified') as certified,
                count(*) filter (where status = 'proposed') as proposed,
                count(*) filter (where status = 'verified') as verified,
                count(*) filter (where status = 'revoked') as revoked,
                sum(aparatur_active) as aparatur_active,
                sum(participants_active) filter (where status = 'certified') as participants_certified
            from _all.desa"""
        )
        self.con = con
        self.lock = threading.Lock()
        self.bukti_stamp = ()
        self.bukti_fresh()
        for view, sql in _VIEWS.items():
            con.execute(f"create view main.{view} as {sql}")
        con.execute(_TARGET_MACRO)
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
            self.con.execute("create or replace table _all.bukti as select * from _bukti_new")
            self.con.unregister("_bukti_new")
            self.bukti_stamp = now

    def query(self, sql: str, scope: Scope, params: dict) -> pd.DataFrame:
        if "bukti" in sql:
            self.bukti_fresh()
        with self.lock:  # cursors share one database; creation is cheap, use is serialised
            cur = self.con.cursor()
        try:
            cur.execute("set variable scope_all = $v", {"v": scope.all})
            cur.execute("set variable scope_regions = $v::varchar[]", {"v": sorted(scope.regions)})
            cur.execute("set variable scope_branches = $v::varchar[]", {"v": sorted(scope.branches)})
            # Arrow, then pandas: ~3x faster than .df() on large results (the register's 83,762 rows)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "extra copy" note of the DB-API path
                table = cur.execute(sql, params).to_arrow_table()
            return table.to_pandas(date_as_object=False)
        finally:
            cur.close()


_MAX_DATABASES = 3
_MAX_RESULTS = 1024
_dbs: "OrderedDict[tuple, _Database]" = OrderedDict()
_results: "OrderedDict[tuple, pd.DataFrame]" = OrderedDict()
_lock = threading.Lock()


def serve(requested: str | None = None, base: Path | None = None) -> Served:
    """Which snapshot answers a request for `requested` (None: CURRENT)."""
    base = base or paths.data_dir()
    res = snapshots.resolve(requested, base)
    if res.snapshot is None:
        raise QueryError("no published snapshot")
    return Served(res.snapshot, tuple(res.notes), tuple(res.available))


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
            _dbs.popitem(last=False)[1].con.close()
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
            db.con.close()
        _dbs.clear()
        _results.clear()
