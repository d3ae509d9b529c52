"""Find, check and publish snapshots.

A snapshot is a folder data/snapshots/<id>/ with raw tables, derived facts and a manifest.
Publishing is atomic and one writer at a time: under the data folder's writer lock
(writer_lock.py) everything is built in a hidden temporary folder, validated, renamed into
place, and only then is data/CURRENT swapped with os.replace, by compare-and-swap: only if
it still names the snapshot it named when the publish began (so CURRENT only moves forward
from what the new snapshot was built on). Published folders are never modified; rolling
back is a pointer swap.

Readers never wait for the lock. They verify every file they serve (size and sha256
against the manifest, cached per file identity) and fall back, with a note, from a damaged
snapshot to the newest good one before it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb
import pyarrow.parquet as pq

from . import i18n, paths, reference, writer_lock
from .errors import BaseDamaged, CurrentMoved, SnapshotError, StorageError, as_storage_error  # noqa: F401
from .validate import Problem, check_snapshot

ID_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:-[a-z0-9]{1,16})?$")
RAW_FILES = ("villages.parquet", "enrollments.parquet")
FACT_FILES = ("facts_desa.parquet", "facts_rincian.parquet", "facts_bulanan.parquet")
FILES = RAW_FILES + FACT_FILES  # what every snapshot has at least; the manifest lists all its files
MANIFEST = "manifest.json"
DERIVE_DIR = paths.QUERIES_DIR / "derive"
# Macros of queries/macros/ the derive SQL calls (the others name served tables, absent at publish).
DERIVE_MACROS = ("officials_ok",)
TMP_PREFIX = ".tmp-"
OBSERVED = object()  # publish(expect_current=OBSERVED): CURRENT as read when the publish took the lock


class ValidationFailed(SnapshotError):
    reason = "validation_failed"

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
        """A file of this snapshot (only names its manifest lists)."""
        if name not in (self.manifest.get("files") or {}):
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
                m = _manifest(d / MANIFEST)
                date.fromisoformat(m["as_of"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
            found.append(Snapshot(d.name, d, m))
    return sorted(found, key=lambda s: (s.as_of, s.id))


_manifests: dict[str, tuple[tuple, dict]] = {}  # manifest path -> (its inode, mtime and size; parsed)
_MAX_MANIFESTS = 4096


def _manifest(path: Path) -> dict:
    """A manifest, parsed again only when the file changed (another inode, mtime or size): every page view
    lists the snapshots, and reading and parsing 26 manifests was a sixth of a Data page rerun. The dict is
    shared: do not change it."""
    st = os.stat(path)
    key = (st.st_ino, st.st_mtime_ns, st.st_size)
    hit = _manifests.get(str(path))
    if hit is not None and hit[0] == key:
        return hit[1]
    m = json.loads(path.read_text())
    if len(_manifests) >= _MAX_MANIFESTS:
        _manifests.clear()
    _manifests[str(path)] = (key, m)
    return m


def find(snapshot_id: str, base: Path | None = None) -> Snapshot | None:
    return next((s for s in published(base) if s.id == snapshot_id), None)


# --- integrity --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Damage:
    file: str
    kind: str  # missing | size | checksum | unlisted | manifest

    def __str__(self) -> str:
        return {"missing": f"{self.file}: missing", "size": f"{self.file}: size does not match the manifest",
                "checksum": f"{self.file}: checksum does not match the manifest",
                "unlisted": f"{self.file}: not listed in the manifest",
                "manifest": f"{self.file}: unreadable"}[self.kind]

    def text(self, lang: str = "id") -> str:
        return i18n.t(f"publish.damage.{self.kind}", lang, file=self.file)


_verified: dict[tuple, bool] = {}  # (path, size, mtime, inode, sha256 wanted) -> matches
_MAX_VERIFIED = 4096


def damage(snap: Snapshot, files=None) -> list[Damage]:
    """Missing or altered files: every file the manifest lists (or `files`), by size and sha256.

    A file is hashed once per identity (path, size, mtime, inode): serving re-checks cheaply,
    and any change to a file (a truncation, a flipped byte, a replacement) is caught."""
    listed = snap.manifest.get("files") or {}
    names = list(listed) if files is None else list(files)
    out = [Damage(n, "unlisted") for n in FILES if files is None and n not in listed]
    for name in names:
        want = listed.get(name)
        if not want or "sha256" not in want:
            out.append(Damage(name, "unlisted"))
            continue
        p = snap.path / name
        try:
            st = p.stat()
        except OSError:
            out.append(Damage(name, "missing"))
            continue
        if "bytes" in want and st.st_size != want["bytes"]:
            out.append(Damage(name, "size"))
            continue
        key = (str(p), st.st_size, st.st_mtime_ns, st.st_ino, want["sha256"])
        ok = _verified.get(key)
        if ok is None:
            try:
                ok = sha256(p) == want["sha256"]
            except OSError:
                out.append(Damage(name, "missing"))
                continue
            if len(_verified) >= _MAX_VERIFIED:
                _verified.clear()
            _verified[key] = ok
        if not ok:
            out.append(Damage(name, "checksum"))
    return out


def integrity_problems(snap: Snapshot, files=None) -> list[str]:
    """`damage()` as short English texts (logs, `list`, tests)."""
    return [str(d) for d in damage(snap, files)]


def _remember_verified(snap: Snapshot) -> None:
    """Files just written and hashed by publish need no second hash when first served."""
    for name, want in (snap.manifest.get("files") or {}).items():
        st = (snap.path / name).stat()
        _verified[(str(snap.path / name), st.st_size, st.st_mtime_ns, st.st_ino, want["sha256"])] = True


# --- the pointer --------------------------------------------------------------------------------------------


def pointer_text(base: Path | None = None) -> str | None:
    """CURRENT as written (None when there is no CURRENT file)."""
    try:
        return paths.current_pointer(base).read_text().strip()
    except FileNotFoundError:
        return None
    except OSError:
        return ""


def current_id(base: Path | None = None) -> str | None:
    value = pointer_text(base)
    return value if value and ID_RE.match(value) else None


class Note(str):
    """A note on why another snapshot than the asked one is served: English as a str, and
    `text(lang)` for pages."""

    def __new__(cls, english: str, key: str, **params):
        obj = super().__new__(cls, english)
        obj.key, obj.params = key, params
        return obj

    def text(self, lang: str = "id") -> str:
        params = {k: (v.text(lang) if hasattr(v, "text") else
                      "; ".join(x.text(lang) for x in v) if isinstance(v, list) else v) for k, v in self.params.items()}
        return i18n.t(f"publish.note.{self.key}", lang, **params)


@dataclass
class Resolution:
    snapshot: Snapshot | None
    notes: list[Note]  # why another snapshot than the asked one is served
    available: list[Snapshot]  # good snapshots, oldest first


def resolve(requested: str | None = None, base: Path | None = None, files=None) -> Resolution:
    """The snapshot to serve: the requested one, else CURRENT; if that one is damaged, the
    newest good one before it. Every file its manifest lists is verified (or `files`)."""
    allsnaps = published(base)
    bad = {s.id: damage(s, files) for s in allsnaps}
    good = [s for s in allsnaps if not bad[s.id]]
    notes: list[Note] = []
    by_id = {s.id: s for s in allsnaps}
    want = requested or current_id(base) or (allsnaps[-1].id if allsnaps else None)
    if requested and requested not in by_id:
        notes.append(Note(f"snapshot {requested!r} not found", "not_found", id=requested))
        want = current_id(base) or (allsnaps[-1].id if allsnaps else None)
    if want is None:
        return Resolution(None, notes, good)
    if want in by_id and not bad[want]:
        return Resolution(by_id[want], notes, good)
    if want in by_id:
        notes.append(Note(f"snapshot {want}: " + "; ".join(map(str, bad[want])), "damaged", id=want,
                          problems=bad[want]))
    else:
        notes.append(Note(f"snapshot {want!r} (CURRENT) not found", "current_missing", id=want))
    limit = by_id[want].as_of if want in by_id else date.max
    older = [s for s in good if s.as_of <= limit]
    fallback = older[-1] if older else (good[-1] if good else None)
    return Resolution(fallback, notes, good)


def set_current(snapshot_id: str, base: Path | None = None, *, expect=OBSERVED, who: str | None = None,
                wait: float | None = None) -> None:
    """Point CURRENT at a published, intact snapshot (also the rollback), under the writer lock.
    `expect`: CURRENT must still read this (compare-and-swap); OBSERVED: whatever it reads now."""
    base = Path(base or paths.data_dir())
    with writer_lock.hold(base, who, wait) as lock:
        snap = find(snapshot_id, base)
        if snap is None:
            raise SnapshotError(f"snapshot {snapshot_id!r} is not published", "not_published", id=snapshot_id)
        if bad := damage(snap):
            raise BaseDamaged(f"snapshot {snapshot_id} is damaged: {'; '.join(map(str, bad))}", "damaged",
                              id=snapshot_id, problems=lambda lang, b=bad: "; ".join(d.text(lang) for d in b))
        _swap(snapshot_id, pointer_text(base) if expect is OBSERVED else expect, base, lock)


def _swap(snapshot_id: str, expect: str | None, base: Path, lock: writer_lock.WriterLock) -> None:
    lock.check()  # fencing: a writer whose lock was broken as stale must not move CURRENT
    found = pointer_text(base)
    if found != expect:
        raise CurrentMoved(f"CURRENT is {found!r}, not {expect!r} as when this publish began; {snapshot_id} not made current",
                           found=found or "–", expected=expect or "–", id=snapshot_id)
    pointer = paths.current_pointer(base)
    tmp = pointer.with_name(f".CURRENT.{uuid.uuid4().hex}")
    try:
        tmp.write_text(snapshot_id + "\n")
        _fsync(tmp)
        os.replace(tmp, pointer)
    except OSError as e:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise as_storage_error(e, base) or SnapshotError(f"cannot write {pointer}: {e}") from e


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
    """A named point in publish; tests replace this to inject a crash at each step
    (DSJS_CRASH_AT=<step> makes a real process kill itself there: see tests)."""
    if os.environ.get("DSJS_CRASH_AT") == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


# --- leftovers ----------------------------------------------------------------------------------------------

TEMP_PREFIXES = ("desasadar-ingest-", "desasadar-upload-")


def temp_dir(prefix: str) -> Path:
    """A private temporary folder named for this process, so a later run can tell when its
    owner is gone (desasadar-ingest-<host>-<pid>-xxxx)."""
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{socket.gethostname()}-{os.getpid()}-"))


def clean_temp() -> list[str]:
    """Remove our temporary folders (ingest stages, staged uploads) whose process is gone."""
    removed = []
    host = socket.gethostname()
    try:
        entries = list(Path(tempfile.gettempdir()).iterdir())
    except OSError:
        return removed
    for p in entries:
        pre = next((x for x in TEMP_PREFIXES if p.name.startswith(x)), None)
        if pre is None:
            continue
        m = re.match(re.escape(pre) + r"(.+)-(\d+)-[^-]+$", p.name)
        if m is None or m[1] != host or writer_lock._alive(int(m[2])):
            continue  # another machine's, unnamed, or its process still runs
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p.name)
    return removed


def clean_leftovers(base: Path | None = None) -> list[str]:
    """Under the writer lock: remove what writers that are gone left behind in the data folder
    (temporary snapshot folders, half-written pointers) and in the temp folder."""
    base = Path(base or paths.data_dir())
    assert writer_lock.held(base), "clean_leftovers needs the writer lock"
    removed = []
    root = paths.snapshots_dir(base)
    for p in (root.iterdir() if root.is_dir() else []):
        if p.name.startswith(TMP_PREFIX):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(f"snapshots/{p.name}")
    for p in base.glob(".CURRENT.*"):
        p.unlink(missing_ok=True)
        removed.append(p.name)
    return removed + clean_temp()


def clean_at_start(base: Path | None = None) -> list[str]:
    """At server start: clean leftovers if no writer is at work (never waits, never fails)."""
    try:
        with writer_lock.hold(base, who=f"start:{socket.gethostname()}", wait=0):
            return clean_leftovers(base)
    except (SnapshotError, OSError):
        return clean_temp()


# --- publishing ---------------------------------------------------------------------------------------------


def reference_connection(ref_dir: Path | None = None, folder: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A scratch connection with the reference tables loaded (used by publish and ingest); the office
    structure is the one `folder` (a snapshot being built) carries, if any (desasadar/offices.py)."""
    from . import offices

    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    ref = ref_dir or paths.reference_dir()
    own = offices.of_folder(folder) if folder is not None else None
    for fname, table in reference.TABLES.items():
        frame = own.table(fname) if own is not None and fname in offices.FILES else reference.table(fname, ref)
        con.register(f"_{table}_df", frame)
        con.execute(f"create table {table} as select * from _{table}_df")
        con.unregister(f"_{table}_df")
    return con


