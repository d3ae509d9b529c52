"""Labels and formatted values in one language: shared by the page context and the briefs."""
from __future__ import annotations

from . import fmt, frame_memo, i18n, reference


@frame_memo.per_frame
def _region_names(wilayah) -> dict[str, str]:
    # Once per reference table: set_index and a Series lookup on every heading cost about 2 ms a call, and a
    # page names its scope three to five times a rerun.
    return dict(zip(wilayah["region_code"], wilayah["name"]))


def scope_name(scope, lang: str, national: str | None = None, structure=None) -> str:
    """The one name of a scope in headings, stamps and briefs: 'Nasional' (or `national`), 'Kanwil Sumbarriau',
    'KC Tanjung Pinang', or for a scope of several offices their list (regions, then branches, by name).
    Branches by `structure` (offices.Offices of the served snapshot; default the reference's), an assumed
    one marked "perkiraan"."""
    from . import offices

    if getattr(scope, "area", False):  # a province or regency first: 'Kabupaten Bintan · KC Tanjung Pinang'
        from . import area
        from .scope import Scope
        places = ", ".join(area.name(c) for c in sorted(scope.regencies) + sorted(scope.provinces))
        if scope.all:
            return places
        return places + " · " + scope_name(Scope.of(scope.regions, scope.branches), lang, national, structure)
    if scope.all:
        return national if national is not None else i18n.t("shell.national", lang)
    regions = _region_names(reference.table("wilayah.csv"))
    branches = offices.label_of((structure or offices.from_reference()).cabang, lang)
    return ", ".join([f"Kanwil {n}" for n in sorted(regions[r] for r in scope.regions)]
                     + [f"KC {n}" for n in sorted(branches.get(b, b) for b in scope.branches)])


class Words:
    """Mixin: needs `self.lang` ('id' or 'en')."""

    lang: str

    def t(self, key: str, **kw) -> str:
        return i18n.t(key, self.lang, **kw)

    def num(self, x, digits: int = 0) -> str:
        return fmt.number(x, self.lang, digits)

    def pct(self, x, digits: int = 1) -> str:
        return fmt.percent(x, self.lang, digits)

    def signed(self, x, digits: int = 0) -> str:
        return fmt.signed(x, self.lang, digits)

    def date(self, d) -> str:
        return fmt.date_long(d, self.lang)

    def date_medium(self, d) -> str:
        return fmt.date_medium(d, self.lang)

    def date_short(self, d) -> str:
        return fmt.date_short(d, self.lang)

    def source(self, text: str | None) -> str | None:
        """A target's source as the reference data states it (in Indonesian), in this language when the
        catalogue knows it (common.toml [target_source]); an unknown citation is shown as written."""
        if not text or self.lang == i18n.DEFAULT:
            return text
        for key, texts in i18n.catalogue().items():
            if key.startswith("target_source.") and texts.get(i18n.DEFAULT) == text:
                return texts.get(self.lang, text)
        return text
