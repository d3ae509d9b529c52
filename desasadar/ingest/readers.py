"""Reading the branches' files: CSV and XLSX into text frames, and cell text into values.

A file is read into one or more `Part`s (a CSV is one part; each sheet of a workbook with a
recognised header row is one), every cell kept as text exactly as written (stripped), with
the row number a spreadsheet shows. Nothing is evaluated: an XLSX formula is read as its text
('=HYPERLINK(...)'), never computed. Problems that stop a whole file (too large, empty,
unreadable, unknown encoding, no header) are returned as file-level problems.

CSV: ';', ',', tab or '|' separated (whichever makes a documented header), UTF-8, UTF-8 with
BOM, UTF-16 with BOM or Windows-1252 (noted). XLSX: the header row is found by its column
names anywhere in the first 50 rows; blank rows are skipped; Excel dates become dates.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

from ..snapshots import sha256
from . import columns as C

HEADER_SCAN = 50  # rows searched for the header
DELIMITERS = (";", ",", "\t", "|")
CHUNK = 200_000  # rows per progress step
Progress = Callable[[str, int, int], None]  # (stage label, done, total)


@dataclass
class Part:
    """The data rows of one report in one file (or sheet), cells as text."""
    file: str
    sheet: str | None
    kind: str
    headers: dict[str, str]  # column name -> header as written in the file
    data: pd.DataFrame  # columns: column names of the report; values: str ('' = empty)
    rows: np.ndarray  # spreadsheet row number of each data row
    extra: dict[int, str] = field(default_factory=dict)  # row index -> text of cells beyond the header


@dataclass
class FileRead:
    name: str
    size: int
    sha256: str
    format: str  # 'csv' | 'xlsx' | '?'
    encoding: str | None = None
    delimiter: str | None = None
    parts: list[Part] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)  # file-level: each stops the publish
    notes: list[dict] = field(default_factory=list)  # informational
    blank_rows: int = 0
    open_end_row: int | None = None  # CSV whose last line has no line end: its row (checked once read)

    def problem(self, reason: str, detail: str = "", value: str = "", sheet=None, row=None, column="") -> None:
        self.problems.append(dict(file=self.name, sheet=sheet, row=row, column=column, value=value,
                                  reason=reason, detail=detail, level="file"))

    def note(self, reason: str, detail: str = "", sheet=None) -> None:
        self.notes.append(dict(file=self.name, sheet=sheet, row=None, column="", value="",
                               reason=reason, detail=detail, level="note"))

    @property
    def rows(self) -> int:
        return sum(len(p.data) for p in self.parts)


def read_file(path: Path, name: str | None = None, max_bytes: int | None = None,
              progress: Progress | None = None) -> FileRead:
    """Read one branch file. Never raises for bad content: problems are in the result."""
    path = Path(path)
    name = name or path.name
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        fr = FileRead(name, size, sha256(path), "?")
        fr.problem("file_too_large", detail=f"{size}/{max_bytes}")  # written in MB by the report
        return fr
    raw = path.read_bytes()
    fr = FileRead(name, size, hashlib.sha256(raw).hexdigest(), "?")
    if not raw.strip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00"):
        fr.problem("file_empty")
        return fr
    if raw[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        fr.format = "xlsx"
        if raw[:4] != b"PK\x03\x04":
            fr.problem("file_unreadable", detail="not an XLSX workbook")
            return fr
        _read_xlsx(raw, fr, progress)
    elif raw[:4] == b"\xd0\xcf\x11\xe0" or path.suffix.lower() == ".xls":
        fr.format = "xls"
        fr.problem("file_type_unsupported", detail=".xls (Excel 97-2003)")
    elif raw[:5] == b"%PDF-":
        fr.format = "pdf"
        fr.problem("file_type_unsupported", detail="PDF")
    else:
        fr.format = "csv"
        _read_csv(raw, fr, progress)
    if not fr.problems and not fr.parts:
        fr.problem("header_not_found")
    return fr



# --- CSV --------------------------------------------------------------------------------------


def decode(raw: bytes) -> tuple[str | None, str | None, str]:
    """(text, encoding, detail). text is None when the bytes are no text we can read."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig", ""
        except UnicodeDecodeError as e:
            return None, None, f"UTF-8 BOM, invalid byte at {e.start + 3}"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16", ""
        except UnicodeDecodeError as e:
            return None, None, f"UTF-16 BOM, invalid byte at {e.start}"
    if b"\x00" in raw[:65536]:
        return None, None, "NUL bytes (UTF-16 without BOM, or not a text file)"
    try:
        return raw.decode("utf-8"), "utf-8", ""
    except UnicodeDecodeError as e:
        first_bad = e.start
    try:
        return raw.decode("cp1252"), "cp1252", f"first non-UTF-8 byte at {first_bad}"
    except UnicodeDecodeError as e:
        return None, None, f"byte 0x{raw[e.start]:02x} at {e.start} is neither UTF-8 nor Windows-1252"


