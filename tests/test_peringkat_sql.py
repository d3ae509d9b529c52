"""Rankings on two tiny snapshots with hand-computed expected rows: ranks, ties, rank changes, bands.

Fixture (own target table, so the numbers do not move with the demo targets):

    branch            region      target  certified now (prev)   notes
    tanjung-pinang A  sumbarriau  2       a1, a2 (a1)            a2 has 5 active of a workforce of 4 (capped)
    karimun        B  sumbarriau  4       b1, b2 (b1)
    natuna         C  sumbarriau  1       c1 (c1)
    batam-nagoya   D  sumbarriau  –       d1, d2 (none)          no target row
    batam-sekupang E  sumbarriau  0       – (–)                  a target of 0 counts as no target
    medan             sumbagut    –       m1 (m1)                region target 2
    banjarmasin       kalimantan  –       k1 (–)                 region without a target
"""
from __future__ import annotations

import csv
import os
from datetime import date

import pytest

from desasadar import db, paths, reference
from desasadar.scope import Scope
from tests.helpers import participant, publish, rows, village

FIVE = Scope.of(branches=["tanjung-pinang", "karimun", "natuna", "batam-nagoya", "batam-sekupang"])
THREE_REGIONS = Scope.of(regions=["sumbarriau", "sumbagut", "kalimantan"])

A1, A2, A3 = "21.01.04.1005", "21.01.04.2001", "21.01.04.2002"  # Kawal, Gunung Kijang, Malang Rapat
B1, B2, B3 = "21.02.01.1003", "21.02.01.1010", "21.02.01.2004"  # Moro, Moro Timur, Pauh
C1 = "21.03.04.1003"  # Sabang Barat
D1, D2 = "21.71.01.1002", "21.71.01.1003"  # Pemping, Kasu
E1 = "21.05.01.1001"  # Terempa
M1 = "11.01.01.2001"  # Keude Bakongan (medan, sumbagut)
K1 = "62.03.01.1006"  # Murung Keramat (banjarmasin, kalimantan)

TARGETS = [
    ("region", "sumbarriau", 4), ("region", "sumbagut", 2),
    ("branch", "tanjung-pinang", 2), ("branch", "karimun", 4), ("branch", "natuna", 1), ("branch", "batam-sekupang", 0),
]


def n_branches(region: str) -> int:
    c = reference.table("cabang.csv", paths.REPO_REFERENCE_DIR)
    return int((c["region_code"] == region).sum())


def d(s: str) -> date:
    return date.fromisoformat(s)


def cert(code, proposed, verified, certified, wf):
    return village(code, "certified", proposed_on=d(proposed), verified_on=d(verified), certified_on=d(certified),
                   workforce_estimate=wf)


def people(prefix, code, occupations, active=True, enrolled_on=date(2017, 1, 1)):
    return [participant(f"{prefix}{i}", code, occupation=o, active=active, enrolled_on=enrolled_on)
            for i, o in enumerate(occupations)]


@pytest.fixture
def tiny(tiny_world, monkeypatch):
    """The module's data folder (read-only: the tests only query it)."""
    monkeypatch.setenv("DSJS_DATA_DIR", str(tiny_world))
    return tiny_world


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory):
    """Own reference folder (the repo's files, a small target table) and two snapshots: 2018-06-30, 2018-07-31.
    Published once for the module (two publishes cost 5-10 s; every test here only reads)."""
    data_dir = tmp_path_factory.mktemp("peringkat-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DSJS_DATA_DIR", str(data_dir))
        db.clear_caches()
        _publish_tiny(data_dir)
    db.clear_caches()
    return data_dir


