"""Desa page queries on tiny snapshots: checklist, breakdowns, trend, rank in branch, next ceremonies."""
from __future__ import annotations

from datetime import date

import pytest

from desasadar import db
from desasadar.scope import Scope

from .helpers import participant, publish, rows, village

EKANG = "21.01.10.2002"      # Ekang Anculai, KC Tanjung Pinang
BERAKIT = "21.01.10.2001"    # Berakit, same kecamatan
PENGUDANG = "21.01.10.2003"  # Pengudang
LAGOI = "21.01.10.2004"      # Sebong Lagoi
ACEH = "11.08.01.2001"       # Keude Alue Ie Puteh, KC Lhokseumawe (another branch, another region)
TP = Scope.of(branches=["tanjung-pinang"])
ALL = Scope.national()
LHOK = Scope.of(branches=["lhokseumawe"])


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """Two snapshots: 2018-06-30 (Ekang Anculai proposed) and 2018-08-01 (certified, four more villages).
    Published once for the module (read-only); queries name this folder explicitly."""
    data_dir = tmp_path_factory.mktemp("desa-data")
    publish(data_dir, date(2018, 6, 30), [
        village(EKANG, "proposed", proposed_on=date(2018, 5, 14), head_enrolled=True, officials_total=12,
                officials_enrolled=11, village_regulation=True),
    ], [
        participant("P1", EKANG, segment="PU", occupation="kepala_desa"),
        participant("P3", EKANG, occupation="petani"),
    ])
    publish(data_dir, date(2018, 8, 1), [
        village(EKANG, "certified", proposed_on=date(2018, 5, 14), verified_on=date(2018, 6, 20),
                certified_on=date(2018, 8, 1), head_enrolled=True, officials_total=12, officials_enrolled=12,
                agent_appointed=True, village_regulation=True),
        village(BERAKIT, "verified", proposed_on=date(2018, 6, 1), verified_on=date(2018, 7, 1), head_enrolled=True,
                officials_total=12, officials_enrolled=11, village_regulation=True),
        village(PENGUDANG, "proposed", proposed_on=date(2018, 7, 10), head_enrolled=True, officials_total=5,
                officials_enrolled=5, agent_appointed=True),
        village(LAGOI, "proposed", proposed_on=date(2018, 7, 1)),
        village(ACEH, "verified", proposed_on=date(2018, 5, 1), verified_on=date(2018, 7, 20), head_enrolled=True,
                officials_total=9, officials_enrolled=9, agent_appointed=True, village_regulation=True),
    ], [
        participant("P1", EKANG, segment="PU", occupation="kepala_desa", jht=True, jp=True),
        participant("P2", EKANG, segment="PU", occupation="perangkat_desa", jht=True),
        participant("P3", EKANG, occupation="petani"),
        participant("P4", EKANG, occupation="petani", jht=True, active=False),
        participant("P5", EKANG, segment="JAKON", occupation="pekerja_konstruksi"),
        participant("P6", BERAKIT, occupation="nelayan"),
    ])
    return data_dir


def run(base, name, scope=TP, snapshot="2018-08-01", **params):
    return db.run(name, scope, snapshot, base=base, **params)


CHECKLIST = ["village_code", "status", "head_ok", "officials_enrolled", "officials_total", "officials_ok",
             "officials_missing", "agent_ok", "regulation_ok", "criteria_met", "criteria_missing"]


def test_checklist_of_each_village(base):
    got = [rows(run(base, "desa_profil", ALL, village_code=c)[CHECKLIST])[0]
           for c in (EKANG, BERAKIT, PENGUDANG, LAGOI, ACEH)]
    assert got == [
        (EKANG, "certified", True, 12, 12, True, 0, True, True, 4, 0),
        (BERAKIT, "verified", True, 11, 12, False, 1, False, True, 2, 2),
        (PENGUDANG, "proposed", True, 5, 5, True, 0, True, False, 3, 1),
        # no officials reported: the criterion is not met
        (LAGOI, "proposed", False, 0, 0, False, 0, False, False, 0, 4),
        (ACEH, "verified", True, 9, 9, True, 0, True, True, 4, 0),
    ]


def test_checklist_one_snapshot_earlier(base):
    got = rows(run(base, "desa_profil", snapshot="2018-06-30", village_code=EKANG)[CHECKLIST])
    assert got == [(EKANG, "proposed", True, 11, 12, False, 1, False, True, 2, 2)]


def test_profile_identity_steps_and_enrollment(base):
    p = run(base, "desa_profil", village_code=EKANG)
    cols = ["village_name", "kind", "district_name", "regency_name", "province_name", "branch_name", "region_name",
            "proposed_on", "verified_on", "certified_on", "revoked_on", "days_to_certify", "certified_seq_national",
            "certified_seq_branch", "participants", "participants_active", "participants_lapsed", "aparatur_active"]
    (r,) = rows(p[cols])
    assert r[:7] == ("Ekang Anculai", "desa", "Teluk Sebong", "Kabupaten Bintan", "Kepulauan Riau",
                     "Tanjung Pinang", "Sumbarriau")
    assert r[7:10] == (date(2018, 5, 14), date(2018, 6, 20), date(2018, 8, 1))
    assert r[10:] == (None, 79, 1, 1, 5, 4, 1, 2)


