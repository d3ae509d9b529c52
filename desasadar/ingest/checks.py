"""Checking the rows of the branch reports: cell by cell, row by row, and across tables.

1. Cells: text that is no number, date, month or yes/no (readers.parse_column).
2. Rows (pandera): required cells, code formats, vocabularies, non-negative counts, officials
   enrolled <= officials, status and its dates (present for each step, none for later steps,
   in order, not after the as-of date), segment/programme eligibility (domain.ELIGIBLE),
   enrollment and payment dates. The cross-column ones are rules.py's, the same the publish gate
   (validate.py) runs on every snapshot.
3. Across tables: the village is in the register; its regency is served by the reporting
   branch (data/reference/cabang_wilayah_kerja.csv); the status follows legally from the
   previous snapshot (proposed -> verified -> certified; revoked only after certified) and
   the dates of steps already taken are unchanged; duplicates within and across files; an
   enrollment's village has a status row (reported now or carried forward).

Every problem is a row of a frame: pos (row of the combined table), column, reason, detail.
A row with any problem is rejected (kept in the quarantine); the others are published.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import duckdb
import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pyarrow
import pyarrow.compute as pc
from pandera.errors import SchemaErrors

from .. import offices, reference
from ..domain import DESA_ONLY_OCCUPATIONS, OCCUPATIONS, PROGRAMMES, SEGMENTS, STATUSES, VILLAGE_CODE_PATTERN
from ..rules import ROW_RULES, Rule
from . import columns as C
from .readers import Part, parse_column

VILLAGE_CODE_RE = rf"^{VILLAGE_CODE_PATTERN}$"
PARTICIPANT_ID_RE = r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$"
# previous status -> statuses a report may give now (steps may be skipped between snapshots,
# each with its date); revoked only ever follows certified.
ALLOWED = {
    "none": {"none", "proposed", "verified", "certified"},
    "proposed": {"proposed", "verified", "certified"},
    "verified": {"verified", "certified"},
    "certified": {"certified", "revoked"},
    "revoked": {"revoked"},
}
PROBLEM_COLUMNS = ["pos", "column", "reason", "detail"]


@dataclass
class Table:
    """All rows of one report kind, from every file, in one frame (pos = row index)."""
    spec: C.ReportSpec
    raw: pd.DataFrame  # text as written, columns = report column names
    file: np.ndarray
    sheet: np.ndarray
    row: np.ndarray
    typed: pd.DataFrame | None = None
    problems: list[pd.DataFrame] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.raw)

    def add(self, pos, column: str, reason: str, detail=None) -> None:
        pos = np.asarray(pos, dtype=np.int64).ravel()
        if len(pos) == 0:
            return
        det = detail if detail is not None else ""
        self.problems.append(pd.DataFrame({"pos": pos, "column": column, "reason": reason,
                                           "detail": np.asarray(det, dtype=object) if not isinstance(det, str) else det}))

    def problem_frame(self) -> pd.DataFrame:
        if not self.problems:
            return pd.DataFrame({c: pd.Series(dtype="int64" if c == "pos" else object) for c in PROBLEM_COLUMNS})
        df = pd.concat(self.problems, ignore_index=True)
        return df.drop_duplicates(["pos", "column", "reason"]).sort_values(["pos", "column", "reason"], kind="stable")

    def rejected(self) -> np.ndarray:
        """Boolean mask of rows with at least one problem."""
        mask = np.zeros(len(self), dtype=bool)
        for p in self.problems:
            mask[p["pos"].to_numpy()] = True
        return mask

    def where(self, pos: int) -> str:
        sheet = self.sheet[pos]
        return f"{self.file[pos]}{f' [{sheet}]' if sheet else ''} baris {self.row[pos]}"


def combine(spec: C.ReportSpec, parts: list[Part]) -> Table:
    names = [c.name for c in spec.columns]
    if parts:
        raw = pd.concat([p.data[names] for p in parts], ignore_index=True)
    else:
        raw = pd.DataFrame({n: pd.Series([], dtype=str) for n in names})
    file = np.concatenate([np.full(len(p.data), p.file, dtype=object) for p in parts]) if parts else np.array([], dtype=object)
    sheet = np.concatenate([np.full(len(p.data), p.sheet, dtype=object) for p in parts]) if parts else np.array([], dtype=object)
    row = np.concatenate([p.rows for p in parts]) if parts else np.array([], dtype=np.int64)
    t = Table(spec, raw, file, sheet, row)
    offset = 0
    for p in parts:
        if p.extra:
            t.add([offset + i for i in p.extra], "", "extra_cells", np.array(list(p.extra.values()), dtype=object))
        offset += len(p.data)
    return t


def isin(s: pd.Series, values) -> np.ndarray:
    """s.isin(values) as a boolean array, through Arrow (fast for large value sets); NA -> False."""
    arr = pyarrow.array((s if s.dtype == "str" else s.astype("str")).array)
    vs = values if isinstance(values, (pyarrow.Array, pyarrow.ChunkedArray)) else pyarrow.array(list(values), pyarrow.string())
    return pc.fill_null(pc.is_in(arr, value_set=vs), False).to_numpy(zero_copy_only=False).astype(bool)


# --- reference lookups ------------------------------------------------------------------------


_refs: dict[tuple, dict] = {}


def _ref(version: tuple) -> dict:
    """Lookups for (reference version, office structure key); the structure is offices.active()'s."""
    if version in _refs:
        return _refs[version]
    desa = reference.table("desa.parquet")
    o = offices.active()
    terr, cab = o.wilayah_kerja, o.cabang
    out = {
        "serving_keys": sorted(f"{g}|{b}" for g, b in zip(terr["regency_code"], terr["branch_code"])),
        "codes": pyarrow.array(desa["village_code"].astype(str).tolist(), pyarrow.string()),
        "kelurahan": pyarrow.array(desa.loc[desa["kind"] == "kelurahan", "village_code"].astype(str).tolist(),
                                   pyarrow.string()),
        "branch_of_regency": dict(zip(terr["regency_code"], terr["branch_code"])),
        "branches": sorted(cab["branch_code"]),
        "region_of": dict(zip(cab["branch_code"], cab["region_code"])),
    }
    if len(_refs) >= 4:
        _refs.clear()
    _refs[version] = out
    return out


