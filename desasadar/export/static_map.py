"""Offline locator maps drawn with Pillow from the bundled boundaries (data/reference/*.geojson).

Plain equirectangular projection (longitude scaled by cos(latitude) at the map centre; Indonesia straddles
the equator, so this is close to what people expect), supersampled for smooth edges. No tiles, no network.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageColor, ImageDraw

from .. import paths
from . import fonts

SEA = "#DCEAF3"
LAND = "#F8FAF8"
COAST = "#7D8F84"
BORDER = "#C3CEC7"
TERRITORY = "#CDE7D6"
TERRITORY_EDGE = "#0B7A3E"
MARKER = "#B3261E"
DOT = "#0B7A3E"
TEXT = "#14231A"

INDONESIA_BBOX = (94.8, -11.2, 141.2, 6.2)
SS = 3  # supersampling factor


@lru_cache(maxsize=4)
def _geojson(name: str, ref: str) -> list[dict]:
    """The features of a bundled GeoJSON file, each with its bounds precomputed under "_bbox"."""
    with open(f"{ref}/{name}", encoding="utf-8") as f:
        features = json.load(f)["features"]
    for feat in features:
        feat["_bbox"] = _bounds([feat])
    return features


def _features(name: str) -> list[dict]:
    return _geojson(name, str(paths.reference_dir()))


def _rings(geom: dict):
    if geom["type"] == "Polygon":
        yield from geom["coordinates"][:1]
    elif geom["type"] == "MultiPolygon":
        for poly in geom["coordinates"]:
            yield poly[0]


def _area(ring) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))) / 2


def _bounds(features: list[dict], major: float = 0.0) -> tuple[float, float, float, float]:
    """Bounds of the features; with `major` > 0 only of each feature's parts at least that share of its
    largest part (so a regency's far-off small islands do not stretch the map)."""
    xs, ys = [], []
    for f in features:
        rings = list(_rings(f["geometry"]))
        if major:
            biggest = max(_area(r) for r in rings)
            rings = [r for r in rings if _area(r) >= major * biggest]
        for ring in rings:
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
    return min(xs), min(ys), max(xs), max(ys)


@dataclass
class _View:
    lon0: float
    lat0: float
    lon1: float
    lat1: float
    w: int
    h: int

    def __post_init__(self):
        self.kx = math.cos(math.radians((self.lat0 + self.lat1) / 2))
        span_x = (self.lon1 - self.lon0) * self.kx
        span_y = self.lat1 - self.lat0
        self.k = min(self.w / span_x, self.h / span_y)
        self.ox = (self.w - span_x * self.k) / 2
        self.oy = (self.h - span_y * self.k) / 2

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.ox + (lon - self.lon0) * self.kx * self.k, self.oy + (self.lat1 - lat) * self.k)

    def visible(self, b: tuple[float, float, float, float]) -> bool:
        return not (b[2] < self.lon0 or b[0] > self.lon1 or b[3] < self.lat0 or b[1] > self.lat1)


def _fit(bbox, w: int, h: int, pad: float = 0.12, min_span: float = 0.0) -> _View:
    """A view of bbox padded by `pad` (share of the span), widened to the image's aspect ratio."""
    lon0, lat0, lon1, lat1 = bbox
    cx, cy = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    kx = math.cos(math.radians(cy))
    sx = max((lon1 - lon0) * kx, min_span) * (1 + 2 * pad)
    sy = max(lat1 - lat0, min_span) * (1 + 2 * pad)
    if sx / sy < w / h:
        sx = sy * w / h
    else:
        sy = sx * h / w
    return _View(cx - sx / kx / 2, cy - sy / 2, cx + sx / kx / 2, cy + sy / 2, w, h)


def _draw_layer(d: ImageDraw.ImageDraw, view: _View, features: list[dict], fill, outline, width: int) -> None:
    for f in features:
        for ring in _rings(f["geometry"]):
            pts = [view.xy(x, y) for x, y in ring]
            if len(pts) >= 3:
                d.polygon(pts, fill=fill, outline=outline, width=width)


