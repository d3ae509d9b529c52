-- Where one village stands in its branch: rank by active participants and by coverage of the workforce
-- among all the branch's villages, and its place in the branch's order of certification.
-- Parameters: $village_code. Grain: one row (none when unknown or outside the scope).
with cabang_desa as (
    select
        d.village_code,
        d.branch_code,
        d.status,
        d.participants_active,
        d.coverage,
        d.certified_seq_branch,
        rank() over (partition by d.branch_code order by d.participants_active desc) as rank_participants,
        rank() over (partition by d.branch_code order by coalesce(d.coverage, 0) desc) as rank_coverage,
        count(*) over (partition by d.branch_code) as villages_in_branch,
        count(*) filter (where d.status = 'certified') over (partition by d.branch_code) as certified_in_branch,
        count(*) filter (where d.status in ('proposed', 'verified', 'certified', 'revoked'))
            over (partition by d.branch_code) as programme_in_branch
    from desa as d
    where d.branch_code = (select branch_code from desa where village_code = $village_code)
)

select
    c.village_code,
    c.branch_code,
    c.rank_participants,
    c.rank_coverage,
    c.villages_in_branch,
    c.certified_seq_branch,
    c.certified_in_branch,
    c.programme_in_branch
from cabang_desa as c
where c.village_code = $village_code
