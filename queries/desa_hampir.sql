-- The next ceremonies: proposed and verified villages in scope with the fewest missing criteria
-- (verified before proposed, then the longest waiting first).
-- Parameters: $limit (rows). Grain: one row per village.
select
    d.village_code,
    d.village_name,
    d.district_name,
    d.regency_name,
    d.branch_name,
    -- 'assumed': the office's seat and territory are assumed (shown "perkiraan"; desasadar/offices.py)
    (select c.name_basis from cabang as c where c.branch_code = d.branch_code) as branch_basis,
    d.status,
    d.proposed_on,
    d.verified_on,
    d.criteria_met,
    4 - d.criteria_met as criteria_missing,
    d.head_enrolled as head_ok,
    d.officials_enrolled,
    d.officials_total,
    officials_ok(d.officials_total, d.officials_enrolled) as officials_ok,
    d.agent_appointed as agent_ok,
    d.village_regulation as regulation_ok,
    d.participants_active
from desa as d
where d.status in ('proposed', 'verified')
order by
    4 - d.criteria_met,
    case d.status when 'verified' then 0 else 1 end,
    coalesce(d.verified_on, d.proposed_on),
    d.village_code
limit $limit
