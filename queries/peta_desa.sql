-- Programme villages (status other than 'none') in the current scope, for the map: names,
-- status and its date, active participants, point, and the location check.
-- lokasi_cek is null when the point is sound; otherwise why not: not drawn ('tanpa_koordinat', 'luar_indonesia',
-- 'luar_provinsi') or drawn as approximate ('titik_kecamatan', 'jauh_dari_kecamatan', 'luar_kabupaten');
-- see scripts/build_lokasi_cek.py.
-- Parameters: none. Grain: village_code.
with program as (
    select
        d.village_code,
        d.village_name,
        d.kind,
        d.district_name,
        d.regency_code,
        d.regency_name,
        d.province_name,
        d.branch_code,
        d.branch_name,
        -- 'assumed': the office's seat and territory are assumed (shown "perkiraan"; desasadar/offices.py)
        (select c.name_basis from cabang as c where c.branch_code = d.branch_code) as branch_basis,
        d.status,
        case d.status
            when 'proposed' then d.proposed_on
            when 'verified' then d.verified_on
            when 'certified' then d.certified_on
            when 'revoked' then d.revoked_on
        end as status_on,
        d.certified_seq_national,
        d.participants_active,
        d.aparatur_active,
        d.lat,
        d.lon
    from desa as d
    where d.status <> 'none'
)

select
    p.*,
    case
        when p.lat is null or p.lon is null then 'tanpa_koordinat'
        else l.reason::varchar
    end as lokasi_cek
from program as p
left join lokasi_cek as l on l.village_code = p.village_code
order by p.village_code
