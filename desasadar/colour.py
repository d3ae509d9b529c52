"""Colour checks for the palettes: WCAG contrast, colour-blindness simulation, CIEDE2000 distance.

Pure numpy, so a test can prove a palette readable instead of trusting the eye:
- contrast ratio and alpha blending as WCAG 2.1 defines them (sRGB relative luminance);
- dichromat simulation with the Machado, Oliveira & Fernandes (2009) matrices at severity 1.0,
  applied in linear RGB;
- colour difference ΔE00 (CIEDE2000, Sharma, Wu & Dalal 2005) in CIELAB under D65.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np

# Machado et al. 2009, severity 1.0 (full dichromacy), linear RGB in and out.
CVD = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
}
_RGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
_WHITE = _RGB_TO_XYZ @ np.ones(3)  # D65 white of sRGB


def rgb(hex_colour: str) -> np.ndarray:
    """'#0B7A3E' -> array of 0..1 sRGB values."""
    h = hex_colour.lstrip("#")
    if len(h) != 6:
        raise ValueError(hex_colour)
    return np.array([int(h[i:i + 2], 16) for i in (0, 2, 4)]) / 255.0


def to_hex(values: np.ndarray) -> str:
    return "#" + "".join(f"{int(round(float(v) * 255)):02X}" for v in np.clip(values, 0, 1))


def _linear(srgb: np.ndarray) -> np.ndarray:
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _gamma(lin: np.ndarray) -> np.ndarray:
    lin = np.clip(lin, 0, 1)
    return np.where(lin <= 0.0031308, lin * 12.92, 1.055 * lin ** (1 / 2.4) - 0.055)


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance."""
    r, g, b = _linear(rgb(hex_colour))
    return float(0.2126 * r + 0.7152 * g + 0.0722 * b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two opaque colours, 1..21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(fg: str, bg: str, alpha: float) -> str:
    """`fg` drawn with opacity `alpha` over `bg`, as the browser composites it (in sRGB)."""
    return to_hex(alpha * rgb(fg) + (1 - alpha) * rgb(bg))


def simulate(hex_colour: str, kind: str) -> str:
    """How a dichromat (`protanopia`, `deuteranopia`) sees the colour."""
    return to_hex(_gamma(CVD[kind] @ _linear(rgb(hex_colour))))


def lab(hex_colour: str) -> np.ndarray:
    xyz = (_RGB_TO_XYZ @ _linear(rgb(hex_colour))) / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e00(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    L1, a1, b1 = (float(v) for v in lab1)
    L2, a2, b2 = (float(v) for v in lab2)
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360 if c2p else 0.0
    dLp, dCp = L2 - L1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    else:
        dhp = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dHp = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dhp / 2))
    Lp_bar, Cp_bar = (L1 + L2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_bar = (h1p + h2p) / 2
    else:
        hp_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(hp_bar - 30)) + 0.24 * np.cos(np.radians(2 * hp_bar))
         + 0.32 * np.cos(np.radians(3 * hp_bar + 6)) - 0.20 * np.cos(np.radians(4 * hp_bar - 63)))
    d_theta = 30 * np.exp(-(((hp_bar - 275) / 25) ** 2))
    rc = 2 * np.sqrt(Cp_bar ** 7 / (Cp_bar ** 7 + 25 ** 7))
    sl = 1 + 0.015 * (Lp_bar - 50) ** 2 / np.sqrt(20 + (Lp_bar - 50) ** 2)
    sc = 1 + 0.045 * Cp_bar
    sh = 1 + 0.015 * Cp_bar * t
    rt = -np.sin(np.radians(2 * d_theta)) * rc
    return float(np.sqrt((dLp / sl) ** 2 + (dCp / sc) ** 2 + (dHp / sh) ** 2 + rt * (dCp / sc) * (dHp / sh)))


def distance(a: str, b: str, kind: str = "normal") -> float:
    """ΔE00 between two colours as seen with normal vision or a dichromacy."""
    return delta_e00(lab(simulate(a, kind)), lab(simulate(b, kind)))


VISIONS = ("normal", "deuteranopia", "protanopia")


def closest_pair(palette: dict[str, str], kinds=VISIONS) -> tuple[float, str, str, str]:
    """The palette's two least distinguishable entries: (ΔE00, kind of vision, name, name)."""
    return min((distance(palette[x], palette[y], k), k, x, y) for k in kinds for x, y in combinations(palette, 2))
