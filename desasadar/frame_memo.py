"""Remember what was computed from a query result, for as long as that result lives.

db.run hands out the same read-only frame object for the same question while it is cached, so
what is derived from that frame alone (its content hash for the chart cache, band summaries)
needs computing once per frame, not on every rerun of every session. Entries are keyed by the
frame's identity and dropped when the frame is freed, so a new frame is never served an old value.
"""
from __future__ import annotations

import functools
import hashlib
import threading
import weakref
from typing import Callable

import pandas as pd
import pyarrow as pa

_memo: dict[tuple, tuple[weakref.ref, object]] = {}
_keys_of: dict[int, set[tuple]] = {}
# Re-entrant: freeing a remembered value can free frames that have memos of their own (a ranking
# table derived from a query result), whose callbacks drop entries again in the same thread; the
# garbage collector may also run a callback while this thread holds the lock.
_lock = threading.RLock()


# The containers are bound as defaults: a frame freed while Python shuts down calls this after the
# module's globals are gone.
def _drop(frame_id: int, _memo=_memo, _keys_of=_keys_of, _lock=_lock) -> None:
    with _lock:
        dropped = [_memo.pop(key, None) for key in _keys_of.pop(frame_id, ())]
    dropped.clear()  # the values are freed here, outside the lock


def per_frame(fn: Callable) -> Callable:
    """fn(frame, *args) computed once per (frame object, args); args must be hashable."""
    @functools.wraps(fn)
    def wrapper(frame: pd.DataFrame, *args):
        key = (id(frame), fn.__qualname__, args)
        hit = _memo.get(key)
        if hit is not None and hit[0]() is frame:
            return hit[1]
        value = fn(frame, *args)
        fid = id(frame)
        ref = weakref.ref(frame, lambda _r, fid=fid, drop=_drop: drop(fid))  # bound now: at exit globals are gone
        with _lock:
            replaced = _memo.get(key)  # an entry of a dead frame whose id was reused
            _memo[key] = (ref, value)
            _keys_of.setdefault(fid, set()).add(key)
        del replaced  # freed outside the lock
        return value
    return wrapper


@per_frame
def digest(frame: pd.DataFrame) -> bytes:
    """Content hash of a frame: columns, dtypes, index and values (the chart cache's key)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((list(frame.columns), [str(t) for t in frame.dtypes], frame.shape)).encode())
    h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return h.digest()


@per_frame
def arrow(frame: pd.DataFrame) -> pa.Table:
    """A frame as the Arrow table a grid is sent as: converting a shared table's text columns on every rerun
    (twice where a page draws a wide and a phone copy) was a fifth of a warm Peringkat rerun."""
    return pa.Table.from_pandas(frame, preserve_index=False)