def _base(view: _View, territory: set[str], s: int) -> Image.Image:
    im = Image.new("RGB", (view.w, view.h), SEA)
    d = ImageDraw.Draw(im)
    land = [f for f in _features("indonesia.geojson")]
    _draw_layer(d, view, land, LAND, None, 0)
    regencies = [f for f in _features("batas_kabupaten.geojson") if view.visible(_feature_bounds(f))]
    mine = [f for f in regencies if f["properties"]["regency_code"] in territory]
    _draw_layer(d, view, mine, TERRITORY, None, 0)
    national = (view.lon1 - view.lon0) > 15  # at national zoom province borders only
    borders = _features("batas_provinsi.geojson") if national else regencies
    _draw_layer(d, view, borders, None, BORDER, max(1, s))
    _draw_layer(d, view, mine, None, TERRITORY_EDGE, 2 * s)
    _draw_layer(d, view, land, None, COAST, max(1, s))
    return im


def _feature_bounds(f: dict) -> tuple[float, float, float, float]:
    return f["_bbox"]


def territory_bounds(regency_codes, major: float = 0.1) -> tuple[float, float, float, float] | None:
    """Bounds of the regencies' main parts (parts under `major` of a regency's largest are left out)."""
    codes = set(regency_codes)
    feats = [f for f in _features("batas_kabupaten.geojson") if f["properties"]["regency_code"] in codes]
    return _bounds(feats, major) if feats else None


def _marker(d: ImageDraw.ImageDraw, x: float, y: float, r: float, color: str = MARKER) -> None:
    d.ellipse([x - r * 1.45, y - r * 1.45, x + r * 1.45, y + r * 1.45], fill="white")
    d.ellipse([x - r, y - r, x + r, y + r], fill=color)


