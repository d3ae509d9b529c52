#!/usr/bin/env python
"""Build data/reference/desa_lokasi_cek.csv: register villages whose point must not be plotted.

Run from the repository root after the reference data changed:

    .venv/bin/python scripts/build_lokasi_cek.py [--ref DIR]

Village points come from the register (data/reference/desa.parquet), so the check is done once
here (shapely is a build-time dependency only) and the map joins the result by village_code
(table `lokasi_cek`, query queries/peta_desa.sql). Output columns: village_code, reason.

Reasons:
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

On the current register no village is flagged (the file holds only its header); the tests feed
the same function moved points (swapped lat/lon, a Bintan village placed in Papua, 0/0).
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

    out = pd.DataFrame({"village_code": desa["village_code"].to_numpy(), "reason": reason})
    return out[out["reason"].notna()].sort_values("village_code").reset_index(drop=True)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", type=Path, default=REF, help="reference folder (default: data/reference)")
    args = ap.parse_args(argv)
    desa = pd.read_parquet(args.ref / "desa.parquet", columns=["village_code", "province_code", "lat", "lon"])
    out = check(desa, args.ref)
    out.to_csv(args.ref / OUT_NAME, index=False)
    print(f"{args.ref / OUT_NAME}: {len(out)} of {len(desa)} villages flagged", out["reason"].value_counts().to_dict())


if __name__ == "__main__":
    main()
