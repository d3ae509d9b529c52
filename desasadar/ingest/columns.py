"""The documented column sets of the branches' two monthly reports, and their templates.

* Laporan status desa (``status_desa``): one row per village: its programme status, the
  dates of each step and the certification criteria. Becomes the snapshot's villages table.
* Laporan kepesertaan (``kepesertaan``): one row per participant (pseudonymous id, no names):
  village, segment, occupation, programmes held, dates, active flag. Becomes enrollments.

Headers are matched loosely: case, spaces, punctuation and a trailing "(...)" hint are
ignored ("Kode Desa", "KODE_DESA" and "kode desa (xx.xx.xx.xxxx)" are all `kode_desa`), and a
few common aliases are accepted. Every documented column must be present, except the ones
marked optional (a village name for the reader's convenience).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pyarrow as pa

from ..domain import OCCUPATIONS, SEGMENTS, STATUSES

# Column types: how a cell's text is read (see readers.parse_column).
#   branch  a branch slug or name ('tanjung-pinang', 'KC Tanjung Pinang')
#   village a Kemendagri village code '21.01.10.2002' (or its 10 digits)
#   text    free text, kept as written (only nama_desa, never stored)
#   id      a participant id: letters, digits, '.', '-', '_', '/', at most 40
#   status  programme status (Indonesian or English word)
#   segment PU / BPU / JAKON / PMI (or the long Indonesian names)
#   occupation  an occupation of domain.OCCUPATIONS (slug or label, e.g. 'Ketua RT/RW')
#   int     a whole number, Indonesian ('1.450') or plain ('1450')
#   bool    ya / tidak (also y/n, 1/0, ada / tidak ada, sudah / belum, true/false)
#   date    a day: '01/08/2018', '2018-08-01', '1 Agustus 2018' or an Excel date
#   month   a month: '08/2018', '2018-08', 'Agustus 2018' or any day in it
#   active  aktif / tidak aktif (also ya / tidak)


@dataclass(frozen=True)
class Col:
    name: str  # header in the template (Indonesian)
    field: str | None  # column of the raw snapshot table; None = informational, not stored
    kind: str  # one of the types above
    required: bool  # the cell may not be empty
    default: object = None  # value of an empty cell when not required
    aliases: tuple[str, ...] = ()
    optional_header: bool = False  # the column may be left out of the file
    id: str = ""  # description (Indonesian)
    en: str = ""  # description (English)
    example: str = ""


@dataclass(frozen=True)
class ReportSpec:
    kind: str  # 'status_desa' | 'kepesertaan'
    table: str  # 'villages' | 'enrollments'
    key: str  # field that identifies a row (duplicates, carry-forward)
    title_id: str
    title_en: str
    columns: tuple[Col, ...]

    def col(self, field_or_name: str) -> Col:
        for c in self.columns:
            if field_or_name in (c.field, c.name):
                return c
        raise KeyError(field_or_name)

    @property
    def required_headers(self) -> list[str]:
        return [c.name for c in self.columns if not c.optional_header]


STATUS_DESA = ReportSpec(
    kind="status_desa", table="villages", key="village_code",
    title_id="Laporan status desa", title_en="Village status report",
    columns=(
        Col("kode_cabang", "branch_code", "branch", True, aliases=("cabang", "kantor_cabang", "kc"),
            id="Kantor cabang yang melapor (kode atau nama, mis. tanjung-pinang)",
            en="Reporting branch office (code or name, e.g. tanjung-pinang)", example="tanjung-pinang"),
        Col("kode_desa", "village_code", "village", True, aliases=("kode_wilayah", "kode_kemendagri", "kode_desa_kelurahan"),
            id="Kode desa Kemendagri xx.xx.xx.xxxx", en="Kemendagri village code xx.xx.xx.xxxx", example="21.01.10.2002"),
        Col("nama_desa", None, "text", False, aliases=("desa", "nama_desa_kelurahan"), optional_header=True,
            id="Nama desa (untuk pembaca; tidak disimpan)", en="Village name (for readers; not stored)", example="Ekang Anculai"),
        Col("status_program", "status", "status", True, aliases=("status", "status_desa"),
            id="belum ikut / diusulkan / diverifikasi / tersertifikasi / dicabut",
            en="not in programme / proposed / verified / certified / revoked", example="tersertifikasi"),
        Col("tanggal_diusulkan", "proposed_on", "date", False, aliases=("tgl_diusulkan", "tanggal_usulan", "tanggal_usul"),
            id="Tanggal diusulkan (dd/mm/yyyy)", en="Date proposed (dd/mm/yyyy)", example="14/05/2018"),
        Col("tanggal_diverifikasi", "verified_on", "date", False, aliases=("tgl_diverifikasi", "tanggal_verifikasi"),
            id="Tanggal diverifikasi (dd/mm/yyyy)", en="Date verified (dd/mm/yyyy)", example="20/06/2018"),
        Col("tanggal_sertifikasi", "certified_on", "date", False, aliases=("tgl_sertifikasi", "tanggal_tersertifikasi"),
            id="Tanggal tersertifikasi (dd/mm/yyyy)", en="Date certified (dd/mm/yyyy)", example="01/08/2018"),
        Col("tanggal_dicabut", "revoked_on", "date", False, aliases=("tgl_dicabut", "tanggal_pencabutan"),
            id="Tanggal sertifikat dicabut (dd/mm/yyyy)", en="Date the certificate was revoked (dd/mm/yyyy)", example=""),
        Col("kepala_desa_terdaftar", "head_enrolled", "bool", False, False, aliases=("kades_terdaftar",),
            id="Kepala desa terdaftar sebagai peserta (ya/tidak; kosong = tidak)",
            en="Village head enrolled (ya/tidak; empty = no)", example="ya"),
        Col("jumlah_perangkat_desa", "officials_total", "int", False, 0, aliases=("jumlah_perangkat",),
            id="Jumlah kepala dan perangkat desa (kosong = 0)", en="Number of village head and officials (empty = 0)", example="12"),
        Col("perangkat_desa_terdaftar", "officials_enrolled", "int", False, 0, aliases=("perangkat_terdaftar",),
            id="Berapa di antaranya terdaftar (kosong = 0)", en="How many of them are enrolled (empty = 0)", example="12"),
        Col("agen_ditunjuk", "agent_appointed", "bool", False, False, aliases=("agen", "agen_perisai"),
            id="Agen desa sudah ditunjuk (ya/tidak; kosong = tidak)", en="Village agent appointed (ya/tidak; empty = no)", example="ya"),
        Col("perdes_jaminan_sosial", "village_regulation", "bool", False, False, aliases=("perdes", "peraturan_desa"),
            id="Peraturan desa tentang jaminan sosial (ya/tidak; kosong = tidak)",
            en="Village regulation on social security (ya/tidak; empty = no)", example="ya"),
        Col("estimasi_angkatan_kerja", "workforce_estimate", "int", True, aliases=("angkatan_kerja", "estimasi_pekerja"),
            id="Perkiraan jumlah pekerja di desa", en="Estimated number of workers in the village", example="1.450"),
    ),
)

KEPESERTAAN = ReportSpec(
    kind="kepesertaan", table="enrollments", key="participant_id",
    title_id="Laporan kepesertaan", title_en="Enrollment report",
    columns=(
        Col("kode_cabang", None, "branch", True, aliases=("cabang", "kantor_cabang", "kc"),
            id="Kantor cabang yang melapor (kode atau nama)", en="Reporting branch office (code or name)",
            example="tanjung-pinang"),
        Col("kode_desa", "village_code", "village", True, aliases=("kode_wilayah", "kode_kemendagri"),
            id="Kode desa Kemendagri xx.xx.xx.xxxx", en="Kemendagri village code xx.xx.xx.xxxx", example="21.01.10.2002"),
        Col("nama_desa", None, "text", False, aliases=("desa",), optional_header=True,
            id="Nama desa (untuk pembaca; tidak disimpan)", en="Village name (for readers; not stored)", example="Ekang Anculai"),
        Col("id_peserta", "participant_id", "id", True, aliases=("no_peserta", "nomor_peserta", "kpj"),
            id="Nomor peserta (pseudonim; tanpa nama)", en="Participant number (pseudonymous; no names)", example="DSJ00001450"),
        Col("segmen", "segment", "segment", True, aliases=("segmen_kepesertaan",),
            id="PU / BPU / JAKON / PMI", en="PU / BPU / JAKON / PMI", example="BPU"),
        Col("pekerjaan", "occupation", "occupation", True, aliases=("jenis_pekerjaan",),
            id="Pekerjaan, mis. perangkat desa, ketua RT/RW, petani", en="Occupation, e.g. perangkat desa, ketua RT/RW, petani",
            example="perangkat desa"),
        Col("jkk", "jkk", "bool", False, False, aliases=("program_jkk",),
            id="Jaminan Kecelakaan Kerja (ya/tidak)", en="Work accident benefit (ya/tidak)", example="ya"),
        Col("jkm", "jkm", "bool", False, False, aliases=("program_jkm",),
            id="Jaminan Kematian (ya/tidak)", en="Death benefit (ya/tidak)", example="ya"),
        Col("jht", "jht", "bool", False, False, aliases=("program_jht",),
            id="Jaminan Hari Tua (ya/tidak; tidak untuk JAKON)", en="Old-age savings (ya/tidak; not for JAKON)", example="tidak"),
        Col("jp", "jp", "bool", False, False, aliases=("program_jp",),
            id="Jaminan Pensiun (ya/tidak; hanya PU)", en="Pension (ya/tidak; PU only)", example="tidak"),
        Col("tanggal_daftar", "enrolled_on", "date", True, aliases=("tgl_daftar", "tanggal_kepesertaan", "tanggal_terdaftar"),
            id="Tanggal mulai terdaftar (dd/mm/yyyy)", en="Date enrolled (dd/mm/yyyy)", example="14/05/2018"),
        Col("iuran_sampai", "paid_until", "month", True, aliases=("iuran_terakhir", "bulan_iuran_terakhir"),
            id="Bulan iuran terakhir dibayar (mm/yyyy)", en="Last month paid (mm/yyyy)", example="08/2018"),
        Col("aktif", "active", "active", True, aliases=("status_aktif", "status_kepesertaan"),
            id="aktif / tidak aktif", en="active / inactive (aktif / tidak aktif)", example="aktif"),
    ),
)

# The agency's own office list (national data officers only): one row per regency a branch serves
# (a branch serving none: one row with kode_kabupaten empty). Published whole or not at all; it replaces
# the assumed structure in the new snapshot (desasadar/ingest/kantor.py, desasadar/offices.py).
DAFTAR_KANTOR = ReportSpec(
    kind="daftar_kantor", table="offices", key="regency_code",
    title_id="Daftar kantor", title_en="Office list",
    columns=(
        Col("kanwil", None, "text", True, aliases=("kantor_wilayah", "wilayah"),
            id="Kantor Wilayah (nama atau kode, mis. Sumbarriau)", en="Regional office (name or code, e.g. Sumbarriau)",
            example="Sumbarriau"),
        Col("kantor_cabang", None, "text", True, aliases=("nama_cabang", "nama_kantor_cabang"),
            id="Nama kantor cabang (mis. Tanjung Pinang)", en="Branch office name (e.g. Tanjung Pinang)",
            example="Tanjung Pinang"),
        Col("kode_cabang", None, "text", False, optional_header=True,
            id="Kode kantor cabang (kosong = dari nama, mis. tanjung-pinang)",
            en="Branch office code (empty = from the name, e.g. tanjung-pinang)", example="tanjung-pinang"),
        Col("kedudukan", None, "text", True, aliases=("kode_kedudukan", "kabupaten_kedudukan", "lokasi_kantor"),
            id="Kode Kemendagri kabupaten/kota tempat kantor berada (xx.xx)",
            en="Kemendagri code of the regency/city where the office sits (xx.xx)", example="21.72"),
        Col("kode_kabupaten", None, "text", False, aliases=("kabupaten_dilayani", "kode_kabupaten_kota", "kode_kab"),
            id="Kode kabupaten/kota yang dilayani (xx.xx; satu baris per kabupaten/kota; kosong = kantor tanpa wilayah kerja)",
            en="Code of the regency/city served (xx.xx; one row per regency; empty = an office serving none)",
            example="21.01"),
        Col("nama_kabupaten", None, "text", False, optional_header=True,
            id="Nama kabupaten/kota (untuk pembaca; tidak disimpan)", en="Regency/city name (for readers; not stored)",
            example="Kabupaten Bintan"),
    ),
)

REPORTS: dict[str, ReportSpec] = {STATUS_DESA.kind: STATUS_DESA, KEPESERTAAN.kind: KEPESERTAAN,
                                  DAFTAR_KANTOR.kind: DAFTAR_KANTOR}
# The column a header must have to be taken for each report.
KEY_HEADER = {"status_desa": "kode_desa", "kepesertaan": "id_peserta", "daftar_kantor": "kode_kabupaten"}

# Raw snapshot tables (same schema as the demo's and tests/helpers.py).
VILLAGE_SCHEMA = pa.schema({
    "village_code": pa.string(), "branch_code": pa.string(), "region_code": pa.string(), "status": pa.string(),
    "proposed_on": pa.date32(), "verified_on": pa.date32(), "certified_on": pa.date32(), "revoked_on": pa.date32(),
    "head_enrolled": pa.bool_(), "officials_total": pa.int32(), "officials_enrolled": pa.int32(),
    "agent_appointed": pa.bool_(), "village_regulation": pa.bool_(), "workforce_estimate": pa.int32(),
})
ENROLLMENT_SCHEMA = pa.schema({
    "participant_id": pa.string(), "village_code": pa.string(), "segment": pa.string(), "occupation": pa.string(),
    "jkk": pa.bool_(), "jkm": pa.bool_(), "jht": pa.bool_(), "jp": pa.bool_(),
    "enrolled_on": pa.date32(), "paid_until": pa.date32(), "active": pa.bool_(),
})
SCHEMAS = {"villages": VILLAGE_SCHEMA, "enrollments": ENROLLMENT_SCHEMA}

# --- vocabularies (normalised text -> canonical value) ------------------------------------


def norm(text: object) -> str:
    """'Kode Desa (xx.xx)' -> 'kode_desa'; 'Ketua RT/RW' -> 'ketua_rt_rw'."""
    s = re.sub(r"\(.*?\)", " ", str(text)).lower()
    return re.sub(r"[^0-9a-z]+", "_", s).strip("_")


STATUS_WORDS = {
    "none": ("belum_ikut", "belum", "tidak_ikut", "none", "not_in_programme"),
    "proposed": ("diusulkan", "usulan", "diusul", "proposed"),
    "verified": ("diverifikasi", "terverifikasi", "verifikasi", "verified"),
    "certified": ("tersertifikasi", "bersertifikat", "sertifikasi", "certified"),
    "revoked": ("dicabut", "sertifikat_dicabut", "revoked"),
}
SEGMENT_WORDS = {
    "PU": ("pu", "ppu", "penerima_upah"),
    "BPU": ("bpu", "bukan_penerima_upah"),
    "JAKON": ("jakon", "jasa_konstruksi"),
    "PMI": ("pmi", "pekerja_migran_indonesia"),
}
BOOL_WORDS = {
    True: ("ya", "y", "1", "true", "yes", "benar", "ada", "sudah"),
    False: ("tidak", "tdk", "n", "0", "false", "no", "salah", "tidak_ada", "belum"),
}
ACTIVE_WORDS = {
    True: ("aktif", "ya", "y", "1", "true", "active"),
    False: ("tidak_aktif", "nonaktif", "non_aktif", "tidak", "n", "0", "false", "inactive"),
}
OCCUPATION_ALIASES = {"ketua_rt": "ketua_rt_rw", "ketua_rw": "ketua_rt_rw", "rt_rw": "ketua_rt_rw",
                      "kades": "kepala_desa", "perangkat": "perangkat_desa", "pekerja_migran_indonesia": "pekerja_migran"}


def _words(table: dict) -> dict[str, object]:
    return {w: k for k, words in table.items() for w in words}


STATUS_MAP = _words(STATUS_WORDS)
SEGMENT_MAP = _words(SEGMENT_WORDS)
BOOL_MAP = _words(BOOL_WORDS)
ACTIVE_MAP = _words(ACTIVE_WORDS)
OCCUPATION_MAP = {o: o for o in OCCUPATIONS} | OCCUPATION_ALIASES
assert set(STATUS_WORDS) == set(STATUSES) and set(SEGMENT_WORDS) == set(SEGMENTS)


def header_index(spec: ReportSpec) -> dict[str, str]:
    """normalised header or alias -> column name."""
    out = {}
    for c in spec.columns:
        for h in (c.name, *c.aliases):
            out[norm(h)] = c.name
    return out


HEADERS = {kind: header_index(spec) for kind, spec in REPORTS.items()}


def match_header(cells: list[object]) -> tuple[str | None, dict[int, str], int]:
    """Which report a row of header cells belongs to: (kind, {position: column name}, score).

    A header needs the report's key column plus at least two more documented columns.
    """
    best: tuple[str | None, dict[int, str], int] = (None, {}, 0)
    normed = [norm(c) if c not in (None, "") else "" for c in cells]
    for kind, index in HEADERS.items():
        found = {i: index[n] for i, n in enumerate(normed) if n in index}
        names = set(found.values())
        spec = REPORTS[kind]
        must = KEY_HEADER[kind]
        if must in names and len(names) >= 3 and (kind != "status_desa" or "id_peserta" not in names):
            if len(names) > best[2]:
                best = (kind, found, len(names))
        del spec
    return best


# --- templates ----------------------------------------------------------------------------


def template_csv(kind: str) -> bytes:
    """The header row and one example row, ';'-separated, UTF-8 with BOM (opens in Excel id-ID)."""
    spec = REPORTS[kind]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([c.name for c in spec.columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def template_xlsx(kind: str) -> bytes:
    """A workbook: sheet 'Data' with a title line, the header row and no data; sheet 'Petunjuk'
    with every column, its meaning (id/en), whether it may be empty and an example."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    spec = REPORTS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append([f"{spec.title_id} — KC …, per dd/mm/yyyy"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([c.name for c in spec.columns])
    for cell in ws[3]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0B7A3E")
    for i, c in enumerate(spec.columns, 1):
        ws.column_dimensions[ws.cell(3, i).column_letter].width = max(12, len(c.name) + 2)
        if c.kind in ("date", "month", "village", "id", "branch", "text"):
            for r in range(4, 1004):  # text cells: Excel keeps codes and dates as typed
                ws.cell(r, i).number_format = "@"
    ws.freeze_panes = "A4"
    info = wb.create_sheet("Petunjuk")
    info.append(["kolom / column", "keterangan", "description", "wajib diisi / required", "contoh / example"])
    for cell in info[1]:
        cell.font = Font(bold=True)
    for c in spec.columns:
        info.append([c.name, c.id, c.en, "ya" if c.required else "tidak", c.example])
    for col, width in zip("ABCDE", (28, 60, 60, 22, 20)):
        info.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
