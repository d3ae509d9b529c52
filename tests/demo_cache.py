"""The demo series the tests read, built once per code version into .cache/."""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
from pathlib import Path

from desasadar import demo, paths, reference

ROOT = paths.ROOT


_RELATIVE_IMPORT = re.compile(r"^\s*from \.(\w*) import ([\w, ]+)", re.M)


def _build_modules() -> list[Path]:
    """desasadar/demo.py and every package module it imports, directly or not, also inside functions
    (snapshots imports served there): read from the source, so the list is the same in every process."""
    pkg = ROOT / "desasadar"
    todo, seen = ["demo"], {}
    while todo:
        name = todo.pop()
        path = pkg / f"{name}.py"
        if name in seen or not path.is_file():
            continue
        seen[name] = path
        for module, names in _RELATIVE_IMPORT.findall(path.read_text()):
            todo += [module] if module else [n.strip() for n in names.split(",")]
    return sorted(seen.values())


def key() -> str:
    """Changes whenever the code that builds the demo (its modules, the derive SQL, the macros) or the
    reference data change."""
    h = hashlib.sha256()
    for p in [*_build_modules(), *sorted((ROOT / "queries" / "derive").glob("*.sql")),
              *sorted((ROOT / "queries" / "macros").glob("*.sql"))]:
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
