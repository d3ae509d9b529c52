"""Where things live. DSJS_DATA_DIR moves the data folder (tests use tmp dirs)."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
MACROS_DIR = QUERIES_DIR / "macros"  # shared SQL rules, one file per macro
REPO_REFERENCE_DIR = ROOT / "data" / "reference"


def data_dir() -> Path:
    folder = os.environ.get("DSJS_DATA_DIR", str(ROOT / "data"))
    return _resolved(folder, "" if os.path.isabs(folder) else os.getcwd())


# Asked a dozen times a run (every query, every reference table): resolving walks the path with a stat per
# part. Per setting (and working folder, for a relative one), as the tests move it; a data folder is not
# swapped for a link under a running server.
@lru_cache(maxsize=64)
def _resolved(folder: str, cwd: str) -> Path:
    return (Path(cwd) / folder).resolve() if cwd else Path(folder).resolve()


def reference_dir(base: Path | None = None) -> Path:
    """The reference tables; a data dir without its own copy uses the repo's."""
    own = (base or data_dir()) / "reference"
    return own if (own / "desa.parquet").exists() else REPO_REFERENCE_DIR


def snapshots_dir(base: Path | None = None) -> Path:
    return (base or data_dir()) / "snapshots"


def current_pointer(base: Path | None = None) -> Path:
    return (base or data_dir()) / "CURRENT"
