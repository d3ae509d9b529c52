"""Command line: python -m desasadar <command> (demo, list, rollback)."""
from __future__ import annotations

import argparse
import sys
import time

from . import demo, paths, snapshots


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m desasadar")
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("demo", help="build the demo snapshots (only missing ones unless --force)")
    d.add_argument("--force", action="store_true")
    sub.add_parser("list", help="list published snapshots")
    rb = sub.add_parser("rollback", help="point CURRENT at an earlier snapshot")
    rb.add_argument("snapshot_id")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    base = paths.data_dir()
    if args.cmd == "demo":
        t0 = time.perf_counter()
        built = demo.build(base, lambda k, n, i: print(f"[{k}/{n}] snapshot {i}", flush=True), only_missing=not args.force)
        print(f"{len(built)} demo snapshot(s) published in {time.perf_counter() - t0:.1f} s; CURRENT = {snapshots.current_id(base)}")
        return 0
    if args.cmd == "list":
        cur = snapshots.current_id(base)
        for s in snapshots.published(base):
            bad = snapshots.integrity_problems(s)
            rows = s.manifest["files"]["enrollments.parquet"]["rows"]
            print(f"{'*' if s.id == cur else ' '} {s.id}  as_of={s.as_of}  enrollments={rows:>9,}  "
                  f"{'DEMO ' if s.is_demo else ''}{'DAMAGED: ' + '; '.join(bad) if bad else 'ok'}")
        return 0
    if args.cmd == "rollback":
        try:
            snapshots.set_current(args.snapshot_id, base)
        except snapshots.SnapshotError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        print(f"CURRENT = {args.snapshot_id}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
