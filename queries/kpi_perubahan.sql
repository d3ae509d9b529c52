-- KPI cards: headline counts of the current scope now and at the previous snapshot, and the change.
-- Parameters: none. Grain: one row.
-- certified: villages with status certified; aparatur: active aparatur desa participants in all villages;
-- participants_certified: active participants in certified villages; coverage_certified: those participants
-- (capped at each village's workforce estimate) over the estimated workforce of certified villages (NULL if none).
-- *_prev are NULL when there is no previous snapshot; *_change = now - prev.
with sekarang as (
    select
        count(*) filter (where status = 'certified') as certified,
        coalesce(sum(aparatur_active), 0) as aparatur,
        coalesce(sum(participants_active) filter (where status = 'certified'), 0) as participants_certified,
        certified_coverage(participants_active, workforce_estimate, status) as coverage_certified
    from desa
),

sebelumnya as (
    select
        count(*) filter (where status = 'certified') as certified,
        coalesce(sum(aparatur_active), 0) as aparatur,
        coalesce(sum(participants_active) filter (where status = 'certified'), 0) as participants_certified,
        certified_coverage(participants_active, workforce_estimate, status) as coverage_certified
    from desa_prev
    having (select prev_id from snapshot) is not null
)

select
    n.snapshot_id,
    n.as_of,
    n.prev_id,
    n.prev_as_of,
    s.certified,
    p.certified as certified_prev,
    s.certified - p.certified as certified_change,
    s.aparatur::bigint as aparatur,
    p.aparatur::bigint as aparatur_prev,
    (s.aparatur - p.aparatur)::bigint as aparatur_change,
    s.participants_certified::bigint as participants_certified,
    p.participants_certified::bigint as participants_certified_prev,
    (s.participants_certified - p.participants_certified)::bigint as participants_certified_change,
    s.coverage_certified,
    p.coverage_certified as coverage_certified_prev,
    s.coverage_certified - p.coverage_certified as coverage_certified_change
from snapshot as n
cross join sekarang as s
left join sebelumnya as p on true
