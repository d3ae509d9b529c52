"""The served tables of one snapshot: what the data layer queries, as one DuckDB database.

Publishing writes them to `served.duckdb` in the snapshot folder (listed in the manifest with
its checksum), so a server opens a snapshot read-only in milliseconds instead of loading its
Parquet files into memory. The same `build()` fills an in-memory database for snapshots
published before this file existed, or whose history or reference data changed since.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb

from . import offices, paths, reference

FILE = "served.duckdb"
ROW_GROUP_ROWS = 4096
_NO_AUTOLOAD = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def build(con: duckdb.DuckDBPyConnection, *, snapshot_id: str, as_of: date, demo: bool, facts: Path,
          history: list, ref_dir: Path) -> None:
    """Create the served tables in the database attached to `con` as `_all`.

    `facts` is the snapshot's folder (its facts_*.parquet); `history` the good snapshots with an
    earlier as-of, oldest first (objects with .id, .as_of and .path)."""
    prev = history[-1] if history else None
    # Village-keyed tables are stored in village-code order (code = province.regency.district.village), so a
    # village's rows, and a regency's or province's, sit in a few row groups that a lookup reads alone.
    con.execute("create table _all.desa as select * from read_parquet($p) order by village_code", {"p": str(facts / "facts_desa.parquet")})
    if prev:
        con.execute("create table _all.desa_prev as select * from read_parquet($p) order by village_code",
                    {"p": str(prev.path / "facts_desa.parquet")})
    else:
        con.execute("create table _all.desa_prev as select * from _all.desa limit 0")
    con.execute("create table _all.rincian as select * from read_parquet($p) order by village_code",
                {"p": str(facts / "facts_rincian.parquet")})
    con.execute("create table _all.bulanan as select * from read_parquet($p)", {"p": str(facts / "facts_bulanan.parquet")})
    files = [str(s.path / "facts_desa.parquet") for s in history] + [str(facts / "facts_desa.parquet")]
    ids = [s.id for s in history] + [snapshot_id]
    dates = [s.as_of for s in history] + [as_of]
    con.execute(
        """create table _all.riwayat as
        select s.snapshot_id, s.as_of, d.village_code, d.branch_code, d.region_code, d.regency_code, d.status,
               d.certified_on, d.participants_active, d.aparatur_active, d.workforce_estimate
        from read_parquet($files, filename = true) d
        join (select unnest($ids) as snapshot_id, unnest($dates) as as_of, unnest($files) as filename) s using (filename)
        where d.status <> 'none' or d.participants_active > 0
        order by d.village_code, s.as_of""",
        {"files": files, "ids": ids, "dates": dates},
    )
    own = offices.of_folder(facts)  # the agency's own office list, when the snapshot carries one
    for fname, table in reference.TABLES.items():
        if table == "ref_desa":
            continue  # villages come with the facts
        con.register("_ref", own.table(fname) if own is not None and fname in offices.FILES
                     else reference.table(fname, ref_dir))
        con.execute(f"create table _all.{table} as select * from _ref")
        con.unregister("_ref")
    con.execute(
        "create table _all.snapshot as select $id as snapshot_id, $as_of::date as as_of, $demo as is_demo, "
        "$prev_id as prev_id, $prev_as_of::date as prev_as_of",
        {"id": snapshot_id, "as_of": as_of, "demo": demo,
         "prev_id": prev.id if prev else None, "prev_as_of": prev.as_of if prev else None},
    )
    con.execute("create table _all.snapshots as select unnest($ids) as snapshot_id, unnest($dates)::date as as_of",
                {"ids": ids, "dates": dates})
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
    # What this database was built from: the data layer serves the file only while both still hold.
    con.execute("create table _all.built_from as select $ref as reference_version, $ids as history",
                {"ref": reference.version(ref_dir), "ids": ids})


def quote(path: Path) -> str:
    """A file path as an SQL string literal (paths are ours, never user input)."""
    return "'" + str(path).replace("'", "''") + "'"


def write(folder: Path, *, snapshot_id: str, as_of: date, demo: bool, history: list, ref_dir: Path | None = None) -> Path:
    """Write `folder`/served.duckdb for a snapshot being published (its facts already in `folder`)."""
    out = folder / FILE
    con = duckdb.connect(config=_NO_AUTOLOAD)
    try:
        # Row groups of 4,096 rows instead of 122,880: the 83,762 villages are 21 groups, not one, so the
        # zone maps let a one-village query skip the rest (50 M benchmark: village queries about 15% faster).
        con.execute(f"attach {quote(out)} as _all (row_group_size {ROW_GROUP_ROWS})")
        build(con, snapshot_id=snapshot_id, as_of=as_of, demo=demo, facts=folder, history=history,
              ref_dir=ref_dir or paths.reference_dir())
        con.execute("detach _all")  # checkpoints: one self-contained file, no WAL beside it
    finally:
        con.close()
    if os.path.exists(str(out) + ".wal"):
        raise RuntimeError(f"{out}: a WAL file was left beside the served database")
    return out