def _publish_tiny(data_dir):
    ref = data_dir / "reference"
    ref.mkdir()
    for name in reference.TABLES:
        if name not in ("target.csv", "cabang_wilayah_kerja.csv"):
            os.symlink(paths.REPO_REFERENCE_DIR / name, ref / name)
    # own territories for the fixture's regencies (the repo's move with the office structure)
    with open(paths.REPO_REFERENCE_DIR / "cabang_wilayah_kerja.csv") as f:
        lines = f.read().splitlines()
    own = {"21.05": "batam-sekupang", "11.01": "medan", "62.03": "banjarmasin", "21.01": "tanjung-pinang",
           "21.02": "karimun", "21.03": "natuna", "21.71": "batam-nagoya"}
    with open(ref / "cabang_wilayah_kerja.csv", "w") as f:
        for line in lines:
            code = line.split(",", 1)[0]
            f.write((f"{code},{own[code]},inferred,test,test fixture" if code in own else line) + "\n")
    with open(ref / "target.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["year", "period_end", "scope", "scope_code", "target_villages", "source", "is_demo"])
        w.writerow([2018, "2018-12-31", "national", "", 12, "test", "true"])
        for scope, code, n in TARGETS:
            w.writerow([2018, "2018-12-31", scope, code, n, "test", "true"])

    old = people("a1-", A1, ["kepala_desa", "perangkat_desa", "petani"]) + people("a1x", A1, ["petani"], active=False) \
        + people("b1-", B1, ["perangkat_desa", "perangkat_desa", "nelayan", "nelayan"]) \
        + people("c1-", C1, ["ketua_rt_rw", "petani"]) + people("m1-", M1, ["petani", "petani"]) \
        + people("e1-", E1, ["pegawai_non_pns"])
    july = date(2018, 7, 10)
    new = people("a2-", A2, ["petani"] * 5, enrolled_on=july) + people("a3-", A3, ["kepala_desa"], enrolled_on=july) \
        + people("b2-", B2, ["petani"] * 2, enrolled_on=july) + people("d1-", D1, ["petani"], enrolled_on=july) \
        + people("d2-", D2, ["petani"] * 3, enrolled_on=july) + people("k1-", K1, ["petani"] * 5, enrolled_on=july)

    june = [
        cert(A1, "2018-01-10", "2018-02-01", "2018-03-01", 10),
        village(A2, "proposed", proposed_on=d("2018-06-05"), workforce_estimate=4),
        village(A3),
        cert(B1, "2018-01-01", "2018-01-15", "2018-02-01", 20),
        village(B2, "verified", proposed_on=d("2018-05-01"), verified_on=d("2018-06-01"), workforce_estimate=10),
        village(B3),
        cert(C1, "2018-04-01", "2018-04-10", "2018-05-01", 8),
        village(D1, "verified", proposed_on=d("2018-06-01"), verified_on=d("2018-06-20"), workforce_estimate=10),
        village(D2, "verified", proposed_on=d("2018-06-01"), verified_on=d("2018-06-20"), workforce_estimate=10),
        village(E1),
        cert(M1, "2018-03-01", "2018-03-15", "2018-04-01", 5),
        village(K1, "proposed", proposed_on=d("2018-06-10"), workforce_estimate=10),
    ]
    publish(data_dir, date(2018, 6, 30), june, old)
    july_villages = [
        cert(A1, "2018-01-10", "2018-02-01", "2018-03-01", 10),
        cert(A2, "2018-06-05", "2018-07-01", "2018-07-15", 4),
        village(A3, "proposed", proposed_on=d("2018-07-20")),
        cert(B1, "2018-01-01", "2018-01-15", "2018-02-01", 20),
        cert(B2, "2018-05-01", "2018-06-01", "2018-07-20", 10),
        village(B3, "verified", proposed_on=d("2018-07-01"), verified_on=d("2018-07-10")),
        cert(C1, "2018-04-01", "2018-04-10", "2018-05-01", 8),
        cert(D1, "2018-06-01", "2018-06-20", "2018-07-30", 10),
        cert(D2, "2018-06-01", "2018-06-20", "2018-07-30", 10),
        village(E1, "proposed", proposed_on=d("2018-07-05")),
        cert(M1, "2018-03-01", "2018-03-15", "2018-04-01", 5),
        cert(K1, "2018-06-10", "2018-07-01", "2018-07-25", 10),
    ]
    publish(data_dir, date(2018, 7, 31), july_villages, old + new)
    return data_dir


def run(base, name, scope, snapshot="2018-07-31", **params):
    return db.run(name, scope, snapshot, base=base, **params)


RANK_COLS = ["rank", "branch_code", "value", "rank_prev", "movement", "places"]


def test_branch_measures_full_rows(tiny):
    df = run(tiny, "cabang_peringkat", FIVE, year=2018, ukuran="persen_target")
    cols = ["rank", "branch_code", "certified", "target", "pct_target", "pipeline", "aparatur",
            "participants_certified", "coverage", "certified_new", "rank_prev", "movement", "places",
            "band", "band_leader", "band_mover"]
    assert rows(df[cols]) == [
        # equal 100% share rank 1, alphabetical (Natuna before Tanjung Pinang)
        # aparatur = kepala + perangkat desa: natuna's c1 has only a ketua RT/RW (counted apart)
        (1, "natuna", 1, 1, 1.0, 0, 0, 2, 0.25, 0, 1, "same", 0, "ge100", False, False),
        # A: coverage (3 + min(5, 4)) / (10 + 4) = 0.5; aparatur a1 2 + a3 1 (not certified, still counted)
        (1, "tanjung-pinang", 2, 2, 1.0, 1, 3, 8, 0.5, 1, 2, "up", 1, "ge100", True, True),
        (3, "karimun", 2, 4, 0.5, 1, 2, 6, 0.2, 1, 3, "same", 0, "50_75", True, True),
        # no target row, and a target of 0: unranked, listed last, band "none", never a division
        (None, "batam-nagoya", 2, None, None, 0, 0, 4, 0.2, 2, None, None, None, "none", True, True),
        (None, "batam-sekupang", 0, 0, None, 1, 0, 0, None, 0, None, None, None, "none", False, False),
    ]


def test_branch_ties_and_changes_by_certified(tiny):
    df = run(tiny, "cabang_peringkat", FIVE, year=2018, ukuran="tersertifikasi")
    # now A 2, B 2, D 2, C 1, E 0; before A 1, B 1, C 1, D 0, E 0 (standard competition ranks)
    assert rows(df[RANK_COLS]) == [
        (1, "batam-nagoya", 2.0, 4, "up", 3),
        (1, "karimun", 2.0, 1, "same", 0),
        (1, "tanjung-pinang", 2.0, 1, "same", 0),
        (4, "natuna", 1.0, 1, "down", -3),
        (5, "batam-sekupang", 0.0, 4, "down", -1),
    ]


def test_branch_ranking_by_coverage_new_when_unranked_before(tiny):
    df = run(tiny, "cabang_peringkat", FIVE, year=2018, ukuran="cakupan")
    assert rows(df[RANK_COLS]) == [
        (1, "tanjung-pinang", 0.5, 1, "same", 0),
        (2, "natuna", 0.25, 2, "same", 0),
        (3, "batam-nagoya", 0.2, None, "new", None),  # no certified village before: no coverage, not ranked
        (3, "karimun", 0.2, 3, "same", 0),            # 6 / 30 ties 4 / 20
        (None, "batam-sekupang", None, None, None, None),
    ]


def test_branch_ranking_by_participants_and_aparatur(tiny):
    df = run(tiny, "cabang_peringkat", FIVE, year=2018, ukuran="peserta")
    assert rows(df[RANK_COLS]) == [
        (1, "tanjung-pinang", 8.0, 2, "up", 1),
        (2, "karimun", 6.0, 1, "down", -1),
        (3, "batam-nagoya", 4.0, 4, "up", 1),
        (4, "natuna", 2.0, 3, "down", -1),
        (5, "batam-sekupang", 0.0, 4, "down", -1),
    ]
    df = run(tiny, "cabang_peringkat", FIVE, year=2018, ukuran="aparatur")
    assert rows(df[RANK_COLS]) == [
        # aparatur = kepala + perangkat desa (c1's ketua RT/RW and e1's staff are counted apart)
        (1, "tanjung-pinang", 3.0, 1, "same", 0),
        (2, "karimun", 2.0, 1, "down", -1),
        (3, "batam-nagoya", 0.0, 3, "same", 0),
        (3, "batam-sekupang", 0.0, 3, "same", 0),
        (3, "natuna", 0.0, 3, "same", 0),
    ]


def test_previous_snapshot_ranking_and_no_previous(tiny):
    df = run(tiny, "cabang_peringkat", FIVE, snapshot="2018-06-30", year=2018, ukuran="persen_target")
    assert rows(df[RANK_COLS + ["certified_new", "band", "band_mover"]]) == [
        (1, "natuna", 1.0, None, None, None, None, "ge100", False),
        (2, "tanjung-pinang", 0.5, None, None, None, None, "50_75", False),
        (3, "karimun", 0.25, None, None, None, None, "25_50", False),
        (None, "batam-nagoya", None, None, None, None, None, "none", False),
        (None, "batam-sekupang", None, None, None, None, None, "none", False),
    ]


def test_other_target_year_means_no_target(tiny):
    df = run(tiny, "cabang_peringkat", FIVE, year=2019, ukuran="persen_target")
    assert set(df["band"]) == {"none"} and df["rank"].isna().all() and df["target"].isna().all()
    assert list(df["branch_name"]) == sorted(df["branch_name"])


def test_region_ranking(tiny):
    df = run(tiny, "wilayah_peringkat", THREE_REGIONS, year=2018, ukuran="persen_target")
    cols = ["rank", "region_code", "branches", "certified", "target", "pct_target", "pipeline", "aparatur",
            "participants_certified", "coverage", "certified_new", "rank_prev", "movement", "places",
            "band", "band_leader", "band_mover"]
    assert rows(df[cols]) == [
        # 7 certified of 4; coverage (3+4+4+2+2+1+3) / (10+4+20+10+8+10+10) = 19/72
        (1, "sumbarriau", n_branches("sumbarriau"), 7, 4, 1.75, 3, 5, 20, 19 / 72, 4, 1, "same", 0, "ge100", True,
         True),
        (2, "sumbagut", n_branches("sumbagut"), 1, 2, 0.5, 0, 0, 2, 0.4, 0, 2, "same", 0, "50_75", True, False),
        (None, "kalimantan", n_branches("kalimantan"), 1, None, None, 0, 0, 5, 0.5, 1, None, None, None, "none",
         True, True),
    ]
    df = run(tiny, "wilayah_peringkat", THREE_REGIONS, year=2018, ukuran="tersertifikasi")
    assert rows(df[["rank", "region_code", "value", "rank_prev", "movement", "places"]]) == [
        (1, "sumbarriau", 7.0, 1, "same", 0),
        (2, "kalimantan", 1.0, 3, "up", 1),   # 0 before: rank 3 of 3
        (2, "sumbagut", 1.0, 2, "same", 0),
    ]


def test_region_ranking_counts_only_visible_villages(tiny):
    df = run(tiny, "wilayah_peringkat", FIVE, year=2018, ukuran="tersertifikasi")
    # a branch-scoped viewer sees its region's row, its branches only, and no region target (not visible)
    assert rows(df[["rank", "region_code", "branches", "certified", "target"]]) == [(1, "sumbarriau", 5, 7, None)]


VILLAGE_COLS = ["rank", "village_code", "village_name", "value", "rank_prev", "movement", "places"]


def test_village_ranking_by_participants(tiny):
    df = run(tiny, "desa_peringkat", FIVE, ukuran="peserta")
    assert rows(df[VILLAGE_COLS]) == [
        (1, A2, "Gunung Kijang", 5.0, None, "new", None),
        (2, B1, "Moro", 4.0, 1, "down", -1),
        (3, D2, "Kasu", 3.0, None, "new", None),
        (3, A1, "Kawal", 3.0, 2, "down", -1),
        (5, B2, "Moro Timur", 2.0, None, "new", None),
        (5, C1, "Sabang Barat", 2.0, 3, "down", -2),
        (7, D1, "Pemping", 1.0, None, "new", None),
    ]


def test_village_ranking_by_days_fewest_first(tiny):
    df = run(tiny, "desa_peringkat", FIVE, ukuran="hari")
    assert rows(df[VILLAGE_COLS]) == [
        (1, C1, "Sabang Barat", 30.0, 1, "same", 0),
        (2, B1, "Moro", 31.0, 2, "same", 0),
        (3, A2, "Gunung Kijang", 40.0, None, "new", None),
        (4, A1, "Kawal", 50.0, 3, "down", -1),
        (5, D2, "Kasu", 59.0, None, "new", None),
        (5, D1, "Pemping", 59.0, None, "new", None),
        (7, B2, "Moro Timur", 80.0, None, "new", None),
    ]


def test_village_ranking_by_coverage_capped(tiny):
    df = run(tiny, "desa_peringkat", FIVE, ukuran="cakupan")
    assert rows(df[["rank", "village_code", "value", "participants_active", "workforce_estimate"]]) == [
        (1, A2, 1.0, 5, 4),
        (2, D2, 0.3, 3, 10),
        (2, A1, 0.3, 3, 10),
        (4, C1, 0.25, 2, 8),
        (5, B1, 0.2, 4, 20),
        (5, B2, 0.2, 2, 10),
        (7, D1, 0.1, 1, 10),
    ]


def test_village_ranking_within_one_branch(tiny):
    df = run(tiny, "desa_peringkat", Scope.of(branches=["tanjung-pinang"]), ukuran="peserta")
    assert rows(df[["rank", "village_code", "movement"]]) == [(1, A2, "new"), (2, A1, "down")]  # a1 was 1st of 1


def test_unknown_measure_is_an_error(tiny):
    with pytest.raises(Exception, match="unknown measure"):
        run(tiny, "cabang_peringkat", FIVE, year=2018, ukuran="x")
    with pytest.raises(Exception, match="unknown measure"):
        run(tiny, "desa_peringkat", FIVE, ukuran="persen_target")


def test_previous_snapshot_row(tiny):
    assert rows(run(tiny, "snapshot_sebelumnya", FIVE)[["snapshot_id", "prev_id"]]) == [("2018-07-31", "2018-06-30")]
    assert rows(run(tiny, "snapshot_sebelumnya", FIVE, snapshot="2018-06-30")[["prev_id"]]) == [(None,)]


# --- the demo: Tanjung Pinang in the Sumbarriau ranking = the same measures in its own scope ---------

MEASURES = ["certified", "target", "pct_target", "pipeline", "aparatur", "participants_certified", "coverage",
            "certified_new"]


def test_demo_tanjung_pinang_in_region_ranking_matches_its_own_scope(demo_dir):
    region = db.run("cabang_peringkat", Scope.of(regions=["sumbarriau"]), "2018-08-01", base=demo_dir,
                    year=2018, ukuran="persen_target")
    assert len(region) == 30  # Sumbarriau: 29 branches named in public sources + 1 assumed
    row = region[region["branch_code"] == "tanjung-pinang"]
    own_scope = Scope.of(branches=["tanjung-pinang"])
    own = db.run("cabang_peringkat", own_scope, "2018-08-01", base=demo_dir, year=2018, ukuran="persen_target")
    assert rows(row[MEASURES]) == rows(own[MEASURES])
    # and what the Ringkasan queries give for KC Tanjung Pinang
    target = db.run("target_capaian", own_scope, "2018-08-01", base=demo_dir, year=2018)
    kpi = db.run("kpi_perubahan", own_scope, "2018-08-01", base=demo_dir)
    pipe = db.run("pipeline_status", own_scope, "2018-08-01", base=demo_dir).set_index("status")["villages"]
    r = row.iloc[0]
    assert r["certified"] == target["certified"][0] == kpi["certified"][0] == pipe["certified"]
    assert r["target"] == target["target_villages"][0]
    assert r["pct_target"] == pytest.approx(target["share"][0])
    assert r["pipeline"] == pipe["proposed"] + pipe["verified"]
    assert r["aparatur"] == kpi["aparatur"][0]
    assert r["participants_certified"] == kpi["participants_certified"][0]
    assert r["coverage"] == pytest.approx(kpi["coverage_certified"][0])
    assert r["certified_new"] == kpi["certified_change"][0]
    # Ekang Anculai (certified 2018-08-01) is the branch's new village of the day
    assert r["certified_new"] == 1 and r["certified"] >= 1
