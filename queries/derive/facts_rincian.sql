-- Derived at publish time: enrollment breakdown per village, segment, occupation and active flag.
-- Inputs: enrollments, villages. Grain: village_code x segment x occupation x active.
select
    e.village_code,
    v.branch_code,
    v.region_code,
    e.segment,
    e.occupation,
    e.active,
    count(*) as participants,
    count(*) filter (where e.jkk) as jkk,
    count(*) filter (where e.jkm) as jkm,
    count(*) filter (where e.jht) as jht,
    count(*) filter (where e.jp) as jp
from enrollments as e
join villages as v on v.village_code = e.village_code
group by all
order by all
