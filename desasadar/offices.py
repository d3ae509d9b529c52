"""The office structure a snapshot uses: Kantor Cabang (cabang.csv) and which branch serves each regency
(cabang_wilayah_kerja.csv).

The reference data (data/reference/) holds the structure built from public sources, partly assumed
(name_basis 'assumed', shown as "perkiraan"). A snapshot published with the agency's own office list
(ingest: the report kind `daftar_kantor`, desasadar/ingest/kantor.py) carries that list in its own folder
(FILES, listed in its manifest, verified like every file of it), and every snapshot built on it carries it on.
Whatever needs the structure of a snapshot asks here; older snapshots keep the structure they were built with.
"""
from __future__ import annotations

import contextvars
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import frame_memo, i18n, paths, reference

FILES = ("cabang.csv", "cabang_wilayah_kerja.csv")
OFFICIAL = "official"  # name_basis of an office from the agency's own list
ASSUMED = "assumed"
_DTYPES = {"branch_code": str, "region_code": str, "seat_regency_code": str, "regency_code": str}


@dataclass(frozen=True)
class Offices:
    cabang: pd.DataFrame = field(repr=False)  # branch_code, name, region_code, seat_regency_code, lat, lon, name_basis
    wilayah_kerja: pd.DataFrame = field(repr=False)  # regency_code, branch_code, basis, method, note
    key: str  # identifies the content (cache keys)
    own: bool  # the agency's own list (carried by a snapshot), not the reference's

    def region_of(self) -> dict[str, str]:
        return dict(_region_of(self.cabang))  # a copy: callers may add to it

    def branch_of_regency(self) -> dict[str, str]:
        return dict(zip(self.wilayah_kerja["regency_code"], self.wilayah_kerja["branch_code"]))

    def table(self, fname: str) -> pd.DataFrame:
        """By reference file name (FILES)."""
        return {FILES[0]: self.cabang, FILES[1]: self.wilayah_kerja}[fname]

    @property
    def assumed(self) -> int:
        return int((self.cabang["name_basis"] == ASSUMED).sum())

    def write(self, folder: Path) -> None:
        """The two files in `folder` (a snapshot being published), rows sorted: same list, same bytes."""
        self.cabang.sort_values("branch_code").to_csv(folder / FILES[0], index=False, lineterminator="\n")
        self.wilayah_kerja.sort_values("regency_code").to_csv(folder / FILES[1], index=False, lineterminator="\n")


def from_reference(ref_dir: Path | None = None) -> Offices:
    """The reference's structure (cached per file identity: asked on every page run)."""
    d = ref_dir or paths.reference_dir()
    stamp = tuple((st.st_size, st.st_mtime_ns, st.st_ino) for st in ((d / n).stat() for n in FILES))
    return _from_reference(str(d), stamp)


@lru_cache(maxsize=8)
def _from_reference(d: str, stamp: tuple) -> Offices:
    cab = reference.table("cabang.csv", Path(d))
    wk = reference.table("cabang_wilayah_kerja.csv", Path(d))
    raw = b"".join((Path(d) / n).read_bytes() for n in FILES)
    return Offices(cab, wk, "ref:" + hashlib.sha256(raw).hexdigest()[:16], False)


@lru_cache(maxsize=32)
def _read(folder: str, stamp: tuple) -> Offices:
    p = Path(folder)
    raw = b"".join((p / n).read_bytes() for n in FILES)
    cab = pd.read_csv(p / FILES[0], dtype=_DTYPES, keep_default_na=False)
    wk = pd.read_csv(p / FILES[1], dtype=_DTYPES, keep_default_na=False)
    return Offices(cab, wk, "own:" + hashlib.sha256(raw).hexdigest()[:16], True)


def of_folder(folder: Path) -> Offices | None:
    """The office list a snapshot folder carries, or None (it uses the reference's)."""
    folder = Path(folder)
    try:
        stamp = tuple((st.st_size, st.st_mtime_ns, st.st_ino) for st in ((folder / n).stat() for n in FILES))
    except OSError:
        return None
    return _read(str(folder), stamp)


