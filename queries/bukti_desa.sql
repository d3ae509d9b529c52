-- The evidence on file for one village: certificate, berita acara and ceremony photos, newest first per kind.
-- Parameters: $village_code ('21.01.10.2002'). Grain: one row per attached file; none outside the scope.
select
    b.bukti_id,
    b.village_code,
    b.kind,
    b.sha256,
    b.size_bytes,
    b.media_type,
    b.caption,
    b.cert_number,
    b.cert_date::date as cert_date,
    b.who,
    b.added_at,
    b.original_name,
    b.width,
    b.height,
    b.photo_lat,
    b.photo_lon,
    b.distance_km,
    coalesce(b.far, false) as far
from bukti as b
where b.village_code = $village_code
order by
    case b.kind when 'sertifikat' then 1 when 'berita_acara' then 2 else 3 end,
    b.added_at desc,
    b.bukti_id
