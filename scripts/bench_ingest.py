"""Ingest throughput: a 1,000,000-row enrollment CSV through read, check and publish.

    .venv/bin/python scripts/bench_ingest.py [--rows 1000000] [--base data] [--snapshot 2018-08-01]

Copies one snapshot of the data dir (default: the demo's 2018-08-01) into a temporary data
dir as the base, writes a branch enrollment report of --rows participants (';'-separated,
dd/mm/yyyy dates, Indonesian words, as a branch would send it) for villages of that base,
then measures: validation only (read + parse + pandera + cross-table checks), and the full
ingest (the same plus merge with the base, the atomic publish with its own validation and
derived facts, quarantine and sources). Prints rows per second for both.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desasadar import paths, snapshots  # noqa: E402
from desasadar.ingest import publish as P  # noqa: E402


def write_enrollments(path: Path, villages: pd.DataFrame, n: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(villages), n)
    seg = rng.choice(np.array(["PU", "BPU", "JAKON", "PMI"]), n, p=[0.2, 0.6, 0.1, 0.1])
    occ = np.where(seg == "JAKON", "pekerja konstruksi", np.where(seg == "PMI", "pekerja migran",
                   rng.choice(np.array(["petani", "nelayan", "pedagang", "guru ngaji", "buruh"]), n)))
    jht = np.where((seg == "PU") | ((seg != "JAKON") & (rng.random(n) < 0.3)), "ya", "tidak")
    jp = np.where((seg == "PU") & (rng.random(n) < 0.7), "ya", "tidak")
    day = pd.to_datetime("2017-01-01") + pd.to_timedelta(rng.integers(0, 570, n), unit="D")
    df = pd.DataFrame({
        "kode_cabang": villages["branch_code"].to_numpy()[idx],
        "kode_desa": villages["village_code"].to_numpy()[idx],
        "id_peserta": [f"BEN{k:09d}" for k in range(n)],
        "segmen": seg, "pekerjaan": occ, "jkk": "ya", "jkm": "ya", "jht": jht, "jp": jp,
        "tanggal_daftar": day.strftime("%d/%m/%Y"),
        "iuran_sampai": "08/2018",
        "aktif": np.where(rng.random(n) < 0.8, "aktif", "tidak aktif"),
    })
    df.to_csv(path, sep=";", index=False)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--base", type=Path, default=paths.data_dir(), help="data dir holding the base snapshot")
    ap.add_argument("--snapshot", default="2018-08-01")
    ap.add_argument("--as-of", type=date.fromisoformat, default=date(2018, 8, 31))
    args = ap.parse_args()

    src = next((s for s in snapshots.published(args.base) if s.id == args.snapshot), None)
    if src is None:
        print(f"snapshot {args.snapshot} not found in {args.base} (build the demo: python -m desasadar demo)")
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        data = work / "data"
        (data / "snapshots").mkdir(parents=True)
        shutil.copytree(src.path, data / "snapshots" / src.id)
        snapshots.set_current(src.id, data)
        villages = pq.read_table(src.path / "villages.parquet", columns=["village_code", "branch_code"]).to_pandas()
        villages = villages.astype(str)
        csv = work / "laporan_kepesertaan_bench.csv"
        t0 = time.perf_counter()
        write_enrollments(csv, villages, args.rows)
        print(f"wrote {args.rows:,} rows ({csv.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s")

        t0 = time.perf_counter()
        r = P.ingest([csv], args.as_of, base=data, publish=False)
        t_check = time.perf_counter() - t0
        assert r.ok and r.rejected == 0, r.lines("en")
        print(f"validate only: {t_check:.1f} s  ->  {args.rows / t_check:,.0f} rows/s")

        t0 = time.perf_counter()
        r = P.ingest([csv], args.as_of, base=data, publish=True)
        t_all = time.perf_counter() - t0
        assert r.outcome == "published", r.lines("en")
        snap = next(s for s in snapshots.published(data) if s.id == r.snapshot_id)
        total = snap.manifest["files"]["enrollments.parquet"]["rows"]
        print(f"validate + publish: {t_all:.1f} s  ->  {args.rows / t_all:,.0f} rows/s "
              f"(snapshot {r.snapshot_id}: {total:,} enrollments after merging with the base)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
