"""frame_memo: computed once per frame object, never served to a different frame."""
from __future__ import annotations

import gc

import pandas as pd

from desasadar import frame_memo

calls = []


@frame_memo.per_frame
def total(df: pd.DataFrame, col: str) -> int:
    calls.append(col)
    return int(df[col].sum())


def test_once_per_frame_and_args():
    calls.clear()
    df = pd.DataFrame({"a": [1, 2], "b": [10, 20]})
    assert total(df, "a") == 3 and total(df, "a") == 3
    assert total(df, "b") == 30
    assert calls == ["a", "b"]


def test_equal_content_new_frame_is_computed_again_and_freed_frames_leave():
    calls.clear()
    df = pd.DataFrame({"a": [1, 2]})
    total(df, "a")
    del df
    gc.collect()
    assert not any(k[1].endswith("total") for k in frame_memo._memo)
    df2 = pd.DataFrame({"a": [5, 5]})
    assert total(df2, "a") == 10
    assert calls == ["a", "a"]


def test_digest_follows_content_columns_and_types():
    a = pd.DataFrame({"x": [1, 2], "y": ["p", "q"]})
    assert frame_memo.digest(a) == frame_memo.digest(a.copy())
    assert frame_memo.digest(a) != frame_memo.digest(pd.DataFrame({"x": [1, 3], "y": ["p", "q"]}))
    assert frame_memo.digest(a) != frame_memo.digest(a.rename(columns={"y": "z"}))
    assert frame_memo.digest(a) != frame_memo.digest(a.astype({"x": "float64"}))


@frame_memo.per_frame
def derived(df: pd.DataFrame) -> pd.DataFrame:
    """A value that is itself a frame with a memo entry (as Peringkat's tables are)."""
    out = df * 2
    total(out, "a")
    return out


def test_freeing_a_frame_whose_value_holds_memoised_frames_does_not_hang():
    # This deadlocked the server: dropping the outer entry freed the inner frame, whose callback
    # waited for the lock its own thread held.
    import threading

    def work():
        df = pd.DataFrame({"a": [1, 2]})
        derived(df)
        del df
        gc.collect()

    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive(), "freeing a frame hung in frame_memo"
    assert not any(k[1].endswith(("derived", "total")) for k in frame_memo._memo)
