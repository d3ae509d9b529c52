"""`python -m desasadar laporan`: build the briefs on the current snapshot and e-mail them.

    python -m desasadar laporan                     # every Kantor Wilayah + national, sent by SMTP
    python -m desasadar laporan --dry-run OUT_DIR   # the same e-mails written as .eml files
    python -m desasadar laporan --hanya-penerima    # build only the briefs someone receives

Recipients come from the access file the dashboard reads (DSJS_AKSES_FILE or config/akses.toml;
desasadar/laporan/penerima.py), SMTP settings from
.streamlit/secrets.toml [smtp] (desasadar/laporan/kirim.py). Exit codes: 0 all sent, 1 some address
failed (the others were still sent; each failure is listed), 2 usage or settings.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .. import access, audit, db, i18n, reference
from ..export import qr
from . import kirim, penerima, surat


def add_parsers(sub) -> None:
    p = sub.add_parser("laporan", help="e-mail the briefs (Kanwil, KC, national) to their recipients")
    p.add_argument("--dry-run", type=Path, metavar="DIR", help="write the e-mails as .eml files, send nothing")
    p.add_argument("--snapshot", help="snapshot id; default: the published one (CURRENT)")
    p.add_argument("--lang", choices=i18n.LANGS, default="id")
    p.add_argument("--hanya-penerima", action="store_true",
                   help="build only the briefs that have a recipient (default: every Kantor Wilayah too)")
    p.add_argument("--akses", type=Path, default=None,
                   help="access configuration (recipients); default: DSJS_AKSES_FILE, else config/akses.toml")
    p.add_argument("--secrets", type=Path, default=kirim.SECRETS, help="secrets.toml with [smtp]")
    p.add_argument("--pdf", type=Path, metavar="DIR", help="also keep every brief's PDF in this folder")


def run(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    sec = kirim.secrets(args.secrets)
    cfg = None
    if not args.dry_run:
        try:
            cfg = kirim.settings(sec)
        except kirim.SettingsError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    try:
        args.akses = args.akses or access.config_path()  # the same file the dashboard reads
        people = penerima.recipients(access.load_config(args.akses))
    except (access.ConfigError, OSError) as e:
        print(f"error: {args.akses}: {e}", file=sys.stderr)
        return 2
    served = db.serve(args.snapshot)
    if args.snapshot and served.id != args.snapshot:
        print(f"error: no snapshot {args.snapshot!r}", file=sys.stderr)
        return 2
    briefs = list(dict.fromkeys(p.brief for p in people))
    if not args.hanya_penerima:
        every = [("national", "")] + [("region", r) for r in reference.table("wilayah.csv")["region_code"]]
        briefs = list(dict.fromkeys(every + briefs))
    built = {}
    for b in briefs:
        if not surat.known(b):
            print(f"warning: {b[0]} {b[1]!r} is not in the reference data; skipped", file=sys.stderr)
            continue
        built[b] = surat.build(b, served, args.lang)
        if args.pdf:
            args.pdf.mkdir(parents=True, exist_ok=True)
            (args.pdf / built[b].filename).write_bytes(built[b].pdf)
    url = qr.public_base_url((sec.get("dsjs") or {}).get("public_url"))
    sender = cfg.sender if cfg else (sec.get("smtp") or {}).get("sender", "dsjs-laporan@localhost")
    messages = [surat.message(built[p.brief], p, sender, args.lang, url) for p in people if p.brief in built]
    results = kirim.write(messages, args.dry_run) if args.dry_run else kirim.send(cfg, messages)
    for r in results:
        audit.record("laporan", "laporan", to=r.email, brief=r.brief, ok=r.ok, detail=r.detail,
                     snapshot=served.id, dry_run=bool(args.dry_run))
    sent = [r for r in results if r.ok]
    failed = [r for r in results if not r.ok]
    verb = "written" if args.dry_run else "sent"
    for r in sent:
        print(f"{verb:7} {r.email:45} {r.brief:28} {r.detail}")
    for r in failed:
        print(f"FAILED  {r.email:45} {r.brief:28} {r.detail}")
    demo = " (DEMO data)" if served.snapshot.is_demo else ""
    print(f"{len(built)} briefs on snapshot {served.id}{demo}; {len(sent)} e-mails {verb}, {len(failed)} failed; "
          f"{time.monotonic() - t0:.1f} s", file=sys.stderr)
    if failed:
        print("not delivered: " + ", ".join(f"{r.email} ({r.detail})" for r in failed), file=sys.stderr)
    return 1 if failed else 0
