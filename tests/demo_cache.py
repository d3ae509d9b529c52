"""The demo series the tests read, built once per code version into .cache/."""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from pathlib import Path

from desasadar import demo, paths, reference

ROOT = paths.ROOT


def key() -> str:
    """Changes whenever the demo generator, the derive SQL or the reference data change."""
    h = hashlib.sha256()
    for p in sorted([ROOT / "desasadar" / "demo.py", ROOT / "desasadar" / "snapshots.py",
                     *(ROOT / "queries" / "derive").glob("*.sql"), *(ROOT / "queries" / "macros").glob("*.sql")]):
        h.update(p.read_bytes())
    h.update(reference.version().encode())
    return h.hexdigest()[:12]


def folder() -> Path:
    return ROOT / ".cache" / f"test-demo-{key()}"


def ensure() -> Path:
    """The demo folder, built if missing. Parallel test workers (scripts/test.sh runs pytest-xdist) build it
    once: the others wait on the lock."""
    base = folder()
    base.parent.mkdir(exist_ok=True)
    with open(base.parent / f"{base.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (base / "CURRENT").exists():
            tmp = base.with_name(base.name + f".build-{os.getpid()}")
            shutil.rmtree(tmp, ignore_errors=True)
            demo.build(tmp)
            os.rename(tmp, base)
    return base
