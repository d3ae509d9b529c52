"""Uploaded files on their way to ingest: kept in a private temporary folder (never under
data/) until they are validated and published; the size limit is checked here too."""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .. import snapshots
from .publish import Input

ACCEPTED_TYPES = ["csv", "txt", "xlsx"]


@dataclass
class Staged:
    folder: Path
    inputs: list[Input] = field(default_factory=list)
    too_large: list[tuple[str, int]] = field(default_factory=list)  # (name, bytes): over the limit


def stage(files: list[tuple[str, bytes]], limit_bytes: int | None) -> Staged:
    """Write uploads into a new temporary folder. Files over the limit are written too (the
    reader refuses them by size, so the report lists them) but also named in `too_large`."""
    folder = snapshots.temp_dir("desasadar-upload-")
    out = Staged(folder)
    for k, (name, data) in enumerate(files):
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._") or "file"
        p = folder / f"{k:03d}_{safe}"
        p.write_bytes(data)
        out.inputs.append(Input(p, Path(name).name))
        if limit_bytes is not None and len(data) > limit_bytes:
            out.too_large.append((Path(name).name, len(data)))
    return out


def discard(staged: Staged | None) -> None:
    if staged is not None:
        shutil.rmtree(staged.folder, ignore_errors=True)


def default_as_of(base: Path | None = None) -> date:
    """The month end after CURRENT's as-of date (the next monthly report), or today."""
    cur = snapshots.current_id(base)
    snap = next((s for s in snapshots.published(base) if s.id == cur), None)
    if snap is None:
        return date.today()
    d = snap.as_of
    first_next = (d.replace(day=1) + timedelta(days=32)).replace(day=1)
    if d == (first_next - timedelta(days=1)):  # already a month end: the next one
        first_next = (first_next + timedelta(days=32)).replace(day=1)
    return first_next - timedelta(days=1)
