"""Provinces and regencies as filters (?provinsi=, ?kabupaten=): names, URL values, which lie in a scope.

A link may name a place by its Kemendagri code (`21.01`) or by the slug of its name (`kabupaten-bintan`,
`kepulauan-riau`); the URL is written back with the slug. Which places an office scope holds comes from
the reference's branch territories (cabang_wilayah_kerja.csv: the branch serving each regency).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from . import paths, reference
from .scope import Scope


def slug(name: str) -> str:
    """'Kabupaten Bintan' -> 'kabupaten-bintan'; 'Daerah Istimewa Yogyakarta' -> 'daerah-istimewa-yogyakarta'."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


@lru_cache(maxsize=4)
def _places(ref_dir: str) -> dict:
    ref = Path(ref_dir)
    prov = reference.table("provinsi.csv", ref)
    kab = reference.table("kabupaten.csv", ref)
    terr = reference.table("cabang_wilayah_kerja.csv", ref)
    pcode = prov["province_code"].astype(str).str.zfill(2)
    return {
        "province_name": dict(zip(pcode, prov["name"])),
        "regency_name": dict(zip(kab["regency_code"], kab["name"])),
        "province_of": dict(zip(kab["regency_code"], kab["province_code"].astype(str).str.zfill(2))),
        "branch_of": dict(zip(terr["regency_code"], terr["branch_code"])),
    }


def places(ref_dir: Path | None = None) -> dict:
    """Lookups: province_name, regency_name (code -> name), province_of, branch_of (regency -> code)."""
    return _places(str(ref_dir or paths.reference_dir()))


def name(code: str, ref_dir: Path | None = None) -> str:
    return _name(places(ref_dir), code)


def namer(ref_dir: Path | None = None):
    """`name` with the reference folder found once (a filter's format_func runs once per option)."""
    p = places(ref_dir)
    return lambda code: _name(p, code)


def _name(p: dict, code: str) -> str:
    return p["regency_name"].get(code) or p["province_name"].get(code) or code


def url_value(code: str, ref_dir: Path | None = None) -> str:
    """What the URL carries for a place: the slug of its name."""
    return _url_value(places(ref_dir), code)


def _url_value(p: dict, code: str) -> str:
    return _slug(_name(p, code))


# Slugs made once per name: the shell lists every place's accepted URL values on each rerun.
_slug = lru_cache(maxsize=4096)(slug)


def aliases(codes, ref_dir: Path | None = None) -> dict[str, str]:
    """Every accepted URL value (code, slug of the name) -> code, for these places."""
    p = places(ref_dir)
    out = {}
    for c in codes:
        out[c] = c
        out[_url_value(p, c)] = c
    return out


def regencies_in(scope: Scope, region_of: dict[str, str], ref_dir: Path | None = None) -> list[str]:
    """Regency codes whose serving branch this office scope sees (the area filter is not applied), in code order."""
    branch_of = places(ref_dir)["branch_of"]
    codes = sorted(places(ref_dir)["regency_name"])
    if scope.all:
        return codes
    return [r for r in codes if r in branch_of and scope.sees_branch(branch_of[r], region_of)]


def provinces_of(regencies: list[str], ref_dir: Path | None = None) -> list[str]:
    province_of = places(ref_dir)["province_of"]
    return sorted({province_of[r] for r in regencies})
