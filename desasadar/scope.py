"""Who may see what. A Scope is a set of visible regions and branches, applied by the data layer.

A row (village, branch) is visible when the scope is national, its region is in `regions`,
or its branch is in `branches`. Filters from widgets or the URL only ever narrow a scope.
An area (`provinces`, `regencies`: Kemendagri codes) narrows it further to villages there, e.g. a
Bupati's own kabupaten; no area means no such narrowing.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class ScopeError(ValueError):
    """A filter asked for something outside the viewer's scope."""


@dataclass(frozen=True)
class Scope:
    all: bool = False
    regions: frozenset[str] = field(default_factory=frozenset)
    branches: frozenset[str] = field(default_factory=frozenset)
    provinces: frozenset[str] = field(default_factory=frozenset)
    regencies: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def national(cls) -> "Scope":
        return cls(all=True)

    @classmethod
    def of(cls, regions=(), branches=()) -> "Scope":
        return cls(all=False, regions=frozenset(regions), branches=frozenset(branches))

    @property
    def key(self) -> tuple:
        """Hashable identity: part of every cache key."""
        key = (self.all, tuple(sorted(self.regions)), tuple(sorted(self.branches)))
        return key + (tuple(sorted(self.provinces)), tuple(sorted(self.regencies))) if self.area else key

    @property
    def area(self) -> bool:
        """Narrowed to provinces or regencies (an area filter)."""
        return bool(self.provinces or self.regencies)

    def in_area(self, provinces=(), regencies=()) -> "Scope":
        """This scope narrowed to villages in these provinces or regencies (codes '21', '21.01')."""
        return Scope(all=self.all, regions=self.regions, branches=self.branches,
                     provinces=frozenset(provinces), regencies=frozenset(regencies))

    @property
    def unit_below(self) -> str:
        """The units one level below this view, which Ringkasan splits it by (queries/sertifikasi_per_wilayah.sql):
        regions nationally, a branch's or an area's regencies, otherwise branches."""
        if self.area or (not self.all and not self.regions and len(self.branches) == 1):
            return "regency"
        return "region" if self.all else "branch"

    @property
    def is_empty(self) -> bool:
        return not self.all and not self.regions and not self.branches

    def sees_region(self, region_code: str) -> bool:
        return self.all or region_code in self.regions

    def sees_branch(self, branch_code: str, region_of: dict[str, str]) -> bool:
        return self.all or branch_code in self.branches or region_of.get(branch_code) in self.regions

    def narrow(self, region_of: dict[str, str], wilayah: str | None = None, cabang: str | None = None) -> "Scope":
        """The intersection of this scope with a wilayah and/or cabang filter.

        `region_of` maps branch_code -> region_code (from the reference data).
        Raises ScopeError when the filter names something this scope cannot see.
        """
        if cabang:
            if cabang not in region_of or not self.sees_branch(cabang, region_of):
                raise ScopeError(cabang)
            if wilayah and region_of[cabang] != wilayah:
                raise ScopeError(cabang)
            return Scope.of(branches=[cabang])
        if wilayah:
            if wilayah in set(region_of.values()) and self.sees_region(wilayah):
                return Scope.of(regions=[wilayah])
            mine = [b for b in self.branches if region_of.get(b) == wilayah]
            if not mine:
                raise ScopeError(wilayah)
            return Scope.of(branches=mine)
        return self
