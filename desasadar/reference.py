"""Reference tables (register, offices, territories, targets) from data/reference/."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths

# file name -> table name inside DuckDB; a fixed list, never taken from input.
TABLES = {
    "provinsi.csv": "provinsi",
    "kabupaten.csv": "kabupaten",
    "kecamatan.csv": "kecamatan",
    "desa.parquet": "ref_desa",
    "wilayah.csv": "wilayah",
    "cabang.csv": "cabang",
    "cabang_wilayah_kerja.csv": "wilayah_kerja",
    "target.csv": "target",
    "desa_lokasi_cek.csv": "lokasi_cek",  # villages whose point is not plotted (scripts/build_lokasi_cek.py)
}
_CODES = {
    "province_code": str, "regency_code": str, "district_code": str, "village_code": str,
    "branch_code": str, "region_code": str, "seat_regency_code": str, "scope_code": str,
    "postal_code": str, "province_codes": str,
}


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> pd.DataFrame:
    p = Path(path)
    if p.suffix == ".parquet":
        return pd.read_parquet(p)
    return pd.read_csv(p, dtype=_CODES, keep_default_na=False, na_values={"target_villages": [""]})


def table(name: str, ref_dir: Path | None = None) -> pd.DataFrame:
    """One reference table by its file name (a key of TABLES). Cached; do not mutate."""
    if name not in TABLES:
        raise KeyError(name)
    p = (ref_dir or paths.reference_dir()) / name
    return _load(str(p), p.stat().st_mtime)


def region_of(ref_dir: Path | None = None) -> dict[str, str]:
    """branch_code -> region_code."""
    c = table("cabang.csv", ref_dir)
    return dict(zip(c["branch_code"], c["region_code"]))


def version(ref_dir: Path | None = None) -> str:
    """Short hash over all reference files: recorded in each snapshot's manifest."""
    d = ref_dir or paths.reference_dir()
    h = hashlib.sha256()
    for name in sorted(TABLES):
        h.update(name.encode())
        h.update((d / name).read_bytes())
    return h.hexdigest()[:16]
