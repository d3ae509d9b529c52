-- office_ranking(tingkat, target_year, ukuran): the offices of one grain ranked on one measure, the question that
-- cabang_peringkat.sql (tingkat 'branch') and wilayah_peringkat.sql (tingkat 'region') ask; they add the
-- columns only their grain has. target_year: the target year; ukuran: the measure (queries/macros/office_measure.sql).
-- Grain: one row per visible office of the grain (also those without villages); office_code, office_name.
-- Figures: certified villages against the office's target, pipeline, aparatur, participants and workforce
-- coverage in certified villages (queries/macros/certified_coverage.sql); the rank on the measure now and at
-- the previous snapshot; the band of % of target with its leader and fastest mover.
-- Rules: higher is better; equal values share a rank (standard competition ranking: 1, 1, 3); rows without a
-- value (no target or a target of 0 for % of target, no certified village for coverage) are unranked. % of
-- target is certified / target when target > 0. Certified (and % of target) count villages certified by the
-- evaluation date (evaluation_date.sql, certified_by.sql), the same rule as target_capaian.sql.
-- certified_new = villages certified after the previous snapshot's date (NULL when there is no previous snapshot).
-- Band leader: highest % of target, then more certified villages, then name. Fastest mover: most villages
-- certified since the previous snapshot (at least 1), then higher % of target, then name.
create macro main.office_ranking(tingkat, target_year, ukuran) as table
with snap as (
    select prev_id is not null as has_prev, prev_as_of
    from snapshot
),

kantor as (
    -- a branch is listed with its region (as the branch ranking shows both)
    select c.branch_code as office_code, c.name as office_name
    from cabang as c
    join wilayah as w on w.region_code = c.region_code
    where tingkat = 'branch'
    union all
    select w.region_code as office_code, w.name as office_name
    from wilayah as w
    where tingkat = 'region'
),

-- a village's office at this grain
desa_kini as (
    select
        d.*,
        case tingkat when 'branch' then d.branch_code when 'region' then d.region_code end as office_code
    from desa as d
),

desa_lalu as (
    select
        d.*,
        case tingkat when 'branch' then d.branch_code when 'region' then d.region_code end as office_code
    from desa_prev as d
),

sasaran as (
    select t.scope_code as office_code, sum(t.target_villages)::bigint as target, max(t.period_end)::date as period_end
    from target as t
    where t.scope = tingkat and t.year = target_year and t.target_villages is not null
    group by t.scope_code
),

evaluasi as (
    select
        o.office_code,
        evaluation_date((select as_of from snapshot), s.period_end, target_year) as evaluated_on,
        evaluation_date((select prev_as_of from snapshot), s.period_end, target_year) as evaluated_prev
    from (
        select distinct office_code from kantor
    ) as o
    left join sasaran as s on s.office_code = o.office_code
),

kini as (
    select
        d.office_code,
        count(*) filter (where certified_by(d.certified_on, d.revoked_on, e.evaluated_on)) as certified,
        count(*) filter (where d.status in ('proposed', 'verified')) as pipeline,
        sum(d.aparatur_active)::bigint as aparatur,
        coalesce(sum(d.participants_active) filter (where d.status = 'certified'), 0)::bigint
            as participants_certified,
        certified_coverage(d.participants_active, d.workforce_estimate, d.status) as coverage,
        count(*) filter (where d.status = 'certified' and d.certified_on > (select prev_as_of from snap)
            and d.certified_on <= e.evaluated_on)
            as certified_new
    from desa_kini as d
    join evaluasi as e on e.office_code = d.office_code
    group by d.office_code
),

lalu as (
    select
        d.office_code,
        count(*) filter (where certified_by(d.certified_on, d.revoked_on, e.evaluated_prev)) as certified,
        sum(d.aparatur_active)::bigint as aparatur,
        coalesce(sum(d.participants_active) filter (where d.status = 'certified'), 0)::bigint
            as participants_certified,
        certified_coverage(d.participants_active, d.workforce_estimate, d.status) as coverage
    from desa_lalu as d
    join evaluasi as e on e.office_code = d.office_code
    group by d.office_code
),

ukur as (
    select
        o.office_code,
        o.office_name,
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
    from kantor as o
    cross join snap
    left join kini as k on k.office_code = o.office_code
    left join lalu as l on l.office_code = o.office_code
    left join sasaran as s on s.office_code = o.office_code
),

nilai as (
    select
        u.*,
        office_measure(ukuran, u.pct_target, u.certified, u.participants_certified, u.coverage, u.aparatur) as value,
        case when u.has_prev then
            office_measure(
                ukuran, u.pct_target_prev, u.certified_prev, u.participants_certified_prev, u.coverage_prev,
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
            order by n.pct_target desc nulls last, n.certified desc, n.office_name, n.office_code) = 1 as band_leader,
        coalesce(n.certified_new, 0) > 0 and row_number() over (partition by n.band
            order by n.certified_new desc nulls last, n.pct_target desc nulls last, n.office_name, n.office_code) = 1
            as band_mover
    from nilai as n
)

select
    p.rank,
    p.office_code,
    p.office_name,
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
