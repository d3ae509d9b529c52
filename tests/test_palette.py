"""Colours that everyone can read: theme text (captions included) >= 4.5:1, ceremony text >= 7:1,
status, band, map and ceremony tones >= 3:1 as graphics and >= ΔE00 10 apart for normal vision,
deuteranopia and protanopia. Computed with desasadar.colour, whose formulas are checked first."""
from __future__ import annotations

import re
import tomllib

import numpy as np
import pytest

from desasadar import colour, maps
from desasadar.charts import theme as chart_theme
from desasadar.export import slide
from desasadar.paths import ROOT

MIN_DE = 10.0
WHITE = "#FFFFFF"


# --- the formulas ------------------------------------------------------------------------------
@pytest.mark.parametrize("lab1, lab2, expected", [
    # Sharma, Wu & Dalal (2005), CIEDE2000 test data, pairs 1, 7, 13, 16, 17, 25, 31
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),
    ((50.0, 2.5, 0.0), (50.0, 0.0, -2.5), 4.3065),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
])
def test_ciede2000_matches_published_pairs(lab1, lab2, expected):
    assert colour.delta_e00(np.array(lab1), np.array(lab2)) == pytest.approx(expected, abs=1e-4)


def test_contrast_and_lab_known_values():
    assert colour.contrast("#000000", WHITE) == pytest.approx(21.0)
    assert colour.contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)  # the classic 4.5:1 grey
    assert colour.contrast("#777777", WHITE) < 4.5
    assert colour.lab(WHITE) == pytest.approx([100.0, 0.0, 0.0], abs=1e-3)
    assert colour.lab("#FF0000") == pytest.approx([53.24, 80.09, 67.20], abs=0.05)
    assert colour.blend("#000000", WHITE, 0.6) == "#666666"


def test_colour_blind_simulation():
    for kind in ("protanopia", "deuteranopia"):
        for grey in ("#000000", "#777777", WHITE):  # greys stay greys (rows of the matrices sum to 1)
            assert colour.distance(grey, colour.simulate(grey, kind)) < 1.0
        # a red and a green of the same lightness collapse; a blue and a yellow stay apart
        assert colour.distance("#C85A3C", "#7A8A2E", kind) < colour.distance("#C85A3C", "#7A8A2E") / 2
        assert colour.distance("#2F6DB5", "#BF8F00", kind) > 30


# --- the palettes ------------------------------------------------------------------------------
def _assert_apart(palette: dict[str, str]) -> None:
    de, kind, a, b = colour.closest_pair(palette)
    assert de >= MIN_DE, f"{a} and {b} are only ΔE00 {de:.1f} apart ({kind})"


def test_theme_text_and_captions():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    text = theme["textColor"]
    for bg in (theme["backgroundColor"], theme["secondaryBackgroundColor"], theme["sidebar"]["backgroundColor"]):
        assert colour.contrast(text, bg) >= 7.0, bg
        # st.caption, metric descriptions and help text: textColor at 60% opacity
        assert colour.contrast(colour.blend(text, bg, 0.6), bg) >= 4.5, bg
    assert colour.contrast(theme["primaryColor"], theme["backgroundColor"]) >= 4.5  # links and buttons
    for c in (chart_theme.TEXT, chart_theme.MUTED):  # chart labels
        assert colour.contrast(c, WHITE) >= 4.5, c


def test_status_palette():
    palette = {**chart_theme.STATUS_COLORS, "none": chart_theme.NO_STATUS}
    for name, c in palette.items():
        for bg in (WHITE, maps.LAND):
            assert colour.contrast(c, bg) >= 3.0, (name, bg)
    _assert_apart(palette)


def test_band_palette():
    palette = dict(enumerate(chart_theme.BAND_COLORS))
    for i, c in palette.items():
        assert colour.contrast(c, WHITE) >= 3.0, (i, c)
    _assert_apart(palette)


def test_map_classes_against_the_land():
    drawn = {low: colour.blend(c, maps.LAND, maps.FILL_ALPHA / 255) for low, c in maps.CERTIFIED_BINS}
    assert drawn[0] == maps.LAND  # no certified village: plain land
    for low, c in drawn.items():
        if low:
            assert colour.contrast(c, maps.LAND) >= 3.0, low
    _assert_apart(drawn)


def _rules(css: str) -> list[tuple[str, dict[str, str]]]:
    return [(sel.strip(), dict(re.findall(r"([\w-]+)\s*:\s*(#[0-9A-Fa-f]{6})", body)))
            for sel, body in re.findall(r"([^{}]+)\{([^}]*)\}", css.split("<style>")[1])]


def test_ceremony_text_is_seven_to_one():
    rules = _rules(slide._CSS)
    tile = next(d["background"] for s, d in rules if s == ".dsjs-tile")
    checked = 0
    for sel, decl in rules:
        if "color" in decl:  # on its own background, or on the slide's white and the tiles
            for bg in [decl["background"]] if "background" in decl else [WHITE, tile]:
                assert colour.contrast(decl["color"], bg) >= 7.0, (sel, decl["color"], bg)
            checked += 1
    assert checked >= 10


def test_ceremony_pace_tones():
    tones = {s: d["--dsjs-tone"] for s, d in _rules(slide._CSS) if "--dsjs-tone" in d}
    assert set(tones) == {".dsjs-good", ".dsjs-warn", ".dsjs-bad", ".dsjs-none"}
    tile = next(d["background"] for s, d in _rules(slide._CSS) if s == ".dsjs-tile")
    for name, c in tones.items():
        for bg in (WHITE, tile):
            assert colour.contrast(c, bg) >= 3.0, (name, bg)
    _assert_apart(tones)
