-- Pipeline of the current scope: villages by programme status now (each village counted once).
-- Parameters: none. Grain: one row per status, always four rows, in pipeline order.
with tahap as (
    select * from (values
        (1, 'proposed'),
        (2, 'verified'),
        (3, 'certified'),
        (4, 'revoked')
    ) as t (step, status)  -- the alias names the columns -- noqa: AL05
),

jumlah as (
    select status, count(*) as villages
    from desa
    where status <> 'none'
    group by status
)

select
    t.step,
    t.status,
    coalesce(j.villages, 0) as villages
from tahap as t
left join jumlah as j using (status)
order by t.step
