"""What a data officer may publish, and what one limited to a scope sees of the snapshots.

config/akses.toml gives a `petugas_data` either a national scope or regions/branches. A national
officer publishes any files and rolls back. An officer limited to a scope publishes only files
whose every row lies in that scope (the check runs with the other checks, so the report says it
before anything is published); rollback stays national. On the Data page a scoped officer sees
snapshot counts and quarantined rows within the scope only.

A row lies in a scope when every branch it names or implies is visible in it: the reporting
branch as written (kode_cabang) and the branch serving the village's regency (kode_desa, from
data/reference/cabang_wilayah_kerja.csv). A row that names no known branch at all lies in no
scope but the national one.
"""
from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import offices, snapshots
from ..scope import Scope
from . import checks, columns as C, readers

OUTSIDE = "outside_scope"  # reason key (data.reason.outside_scope)
SHOWN_ROWS = 5  # rows named in the refusal
IN_SCOPE_KINDS = ("status_desa", "kepesertaan")  # reports whose rows lie in a branch's scope


class NotPermitted(PermissionError):
    """A scoped data officer asked for something only a national one may do."""


def may_roll_back(scope: Scope) -> bool:
    return scope.all


def check_rollback(scope: Scope | None) -> None:
    """Raise unless `scope` is national (None: the command line, run on the server itself)."""
    if scope is not None and not may_roll_back(scope):
        raise NotPermitted("rollback is for national data officers only")


# --- rows and scopes -------------------------------------------------------------------------------


def _col(kind: str, name: str) -> C.Col:
    return next(c for c in C.REPORTS[kind].columns if c.name == name)


def in_scope(scope: Scope, kind: str, raw: pd.DataFrame) -> np.ndarray:
    """Per row of a report's text (`raw`, report column names), whether it lies in `scope`."""
    if scope.all:
        return np.ones(len(raw), dtype=bool)
    region_of = offices.active().region_of()
    serving = checks.ref()["branch_of_regency"]
    written = readers.parse_column(raw["kode_cabang"].fillna("").astype(str), _col(kind, "kode_cabang"))[0]
    village = readers.parse_column(raw["kode_desa"].fillna("").astype(str), _col(kind, "kode_desa"))[0]
    implied = pd.Series(village.str.slice(0, 5).map(serving), dtype=object)
    written = pd.Series(written, dtype=object).where(lambda x: x.isin(region_of.keys()))  # known branches only
    visible = [b for b in region_of if scope.sees_branch(b, region_of)]
    ok = (written.notna() | implied.notna()) & (written.isna() | written.isin(visible)) \
        & (implied.isna() | implied.isin(visible))
    return ok.to_numpy(dtype=bool)


def restrict(scope: Scope | None, tables: dict[str, checks.Table]) -> list[dict]:
    """For a scoped officer: blocking problems (level 'table') naming the rows outside their scope, and
    those rows' own check results withheld (they would tell, say, another branch's village's previous
    status). Nothing for a national scope or the command line (None). Call after the checks."""
    if scope is None or scope.all:
        return []
    out = []
    for kind, t in tables.items():
        if not len(t) or kind not in IN_SCOPE_KINDS:  # an office list is national: ingest/kantor.py refuses it
            continue
        outside = np.flatnonzero(~in_scope(scope, kind, t.raw))
        if len(outside):
            t.problems = [p[~p["pos"].isin(outside)] for p in t.problems]
            where = ", ".join(t.where(p) for p in outside[:SHOWN_ROWS]) + (", …" if len(outside) > SHOWN_ROWS else "")
            out.append(dict(file="", sheet=None, row=None, column="kode_cabang", value=str(len(outside)),
                            reason=OUTSIDE, detail=f"{len(outside)}: {where}", level="table"))
    return out


# --- what a scoped officer sees of the snapshots ------------------------------------------------


def _visible(scope: Scope, branch: pa.ChunkedArray, region: pa.ChunkedArray) -> pa.ChunkedArray:
    b = pc.is_in(branch, value_set=pa.array(sorted(scope.branches), pa.string()))
    r = pc.is_in(region, value_set=pa.array(sorted(scope.regions), pa.string()))
    return pc.fill_null(pc.or_(b, r), False)


@lru_cache(maxsize=256)
def _counts(folder: str, created_at: str, scope_key: tuple) -> tuple[int, int]:
    all_, regions, branches = scope_key
    scope = Scope(all=all_, regions=frozenset(regions), branches=frozenset(branches))
    # villages as the manifest counts them (villages.parquet); enrollments from the derived per-village
    # facts (`participants` = a village's enrollment rows): ~84,000 rows instead of every enrollment
    v = pq.read_table(f"{folder}/villages.parquet", columns=["branch_code", "region_code"])
    f = pq.read_table(f"{folder}/facts_desa.parquet", columns=["branch_code", "region_code", "participants"])
    if not scope.all:
        v = v.filter(_visible(scope, v["branch_code"], v["region_code"]))
        f = f.filter(_visible(scope, f["branch_code"], f["region_code"]))
    return v.num_rows, int(pc.sum(f["participants"]).as_py() or 0)


def snapshot_counts(snapshot: snapshots.Snapshot, scope: Scope) -> tuple[int, int]:
    """(villages, enrollments) of a published snapshot within `scope`. Cached: snapshots are immutable."""
    return _counts(str(snapshot.path), str(snapshot.manifest.get("created_at", "")), scope.key)


def quarantine_in_scope(data: bytes, kind: str, scope: Scope) -> tuple[bytes, int]:
    """A quarantine file of rejected `kind` rows (ditolak_<kind>.csv) cut to the rows in `scope`."""
    from .report import to_csv

    df = pd.read_csv(io.BytesIO(data), sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if df.empty or scope.all:
        return data, len(df)
    mine = df[in_scope(scope, kind, df)]
    return to_csv(mine), len(mine)


def quarantine_kind(rel: str) -> str | None:
    """'quarantine/ditolak_status_desa.csv' -> 'status_desa'; None for files that are not rows of one kind."""
    name = rel.rsplit("/", 1)[-1]
    kind = name.removeprefix("ditolak_").removesuffix(".csv")
    return kind if name.startswith("ditolak_") and kind in C.REPORTS else None
