-- Who is enrolled in one village: participants by segment, occupation and programme, active and lapsed,
-- plus the village total ('total' / 'all').
-- Parameters: $village_code. Grain: one row per (dimension, key); dimension in segment | occupation | programme | total.
-- Segments and programmes always list all four (zeros included), occupations only those present.
with r as (
    select *
    from rincian
    where village_code = $village_code
),

segmen (key, pos) as (
    values ('PU', 1), ('BPU', 2), ('JAKON', 3), ('PMI', 4)
),

program (key, pos) as (
    values ('jkk', 1), ('jkm', 2), ('jht', 3), ('jp', 4)
),

per_segment as (
    select
        'segment' as dimension,
        s.key,
        s.pos,
        coalesce(sum(r.participants) filter (where r.active), 0) as active,
        coalesce(sum(r.participants) filter (where not r.active), 0) as lapsed
    from segmen as s
    left join r on r.segment = s.key
    group by s.key, s.pos
),

per_occupation as (
    select
        'occupation' as dimension,
        r.occupation as key,
        0 as pos,
        coalesce(sum(r.participants) filter (where r.active), 0) as active,
        coalesce(sum(r.participants) filter (where not r.active), 0) as lapsed
    from r
    group by r.occupation
),

held as (
    select r.active, p.key, p.pos,
        case p.key when 'jkk' then r.jkk when 'jkm' then r.jkm when 'jht' then r.jht else r.jp end as n
    from r
    cross join program as p
),

per_programme as (
    select
        'programme' as dimension,
        p.key,
        p.pos,
        coalesce(sum(h.n) filter (where h.active), 0) as active,
        coalesce(sum(h.n) filter (where not h.active), 0) as lapsed
    from program as p
    left join held as h on h.key = p.key
    group by p.key, p.pos
),

total as (
    select
        'total' as dimension,
        'all' as key,
        0 as pos,
        coalesce(sum(r.participants) filter (where r.active), 0) as active,
        coalesce(sum(r.participants) filter (where not r.active), 0) as lapsed
    from r
),

allrows as (
    select * from per_segment
    union all select * from per_occupation
    union all select * from per_programme
    union all select * from total
)

select
    a.dimension,
    a.key,
    a.active::bigint as active,
    a.lapsed::bigint as lapsed
from allrows as a
order by
    case a.dimension when 'segment' then 1 when 'occupation' then 2 when 'programme' then 3 else 4 end,
    a.pos,
    a.active + a.lapsed desc,
    a.key
