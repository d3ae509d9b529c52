-- evaluation_date(as_of, period_end, target_year): the day a target year's figures are counted on,
-- the data date or the target's deadline if that is earlier (31 December of the year when there is no
-- target). One rule for the gauge, pace, rankings and per-unit splits.
create macro main.evaluation_date(as_of, period_end, target_year) as
least(as_of, coalesce(period_end, make_date(target_year, 12, 31)))