def _label(d: ImageDraw.ImageDraw, x: float, y: float, text: str, size: int, bounds: tuple[int, int]) -> None:
    f, stroke = fonts.font(size, bold=True)
    text = fonts.plain(text) if not fonts.has_system_font() else text
    tw = d.textlength(text, font=f)
    tx = x + size * 0.7 if x + size * 0.7 + tw < bounds[0] - size * 0.3 else x - size * 0.7 - tw
    ty = min(max(y - size * 0.6, size * 0.2), bounds[1] - size * 1.4)
    d.text((tx, ty), text, font=f, fill=TEXT, stroke_width=max(stroke, size // 7), stroke_fill="white")
    if stroke:
        d.text((tx, ty), text, font=f, fill=TEXT, stroke_width=stroke, stroke_fill=TEXT)


def _inset(
    im: Image.Image, box_ll: tuple[float, float, float, float] | None, point: tuple[float, float] | None, s: int
) -> None:
    """A small map of Indonesia in the lower-left corner with the zoomed area outlined."""
    w = int(im.width * 0.34)
    h = int(w * 0.42)
    view = _fit(INDONESIA_BBOX, w, h, pad=0.02)
    ins = Image.new("RGB", (w, h), SEA)
    d = ImageDraw.Draw(ins)
    land = _features("indonesia.geojson")
    _draw_layer(d, view, land, "#E4EAE6", COAST, max(1, s // 2))
    if box_ll:
        x0, y1 = view.xy(box_ll[0], box_ll[1])
        x1, y0 = view.xy(box_ll[2], box_ll[3])
        if x1 - x0 < 6 * s or y1 - y0 < 6 * s:
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            x0, x1, y0, y1 = cx - 4 * s, cx + 4 * s, cy - 4 * s, cy + 4 * s
        d.rectangle([x0, y0, x1, y1], outline=MARKER, width=2 * s)
    if point:
        _marker(d, *view.xy(*point), r=3 * s)
    m = 10 * s
    # The corner that hides the least land.
    corners = [(m, im.height - h - m), (im.width - w - m, im.height - h - m), (m, m), (im.width - w - m, m)]
    sea = ImageColor.getrgb(SEA)

    def land_hidden(xy):
        crop = im.crop((xy[0], xy[1], xy[0] + w, xy[1] + h)).reduce(8)
        return sum(1 for px in crop.getdata() if px != sea)

    x, y = min(corners, key=land_hidden)
    im.paste(ins, (x, y))
    ImageDraw.Draw(im).rectangle([x, y, x + w, y + h], outline=COAST, width=s)


def _finish(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    return im.resize(size, Image.Resampling.LANCZOS)


def village_map(
    lon: float,
    lat: float,
    regency_code: str,
    size: tuple[int, int] = (640, 480),
    label: str | None = None,
    inset: bool = True,
) -> Image.Image:
    """The village's regency and its neighbours, the village marked (and labelled), with a national inset."""
    w, h = size[0] * SS, size[1] * SS
    # Centred on the village; as wide as its regency's main part, within 0.8-2.4 degrees.
    b = territory_bounds([regency_code], major=0.25)
    span = min(max(b[2] - b[0], b[3] - b[1], 0.8), 2.4) if b else 1.2
    view = _fit((lon - span / 2, lat - span / 2, lon + span / 2, lat + span / 2), w, h, pad=0.0)
    im = _base(view, {regency_code}, SS)
    d = ImageDraw.Draw(im)
    x, y = view.xy(lon, lat)
    _marker(d, x, y, r=min(w, h) * 0.022)
    if label:
        _label(d, x, y, label, int(min(w, h) * 0.08), (w, h))
    if inset:
        _inset(im, (view.lon0, view.lat0, view.lon1, view.lat1), (lon, lat), SS)
    return _finish(im, size)


def office_map(
    regency_codes, points: list[tuple[float, float]], size: tuple[int, int] = (900, 600), inset: bool = True
) -> Image.Image:
    """A branch's or region's territory (its regencies shaded) with its certified villages as dots."""
    w, h = size[0] * SS, size[1] * SS
    codes = set(regency_codes)
    b = territory_bounds(codes)
    if points:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        b = (
            min(xs + [b[0]] if b else xs),
            min(ys + [b[1]] if b else ys),
            max(xs + [b[2]] if b else xs),
            max(ys + [b[3]] if b else ys),
        )
    b = b or INDONESIA_BBOX
    view = _fit(b, w, h, pad=0.06, min_span=0.6)
    im = _base(view, codes, SS)
    d = ImageDraw.Draw(im)
    r = min(w, h) * 0.011
    for lon, lat in points:
        x, y = view.xy(lon, lat)
        d.ellipse([x - r * 1.4, y - r * 1.4, x + r * 1.4, y + r * 1.4], fill="white")
        d.ellipse([x - r, y - r, x + r, y + r], fill=DOT)
    if inset:
        _inset(im, (view.lon0, view.lat0, view.lon1, view.lat1), None, SS)
    return _finish(im, size)


def national_map(
    points: list[tuple[float, float]], highlight: tuple[float, float] | None = None, size: tuple[int, int] = (1200, 480)
) -> Image.Image:
    """Indonesia with certified villages as dots and, optionally, one village marked."""
    w, h = size[0] * SS, size[1] * SS
    view = _fit(INDONESIA_BBOX, w, h, pad=0.01)
    im = _base(view, set(), SS)
    d = ImageDraw.Draw(im)
    r = min(w, h) * 0.007
    for lon, lat in points:
        x, y = view.xy(lon, lat)
        d.ellipse([x - r, y - r, x + r, y + r], fill=DOT)
    if highlight:
        _marker(d, *view.xy(*highlight), r=min(w, h) * 0.02)
    return _finish(im, size)


def png_bytes(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format="PNG", compress_level=6)
    return buf.getvalue()
