-- The regencies a branch or region serves, for the map of its brief.
-- Parameters: $branch_code, $region_code (each a slug or NULL for no filter). Grain: regency_code.
select distinct
    w.regency_code
from wilayah_kerja as w
join cabang as c on c.branch_code = w.branch_code
where ($branch_code::varchar is null or c.branch_code = $branch_code)
    and ($region_code::varchar is null or c.region_code = $region_code)
order by w.regency_code
