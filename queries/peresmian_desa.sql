-- One village for its certification ceremony: names, certification date and order (desa ke-N nationally
-- and in its branch), aparatur desa (kepala + perangkat), RT/RW heads and staff apart, and participants, with the totals of its regency and branch for context.
-- Parameters: $village_code ('21.01.10.2002'). Grain: one row; none when the village is outside the scope.
with v as (
    select *
    from desa
    where village_code = $village_code
),

kabupaten_total as (
    select
        d.regency_code,
        sum(d.aparatur_active) as regency_aparatur_active,
        sum(d.rtrw_staf_active) as regency_rtrw_staf_active,
        count(*) filter (where d.status = 'certified') as regency_certified
    from desa as d
    join v on v.regency_code = d.regency_code
    group by d.regency_code
),

cabang_total as (
    select
        d.branch_code,
        count(*) filter (where d.status = 'certified') as branch_certified
    from desa as d
    join v on v.branch_code = d.branch_code
    group by d.branch_code
)

select
    v.village_code,
    v.village_name,
    v.kind,
    v.district_name,
    v.regency_code,
    v.regency_name,
    v.province_name,
    v.branch_code,
    v.branch_name,
    -- 'assumed': the office's seat and territory are assumed (shown "perkiraan"; desasadar/offices.py)
    (select o.name_basis from cabang as o where o.branch_code = v.branch_code) as branch_basis,
    v.region_code,
    v.region_name,
    v.lat,
    v.lon,
    v.geo_precision,
    v.status,
    v.certified_on::date as certified_on,
    v.certified_seq_national,
    v.certified_seq_branch,
    v.aparatur_active,
    v.rtrw_staf_active,
    v.officials_total,
    v.officials_enrolled,
    v.participants_active,
    v.participants,
    v.workforce_estimate,
    v.coverage,
    k.regency_aparatur_active,
    k.regency_rtrw_staf_active,
    k.regency_certified,
    c.branch_certified
from v
join kabupaten_total as k on k.regency_code = v.regency_code
join cabang_total as c on c.branch_code = v.branch_code
