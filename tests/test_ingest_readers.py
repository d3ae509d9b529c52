"""Reading branch files: CSV dialects and encodings, XLSX layouts, damaged and odd files."""
from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from desasadar.ingest import columns as C
from desasadar.ingest import readers as R

FIX = Path(__file__).parent / "fixtures" / "ingest"

STATUS_HEADER = [c.name for c in C.STATUS_DESA.columns if c.name != "nama_desa"]
# Two village status rows, hand-written (Ekang Anculai certified on 1 Aug 2018, Malang Rapat verified).
STATUS_ROWS = [
    ["tanjung-pinang", "21.01.10.2002", "tersertifikasi", "14/05/2018", "20/06/2018", "01/08/2018", "", "ya", "2", "2",
     "ya", "ya", "1.450"],
    ["tanjung-pinang", "21.01.04.2002", "diverifikasi", "01/07/2018", "25/07/2018", "", "", "ya", "12", "5", "tidak",
     "tidak", "2.300"],
]


def _csv(rows, sep=";") -> str:
    return "\r\n".join(sep.join(r) for r in [STATUS_HEADER, *rows]) + "\r\n"


def _problems(fr):
    return [p["reason"] for p in fr.problems]


# --- values -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [
    ("1.450", 1450), ("55,2", 55.2), ("1450", 1450), ("1.450,5", 1450.5), ("-3", -3), ("12.5", 12.5),
    ("1.234.567", 1234567), (" 7 ", 7), ("1,450", 1.45), ("abc", None), ("", None), ("1.2.3", None),
])
def test_indonesian_numbers(text, value):
    assert R.parse_number(text) == value


@pytest.mark.parametrize("text, value", [
    ("01/08/2018", date(2018, 8, 1)), ("1/8/2018", date(2018, 8, 1)), ("2018-08-01", date(2018, 8, 1)),
    ("2018-08-01 00:00:00", date(2018, 8, 1)), ("1 Agustus 2018", date(2018, 8, 1)), ("01-08-2018", date(2018, 8, 1)),
    ("43313", date(2018, 8, 1)), ("31/02/2018", None), ("01/08/18", None), ("kemarin", None), ("01/08/0218", None),
])
def test_dates_day_first(text, value):
    assert R.parse_date(text) == value


@pytest.mark.parametrize("text, value", [
    ("08/2018", date(2018, 8, 1)), ("2018-08", date(2018, 8, 1)), ("Agustus 2018", date(2018, 8, 1)),
    ("15/08/2018", date(2018, 8, 1)), ("13/2018", None),
])
def test_months(text, value):
    assert R.parse_month(text) == value


def test_headers_match_loosely():
    kind, found, score = C.match_header(["Kode Cabang", "KODE_DESA", "Status Program (lihat petunjuk)", "x"])
    assert kind == "status_desa" and found == {0: "kode_cabang", 1: "kode_desa", 2: "status_program"}
    assert C.match_header(["nama", "alamat", "telepon"])[0] is None
    assert C.match_header(["kode_desa", "id_peserta", "segmen"])[0] == "kepesertaan"


# --- CSV ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_csv_separators(tmp_path, sep):
    p = tmp_path / "s.csv"
    p.write_text(_csv(STATUS_ROWS, sep), encoding="utf-8")
    fr = R.read_file(p)
    assert not fr.problems and fr.delimiter == sep and fr.encoding == "utf-8"
    (part,) = fr.parts
    assert part.kind == "status_desa" and list(part.rows) == [2, 3]
    assert list(part.data["estimasi_angkatan_kerja"]) == ["1.450", "2.300"]
    assert part.data["nama_desa"].tolist() == ["", ""]  # optional column may be left out


def test_csv_utf8_bom_and_fixture_with_blank_row_and_ten_digit_code():
    fr = R.read_file(FIX / "kepesertaan_tanjung-pinang.csv")
    assert not fr.problems and fr.delimiter == ","
    fr = R.read_file(FIX / "status_desa_tanjung-pinang.csv")
    (part,) = fr.parts
    assert fr.blank_rows == 1 and list(part.rows) == [2, 3, 5]  # row numbers as a spreadsheet shows them
    tmp = part.data.copy()
    assert tmp["kode_desa"].tolist()[2] == "2101042001"


