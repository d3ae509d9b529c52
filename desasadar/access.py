"""Viewers, roles and scopes, from config/akses.toml. No Streamlit here: testable on its own.

The scope of a viewer is decided on the server from the signed-in identity (e-mail or a group
claim), never from the URL or a widget. Demo mode (no sign-in configured): national, read-only.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from . import paths, reference
from .scope import Scope

ROLES = ("direksi", "deputi_wilayah", "kepala_cabang", "petugas_data")
CONFIG = paths.ROOT / "config" / "akses.toml"


def config_path() -> Path:
    """config/akses.toml, or the file DSJS_AKSES_FILE names (a deployment keeping it outside the code)."""
    return Path(os.environ.get("DSJS_AKSES_FILE") or CONFIG)


@dataclass(frozen=True)
class Viewer:
    email: str
    name: str
    role: str  # one of ROLES, 'demo', or 'none'
    scope: Scope
    can_publish: bool = False
    demo_mode: bool = False
    subject: str = ""  # the provider's `sub` and `iss`: who signed in, whatever the e-mail says
    issuer: str = ""
    email_unverified: bool = False  # the token's e-mail was not verified, so it gave no role

    @property
    def has_access(self) -> bool:
        return not self.scope.is_empty

    @property
    def label(self) -> str:
        return self.email or self.name or self.role


def demo_viewer() -> Viewer:
    """Demo mode: national and read-only; DSJS_DEMO_PUBLISH=1 lets a local trial publish (labelled DEMO)."""
    return Viewer(email="", name="Demo", role="demo", scope=Scope.national(), demo_mode=True,
                  can_publish=os.environ.get("DSJS_DEMO_PUBLISH") == "1")



class ConfigError(ValueError):
    """config/akses.toml names a role, region or branch that does not exist."""


def _scope_of(entry: dict) -> Scope:
    role = entry.get("peran")
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r}")
    if role == "direksi" or entry.get("nasional"):
        return Scope.national()
    regions = set(reference.table("wilayah.csv")["region_code"])
    branches = set(reference.region_of())
    wil, cab = list(entry.get("wilayah", [])), list(entry.get("cabang", []))
    if [c for c in cab if c not in branches]:  # a branch of the agency's own office list (desasadar/offices.py)
        branches |= _loaded_branches()
    if unknown := [w for w in wil if w not in regions] + [c for c in cab if c not in branches]:
        raise ConfigError(f"unknown wilayah/cabang {unknown} for role {role}")
    if role == "deputi_wilayah" and not wil or role == "kepala_cabang" and not cab:
        raise ConfigError(f"role {role} needs its wilayah/cabang")
    return Scope.of(regions=wil, branches=cab)


def _loaded_branches() -> set[str]:
    """The branches of the office list the published snapshot (CURRENT) carries, if any."""
    from . import offices, snapshots

    sid = snapshots.current_id()
    snap = snapshots.find(sid) if sid else None
    return set(offices.of_snapshot(snap).cabang["branch_code"]) if snap is not None else set()


def load_config(path: Path | None = None) -> dict:
    """The parsed and checked access configuration (read on every call: an edit counts on the next load)."""
    cfg = tomllib.loads((path or config_path()).read_text(encoding="utf-8"))
    for entry in cfg.get("pengguna", []) + cfg.get("grup", []):
        _scope_of(entry)  # fail loudly on a bad entry
    return cfg


def viewer_for(email: str | None, name: str | None = None, claims: dict | None = None,
               config: dict | None = None) -> Viewer:
    """The viewer a signed-in identity maps to (role 'none', empty scope, when nothing matches)."""
    cfg = config if config is not None else load_config()
    email = (email or "").strip().lower()
    claims = claims or {}
    match = next((e for e in cfg.get("pengguna", []) if email and e.get("email", "").lower() == email), None)
    if match is None:
        claim_name = cfg.get("grup_klaim", {}).get("nama", "groups")
        groups = claims.get(claim_name) or []
        groups = [groups] if isinstance(groups, str) else list(groups)
        match = next((g for g in cfg.get("grup", []) if g.get("klaim") in groups), None)
    if match is None:
        return Viewer(email=email, name=name or "", role="none", scope=Scope())
    return Viewer(email=email, name=name or "", role=match["peran"], scope=_scope_of(match),
                  can_publish=match["peran"] == "petugas_data")


def email_verified(claims: dict, config: dict) -> bool:
    """Whether the token's e-mail may be trusted: `email_verified` true, or absent when
    [identitas] terima_tanpa_email_verified = true (providers that never send the claim)."""
    flag = claims.get("email_verified")
    if isinstance(flag, str):  # some providers send "true"/"false"
        flag = {"true": True, "false": False}.get(flag.strip().lower())
    if flag is None:
        return bool(config.get("identitas", {}).get("terima_tanpa_email_verified", False))
    return flag is True


def viewer_from_token(claims: dict, config: dict | None = None) -> Viewer:
    """The viewer a signed-in identity (the claims of its ID token) maps to.

    The e-mail gives a role only when verified; a group claim counts either way (the provider
    asserts it). Subject and issuer are kept for the audit."""
    cfg = config if config is not None else load_config()
    email = str(claims.get("email") or "").strip().lower()
    trusted = email_verified(claims, cfg)
    viewer = viewer_for(email if trusted else None, claims.get("name"), claims=claims, config=cfg)
    return replace(viewer, email=email, subject=str(claims.get("sub") or ""), issuer=str(claims.get("iss") or ""),
                   email_unverified=bool(email) and not trusted)
