-- Per regency (kabupaten/kota) in scope: villages, programme counts, aparatur and participants.
-- Parameters: $regency_code (varchar, dotted '21.01'; NULL = every regency in scope).
-- Grain: regency_code.
with dalam_cakupan as (
    select *
    from desa
    where $regency_code is null or regency_code = $regency_code
)

select
    regency_code,
    any_value(regency_name) as regency_name,
    any_value(province_name) as province_name,
    count(*) as villages,
    count(*) filter (where status = 'certified') as certified,
    count(*) filter (where status in ('proposed', 'verified')) as pipeline,
    sum(aparatur_active) as aparatur_active,
    sum(participants_active) as participants_active
from dalam_cakupan
group by regency_code
order by regency_code
