-- Certified villages in the scope, optionally of one branch or one region: the ceremony's village picker
-- and the list in branch/region briefs.
-- Parameters: $branch_code, $region_code (each a slug or NULL for no filter). Grain: village_code,
-- ordered by certification (certified_seq_national).
select
    d.village_code,
    d.village_name,
    d.district_name,
    d.regency_code,
    d.regency_name,
    d.province_name,
    d.branch_code,
    d.branch_name,
    -- 'assumed': the office's seat and territory are assumed (shown "perkiraan"; desasadar/offices.py)
    (select c.name_basis from cabang as c where c.branch_code = d.branch_code) as branch_basis,
    d.region_code,
    d.region_name,
    d.certified_on::date as certified_on,
    d.certified_seq_national,
    d.certified_seq_branch,
    d.aparatur_active,
    d.participants_active,
    d.lat,
    d.lon
from desa as d
where d.status = 'certified'
    and ($branch_code::varchar is null or d.branch_code = $branch_code)
    and ($region_code::varchar is null or d.region_code = $region_code)
order by d.certified_seq_national
