-- Region ranking: certified villages against the region target, pipeline, aparatur, participants and
-- workforce coverage in certified villages; the rank on the chosen measure now and at the previous
-- snapshot; the band of % of target with its leader and fastest mover.
-- Parameters: $tahun (target year), $ukuran (measure: persen_target | tersertifikasi | peserta | cakupan | aparatur).
-- Grain: one row per visible region (wilayah). Counts cover the villages visible in the scope.
-- Rules as in cabang_peringkat.sql: higher is better; equal values share a rank (standard competition
-- ranking: 1, 1, 3); rows without a value are unranked and listed last; within a rank, by name.
with snap as (
    select prev_id is not null as has_prev, prev_as_of
    from snapshot
),

sasaran as (
    select t.scope_code as region_code, sum(t.target_villages)::bigint as target, max(t.period_end)::date as period_end
    from target as t
    where t.scope = 'region' and t.year = $tahun and t.target_villages is not null
    group by t.scope_code
),

evaluasi as (
    select
        o.region_code,
        evaluation_date((select as_of from snapshot), s.period_end, $tahun) as evaluated_on,
        evaluation_date((select prev_as_of from snapshot), s.period_end, $tahun) as evaluated_prev
    from (select distinct region_code from wilayah) as o
    left join sasaran as s on s.region_code = o.region_code
),

kantor as (
    select c.region_code, count(*) as branches
    from cabang as c
    group by c.region_code
),

kini as (
    select
        d.region_code,
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
    join evaluasi as e on e.region_code = d.region_code
    group by d.region_code
),

lalu as (
    select
        d.region_code,
        count(*) filter (where certified_by(d.certified_on, d.revoked_on, e.evaluated_prev)) as certified,
        sum(d.aparatur_active)::bigint as aparatur,
        coalesce(sum(d.participants_active) filter (where d.status = 'certified'), 0)::bigint
            as participants_certified,
        certified_coverage(d.participants_active, d.workforce_estimate, d.status) as coverage
    from desa_prev as d
    join evaluasi as e on e.region_code = d.region_code
    group by d.region_code
),

ukur as (
    select
        w.region_code,
        w.name as region_name,
        coalesce(b.branches, 0) as branches,
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
    from wilayah as w
    cross join snap
    left join kantor as b on b.region_code = w.region_code
    left join kini as k on k.region_code = w.region_code
    left join lalu as l on l.region_code = w.region_code
    left join sasaran as s on s.region_code = w.region_code
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
            order by n.pct_target desc nulls last, n.certified desc, n.region_name, n.region_code) = 1 as band_leader,
        coalesce(n.certified_new, 0) > 0 and row_number() over (partition by n.band
            order by n.certified_new desc nulls last, n.pct_target desc nulls last, n.region_name, n.region_code) = 1
            as band_mover
    from nilai as n
)

select
    p.rank,
    p.region_code,
    p.region_name,
    p.branches,
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
order by p.rank nulls last, p.region_name, p.region_code
