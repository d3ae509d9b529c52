-- target_band(pct_target): the band of an office's share of its target, for the Peringkat band cards
-- (desasadar/ranking.py BANDS): ge100 | 75_100 | 50_75 | 25_50 | lt25, 'none' without a target.
create macro main.target_band(pct_target) as
case
    when pct_target is null then 'none'
    when pct_target >= 1 then 'ge100'
    when pct_target >= 0.75 then '75_100'
    when pct_target >= 0.5 then '50_75'
    when pct_target >= 0.25 then '25_50'
    else 'lt25'
end
