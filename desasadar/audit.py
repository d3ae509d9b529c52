"""Append-only audit log: who viewed which scope, exported what, published or rolled back what.

One JSON object per line in data/audit/audit.jsonl, opened in append mode and never rewritten.
"""
from __future__ import annotations

import json
import os
import threading
from datetime import datetime, timezone
from pathlib import Path

from . import paths

_lock = threading.Lock()


def log_path(base: Path | None = None) -> Path:
    return (base or paths.data_dir()) / "audit" / "audit.jsonl"


def record(action: str, who: str, *, base: Path | None = None, **details) -> None:
    """Append one event. `action`: view | export | publish | rollback | denied | sign_in."""
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
