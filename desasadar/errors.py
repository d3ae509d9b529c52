"""Errors of publishing and reading snapshots, each with a text a data officer understands.

`str(error)` is the technical message (logs, tests); `error.text(lang)` is the message for
people, from desasadar/locale/publish.toml (`publish.error.<reason>`), in the UI language.
"""
from __future__ import annotations

import errno

from . import i18n


class SnapshotError(Exception):
    """Publishing or reading a snapshot failed; the message says which and why."""

    reason = "error"

    def __init__(self, message: str, reason: str | None = None, **params):
        super().__init__(message)
        if reason:
            self.reason = reason
        self.params = params

    def text(self, lang: str = "id") -> str:
        key = f"publish.error.{self.reason}"
        if key not in i18n.catalogue():
            return str(self)
        params = {k: (v(lang) if callable(v) else v) for k, v in self.params.items()}
        return i18n.t(key, lang, detail=str(self), **params)


class LockHeld(SnapshotError):
    reason = "lock_held"


class CurrentMoved(SnapshotError):
    """CURRENT is no longer what the publish was built on (compare-and-swap refused)."""
    reason = "current_moved"


class BaseDamaged(SnapshotError):
    reason = "base_damaged"


class StorageError(SnapshotError):
    """The data folder refused a write: disk full, read-only, no permission."""


_ERRNO_REASON = {errno.ENOSPC: "disk_full", errno.EDQUOT: "disk_full", errno.EROFS: "read_only",
                 errno.EACCES: "no_permission", errno.EPERM: "no_permission"}
_TEXT_REASON = (("no space left", "disk_full"), ("disk quota", "disk_full"), ("read-only file system", "read_only"),
                ("permission denied", "no_permission"))


def storage_reason(exc: BaseException) -> str | None:
    """'disk_full', 'read_only' or 'no_permission' when `exc` (an OSError, or DuckDB's or
    Arrow's IO error, whose errno is only in the text) is the storage refusing a write."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError) and exc.errno in _ERRNO_REASON:
            return _ERRNO_REASON[exc.errno]
        low = str(exc).lower()
        for needle, reason in _TEXT_REASON:
            if needle in low:
                return reason
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def as_storage_error(exc: BaseException, where) -> StorageError | None:
    """A StorageError naming the folder when `exc` is the storage refusing a write, else None."""
    reason = storage_reason(exc)
    if reason is None:
        return None
    return StorageError(f"{reason}: {where}: {exc}".splitlines()[0], reason, where=str(where))
