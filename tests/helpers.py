"""Tiny snapshots for SQL tests: a few villages and participants, published the normal way."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from desasadar import reference, snapshots

VILLAGE_COLUMNS = {
    "village_code": pa.string(), "branch_code": pa.string(), "region_code": pa.string(), "status": pa.string(),
    "proposed_on": pa.date32(), "verified_on": pa.date32(), "certified_on": pa.date32(), "revoked_on": pa.date32(),
    "head_enrolled": pa.bool_(), "officials_total": pa.int32(), "officials_enrolled": pa.int32(),
    "agent_appointed": pa.bool_(), "village_regulation": pa.bool_(), "workforce_estimate": pa.int32(),
}
ENROLLMENT_COLUMNS = {
    "participant_id": pa.string(), "village_code": pa.string(), "segment": pa.string(), "occupation": pa.string(),
    "jkk": pa.bool_(), "jkm": pa.bool_(), "jht": pa.bool_(), "jp": pa.bool_(),
    "enrolled_on": pa.date32(), "paid_until": pa.date32(), "active": pa.bool_(),
}


def village(code: str, status: str = "none", **kw) -> dict:
    """A villages row with its branch/region from the reference territory and neutral defaults."""
    desa = reference.table("desa.parquet")
    terr = reference.table("cabang_wilayah_kerja.csv")
    regency = desa.loc[desa.village_code == code, "regency_code"].iloc[0]
    branch = terr.loc[terr.regency_code == regency, "branch_code"].iloc[0]
    row = dict(village_code=code, branch_code=branch, region_code=reference.region_of()[branch], status=status,
               proposed_on=None, verified_on=None, certified_on=None, revoked_on=None, head_enrolled=False,
               officials_total=0, officials_enrolled=0, agent_appointed=False, village_regulation=False,
               workforce_estimate=100)
    row.update(kw)
    return row


def participant(pid: str, village_code: str, segment: str = "BPU", occupation: str = "petani",
                enrolled_on: date = date(2017, 1, 1), active: bool = True, **kw) -> dict:
    row = dict(participant_id=pid, village_code=village_code, segment=segment, occupation=occupation,
               jkk=True, jkm=True, jht=False, jp=False, enrolled_on=enrolled_on,
               paid_until=date(enrolled_on.year, enrolled_on.month, 1), active=active)
    row.update(kw)
    return row


def write_tables(folder: Path, villages: list[dict], enrollments: list[dict]) -> None:
    v = pa.Table.from_pylist(villages, schema=pa.schema(VILLAGE_COLUMNS))
    e = pa.Table.from_pylist(enrollments, schema=pa.schema(ENROLLMENT_COLUMNS))
    pq.write_table(v, folder / "villages.parquet")
    pq.write_table(e, folder / "enrollments.parquet")


def publish(base: Path, as_of: date, villages: list[dict], enrollments: list[dict] = (), sid: str | None = None,
            demo: bool = False, **kw) -> snapshots.Snapshot:
    return snapshots.publish(sid or as_of.isoformat(), as_of, lambda f: write_tables(f, villages, list(enrollments)),
                             base=base, demo=demo, **kw)


def rows(df: pd.DataFrame) -> list[tuple]:
    """A frame as plain tuples (numpy scalars and NaN normalised) for exact comparisons."""
    def plain(x):
        if x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and x != x):
            return None
        if isinstance(x, pd.Timestamp):
            return x.date()
        return x.item() if hasattr(x, "item") else x

    return [tuple(plain(x) for x in r) for r in df.itertuples(index=False)]