def test_csv_with_bom(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes(b"\xef\xbb\xbf" + _csv(STATUS_ROWS).encode())
    fr = R.read_file(p)
    assert not fr.problems and fr.encoding == "utf-8-sig" and len(fr.parts[0].data) == 2


def test_windows_1252_is_read_and_noted(tmp_path):
    rows = [r[:] for r in STATUS_ROWS]
    text = _csv(rows).replace("kode_desa", "kode_desa;nama_desa", 1)
    lines = text.split("\r\n")
    lines[1] = lines[1].replace("21.01.10.2002", "21.01.10.2002;Ekang Anculai – Désa", 1)
    lines[2] = lines[2].replace("21.01.04.2002", "21.01.04.2002;Malang Rapat", 1)
    p = tmp_path / "ansi.csv"
    p.write_bytes("\r\n".join(lines).encode("cp1252"))
    fr = R.read_file(p)
    assert not fr.problems and fr.encoding == "cp1252"
    assert [n["reason"] for n in fr.notes] == ["read_as_cp1252"]
    assert fr.parts[0].data["nama_desa"].tolist()[0] == "Ekang Anculai – Désa"


def test_wrong_encodings_are_refused_with_a_reason(tmp_path):
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(_csv(STATUS_ROWS).encode("utf-16-le"))  # no BOM: NUL bytes everywhere
    fr = R.read_file(utf16)
    assert _problems(fr) == ["encoding_unsupported"] and "NUL" in fr.problems[0]["detail"]
    junk = tmp_path / "junk.csv"
    junk.write_bytes(_csv(STATUS_ROWS).encode() + b"\x81\x8d\x9d;\xff\r\n")
    fr = R.read_file(junk)
    assert _problems(fr) == ["encoding_unsupported"]
    with_bom = tmp_path / "utf16bom.csv"  # UTF-16 with a BOM is a known encoding: read
    with_bom.write_bytes(_csv(STATUS_ROWS).encode("utf-16"))
    assert not R.read_file(with_bom).problems


def test_empty_file_header_only_and_not_a_report():
    assert _problems(R.read_file(FIX / "kosong.csv")) == ["file_empty"]
    assert _problems(R.read_file(FIX / "kepesertaan_judul_saja.csv")) == ["no_data_rows"]
    fr = R.read_file(FIX / "bukan_laporan.csv")
    assert _problems(fr) == ["header_not_found"] and fr.problems[0]["value"].startswith("nama;alamat")


def test_unknown_and_missing_columns_stop_the_file():
    fr = R.read_file(FIX / "kepesertaan_kolom_salah.csv")
    got = {p["reason"]: p["value"] for p in fr.problems}
    assert got == {"unknown_columns": "nama_peserta", "missing_columns": "jp, iuran_sampai"}


def test_too_large_is_refused_before_reading(tmp_path):
    p = tmp_path / "big.csv"
    p.write_text(_csv(STATUS_ROWS * 2000))
    fr = R.read_file(p, max_bytes=10_000)
    assert _problems(fr) == ["file_too_large"] and fr.parts == [] and "MB" in fr.problems[0]["detail"]
    assert not R.read_file(p, max_bytes=p.stat().st_size).problems


def test_extra_cells_beyond_the_header_are_kept_as_a_row_problem(tmp_path):
    p = tmp_path / "ragged.csv"
    rows = [STATUS_ROWS[0], STATUS_ROWS[1] + ["catatan lepas"]]
    p.write_text(_csv(rows))
    fr = R.read_file(p)
    (part,) = fr.parts
    assert not fr.problems and part.extra == {1: "catatan lepas"}


def test_formula_text_is_kept_verbatim():
    fr = R.read_file(FIX / "kepesertaan_formula.csv")
    d = fr.parts[0].data
    assert d["nama_desa"][0] == '=HYPERLINK("http://contoh.invalid/","klik")'
    assert d["id_peserta"][1].startswith("=HYPERLINK(") and d["segmen"][2] == "@SUM(1+1)"


# --- XLSX ---------------------------------------------------------------------------------------------


def _workbook(path: Path) -> None:
    """Title line, blank row, header on row 3, an Excel date, a text date, a formula, blank rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Laporan status desa — KC Tanjung Pinang, per 01/08/2018"])
    ws.append([])
    ws.append([h.replace("_", " ").title() for h in STATUS_HEADER])
    r1 = list(STATUS_ROWS[0])
    r1[5] = datetime(2018, 8, 1)  # a real Excel date
    r1[8], r1[9], r1[12] = 2, 2, 1450  # numbers as numbers
    ws.append(r1)
    ws.append([])
    r2 = list(STATUS_ROWS[1])
    r2[1] = '=HYPERLINK("http://contoh.invalid/","21.01.04.2002")'
    ws.append(r2)
    ws.append([None] * len(STATUS_HEADER))
    info = wb.create_sheet("Petunjuk")
    info.append(["kolom", "keterangan"])
    wb.save(path)


def test_xlsx_header_found_below_a_title_blank_rows_skipped_formula_kept(tmp_path):
    p = tmp_path / "status.xlsx"
    _workbook(p)
    fr = R.read_file(p)
    assert not fr.problems and fr.format == "xlsx"
    (part,) = fr.parts
    assert part.sheet == "Data" and list(part.rows) == [4, 6]
    assert part.data["tanggal_sertifikasi"][0] == "2018-08-01"
    assert part.data["estimasi_angkatan_kerja"].tolist() == ["1450", "2.300"]
    assert part.data["kode_desa"][1] == '=HYPERLINK("http://contoh.invalid/","21.01.04.2002")'
    assert fr.blank_rows == 2
    assert [n["reason"] for n in fr.notes] == ["sheet_skipped"]


def test_truncated_xlsx_is_refused_as_damaged(tmp_path):
    p = tmp_path / "status.xlsx"
    _workbook(p)
    cut = tmp_path / "terpotong.xlsx"
    cut.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    fr = R.read_file(cut)
    assert _problems(fr) == ["file_unreadable"] and fr.parts == []


def test_xlsx_saved_with_a_csv_name_and_old_xls_are_recognised(tmp_path):
    p = tmp_path / "status.xlsx"
    _workbook(p)
    renamed = tmp_path / "status.csv"
    renamed.write_bytes(p.read_bytes())
    assert R.read_file(renamed).format == "xlsx" and not R.read_file(renamed).problems
    xls = tmp_path / "lama.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert _problems(R.read_file(xls)) == ["file_type_unsupported"]


def test_templates_are_valid_empty_reports(tmp_path):
    for kind in C.REPORTS:
        csv_path = tmp_path / f"{kind}.csv"
        csv_path.write_bytes(C.template_csv(kind))
        fr = R.read_file(csv_path)
        assert fr.parts[0].kind == kind and _problems(fr) == ["no_data_rows"]
        x = tmp_path / f"{kind}.xlsx"
        x.write_bytes(C.template_xlsx(kind))
        fr = R.read_file(x)
        assert fr.parts[0].kind == kind and _problems(fr) == ["no_data_rows"]
        wb = load_workbook(io.BytesIO(C.template_xlsx(kind)))
        assert wb.sheetnames == ["Data", "Petunjuk"]
