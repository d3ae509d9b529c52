-- Certifications per calendar year in the current scope (events from `bulanan`: a village certified in a
-- year counts in that year even if revoked later; revocations are counted in the year they happen).
-- Parameters: none. Grain: one row per year, from the first year with any programme event to the as-of year
-- (only the as-of year when there is none). to_date is true for the as-of year unless the as-of date is 31 December.
with per_tahun as (
    select
        year(month) as year,
        sum(certified) as certified,
        sum(revoked) as revoked,
        sum(proposed + verified + certified + revoked) as events
    from bulanan
    group by year(month)
),

rentang as (
    select
        coalesce(min(year) filter (where events > 0), year(n.as_of)) as first_year,
        year(n.as_of) as last_year,
        any_value(n.as_of) as as_of
    from snapshot as n
    left join per_tahun on true
    group by year(n.as_of)
),

tahun as (
    select unnest(generate_series(r.first_year, r.last_year)) as year, r.as_of
    from rentang as r
)

select
    t.year::integer as year,
    coalesce(p.certified, 0)::bigint as certified,
    coalesce(p.revoked, 0)::bigint as revoked,
    t.year = year(t.as_of) and not (month(t.as_of) = 12 and day(t.as_of) = 31) as to_date
from tahun as t
left join per_tahun as p using (year)
order by t.year