def _version() -> tuple:
    return (reference.version(), offices.active().key)


def ref() -> dict:
    return _ref(_version())


# --- parsing ----------------------------------------------------------------------------------


def parse(t: Table) -> None:
    """Typed values for every stored column; cells that cannot be read are problems."""
    typed = {}
    for c in t.spec.columns:
        if c.kind == "text":
            continue
        values, why = parse_column(t.raw[c.name], c)
        typed[c.name] = values.reset_index(drop=True)
        bad = np.flatnonzero(pd.notna(why))
        if len(bad):
            reasons = why[bad]
            for r in pd.unique(reasons):
                sel = bad[reasons == r]
                t.add(sel, c.name, str(r))
    t.typed = pd.DataFrame(typed)


# --- row checks (pandera) ---------------------------------------------------------------------


def _failures(schema: pa.DataFrameSchema, df: pd.DataFrame) -> pd.DataFrame:
    try:
        schema.validate(df, lazy=True)
    except SchemaErrors as e:
        fc = e.failure_cases
        return fc[fc["index"].notna()][["column", "check", "index"]]
    return pd.DataFrame(columns=["column", "check", "index"])


def _str(nullable: bool = False, *checks) -> pa.Column:
    return pa.Column(None, list(checks), nullable=nullable)


@lru_cache(maxsize=4)
def _village_schema(version: tuple) -> pa.DataFrameSchema:
    branches = _ref(version)["branches"]
    cols = {
        "kode_cabang": _str(False, pa.Check.isin(branches, error="unknown_branch")),
        "kode_desa": _str(False, pa.Check.str_matches(VILLAGE_CODE_RE, error="bad_village_code")),
        "status_program": _str(False, pa.Check.isin(list(STATUSES), error="bad_status")),
        "estimasi_angkatan_kerja": pa.Column("Int64", pa.Check.ge(0, error="negative_count"), nullable=False),
        "jumlah_perangkat_desa": pa.Column("Int64", pa.Check.ge(0, error="negative_count"), nullable=True),
        "perangkat_desa_terdaftar": pa.Column("Int64", pa.Check.ge(0, error="negative_count"), nullable=True),
    }
    for c in ("tanggal_diusulkan", "tanggal_diverifikasi", "tanggal_sertifikasi", "tanggal_dicabut"):
        cols[c] = pa.Column("datetime64[ns]", nullable=True)
    for c in ("kepala_desa_terdaftar", "agen_ditunjuk", "perdes_jaminan_sosial"):
        cols[c] = pa.Column("boolean", nullable=True)
    return pa.DataFrameSchema(cols, strict=False)


