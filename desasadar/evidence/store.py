"""Evidence files and their metadata, under the data folder and outside every snapshot.

    <data>/evidence/files/ab/abcdef...   the file, named by the sha256 of its stored bytes
    <data>/evidence/bukti.jsonl          one JSON line per attached file (append-only)

A rollback or a new snapshot never touches them. The metadata is read into the data layer as
table `_all.bukti` (desasadar/db.py) and served, scoped, through query files like any other table.
No Streamlit and no DuckDB here.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

import pandas as pd

from .. import paths

# The metadata table's columns and types (an empty log still gives a typed, empty table).
COLUMNS = {
    "bukti_id": "string", "village_code": "string", "kind": "string", "sha256": "string",
    "size_bytes": "int64", "media_type": "string", "caption": "string", "cert_number": "string",
    "cert_date": "datetime64[s]", "who": "string", "added_at": "datetime64[s, UTC]",
    "original_name": "string", "width": "Int64", "height": "Int64",
    "photo_lat": "float64", "photo_lon": "float64", "distance_km": "float64", "far": "boolean",
}
_lock = threading.Lock()


def folder(base: Path | None = None) -> Path:
    return (base or paths.data_dir()) / "evidence"


def log_path(base: Path | None = None) -> Path:
    return folder(base) / "bukti.jsonl"


def file_path(sha: str, base: Path | None = None) -> Path:
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise ValueError("not a sha256")
    return folder(base) / "files" / sha[:2] / sha


def stamp(base: Path | None = None) -> tuple[int, int] | None:
    """Changes whenever a record is appended: part of the data layer's cache keys."""
    try:
        st = log_path(base).stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size)


def sha_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(data: bytes, base: Path | None = None) -> str:
    """Store bytes under their sha256 (once; written to a temp name, then renamed) and return it."""
    sha = sha_of(data)
    path = file_path(sha, base)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{sha}.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    return sha


def read(sha: str, base: Path | None = None) -> bytes:
    """The stored bytes, checked against their name (a damaged file is never served)."""
    data = file_path(sha, base).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha:
        raise OSError(f"evidence file {sha[:12]} is damaged")
    return data


def append(record: dict, base: Path | None = None) -> None:
    """Add one metadata line (one write in append mode, like the audit log)."""
    line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode()
    path = log_path(base)
    with _lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)


def records(base: Path | None = None) -> pd.DataFrame:
    """Every metadata record as a typed frame (empty, with the same columns, when there is none)."""
    path = log_path(base)
    rows = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a line cut short by a crash mid-write: skip it, keep the rest
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    for col, typ in COLUMNS.items():
        if typ.startswith("datetime64"):
            df[col] = pd.to_datetime(df[col], utc=typ.endswith("UTC]"), errors="coerce")
            if not typ.endswith("UTC]"):
                df[col] = df[col].astype("datetime64[s]")
        else:
            df[col] = df[col].astype(typ)
    return df
