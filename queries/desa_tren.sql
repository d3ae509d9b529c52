-- One village across all snapshots up to the served one: status and active participants at each.
-- Parameters: $village_code. Grain: one row per snapshot (a snapshot where the village was outside the
-- programme with no participants shows status 'none' and zeros).
-- Only the village's own rows count: empty when the village is outside the scope.
with riw as (
    select *
    from riwayat
    where village_code = $village_code
)

select
    s.snapshot_id,
    s.as_of,
    coalesce(r.status, 'none') as status,
    coalesce(r.participants_active, 0) as participants_active,
    coalesce(r.aparatur_active, 0) as aparatur_active
from snapshots as s
left join riw as r on r.snapshot_id = s.snapshot_id
where exists (select 1 from desa where village_code = $village_code)
order by s.as_of