@pytest.mark.parametrize("code", ["99.99.99.9999", "21.01.10", "' OR 1=1 --", "", None])
def test_profile_of_unknown_codes_is_empty(base, code):
    assert run(base, "desa_profil", ALL, village_code=code).empty


def test_profile_outside_the_scope_is_empty(base):
    assert run(base, "desa_profil", TP, village_code=ACEH).empty
    assert run(base, "desa_profil", LHOK, village_code=EKANG).empty
    assert len(run(base, "desa_profil", LHOK, village_code=ACEH)) == 1


def test_breakdowns_of_ekang_anculai(base):
    got = rows(run(base, "desa_rincian", village_code=EKANG))
    assert got == [
        ("segment", "PU", 2, 0),
        ("segment", "BPU", 1, 1),
        ("segment", "JAKON", 1, 0),
        ("segment", "PMI", 0, 0),
        ("occupation", "petani", 1, 1),
        ("occupation", "kepala_desa", 1, 0),
        ("occupation", "pekerja_konstruksi", 1, 0),
        ("occupation", "perangkat_desa", 1, 0),
        ("programme", "jkk", 4, 1),
        ("programme", "jkm", 4, 1),
        ("programme", "jht", 2, 1),
        ("programme", "jp", 1, 0),
        ("total", "all", 4, 1),
    ]


def test_breakdowns_of_a_village_without_participants(base):
    got = rows(run(base, "desa_rincian", village_code=LAGOI))
    assert got == [("segment", s, 0, 0) for s in ("PU", "BPU", "JAKON", "PMI")] + [
        ("programme", p, 0, 0) for p in ("jkk", "jkm", "jht", "jp")] + [("total", "all", 0, 0)]


def test_breakdowns_outside_the_scope_are_empty_counts(base):
    got = rows(run(base, "desa_rincian", LHOK, village_code=EKANG))
    assert ("total", "all", 0, 0) in got and all(r[2] == r[3] == 0 for r in got)


def test_trend_across_snapshots(base):
    got = rows(run(base, "desa_tren", village_code=EKANG)[["snapshot_id", "status", "participants_active",
                                                           "aparatur_active"]])
    assert got == [("2018-06-30", "proposed", 2, 1), ("2018-08-01", "certified", 4, 2)]
    # a village outside the programme at first shows 'none' and zeros for that snapshot
    got = rows(run(base, "desa_tren", village_code=BERAKIT)[["snapshot_id", "status", "participants_active"]])
    assert got == [("2018-06-30", "none", 0), ("2018-08-01", "verified", 1)]
    # the earlier snapshot sees only its own past
    assert len(run(base, "desa_tren", snapshot="2018-06-30", village_code=EKANG)) == 1


def test_trend_outside_the_scope_is_empty(base):
    assert run(base, "desa_tren", LHOK, village_code=EKANG).empty
    assert run(base, "desa_tren", TP, village_code="' OR 1=1 --").empty


def test_rank_in_branch(base):
    got = rows(run(base, "desa_peringkat_cabang", village_code=EKANG))
    # village, branch, rank by participants, by coverage, villages in branch, certification order,
    # certified in branch, in the programme in branch
    assert got == [(EKANG, "tanjung-pinang", 1, 1, 4, 1, 1, 4)]
    got = rows(run(base, "desa_peringkat_cabang", village_code=BERAKIT))
    assert got == [(BERAKIT, "tanjung-pinang", 2, 2, 4, None, 1, 4)]
    assert run(base, "desa_peringkat_cabang", LHOK, village_code=EKANG).empty


def test_next_ceremonies_fewest_missing_first(base):
    cols = ["village_code", "status", "criteria_missing"]
    assert rows(run(base, "desa_hampir", ALL, limit=10)[cols]) == [
        (ACEH, "verified", 0), (PENGUDANG, "proposed", 1), (BERAKIT, "verified", 2), (LAGOI, "proposed", 4)]
    assert rows(run(base, "desa_hampir", TP, limit=2)[cols]) == [(PENGUDANG, "proposed", 1), (BERAKIT, "verified", 2)]
    # certified villages are not "next"
    assert EKANG not in set(run(base, "desa_hampir", ALL, limit=10).village_code)


def test_searchable_list_is_the_scope(base):
    cols = ["village_code", "village_name", "district_name", "status", "criteria_met", "participants",
            "participants_active"]
    assert rows(run(base, "desa_cari")[cols].sort_values("village_code")) == [
        (BERAKIT, "Berakit", "Teluk Sebong", "verified", 2, 1, 1),
        (EKANG, "Ekang Anculai", "Teluk Sebong", "certified", 4, 5, 4),
        (PENGUDANG, "Pengudang", "Teluk Sebong", "proposed", 3, 0, 0),
        (LAGOI, "Sebong Lagoi", "Teluk Sebong", "proposed", 0, 0, 0),
    ]
    assert list(run(base, "desa_cari", LHOK).village_code) == [ACEH]
    assert len(run(base, "desa_cari", ALL)) == 83762  # the whole register, nationally
