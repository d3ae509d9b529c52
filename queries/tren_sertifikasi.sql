-- Trend of the current scope: one point per snapshot up to the served one (from `riwayat`).
-- Parameters: none. Grain: snapshot_id.
-- certified: villages certified at that snapshot; revoked: villages revoked by then; aparatur: active aparatur
-- desa; participants_certified / coverage_certified as in kpi_perubahan.sql. Snapshots with no row count zero.
with per_snapshot as (
    select
        snapshot_id,
        count(*) filter (where status = 'certified') as certified,
        count(*) filter (where status = 'revoked') as revoked,
        sum(aparatur_active) as aparatur,
        sum(participants_active) filter (where status = 'certified') as participants_certified,
        certified_coverage(participants_active, workforce_estimate, status) as coverage_certified
    from riwayat
    group by snapshot_id
)

select
    s.snapshot_id,
    s.as_of,
    coalesce(p.certified, 0) as certified,
    coalesce(p.revoked, 0) as revoked,
    coalesce(p.aparatur, 0)::bigint as aparatur,
    coalesce(p.participants_certified, 0)::bigint as participants_certified,
    p.coverage_certified
from snapshots as s
left join per_snapshot as p using (snapshot_id)
order by s.as_of, s.snapshot_id
