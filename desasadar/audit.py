"""Append-only audit log: who viewed which scope, exported what, published or rolled back what.

One JSON object per line in data/audit/audit.jsonl, opened in append mode and never rewritten.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from . import paths

_lock = threading.Lock()


def log_path(base: Path | None = None) -> Path:
    return (base or paths.data_dir()) / "audit" / "audit.jsonl"


def record(action: str, who: str, *, base: Path | None = None, **details) -> None:
    """Append one event. `action`: view | export | publish | rollback | denied | sign_in | sign_out."""
    event = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "action": action, "who": who or "demo"}
    event.update({k: v for k, v in details.items() if v is not None})
    line = json.dumps(event, ensure_ascii=False, default=str) + "\n"
    path = log_path(base)
    with _lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)


def read(base: Path | None = None) -> list[dict]:
    path = log_path(base)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


ONCE_DAYS = 31  # longer than a sign-in can last (Streamlit's identity cookie: 30 days)


def once(kind: str, key: str, base: Path | None = None) -> bool:
    """True the first time `key` is seen, across sessions, restarts and replicas sharing the data
    folder (an O_EXCL marker file). Used to write one `sign_in` per sign-in, not per page load."""
    folder = log_path(base).parent / "once" / kind
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / hashlib.sha256(key.encode()).hexdigest()[:32]
    try:
        os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640))
    except FileExistsError:
        return False
    cutoff = time.time() - ONCE_DAYS * 86400
    for old in folder.iterdir():  # markers of sign-ins that can no longer be in use
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass
    return True
