"""Find villages by name or Kemendagri code, forgiving typos (pure: frame in, frame out).

The search only ever looks at the rows it is given: the caller passes the rows its scoped
query returned (queries/desa_cari.sql), so the viewer's scope is applied by the data layer
and never here.

    hits = search.villages(rows, "ekang ancul")        # -> Ekang Anculai first
    hits = search.villages(rows, "2101102002")          # -> the village with that code
    code = search.normalise_code(" 2101102002 ")        # -> '21.01.10.2002' (None if malformed)
"""
from __future__ import annotations

import re
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .domain import VILLAGE_CODE

CODE_RE = VILLAGE_CODE
_CODE_QUERY_RE = re.compile(r"^[\d.\s-]+$", re.ASCII)
_PREFIX_WORDS = ("desa ", "kelurahan ", "kel ", "ds ")
_PUNCT_RE = re.compile(r"[\W_]+")

DEFAULT_LIMIT = 50
MIN_SCORE = 72.0  # below this a name is not shown as a match
NEAR_BEST = 15.0  # ... nor when it is this far below the best match


def normalise_code(value: str | None) -> str | None:
    """A village code as '21.01.10.2002', from that form or 10 plain digits; None when malformed."""
    if value is None:
        return None
    s = str(value).strip()
    if re.fullmatch(r"\d{10}", s, re.ASCII):
        s = f"{s[:2]}.{s[2:4]}.{s[4:6]}.{s[6:]}"
    return s if CODE_RE.fullmatch(s) else None


def normalise_name(value: str) -> str:
    """Lower case, punctuation to spaces, collapsed; a leading 'desa'/'kelurahan' dropped."""
    s = _PUNCT_RE.sub(" ", str(value or "").lower()).strip()
    for w in _PREFIX_WORDS:
        if s.startswith(w) and len(s) > len(w):
            s = s[len(w):]
    return s


def _normalise_column(values: pd.Series) -> pd.Series:
    """normalise_name for a whole column (vectorised; names in the register carry no prefix word)."""
    return values.fillna("").astype(str).str.lower().str.replace(_PUNCT_RE.pattern, " ", regex=True).str.strip()


@dataclass(frozen=True)
class _Index:
    names: list[str]      # normalised village names
    joined: list[str]     # the same without spaces
    places: list[str]     # name + kecamatan + kabupaten, normalised (to tell namesakes apart)
    digits: np.ndarray    # codes without dots


_cache: "OrderedDict[int, tuple[weakref.ref, _Index]]" = OrderedDict()
_cache_lock = threading.Lock()


def _index(rows: pd.DataFrame) -> _Index:
    """Normalised search keys of `rows`, remembered while the (cached, read-only) frame lives."""
    key = id(rows)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0]() is rows:
            return hit[1]
    names = _normalise_column(rows["village_name"])
    places = names
    for col in ("district_name", "regency_name"):
        if col in rows:
            places = places + " " + _normalise_column(rows[col])
    idx = _Index(names.tolist(), names.str.replace(" ", "", regex=False).tolist(), places.tolist(),
                 rows["village_code"].astype(str).str.replace(".", "", regex=False).to_numpy().astype(str))
    with _cache_lock:
        _cache[key] = (weakref.ref(rows), idx)
        while len(_cache) > 8:
            _cache.popitem(last=False)
    return idx


