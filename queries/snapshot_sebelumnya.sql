-- The snapshot served and the one before it (by as-of date), for "since <date>" labels and rank changes.
-- Parameters: none. Grain: one row.
select
    s.snapshot_id,
    s.as_of,
    s.prev_id,
    s.prev_as_of
from snapshot as s
