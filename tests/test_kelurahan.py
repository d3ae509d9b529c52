"""Kelurahan are outside the programme: ingest rejects a kelurahan row that proposes or certifies it, or
that enrolls a kepala desa / perangkat desa there, with a clear reason; the demo never does either."""
from __future__ import annotations

import pandas as pd

from desasadar import i18n, reference
from desasadar.ingest import publish as P

from .ingest_world import AS_OF, publish_base

KAWAL = "21.01.04.1005"  # kelurahan Kawal, Kab. Bintan (KC Tanjung Pinang)
STATUS_HEAD = ("kode_cabang;kode_desa;status_program;tanggal_diusulkan;tanggal_diverifikasi;tanggal_sertifikasi;"
               "tanggal_dicabut;kepala_desa_terdaftar;jumlah_perangkat_desa;perangkat_desa_terdaftar;agen_ditunjuk;"
               "perdes_jaminan_sosial;estimasi_angkatan_kerja\n")
ENROLL_HEAD = "kode_cabang;kode_desa;id_peserta;segmen;pekerjaan;jkk;jkm;jht;jp;tanggal_daftar;iuran_sampai;aktif\n"


def test_register_knows_kawal_is_a_kelurahan():
    d = reference.table("desa.parquet").set_index("village_code")
    assert d.at[KAWAL, "kind"] == "kelurahan" and d.at["21.01.10.2002", "kind"] == "desa"


def test_ingest_rejects_kelurahan_in_the_programme(data_dir, tmp_path):
    publish_base(data_dir)
    status = tmp_path / "status.csv"
    status.write_text(STATUS_HEAD
                      + f"tanjung-pinang;{KAWAL};diusulkan;01/07/2018;;;;ya;12;5;tidak;tidak;2300\n"
                      + "tanjung-pinang;21.01.06.1008;belum;;;;;tidak;0;0;tidak;tidak;900\n")
    enroll = tmp_path / "peserta.csv"
    enroll.write_text(ENROLL_HEAD
                      + f"tanjung-pinang;{KAWAL};K1;BPU;kepala desa;ya;ya;tidak;tidak;01/07/2018;08/2018;aktif\n"
                      + f"tanjung-pinang;{KAWAL};K2;BPU;perangkat desa;ya;ya;tidak;tidak;01/07/2018;08/2018;aktif\n"
                      + f"tanjung-pinang;{KAWAL};K3;BPU;nelayan;ya;ya;tidak;tidak;01/07/2018;08/2018;aktif\n")
    r = P.ingest([status, enroll], AS_OF, base=data_dir, publish=False)
    rows = r.problems[r.problems.level == "row"]
    got = sorted((x.file, int(x.row), x.column, x.reason) for x in rows.itertuples())
    assert ("status.csv", 2, "status_program", "kelurahan_outside_programme") in got
    assert ("peserta.csv", 2, "pekerjaan", "kelurahan_no_desa_officials") in got
    assert ("peserta.csv", 3, "pekerjaan", "kelurahan_no_desa_officials") in got
    # a kelurahan with status "belum" (not in the programme) and a fisherman in a kelurahan are fine
    assert not [g for g in got if g[:2] in (("status.csv", 3), ("peserta.csv", 4)) and "kelurahan" in g[3]]
    for reason in ("kelurahan_outside_programme", "kelurahan_no_desa_officials"):
        for lang in ("id", "en"):
            assert "kelurahan" in i18n.t(f"data.reason.{reason}", lang)


def test_demo_never_puts_kelurahan_in_the_programme(demo_dir):
    snap = demo_dir / "snapshots" / "2018-12-31"
    v = pd.read_parquet(snap / "villages.parquet").astype({"village_code": str, "status": str})
    kind = reference.table("desa.parquet").set_index("village_code")["kind"]
    v["kind"] = v["village_code"].map(kind)
    assert (v.loc[v["kind"] == "kelurahan", "status"] == "none").all()
    e = pd.read_parquet(snap / "enrollments.parquet", columns=["village_code", "occupation"]).astype(str)
    in_kel = e[e["village_code"].map(kind) == "kelurahan"]
    assert not in_kel["occupation"].isin(["kepala_desa", "perangkat_desa", "ketua_rt_rw", "pegawai_non_pns"]).any()