def _name_scores(q: str, idx: _Index) -> np.ndarray:
    """0-100 per row: whole-name similarity, typed-prefix similarity, fragment inside a longer name,
    and (for queries of several words) the name together with its kecamatan and kabupaten."""
    n = len(idx.names)
    whole = np.asarray(process.cdist([q], idx.names, scorer=fuzz.ratio, workers=1)[0], dtype=float)
    # "suka maju" and "sukamaju" are the same name written two ways
    joined = np.asarray(process.cdist([q.replace(" ", "")], idx.joined, scorer=fuzz.ratio, workers=1)[0], dtype=float)
    whole = np.maximum(whole, joined * 0.98)
    # "ekang ancul" typed so far: compare with the same length of each name (typos allowed)
    heads = [name[: len(q)] for name in idx.names]
    longer = np.fromiter((len(name) >= len(q) for name in idx.names), dtype=bool, count=n)
    prefix = np.asarray(process.cdist([q], heads, scorer=fuzz.ratio, workers=1)[0], dtype=float)
    prefix = np.where(longer, prefix * 0.98, 0.0)
    best = np.maximum(whole, prefix)
    if len(q) >= 4:
        # a word from the middle of a name ("anculai"); only names at least as long as the query
        part = np.asarray(process.cdist([q], idx.names, scorer=fuzz.partial_ratio, workers=1)[0], dtype=float)
        best = np.maximum(best, np.where(longer, part * 0.92, 0.0))
    if " " in q:
        # "sukamaju bogor": the village name with its kecamatan / kabupaten
        place = np.asarray(process.cdist([q], idx.places, scorer=fuzz.token_set_ratio, workers=1,
                                         score_cutoff=MIN_SCORE / 0.9)[0], dtype=float)
        best = np.maximum(best, place * 0.9)
    return best


def is_code_query(query: str) -> bool:
    """Digits and dots only (with at least two digits): a (partial) village code."""
    q = (query or "").strip()
    return bool(_CODE_QUERY_RE.match(q)) and sum(ch.isdigit() for ch in q) >= 2


_results: "OrderedDict[tuple, tuple[weakref.ref, pd.DataFrame]]" = OrderedDict()


def villages(rows: pd.DataFrame, query: str, limit: int | None = DEFAULT_LIMIT) -> pd.DataFrame:
    """The rows matching `query`, best first, with a `score` column (0-100).

    `rows` needs village_code and village_name (district_name and regency_name help with
    namesakes). A code or a code prefix ('21.01.10', '2101102002') matches codes exactly;
    anything else is matched on names, typos forgiven. An empty query matches nothing.
    `limit` caps the rows returned (None: all matches).
    Results are remembered while `rows` lives (treat both as read-only).
    """
    key = (id(rows), (query or "").strip(), limit)
    with _cache_lock:
        hit = _results.get(key)
        if hit is not None and hit[0]() is rows:
            _results.move_to_end(key)
            return hit[1]
    out = _search(rows, query, limit)
    with _cache_lock:
        _results[key] = (weakref.ref(rows), out)
        while len(_results) > 64:
            _results.popitem(last=False)
    return out


def _search(rows: pd.DataFrame, query: str, limit: int | None) -> pd.DataFrame:
    q = (query or "").strip()
    if not q or rows.empty:
        return rows.iloc[0:0].assign(score=pd.Series(dtype=float))
    idx = _index(rows)
    if is_code_query(q):
        digits = re.sub(r"[^0-9]", "", q)
        hit = np.char.startswith(idx.digits, digits)
        out = rows.loc[hit].assign(score=100.0)
        return _head(out.sort_values("village_code"), limit)
    qn = normalise_name(q)
    if not qn:
        return rows.iloc[0:0].assign(score=pd.Series(dtype=float))
    score = _name_scores(qn, idx)
    # a clear match makes distant look-alikes noise: keep what is within reach of the best
    keep = np.flatnonzero(score >= max(MIN_SCORE, score.max(initial=0) - NEAR_BEST))
    if keep.size == 0:
        return rows.iloc[0:0].assign(score=pd.Series(dtype=float))
    out = rows.iloc[keep].assign(score=np.round(score[keep], 1))
    # equally good names: shorter first, then (when known) villages in the programme before the rest
    out = out.assign(_len=out["village_name"].str.len(),
                     _out=out["status"].eq("none") if "status" in out else False)
    out = out.sort_values(["score", "_len", "_out", "village_name", "village_code"],
                          ascending=[False, True, True, True, True]).drop(columns=["_len", "_out"])
    return _head(out, limit)


def _head(frame: pd.DataFrame, limit: int | None) -> pd.DataFrame:
    return frame if limit is None else frame.head(limit)
