-- Derived at publish time: events per branch and month, from the first event to the as-of month.
-- Variable: as_of (date). Grain: month x branch_code (months with no event are present, zero).
with peristiwa as (
    select branch_code, region_code, date_trunc('month', proposed_on) as month, 'proposed' as kind from villages where proposed_on is not null
    union all
    select branch_code, region_code, date_trunc('month', verified_on), 'verified' from villages where verified_on is not null
    union all
    select branch_code, region_code, date_trunc('month', certified_on), 'certified' from villages where certified_on is not null
    union all
    select branch_code, region_code, date_trunc('month', revoked_on), 'revoked' from villages where revoked_on is not null
),

pendaftaran as (
    select
        v.branch_code,
        date_trunc('month', e.enrolled_on) as month,
        count(*) as enrolled_new,
        count(*) filter (where e.occupation in ('kepala_desa', 'perangkat_desa')) as aparatur_new  -- domain.APARATUR
    from enrollments as e
    join villages as v on v.village_code = e.village_code
    group by all
),

bulan as (
    select unnest(generate_series(
        least(
            coalesce((select min(month) from peristiwa), date_trunc('month', getvariable('as_of')::date)),
            coalesce((select min(month) from pendaftaran), date_trunc('month', getvariable('as_of')::date))
        ),
        date_trunc('month', getvariable('as_of')::date),
        interval 1 month
    ))::date as month
),

kantor as (
    select branch_code, region_code from villages group by all
)

select
    b.month,
    k.branch_code,
    k.region_code,
    count(p.kind) filter (where p.kind = 'proposed') as proposed,
    count(p.kind) filter (where p.kind = 'verified') as verified,
    count(p.kind) filter (where p.kind = 'certified') as certified,
    count(p.kind) filter (where p.kind = 'revoked') as revoked,
    coalesce(any_value(d.enrolled_new), 0) as enrolled_new,
    coalesce(any_value(d.aparatur_new), 0) as aparatur_new
from bulan as b
cross join kantor as k
left join peristiwa as p on p.month = b.month and p.branch_code = k.branch_code
left join pendaftaran as d on d.month = b.month and d.branch_code = k.branch_code
group by b.month, k.branch_code, k.region_code
order by b.month, k.branch_code
