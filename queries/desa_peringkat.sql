-- Village ranking within the scope: certified villages by active participants, by share of their
-- workforce covered, or by days from proposal to certification; with the rank at the previous snapshot.
-- Parameters: $ukuran (measure: peserta | cakupan | hari).
-- Grain: one row per certified village visible in the scope.
-- Rules: peserta and cakupan rank higher values first, hari ranks fewer days first; equal values share a
-- rank (standard competition ranking: 1, 1, 3); villages without a value (no workforce estimate, no
-- proposal date) are unranked and listed last; within a rank, by village name, then code.
-- movement: 'new' for a village not ranked at the previous snapshot (e.g. certified since), NULL when
-- there is no previous snapshot.
with snap as (
    select prev_id is not null as has_prev
    from snapshot
),

kini as (
    select
        d.village_code,
        d.village_name,
        d.district_name,
        d.regency_name,
        d.branch_code,
        d.branch_name,
        -- 'assumed': the office's seat and territory are assumed (shown "perkiraan"; desasadar/offices.py)
        (select c.name_basis from cabang as c where c.branch_code = d.branch_code) as branch_basis,
        d.region_name,
        d.certified_on,
        d.participants_active,
        d.workforce_estimate,
        d.coverage,
        d.days_to_certify,
        case $ukuran
            when 'peserta' then d.participants_active
            when 'cakupan' then d.coverage
            when 'hari' then d.days_to_certify
            else error('unknown measure: ' || $ukuran)
        end::double as value
    from desa as d
    where d.status = 'certified'
),

lalu as (
    select
        d.village_code,
        rank() over (order by case $ukuran
            when 'peserta' then -d.participants_active
            when 'cakupan' then -d.coverage
            when 'hari' then d.days_to_certify
        end::double) as rank_prev,
        case $ukuran
            when 'peserta' then d.participants_active
            when 'cakupan' then d.coverage
            when 'hari' then d.days_to_certify
        end::double as value_prev
    from desa_prev as d
    where d.status = 'certified'
),

peringkat as (
    select
        k.*,
        case when k.value is not null then rank() over (
            partition by k.value is null
            order by case when $ukuran = 'hari' then k.value else -k.value end) end as rank,
        case when l.value_prev is not null then l.rank_prev end as rank_prev,
        snap.has_prev
    from kini as k
    cross join snap
    left join lalu as l on l.village_code = k.village_code
)

select
    p.rank,
    p.village_code,
    p.village_name,
    p.district_name,
    p.regency_name,
    p.branch_code,
    p.branch_name,
    p.branch_basis,
    p.region_name,
    p.certified_on,
    p.value,
    p.participants_active,
    p.workforce_estimate,
    p.coverage,
    p.days_to_certify,
    p.rank_prev,
    rank_movement(p.rank, p.rank_prev, p.has_prev) as movement,
    case when p.rank is not null and p.rank_prev is not null then p.rank_prev - p.rank end as places
from peringkat as p
order by p.rank nulls last, p.village_name, p.village_code