def carries(snap) -> bool:
    """Whether a published snapshot carries its own office list (only files its manifest lists count)."""
    return snap is not None and all(n in (snap.manifest.get("files") or {}) for n in FILES)


def distinct(snaps) -> list[Offices]:
    """The different structures a list of snapshots uses (the reference's read once)."""
    seen: dict[str, Offices] = {}
    for snap in snaps:
        o = of_snapshot(snap) if carries(snap) else None
        if o is not None:
            seen[o.key] = o
    ref = from_reference()
    return [ref, *[o for k, o in seen.items() if k != ref.key]]


def of_snapshot(snap, ref_dir: Path | None = None) -> Offices:
    """The structure of a published snapshot: its own office list if it carries one (only files its
    manifest lists count), else the reference's."""
    if carries(snap):
        own = of_folder(snap.path)
        if own is not None:
            return own
    return from_reference(ref_dir if ref_dir is not None else paths.reference_dir(_base_of(snap)))


def _base_of(snap) -> Path | None:
    # data/snapshots/<id> -> data
    return snap.path.parent.parent if snap is not None else None


def label(name: str, basis: str | None, lang: str) -> str:
    """An office's name as shown wherever it is named: 'Surabaya (perkiraan)' / 'Surabaya (assumed)' when its
    seat and territory are assumed (no public source, no office list loaded), else the name."""
    return f"{name} ({i18n.t('kantor.assumed', lang)})" if basis == ASSUMED else name


def labels(df: pd.DataFrame, lang: str, name_col: str = "name", basis_col: str = "name_basis") -> pd.Series:
    """`label` over a frame's name and name_basis columns (no name_basis column: names as they are)."""
    names = df[name_col].astype("object")
    if basis_col not in df:
        return names
    return names.where(df[basis_col] != ASSUMED, names + f" ({i18n.t('kantor.assumed', lang)})")


@frame_memo.per_frame
def with_labels(df: pd.DataFrame, lang: str, name_col: str = "name", basis_col: str = "name_basis") -> pd.DataFrame:
    """A query result with `name_col` replaced by its `labels`, made once per result frame (frame_memo): the
    same object on every rerun, so a chart drawn from it is not hashed again."""
    return df.assign(**{name_col: labels(df, lang, name_col, basis_col)})


@frame_memo.per_frame
def _region_of(cabang: pd.DataFrame) -> dict[str, str]:
    # Once per office list: zipping Arrow-backed columns into a dict costs about a millisecond, and the
    # shell asks on every rerun.
    return dict(zip(cabang["branch_code"], cabang["region_code"]))


@frame_memo.per_frame
def label_of(cabang: pd.DataFrame, lang: str) -> dict[str, str]:
    """branch_code -> `labels` of an office list, made once per list and language (do not change it)."""
    return dict(zip(cabang["branch_code"], labels(cabang, lang)))


@frame_memo.per_frame
def mark_branches(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A query result whose rows name a branch (`branch_name`, `branch_basis`) with the assumed ones marked
    (`label`). Results are shared with the data layer's cache: the marked copy is made once per result
    frame (frame_memo), so the cached frame itself is never changed."""
    if "branch_basis" not in df or "branch_name" not in df:
        return df
    return df.assign(branch_name=labels(df, lang, "branch_name", "branch_basis"))


_active: contextvars.ContextVar[Offices | None] = contextvars.ContextVar("offices", default=None)


def active() -> Offices:
    """The structure ingest checks against right now: the one set by `using()` (the base snapshot's, or
    an office list being loaded), else the reference's."""
    return _active.get() or from_reference()


@contextmanager
def using(offices: Offices | None):
    token = _active.set(offices)
    try:
        yield offices
    finally:
        _active.reset(token)
