"""`python -m desasadar bukti ...`: attach evidence from the command line, one file or a batch.

    python -m desasadar bukti tambah --oleh EMAIL --desa 21.01.10.2002 --jenis sertifikat \\
        --nomor 560/123/2018 --tanggal 2018-08-01 sertifikat.pdf
    python -m desasadar bukti impor --oleh EMAIL daftar.csv
    python -m desasadar bukti belum-lengkap [--oleh EMAIL]

`--oleh` is the data officer's e-mail in config/akses.toml: their role must be petugas_data and their
scope must contain the village. The batch CSV has the columns desa, jenis, berkas (relative to the CSV),
and optionally nomor, tanggal, keterangan; each row is stored or refused on its own.
Exit codes: 0 all stored, 1 some refused (each listed with the reason), 2 usage.
"""
from __future__ import annotations

import argparse
import csv
import sys
from datetime import date
from pathlib import Path

from .. import access, db, i18n
from ..scope import Scope
from . import attach, checks
from .checks import EvidenceError


def add_parsers(sub) -> None:
    p = sub.add_parser("bukti", help="attach evidence (certificate, berita acara, photos) to villages")
    bs = p.add_subparsers(dest="bukti_cmd", required=True)
    t = bs.add_parser("tambah", help="attach one file")
    t.add_argument("--oleh", required=True, help="data officer's e-mail (config/akses.toml)")
    t.add_argument("--desa", required=True, help="village code, e.g. 21.01.10.2002")
    t.add_argument("--jenis", required=True, choices=checks.KINDS)
    t.add_argument("--nomor", help="certificate number (sertifikat)")
    t.add_argument("--tanggal", type=date.fromisoformat, help="certificate date YYYY-MM-DD (sertifikat)")
    t.add_argument("--keterangan", default="", help="caption")
    t.add_argument("file", type=Path)
    i = bs.add_parser("impor", help="attach the files listed in a CSV")
    i.add_argument("--oleh", required=True)
    i.add_argument("daftar", type=Path)
    b = bs.add_parser("belum-lengkap", help="certified villages without a certificate on file")
    b.add_argument("--oleh", help="list within this person's scope (default: national)")
    for x in (t, i, b):
        x.add_argument("--lang", choices=i18n.LANGS, default="id")


def _officer(email: str) -> access.Viewer:
    v = access.viewer_for(email)
    if v.role != "petugas_data":
        raise PermissionError(f"{email or '?'} is not a data officer (petugas_data) in config/akses.toml")
    return v


def _one(v: access.Viewer, served, code: str, kind: str, path: Path, nomor, tanggal, caption: str) -> str:
    data = path.read_bytes()
    got = attach.add(v.scope, v.email, code, kind, data, caption=caption, cert_number=nomor, cert_date=tanggal,
                     original_name=path.name, served=served)
    flag = f"  FLAGGED: photo {got.distance_km} km from the village point" if got.far else ""
    return f"stored  {code} {kind:12} {path.name} sha256={got.sha256[:12]}{flag}"


def run(args: argparse.Namespace) -> int:
    served = db.serve(None)
    if args.bukti_cmd == "belum-lengkap":
        scope = access.viewer_for(args.oleh).scope if args.oleh else Scope.national()
        df = db.run("bukti_belum_lengkap", scope, served)
        for r in df.itertuples(index=False):
            print(f"{r.branch_name:24} {r.village_code} {r.village_name:28} certified {r.certified_on:%Y-%m-%d}"
                  f"  photos={r.photos} berita_acara={r.berita_acara}")
        print(f"{len(df)} certified villages without a certificate on file", file=sys.stderr)
        return 0
    try:
        v = _officer(args.oleh)
    except PermissionError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.bukti_cmd == "tambah":
        rows = [(args.desa, args.jenis, args.file, args.nomor, args.tanggal, args.keterangan, 0)]
    else:
        rows = []
        with open(args.daftar, newline="", encoding="utf-8-sig") as f:
            for n, r in enumerate(csv.DictReader(f), start=2):
                try:
                    tanggal = date.fromisoformat(r["tanggal"].strip()) if (r.get("tanggal") or "").strip() else None
                except ValueError:
                    tanggal = "bad"
                rows.append(((r.get("desa") or "").strip(), (r.get("jenis") or "").strip(),
                             args.daftar.parent / (r.get("berkas") or "").strip(), r.get("nomor"), tanggal,
                             r.get("keterangan") or "", n))
    failed = 0
    for code, kind, path, nomor, tanggal, caption, line in rows:
        where = f"line {line}: " if line else ""
        try:
            if tanggal == "bad":
                raise EvidenceError("bukti.err_cert_date")
            print(_one(v, served, code, kind, path, nomor, tanggal, caption))
        except EvidenceError as e:
            failed += 1
            print(f"REFUSED {where}{code} {path.name}: {i18n.t(e.key, args.lang, **e.values)}", file=sys.stderr)
        except OSError as e:
            failed += 1
            print(f"REFUSED {where}{code} {path}: {e.strerror or e}", file=sys.stderr)
    print(f"{len(rows) - failed} stored, {failed} refused", file=sys.stderr)
    return 1 if failed else 0
