"""The row rules of a snapshot's raw tables, written once. The publish gate (validate.py) runs them on
the Parquet files of every snapshot; the ingest (ingest/checks.py) on the typed rows of the branch files,
so a row is refused for the same reason either way (tests/test_rules_agree.py feeds both the same rows).

Each rule is an SQL condition over the raw columns (English names; ingest/columns.py maps the report
headers to them), true where a row breaks it. `$as_of` is the snapshot's date.
"""
from __future__ import annotations

from dataclasses import dataclass

from .domain import ELIGIBLE, PROGRAMMES, SEGMENTS


@dataclass(frozen=True)
class Rule:
    table: str  # villages | enrollments
    reason: str  # the problem's reason (i18n: validate.<reason>, data.reason.<reason>)
    column: str  # the column a problem is reported on
    reads: tuple[str, ...]  # the columns it reads (ingest: a cell that could not be read is reported once, as such)
    broken: str  # SQL condition: true where the row breaks the rule
    shown: str  # SQL expression: the value shown with the problem


DATES = ("proposed_on", "verified_on", "certified_on", "revoked_on")


def _sql_list(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _not_eligible() -> str:
    """JKK and JKM are held by everyone; no programme outside its segment's (domain.ELIGIBLE). An unknown
    segment is reported as such (bad_segment), not here."""
    parts = ["not coalesce(jkk, false)", "not coalesce(jkm, false)"]
    for p in PROGRAMMES:
        barred = [s for s in SEGMENTS if p not in ELIGIBLE[s]]
        if barred:
            parts.append(f"(coalesce({p}, false) and segment in {_sql_list(barred)})")
    return " or ".join(parts)


ROW_RULES: tuple[Rule, ...] = (
    # each step reached has its date
    Rule("villages", "missing_dates", "status", ("status", *DATES), """
            (status in ('proposed', 'verified', 'certified', 'revoked') and proposed_on is null)
         or (status in ('verified', 'certified', 'revoked') and verified_on is null)
         or (status in ('certified', 'revoked') and certified_on is null)
         or (status = 'revoked' and revoked_on is null)""", "status"),
    # no dates for steps not reached
    Rule("villages", "dates_for_later_step", "status", ("status", *DATES), """
            (status = 'none' and coalesce(proposed_on, verified_on, certified_on, revoked_on) is not null)
         or (status = 'proposed' and coalesce(verified_on, certified_on, revoked_on) is not null)
         or (status = 'verified' and coalesce(certified_on, revoked_on) is not null)
         or (status = 'certified' and revoked_on is not null)""", "status"),
    Rule("villages", "dates_out_of_order", "proposed_on", DATES,
         "verified_on < proposed_on or certified_on < verified_on or revoked_on < certified_on",
         "concat_ws(' / ', proposed_on, verified_on, certified_on, revoked_on)"),
    Rule("villages", "date_after_as_of", "proposed_on", DATES,
         "greatest(proposed_on, verified_on, certified_on, revoked_on) > $as_of::date",
         "greatest(proposed_on, verified_on, certified_on, revoked_on)::varchar"),
    # a negative count is reported as such (negative_count), not again here
    Rule("villages", "officials_over_total", "officials_enrolled", ("officials_total", "officials_enrolled"),
         "officials_enrolled > officials_total and officials_total >= 0",
         "officials_enrolled || ' > ' || officials_total"),
    Rule("enrollments", "not_eligible", "segment", ("segment", *PROGRAMMES), _not_eligible(), "segment"),
    Rule("enrollments", "date_after_as_of", "enrolled_on", ("enrolled_on",),
         "enrolled_on > $as_of::date", "enrolled_on::varchar"),
    Rule("enrollments", "paid_before_enrolled", "paid_until", ("enrolled_on", "paid_until"),
         "paid_until < date_trunc('month', enrolled_on)", "paid_until::varchar"),
)


def rule(table: str, reason: str) -> Rule:
    return next(r for r in ROW_RULES if r.table == table and r.reason == reason)
