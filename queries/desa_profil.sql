-- One village's profile: identity, programme status with the date of each step, and the
-- certification checklist (each criterion met or not, with the figure behind it).
-- Parameters: $village_code ('21.01.10.2002'). Grain: one row, none when unknown or outside the scope.
with v as (
    select *
    from desa
    where village_code = $village_code
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
    (select c.name_basis from cabang as c where c.branch_code = v.branch_code) as branch_basis,
    v.region_code,
    v.region_name,
    v.lat,
    v.lon,
    v.status,
    v.proposed_on,
    v.verified_on,
    v.certified_on,
    v.revoked_on,
    v.days_to_certify,
    v.certified_seq_national,
    v.certified_seq_branch,
    -- the four criteria
    v.head_enrolled as head_ok,
    v.officials_enrolled,
    v.officials_total,
    officials_ok(v.officials_total, v.officials_enrolled) as officials_ok,
    greatest(v.officials_total - v.officials_enrolled, 0) as officials_missing,
    v.agent_appointed as agent_ok,
    v.village_regulation as regulation_ok,
    v.criteria_met,
    4 - v.criteria_met as criteria_missing,
    -- enrollment
    v.workforce_estimate,
    v.participants,
    v.participants_active,
    v.participants - v.participants_active as participants_lapsed,
    v.aparatur_active,
    v.rtrw_staf_active,
    v.officials_active,
    v.coverage
from v
