-- One branch for its brief: certified villages against the branch target for the year and the pipeline.
-- Its ranking position is the Peringkat page's (cabang_peringkat.sql through desasadar/ranking.py position).
-- Parameters: $branch_code (slug), $year (target year). Grain: one row; none when the branch is outside the scope.
with per_cabang as (
    select
        c.branch_code,
        c.name as branch_name,
        c.name_basis,
        c.region_code,
        count(d.village_code) filter (where d.status = 'certified') as certified,
        count(d.village_code) filter (where d.status = 'certified' and year(d.certified_on) = $year) as certified_in_year,
        count(d.village_code) filter (where d.status = 'proposed') as proposed,
        count(d.village_code) filter (where d.status = 'verified') as verified,
        count(d.village_code) filter (where d.status = 'revoked') as revoked,
        coalesce(sum(d.aparatur_active), 0) as aparatur_active,
        coalesce(sum(d.participants_active) filter (where d.status = 'certified'), 0) as participants_certified
    from cabang as c
    left join desa as d on d.branch_code = c.branch_code
    group by c.branch_code, c.name, c.name_basis, c.region_code
),

target_cabang as (
    select scope_code, target_villages, period_end
    from target
    where scope = 'branch' and year = $year
)

select
    p.branch_code,
    p.branch_name,
    p.name_basis,
    p.region_code,
    w.name as region_name,
    p.certified,
    p.certified_in_year,
    p.proposed,
    p.verified,
    p.revoked,
    p.aparatur_active,
    p.participants_certified,
    t.target_villages,
    t.period_end::date as period_end,
    s.as_of,
    s.is_demo
from per_cabang as p
join wilayah as w on w.region_code = p.region_code
left join target_cabang as t on t.scope_code = p.branch_code
cross join snapshot as s
where p.branch_code = $branch_code
