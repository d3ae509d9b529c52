-- Certified villages with no certificate on file ("bukti belum lengkap"), per branch, in the scope.
-- A village counts as complete once at least one certificate (kind 'sertifikat') is attached; photos and the
-- berita acara are counted alongside so a branch sees what else is missing.
-- Parameters: none. Grain: one row per certified village without a certificate, oldest certification first.
with per_desa as (
    select
        village_code,
        count(*) filter (where kind = 'berita_acara') as berita_acara,
        count(*) filter (where kind = 'foto') as photos
    from bukti
    group by village_code
),

bersertifikat as (
    select distinct village_code
    from bukti
    where kind = 'sertifikat'
)

select
    d.branch_code,
    d.branch_name,
    -- 'assumed': the office's seat and territory are assumed (shown "perkiraan"; desasadar/offices.py)
    (select c.name_basis from cabang as c where c.branch_code = d.branch_code) as branch_basis,
    d.region_name,
    d.village_code,
    d.village_name,
    d.kind,
    d.regency_name,
    d.certified_on,
    coalesce(p.berita_acara, 0) as berita_acara,
    coalesce(p.photos, 0) as photos
from desa as d
left join per_desa as p on p.village_code = d.village_code
where
    d.status = 'certified'
    and d.village_code not in (select s.village_code from bersertifikat as s)
order by d.branch_name, d.certified_on, d.village_code
