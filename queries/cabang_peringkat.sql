-- Branch ranking: queries/macros/office_ranking.sql at the branch grain (its figures, rules and bands),
-- with each branch's name basis and region.
-- Parameters: $year (target year), $ukuran (measure: persen_target | tersertifikasi | peserta | cakupan | aparatur).
-- Grain: one row per visible branch (all branches of the scope, also those without villages); unranked rows
-- last, within a rank by name.
select
    r.rank,
    r.office_code as branch_code,
    r.office_name as branch_name,
    c.name_basis,
    c.region_code,
    w.name as region_name,
    r.* exclude (rank, office_code, office_name)
from office_ranking('branch', $year, $ukuran) as r
join cabang as c on c.branch_code = r.office_code
join wilayah as w on w.region_code = c.region_code
order by r.rank nulls last, r.office_name, r.office_code
