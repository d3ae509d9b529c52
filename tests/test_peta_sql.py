"""Peta queries on tiny snapshots (exact rows) and the location check of register points."""
from __future__ import annotations

import importlib.util
import shutil
from datetime import date

import pandas as pd
import pytest

from desasadar import db, paths, reference
from desasadar.scope import Scope

from .helpers import participant, publish, rows, village

EKANG = "21.01.10.2002"      # Ekang Anculai, Kab. Bintan, KC Tanjung Pinang
BERAKIT = "21.01.10.2001"    # Berakit, Kab. Bintan
PENGUDANG = "21.01.10.2003"  # Pengudang, Kab. Bintan
BERINDAT = "21.04.06.2001"   # Berindat, Kab. Lingga, KC Tanjung Pinang
ACEH = "11.08.01.2001"       # Kab. Aceh Utara, KC Lhokseumawe (another region)
TP = Scope.of(branches=["tanjung-pinang"])
ALL = Scope.national()


def mod_approx() -> tuple[str, ...]:
    return load_build_script().APPROXIMATE


def load_build_script():
    spec = importlib.util.spec_from_file_location("build_lokasi_cek", paths.ROOT / "scripts" / "build_lokasi_cek.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("peta-data")
    publish(data_dir, date(2018, 8, 1), [
        village(EKANG, "certified", proposed_on=date(2018, 5, 14), verified_on=date(2018, 6, 20),
                certified_on=date(2018, 8, 1)),
        village(BERAKIT, "verified", proposed_on=date(2018, 6, 1), verified_on=date(2018, 7, 1)),
        village(PENGUDANG, "none"),
        village(BERINDAT, "revoked", proposed_on=date(2017, 3, 1), verified_on=date(2017, 4, 1),
                certified_on=date(2017, 5, 1), revoked_on=date(2018, 3, 1)),
        village(ACEH, "proposed", proposed_on=date(2018, 7, 20)),
    ], [
        participant("P1", EKANG, segment="PU", occupation="kepala_desa"),
        participant("P2", EKANG, occupation="petani"),
        participant("P3", EKANG, occupation="petani", active=False),
        participant("P4", PENGUDANG, occupation="nelayan"),
        participant("P5", ACEH, occupation="nelayan"),
    ])
    return data_dir


def run(base, name, scope=TP):
    return db.run(name, scope, "2018-08-01", base=base)


def test_peta_desa_programme_villages_in_scope(base):
    df = run(base, "peta_desa")
    cols = ["village_code", "village_name", "regency_code", "branch_code", "status", "status_on",
            "participants_active", "lokasi_cek"]
    assert rows(df[cols]) == [
        (BERAKIT, "Berakit", "21.01", "tanjung-pinang", "verified", date(2018, 7, 1), 0, None),
        (EKANG, "Ekang Anculai", "21.01", "tanjung-pinang", "certified", date(2018, 8, 1), 2, None),
        (BERINDAT, "Berindat", "21.04", "tanjung-pinang", "revoked", date(2018, 3, 1), 0, None),
    ]  # Pengudang (not in the programme) and the Aceh village (other branch) are not there
    ekang = df[df.village_code == EKANG].iloc[0]
    assert ekang.district_name == "Teluk Sebong" and ekang.regency_name == "Kabupaten Bintan"
    assert ekang.branch_name == "Tanjung Pinang" and ekang.kind == "desa"
    assert ekang.certified_seq_national == 2  # Berindat, certified in 2017 (later revoked), was the first
    assert 1.0 < ekang.lat < 1.2 and 104.3 < ekang.lon < 104.5


def test_peta_desa_national(base):
    df = run(base, "peta_desa", ALL)
    assert list(df.village_code) == [ACEH, BERAKIT, EKANG, BERINDAT]
    assert rows(df[df.village_code == ACEH][["status", "status_on", "participants_active"]]) == [
        ("proposed", date(2018, 7, 20), 1)]


def test_peta_kabupaten_counts(base):
    df = run(base, "peta_kabupaten")
    cols = ["regency_code", "regency_name", "certified", "verified", "proposed", "revoked", "participants_certified"]
    assert rows(df[cols]) == [
        ("21.01", "Kabupaten Bintan", 1, 1, 0, 0, 2),
        ("21.04", "Kabupaten Lingga", 0, 0, 0, 1, 0),
    ]  # a branch's villages are those the snapshot assigns to it (here 3 in Bintan, 1 in Lingga)
    assert list(df.villages) == [3, 1]
    national = run(base, "peta_kabupaten", ALL)
    assert len(national) == 514 and national.certified.sum() == 1


def test_demo_point_count_matches_programme(demo_env):
    """On the demo data every programme village has a plottable point (the register is clean)."""
    df = db.run("peta_desa", ALL, "2018-08-01")
    # every programme village is drawn; a few only approximately (on or far from their kecamatan's point)
    assert len(df) > 411 and (df.lokasi_cek.isna() | df.lokasi_cek.isin(mod_approx())).all()
    assert (df.status != "none").all() and df.village_code.is_unique
    assert (df.status == "certified").sum() == 411
    tp = db.run("peta_desa", TP, "2018-08-01")
    assert set(tp.regency_code) <= {"21.01", "21.04", "21.72"} and EKANG in set(tp.village_code)


# --- the location check -------------------------------------------------------------------------
def test_committed_check_matches_the_register():
    mod = load_build_script()
    desa = reference.table("desa.parquet", paths.REPO_REFERENCE_DIR)
    fresh = mod.check(desa[["village_code", "district_code", "regency_code", "province_code", "lat", "lon",
                            "geo_precision"]])
    committed = reference.table("desa_lokasi_cek.csv", paths.REPO_REFERENCE_DIR)
    assert list(committed.columns) == ["village_code", "reason"]
    assert rows(fresh) == rows(committed)


def test_check_flags_bad_points():
    mod = load_build_script()
    desa = reference.table("desa.parquet", paths.REPO_REFERENCE_DIR)
    pick = desa[desa.village_code.isin([EKANG, BERAKIT, PENGUDANG, BERINDAT, ACEH, "31.01.01.1001",
                                        "73.10.01.2008"])][["village_code", "province_code", "lat", "lon"]].copy()
    moved = {
        BERAKIT: (104.5, 1.0),       # lat/lon swapped: far outside Indonesia
        PENGUDANG: (-2.53, 140.70),  # a Bintan village placed in Jayapura (Papua)
        BERINDAT: (None, None),      # no point
        ACEH: (0.0, 0.0),            # 0/0
    }
    for code, (lat, lon) in moved.items():
        pick.loc[pick.village_code == code, ["lat", "lon"]] = [lat, lon]
    out = mod.check(pick)
    assert rows(out) == [
        (ACEH, "luar_indonesia"),
        (BERAKIT, "luar_indonesia"),
        (PENGUDANG, "luar_provinsi"),
        (BERINDAT, "tanpa_koordinat"),
    ]  # Ekang Anculai, Pulau Panggang (Kepulauan Seribu) and Kapoposang Bali (an island missing
    #    from the 1:10m outline, 3 deg from its province's polygon, in the sea) are plotted


def test_peta_desa_lists_bad_points(data_dir):
    """A data dir whose own register moves two programme villages: the query marks them, scoped."""
    ref = data_dir / "reference"
    shutil.copytree(paths.REPO_REFERENCE_DIR, ref)
    desa = pd.read_parquet(ref / "desa.parquet")
    desa.loc[desa.village_code == BERAKIT, ["lat", "lon"]] = [-2.53, 140.70]   # in Papua
    desa.loc[desa.village_code == ACEH, ["lat", "lon"]] = [51.5, -0.12]        # London
    desa.to_parquet(ref / "desa.parquet", index=False)
    mod = load_build_script()
    mod.main(["--ref", str(ref)])
    assert paths.reference_dir() == ref
    publish(data_dir, date(2018, 8, 1), [
        village(EKANG, "certified", proposed_on=date(2018, 5, 1), verified_on=date(2018, 6, 1),
                certified_on=date(2018, 8, 1)),
        village(BERAKIT, "proposed", proposed_on=date(2018, 7, 1)),
        village(ACEH, "proposed", proposed_on=date(2018, 7, 20)),
    ])
    df = db.run("peta_desa", TP, "2018-08-01")
    assert rows(df[["village_code", "lokasi_cek"]]) == [(BERAKIT, "luar_provinsi"), (EKANG, None)]
    national = db.run("peta_desa", ALL, "2018-08-01")
    assert rows(national[["village_code", "lokasi_cek"]]) == [
        (ACEH, "luar_indonesia"), (BERAKIT, "luar_provinsi"), (EKANG, None)]
