-- Pace to the target of the current scope: villages per month needed vs achieved, projected date, status.
-- Parameters: $year (integer, the target year). Grain: one row.
-- Definitions (a month is 30.4375 days, the average calendar month):
--   target           the scope's cumulative target for $year, from target_lingkup (NULL: no target set).
--   certified        villages certified on the evaluation date (as-of date, or the deadline if earlier).
--   months_left      (deadline - as-of date) in days / 30.4375; 0 once the deadline is reached.
--   needed_per_month remaining / months_left (NULL when there is no target, it is met or the deadline is reached).
--   pace_3m, pace_6m net certifications (certified minus revoked, from `bulanan`) per month over the last 3 / 6
--                    complete calendar months up to the as-of date (a month is complete when its last day is on
--                    or before the as-of date), divided by 3 / 6.
--   projected_on     as-of date + ceil(remaining / pace_3m * 30.4375) days, when something remains and pace_3m > 0.
--   status           no_target | achieved (certified >= target) | missed (deadline reached, not achieved)
--                    | on_track (pace_3m >= needed) | at_risk (pace_3m >= 0.75 x needed) | off_track (otherwise).
-- Rates are rounded to 2 decimals in the output; the status uses the unrounded values. The rule's constants
-- (0.75, 30.4375) come from the `aturan` CTE and are returned too, so the page states the rule it applies.
with aturan as (
    select 0.75 as at_risk_from, 30.4375 as days_per_month
),

sasaran as (
    select target_villages, period_end from target_lingkup($year)
),

evaluasi as (
    select
        s.target_villages,
        s.period_end,
        n.as_of,
        evaluation_date(n.as_of, s.period_end, $year) as evaluated_on,
        -- first day of the month after the last complete month
        date_trunc('month', n.as_of + interval 1 day)::date as window_end
    from sasaran as s
    cross join snapshot as n
),

capaian as (
    select
        count(*) filter (where certified_by(d.certified_on, d.revoked_on, e.evaluated_on)) as certified
    from desa as d
    cross join evaluasi as e
),

laju as (
    select
        coalesce(sum(b.certified - b.revoked) filter (
            where b.month >= e.window_end - interval 3 month and b.month < e.window_end
        ), 0) / 3.0 as pace_3m,
        coalesce(sum(b.certified - b.revoked) filter (
            where b.month >= e.window_end - interval 6 month and b.month < e.window_end
        ), 0) / 6.0 as pace_6m
    from evaluasi as e
    left join bulanan as b on b.month >= e.window_end - interval 6 month and b.month < e.window_end
),

hitung as (
    select
        e.*,
        c.certified,
        l.pace_3m,
        l.pace_6m,
        case when e.target_villages is not null then greatest(e.target_villages - c.certified, 0) end as remaining,
        case when e.period_end is not null then greatest(date_diff('day', e.as_of, e.period_end), 0) / a.days_per_month end
            as months_left,
        a.at_risk_from,
        a.days_per_month
    from evaluasi as e
    cross join capaian as c
    cross join laju as l
    cross join aturan as a
),

kebutuhan as (
    select
        h.*,
        case when h.remaining > 0 and h.months_left > 0 then h.remaining / h.months_left end as needed_per_month,
        case
            when h.target_villages is null then 'no_target'
            when h.certified >= h.target_villages then 'achieved'
            when h.months_left = 0 then 'missed'
            when h.pace_3m >= h.remaining / h.months_left then 'on_track'
            when h.pace_3m >= h.at_risk_from * h.remaining / h.months_left then 'at_risk'
            else 'off_track'
        end as status
    from hitung as h
)

select
    $year::integer as year,
    as_of,
    evaluated_on,
    period_end,
    target_villages::bigint as target_villages,
    certified,
    remaining::bigint as remaining,
    round(months_left, 2) as months_left,
    round(needed_per_month, 2) as needed_per_month,
    round(pace_3m, 2) as pace_3m,
    round(pace_6m, 2) as pace_6m,
    (window_end - interval 3 month)::date as window_3m_from,
    (window_end - interval 6 month)::date as window_6m_from,
    (window_end - interval 1 day)::date as window_to,
    case
        when remaining > 0 and pace_3m > 0 and status <> 'missed'
            then (as_of + to_days(ceil(remaining / pace_3m * days_per_month)::integer))::date
    end as projected_on,
    status,
    at_risk_from,
    days_per_month
from kebutuhan
