-- Regencies in the current scope, for the map's regency layer (choropleth by certified villages):
-- villages of the register, programme villages by status, active participants in certified villages.
-- Parameters: none. Grain: regency_code.
select
    d.regency_code,
    any_value(d.regency_name) as regency_name,
    any_value(d.province_name) as province_name,
    count(*) as villages,
    count(*) filter (where d.status = 'certified') as certified,
    count(*) filter (where d.status = 'verified') as verified,
    count(*) filter (where d.status = 'proposed') as proposed,
    count(*) filter (where d.status = 'revoked') as revoked,
    coalesce(sum(d.participants_active) filter (where d.status = 'certified'), 0) as participants_certified
from desa as d
group by d.regency_code
order by d.regency_code
