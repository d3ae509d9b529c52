-- Certified villages split by the units one level below the current view, each against its own target.
-- Parameters: $tingkat ('region' | 'branch' | 'regency': the unit to split by), $year (integer, target year).
-- Grain: one row per unit of the scope that has a certified or in-pipeline village or a target above zero.
-- Counted as in target_capaian.sql on each unit's evaluation date (the as-of date, or the unit's target deadline /
-- 31 December of $year if earlier). Regencies have no targets (target_villages NULL). in_pipeline: proposed or
-- verified now.
with desa_unit as (
    select
        case $tingkat when 'region' then region_code when 'branch' then branch_code else regency_code end as code,
        case $tingkat when 'region' then region_name when 'branch' then branch_name else regency_name end as name,
        status,
        certified_on,
        revoked_on
    from desa
),

sasaran as (
    select scope_code as code, target_villages, period_end::date as period_end
    from target
    where year = $year and scope = $tingkat
),

unit as (
    select
        d.code,
        any_value(d.name) as name,
        any_value(s.target_villages) as target_villages,
        evaluation_date(any_value(n.as_of), any_value(s.period_end), $year) as evaluated_on
    from desa_unit as d
    cross join snapshot as n
    left join sasaran as s using (code)
    group by d.code
),

hitung as (
    select
        u.code,
        u.name,
        u.evaluated_on,
        u.target_villages,
        count(*) filter (where certified_by(d.certified_on, d.revoked_on, u.evaluated_on)) as certified,
        count(*) filter (where d.status in ('proposed', 'verified')) as in_pipeline
    from unit as u
    join desa_unit as d using (code)
    group by u.code, u.name, u.evaluated_on, u.target_villages
)

select
    code,
    name,
    certified,
    in_pipeline,
    target_villages::bigint as target_villages,
    certified / nullif(target_villages, 0) as share,
    evaluated_on,
    -- a branch whose seat and territory are assumed ('assumed', shown "perkiraan"; desasadar/offices.py)
    case when $tingkat = 'branch' then (select c.name_basis from cabang as c where c.branch_code = hitung.code) end
        as branch_basis
from hitung
where certified > 0 or in_pipeline > 0 or target_villages > 0
order by certified desc, name
