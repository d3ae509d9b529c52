-- One region (Kanwil) for its brief: certified villages against the region target for the year and the pipeline.
-- Its ranking position is the Peringkat page's (wilayah_peringkat.sql through desasadar/ranking.py position).
-- Parameters: $region_code (slug), $year (target year). Grain: one row; none when the region is outside the scope.
with per_wilayah as (
    select
        w.region_code,
        w.name as region_name,
        count(d.village_code) filter (where d.status = 'certified') as certified,
        count(d.village_code) filter (where d.status = 'certified' and year(d.certified_on) = $year) as certified_in_year,
        count(d.village_code) filter (where d.status = 'proposed') as proposed,
        count(d.village_code) filter (where d.status = 'verified') as verified,
        count(d.village_code) filter (where d.status = 'revoked') as revoked,
        coalesce(sum(d.aparatur_active), 0) as aparatur_active,
        coalesce(sum(d.participants_active) filter (where d.status = 'certified'), 0) as participants_certified
    from wilayah as w
    left join desa as d on d.region_code = w.region_code
    group by w.region_code, w.name
),

cabang_wilayah as (
    select region_code, count(*) as branches
    from cabang
    group by region_code
),

target_wilayah as (
    select scope_code, target_villages, period_end
    from target
    where scope = 'region' and year = $year
)

select
    p.region_code,
    p.region_name,
    p.certified,
    p.certified_in_year,
    p.proposed,
    p.verified,
    p.revoked,
    p.aparatur_active,
    p.participants_certified,
    coalesce(c.branches, 0) as branches,
    t.target_villages,
    t.period_end::date as period_end,
    s.as_of,
    s.is_demo
from per_wilayah as p
left join cabang_wilayah as c on c.region_code = p.region_code
left join target_wilayah as t on t.scope_code = p.region_code
cross join snapshot as s
where p.region_code = $region_code
