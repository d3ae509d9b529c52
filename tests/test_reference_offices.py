"""The office structure and location checks of data/reference/ are believable: branches over all 11 Kanwil
in proportion (Java and Sumatera heavy), every province with a seat, every inferred territory truly the
nearest branch seat, assumed offices marked, kelurahan outside the targets, and wrong village points flagged."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from desasadar import ranking

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "data" / "reference"
sys.path.insert(0, str(ROOT / "scripts"))
import build_lokasi_cek  # noqa: E402
import build_reference as B  # noqa: E402

JAVA = ("dki-jakarta", "banten", "jawa-barat", "jateng-diy", "jawa-timur")
SUMATERA = ("sumbagut", "sumbarriau", "sumbagsel")


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def cabang():
    c = read("cabang.csv")
    return c.astype({"lat": float, "lon": float})


@pytest.fixture(scope="module")
def kab():
    return read("kabupaten.csv").astype({"lat": float, "lon": float}).set_index("regency_code")


def test_branches_over_all_kanwil_in_proportion(cabang, kab):
    per = cabang.groupby("region_code").size()
    assert len(per) == 11 and per.min() >= 4, per.to_dict()
    # Java and Sumatera hold most branches; the big Java regions are not a handful any more
    assert per[list(JAVA)].sum() + per[list(SUMATERA)].sum() > 0.6 * len(cabang)
    for r in ("jawa-timur", "jateng-diy", "jawa-barat", "sumbagut"):
        assert per[r] >= 12, (r, per[r])
    # every province has a branch seat
    seats = set(kab.loc[cabang["seat_regency_code"], "province_code"])
    assert seats == set(kab["province_code"])
    # the rule of the build: max(named, weighted share of BASE_BRANCHES) per Kanwil
    named = cabang[cabang["name_basis"] == "published"].groupby("region_code").size()
    assert (per >= named.reindex(per.index, fill_value=0)).all()
    assert sum(B.PERINTIS_2015.values()) == 150
    assert abs(sum(B.POPULATION_2020.values()) - 270.2) < 0.1  # SP2020: 270.20 million


def test_every_inferred_territory_is_the_nearest_branch(cabang, kab):
    wk = read("cabang_wilayah_kerja.csv")
    region_of_prov = {p: r for r, _, ps in B.REGIONS for p in ps}
    seats = cabang.set_index("branch_code")
    checked = 0
    for a in wk.itertuples():
        if a.method not in ("nearest-branch-in-region", "branch-seat") or a.note.startswith("DATA.md"):
            continue
        g = kab.loc[a.regency_code]
        region = region_of_prov[g["province_code"]]
        cands = seats[seats["region_code"] == region]
        d = B.haversine_km(g["lat"], g["lon"], cands["lat"].to_numpy(), cands["lon"].to_numpy())
        mine = B.haversine_km(g["lat"], g["lon"], seats.at[a.branch_code, "lat"], seats.at[a.branch_code, "lon"])
        assert mine <= d.min() + 1e-6, (a.regency_code, a.branch_code, float(mine), float(d.min()))
        checked += 1
    assert checked > 450
    w = wk.set_index("regency_code")["branch_code"]
    assert w["21.05"] == "natuna"    # Kepulauan Anambas: Natuna 245 km, not Batam Sekupang 336 km
    assert w["14.10"] == "karimun"   # Kepulauan Meranti: Karimun 72 km, not Pekanbaru Panam 152 km
    assert w["21.01"] == w["21.04"] == w["21.72"] == "tanjung-pinang"


def test_kelurahan_outside_targets_and_assumed_marked(cabang):
    target = read("target.csv")
    br = target[target["scope"] == "branch"].set_index("scope_code")["target_villages"].astype(int)
    jakarta = cabang.loc[cabang["region_code"] == "dki-jakarta", "branch_code"]
    assert (br.reindex(jakarta) == 0).all()  # DKI Jakarta has only kelurahan: nothing to certify
    df = pd.DataFrame({"branch_name": ["Surabaya", "Tanjung Pinang"], "name_basis": ["assumed", "published"]})
    assert list(ranking.office_names(df, "branch", "id")) == ["Surabaya (perkiraan)", "Tanjung Pinang"]
    assert list(ranking.office_names(df, "branch", "en")) == ["Surabaya (assumed)", "Tanjung Pinang"]


def test_location_check_flags_wrong_points():
    cek = read("desa_lokasi_cek.csv").set_index("village_code")["reason"]
    assert cek["53.13.06.2021"] == "jauh_dari_kecamatan"  # Normal I, Lembata: 45 km north at sea
    assert cek["81.01.01.2021"] == "jauh_dari_kecamatan"  # Nua Nea, Seram: 354 km from its kecamatan
    desa = pd.read_parquet(REF / "desa.parquet", columns=["village_code", "geo_precision"])
    on_kec = desa.loc[desa["geo_precision"] == "kecamatan", "village_code"]
    assert len(on_kec) == 383 and (cek.reindex(on_kec) == "titik_kecamatan").all()
    assert set(cek) <= set(build_lokasi_cek.NOT_DRAWN + build_lokasi_cek.APPROXIMATE)
    assert "21.01.10.2002" not in cek.index  # Ekang Anculai's point is sound


def test_location_check_on_moved_points():
    desa = pd.read_parquet(REF / "desa.parquet")
    kec = read("kecamatan.csv").astype({"lat": float, "lon": float}).set_index("district_code")
    pick = desa[desa["regency_code"] == "21.01"].copy().reset_index(drop=True)
    i = int(np.flatnonzero(pick["village_code"] == "21.01.10.2003")[0])  # Pengudang, Bintan
    pick.loc[i, ["lat", "lon"]] = [0.30, 104.10]  # ~60 km away, beyond its kecamatan
    j = int(np.flatnonzero(pick["village_code"] == "21.01.10.2004")[0])  # Sebong Lagoi onto its kecamatan's point
    d = kec.loc[pick.loc[j, "district_code"]]
    pick.loc[j, ["lat", "lon"]] = [d["lat"], d["lon"]]
    out = build_lokasi_cek.check(pick, REF).set_index("village_code")["reason"]
    assert out["21.01.10.2003"] in ("jauh_dari_kecamatan", "luar_kabupaten", "luar_provinsi")
    assert out["21.01.10.2004"] == "titik_kecamatan"
