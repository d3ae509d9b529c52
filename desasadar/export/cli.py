"""Every brief of a branch (or region) in one go, from the command line (wired into `python -m desasadar`).

    python -m desasadar briefs --cabang tanjung-pinang --snapshot 2018-08-01 --out DIR
    python -m desasadar briefs --wilayah sumbarriau --lang en --out DIR

Writes the branch/region brief PDF and, for each certified village of it, the village PDF (A4) and the
PNG for messaging (1080x1350). Runs on the data folder (DSJS_DATA_DIR or ./data) with national scope:
it is an operator's tool on the server. The QR code is added when DSJS_PUBLIC_URL (or --public-url) is set.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .. import db, i18n, offices, reference, table_files
from ..scope import Scope
from . import brief_pdf, brief_png, facts, qr


def add_parsers(sub) -> None:
    b = sub.add_parser("briefs", help="every PDF/PNG brief of a branch or region (and its certified villages)")
    who = b.add_mutually_exclusive_group(required=True)
    who.add_argument("--cabang", help="branch slug, e.g. tanjung-pinang")
    who.add_argument("--wilayah", help="region slug, e.g. sumbarriau")
    b.add_argument("--snapshot", help="snapshot id (as-of date); default: the published one (CURRENT)")
    b.add_argument("--tahun", type=int, help="target year; default: the snapshot's year")
    b.add_argument("--lang", choices=i18n.LANGS, default="id")
    b.add_argument("--out", required=True, type=Path, help="folder to write into (created if missing)")
    b.add_argument("--public-url", help="public base URL for the QR code (default: DSJS_PUBLIC_URL)")
    b.add_argument("--no-villages", action="store_true", help="only the branch/region brief")


def run(args: argparse.Namespace) -> int:
    level, code = ("branch", args.cabang) if args.cabang else ("region", args.wilayah)
    served = db.serve(args.snapshot)
    if args.snapshot and served.id != args.snapshot:
        have = ", ".join(s.id for s in served.available)
        print(f"error: no snapshot {args.snapshot!r} (available: {have})", file=sys.stderr)
        return 2
    known = (  # the branches of the snapshot's own structure (an office list it carries, or the reference's)
        set(offices.of_snapshot(served.snapshot).cabang["branch_code"])
        if level == "branch"
        else set(reference.table("wilayah.csv")["region_code"])
    )
    if code not in known:
        print(f"error: unknown {'cabang' if level == 'branch' else 'wilayah'} {code!r}", file=sys.stderr)
        return 2
    year = args.tahun or served.as_of.year
    office_scope = Scope.of(branches=[code]) if level == "branch" else Scope.of(regions=[code])
    # an office with an assumed seat is marked "perkiraan" wherever it is named (desasadar/offices.py)
    run_office = lambda name, **p: offices.mark_branches(db.run(name, office_scope, served, **p), args.lang)  # noqa: E731
    run_all = lambda name, **p: offices.mark_branches(db.run(name, Scope.national(), served, **p), args.lang)  # noqa: E731
    public_url = qr.public_base_url(args.public_url)

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    k = facts.kantor(level, code, year, run_office, run_all)
    prefix = "ringkasan-kc" if level == "branch" else "ringkasan-kanwil"
    written = []
    demo = served.snapshot.is_demo  # demo files: DEMO- in the name (table_files.file_name), DEMO inside
    path = out / table_files.file_name(f"{prefix}-{code}-{served.id}-{args.lang}", "pdf", demo=demo)
    path.write_bytes(brief_pdf.office_pdf(k, args.lang))
    written.append(path)
    if not args.no_villages:
        for vc in k.villages["village_code"]:
            d = facts.desa(run_office, vc, year)
            base = f"peresmian-{vc}-{served.id}-{args.lang}"
            pdf, png = (out / table_files.file_name(base, ext, demo=demo) for ext in ("pdf", "png"))
            pdf.write_bytes(brief_pdf.village_pdf(d, args.lang, public_url))
            png.write_bytes(brief_png.village_png(d, args.lang, public_url))
            written += [pdf, png]
    for p in written:
        print(p)
    note = " (DEMO data)" if demo else ""
    print(
        f"{len(written)} files for {k.name}, snapshot {served.id}{note}, in {time.monotonic() - t0:.1f} s",
        file=sys.stderr,
    )
    return 0
