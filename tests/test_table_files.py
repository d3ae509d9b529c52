"""CSV/XLSX downloads (desasadar/table_files.py): formula injection neutralised, numbers and dates kept, XLSX parses back to the table."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pandas as pd
from openpyxl import load_workbook

from desasadar import table_files

DANGEROUS = ["=1+1", "+62 811", "-2", "@SUM(A1)", "\tx", "\rx"]


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "Nama": ["Ekang Anculai", *DANGEROUS, None],
        "Jumlah": pd.array([1450, 1, -3, 4, 5, 6, 7, None], dtype="Int64"),
        "% target": [133.3, 0.0, -1.5, 2.0, 3.0, 4.0, 5.0, None],
        "Tanggal": [date(2018, 8, 1)] * 7 + [None],
    })


def test_neutralise_text_only():
    assert table_files.neutralise_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert [table_files.neutralise_cell(v) for v in DANGEROUS] == ["'" + v for v in DANGEROUS]
    assert table_files.neutralise_cell("Ekang Anculai") == "Ekang Anculai"
    assert table_files.neutralise_cell("−2") == "−2"  # a typographic minus is not a formula
    assert table_files.neutralise_cell(-3) == -3 and table_files.neutralise_cell(None) is None
    df = frame()
    out = table_files.neutralise(df)
    assert list(out["Nama"])[1:7] == ["'" + v for v in DANGEROUS]
    assert df["Nama"].iloc[1] == "=1+1"  # the input is not modified
    assert out["Jumlah"].tolist()[:3] == [1450, 1, -3]


def test_csv():
    data = table_files.to_csv(frame())
    assert data.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8
    # Indonesian Excel: ';' between fields, ',' before decimals
    got = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert got[0] == ["Nama", "Jumlah", "% target", "Tanggal"]
    assert got[1] == ["Ekang Anculai", "1450", "133,3", "2018-08-01"]
    assert got[4][2] == "2,0" and b"\r\n" in data
    assert [r[0] for r in got[2:8]] == ["'" + v for v in DANGEROUS]
    assert got[3][1] == "-3"  # numbers stay numbers
    assert got[-1] == ["", "", "", ""]


def test_xlsx_round_trip_and_no_formulas():
    data = table_files.to_xlsx(frame(), "Peringkat cabang", title="peringkat-cabang 2018-08-01")
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert ws.title == "Peringkat cabang" and wb.properties.title == "peringkat-cabang 2018-08-01"
    assert ws.freeze_panes == "A2"
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]  # nothing is a formula
    back = table_files.read_xlsx(data)
    assert list(back.columns) == ["Nama", "Jumlah", "% target", "Tanggal"]
    # XML stores a lone CR as LF; the cell is still text with the apostrophe first
    assert back["Nama"].tolist()[:-1] == ["Ekang Anculai", *["'" + v.replace("\r", "\n") for v in DANGEROUS]]
    assert back["Jumlah"].tolist()[:3] == [1450, 1, -3]
    assert back["% target"].tolist()[0] == 133.3
    assert back["Tanggal"].tolist()[0] == datetime(2018, 8, 1)
    assert back.iloc[-1].isna().all()


def test_xlsx_long_sheet_name_and_header_neutralised():
    df = pd.DataFrame({"=bad": ["x"]})
    data = table_files.to_xlsx(df, "A sheet name that is far longer than Excel allows")
    wb = load_workbook(io.BytesIO(data))
    assert len(wb.worksheets[0].title) == 31
    assert wb.worksheets[0]["A1"].value == "'=bad"
