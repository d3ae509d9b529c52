-- The office(s) of the current scope, for headings: one row per visible branch, with its region.
-- Parameters: none. Grain: branch_code.
select
    c.branch_code,
    c.name as branch_name,
    c.name_basis as branch_basis,  -- 'assumed': shown "perkiraan" (desasadar/offices.py)
    c.region_code,
    w.name as region_name
from cabang as c
join wilayah as w on w.region_code = c.region_code
order by c.name