def _find_header_csv(lines: list[str]) -> tuple[int, str, str | None, dict[int, str]]:
    best = (-1, ";", None, {}, 0)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        for d in DELIMITERS:
            if d not in line:
                continue
            cells = next(csv.reader([line], delimiter=d))
            kind, found, score = C.match_header(cells)
            if kind and score > best[4]:
                best = (i, d, kind, found, score)
        if best[2] and i > best[0] + 3:
            break
    return best[:4]


def _read_csv(raw: bytes, fr: FileRead, progress: Progress | None) -> None:
    text, enc, detail = decode(raw)
    if text is None:
        fr.problem("encoding_unsupported", detail=detail)
        return
    fr.encoding = enc
    if enc == "cp1252":
        fr.note("read_as_cp1252", detail=detail)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    head = text.split("\n", HEADER_SCAN + 1)[:HEADER_SCAN]
    hdr, delim, kind, found = _find_header_csv(head)
    if kind is None:
        first = next((x for x in head if x.strip()), "")
        fr.problem("header_not_found", value=first[:120])
        return
    fr.delimiter = delim
    header_cells = next(csv.reader([head[hdr]], delimiter=delim))
    ncols = len(header_cells)
    body_start = sum(len(x) + 1 for x in head[: hdr + 1])
    body = text[body_start:]
    if shape := _shape_problem(body, delim, ncols, hdr + 2):
        fr.problem(*shape)
        return
    if body.strip() and not body.endswith("\n"):
        fr.open_end_row = hdr + 2 + body.count("\n")
    total = body.count("\n") + 1
    if progress:
        progress("read", 0, total)
    extra: dict[int, str] = {}
    try:
        frames = []
        reader = pd.read_csv(io.StringIO(body), sep=delim, header=None, names=list(range(ncols)), dtype=str,
                             keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c",
                             chunksize=CHUNK, quotechar='"', doublequote=True)
        done = 0
        for chunk in reader:
            frames.append(chunk)
            done += len(chunk)
            if progress:
                progress("read", min(done, total), total)
        df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(range(ncols)), dtype=str)
    except (pd.errors.ParserError, ValueError):
        df, extra = _read_ragged(body, delim, ncols)
    rows = np.arange(len(df), dtype=np.int64) + hdr + 2
    _add_part(fr, None, kind, header_cells, found, df, rows, extra)


def _shape_problem(body: str, delim: str, ncols: int, first_row: int) -> tuple[str, str] | None:
    """A cut-off last line, or rows with fewer fields than the header: the file is damaged
    (an interrupted upload or copy) and is refused whole rather than half-read.
    -> (reason, detail) or None. Rows with cells beyond the header are reported per row."""
    if not body.strip():
        return None
    if '"' in body:
        records = list(csv.reader(io.StringIO(body), delimiter=delim))
        counts = [len(r) if any(c.strip() for c in r) else 0 for r in records]
        open_quote = body.count('"') % 2 == 1
    else:
        counts = [line.count(delim) + 1 if line.strip() else 0 for line in body.split("\n")]
        open_quote = False
    while counts and counts[-1] == 0:
        counts.pop()
    if not body.endswith("\n") and (open_quote or (counts and counts[-1] < ncols)):
        return "file_truncated", str(first_row + len(counts) - 1)
    short = [i for i, c in enumerate(counts) if 0 < c < ncols]
    if short:
        rows = ",".join(str(first_row + i) for i in short[:5])
        return "field_count_mismatch", f"{ncols}|{counts[short[0]]}|{rows}|{len(short)}"
    return None


