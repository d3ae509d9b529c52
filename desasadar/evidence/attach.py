"""Attaching evidence to a village and handing it out, both within a scope.

The village must be visible to the data officer's scope (checked through queries/desa_profil.sql, the
same scoped runner as every page); a file is handed out only when it belongs to a record the viewer's
scope can see (queries/bukti_desa.sql). Nothing is stored when a check fails.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd

from .. import audit, db
from ..scope import Scope
from . import checks, store
from .checks import EvidenceError

MAX_CAPTION = 200
MAX_CERT_NUMBER = 80


@dataclass(frozen=True)
class Added:
    bukti_id: str
    sha256: str
    kind: str
    far: bool                     # a photo taken far from the village (stored, but flagged)
    distance_km: float | None


def _village(scope: Scope, code: str, served, base: Path | None) -> dict:
    prof = db.run("desa_profil", scope, served, base=base, village_code=code)
    if prof.empty:
        raise EvidenceError("bukti.err_scope", code=code)
    return prof.iloc[0].to_dict()


def add(scope: Scope, who: str, village_code: str, kind: str, data: bytes, *, caption: str = "",
        cert_number: str | None = None, cert_date: date | None = None, original_name: str = "",
        served=None, base: Path | None = None, max_bytes: int = checks.MAX_BYTES) -> Added:
    """Check and store one file as evidence for a village in `scope`; EvidenceError when refused."""
    served = served if served is not None else db.serve(None, base)
    v = _village(scope, village_code, served, base)
    caption = (caption or "").strip()
    if len(caption) > MAX_CAPTION:
        raise EvidenceError("bukti.err_caption", max=MAX_CAPTION)
    if kind == "sertifikat":
        cert_number = (cert_number or "").strip()
        if not cert_number or len(cert_number) > MAX_CERT_NUMBER:
            raise EvidenceError("bukti.err_cert_number", max=MAX_CERT_NUMBER)
        if not isinstance(cert_date, date):
            raise EvidenceError("bukti.err_cert_date")
        if cert_date > datetime.now(timezone.utc).date():
            raise EvidenceError("bukti.err_cert_future")
    else:
        cert_number, cert_date = None, None
    ok = checks.check(kind, data, max_bytes)
    sha = store.sha_of(ok.data)
    have = db.run("bukti_desa", scope, served, base=base, village_code=village_code)
    if (have["sha256"] == sha).any():
        raise EvidenceError("bukti.err_duplicate")
    distance = far = None
    if ok.gps is not None and not pd.isna(v.get("lat")) and not pd.isna(v.get("lon")):
        distance = round(checks.distance_km(ok.gps, (float(v["lat"]), float(v["lon"]))), 1)
        far = distance > checks.FAR_KM
    store.put(ok.data, base)
    rec = {
        "bukti_id": uuid.uuid4().hex[:16], "village_code": village_code, "kind": kind, "sha256": sha,
        "size_bytes": len(ok.data), "media_type": ok.media_type, "caption": caption,
        "cert_number": cert_number, "cert_date": cert_date.isoformat() if cert_date else None,
        "who": who, "added_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "original_name": Path(original_name or "").name[:120], "width": ok.width, "height": ok.height,
        "photo_lat": ok.gps[0] if ok.gps else None, "photo_lon": ok.gps[1] if ok.gps else None,
        "distance_km": distance, "far": far,
    }
    store.append(rec, base)
    audit.record("evidence", who, base=base, village=village_code, kind=kind, sha256=sha, far=far)
    return Added(rec["bukti_id"], sha, kind, bool(far), distance)


def listed(scope: Scope, village_code: str, served=None, base: Path | None = None) -> pd.DataFrame:
    """The evidence records of a village the scope can see (empty outside it)."""
    served = served if served is not None else db.serve(None, base)
    return db.run("bukti_desa", scope, served, base=base, village_code=village_code)


def file_for(scope: Scope, village_code: str, sha: str, served=None, base: Path | None = None) -> bytes | None:
    """The bytes of one evidence file, or None unless the scope sees a record of it for that village."""
    rows = listed(scope, village_code, served, base)
    if rows.empty or not (rows["sha256"] == sha).any():
        return None
    return store.read(sha, base)
