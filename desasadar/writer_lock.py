"""One writer at a time in a data folder, across processes and across machines sharing it.

    with writer_lock.hold(base, who="cli:ana", wait=120) as lock:
        ...                      # choose the base, build, validate, rename
        lock.check()             # still ours? (before moving CURRENT)

The lock is the file `<data>/.publish.lock`. It is created by writing a private file and
hard-linking it to that name: link() fails if the name exists, atomically, on local disks
and on NFS (where fcntl/flock locks are not dependable), and the lock file is never seen
half-written. It holds who took it: host, boot id, pid namespace, pid and that process's
start time, when, who, and a random token. While held, a thread touches it every HEARTBEAT
seconds.

A lock is stale, and may be broken, when its writer is gone:
  - same machine (host, boot id and pid namespace match): the pid is dead, or is now another
    process (its start time differs);
  - another machine: its heartbeat has not moved for STALE seconds as watched on our own clock
    (so clocks need not agree), or is older than STALE_AGE by the wall clock.
A live writer on this machine is never broken, however slow. Breaking goes through a second
exclusive file, so two waiters never both break it (and one delete the other's fresh lock),
and the holder checks its token before it moves CURRENT (`check()`), so a writer whose lock
was broken while it was frozen cannot swap.

The lock is re-entrant per thread: publish() inside an ingest that holds it does not wait.
"""
from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import paths
from .errors import LockHeld, SnapshotError, as_storage_error

LOCK_NAME = ".publish.lock"
HEARTBEAT = 5.0  # seconds between touches of the lock file while held
STALE = 60.0  # another machine's lock whose heartbeat did not move for this long (our clock) is stale
STALE_AGE = 300.0  # ... or whose heartbeat is this old by the wall clock (allows for clock skew)
BREAK_STALE = 30.0  # a breaker that died mid-break: its marker is removed after this long
POLL = 0.2
DEFAULT_WAIT = float(os.environ.get("DSJS_LOCK_WAIT", "120"))


def lock_path(base: Path | None = None) -> Path:
    return (base or paths.data_dir()) / LOCK_NAME


def _read(path: Path) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return ""


def _machine() -> dict:
    try:
        pidns = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        pidns = 0
    return {"host": socket.gethostname(), "boot": _read(Path("/proc/sys/kernel/random/boot_id")), "pidns": pidns}


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (tells a reused pid from the writer)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class Holder:
    """Who holds the lock, as written in the lock file; `heartbeat` is the file's mtime."""
    host: str
    pid: int
    since: str  # ISO time, UTC
    who: str
    token: str
    boot: str = ""
    pidns: int = 0
    start: str | None = None
    heartbeat: float = 0.0

    @property
    def since_dt(self) -> datetime:
        return datetime.fromisoformat(self.since)

    def same_machine(self, me: dict) -> bool:
        return (self.host, self.boot, self.pidns) == (me["host"], me["boot"], me["pidns"])


def read_holder(base: Path | None = None) -> Holder | None:
    """The current holder, or None when the lock is free (or its file unreadable)."""
    path = lock_path(base)
    try:
        fd = os.open(path, os.O_RDONLY)  # open() revalidates attributes on NFS: a fresh mtime
    except FileNotFoundError:
        return None
    try:
        mtime = os.fstat(fd).st_mtime
        raw = os.read(fd, 65536)
    finally:
        os.close(fd)
    try:
        d = json.loads(raw)
        return Holder(str(d["host"]), int(d["pid"]), str(d["since"]), str(d.get("who", "")), str(d["token"]),
                      str(d.get("boot", "")), int(d.get("pidns", 0)), d.get("start"), mtime)
    except (ValueError, KeyError, TypeError):
        return Holder("?", 0, datetime.fromtimestamp(mtime, timezone.utc).isoformat(timespec="seconds"), "?",
                      "unreadable:" + raw.hex()[:32], heartbeat=mtime)


class _Watch:
    """When each (token, heartbeat) of another machine's lock was first seen, on our clock."""

    def __init__(self):
        self.first: dict[tuple, float] = {}

    def unchanged_for(self, h: Holder) -> float:
        key = (h.token, h.heartbeat)
        now = time.monotonic()
        return now - self.first.setdefault(key, now)


def is_stale(h: Holder, watch: _Watch, me: dict | None = None) -> bool:
    me = me or _machine()
    if h.same_machine(me):
        if not _alive(h.pid):
            return True
        return h.start is not None and _start_time(h.pid) not in (None, h.start)
    if time.time() - h.heartbeat > STALE_AGE:
        return True
    return watch.unchanged_for(h) > STALE


