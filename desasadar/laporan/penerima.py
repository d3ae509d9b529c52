"""Who receives which brief, from config/akses.toml: by role and scope, so nobody gets more than they see.

    direksi (or nasional = true, not petugas_data)  -> the national brief
    deputi_wilayah                                  -> the brief of each of their Kantor Wilayah
    kepala_cabang                                   -> the brief of each of their Kantor Cabang
    petugas_data                                    -> nothing (they run the data, not the programme)

An entry opts out with `laporan = false`. Group entries ([[grup]]) have no address and are skipped.
"""
from __future__ import annotations

from dataclasses import dataclass

# A brief: ("national", ""), ("region", "<wilayah slug>") or ("branch", "<cabang slug>").
Brief = tuple[str, str]


@dataclass(frozen=True)
class Penerima:
    email: str
    name: str
    role: str
    brief: Brief


def recipients(config: dict) -> list[Penerima]:
    """One row per (address, brief), in the order of the configuration; checked like the sign-in."""
    from ..access import viewer_for  # checks the entry's role, regions and branches

    out: list[Penerima] = []
    seen: set[tuple[str, Brief]] = set()
    for entry in config.get("pengguna", []):
        email = str(entry.get("email", "")).strip().lower()
        if not email or entry.get("laporan", True) is False:
            continue
        viewer = viewer_for(email, config=config)
        role = viewer.role
        if role == "petugas_data":
            continue
        if viewer.scope.all:
            briefs = [("national", "")]
        elif role == "deputi_wilayah":
            briefs = [("region", r) for r in sorted(viewer.scope.regions)]
        else:
            briefs = [("branch", b) for b in sorted(viewer.scope.branches)]
        for b in briefs:
            if (email, b) not in seen:
                seen.add((email, b))
                out.append(Penerima(email, str(entry.get("nama", "")), role, b))
    return out
