-- rank_movement(rank, rank_prev, has_prev): how a ranked row moved since the previous snapshot:
-- 'up' | 'down' | 'same' | 'new' (not ranked then); NULL when it is unranked now or there is no
-- previous snapshot. The places moved are rank_prev - rank (positive: up).
create macro main.rank_movement(rank_now, rank_prev, has_prev) as
case
    when rank_now is null or not has_prev then null
    when rank_prev is null then 'new'
    when rank_prev > rank_now then 'up'
    when rank_prev < rank_now then 'down'
    else 'same'
end
