-- Region ranking: queries/macros/office_ranking.sql at the region grain (its figures, rules and bands),
-- with the number of visible branches of each region.
-- Parameters: $year (target year), $ukuran (measure: persen_target | tersertifikasi | peserta | cakupan | aparatur).
-- Grain: one row per visible region (wilayah). Counts cover the villages visible in the scope; unranked rows
-- last, within a rank by name.
with kantor as (
    select c.region_code, count(*) as branches
    from cabang as c
    group by c.region_code
)

select
    r.rank,
    r.office_code as region_code,
    r.office_name as region_name,
    coalesce(b.branches, 0) as branches,
    r.* exclude (rank, office_code, office_name)
from office_ranking('region', $year, $ukuran) as r
left join kantor as b on b.region_code = r.office_code
order by r.rank nulls last, r.office_name, r.office_code