@lru_cache(maxsize=4)
def _enrollment_schema(version: tuple) -> pa.DataFrameSchema:
    branches = _ref(version)["branches"]
    cols = {
        "kode_cabang": _str(False, pa.Check.isin(branches, error="unknown_branch")),
        "kode_desa": _str(False, pa.Check.str_matches(VILLAGE_CODE_RE, error="bad_village_code")),
        "id_peserta": _str(False, pa.Check.str_matches(PARTICIPANT_ID_RE, error="bad_participant_id")),
        "segmen": _str(False, pa.Check.isin(list(SEGMENTS), error="bad_segment")),
        "pekerjaan": _str(False, pa.Check.isin(list(OCCUPATIONS), error="bad_occupation")),
        "tanggal_daftar": pa.Column("datetime64[ns]", nullable=False),
        "iuran_sampai": pa.Column("datetime64[ns]", nullable=False),
        "aktif": pa.Column("boolean", nullable=False),
    }
    for p in PROGRAMMES:
        cols[p] = pa.Column("boolean", nullable=True)
    return pa.DataFrameSchema(cols, strict=False)


DATE_COLS = {"proposed": "tanggal_diusulkan", "verified": "tanggal_diverifikasi",
             "certified": "tanggal_sertifikasi", "revoked": "tanggal_dicabut"}


def _broken_rows(t: Table, as_of: date) -> list[tuple[Rule, np.ndarray]]:
    """The shared row rules (rules.py) on the typed rows: (rule, positions of the rows that break it)."""
    table_rules = [r for r in ROW_RULES if r.table == t.spec.table]
    fields = sorted({c for r in table_rules for c in r.reads})
    frame = pd.DataFrame({f: t.typed[t.spec.col(f).name] for f in fields})
    frame["pos"] = np.arange(len(frame), dtype=np.int64)
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        con.register(t.spec.table, frame)
        out = []
        for r in table_rules:
            params = {"as_of": as_of} if "$as_of" in r.broken else {}
            pos = con.execute(f"select pos from {t.spec.table} where {r.broken} order by pos", params).fetchnumpy()["pos"]
            out.append((r, np.asarray(pos, dtype=np.int64)))
        return out
    finally:
        con.close()


def row_checks(t: Table, as_of: date) -> None:
    version = _version()
    schema = _village_schema(version) if t.spec.kind == "status_desa" else _enrollment_schema(version)
    df = t.typed
    parse_bad = {(r, c) for p in t.problems if len(p) for r, c in zip(p["pos"], p["column"])} if t.problems else set()
    fc = _failures(schema, df)
    for (col, check), g in fc.groupby(["column", "check"], sort=False):
        pos = g["index"].astype(np.int64).to_numpy()
        if check == "not_nullable":
            pos = np.array([p for p in pos if (p, col) not in parse_bad], dtype=np.int64)
            t.add(pos, col, "required")
        elif str(check).startswith("dtype"):
            raise TypeError(f"internal: column {col} has the wrong type after parsing ({check})")
        else:
            t.add(pos, col, str(check))
    unreadable: dict[str, set] = {}
    for r, c in parse_bad:
        unreadable.setdefault(c, set()).add(int(r))
    for rule, pos in _broken_rows(t, as_of):
        if len(pos):
            cols = [t.spec.col(f).name for f in rule.reads]
            # a cell that could not be read is reported once, as such, not again by the rules reading it
            skip = set().union(*(unreadable.get(c, set()) for c in cols))
            if skip:
                pos = pos[~np.isin(pos, list(skip))]
            t.add(pos, t.spec.col(rule.column).name, rule.reason)


# --- cross-table checks -----------------------------------------------------------------------


def register_checks(t: Table) -> None:
    """Village in the register; its regency served by the reporting branch."""
    r = ref()
    code = t.typed["kode_desa"]
    ok_format = code.str.fullmatch(VILLAGE_CODE_PATTERN).fillna(False).to_numpy(dtype=bool)
    in_register = isin(code, r["codes"])
    t.add(np.flatnonzero(ok_format & ~in_register), "kode_desa", "unknown_village")
    branch = t.typed["kode_cabang"]
    regency = code.str.slice(0, 5)  # xx.xx of xx.xx.xx.xxxx
    known = in_register & isin(branch, r["branches"])
    pairs = regency.fillna("") + "|" + branch.fillna("")
    serving = isin(pairs, r["serving_keys"])
    bad = np.flatnonzero(known & ~serving)
    if len(bad):
        reg = regency.to_numpy(dtype=object)[bad]
        t.add(bad, "kode_cabang", "branch_not_serving",
              np.array([f"{g} → {r['branch_of_regency'].get(g, '?')}" for g in reg], dtype=object))
    kelurahan_checks(t, isin(code, r["kelurahan"]))


