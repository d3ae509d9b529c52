"""A snapshot written back out as the branches' files (the round-trip test, and a starting
point for branches that want last month's report to update).

Per branch: laporan_status_desa_<branch>.csv and laporan_kepesertaan_<branch>.csv, written the
way Indonesian spreadsheets write them: ';'-separated UTF-8 with BOM, dates dd/mm/yyyy, months
mm/yyyy, '1.450', ya/tidak, Indonesian status words. Branches listed in `xlsx` get their status
report as an XLSX workbook (title line above the header) instead.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from .. import snapshots, table_files
from . import columns as C

STATUS_WORD = {"none": "belum ikut", "proposed": "diusulkan", "verified": "diverifikasi",
               "certified": "tersertifikasi", "revoked": "dicabut"}


def _dmy(s: pd.Series) -> np.ndarray:
    d = pd.to_datetime(s)
    return np.where(d.isna(), "", d.dt.strftime("%d/%m/%Y").fillna("")).astype(object)


def _yn(s: pd.Series) -> np.ndarray:
    return np.where(s.fillna(False).to_numpy(dtype=bool), "ya", "tidak").astype(object)


def _thousands(s: pd.Series) -> np.ndarray:
    return np.array([f"{int(x):,}".replace(",", ".") for x in s.fillna(0)], dtype=object)


def status_frame(villages: pd.DataFrame) -> pd.DataFrame:
    v = villages
    return pd.DataFrame({
        "kode_cabang": v["branch_code"].astype(str).to_numpy(),
        "kode_desa": v["village_code"].astype(str).to_numpy(),
        "status_program": v["status"].astype(str).map(STATUS_WORD).to_numpy(),
        "tanggal_diusulkan": _dmy(v["proposed_on"]),
        "tanggal_diverifikasi": _dmy(v["verified_on"]),
        "tanggal_sertifikasi": _dmy(v["certified_on"]),
        "tanggal_dicabut": _dmy(v["revoked_on"]),
        "kepala_desa_terdaftar": _yn(v["head_enrolled"]),
        "jumlah_perangkat_desa": v["officials_total"].astype("int64").astype(str).to_numpy(),
        "perangkat_desa_terdaftar": v["officials_enrolled"].astype("int64").astype(str).to_numpy(),
        "agen_ditunjuk": _yn(v["agent_appointed"]),
        "perdes_jaminan_sosial": _yn(v["village_regulation"]),
        "estimasi_angkatan_kerja": _thousands(v["workforce_estimate"]),
    })


def enrollment_frame(enrollments: pd.DataFrame, branch_of: pd.Series) -> pd.DataFrame:
    e = enrollments
    paid = pd.to_datetime(e["paid_until"])
    return pd.DataFrame({
        "kode_cabang": e["village_code"].astype(str).map(branch_of).to_numpy(),
        "kode_desa": e["village_code"].astype(str).to_numpy(),
        "id_peserta": e["participant_id"].astype(str).to_numpy(),
        "segmen": e["segment"].astype(str).to_numpy(),
        "pekerjaan": e["occupation"].astype(str).str.replace("_", " ").to_numpy(),
        "jkk": _yn(e["jkk"]), "jkm": _yn(e["jkm"]), "jht": _yn(e["jht"]), "jp": _yn(e["jp"]),
        "tanggal_daftar": _dmy(e["enrolled_on"]),
        "iuran_sampai": paid.dt.strftime("%m/%Y").to_numpy(),
        "aktif": np.where(e["active"].to_numpy(dtype=bool), "aktif", "tidak aktif").astype(object),
    })


def write_csv(df: pd.DataFrame, path: Path) -> None:
    buf = io.StringIO()
    df.to_csv(buf, sep=";", index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


def write_xlsx(df: pd.DataFrame, path: Path, title: str) -> None:
    """As a branch sends it: a title line, an empty row, then the table; empty cells left empty."""
    path.write_bytes(table_files.to_xlsx(df.astype(object).where(df != "", None), heading=title, styled=False))


def export_snapshot(snapshot_id: str, out_dir: Path, base: Path | None = None, by_branch: bool = True,
                    xlsx: tuple[str, ...] = ()) -> list[Path]:
    """Write the snapshot's raw tables as branch reports into out_dir; returns the files."""
    snap = next((s for s in snapshots.published(base) if s.id == snapshot_id), None)
    if snap is None:
        raise snapshots.SnapshotError(f"snapshot {snapshot_id!r} is not published")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    villages = pq.read_table(snap.path / "villages.parquet").to_pandas()
    enrollments = pq.read_table(snap.path / "enrollments.parquet").to_pandas()
    for c in ("village_code", "branch_code"):
        villages[c] = villages[c].astype(str)
    branch_of = pd.Series(villages["branch_code"].to_numpy(), index=villages["village_code"].to_numpy())
    sv = status_frame(villages)
    se = enrollment_frame(enrollments, branch_of)
    files = []
    groups = sorted(sv["kode_cabang"].unique()) if by_branch else [None]
    for b in groups:
        v = sv if b is None else sv[sv["kode_cabang"] == b]
        e = se if b is None else se[se["kode_cabang"] == b]
        tag = b or "semua"
        if b in xlsx:
            p = out_dir / f"laporan_status_desa_{tag}.xlsx"
            write_xlsx(v, p, f"{C.STATUS_DESA.title_id} — KC {tag}, per {snap.as_of:%d/%m/%Y}")
        else:
            p = out_dir / f"laporan_status_desa_{tag}.csv"
            write_csv(v, p)
        files.append(p)
        if len(e):
            p = out_dir / f"laporan_kepesertaan_{tag}.csv"
            write_csv(e, p)
            files.append(p)
    return files
