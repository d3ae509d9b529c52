"""The agency's own office list (report kind `daftar_kantor`): checked row by row like any branch file,
then used whole or not at all.

One row per regency a branch serves: Kanwil, KC name (and optionally its code), the seat (the regency/
city code where the office sits) and the regency served. Row problems (reason keys, texts in
locale/kantor.toml): an unknown regency or seat code, a regency served twice, a KC without Kanwil, an
unknown Kanwil name, a regency or seat outside the KC's Kanwil, a KC given two Kanwil or two seats, two
names for one code. A list with any rejected row, or one that leaves a regency unserved, is refused
whole (level 'table'): a half structure would move villages to no branch at all. Only a national data
officer may publish one. On publish it replaces the structure in the new snapshot (desasadar/offices.py)
and every village goes to the branch serving its regency.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import offices, reference
from .checks import Table

KIND = "daftar_kantor"
REGENCY_RE = re.compile(r"^\d{2}\.\d{2}$")
SHOWN = 8  # regencies named in a refusal


def slug(text: str) -> str:
    """'Tanjung Pinang' -> 'tanjung-pinang' (as scripts/build_reference.py names branch codes)."""
    s = str(text).lower().replace("&", " ")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def regency_code(text: str) -> str:
    """'21.01', '2101', or what Excel leaves of a code typed as a number ('21.1' for 21.10)."""
    s = str(text).strip()
    if re.fullmatch(r"\d{4}", s):
        return f"{s[:2]}.{s[2:]}"
    if re.fullmatch(r"\d{2}\.\d", s):
        return s + "0"
    return s


def _branch_name(text: str) -> str:
    return re.sub(r"^(kc|kantor cabang)\s+", "", str(text).strip(), flags=re.IGNORECASE).strip()


def _region_index() -> dict[str, str]:
    wil = reference.table("wilayah.csv")
    out = {}
    for code, name in zip(wil["region_code"], wil["name"]):
        out[slug(code)] = code
        out[slug(name)] = code
    return out


def _region_code(text: str, index: dict[str, str]) -> str | None:
    s = slug(re.sub(r"^(kanwil|kantor wilayah)\s+", "", str(text).strip(), flags=re.IGNORECASE))
    return index.get(s)


def check(t: Table) -> offices.Offices | None:
    """Row problems on `t`; the office structure when every row passes and every regency is served,
    else None (table_problems() says why)."""
    raw = t.raw
    n = len(raw)
    t.typed = pd.DataFrame(index=range(n))
    if n == 0:
        return None
    kab = reference.table("kabupaten.csv").set_index("regency_code")
    wil = reference.table("wilayah.csv")
    provinces = {r: set(p.split()) for r, p in zip(wil["region_code"], wil["province_codes"])}
    region_names = dict(zip(wil["region_code"], wil["name"]))
    region_of_province = {p: r for r, ps in provinces.items() for p in ps}
    index = _region_index()

    name = raw["kantor_cabang"].map(_branch_name)
    code = raw["kode_cabang"].where(raw["kode_cabang"] != "", name).map(slug)
    region_text = raw["kanwil"]
    region = region_text.map(lambda s: _region_code(s, index) if s else None)
    seat = raw["kedudukan"].map(regency_code)
    served = raw["kode_kabupaten"].map(regency_code)
    t.typed = pd.DataFrame({"branch_code": code, "name": name, "region_code": region, "seat": seat, "regency": served})

    def add(mask, column, reason, detail=None):
        pos = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(pos):
            t.add(pos, column, reason, detail[pos] if detail is not None else None)

    no_name = (name == "").to_numpy()
    add(no_name, "kantor_cabang", "required")
    add((region_text == "").to_numpy() & ~no_name, "kanwil", "branch_without_region")
    add((region_text != "").to_numpy() & region.isna().to_numpy(), "kanwil", "unknown_region",
        np.full(n, ", ".join(wil["name"]), dtype=object))
    add((seat == "").to_numpy(), "kedudukan", "required")
    known = set(kab.index)
    add(((seat != "") & ~seat.isin(known)).to_numpy(), "kedudukan", "unknown_seat")
    add(((served != "") & ~served.isin(known)).to_numpy(), "kode_kabupaten", "unknown_regency")

    def region_of_regency(g: str) -> str | None:
        return region_of_province.get(kab.at[g, "province_code"]) if g in known else None

    for col, values, reason in (("kode_kabupaten", served, "regency_outside_region"),
                                ("kedudukan", seat, "seat_outside_region")):
        theirs = values.map(region_of_regency)
        bad = (region.notna() & theirs.notna() & (theirs != region)).to_numpy()
        add(bad, col, reason, theirs.map(lambda r: region_names.get(r, "")).to_numpy(dtype=object))

    # a regency served twice: every row naming it is rejected, each naming the others
    twice = ((served != "") & served.duplicated(keep=False)).to_numpy()
    if twice.any():
        pos = np.flatnonzero(twice)
        groups = pd.Series(pos).groupby(served.to_numpy()[pos]).groups.values()
        detail = np.empty(n, dtype=object)
        for ix in groups:
            ps = [int(pos[i]) for i in ix]
            for p in ps:
                detail[p] = ", ".join(f"{t.where(o)} (KC {name.iat[o]})" for o in ps if o != p)
        add(twice, "kode_kabupaten", "regency_served_twice", detail)

    # one branch: one Kanwil, one seat, one name per code
    for col, values, reason in (("kanwil", region, "branch_two_regions"), ("kedudukan", seat, "branch_two_seats"),
                                ("kantor_cabang", name, "branch_code_two_names")):
        key = code.where(code != "")
        vals = values.where(values.notna() & (values != ""))  # a missing value is reported as such, not here
        multi = vals.groupby(key).transform("nunique")
        bad = (key.notna() & (multi > 1)).to_numpy()
        if bad.any():
            listing = vals.groupby(key).agg(lambda s: " / ".join(dict.fromkeys(x for x in s.dropna())))
            add(bad, col, reason, key.map(listing).fillna("").to_numpy(dtype=object))

    if t.rejected().any():
        return None
    rows = t.typed
    first = rows.drop_duplicates("branch_code")
    cabang = pd.DataFrame({
        "branch_code": first["branch_code"].to_numpy(), "name": first["name"].to_numpy(),
        "region_code": first["region_code"].to_numpy(), "seat_regency_code": first["seat"].to_numpy(),
        "lat": kab.loc[first["seat"], "lat"].to_numpy(), "lon": kab.loc[first["seat"], "lon"].to_numpy(),
        "name_basis": offices.OFFICIAL,
    })
    serving = rows[rows["regency"] != ""]
    where = [f"{t.file[i]} baris {t.row[i]}" for i in serving.index]
    wk = pd.DataFrame({"regency_code": serving["regency"].to_numpy(), "branch_code": serving["branch_code"].to_numpy(),
                       "basis": offices.OFFICIAL, "method": "office-list", "note": where})
    if set(wk["regency_code"]) != known:
        return None
    return offices.Offices(cabang.sort_values("branch_code").reset_index(drop=True),
                           wk.sort_values("regency_code").reset_index(drop=True),
                           "list:" + str(int(pd.util.hash_pandas_object(cabang, index=False).sum())
                                         + int(pd.util.hash_pandas_object(wk, index=False).sum())), True)


def table_problems(t: Table, result: offices.Offices | None, national: bool) -> list[dict]:
    """Blocking problems of an office list: rows rejected (used whole or not at all), regencies left
    unserved, or a data officer limited to a scope (the structure is national)."""
    if not len(t):
        return []
    out = []
    blank = {"file": "", "sheet": None, "row": None, "column": "", "value": "", "level": "table"}
    if not national:
        out.append(dict(blank, column="kantor_cabang", reason="offices_national_only", detail=""))
    rejected = int(t.rejected().sum())
    if rejected:
        out.append(dict(blank, value=str(rejected), reason="offices_rows_rejected", detail=str(rejected)))
    elif result is None:
        known = set(reference.table("kabupaten.csv")["regency_code"])
        missing = sorted(known - set(t.typed["regency"]))
        listing = ", ".join(missing[:SHOWN]) + (", …" if len(missing) > SHOWN else "")
        out.append(dict(blank, column="kode_kabupaten", value=str(len(missing)), reason="regencies_unserved",
                        detail=f"{len(missing)}: {listing}"))
    return out


def remap_villages(villages: pd.DataFrame, structure: offices.Offices) -> pd.DataFrame:
    """Every village to the branch serving its regency under `structure` (and that branch's Kanwil)."""
    branch = villages["village_code"].str.slice(0, 5).map(structure.branch_of_regency())
    out = villages.copy()
    out["branch_code"] = branch.to_numpy()
    out["region_code"] = branch.map(structure.region_of()).to_numpy()
    return out