def _read_ragged(body: str, delim: str, ncols: int) -> tuple[pd.DataFrame, dict[int, str]]:
    """Rows with more cells than the header: keep the header's cells, report the rest."""
    out, extra = [], {}
    for i, rec in enumerate(csv.reader(io.StringIO(body), delimiter=delim)):
        if len(rec) > ncols:
            if any(x.strip() for x in rec[ncols:]):
                extra[i] = delim.join(rec[ncols:])
            rec = rec[:ncols]
        out.append(rec + [""] * (ncols - len(rec)))
    return pd.DataFrame(out, columns=list(range(ncols)), dtype=str), extra


def _add_part(fr: FileRead, sheet: str | None, kind: str, header_cells: list, found: dict[int, str],
              df: pd.DataFrame, rows: np.ndarray, extra: dict[int, str]) -> None:
    """Name the columns, drop blank rows, check the header against the documented set."""
    spec = C.REPORTS[kind]
    for c in df.columns:
        col = df[c]
        if col.dtype != "str":
            col = col.astype(object).where(col.notna(), "").astype("str")
        df[c] = col.fillna("").str.strip()
    blank = np.logical_and.reduce([(df[c] == "").to_numpy(dtype=bool) for c in df.columns]) if df.shape[1] else \
        np.zeros(len(df), dtype=bool)
    for i in extra:
        blank[i] = False
    if blank.any():
        fr.blank_rows += int(blank.sum())
    keep = ~blank
    # unknown headers (with data under them) and repeated columns
    unknown, seen, headers, names = [], {}, {}, {}
    for pos, cell in enumerate(header_cells):
        title = str(cell).strip() if cell is not None else ""
        if pos in found:
            col = found[pos]
            if col in seen:
                fr.problem("duplicate_column", value=title, column=col, sheet=sheet,
                           detail=f"{seen[col]} / {title}")
                continue
            seen[col] = title
            headers[col], names[pos] = title, col
        elif pos < df.shape[1] and (title or (df.iloc[:, pos].to_numpy(dtype=object)[keep] != "").any()):
            unknown.append(title or f"#{pos + 1}")
    if unknown:
        fr.problem("unknown_columns", value=", ".join(unknown), detail=", ".join(unknown), sheet=sheet)
    missing = [n for n in spec.required_headers if n not in seen]
    if missing:
        fr.problem("missing_columns", value=", ".join(missing), detail=", ".join(missing), sheet=sheet)
    kept = df[keep].reset_index(drop=True) if not keep.all() else df
    data = pd.DataFrame({names[p]: kept[p] for p in sorted(names) if p < df.shape[1]}, index=kept.index)
    for c in spec.columns:
        if c.name not in data:
            data[c.name] = pd.Series([""] * len(kept), dtype="str", index=kept.index)
    data = data[[c.name for c in spec.columns]]
    idx = np.flatnonzero(keep)
    extra_kept = {int(np.searchsorted(idx, i)): v for i, v in extra.items()}
    if len(data) == 0 and not fr.problems:
        fr.problem("no_data_rows", sheet=sheet)
    fr.parts.append(Part(fr.name, sheet, kind, headers, data, rows[keep], extra_kept))


# --- XLSX -------------------------------------------------------------------------------------


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return "ya" if v else "tidak"
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v:
            return ""
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v).replace(".", ",")  # Indonesian decimal comma: never read as thousands
    if isinstance(v, timedelta):
        return str(v)
    return str(v).strip()


def _read_xlsx(raw: bytes, fr: FileRead, progress: Progress | None) -> None:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, TypeError, IndexError) as e:
        fr.problem("file_unreadable", detail=type(e).__name__)
        return
    except Exception as e:  # openpyxl raises many kinds on damaged files
        fr.problem("file_unreadable", detail=type(e).__name__)
        return
    try:
        sheets = wb.worksheets
        for ws in sheets:
            try:
                _read_sheet(ws, fr, progress)
            except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as e:
                fr.problem("file_unreadable", sheet=ws.title, detail=type(e).__name__)
            except Exception as e:
                fr.problem("file_unreadable", sheet=ws.title, detail=type(e).__name__)
    finally:
        wb.close()


