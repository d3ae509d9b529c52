-- The national headline for ceremonies and briefs: certified villages against the national target.
-- Only the public national figures (desasadar/public.py; views `nasional` and `target_nasional`),
-- the same for every scope. Parameters: $year (target year).
-- Grain: one row (target columns NULL when no national target for the year).
with t as (
    select
        target_villages,
        period_end,
        source,
        is_demo as target_is_demo
    from target_nasional
    where year = $year
)

select
    n.certified,
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
