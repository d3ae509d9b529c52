-- The target gauge: certified villages of the current scope against that scope's cumulative target for one year.
-- Parameters: $year (integer, the target year). Grain: one row.
-- The scope's target comes from the data layer's target_lingkup (queries/macros/): the national row when the
-- scope is national; otherwise the sum of its regions' and branches' targets, NULL ("no target set") when any
-- of them has no target row for that year.
-- Certified is counted on the evaluation date: the as-of date, or the target's deadline (31 December of the
-- year when there is no target) if that is earlier; a village counts when certified on or before that date
-- and not revoked by then (queries/macros/evaluation_date.sql, certified_by.sql). remaining/surplus never go
-- below zero; share is NULL when the target is NULL or 0.
with sasaran as (
    select * from target_lingkup($year)
),

evaluasi as (
    select
        s.*,
        n.as_of,
        evaluation_date(n.as_of, s.period_end, $year) as evaluated_on
    from sasaran as s
    cross join snapshot as n
),

capaian as (
    select
        count(*) filter (where certified_by(d.certified_on, d.revoked_on, e.evaluated_on)) as certified
    from desa as d
    cross join evaluasi as e
)

select
    $year::integer as year,
    e.as_of,
    e.evaluated_on,
    c.certified,
    e.target_villages::bigint as target_villages,
    case when e.target_villages is not null then greatest(e.target_villages - c.certified, 0) end::bigint as remaining,
    case when e.target_villages is not null then greatest(c.certified - e.target_villages, 0) end::bigint as surplus,
    c.certified / nullif(e.target_villages, 0) as share,
    e.period_end,
    e.source,
    e.target_is_demo,
    e.parts,
    e.parts_without_target
from evaluasi as e
cross join capaian as c
