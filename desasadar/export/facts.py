"""The numbers of a ceremony or brief, gathered through the query files as plain data.

Every function takes `run(name, **params) -> DataFrame`, so the same code serves a page (ctx.run, the
viewer's scope) and the command line (db.run on a national scope). Nothing here formats text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

import pandas as pd

from .. import ranking
from ..domain import VILLAGE_CODE
from ..scalars import plain

Runner = Callable[..., pd.DataFrame]

# Office slugs (branch/region), e.g. tanjung-pinang, sumbarriau.
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)  # use fullmatch


def _plain(v):
    """scalars.plain, with a timestamp as its date (the briefs name days)."""
    v = plain(v)
    return v.date() if isinstance(v, datetime) else v


def _row(df: pd.DataFrame) -> dict | None:
    if df.empty:
        return None
    return {k: _plain(v) for k, v in df.iloc[0].items()}


def _as_date(v) -> date | None:
    v = _plain(v)
    if v is None:
        return None
    return v.date() if hasattr(v, "date") and not isinstance(v, date) else v


@dataclass(frozen=True)
class Nasional:
    """The public national headline: certified villages against the national target of the year
    (nothing else national: desasadar/public.py)."""

    certified: int
    target: int | None
    period_end: date | None
    target_source: str | None
    snapshot_id: str
    as_of: date
    is_demo: bool

    @property
    def share(self) -> float | None:
        return self.certified / self.target if self.target else None

    @property
    def remaining(self) -> int | None:
        """Villages still to certify to reach the target (0 once reached)."""
        return max(self.target - self.certified, 0) if self.target else None


def nasional(run: Runner, year: int) -> Nasional:
    r = _row(run("peresmian_nasional", year=int(year)))
    return Nasional(
        certified=int(r["certified"] or 0),
        target=int(r["target_villages"]) if r["target_villages"] is not None else None,
        period_end=_as_date(r["period_end"]),
        target_source=r["target_source"],
        snapshot_id=str(r["snapshot_id"]),
        as_of=_as_date(r["as_of"]),
        is_demo=bool(r["is_demo"]),
    )


@dataclass(frozen=True)
class Desa:
    """One certified village for its ceremony."""

    v: dict  # one row of queries/peresmian_desa.sql
    nasional: Nasional
    year: int

    @property
    def code(self) -> str:
        return self.v["village_code"]

    @property
    def name(self) -> str:
        return self.v["village_name"]

    @property
    def certified(self) -> bool:
        return self.v["status"] == "certified"


def desa(run: Runner, code: str, year: int) -> Desa | None:
    """The village `code` as the scope sees it; None for a malformed code or a village outside the scope."""
    if not isinstance(code, str) or not VILLAGE_CODE.fullmatch(code):
        return None
    r = _row(run("peresmian_desa", village_code=code))
    if r is None:
        return None
    r["certified_on"] = _as_date(r["certified_on"])
    for k in (
        "aparatur_active",
        "participants_active",
        "participants",
        "regency_aparatur_active",
        "rtrw_staf_active",
        "regency_rtrw_staf_active",
        "certified_seq_national",
        "certified_seq_branch",
        "branch_certified",
        "regency_certified",
    ):
        if r.get(k) is not None:
            r[k] = int(r[k])
    return Desa(r, nasional(run, year), int(year))


def certified_villages(run: Runner, branch_code: str | None = None, region_code: str | None = None) -> pd.DataFrame:
    """Certified villages in the scope (optionally of one branch/region), in order of certification."""
    return run("peresmian_desa_tersertifikasi", branch_code=branch_code, region_code=region_code)


@dataclass(frozen=True)
class Kantor:
    """A branch (level 'branch') or a region (level 'region') for its brief.

    Gauge, pace and trend are the Ringkasan page's numbers for the office's own scope (queries/laju_target.sql,
    tren_sertifikasi.sql), so a brief says what the page says; the ranking position is the Peringkat page's
    (queries/cabang_peringkat.sql / wilayah_peringkat.sql by ranking.RANK_MEASURE, ranking.position) in the
    viewer's whole scope.
    """

    level: str
    code: str
    r: dict  # summary and ranking position
    laju: dict  # one row of laju_target.sql: certified, target_villages, pace_3m, status, ...
    tren: pd.DataFrame  # as_of, certified per snapshot
    villages: pd.DataFrame  # certified villages, in order of certification
    nasional: Nasional
    year: int
    regency_codes: tuple[str, ...] = field(default=())
    # The one rank (desasadar/ranking.py position): in the viewer's scope, and a branch in its Kanwil.
    position: ranking.Position | None = None
    position_region: ranking.Position | None = None

    @property
    def name(self) -> str:
        return self.r["branch_name"] if self.level == "branch" else self.r["region_name"]

    @property
    def target(self) -> int | None:
        t = self.laju.get("target_villages")
        return int(t) if t is not None else None

    @property
    def certified(self) -> int:
        return int(self.laju["certified"])


def kantor(level: str, code: str, year: int, run_office: Runner, run_rank: Runner | None = None) -> Kantor | None:
    """A branch or region brief's numbers; None when the slug is malformed or outside the scope.

    `run_office` runs a query in the office's own scope (Scope.of(branches=[code]) / Scope.of(regions=[code]));
    `run_rank` (default `run_office`) in the scope to rank the office in: pass the viewer's whole scope so a
    branch is ranked among all the branches the viewer may see.
    """
    if level not in ("branch", "region") or not isinstance(code, str) or not SLUG_RE.fullmatch(code):
        return None
    run_rank = run_rank or run_office
    if level == "branch":
        r = _row(run_rank("peresmian_cabang", branch_code=code, year=int(year)))
        flt = {"branch_code": code, "region_code": None}
    else:
        r = _row(run_rank("peresmian_wilayah", region_code=code, year=int(year)))
        flt = {"branch_code": None, "region_code": code}
    if r is None:
        return None
    r["as_of"] = _as_date(r["as_of"])
    r["period_end"] = _as_date(r["period_end"])
    laju = _row(run_office("laju_target", year=int(year)))
    for k in ("as_of", "period_end", "projected_on", "window_3m_from", "window_to", "evaluated_on"):
        laju[k] = _as_date(laju.get(k))
    tren = run_office("tren_sertifikasi")
    villages = certified_villages(run_office, **flt)
    territory = run_office("peresmian_wilayah_kerja", **flt)
    ranked = run_rank("cabang_peringkat" if level == "branch" else "wilayah_peringkat",
                      year=int(year), ukuran=ranking.RANK_MEASURE)
    pos = ranking.position(ranked, level, code)
    pos_region = ranking.position(ranked, level, code, within_region=True) if level == "branch" else None
    if pos is not None and pos_region is not None and pos_region.of == pos.of:
        pos = pos_region  # the viewer sees one Kanwil: say so, as the Peringkat page does
    return Kantor(
        level, code, r, laju, tren, villages, nasional(run_office, year), int(year), tuple(territory["regency_code"]),
        position=pos, position_region=pos_region,
    )
