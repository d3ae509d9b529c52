"""Checks a snapshot's raw tables before it may be published.

Each check is a small SQL select over the views `villages` and `enrollments` (with
`file_row_number`), returning the offending rows. A Problem names table, row, column,
value and reason, so a data officer can find it in the source.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import duckdb

from .domain import SEGMENTS, STATUSES
from .rules import ROW_RULES, Rule, rule


@dataclass(frozen=True)
class Problem:
    table: str
    row: int | None  # 1-based row in the table's file; None for table-level problems
    column: str
    value: str
    reason: str  # a key of the i18n catalogue ("validate.<reason>")

    def as_dict(self) -> dict:
        return asdict(self)


def _from_rule(r: Rule) -> tuple[str, str, str, str]:
    return r.table, r.reason, r.column, f"select file_row_number + 1, {r.shown} from {r.table} where {r.broken}"


# (table, reason, column, select returning (row, value) of offending rows); the row rules shared with
# the ingest come from rules.py.
_CHECKS: list[tuple[str, str, str, str]] = [
    ("villages", "duplicate_village", "village_code", """
        select row, village_code from (select file_row_number + 1 as row, village_code,
            count(*) over (partition by village_code) as n from villages) where n > 1"""),
    ("villages", "unknown_village", "village_code", """
        select file_row_number + 1, v.village_code from villages v
        anti join ref_desa r on r.village_code = v.village_code"""),
    ("villages", "branch_not_serving", "branch_code", """
        select v.file_row_number + 1, v.branch_code from villages v
        join ref_desa r on r.village_code = v.village_code
        anti join wilayah_kerja w on w.regency_code = r.regency_code and w.branch_code = v.branch_code"""),
    ("villages", "region_mismatch", "region_code", """
        select v.file_row_number + 1, v.region_code from villages v
        join cabang c on c.branch_code = v.branch_code where c.region_code <> v.region_code"""),
    ("villages", "bad_status", "status", f"""
        select file_row_number + 1, coalesce(status, '') from villages
        where status is null or status not in {STATUSES!r}"""),
    *(_from_rule(r) for r in ROW_RULES if r.table == "villages" and r.reason != "officials_over_total"),
    ("villages", "negative_count", "officials_total", """
        select file_row_number + 1, concat_ws(' / ', officials_total, officials_enrolled, workforce_estimate)
        from villages where officials_total < 0 or officials_enrolled < 0 or workforce_estimate < 0"""),
    _from_rule(rule("villages", "officials_over_total")),
    ("enrollments", "duplicate_participant", "participant_id", """
        select row, participant_id from (select file_row_number + 1 as row, participant_id,
            count(*) over (partition by participant_id) as n from enrollments) where n > 1"""),
    ("enrollments", "unknown_village", "village_code", """
        select file_row_number + 1, e.village_code from enrollments e
        anti join villages v on v.village_code = e.village_code"""),
    ("enrollments", "bad_segment", "segment", f"""
        select file_row_number + 1, coalesce(segment, '') from enrollments
        where segment is null or segment not in {SEGMENTS!r}"""),
    *(_from_rule(r) for r in ROW_RULES if r.table == "enrollments"),
]

MAX_PER_CHECK = 200


def check_snapshot(con: duckdb.DuckDBPyConnection, as_of) -> tuple[list[Problem], dict[str, int]]:
    """Run every check; return (problems, count per reason). Problems are capped per check."""
    problems: list[Problem] = []
    counts: dict[str, int] = {}
    for table, reason, column, sql in _CHECKS:
        params = {"as_of": as_of} if "$as_of" in sql else {}
        rows = con.execute(f"select * from ({sql}) order by 1", params).fetchall()
        if rows:
            counts[f"{table}.{reason}"] = len(rows)
            problems += [Problem(table, int(r), column, str(v), reason) for r, v in rows[:MAX_PER_CHECK]]
    return problems, counts
