"""An office list as the agency would send it (ingest kind `daftar_kantor`), made from the reference structure:
every branch as it is, except that Kab. Lingga (21.04) gets its own branch, KC Dabo Singkep."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from desasadar import reference

LINGGA = "21.04"
NEW_BRANCH = "Dabo Singkep"


def rows() -> pd.DataFrame:
    cab = reference.table("cabang.csv").set_index("branch_code")
    wk = reference.table("cabang_wilayah_kerja.csv")
    kab = reference.table("kabupaten.csv").set_index("regency_code")
    wil = reference.table("wilayah.csv").set_index("region_code")["name"]
    out = []
    for w in wk.itertuples():
        b = cab.loc[w.branch_code]
        name, seat = (NEW_BRANCH, LINGGA) if w.regency_code == LINGGA else (b["name"], b["seat_regency_code"])
        out.append({"kanwil": wil[b["region_code"]], "kantor_cabang": f"KC {name}", "kedudukan": seat,
                    "kode_kabupaten": w.regency_code, "nama_kabupaten": kab.at[w.regency_code, "name"]})
    for code in sorted(set(cab.index) - set(wk["branch_code"])):  # branches serving no regency
        b = cab.loc[code]
        out.append({"kanwil": wil[b["region_code"]], "kantor_cabang": f"KC {b['name']}", "kedudukan": b["seat_regency_code"],
                    "kode_kabupaten": "", "nama_kabupaten": ""})
    return pd.DataFrame(out)


def to_csv(df: pd.DataFrame, path: Path) -> Path:
    path.write_bytes(("\ufeff" + df.to_csv(sep=";", index=False, lineterminator="\r\n")).encode("utf-8"))
    return path


def to_xlsx(df: pd.DataFrame, path: Path | None = None) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as w:
        df.to_excel(w, index=False, sheet_name="Kantor")
    if path is not None:
        path.write_bytes(buf.getvalue())
    return buf.getvalue()
