"""Command line: python -m desasadar <command> (demo, list, rollback, ingest, export, template, bukti, laporan)."""
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
    from .evidence import cli as bukti_cli
    from .ingest import cli as ingest_cli
    from .laporan import cli as laporan_cli

    ingest_cli.add_parsers(sub)
    bukti_cli.add_parsers(sub)
    laporan_cli.add_parsers(sub)
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
        print("\n".join(ingest_cli.list_lines(base)) or "no snapshots")
        return 0
    if args.cmd == "rollback":
        from .ingest.publish import rollback

        try:
            rollback(args.snapshot_id, base)
        except snapshots.SnapshotError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        print(f"CURRENT = {args.snapshot_id}")
        return 0
    handler = {"ingest": ingest_cli.run_ingest, "export": ingest_cli.run_export, "template": ingest_cli.run_template,
               "bukti": bukti_cli.run, "laporan": laporan_cli.run}
    return handler[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
