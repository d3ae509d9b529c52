"""Benchmark (not a test): publish a national-scale snapshot and time every dashboard query.

    .venv/bin/python scripts/benchmark.py                  # all 83,762 villages, 10 million enrollments
    .venv/bin/python scripts/benchmark.py --enrollments 50000000
    .venv/bin/python scripts/benchmark.py --demo           # queries only, on the demo data in data/

Prints the publish time and, per query file, the median and p95 latency of run() with the
result cache bypassed (the database is warm, as on a server). Budgets on 2 cores (DESIGN.md):
every dashboard query <= 25 ms, publish of 10 million enrollments < 60 s.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desasadar import db, demo, paths, snapshots  # noqa: E402
from desasadar.domain import OCCUPATIONS, SEGMENTS  # noqa: E402
from desasadar.scope import Scope  # noqa: E402

# Sample values for query parameters, by parameter name (a query whose parameter has no sample is skipped).
SAMPLES = {
    "village_code": "21.01.10.2002", "desa": "21.01.10.2002", "kode": "21.01.10.2002",
    "regency_code": "21.01", "branch_code": "tanjung-pinang", "cabang": "tanjung-pinang",
    "region_code": "sumbarriau", "wilayah": "sumbarriau", "tahun": 2018, "year": 2018,
    "limit": 50, "n": 50, "status": "certified", "measure": "certified", "ukuran": "certified",
    "as_of": date(2018, 12, 31), "q": "ekang", "term": "ekang",
}
# Per-query values where the name alone is not enough.
QUERY_SAMPLES = {
    "cabang_peringkat": {"ukuran": "persen_target"}, "wilayah_peringkat": {"ukuran": "persen_target"},
    "desa_peringkat": {"ukuran": "peserta"}, "sertifikasi_per_wilayah": {"tingkat": "region"},
}
SCOPES = {"national": Scope.national(), "wilayah": Scope.of(regions=["sumbarriau"]),
          "cabang": Scope.of(branches=["tanjung-pinang"])}


def big_enrollments(world: demo.World, n: int, as_of: date, folder: Path) -> None:
    """The demo villages as of `as_of`, with `n` synthetic participants spread over all villages."""
    demo.write_snapshot_tables(world, as_of, folder)
    (folder / "enrollments.parquet").unlink()
    rng = np.random.default_rng(7)
    codes = pa.array(world.codes.astype(str))
    writer = None
    chunk = 2_000_000
    start_day = (date(2015, 1, 1) - demo.EPOCH).days
    end_day = (as_of - demo.EPOCH).days
    for lo in range(0, n, chunk):
        k = min(chunk, n - lo)
        seg = rng.choice(4, k, p=[0.45, 0.40, 0.10, 0.05]).astype(np.int32)
        occ = rng.integers(0, len(OCCUPATIONS), k).astype(np.int32)
        pu = seg == 0
        jht = pu | ((seg != 2) & (rng.random(k) < 0.2))
        on = rng.integers(start_day, end_day + 1, k).astype(np.int32)
        active = rng.random(k) < 0.8
        month = on.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]").astype(np.int32)
        paid = np.where(active, (np.datetime64(as_of, "M").astype("datetime64[D]").astype(np.int32)), month)
        t = pa.table({
            "participant_id": pa.array([f"B{i:010d}" for i in range(lo, lo + k)]),
            "village_code": pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, len(codes), k).astype(np.int32)), codes),
            "segment": pa.DictionaryArray.from_arrays(pa.array(seg), pa.array(list(SEGMENTS))),
            "occupation": pa.DictionaryArray.from_arrays(pa.array(occ), pa.array(list(OCCUPATIONS))),
            "jkk": pa.array(np.ones(k, bool)), "jkm": pa.array(np.ones(k, bool)),
            "jht": pa.array(jht), "jp": pa.array(pu & (rng.random(k) < 0.7)),
            "enrolled_on": pa.array(on).cast(pa.date32()), "paid_until": pa.array(paid).cast(pa.date32()),
            "active": pa.array(active),
        })
        if writer is None:
            writer = pq.ParquetWriter(folder / "enrollments.parquet", t.schema, compression="zstd")
        writer.write_table(t, row_group_size=512_000)
    writer.close()


def time_queries(base: Path, snapshot_id: str, repeat: int) -> list[tuple]:
    served = db.serve(snapshot_id, base)
    out = []
    for path in sorted(paths.QUERIES_DIR.glob("*.sql")):
        name = path.stem
        wanted = sorted(set(db.PARAM_RE.findall(path.read_text())))
        samples = {**SAMPLES, **QUERY_SAMPLES.get(name, {})}
        missing = [p for p in wanted if p not in samples]
        if missing:
            out.append((name, "-", None, None, None, f"no sample for ${', $'.join(missing)}"))
            continue
        params = {p: samples[p] for p in wanted}
        for label, scope in SCOPES.items():
            times = []
            try:
                for _ in range(repeat):
                    db._results.clear()  # measure the query, not the result cache
                    t0 = time.perf_counter()
                    df = db.run(name, scope, served, base=base, **params)
                    times.append((time.perf_counter() - t0) * 1000)
            except Exception as e:  # report and go on: a benchmark, not a test
                out.append((name, label, None, None, None, f"error: {e}"[:80]))
                continue
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            out.append((name, label, statistics.median(times), p95, len(df), ""))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--enrollments", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--demo", action="store_true", help="time the queries on the demo data in data/ only")
    ap.add_argument("--keep", action="store_true", help="keep the benchmark data dir")
    args = ap.parse_args()

    if args.demo:
        base, sid = paths.data_dir(), None
        print(f"queries on {base} (CURRENT = {snapshots.current_id(base)})")
    else:
        base = Path(tempfile.mkdtemp(prefix="dsjs-bench-"))
        as_of = date(2018, 12, 31)
        t0 = time.perf_counter()
        world = demo.build_world()
        t1 = time.perf_counter()
        stage = Path(tempfile.mkdtemp(prefix="dsjs-raw-"))
        big_enrollments(world, args.enrollments, as_of, stage)
        t2 = time.perf_counter()

        def write_raw(folder: Path) -> None:
            for name in snapshots.RAW_FILES:
                shutil.move(stage / name, folder / name)

        snap = snapshots.publish(as_of.isoformat(), as_of, write_raw, base=base)
        t3 = time.perf_counter()
        size = sum(p.stat().st_size for p in snap.path.iterdir()) / 1e6
        print(f"villages: {len(world.codes):,}; enrollments: {args.enrollments:,}")
        print(f"generate raw tables: {t2 - t0:6.1f} s (world {t1 - t0:.1f} s)")
        print(f"publish (validate + derive + served.duckdb + manifest + swap): {t3 - t2:6.1f} s   "
              f"budget < 60 s for 10 M, < 300 s for 50 M (2 cores)")
        counts = ", ".join(f"{k} {v['rows']:,} rows" if "rows" in v else f"{k} {v['bytes'] / 1e6:.0f} MB"
                           for k, v in snap.manifest["files"].items())
        print(f"snapshot size: {size:.0f} MB  ({counts})")
        sid = snap.id

    served = db.serve(sid, base)
    t0 = time.perf_counter()
    database = db._database(served, base)
    t1 = time.perf_counter()
    db.run("kantor_terpilih", Scope.national(), served, base=base)
    t2 = time.perf_counter()
    print(f"open the snapshot's database ({database.source}): {(t1 - t0) * 1000:.0f} ms; "
          f"first query: {(t2 - t1) * 1000:.0f} ms")
    if database.source == "file":  # the same snapshot built in memory from Parquet, as before served.duckdb
        db.clear_caches()
        t0 = time.perf_counter()
        con = db.duckdb.connect(config={"threads": 2})
        con.execute("attach ':memory:' as _all")
        db.served.build(con, snapshot_id=served.id, as_of=served.as_of, demo=served.snapshot.is_demo,
                        facts=served.snapshot.path, history=[s for s in served.available if s.as_of < served.as_of],
                        ref_dir=paths.reference_dir(base))
        print(f"for comparison, loading the same tables from Parquet into memory: "
              f"{(time.perf_counter() - t0) * 1000:.0f} ms")
        con.close()
    rows = time_queries(base, sid, args.repeat)
    print()
    print(f"{'query':32} {'scope':9} {'median ms':>9} {'p95 ms':>8} {'rows':>7}  note")
    slow = 0
    for name, label, med, p95, n, note in rows:
        if med is None:
            print(f"{name:32} {label:9} {'':>9} {'':>8} {'':>7}  {note}")
            continue
        flag = "  OVER 25 ms" if p95 > 25 else ""
        slow += bool(flag)
        print(f"{name:32} {label:9} {med:9.1f} {p95:8.1f} {n:7d}  {note}{flag}")
    print(f"\n{slow} query/scope pair(s) over the 25 ms budget at p95")
    if not args.demo and not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
