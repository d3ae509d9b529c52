"""Checks on the committed reference data (data/reference/, built by scripts/build_reference.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

REF = Path(__file__).resolve().parents[1] / "data" / "reference"

# every branch named in DATA.md section 2 ("Medan branches" -> Medan)
DATA_MD_BRANCHES = [
    "Lhokseumawe", "Medan",
    "Padang", "Bukit Tinggi", "Solok", "Padang Pariaman", "Pesisir Selatan", "Agam", "Lima Puluh Kota",
    "Tanah Datar", "Pasaman", "Pasaman Barat", "Dharmasraya", "Solok Selatan", "Pekanbaru Kota",
    "Pekanbaru Panam", "Siak", "Kampar", "Pelalawan", "Rokan Hulu", "Rokan Hilir", "Kuantan Singingi",
    "Rengat", "Indragiri Hilir", "Dumai", "Duri", "Batam Nagoya", "Batam Sekupang", "Tanjung Pinang",
    "Karimun", "Natuna",
    "Palembang", "Jambi", "Bengkulu", "Bandar Lampung", "Lampung Tengah", "Muara Enim", "Muaro Bungo",
    "Pangkal Pinang",
    "Semarang Majapahit", "Pekalongan",
    "Mojokerto", "Blitar",
    "Pontianak", "Samarinda", "Balikpapan", "Bontang", "Berau", "Banjarmasin", "Batulicin", "Sampit",
    "Palangkaraya", "Pangkalan Bun", "Tarakan",
    "Ternate",
    "Jayapura", "Lombok Barat",
]


def read_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def provinsi():
    return read_csv("provinsi.csv")


@pytest.fixture(scope="module")
def kabupaten():
    return read_csv("kabupaten.csv")


@pytest.fixture(scope="module")
def kecamatan():
    return read_csv("kecamatan.csv")


@pytest.fixture(scope="module")
def desa():
    return pd.read_parquet(REF / "desa.parquet")


@pytest.fixture(scope="module")
def wilayah():
    return read_csv("wilayah.csv")


@pytest.fixture(scope="module")
def cabang():
    return read_csv("cabang.csv")


@pytest.fixture(scope="module")
def wk():
    return read_csv("cabang_wilayah_kerja.csv")


@pytest.fixture(scope="module")
def target():
    return read_csv("target.csv")


def test_columns(provinsi, kabupaten, kecamatan, desa, wilayah, cabang, wk, target):
    assert list(provinsi.columns) == ["province_code", "name", "capital", "lat", "lon"]
    assert list(kabupaten.columns) == ["regency_code", "province_code", "name", "short_name", "kind",
                                       "capital", "lat", "lon"]
    assert list(kecamatan.columns) == ["district_code", "regency_code", "name", "lat", "lon"]
    assert list(desa.columns) == ["village_code", "district_code", "regency_code", "province_code", "name",
                                  "kind", "postal_code", "lat", "lon", "geo_precision"]
    assert list(wilayah.columns) == ["region_code", "name", "province_codes"]
    assert list(cabang.columns) == ["branch_code", "name", "region_code", "seat_regency_code", "lat", "lon",
                                    "name_basis"]
    assert list(wk.columns) == ["regency_code", "branch_code", "basis", "method", "note"]
    assert list(target.columns) == ["year", "period_end", "scope", "scope_code", "target_villages", "source",
                                    "is_demo"]


def test_row_counts(provinsi, kabupaten, kecamatan, desa):
    assert len(provinsi) == 38
    assert len(kabupaten) == 514
    assert len(kecamatan) == 7285
    assert len(desa) == 83762
    assert (desa["geo_precision"] == "desa").sum() == 83379
    assert set(desa["geo_precision"]) == {"desa", "kecamatan"}


def test_codes_and_keys(provinsi, kabupaten, kecamatan, desa):
    assert provinsi["province_code"].str.fullmatch(r"\d{2}").all()
    assert kabupaten["regency_code"].str.fullmatch(r"\d{2}\.\d{2}").all()
    assert kecamatan["district_code"].str.fullmatch(r"\d{2}\.\d{2}\.\d{2}").all()
    assert desa["village_code"].str.fullmatch(r"\d{2}\.\d{2}\.\d{2}\.\d{4}").all()
    assert desa["village_code"].is_unique and desa["village_code"].is_monotonic_increasing
    assert (desa["district_code"] == desa["village_code"].str[:8]).all()
    assert (desa["regency_code"] == desa["village_code"].str[:5]).all()
    assert (desa["province_code"] == desa["village_code"].str[:2]).all()
    assert set(desa["district_code"]) == set(kecamatan["district_code"])
    assert set(kecamatan["regency_code"]) == set(kabupaten["regency_code"])
    assert set(kabupaten["province_code"]) == set(provinsi["province_code"])
    assert set(kabupaten["kind"]) == {"kabupaten", "kota"}
    assert (desa["kind"] == desa["village_code"].str[9].map({"1": "kelurahan", "2": "desa", "3": "desa"})).all()
    assert desa["postal_code"].map(type).eq(str).all()
    assert desa["lat"].dtype == "float64" and desa["lon"].dtype == "float64"
    assert desa[["lat", "lon"]].notna().all().all()
    assert desa["lat"].between(-11.5, 6.5).all() and desa["lon"].between(94.5, 141.5).all()


def test_examples(kabupaten, desa):
    kab = kabupaten.set_index("regency_code")
    assert kab.at["21.01", "name"] == "Kabupaten Bintan" and kab.at["21.01", "short_name"] == "Bintan"
    assert kab.at["21.72", "short_name"] == "Tanjung Pinang" and kab.at["21.72", "kind"] == "kota"
    ekang = desa.set_index("village_code").loc["21.01.10.2002"]
    assert ekang["name"] == "Ekang Anculai" and ekang["kind"] == "desa"


def test_regions(wilayah, provinsi):
    assert list(wilayah["region_code"]) == ["sumbagut", "sumbarriau", "sumbagsel", "dki-jakarta", "banten",
                                            "jawa-barat", "jateng-diy", "jawa-timur", "kalimantan", "sulama",
                                            "banuspa"]
    codes = [c for s in wilayah["province_codes"] for c in s.split()]
    assert sorted(codes) == sorted(provinsi["province_code"])  # every province exactly once
    reg = dict(zip(wilayah["region_code"], wilayah["province_codes"].str.split()))
    assert reg["sumbarriau"] == ["13", "14", "21"]
    assert reg["sulama"] == ["71", "72", "73", "74", "75", "76", "81", "82"]


def region_of_province(wilayah) -> dict[str, str]:
    return {p: r for r, ps in zip(wilayah["region_code"], wilayah["province_codes"]) for p in ps.split()}


def test_branches(cabang, kabupaten, wilayah):
    assert cabang["branch_code"].is_unique
    assert cabang["branch_code"].str.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*").all()
    assert set(cabang["name_basis"]) == {"published", "assumed"}
    published = set(cabang.loc[cabang["name_basis"] == "published", "name"])
    missing = [n for n in DATA_MD_BRANCHES if n not in published]
    assert not missing, missing
    for code in ["tanjung-pinang", "batam-nagoya", "batam-sekupang", "pekanbaru-kota", "pekanbaru-panam"]:
        assert code in set(cabang["branch_code"])
    kab = kabupaten.set_index("regency_code")
    rop = region_of_province(wilayah)
    assert set(cabang["seat_regency_code"]) <= set(kab.index)
    for _, b in cabang.iterrows():
        assert rop[kab.at[b["seat_regency_code"], "province_code"]] == b["region_code"], b["branch_code"]
    seat = cabang.set_index("branch_code")["seat_regency_code"]
    assert seat["tanjung-pinang"] == "21.72"
    assert seat["rengat"] == "14.02" and seat["duri"] == "14.03" and seat["bukit-tinggi"] == "13.75"
    assert seat["batam-nagoya"] == seat["batam-sekupang"] == "21.71"
    assert seat["lombok-barat"] == "52.01" and seat["semarang-majapahit"] == "33.74"
    # every province served by at least one branch seated in it
    assert set(kab.loc[seat, "province_code"]) == set(kab["province_code"])


def test_territories(wk, cabang, kabupaten, wilayah):
    assert len(wk) == 514 and wk["regency_code"].is_unique
    assert set(wk["regency_code"]) == set(kabupaten["regency_code"])
    assert set(wk["branch_code"]) <= set(cabang["branch_code"])
    assert set(wk["basis"]) <= {"published", "inferred"}
    assert set(wk["method"]) <= {"seed-article", "branch-seat", "nearest-branch-in-region"}
    kab = kabupaten.set_index("regency_code")
    rop = region_of_province(wilayah)
    breg = cabang.set_index("branch_code")["region_code"]
    for _, a in wk.iterrows():
        assert rop[kab.at[a["regency_code"], "province_code"]] == breg[a["branch_code"]], a["regency_code"]
    # every seat regency belongs to one of its seated branches
    w = wk.set_index("regency_code")["branch_code"]
    for _, b in cabang.iterrows():
        seated = set(cabang.loc[cabang["seat_regency_code"] == b["seat_regency_code"], "branch_code"])
        assert w[b["seat_regency_code"]] in seated


def test_tanjung_pinang_territory(wk):
    tp = wk[wk["branch_code"] == "tanjung-pinang"].set_index("regency_code")
    assert set(tp.index) == {"21.72", "21.01", "21.04"}
    assert tp.at["21.01", "basis"] == "published" and tp.at["21.01", "method"] == "seed-article"
    assert "Republika" in tp.at["21.01", "note"]
    assert tp.at["21.72", "method"] == "branch-seat"
    assert tp.at["21.04", "basis"] == "inferred"
    assert (wk["basis"] == "published").sum() == 1


def test_targets(target, cabang, wilayah):
    assert set(target["year"]) == {"2018"} and set(target["period_end"]) == {"2018-12-31"}
    assert set(target["is_demo"]) == {"true", "false"}
    t = target.assign(target_villages=target["target_villages"].astype(int))
    nat = t[t["scope"] == "national"]
    assert len(nat) == 1 and nat["target_villages"].iloc[0] == 500 and nat["scope_code"].iloc[0] == ""
    assert nat["is_demo"].iloc[0] == "false" and "Republika" in nat["source"].iloc[0]
    reg = t[t["scope"] == "region"].set_index("scope_code")["target_villages"]
    assert sorted(reg.index) == sorted(wilayah["region_code"])
    assert reg.sum() == 500
    br = t[t["scope"] == "branch"].set_index("scope_code")["target_villages"]
    assert br.index.is_unique and set(br.index) <= set(cabang["branch_code"])
    assert (t.loc[t["scope"] != "national", "is_demo"] == "true").all()
    for r in wilayah["region_code"]:
        members = cabang.loc[cabang["region_code"] == r, "branch_code"]
        assert br.reindex(members).fillna(0).sum() == reg[r], r
    without = set(cabang["branch_code"]) - set(br.index)
    assert len(without) == 1
    (only,) = without
    assert cabang.set_index("branch_code").at[only, "name_basis"] == "assumed"
    assert br["tanjung-pinang"] >= 3
    assert (t["target_villages"] >= 0).all()


def test_geojson(kabupaten, provinsi, desa):
    pytest.importorskip("shapely")
    from shapely.geometry import Point, shape

    docs = {}
    for name in ["indonesia.geojson", "batas_provinsi.geojson", "batas_kabupaten.geojson"]:
        path = REF / name
        assert path.stat().st_size < 1_000_000, name
        docs[name] = json.loads(path.read_text(encoding="utf-8"))
        assert docs[name]["type"] == "FeatureCollection"
        for f in docs[name]["features"]:
            g = shape(f["geometry"])
            assert g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty
    prov = docs["batas_provinsi.geojson"]["features"]
    assert sorted(f["properties"]["province_code"] for f in prov) == sorted(provinsi["province_code"])
    assert all(set(f["properties"]) == {"province_code", "name"} for f in prov)
    kab = docs["batas_kabupaten.geojson"]["features"]
    assert sorted(f["properties"]["regency_code"] for f in kab) == sorted(kabupaten["regency_code"])
    assert all(set(f["properties"]) == {"regency_code", "province_code", "name"} for f in kab)

    bintan = shape(next(f["geometry"] for f in kab if f["properties"]["regency_code"] == "21.01"))
    ekang = desa.set_index("village_code").loc["21.01.10.2002"]
    assert ekang["geo_precision"] == "desa"
    assert bintan.contains(Point(ekang["lon"], ekang["lat"]))
