-- Derived at publish time: one row per village of the register (status 'none' when not in the programme).
-- Inputs: villages, enrollments (this snapshot), reference tables. Variable: as_of (date).
-- Grain: village_code. Pages read this instead of raw enrollments.
with peserta as (
    select
        e.village_code,
        count(*) as participants,
        count(*) filter (where e.active) as participants_active,
        -- One aparatur definition (desasadar/domain.py APARATUR): kepala desa + perangkat desa.
        -- RT/RW heads and other village staff are counted apart (rtrw_staf_active), never inside it.
        count(*) filter (where e.active and e.occupation in ('kepala_desa', 'perangkat_desa')) as aparatur_active,
        count(*) filter (where e.active and e.occupation in ('ketua_rt_rw', 'pegawai_non_pns')) as rtrw_staf_active,
        count(*) filter (where e.active and e.occupation in ('kepala_desa', 'perangkat_desa')) as officials_active,
        count(*) filter (where e.active and e.segment = 'PU') as seg_pu,
        count(*) filter (where e.active and e.segment = 'BPU') as seg_bpu,
        count(*) filter (where e.active and e.segment = 'JAKON') as seg_jakon,
        count(*) filter (where e.active and e.segment = 'PMI') as seg_pmi,
        count(*) filter (where e.active and e.jkk) as prog_jkk,
        count(*) filter (where e.active and e.jkm) as prog_jkm,
        count(*) filter (where e.active and e.jht) as prog_jht,
        count(*) filter (where e.active and e.jp) as prog_jp
    from enrollments as e
    group by e.village_code
),

desa as (
    select
        r.village_code,
        r.name as village_name,
        r.kind,
        r.district_code,
        kc.name as district_name,
        r.regency_code,
        kb.name as regency_name,
        r.province_code,
        pv.name as province_name,
        v.branch_code,
        cb.name as branch_name,
        v.region_code,
        wl.name as region_name,
        r.lat,
        r.lon,
        r.geo_precision,
        coalesce(v.status, 'none') as status,
        v.proposed_on,
        v.verified_on,
        v.certified_on,
        v.revoked_on,
        coalesce(v.head_enrolled, false) as head_enrolled,
        coalesce(v.officials_total, 0) as officials_total,
        coalesce(v.officials_enrolled, 0) as officials_enrolled,
        coalesce(v.agent_appointed, false) as agent_appointed,
        coalesce(v.village_regulation, false) as village_regulation,
        coalesce(v.workforce_estimate, 0) as workforce_estimate
    from ref_desa as r
    left join villages as v on v.village_code = r.village_code
    left join kecamatan as kc on kc.district_code = r.district_code
    left join kabupaten as kb on kb.regency_code = r.regency_code
    left join provinsi as pv on pv.province_code = r.province_code
    left join cabang as cb on cb.branch_code = v.branch_code
    left join wilayah as wl on wl.region_code = v.region_code
)

select
    d.*,
    coalesce(p.participants, 0) as participants,
    coalesce(p.participants_active, 0) as participants_active,
    coalesce(p.aparatur_active, 0) as aparatur_active,
    coalesce(p.rtrw_staf_active, 0) as rtrw_staf_active,
    coalesce(p.officials_active, 0) as officials_active,
    coalesce(p.seg_pu, 0) as seg_pu,
    coalesce(p.seg_bpu, 0) as seg_bpu,
    coalesce(p.seg_jakon, 0) as seg_jakon,
    coalesce(p.seg_pmi, 0) as seg_pmi,
    coalesce(p.prog_jkk, 0) as prog_jkk,
    coalesce(p.prog_jkm, 0) as prog_jkm,
    coalesce(p.prog_jht, 0) as prog_jht,
    coalesce(p.prog_jp, 0) as prog_jp,
    case when d.workforce_estimate > 0
        then least(coalesce(p.participants_active, 0) / d.workforce_estimate, 1.0) end as coverage,
    (d.head_enrolled::int
        + officials_ok(d.officials_total, d.officials_enrolled)::int
        + d.agent_appointed::int
        + d.village_regulation::int) as criteria_met,
    -- certification order: nationally and within the branch (ties on a day by village code)
    case when d.certified_on is not null then
        row_number() over (partition by d.certified_on is not null order by d.certified_on, d.village_code) end
        as certified_seq_national,
    case when d.certified_on is not null then
        row_number() over (partition by d.certified_on is not null, d.branch_code order by d.certified_on, d.village_code) end
        as certified_seq_branch,
    case when d.certified_on is not null and d.proposed_on is not null
        then date_diff('day', d.proposed_on, d.certified_on) end as days_to_certify
from desa as d
left join peserta as p on p.village_code = d.village_code
order by d.village_code
