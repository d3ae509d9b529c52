"""Command line for ingest (wired into `python -m desasadar`).

    python -m desasadar ingest FILES... --as-of 2018-09-30 [--max-rejected 0.05] [--check-only]
                                         [--report problems.csv] [--max-size-mb 50] [--lang en]
                                         [--base SNAPSHOT] [--wait SECONDS]
    python -m desasadar branch-files SNAPSHOT OUT_DIR  # a snapshot written back as branch report files
    python -m desasadar template status_desa|kepesertaan OUT.csv|OUT.xlsx

Exit codes: 0 published (or unchanged, or --check-only passed), 1 rejected or failed, 2 usage,
3 published but a later step failed (the audit log), 75 another publish holds the lock (try again).
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from .. import paths, snapshots
from ..errors import LockHeld
from . import columns as C
from .publish import DEFAULT_MAX_REJECTED, ingest, snapshot_rows

BAR_MIN_ROWS = 50_000  # files shorter than this read without a progress bar
MAX_FILES_LISTED = 25


def add_parsers(sub) -> None:
    p = sub.add_parser("ingest", help="check branch files (CSV/XLSX) and publish them as a new snapshot")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--as-of", required=True, type=_date, metavar="YYYY-MM-DD", help="date the data describes")
    p.add_argument("--max-rejected", type=_share, default=DEFAULT_MAX_REJECTED, metavar="SHARE",
                   help="largest share of rejected rows per report that still publishes (default 0.05)")
    p.add_argument("--max-size-mb", type=float, default=None, metavar="MB", help="reject files larger than this")
    p.add_argument("--check-only", action="store_true", help="validate and report, publish nothing")
    p.add_argument("--report", type=Path, metavar="CSV", help="write every problem to this CSV file")
    p.add_argument("--demo", action="store_true", help="label the new snapshot as demo data")
    p.add_argument("--lang", choices=("id", "en"), default="id")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--base", metavar="SNAPSHOT", help="build on this intact snapshot instead of CURRENT "
                   "(to recover from a damaged CURRENT, or to make a back-dated snapshot on purpose)")
    p.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                   help="how long to wait for another publish to finish (default 120)")
    e = sub.add_parser("branch-files", help="write a snapshot back as branch report files (the files ingest reads)")
    e.add_argument("snapshot_id")
    e.add_argument("out_dir", type=Path)
    e.add_argument("--one-file", action="store_true", help="one file per report instead of one per branch")
    t = sub.add_parser("template", help="write an empty report template (CSV or XLSX)")
    t.add_argument("kind", choices=sorted(C.REPORTS))
    t.add_argument("out", type=Path)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _share(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= x <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1 (0.05 = 5%)")
    return x


class _Bars:
    """tqdm bars for long files; one line per stage otherwise."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.bar = None
        self.key = None

    def __call__(self, name: str, label: str, done: int, total: int) -> None:
        if self.quiet:
            return
        from tqdm import tqdm

        key = (name, label)
        if key != self.key:
            self.close()
            self.key = key
            if label == "read" and total < BAR_MIN_ROWS:
                return
            desc = name if label == "read" else {"check": "validasi / checking", "publish": "terbit / publishing"}[label]
            self.bar = tqdm(total=total, desc=desc[:40], unit=" baris" if label == "read" else " langkah",
                            file=sys.stderr, leave=False, dynamic_ncols=True)
        if self.bar is not None:
            self.bar.n = done
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def run_ingest(args) -> int:
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        print(f"error: not a file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    bars = _Bars(args.quiet or not sys.stderr.isatty())
    base = paths.data_dir()
    try:
        report = ingest(args.files, args.as_of, base=base, max_rejected=args.max_rejected,
                        max_bytes=int(args.max_size_mb * 1024 * 1024) if args.max_size_mb else None,
                        publish=not args.check_only, demo=args.demo, progress=bars, base_id=args.base,
                        wait=args.wait)
    finally:
        bars.close()
    lines = report.lines(args.lang, max_files=MAX_FILES_LISTED)
    print("\n".join(lines))
    if args.report:
        try:
            args.report.write_bytes(report.csv(args.lang))
            print(f"→ {args.report}")
        except OSError as e:
            print(f"error: {args.report}: {e.strerror or e}", file=sys.stderr)
    return exit_code(report)


EXIT_PUBLISHED_BUT = 3
EXIT_LOCK_HELD = 75  # EX_TEMPFAIL: try again later


def exit_code(report) -> int:
    if report.outcome in ("published", "unchanged"):
        return EXIT_PUBLISHED_BUT if report.after else 0
    if report.outcome == "checked":
        return 0
    return EXIT_LOCK_HELD if isinstance(report.error, LockHeld) and report.error.reason == "lock_held" else 1


def run_branch_files(args) -> int:
    from .branch_files import export_snapshot

    try:
        files = export_snapshot(args.snapshot_id, args.out_dir, by_branch=not args.one_file)
    except snapshots.SnapshotError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"{len(files)} file(s) in {args.out_dir}")
    return 0


def run_template(args) -> int:
    suffix = args.out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        print("error: the template file must end in .csv or .xlsx", file=sys.stderr)
        return 2
    args.out.write_bytes(C.template_csv(args.kind) if suffix == ".csv" else C.template_xlsx(args.kind))
    print(f"→ {args.out}")
    return 0


def list_lines(base: Path) -> list[str]:
    """`list`: every snapshot, current marked, with enrollments, origin and rejected rows."""
    out = []
    for r in snapshot_rows(base).itertuples():
        rej = f"  rejected={int(r.rejected):,}/{int(r.rows_in):,}" if not pd.isna(r.rows_in) else ""
        out.append(f"{'*' if r.current else ' '} {r.id:<13} as_of={r.as_of}  enrollments={r.enrollments:>9,}  "
                   f"{r.source:<7}{' DEMO' if r.demo else ''}{rej}  {'DAMAGED: ' + r.damaged if r.damaged else 'ok'}")
    return out
