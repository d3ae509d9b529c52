"""Labels in Bahasa Indonesia (default) and English, from desasadar/locale/*.toml.

Each page keeps its own catalogue file (common.toml holds shared labels):
    [ringkasan.title]
    id = "Ringkasan"
    en = "Overview"
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
LANGS = ("id", "en")
DEFAULT = "id"


def _flatten(prefix: str, node: dict, out: dict) -> None:
    for k, v in node.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict) and set(v) <= set(LANGS) and v:
            out[key] = v
        elif isinstance(v, dict):
            _flatten(key, v, out)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for f in sorted(LOCALE_DIR.glob("*.toml")):
        _flatten("", tomllib.loads(f.read_text(encoding="utf-8")), out)
    return out


def t(key: str, lang: str = DEFAULT, **kw) -> str:
    """The label for `key` in `lang` (falls back to Indonesian, then to the key itself).

    English counts: when `n` is one (1 or "1") and a `<key>_one` label exists, that one is used,
    so "+1 village" is not "+1 villages" (Indonesian does not inflect; its `_one` repeats the text)."""
    if kw.get("n") in (1, "1") and f"{key}_one" in catalogue():
        key = f"{key}_one"
    entry = catalogue().get(key)
    text = (entry.get(lang) or entry.get(DEFAULT)) if entry else key
    return text.format(**kw) if kw else text


def missing(lang: str) -> list[str]:
    """Keys with no text in `lang` (a test keeps this empty)."""
    return sorted(k for k, v in catalogue().items() if not v.get(lang))
