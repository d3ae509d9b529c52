"""Viewers and what they may do. Demo mode (no sign-in configured): national, read-only."""
from __future__ import annotations

from dataclasses import dataclass

from .scope import Scope


@dataclass(frozen=True)
class Viewer:
    email: str
    name: str
    role: str  # direksi | deputi_wilayah | kepala_cabang | petugas_data | demo | none
    scope: Scope
    can_publish: bool = False
    demo_mode: bool = False

    @property
    def has_access(self) -> bool:
        return not self.scope.is_empty


DEMO_VIEWER = Viewer(email="", name="Demo", role="demo", scope=Scope.national(), demo_mode=True)