class WriterLock:
    """A held lock (see module doc). Use `hold()` rather than this class."""

    def __init__(self, base: Path, who: str):
        self.base, self.path, self.who = base, lock_path(base), who
        self.token = uuid.uuid4().hex
        self.holder: Holder | None = None
        self.lost = False
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    # --- taking and giving back -----------------------------------------------------------------
    def acquire(self, wait: float) -> None:
        deadline = time.monotonic() + max(wait, 0.0)
        watch = _Watch()
        me = _machine()
        while True:
            if self._try_create(me):
                self._beat = threading.Thread(target=self._heartbeat, name="publish-lock-heartbeat", daemon=True)
                self._beat.start()
                return
            h = read_holder(self.base)
            if h is None:
                continue  # released between our attempt and the read: try again at once
            if is_stale(h, watch, me):
                self._break(h, watch)
                continue
            if time.monotonic() >= deadline:
                raise LockHeld(
                    f"publish lock held by {h.who or '?'} on {h.host} (pid {h.pid}) since {h.since}; waited {wait:g} s",
                    who=h.who or "?", host=h.host, pid=h.pid, waited=f"{wait:g}",
                    since=lambda lang, s=h.since_dt: _when(s, lang))
            time.sleep(POLL)

    def _try_create(self, me: dict) -> bool:
        tmp = self.path.with_name(f"{LOCK_NAME}.{self.token}")
        info = {**me, "pid": os.getpid(), "start": _start_time(os.getpid()), "who": self.who, "token": self.token,
                "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        try:
            self.base.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                os.write(fd, json.dumps(info).encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                return False
            except OSError:
                # NFS: the link may have been made though the reply was lost; the link count tells
                if os.stat(tmp).st_nlink != 2:
                    raise
        except OSError as e:
            raise as_storage_error(e, self.base) or SnapshotError(f"cannot create {self.path}: {e}") from e
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        self.holder = read_holder(self.base)
        return True

    def _break(self, h: Holder, watch: _Watch) -> None:
        """Remove a stale lock, one breaker at a time, only if it is still that same lock."""
        marker = self.path.with_name(LOCK_NAME + ".break")
        try:
            fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            try:
                st = os.stat(marker)
            except FileNotFoundError:
                return
            if watch.unchanged_for(Holder("break", 0, "", "", f"break:{st.st_ino}", heartbeat=st.st_mtime)) > BREAK_STALE:
                try:
                    os.unlink(marker)
                except FileNotFoundError:
                    pass
            time.sleep(POLL)
            return
        except OSError as e:
            raise as_storage_error(e, self.base) or SnapshotError(f"cannot break {self.path}: {e}") from e
        os.close(fd)
        try:
            again = read_holder(self.base)
            if again is not None and again.token == h.token:
                os.unlink(self.path)
        finally:
            os.unlink(marker)

    def release(self) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=HEARTBEAT + 1)
        h = read_holder(self.base)
        if h is not None and h.token == self.token:
            try:
                os.unlink(self.path)
            except OSError:
                pass  # a read-only folder now: the next writer finds our pid dead and breaks it

    # --- while held -----------------------------------------------------------------------------
    def _heartbeat(self) -> None:
        while not self._stop.wait(HEARTBEAT):
            h = read_holder(self.base)
            if h is None or h.token != self.token:
                self.lost = True
                return
            try:
                os.utime(self.path)
            except OSError:
                pass

    def check(self) -> None:
        """Raise if the lock is no longer ours (broken by another writer as stale)."""
        h = read_holder(self.base)
        if self.lost or h is None or h.token != self.token:
            raise LockHeld(f"the publish lock of {self.path} was taken over; nothing was made current",
                           "lock_lost")


def _when(dt: datetime, lang: str) -> str:
    from . import fmt

    local = dt.astimezone()
    return f"{fmt.date_medium(local.date(), lang)} {local:%H:%M:%S}"


_held: dict[tuple[str, int], list] = {}  # (data dir, thread) -> [lock, depth]
_held_guard = threading.Lock()


class hold:
    """Context manager: the writer lock of `base`, taken (waiting up to `wait` s) or re-entered."""

    def __init__(self, base: Path | None = None, who: str | None = None, wait: float | None = None):
        self.base = Path(base or paths.data_dir())
        self.who = who or _default_who()
        self.wait = DEFAULT_WAIT if wait is None else wait
        self.key = (str(self.base.resolve()), threading.get_ident())

    def __enter__(self) -> WriterLock:
        with _held_guard:
            entry = _held.get(self.key)
            if entry:
                entry[1] += 1
                return entry[0]
        lock = WriterLock(self.base, self.who)
        lock.acquire(self.wait)
        with _held_guard:
            _held[self.key] = [lock, 1]
        return lock

    def __exit__(self, *exc) -> None:
        with _held_guard:
            entry = _held[self.key]
            entry[1] -= 1
            if entry[1]:
                return
            del _held[self.key]
        entry[0].release()


def held(base: Path | None = None) -> WriterLock | None:
    """The lock this thread holds on `base`, if any."""
    key = (str(Path(base or paths.data_dir()).resolve()), threading.get_ident())
    with _held_guard:
        entry = _held.get(key)
    return entry[0] if entry else None


def _default_who() -> str:
    try:
        import getpass

        return "cli:" + getpass.getuser()
    except Exception:  # no user name in this environment
        return "cli"