def _read_sheet(ws, fr: FileRead, progress: Progress | None) -> None:
    it = ws.iter_rows(values_only=True)
    head: list[tuple] = []
    found_at = None
    for i, row in enumerate(it):
        head.append(row)
        kind, found, score = C.match_header([_cell_text(v) for v in row])
        if kind:
            found_at = (i, kind, found)
            break
        if i + 1 >= HEADER_SCAN:
            break
    if found_at is None:
        if any(any(_cell_text(v) for v in r) for r in head):
            fr.note("sheet_skipped", sheet=ws.title)
        return
    hdr, kind, found = found_at
    header_cells = [_cell_text(v) for v in head[hdr]]
    total = ws.max_row or 0
    ncols = len(header_cells)
    data, extra = [], {}
    for k, row in enumerate(it):
        cells = [_cell_text(v) for v in row]
        if len(cells) > ncols:
            if any(cells[ncols:]):
                extra[k] = " | ".join(x for x in cells[ncols:] if x)
            cells = cells[:ncols]
        data.append(cells + [""] * (ncols - len(cells)))
        if progress and k % 20_000 == 0:
            progress("read", hdr + 1 + k, total)
    df = pd.DataFrame(data, columns=list(range(ncols)), dtype=str) if data else pd.DataFrame(
        {i: pd.Series([], dtype=str) for i in range(ncols)})
    rows = np.arange(len(df), dtype=np.int64) + hdr + 2
    sheet = ws.title if len(ws.parent.worksheets) > 1 else None
    _add_part(fr, sheet, kind, header_cells, found, df, rows, extra)


# --- cell text -> value -----------------------------------------------------------------------

_NUM_ID_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_NUM_COMMA_DEC = re.compile(r"[-+]?\d+(?:,\d+)?")
_NUM_DOT_DEC = re.compile(r"[-+]?\d*\.\d+")


def parse_number(text: str) -> float | None:
    """Indonesian first: '1.450' -> 1450, '55,2' -> 55.2, '1.450,5' -> 1450.5; plain '1450',
    '12.5' and '-3' too. A dot followed by exactly three digits is a thousands separator.
    None when the text is not a number."""
    s = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        return None
    if _NUM_ID_THOUSANDS.fullmatch(s):
        return float(s.replace(".", "").replace(",", "."))
    if _NUM_COMMA_DEC.fullmatch(s):
        return float(s.replace(",", "."))
    if _NUM_DOT_DEC.fullmatch(s):
        return float(s)
    return None


MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
    "october": 10, "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12, "dec": 12,
    "december": 12,
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_D_MONTH_Y = re.compile(r"(\d{1,2})[ -]([a-z]+)\.?[ -](\d{4})")
_MY = re.compile(r"(\d{1,2})[/.-](\d{4})")
_YM = re.compile(r"(\d{4})[/-](\d{1,2})")
_MONTH_Y = re.compile(r"([a-z]+)\.?[ -](\d{4})")
_SERIAL = re.compile(r"\d{5}(?:[.,]0+)?")
EXCEL_EPOCH = date(1899, 12, 30)
YEARS = (1950, 2100)


