-- Villages the viewer may see, for the search box and the village list of the Desa page.
-- Parameters: none (scope applied by the data layer). Grain: one row per village in scope.
-- Order: none. The page orders what it shows itself (the search by score, then name and code; the list by
-- status, latest step and code), and sorting the register's 83,762 rows here was 40% of this query nationally.
select
    d.village_code,
    d.village_name,
    d.kind,
    d.district_name,
    d.regency_name,
    d.province_name,
    d.branch_code,
    d.branch_name,
    -- 'assumed': the office's seat and territory are assumed (shown "perkiraan"; desasadar/offices.py)
    (select c.name_basis from cabang as c where c.branch_code = d.branch_code) as branch_basis,
    d.status,
    d.proposed_on,
    d.verified_on,
    d.certified_on,
    d.revoked_on,
    d.criteria_met,
    d.participants,
    d.participants_active
from desa as d
