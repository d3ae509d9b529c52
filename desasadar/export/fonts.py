"""Fonts for the PNG brief and map labels, with nothing fetched from the internet.

Prefers Liberation Sans (metric-compatible with the PDF's Helvetica) or DejaVu Sans when the system has
them (Debian: fonts-liberation, which chromium pulls in; fonts-dejavu-core); otherwise falls back to the
font built into Pillow (`ImageFont.load_default(size)`, regular weight only: bold is drawn with a stroke).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

_CANDIDATES = {
    "regular": [
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ],
    "bold": [
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ],
}


@lru_cache(maxsize=4)
def _path(weight: str) -> str | None:
    return next((p for p in _CANDIDATES[weight] if Path(p).is_file()), None)


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> tuple[ImageFont.FreeTypeFont, int]:
    """(font, stroke width to draw with): a system TTF, or Pillow's built-in font with a stroke for bold."""
    p = _path("bold" if bold else "regular")
    if p:
        return ImageFont.truetype(p, size), 0
    return ImageFont.load_default(size=size), (max(1, size // 40) if bold else 0)


def has_system_font() -> bool:
    return _path("regular") is not None


def plain(text: str) -> str:
    """Typographic characters the fallback font or the PDF core font may lack, replaced by plain ones."""
    return (
        text.replace("\u2013", "-")
        .replace("\u2014", "-")
        .replace("\u2212", "-")
        .replace("\u2018", "'")
        .replace("\u2019", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2022", "\u00b7")
        .replace("\u2026", "...")
        .replace("\u00a0", " ")
        .replace("\u202f", " ")
    )
