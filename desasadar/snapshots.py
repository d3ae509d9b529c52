"""Find, check and publish snapshots.

A snapshot is a folder data/snapshots/<id>/ with raw tables, derived facts and a manifest.
Publishing is atomic: everything is built in a hidden temporary folder, validated, renamed
into place, and only then is data/CURRENT swapped with os.replace. Published folders are
never modified; rolling back is a pointer swap.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb

from . import paths, reference
from .validate import Problem, check_snapshot

ID_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:-[a-z0-9]{1,16})?$")
RAW_FILES = ("villages.parquet", "enrollments.parquet")
FACT_FILES = ("facts_desa.parquet", "facts_rincian.parquet", "facts_bulanan.parquet")
FILES = RAW_FILES + FACT_FILES
MANIFEST = "manifest.json"
DERIVE_DIR = paths.QUERIES_DIR / "derive"


class SnapshotError(Exception):
    """Publishing or reading a snapshot failed; the message says which and why."""


class ValidationFailed(SnapshotError):
    def __init__(self, problems: list[Problem], counts: dict[str, int]):
        self.problems, self.counts = problems, counts
        first = problems[0]
        super().__init__(
            f"{sum(counts.values())} problem(s); first: {first.table} row {first.row} "
            f"{first.column}={first.value!r}: {first.reason}"
        )


@dataclass(frozen=True)
class Snapshot:
    id: str
    path: Path
    manifest: dict = field(compare=False, repr=False)

    @property
    def as_of(self) -> date:
        return date.fromisoformat(self.manifest["as_of"])

    @property
    def is_demo(self) -> bool:
        return bool(self.manifest.get("demo"))

    def file(self, name: str) -> Path:
        if name not in FILES:
            raise KeyError(name)
        return self.path / name


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def published(base: Path | None = None) -> list[Snapshot]:
    """Every folder with a readable manifest, oldest as-of first (not yet integrity-checked)."""
    root = paths.snapshots_dir(base)
    found = []
    if root.is_dir():
        for d in root.iterdir():
            if not ID_RE.match(d.name) or not d.is_dir():
                continue  # temporary and foreign folders are invisible to readers
            try:
                m = json.loads((d / MANIFEST).read_text())
                date.fromisoformat(m["as_of"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
            found.append(Snapshot(d.name, d, m))
    return sorted(found, key=lambda s: (s.as_of, s.id))


_verified: dict[tuple, list[str]] = {}


def integrity_problems(snap: Snapshot, files=FILES) -> list[str]:
    """Missing or altered files (sha256 against the manifest); cached by size and mtime."""
    out = []
    for name in files:
        p = snap.path / name
        try:
            st = p.stat()
        except OSError:
            out.append(f"{name}: missing")
            continue
        key = (str(p), st.st_size, st.st_mtime_ns)
        if key not in _verified:
            want = snap.manifest.get("files", {}).get(name, {}).get("sha256")
            _verified[key] = [] if want == sha256(p) else [f"{name}: checksum does not match the manifest"]
        out += _verified[key]
    return out


def current_id(base: Path | None = None) -> str | None:
    try:
        value = paths.current_pointer(base).read_text().strip()
    except OSError:
        return None
    return value if ID_RE.match(value) else None


@dataclass
class Resolution:
    snapshot: Snapshot | None
    notes: list[str]  # why another snapshot than the asked one is served
    available: list[Snapshot]  # good snapshots, oldest first


def resolve(requested: str | None = None, base: Path | None = None, files=FACT_FILES) -> Resolution:
    """The snapshot to serve: the requested one, else CURRENT; if that one is damaged, the
    newest good one before it. Pages read derived facts, so those are what is checked."""
    allsnaps = published(base)
    bad = {s.id: integrity_problems(s, files) for s in allsnaps}
    good = [s for s in allsnaps if not bad[s.id]]
    notes: list[str] = []
    by_id = {s.id: s for s in allsnaps}
    want = requested or current_id(base) or (allsnaps[-1].id if allsnaps else None)
    if requested and requested not in by_id:
        notes.append(f"snapshot {requested!r} not found")
        want = current_id(base) or (allsnaps[-1].id if allsnaps else None)
    if want is None:
        return Resolution(None, notes, good)
    if want in by_id and not bad[want]:
        return Resolution(by_id[want], notes, good)
    if want in by_id:
        notes.append(f"snapshot {want}: " + "; ".join(bad[want]))
    else:
        notes.append(f"snapshot {want!r} (CURRENT) not found")
    limit = by_id[want].as_of if want in by_id else date.max
    older = [s for s in good if s.as_of <= limit]
    fallback = older[-1] if older else (good[-1] if good else None)
    return Resolution(fallback, notes, good)


def set_current(snapshot_id: str, base: Path | None = None) -> None:
    """Point CURRENT at a published snapshot (also the rollback)."""
    snap = next((s for s in published(base) if s.id == snapshot_id), None)
    if snap is None:
        raise SnapshotError(f"snapshot {snapshot_id!r} is not published")
    if problems := integrity_problems(snap):
        raise SnapshotError(f"snapshot {snapshot_id} is damaged: {'; '.join(problems)}")
    pointer = paths.current_pointer(base)
    tmp = pointer.with_name(f".CURRENT.{uuid.uuid4().hex}")
    tmp.write_text(snapshot_id + "\n")
    _fsync(tmp)
    os.replace(tmp, pointer)


def quote(path: Path) -> str:
    """A file path as an SQL string literal (paths are ours, never user input)."""
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _step(name: str) -> None:
    """A named point in publish; tests replace this to inject a crash at each step."""


def reference_connection(ref_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A scratch connection with the reference tables loaded (used by publish and ingest)."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    ref = ref_dir or paths.reference_dir()
    for fname, table in reference.TABLES.items():
        con.register(f"_{table}_df", reference.table(fname, ref))
        con.execute(f"create table {table} as select * from _{table}_df")
        con.unregister(f"_{table}_df")
    return con


def _write_served(folder: Path, snapshot_id: str, as_of: date, demo: bool, base: Path | None) -> dict:
    """served.duckdb: the data layer's tables of this snapshot (its facts, the history of the good
    snapshots before it, the reference), opened read-only by servers. Its manifest entry."""
    from . import served  # served imports reference only; imported here to keep this module light

    history = [s for s in published(base) if s.as_of < as_of and not integrity_problems(s, FACT_FILES)]
    out = served.write(folder, snapshot_id=snapshot_id, as_of=as_of, demo=demo, history=history,
                       ref_dir=paths.reference_dir(base))
    return {served.FILE: {"sha256": sha256(out), "bytes": out.stat().st_size}}


def publish(
    snapshot_id: str,
    as_of: date,
    write_raw: Callable[[Path], None],
    *,
    base: Path | None = None,
    demo: bool = False,
    sources: list[dict] | None = None,
    make_current: bool = True,
    extra_files: Callable[[Path], None] | None = None,
    manifest_extra: dict | None = None,
) -> Snapshot:
    """Build, validate and publish one snapshot. `write_raw(folder)` writes RAW_FILES there.

    `extra_files(folder)` may add files in subfolders (ingest: sources/, quarantine/);
    `manifest_extra` adds keys to the manifest (ingest: its validation summary).

    Idempotent: publishing identical raw tables under an existing id returns that snapshot.
    Raises ValidationFailed (nothing published) or SnapshotError.
    """
    if not ID_RE.match(snapshot_id):
        raise SnapshotError(f"invalid snapshot id {snapshot_id!r}")
    root = paths.snapshots_dir(base)
    root.mkdir(parents=True, exist_ok=True)
    final = root / snapshot_id
    tmp = root / f".tmp-{snapshot_id}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        _step("write_raw")
        write_raw(tmp)
        for name in RAW_FILES:
            if not (tmp / name).exists():
                raise SnapshotError(f"{name} was not written")
        if final.exists():
            old = next((s for s in published(base) if s.id == snapshot_id), None)
            same = old and all(
                old.manifest["files"].get(n, {}).get("sha256") == sha256(tmp / n) for n in RAW_FILES
            )
            if same:
                shutil.rmtree(tmp)
                if make_current:
                    set_current(snapshot_id, base)
                return old
            raise SnapshotError(f"snapshot {snapshot_id} already exists with other data")
        _step("validate")
        con = reference_connection()
        try:
            for name in RAW_FILES:
                view = name.removesuffix(".parquet")
                con.execute(f"create view {view} as select * from read_parquet({quote(tmp / name)}, file_row_number = true)")
            problems, counts = check_snapshot(con, as_of)
            if problems:
                raise ValidationFailed(problems, counts)
            _step("derive")
            con.execute("set variable as_of = $d::date", {"d": as_of})
            for name in FACT_FILES:
                sql = (DERIVE_DIR / name.replace(".parquet", ".sql")).read_text()
                con.execute(f"copy ({sql}) to {quote(tmp / name)} (format parquet, compression zstd)")
            rows = {
                name: con.execute("select count(*) from read_parquet($p)", {"p": str(tmp / name)}).fetchone()[0]
                for name in FILES
            }
        finally:
            con.close()
        if extra_files:
            extra_files(tmp)
        _step("served")
        served_entry = _write_served(tmp, snapshot_id, as_of, demo, base)
        _step("manifest")
        manifest = {
            "id": snapshot_id,
            "as_of": as_of.isoformat(),
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "demo": demo,
            "reference_version": reference.version(),
            "sources": sources or [],
            "files": {n: {"sha256": sha256(tmp / n), "rows": rows[n], "bytes": (tmp / n).stat().st_size} for n in FILES}
            | served_entry,
            "validation": {"checked": True, "problems": 0},
        }
        for k, v in (manifest_extra or {}).items():
            manifest.setdefault(k, v)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        for p in tmp.iterdir():
            _fsync(p)
        _step("rename")
        os.rename(tmp, final)
        _step("swap")
        if make_current:
            set_current(snapshot_id, base)
        return Snapshot(snapshot_id, final, manifest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