@dataclass
class Build:
    """What a build step gets: the validated raw tables as views `villages` and `enrollments` on
    `con` (reference tables loaded), the temporary snapshot folder, and the snapshot's identity."""
    con: duckdb.DuckDBPyConnection
    folder: Path
    snapshot_id: str
    as_of: date
    demo: bool
    base: Path


def _derive_facts(b: Build) -> None:
    """The derived facts every page reads (queries/derive/*.sql)."""
    b.con.execute("set variable as_of = $d::date", {"d": b.as_of})
    for macro in DERIVE_MACROS:  # the rules the facts share with the query files
        b.con.execute((paths.MACROS_DIR / f"{macro}.sql").read_text())
    for name in FACT_FILES:
        sql = (DERIVE_DIR / name.replace(".parquet", ".sql")).read_text()
        b.con.execute(f"copy ({sql}) to {quote(b.folder / name)} (format parquet, compression zstd)")


def _write_served(b: Build) -> None:
    """served.duckdb: the data layer's tables of this snapshot (its facts, the history of the good
    snapshots before it, the reference), opened read-only by servers."""
    from . import served  # served imports reference only; imported here to keep this module light

    history = [s for s in published(b.base) if s.as_of < b.as_of and not integrity_problems(s, FACT_FILES)]
    served.write(b.folder, snapshot_id=b.snapshot_id, as_of=b.as_of, demo=b.demo, history=history,
                 ref_dir=paths.reference_dir(b.base))


