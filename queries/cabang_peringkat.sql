-- Branch ranking: certified villages against the branch target, pipeline, aparatur, participants and
-- workforce coverage in certified villages; the rank on the chosen measure now and at the previous
-- snapshot; the band of % of target with its leader and fastest mover.
-- Parameters: $tahun (target year), $ukuran (measure: persen_target | tersertifikasi | peserta | cakupan | aparatur).
-- Grain: one row per visible branch (all branches of the scope, also those without villages).
-- Rules: higher is better; equal values share a rank (standard competition ranking: 1, 1, 3); rows without a
-- value (no target or a target of 0 for % of target, no certified village for coverage) are unranked and
-- listed last; within a rank, rows are ordered by name. % of target is certified / target when target > 0.
-- Coverage: queries/macros/certified_coverage.sql.
-- certified_new = villages certified after the previous snapshot's date (NULL when there is no previous snapshot).
-- Certified (and % of target) count villages certified by the evaluation date (queries/macros/evaluation_date.sql,
-- certified_by.sql), the same rule as target_capaian.sql.
-- Band leader: highest % of target, then more certified villages, then name. Fastest mover: most villages
-- certified since the previous snapshot (at least 1), then higher % of target, then name.
with snap as (
    select prev_id is not null as has_prev, prev_as_of
    from snapshot
),

sasaran as (
    select t.scope_code as branch_code, sum(t.target_villages)::bigint as target, max(t.period_end)::date as period_end
    from target as t
    where t.scope = 'branch' and t.year = $tahun and t.target_villages is not null
    group by t.scope_code
),

evaluasi as (
    select
        o.branch_code,
        evaluation_date((select as_of from snapshot), s.period_end, $tahun) as evaluated_on,
        evaluation_date((select prev_as_of from snapshot), s.period_end, $tahun) as evaluated_prev
    from (select distinct branch_code from cabang) as o
    left join sasaran as s on s.branch_code = o.branch_code
),

kini as (
    select
        d.branch_code,
        count(*) filter (where certified_by(d.certified_on, d.revoked_on, e.evaluated_on)) as certified,
        count(*) filter (where d.status in ('proposed', 'verified')) as pipeline,
        sum(d.aparatur_active)::bigint as aparatur,
        coalesce(sum(d.participants_active) filter (where d.status = 'certified'), 0)::bigint
            as participants_certified,
        certified_coverage(d.participants_active, d.workforce_estimate, d.status) as coverage,
        count(*) filter (where d.status = 'certified' and d.certified_on > (select prev_as_of from snap)
            and d.certified_on <= e.evaluated_on)
            as certified_new
    from desa as d
    join evaluasi as e on e.branch_code = d.branch_code
    group by d.branch_code
),

lalu as (
    select
        d.branch_code,
        count(*) filter (where certified_by(d.certified_on, d.revoked_on, e.evaluated_prev)) as certified,
        sum(d.aparatur_active)::bigint as aparatur,
        coalesce(sum(d.participants_active) filter (where d.status = 'certified'), 0)::bigint
            as participants_certified,
        certified_coverage(d.participants_active, d.workforce_estimate, d.status) as coverage
    from desa_prev as d
    join evaluasi as e on e.branch_code = d.branch_code
    group by d.branch_code
),

ukur as (
    select
        c.branch_code,
        c.name as branch_name,
        c.name_basis,
        c.region_code,
        w.name as region_name,
        coalesce(k.certified, 0) as certified,
        s.target,
        case when s.target > 0 then coalesce(k.certified, 0) / s.target end as pct_target,
        coalesce(k.pipeline, 0) as pipeline,
        coalesce(k.aparatur, 0) as aparatur,
        coalesce(k.participants_certified, 0) as participants_certified,
        k.coverage,
        case when snap.has_prev then coalesce(k.certified_new, 0) end as certified_new,
        snap.has_prev,
        coalesce(l.certified, 0) as certified_prev,
        case when s.target > 0 then coalesce(l.certified, 0) / s.target end as pct_target_prev,
        coalesce(l.aparatur, 0) as aparatur_prev,
        coalesce(l.participants_certified, 0) as participants_certified_prev,
        l.coverage as coverage_prev
    from cabang as c
    cross join snap
    join wilayah as w on w.region_code = c.region_code
    left join kini as k on k.branch_code = c.branch_code
    left join lalu as l on l.branch_code = c.branch_code
    left join sasaran as s on s.branch_code = c.branch_code
),

nilai as (
    select
        u.*,
        office_measure($ukuran, u.pct_target, u.certified, u.participants_certified, u.coverage, u.aparatur) as value,
        case when u.has_prev then
            office_measure(
                $ukuran, u.pct_target_prev, u.certified_prev, u.participants_certified_prev, u.coverage_prev,
                u.aparatur_prev
            )
        end as value_prev,
        target_band(u.pct_target) as band
    from ukur as u
),

peringkat as (
    select
        n.*,
        case when n.value is not null then
            rank() over (partition by n.value is null order by n.value desc) end as rank,
        case when n.value_prev is not null then
            rank() over (partition by n.value_prev is null order by n.value_prev desc) end as rank_prev,
        row_number() over (partition by n.band
            order by n.pct_target desc nulls last, n.certified desc, n.branch_name, n.branch_code) = 1 as band_leader,
        coalesce(n.certified_new, 0) > 0 and row_number() over (partition by n.band
            order by n.certified_new desc nulls last, n.pct_target desc nulls last, n.branch_name, n.branch_code) = 1
            as band_mover
    from nilai as n
)

select
    p.rank,
    p.branch_code,
    p.branch_name,
    p.name_basis,
    p.region_code,
    p.region_name,
    p.value,
    p.certified,
    p.target,
    p.pct_target,
    p.pipeline,
    p.aparatur,
    p.participants_certified,
    p.coverage,
    p.certified_new,
    p.rank_prev,
    rank_movement(p.rank, p.rank_prev, p.has_prev) as movement,
    case when p.rank is not null and p.rank_prev is not null then p.rank_prev - p.rank end as places,
    p.band,
    p.band_leader,
    p.band_mover
from peringkat as p
order by p.rank nulls last, p.branch_name, p.branch_code
