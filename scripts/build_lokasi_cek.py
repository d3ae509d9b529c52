#!/usr/bin/env python
"""Build data/reference/desa_lokasi_cek.csv: register villages whose point is not plotted or only approximate.

Run from the repository root after the reference data changed:

    .venv/bin/python scripts/build_lokasi_cek.py [--ref DIR]

Village points come from the register (data/reference/desa.parquet), so the check is done once
here (shapely is a build-time dependency only) and the map joins the result by village_code
(table `lokasi_cek`, query queries/peta_desa.sql). Output columns: village_code, reason.

Points not drawn:
* ``tanpa_koordinat`` - no lat/lon.
* ``luar_indonesia`` - more than OUTLINE_TOL_DEG from the outline of Indonesia (indonesia.geojson,
  Natural Earth 1:10m). The tolerance is wide on purpose: that outline leaves out many small
  islands, and register villages on them lie up to 1.70 deg (Kalu-Kalukuang, Kab. Pangkajene dan
  Kepulauan) from it (measured on the register of Kepmendagri 300.2.2-2138/2025).
* ``luar_provinsi`` - on the land of another province: inside another province's polygon
  (batas_provinsi.geojson) and more than PROVINCE_TOL_DEG from the polygon of its own province.
  The polygons are approximations (simplified 0.02 deg), hence the tolerance. A point merely
  outside its own polygon is not flagged: measured, 2,855 register villages are, nearly all on
  islands missing from the outline (Kepulauan Seribu, Masalembu, Liukang Tangaya ...), in the sea
  and correctly placed.

Approximate points (drawn, marked "perkiraan" on the map and listed in the location check):

* ``titik_kecamatan`` - the village has no point of its own and sits on its kecamatan's point
  (geo_precision ``kecamatan``), or its own point is within 50 m of that point.
* ``jauh_dari_kecamatan`` - its own point is farther from its kecamatan's point than
  max(FAR_MIN_KM, FAR_FACTOR x the median distance of that kecamatan's villages to the point):
  25 km and 4x. Measured on the register: 36 villages, e.g. Normal I (53.13.06.2021, Lembata) 49.6 km
  where the kecamatan median is 6.6 km, Nua Nea (81.01.01.2021, Seram) 354 km.
* ``luar_kabupaten`` - outside its regency's area: no other village of its own regency within
  AREA_DEG (0.1 deg, ~11 km) while at least AREA_OTHERS villages of other regencies are (the area is
  judged by the register's own village points; the regency polygons are derived from the same points,
  so they cannot judge them).

The tests feed the same function moved points (swapped lat/lon, a Bintan village placed in Papua, 0/0).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "data" / "reference"
OUT_NAME = "desa_lokasi_cek.csv"

# reasons whose point is not drawn; the others are drawn as approximate
NOT_DRAWN = ("tanpa_koordinat", "luar_indonesia", "luar_provinsi")
APPROXIMATE = ("titik_kecamatan", "jauh_dari_kecamatan", "luar_kabupaten")
FAR_MIN_KM = 25.0
FAR_FACTOR = 4.0
AREA_DEG = 0.1
AREA_OTHERS = 3
SAME_POINT_KM = 0.05
OUTLINE_TOL_DEG = 2.0    # ~220 km
PROVINCE_TOL_DEG = 0.05  # ~5.5 km, 2.5x the province simplification


def _union(path: Path):
    feats = json.loads(path.read_text())["features"]
    return shapely.union_all([shape(f["geometry"]) for f in feats])


def check(desa: pd.DataFrame, ref_dir: Path = REF) -> pd.DataFrame:
    """village_code, reason for the villages of `desa` (village_code, province_code, lat, lon)
    whose point should not be plotted."""
    provinces = json.loads((ref_dir / "batas_provinsi.geojson").read_text())["features"]
    codes = np.array([f["properties"]["province_code"] for f in provinces])
    geoms = np.array([shape(f["geometry"]) for f in provinces], dtype=object)
    outline = _union(ref_dir / "indonesia.geojson")

    has_point = desa["lat"].notna().to_numpy() & desa["lon"].notna().to_numpy()
    reason = np.where(has_point, None, "tanpa_koordinat").astype(object)
    idx = np.flatnonzero(has_point)
    pts = shapely.points(desa["lon"].to_numpy()[idx], desa["lat"].to_numpy()[idx])
    own = desa["province_code"].to_numpy()[idx]

    far = shapely.distance(outline, pts) > OUTLINE_TOL_DEG
    reason[idx[far]] = "luar_indonesia"

    # points lying inside a province polygon other than their own
    tree = shapely.STRtree(geoms)
    p_i, g_i = tree.query(pts, predicate="intersects")
    elsewhere = np.zeros(len(idx), dtype=bool)
    elsewhere[np.unique(p_i[codes[g_i] != own[p_i]])] = True
    cand = np.flatnonzero(elsewhere & ~far)
    if len(cand):
        by_code = dict(zip(codes, geoms))
        own_geom = np.array([by_code.get(c) for c in own[cand]], dtype=object)
        dist = np.array([np.inf if g is None else shapely.distance(g, p) for g, p in zip(own_geom, pts[cand])])
        reason[idx[cand[dist > PROVINCE_TOL_DEG]]] = "luar_provinsi"

    if {"district_code", "regency_code", "geo_precision"} <= set(desa.columns):
        _approximate(desa, reason, ref_dir)
    out = pd.DataFrame({"village_code": desa["village_code"].to_numpy(), "reason": reason})
    return out[out["reason"].notna()].sort_values("village_code").reset_index(drop=True)


def _km(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def _approximate(desa: pd.DataFrame, reason: np.ndarray, ref_dir: Path) -> None:
    """Fill `reason` (where still empty) with the approximate-point reasons; see the module docstring."""
    kec = pd.read_csv(ref_dir / "kecamatan.csv", dtype={"district_code": str}, usecols=["district_code", "lat", "lon"])
    k = desa[["district_code"]].merge(kec, on="district_code", how="left")
    lat, lon = desa["lat"].to_numpy(dtype=float), desa["lon"].to_numpy(dtype=float)
    d = _km(lat, lon, k["lat"].to_numpy(dtype=float), k["lon"].to_numpy(dtype=float))
    own_point = (desa["geo_precision"] == "desa").to_numpy()
    med = pd.Series(np.where(own_point, d, np.nan)).groupby(desa["district_code"].to_numpy()).transform("median")
    free = pd.isna(reason)
    on_kec = ~own_point | (d <= SAME_POINT_KM)
    reason[free & on_kec] = "titik_kecamatan"
    far = own_point & (d > np.maximum(FAR_MIN_KM, FAR_FACTOR * med.to_numpy()))
    reason[pd.isna(reason) & far] = "jauh_dari_kecamatan"

    idx = np.flatnonzero(own_point & pd.isna(reason) & ~np.isnan(lat))
    all_pts = np.flatnonzero(own_point & ~np.isnan(lat))
    tree = shapely.STRtree(shapely.points(lon[all_pts], lat[all_pts]))
    a, b = tree.query(shapely.points(lon[idx], lat[idx]), predicate="dwithin", distance=AREA_DEG)
    b = all_pts[b]
    keep = idx[a] != b
    a, b = a[keep], b[keep]
    reg = desa["regency_code"].to_numpy()
    same = reg[idx[a]] == reg[b]
    n_same = np.bincount(a[same], minlength=len(idx))
    n_other = np.bincount(a[~same], minlength=len(idx))
    reason[idx[(n_same == 0) & (n_other >= AREA_OTHERS)]] = "luar_kabupaten"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", type=Path, default=REF, help="reference folder (default: data/reference)")
    args = ap.parse_args(argv)
    desa = pd.read_parquet(args.ref / "desa.parquet", columns=["village_code", "district_code", "regency_code",
                                                               "province_code", "lat", "lon", "geo_precision"])
    out = check(desa, args.ref)
    out.to_csv(args.ref / OUT_NAME, index=False)
    print(f"{args.ref / OUT_NAME}: {len(out)} of {len(desa)} villages flagged", out["reason"].value_counts().to_dict())


if __name__ == "__main__":
    main()
