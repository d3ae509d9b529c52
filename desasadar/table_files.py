"""Tables as downloads (CSV, XLSX), safe to open in a spreadsheet.

A text cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return) would be read by
Excel, LibreOffice or Google Sheets as a formula ("formula injection", OWASP CSV Injection). Such
cells get a leading apostrophe, so they show as text; numbers and dates are left as they are.
Column headers are the visible labels (Indonesian when the UI is Indonesian).

Used by the Peringkat and Data pages; `to_xlsx` is the one XLSX writer (also the generated branch files).

Demo data (one rule for every generated file, also the PDF/PNG briefs): the file name starts with
DEMO- (`file_name`), and the content says DEMO: a table gets a first column "Data" = "DEMO ..." on
every row (so a copied or filtered part still says so) and an XLSX sheet title starting with DEMO.
"""
from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd

from .scalars import plain

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d")  # \uff1d: fullwidth '='


DEMO_PREFIX = "DEMO-"


def file_name(stem: str, ext: str, *, demo: bool) -> str:
    """'peringkat-cabang-2018-08-01.csv', or 'DEMO-peringkat-cabang-2018-08-01.csv' for demo data."""
    return f"{DEMO_PREFIX if demo else ''}{stem}.{ext}"


def mark_demo(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`df` with a first column saying DEMO on every row (synthetic data, not official figures)."""
    from . import i18n

    out = df.copy()
    out.insert(0, i18n.t("shell.demo_column", lang), i18n.t("shell.demo_cell", lang))
    return out


def neutralise_cell(value):
    """The value, with a leading apostrophe when it is text that a spreadsheet would run as a formula
    ('=HYPERLINK(...)', '@SUM(...)', '+1+1'); numbers stored as numbers are left alone, text such as '-3'
    is not (it shows as the same text either way)."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with dangerous text cells (and column headers) neutralised."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv(df: pd.DataFrame) -> bytes:
    """CSV as Excel set to Indonesian opens it by a double click: ';' between fields and ',' as the decimal
    separator (the Indonesian list and decimal separators; with ',' and '.' Excel reads 133.3 as 1.333 or
    as text), UTF-8 with a byte-order mark (so Excel reads the names right), CRLF line ends (a stray CR or
    LF in a cell is quoted), ISO dates, empty cells for missing values. XLSX is offered beside it for
    anyone whose Excel uses other separators."""
    return neutralise(df).to_csv(index=False, sep=";", decimal=",", date_format="%Y-%m-%d",
                                 lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx(df: pd.DataFrame, sheet: str = "Data", *, title: str | None = None, heading: str | None = None,
            styled: bool = True) -> bytes:
    """The one XLSX writer (downloads, rejected rows, branch files): a workbook with one sheet, the table.

    Every text cell, headers included, is neutralised and written as text (never as a formula). `styled`:
    bold header row (frozen), sensible widths, dates as yyyy-mm-dd (the downloads; the rejected rows and
    the generated branch files are plain). `heading`: a title line and an empty row above the table, as
    the branches' own files have. `title`, if given, is stored in the workbook's properties (e.g. the
    snapshot and scope), not in the sheet, so the sheet parses back to exactly the table. Written
    row by row (write-only), so a large table does not sit in memory twice.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    header = [neutralise_cell(str(c)) for c in df.columns]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])  # a demo sheet is named "DEMO ..." by the caller (see file_name / mark_demo)
    first = 1
    if heading is not None:
        ws.append([heading])
        ws.append([])
        first = 3
    if styled:
        ws.freeze_panes = f"A{first + 1}"
        for i, name in enumerate(header, start=1):
            column = df.iloc[:, i - 1].head(500)
            width = max([len(name)] + [len(str(neutralise_cell(v))) for v in column if v is not None])
            ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 48)
        bold = Font(bold=True)
        ws.append([_cell(ws, h, font=bold) for h in header])
    else:
        ws.append(header)
    for row in df.itertuples(index=False):
        values = [neutralise_cell(plain(v)) for v in row]
        if styled:
            values = [_cell(ws, v, number_format="yyyy-mm-dd") if isinstance(v, (date, datetime)) else v
                      for v in values]
        ws.append(values)
    if title:
        wb.properties.title = title
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(ws, value, **style):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    for k, v in style.items():
        setattr(cell, k, v)
    return cell


def read_xlsx(data: bytes) -> pd.DataFrame:
    """The first sheet of an .xlsx made by `to_xlsx` as a frame (header row -> columns). For tests and checks."""
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])
