-- target_lingkup($year): the target of the current scope for one year, one row: the national row
-- when the scope is national, else the sum of the targets of its regions and branches; NULL
-- ("no target set") when any part has no target row for that year, or the scope is an area (a province or
-- regency filter: targets are set per office).
-- Query files use it as `from target_lingkup($year)`; created in every served database (desasadar/db.py).
create macro main.target_lingkup(target_year) as table
with bagian as (
    select 'national' as scope, '' as scope_code where getvariable('scope_all') and getvariable('area_all')
    union all
    select 'region', unnest(getvariable('scope_regions')) where not getvariable('scope_all') and getvariable('area_all')
    union all
    select 'branch', unnest(getvariable('scope_branches')) where not getvariable('scope_all') and getvariable('area_all')
),
cocok as (
    select t.target_villages, t.period_end::date as period_end, t.source, t.is_demo
    from bagian as b
    left join _all.target as t on t.scope = b.scope and t.scope_code = b.scope_code and t.year = target_year
)
select
    count(*) as parts,
    count(*) - count(target_villages) as parts_without_target,
    case when count(*) > 0 and count(target_villages) = count(*) then sum(target_villages) end as target_villages,
    case when count(*) > 0 and count(target_villages) = count(*) then max(period_end) end as period_end,
    string_agg(distinct source, ' · ' order by source) as source,
    coalesce(bool_or(is_demo), false) as target_is_demo
from cocok