# Steps that add files to a snapshot after validation, in order, before the manifest is written:
# (name, step(Build)). Every file a step writes at the folder's top level is listed in the
# manifest (size, sha256, rows for Parquet) and verified whenever the snapshot is served.
BUILD_STEPS: list[tuple[str, Callable[[Build], None]]] = [
    ("derive", _derive_facts),
    ("served", _write_served),
]


def _build(folder: Path, snapshot_id: str, as_of: date, demo: bool, base: Path) -> None:
    con = reference_connection(folder=folder)
    try:
        for name in RAW_FILES:
            view = name.removesuffix(".parquet")
            con.execute(f"create view {view} as select * from read_parquet({quote(folder / name)}, file_row_number = true)")
        _step("validate")
        problems, counts = check_snapshot(con, as_of)
        if problems:
            raise ValidationFailed(problems, counts)
        b = Build(con, folder, snapshot_id, as_of, demo, base)
        for name, step in BUILD_STEPS:
            _step(name)
            step(b)
    finally:
        con.close()


def _file_entries(folder: Path) -> dict[str, dict]:
    """Every file at the folder's top level (not the manifest): sha256, bytes, rows of Parquet."""
    out = {}
    for p in sorted(folder.iterdir()):
        if not p.is_file() or p.name == MANIFEST:
            continue
        entry = {"sha256": sha256(p), "bytes": p.stat().st_size}
        if p.suffix == ".parquet":
            entry = {"sha256": entry["sha256"], "rows": pq.ParquetFile(p).metadata.num_rows, "bytes": entry["bytes"]}
        out[p.name] = entry
    return out


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
    expect_current=OBSERVED,
    who: str | None = None,
    wait: float | None = None,
) -> Snapshot:
    """Build, validate and publish one snapshot. `write_raw(folder)` writes RAW_FILES there.

    `extra_files(folder)` may add files in subfolders (ingest: sources/, quarantine/);
    `manifest_extra` adds keys to the manifest (ingest: its validation summary).
    `expect_current`: with `make_current`, CURRENT must still read this when it is swapped
    (OBSERVED: what it read when this publish took the writer lock).

    Holds the writer lock of the data folder throughout (waiting up to `wait` s for it).
    Idempotent: publishing identical raw tables under an existing id returns that snapshot.
    Raises ValidationFailed (nothing published), CurrentMoved, LockHeld, StorageError or
    SnapshotError; a snapshot folder renamed into place but not made current is withdrawn.
    """
    if not ID_RE.match(snapshot_id):
        raise SnapshotError(f"invalid snapshot id {snapshot_id!r}")
    base = Path(base or paths.data_dir())
    root = paths.snapshots_dir(base)
    with writer_lock.hold(base, who, wait) as lock:
        expect = pointer_text(base) if expect_current is OBSERVED else expect_current
        try:
            root.mkdir(parents=True, exist_ok=True)
            clean_leftovers(base)
            tmp = root / f"{TMP_PREFIX}{snapshot_id}-{uuid.uuid4().hex[:8]}"
            tmp.mkdir()
        except OSError as e:
            raise as_storage_error(e, base) or SnapshotError(f"cannot write in {root}: {e}") from e
        final = root / snapshot_id
        renamed = False
        try:
            _step("write_raw")
            write_raw(tmp)
            for name in RAW_FILES:
                if not (tmp / name).exists():
                    raise SnapshotError(f"{name} was not written")
            if final.exists():
                old = find(snapshot_id, base)
                same = old and all(
                    old.manifest["files"].get(n, {}).get("sha256") == sha256(tmp / n) for n in RAW_FILES
                )
                if same:
                    shutil.rmtree(tmp)
                    if make_current and pointer_text(base) != snapshot_id:
                        set_current(snapshot_id, base, expect=expect)
                    return old
                raise SnapshotError(f"snapshot {snapshot_id} already exists with other data", "exists", id=snapshot_id)
            _build(tmp, snapshot_id, as_of, demo, base)
            if extra_files:
                extra_files(tmp)
            _step("manifest")
            manifest = {
                "id": snapshot_id,
                "as_of": as_of.isoformat(),
                "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "demo": demo,
                "reference_version": reference.version(),
                "sources": sources or [],
                "files": _file_entries(tmp),
                "validation": {"checked": True, "problems": 0},
            }
            for k, v in (manifest_extra or {}).items():
                manifest.setdefault(k, v)
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
            for p in tmp.iterdir():
                _fsync(p)
            _step("rename")
            try:
                os.rename(tmp, final)
            except OSError as e:
                if final.exists():  # ENOTEMPTY / EEXIST: a folder of that name appeared
                    raise SnapshotError(f"snapshot {snapshot_id} already exists with other data", "exists",
                                        id=snapshot_id) from e
                raise
            renamed = True
            snap = Snapshot(snapshot_id, final, manifest)
            _step("swap")
            if make_current:
                _swap(snapshot_id, expect, base, lock)
            _remember_verified(snap)
            return snap
        except BaseException as e:
            shutil.rmtree(tmp, ignore_errors=True)
            if renamed and pointer_text(base) != snapshot_id:
                _withdraw(final)
            if isinstance(e, Exception) and not isinstance(e, SnapshotError):
                err = as_storage_error(e, base)
                if err is not None:
                    raise err from e
            raise


def _withdraw(folder: Path) -> None:
    """A folder this publish renamed into place but could not make current: hidden, then removed."""
    hidden = folder.with_name(f"{TMP_PREFIX}withdrawn-{folder.name}-{uuid.uuid4().hex[:8]}")
    try:
        os.rename(folder, hidden)
    except OSError:
        return
    shutil.rmtree(hidden, ignore_errors=True)