def kelurahan_checks(t: Table, is_kelurahan: np.ndarray) -> None:
    """A kelurahan is not a desa (a lurah, civil servants): outside the programme. It cannot be proposed or
    certified, and nobody there is a kepala desa or perangkat desa (domain.DESA_ONLY_OCCUPATIONS)."""
    if not is_kelurahan.any():
        return
    if t.spec.kind == "status_desa":
        status = t.typed["status_program"].fillna("none").to_numpy(dtype=object)
        t.add(np.flatnonzero(is_kelurahan & (status != "none")), "status_program", "kelurahan_outside_programme")
    else:
        occ = t.typed["pekerjaan"].to_numpy(dtype=object)
        t.add(np.flatnonzero(is_kelurahan & np.isin(occ, DESA_ONLY_OCCUPATIONS)), "pekerjaan",
              "kelurahan_no_desa_officials")


def duplicate_checks(t: Table) -> None:
    """Rows with the same key: exact repeats keep the first copy; differing copies are all rejected."""
    key_col = "kode_desa" if t.spec.kind == "status_desa" else "id_peserta"
    key = t.typed[key_col]
    dup = key.notna().to_numpy() & key.duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    idx = np.flatnonzero(dup)
    sub = t.typed.iloc[idx]
    h = pd.util.hash_pandas_object(sub.astype(str), index=False).to_numpy()
    g = pd.DataFrame({"key": key.iloc[idx].to_numpy(), "h": h, "pos": idx})
    first = g.groupby("key", sort=False)["pos"].transform("min").to_numpy()
    distinct = g.groupby("key", sort=False)["h"].transform("nunique").to_numpy()
    where = np.array([t.where(p) for p in first], dtype=object)
    same = distinct == 1
    repeat = same & (g["pos"].to_numpy() != first)
    t.add(g["pos"].to_numpy()[repeat], key_col, "duplicate_identical", where[repeat])
    conflict = ~same
    if conflict.any():
        cg = g[conflict]
        others = cg.groupby("key", sort=False)["pos"].agg(lambda s: list(s)[:4]).to_dict()
        detail = np.array([
            ", ".join(t.where(o) for o in others[k] if o != p) for k, p in zip(cg["key"], cg["pos"])
        ], dtype=object)
        t.add(cg["pos"].to_numpy(), key_col, "duplicate_conflict", detail)


def transition_checks(t: Table, prev: pd.DataFrame | None) -> None:
    """Against the previous snapshot's villages (village_code, status, the four dates)."""
    if prev is None:
        return
    d = t.typed
    m = pd.DataFrame({"village_code": d["kode_desa"].to_numpy()}).merge(
        prev, on="village_code", how="left", sort=False)
    before = m["status"].fillna("none").to_numpy(dtype=object)
    now = d["status_program"].to_numpy(dtype=object)
    valid_now = np.isin(now, STATUSES)
    ok = np.array([n in ALLOWED.get(b, set()) for b, n in zip(before, now)], dtype=bool)
    bad = np.flatnonzero(valid_now & ~ok)
    t.add(bad, "status_program", "illegal_transition",
          np.array([f"{before[i]} → {now[i]}" for i in bad], dtype=object))
    for step, col in DATE_COLS.items():
        old = pd.to_datetime(m[f"{step}_on"]).astype("datetime64[ns]").to_numpy()
        new = d[col].to_numpy(dtype="datetime64[ns]")
        changed = ~np.isnat(old) & ~np.isnat(new) & (old != new)
        pos = np.flatnonzero(changed)
        t.add(pos, col, "date_changed", np.array([str(old[i])[:10] for i in pos], dtype=object))


def village_presence_checks(t: Table, villages: set[str] | pd.Index) -> None:
    """Each enrollment's village has a status row in the new snapshot."""
    code = t.typed["kode_desa"]
    missing = code.notna().to_numpy() & ~isin(code, pyarrow.array(list(villages), pyarrow.string()))
    # not again for codes already reported as not in the register
    unknown_reg = {p for df in t.problems for p, r in zip(df["pos"], df["reason"]) if r in ("unknown_village", "bad_village_code")}
    pos = np.array([p for p in np.flatnonzero(missing) if p not in unknown_reg], dtype=np.int64)
    t.add(pos, "kode_desa", "village_without_status")


def check_villages(t: Table, as_of: date, prev: pd.DataFrame | None) -> None:
    parse(t)
    row_checks(t, as_of)
    register_checks(t)
    duplicate_checks(t)
    transition_checks(t, prev)


def check_enrollments(t: Table, as_of: date, villages: pd.Index) -> None:
    parse(t)
    row_checks(t, as_of)
    register_checks(t)
    duplicate_checks(t)
    village_presence_checks(t, villages)