def _mk(y: int, m: int, d: int) -> date | None:
    if not YEARS[0] <= y <= YEARS[1]:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """'01/08/2018' (day first), '2018-08-01', '1 Agustus 2018', Excel serial 43313 -> date."""
    s = str(text).strip().lower()
    if m := _ISO.fullmatch(s):
        return _mk(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.fullmatch(s):
        return _mk(int(m[3]), int(m[2]), int(m[1]))
    if (m := _D_MONTH_Y.fullmatch(s)) and m[2] in MONTHS:
        return _mk(int(m[3]), MONTHS[m[2]], int(m[1]))
    if _SERIAL.fullmatch(s):
        n = int(re.split(r"[.,]", s)[0])
        if 18264 <= n <= 73050:  # 1950 .. 2100
            return EXCEL_EPOCH + timedelta(days=n)
    return None


def parse_month(text: str) -> date | None:
    """'08/2018', '2018-08', 'Agustus 2018' or any date in the month -> its first day."""
    s = str(text).strip().lower()
    if m := _MY.fullmatch(s):
        return _mk(int(m[2]), int(m[1]), 1)
    if m := _YM.fullmatch(s):
        return _mk(int(m[1]), int(m[2]), 1)
    if (m := _MONTH_Y.fullmatch(s)) and m[1] in MONTHS:
        return _mk(int(m[2]), MONTHS[m[1]], 1)
    d = parse_date(s)
    return d.replace(day=1) if d else None


_ID_RE = r"[A-Za-z0-9][A-Za-z0-9._/-]{0,39}"
_CODE10 = re.compile(r"\d{10}")


def _branch_index() -> dict[str, str]:
    from .. import offices

    cab = offices.active().cabang  # the structure being checked against (the base's, or a list being loaded)
    out = {}
    for code, name in zip(cab["branch_code"], cab["name"]):
        out[C.norm(code)] = code
        out[C.norm(name)] = code
    return out


def _distinct(s: pd.Series, fn: Callable[[str], object]) -> tuple[list, np.ndarray]:
    """fn applied once per distinct text (columns repeat few values: statuses, dates, codes).
    Returns (fn of each distinct value, the index of each cell's value in that list)."""
    codes, uniques = pd.factorize(s, sort=False)
    vals = [fn(u) for u in uniques]
    return vals, np.where(codes < 0, len(vals), codes)


def _take_str(vals: list, idx: np.ndarray) -> pd.Series:
    arr = pa.array([v if v is None else str(v) for v in vals] + [None], pa.string()).take(pa.array(idx))
    return pd.Series(pd.array(arr, dtype="str"))


_FAIL = object()
PARSE_REASON = {"int": "not_a_number", "bool": "not_yes_no", "active": "not_active_value",
                "date": "not_a_date", "month": "not_a_month"}


def parse_column(text: pd.Series, col: C.Col) -> tuple[pd.Series, np.ndarray]:
    """Typed values of one column and, per cell, the reason its text could not be read (or None).

    Empty cells become NA (or the column's default). Words outside a vocabulary (an unknown
    status, segment, branch) are kept as written; the checks report them.
    """
    text = text.reset_index(drop=True)
    empty = (text == "").to_numpy(dtype=bool)
    bad = np.zeros(len(text), dtype=bool)
    reason = PARSE_REASON.get(col.kind)
    k = col.kind
    if k in ("text", "id"):
        out = text.where(~empty)
    elif k == "village":
        ten = text.str.fullmatch(r"\d{10}").to_numpy(dtype=bool)
        if ten.any():
            dotted = text.str.slice(0, 2) + "." + text.str.slice(2, 4) + "." + text.str.slice(4, 6) + "." + text.str.slice(6)
            text = text.where(~ten, dotted)
        out = text.where(~empty)
    elif k in ("branch", "status", "segment", "occupation"):
        vocab = _branch_index() if k == "branch" else {
            "status": C.STATUS_MAP, "segment": C.SEGMENT_MAP, "occupation": C.OCCUPATION_MAP}[k]

        def word(s: str) -> str | None:
            if not s:
                return None
            n = C.norm(s)
            if n not in vocab and n.startswith("kc_"):
                n = n[3:]
            return vocab.get(n, s)
        out = _take_str(*_distinct(text, word))
    elif k in ("bool", "active"):
        vocab = C.BOOL_MAP if k == "bool" else C.ACTIVE_MAP
        vals, idx = _distinct(text, lambda s: vocab.get(C.norm(s), _FAIL) if s else None)
        vals.append(None)
        ok = np.array([v is True for v in vals])[idx]
        bad = np.array([v is _FAIL for v in vals])[idx]
        missing = np.array([v is None or v is _FAIL for v in vals])[idx]
        out = pd.Series(pd.arrays.BooleanArray(ok, missing))
    elif k == "int":
        vals, idx = _distinct(text, lambda s: parse_number(s) if s else None)
        num = np.array([np.nan if v is None else v for v in vals] + [np.nan], dtype=float)[idx]
        bad = np.isnan(num) & ~empty
        frac = ~np.isnan(num) & ((num % 1 != 0) | (np.abs(num) > 2**31 - 1))
        num[frac] = np.nan
        out = pd.Series(pd.arrays.IntegerArray(np.nan_to_num(num).astype(np.int64), np.isnan(num)))
        why = np.where(bad, reason, np.where(frac & ~empty, "not_whole_number", None))
        return _default(out, empty, col), why
    elif k in ("date", "month"):
        fn = parse_date if k == "date" else parse_month
        vals, idx = _distinct(text, lambda s: fn(s) if s else None)
        days = np.array([np.datetime64(v, "D") if v else np.datetime64("NaT") for v in vals] + [np.datetime64("NaT")],
                        dtype="datetime64[D]")[idx]
        bad = np.isnat(days) & ~empty
        out = pd.Series(days.astype("datetime64[ns]"))
    else:
        raise ValueError(k)
    return _default(out, empty, col), np.where(bad, reason, None)


def _default(out: pd.Series, empty: np.ndarray, col: C.Col) -> pd.Series:
    if col.default is not None and empty.any():
        out = out.copy()
        out[empty] = col.default
    return out
