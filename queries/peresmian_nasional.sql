-- The national headline for ceremonies and briefs: certified villages against the national target.
-- Public numbers: every scope sees them (views `nasional` and `target_nasional`).
-- Parameters: $tahun (target year). Grain: one row (target columns NULL when no national target for the year).
with t as (
    select
        target_villages,
        period_end,
        source,
        is_demo as target_is_demo
    from target_nasional
    where year = $tahun
)

select
    n.certified,
    n.proposed,
    n.verified,
    n.revoked,
    n.aparatur_active,
    n.participants_certified,
    t.target_villages,
    t.period_end::date as period_end,
    t.source as target_source,
    t.target_is_demo,
    s.snapshot_id,
    s.as_of,
    s.is_demo
from nasional as n
cross join snapshot as s
left join t on true
