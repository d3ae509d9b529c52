"""Command line: python -m desasadar <command>; `python -m desasadar --help` lists them.

demo, list, rollback: snapshots.   ingest, template, branch-files: branch report files in and out.
briefs: PDF/PNG briefs of a branch or region.   laporan: e-mailed briefs.   bukti: evidence per village.
"""
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
    rb.add_argument("--lang", choices=("id", "en"), default="id")
    rb.add_argument("--wait", type=float, default=None, metavar="SECONDS", help="wait for a running publish")
    from .evidence import cli as bukti_cli
    from .export import cli as briefs_cli
    from .ingest import cli as ingest_cli
    from .laporan import cli as laporan_cli

    ingest_cli.add_parsers(sub)
    briefs_cli.add_parsers(sub)
    bukti_cli.add_parsers(sub)
    laporan_cli.add_parsers(sub)
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    base = paths.data_dir()
    if args.cmd == "demo":
        t0 = time.perf_counter()
        try:
            built = demo.build(base, lambda k, n, i: print(f"[{k}/{n}] snapshot {i}", flush=True),
                               only_missing=not args.force)
        except snapshots.SnapshotError as e:
            print(e.text(), file=sys.stderr)
            return 1
        print(f"{len(built)} demo snapshot(s) published in {time.perf_counter() - t0:.1f} s; CURRENT = {snapshots.current_id(base)}")
        return 0
    if args.cmd == "list":
        print("\n".join(ingest_cli.list_lines(base)) or "no snapshots")
        return 0
    if args.cmd == "rollback":
        from .ingest.publish import rollback

        from .ingest.cli import EXIT_LOCK_HELD, EXIT_PUBLISHED_BUT
        from .ingest.report import after_text

        try:
            after = rollback(args.snapshot_id, base, wait=args.wait)
        except snapshots.SnapshotError as e:
            print(e.text(args.lang), file=sys.stderr)
            return EXIT_LOCK_HELD if e.reason == "lock_held" else 1
        print(f"CURRENT = {args.snapshot_id}")
        for a in after:
            print(after_text(a, args.lang), file=sys.stderr)
        return EXIT_PUBLISHED_BUT if after else 0
    handler = {"ingest": ingest_cli.run_ingest, "branch-files": ingest_cli.run_branch_files,
               "template": ingest_cli.run_template, "briefs": briefs_cli.run, "bukti": bukti_cli.run,
               "laporan": laporan_cli.run}
    return handler[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
