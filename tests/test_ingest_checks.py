"""Row and cross-table checks: each hand-written bad row gives the reason we expect, at the
right file, row, column and value; good rows pass."""
from __future__ import annotations

import pytest

from desasadar import i18n, snapshots
from desasadar.ingest import publish as P

from .ingest_world import AS_OF, FIX, publish_base



@pytest.fixture
def base(data_dir):
    publish_base(data_dir)
    return data_dir


def found(report, file=None):
    p = report.problems
    p = p[p["level"] == "row"]
    if file:
        p = p[p["file"] == file]
    return sorted((int(r.row), r.column, r.reason) for r in p.itertuples())


def test_good_files_pass(base):
    r = P.ingest([FIX / "status_desa_tanjung-pinang.csv", FIX / "kepesertaan_tanjung-pinang.csv"], AS_OF,
                 base=base, publish=False)
    assert r.ok and r.rejected == 0 and r.base == "2018-07-31", r.problems
    assert r.tables["status_desa"]["rows"] == 3 and r.tables["kepesertaan"]["rows"] == 5
    assert [n for n in r.problems["reason"]] == ["blank_rows_skipped"]


def test_every_bad_village_row_is_reported_where_it_is(base):
    r = P.ingest([FIX / "status_desa_bad.csv"], AS_OF, base=base, publish=False)
    assert found(r) == [
        (3, "status_program", "illegal_transition"),      # Ekang Anculai was verified: cannot go back to proposed
        (4, "perangkat_desa_terdaftar", "officials_over_total"),
        (4, "status_program", "missing_dates"),           # verified without a verification date
        (5, "tanggal_diusulkan", "not_a_date"),           # 31/02/2018 (and not reported again as a missing date)
        (6, "tanggal_diusulkan", "dates_out_of_order"),   # proposed after verified
        (7, "status_program", "illegal_transition"),      # revoked without ever being certified
        (8, "kode_desa", "unknown_village"),
        (9, "kode_cabang", "branch_not_serving"),         # an Agam village reported by KC Tanjung Pinang
        (10, "estimasi_angkatan_kerja", "not_whole_number"),  # 55,2
        (10, "jumlah_perangkat_desa", "negative_count"),
        (10, "kepala_desa_terdaftar", "not_yes_no"),
        (11, "status_program", "bad_status"),
        (12, "tanggal_diusulkan", "date_after_as_of"),
        (13, "kode_desa", "duplicate_conflict"),
        (14, "kode_desa", "duplicate_conflict"),
        (15, "estimasi_angkatan_kerja", "required"),
    ]
    p = r.problems.set_index(["row", "reason"])
    assert p.loc[(3, "illegal_transition"), "detail"] == "verified → proposed"
    assert p.loc[(3, "illegal_transition"), "value"] == "diusulkan"
    assert p.loc[(9, "branch_not_serving"), "detail"] == "13.06 → agam"
    assert p.loc[(13, "duplicate_conflict"), "detail"] == "status_desa_bad.csv baris 14"
    assert p.loc[(10, "not_whole_number"), "value"] == "55,2"
    # every row is rejected: far over 5%, so nothing may be published
    assert not r.ok and list(r.blocking["reason"]) == ["too_many_rejected"]


def test_every_bad_enrollment_row_is_reported(base):
    r = P.ingest([FIX / "kepesertaan_bad.csv"], AS_OF, base=base, publish=False)
    assert found(r) == [
        (2, "segmen", "not_eligible"),            # JAKON with JHT
        (3, "segmen", "not_eligible"),            # BPU with JP
        (4, "segmen", "not_eligible"),            # no JKK
        (5, "segmen", "bad_segment"),
        (6, "pekerjaan", "bad_occupation"),
        (7, "iuran_sampai", "paid_before_enrolled"),
        (8, "tanggal_daftar", "date_after_as_of"),
        (9, "kode_desa", "village_without_status"),
        (10, "kode_cabang", "branch_not_serving"),
        (11, "id_peserta", "duplicate_conflict"),
        (12, "id_peserta", "duplicate_conflict"),
        (14, "id_peserta", "duplicate_identical"),  # row 13 is kept
        (15, "aktif", "required"),
        (15, "tanggal_daftar", "required"),
    ]
    assert r.tables["kepesertaan"] == {"rows": 14, "accepted": 1, "rejected": 13, "share": 13 / 14}


def test_duplicates_across_files_and_transitions_vs_previous_snapshot(base, tmp_path):
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    head = "kode_cabang;kode_desa;status_program;tanggal_diusulkan;tanggal_diverifikasi;tanggal_sertifikasi;" \
           "tanggal_dicabut;kepala_desa_terdaftar;jumlah_perangkat_desa;perangkat_desa_terdaftar;agen_ditunjuk;" \
           "perdes_jaminan_sosial;estimasi_angkatan_kerja\n"
    a.write_text(head + "tanjung-pinang;21.04.01.2008;dicabut;01/02/2017;01/03/2017;10/04/2017;20/07/2018;ya;3;3;ya;ya;500\n"
                 "tanjung-pinang;21.01.04.2002;diverifikasi;01/07/2018;20/07/2018;;;ya;3;3;ya;ya;2300\n")
    b.write_text(head + "tanjung-pinang;21.01.04.2002;diverifikasi;01/07/2018;21/07/2018;;;ya;3;3;ya;ya;2300\n"
                 "tanjung-pinang;21.01.10.2002;tersertifikasi;15/05/2018;20/06/2018;01/08/2018;;ya;2;2;ya;ya;1400\n")
    r = P.ingest([a, b], AS_OF, base=base, publish=False)
    got = sorted((x.file, int(x.row), x.reason, x.detail) for x in r.problems[r.problems.level == "row"].itertuples())
    assert got == [
        ("a.csv", 3, "duplicate_conflict", "b.csv baris 2"),
        ("b.csv", 2, "duplicate_conflict", "a.csv baris 3"),
        ("b.csv", 3, "date_changed", "2018-05-14"),  # Ekang Anculai's proposal date was 14 May
    ]
    # Batu Berdaun: certified -> revoked is legal


def test_reasons_have_texts_in_both_languages(base):
    r = P.ingest([FIX / "status_desa_bad.csv", FIX / "kepesertaan_bad.csv", FIX / "kosong.csv"], AS_OF, base=base,
                 publish=False)
    for reason in set(r.problems["reason"]):
        for lang in ("id", "en"):
            assert i18n.t(f"data.reason.{reason}", lang) != f"data.reason.{reason}"
    en = r.frame("en")
    assert list(en.columns) == ["Level", "File", "Row", "Column", "Value", "Reason", "Sheet", "Reason code"]
    assert "Kemendagri register" in " ".join(en["Reason"])
    assert "Desa ini bukan wilayah kerja" in " ".join(r.frame("id")["Alasan"])


def test_enrollment_needs_a_status_row_now_or_in_the_base(data_dir):
    """No previous snapshot at all: villages come only from this batch's status reports."""
    both = P.ingest([FIX / "status_desa_tanjung-pinang.csv", FIX / "kepesertaan_tanjung-pinang.csv"], AS_OF,
                    base=data_dir, publish=False)
    assert both.base is None and both.ok and both.rejected == 0
    alone = P.ingest([FIX / "kepesertaan_tanjung-pinang.csv"], AS_OF, base=data_dir, publish=False)
    assert found(alone) == [(r, "kode_desa", "village_without_status") for r in range(2, 7)]
    assert snapshots.published(data_dir) == []
