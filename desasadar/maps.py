"""pydeck map builders: pure functions, data in, pydeck.Deck out (used by the Peta page).

Offline first: the base map is the bundled province and regency outlines
(data/reference/*.geojson, loaded once and cached), filled as GeoJsonLayers and outlined as
LineLayers (see outline_layer), with no tiles.
Such a deck is serialised with ``"mapStyle": "__MAP_STYLE__"`` (pydeck's sentinel for "no
style given"): Streamlit's frontend then drops the base map. Careful: ``map_style=None`` does
NOT do that in Streamlit 1.67 - the frontend replaces a missing style with Carto's
(basemaps.cartocdn.com). Tiles are only requested when ``tiles=True``.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from . import fmt, i18n, paths, reference
from .charts.theme import MUTED, STATUS_COLORS, TEXT

STATUSES = ("proposed", "verified", "certified", "revoked")  # map/legend order
LAYER_DESA = "desa"
LAYER_KABUPATEN = "kabupaten"
SEA = "#E8F1F6"
LAND = "#F6F7F4"
# Regencies by certified villages: (lowest count of the class, colour); none is plain land, then light to
# dark green and a dark blue-green at the top. Drawn at FILL_ALPHA over the land, each class is >= 3:1 against
# the land and >= ΔE00 10 from every other, colour-blind vision included (tests/test_palette.py).
CERTIFIED_BINS = ((0, LAND), (1, "#4C9262"), (2, "#226F3E"), (4, "#074B26"), (7, "#0A2E45"))
FILL_ALPHA = 235
# Regencies by the share of their villages that are certified (the fill): (lowest share of the band, colour).
# Bands, as national programme dashboards shade coverage; the first is "none certified", the second
# anything above zero. The same five colours as the count classes.
SHARE_BINS = tuple(zip((0.0, 1e-9, 0.01, 0.025, 0.05), (c for _, c in CERTIFIED_BINS)))
PROVINCE_LINE = "#7D8A82"
REGENCY_LINE = "#B9C4BD"
# px the view is fitted to. deck.gl's zoom is absolute and the server never learns the browser's width, so the
# view is fitted to the narrowest map column a desktop shows (599 px at 1280 px, measured; 719 at 1440, 1079 at
# 1920): it then fits at every wider screen too. The national frame is only as tall as Indonesia needs there.
MAP_WIDTH, MAP_HEIGHT = 590, 560
FRAME_PADDING = 16
TOOLTIP_KEYS = ("tt_judul", "tt_1", "tt_2", "tt_3", "tt_4")
TILES_STYLE = pdk.map_styles.LIGHT  # Carto Positron; only with tiles=True (needs internet)


def rgba(hex_color: str, alpha: int = 255) -> list[int]:
    h = hex_color.lstrip("#")
    return [int(h[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


# --- bundled boundaries (loaded once) ---------------------------------------------------------
@lru_cache(maxsize=4)
def _geojson(path: str, mtime: float) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _boundary_file(name: str, ref_dir: Path | None) -> tuple[str, float]:
    """(path, mtime) of a bundled GeoJSON file: the key of the caches built from it (a new file, a new entry)."""
    if name not in ("batas_provinsi", "batas_kabupaten", "indonesia"):
        raise KeyError(name)
    p = (ref_dir or paths.reference_dir()) / f"{name}.geojson"
    return str(p), p.stat().st_mtime


def boundaries(name: str, ref_dir: Path | None = None) -> dict:
    """A bundled GeoJSON FeatureCollection (batas_provinsi, batas_kabupaten, indonesia). Cached; do not mutate."""
    return _geojson(*_boundary_file(name, ref_dir))


def _bounds_of(geometry: dict) -> tuple[float, float, float, float]:
    xs, ys = [], []

    def walk(c):
        if isinstance(c[0], (int, float)):
            xs.append(c[0])
            ys.append(c[1])
        else:
            for part in c:
                walk(part)

    walk(geometry["coordinates"])
    return min(xs), min(ys), max(xs), max(ys)


@lru_cache(maxsize=4)
def _regencies(path: str, mtime: float) -> tuple[dict, dict]:
    fc = _geojson(path, mtime)
    feats = {f["properties"]["regency_code"]: f for f in fc["features"]}
    return feats, {code: _bounds_of(f["geometry"]) for code, f in feats.items()}


def regency_features(ref_dir: Path | None = None) -> tuple[dict, dict]:
    """(regency_code -> feature, regency_code -> (west, south, east, north)). Cached; do not mutate."""
    return _regencies(*_boundary_file("batas_kabupaten", ref_dir))


def indonesia_bounds(ref_dir: Path | None = None) -> tuple[float, float, float, float]:
    fc = boundaries("indonesia", ref_dir)
    bs = [_bounds_of(f["geometry"]) for f in fc["features"]]
    return min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs)


def preload(ref_dir: Path | None = None) -> None:
    """Read the boundaries and label anchors every map draws, so the first visitor to Peta does not (warm.py)."""
    regency_features(ref_dir)
    for name in ("indonesia", "batas_provinsi"):
        boundaries(name, ref_dir)
    _province_anchors(str(ref_dir or paths.reference_dir()))


# --- view -------------------------------------------------------------------------------------
def _merc_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2


def _merc_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * y))) - math.pi / 2)


class ViewFrame:
    """Where deck.gl's MapView puts a place: px from the top left of a w x h frame centred on the view (Web
    Mercator, a 512 px world at zoom 0). With w = h = 0, px from the view's centre."""

    def __init__(self, longitude: float, latitude: float, zoom: float, w: float = 0, h: float = 0):
        self.scale = 512 * 2 ** zoom
        self.x0 = w / 2 - longitude / 360 * self.scale
        self.y0 = h / 2 - _merc_y(latitude) * self.scale

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return self.x0 + lon / 360 * self.scale, self.y0 + _merc_y(lat) * self.scale


def fit_view(bounds: tuple[float, float, float, float], width: int = MAP_WIDTH, height: int = MAP_HEIGHT,
             padding: int = FRAME_PADDING, max_zoom: float = 11.0) -> pdk.ViewState:
    """The view (Web Mercator, deck.gl's 512 px world) that shows `bounds` (west, south, east, north)."""
    west, south, east, north = bounds
    dx = max((east - west) / 360, 1e-9)
    dy = max(_merc_y(south) - _merc_y(north), 1e-9)
    zoom = math.log2(min((width - 2 * padding) / (dx * 512), (height - 2 * padding) / (dy * 512)))
    lat = _merc_lat((_merc_y(south) + _merc_y(north)) / 2)
    return pdk.ViewState(longitude=round((west + east) / 2, 5), latitude=round(lat, 5),
                         zoom=round(min(zoom, max_zoom), 2), min_zoom=3, max_zoom=14, pitch=0, bearing=0)


def national_height(width: int = MAP_WIDTH, padding: int = FRAME_PADDING) -> int:
    """Frame height (px) that holds Indonesia, fitted to `width`, with `padding` above and below: no empty
    band of sea above and below it on a wide screen."""
    west, south, east, north = indonesia_bounds()
    dy_per_dx = (_merc_y(south) - _merc_y(north)) / ((east - west) / 360)
    return int(math.ceil((width - 2 * padding) * dy_per_dx + 2 * padding)) + 4


def scope_bounds(regency_codes, ref_dir: Path | None = None) -> tuple[float, float, float, float]:
    """Where these regencies' villages are: the box of their register points, leaving out far-off
    outliers (Tukey fences, k = 3) such as Bintan's Tambelan islands 300 km east of Bintan island,
    which would otherwise shrink the populated part to a corner; Indonesia's box when none is known."""
    codes = [c for c in regency_codes]
    pts = _register_points(paths.reference_dir() if ref_dir is None else ref_dir)
    sel = pts[pts["regency_code"].isin(codes)]
    if sel.empty:
        _, bounds = regency_features(ref_dir)
        bs = [bounds[c] for c in codes if c in bounds]
        if not bs:
            return indonesia_bounds(ref_dir)
        return min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs)
    keep = pd.Series(True, index=sel.index)
    for col in ("lon", "lat"):
        q1, q3 = sel[col].quantile([0.25, 0.75])
        spread = max(q3 - q1, 0.05)
        keep &= sel[col].between(q1 - 3 * spread, q3 + 3 * spread)
    core = sel[keep]
    pad = 0.05
    return (float(core.lon.min()) - pad, float(core.lat.min()) - pad, float(core.lon.max()) + pad,
            float(core.lat.max()) + pad)


def with_points(bounds: tuple[float, float, float, float], villages: pd.DataFrame,
                pad: float = 0.05) -> tuple[float, float, float, float]:
    """`bounds` grown to show every programme village in `villages` (lat/lon columns)."""
    if villages.empty:
        return bounds
    return (min(bounds[0], float(villages.lon.min()) - pad), min(bounds[1], float(villages.lat.min()) - pad),
            max(bounds[2], float(villages.lon.max()) + pad), max(bounds[3], float(villages.lat.max()) + pad))


def _register_points(ref_dir: Path) -> pd.DataFrame:
    """Village points of the register (public reference data, cached by reference.table)."""
    return reference.table("desa.parquet", ref_dir)[["regency_code", "lat", "lon"]].dropna()


# --- data preparation -------------------------------------------------------------------------
# Location-check reasons whose point is not drawn at all; the other reasons (on the kecamatan's point,
# far from the kecamatan, outside the regency's area) are drawn as approximate (scripts/build_lokasi_cek.py).
NOT_DRAWN = ("tanpa_koordinat", "luar_indonesia", "luar_provinsi")


def split_located(villages: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(villages to plot, villages whose location must be checked) from peta_desa rows; a village with an
    approximate point is in both (drawn hollow, marked "lokasi perkiraan")."""
    flagged = villages["lokasi_cek"].notna()
    return villages[~villages["lokasi_cek"].isin(NOT_DRAWN)], villages[flagged]


def certified_color(n: int) -> str:
    color = CERTIFIED_BINS[0][1]
    for low, c in CERTIFIED_BINS:
        if n >= low:
            color = c
    return color


def certified_bins_labels(lang: str) -> list[tuple[str, str]]:
    """(colour, label) for the regency legend: '0', '1', '2–3', '4–6', '≥ 7'."""
    out = []
    for i, (low, color) in enumerate(CERTIFIED_BINS):
        if i + 1 < len(CERTIFIED_BINS):
            high = CERTIFIED_BINS[i + 1][0] - 1
            label = fmt.number(low, lang) if high == low else f"{fmt.number(low, lang)}–{fmt.number(high, lang)}"
        else:
            label = f"≥ {fmt.number(low, lang)}"
        out.append((color, label))
    return out


def share_color(certified: int, villages: int) -> str:
    """Fill of a regency by its share of villages certified (SHARE_BINS)."""
    share = certified / villages if villages else 0.0
    color = SHARE_BINS[0][1]
    for low, c in SHARE_BINS:
        if share >= low and (low > 0 or share == 0):
            color = c
    return color


def share_bins_labels(lang: str) -> list[tuple[str, str]]:
    """(colour, label) for the regency legend: '0', '< 1%', '1–2,5%', '2,5–5%', '≥ 5%'."""
    pct = lambda x: fmt.percent(x, lang, 0 if round(x * 100) == x * 100 else 1)  # noqa: E731
    lows = [low for low, _ in SHARE_BINS]
    out = [(SHARE_BINS[0][1], "0"), (SHARE_BINS[1][1], f"< {pct(lows[2])}")]
    for i in range(2, len(SHARE_BINS)):
        label = f"{pct(lows[i])}–{pct(lows[i + 1])}" if i + 1 < len(SHARE_BINS) else f"≥ {pct(lows[i])}"
        out.append((SHARE_BINS[i][1], label))
    return out


def radius_px(participants) -> float:
    """Point radius in pixels by active participants (area grows with the count)."""
    p = 0 if participants is None or pd.isna(participants) else max(float(participants), 0.0)
    return round(min(3.0 + math.sqrt(p) / 3.0, 18.0), 1)


# Babel takes about 0.2 ms a number; a national deck formats ~2,000 (three counts and a share per regency), most
# of them the same few values, so the formats are remembered (measured: 480 of the 560 ms of a deck build).
@lru_cache(maxsize=8192)
def _number(n: int, lang: str) -> str:
    return fmt.number(n, lang)


@lru_cache(maxsize=8192)
def _share(x: float, lang: str) -> str:
    return fmt.percent(x, lang, 1)


@lru_cache(maxsize=8192)
def _date(d, lang: str) -> str:
    return fmt.date_medium(d, lang)


def _village_tooltip(r, lang: str) -> dict:
    T = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    kind = T("peta.kind_kelurahan") if r.kind == "kelurahan" else T("peta.kind_desa")
    status = T(f"status.{r.status}")
    when = _date(r.status_on, lang) if pd.notna(r.status_on) else "–"
    approx = getattr(r, "lokasi_cek", None)
    approx = "" if approx is None or pd.isna(approx) else " · " + T("peta.approximate")
    return {
        "tt_judul": f"{kind} {r.village_name}{approx}",
        "tt_1": T("peta.tt_place", kecamatan=r.district_name, kabupaten=r.regency_name),
        "tt_2": T("peta.tt_branch", cabang=r.branch_name),
        "tt_3": T("peta.tt_status", status=status, date=when),
        "tt_4": T("peta.tt_participants", n=_number(int(r.participants_active or 0), lang)),
    }


def village_records(villages: pd.DataFrame, lang: str = "id") -> list[dict]:
    """One small record per plotted village: code, position, colour, radius, tooltip lines."""
    out = []
    for r in villages.itertuples(index=False):
        approx = pd.notna(getattr(r, "lokasi_cek", None))  # approximate point: pale fill, dark ring
        rec = {"village_code": r.village_code, "lon": round(float(r.lon), 5), "lat": round(float(r.lat), 5),
               "color": rgba(STATUS_COLORS[r.status], 90 if approx else 230), "r": radius_px(r.participants_active),
               "line": [40, 40, 40, 255] if approx else [255, 255, 255, 255]}
        rec.update(_village_tooltip(r, lang))
        out.append(rec)
    return out


def regency_collection(regencies: pd.DataFrame, lang: str = "id", ref_dir: Path | None = None) -> dict:
    """FeatureCollection of the regencies in `regencies` (peta_kabupaten rows) with fill and tooltip."""
    feats, _ = regency_features(ref_dir)
    T = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    out = []
    for r in regencies.itertuples(index=False):
        f = feats.get(r.regency_code)
        if f is None:
            continue
        props = {
            "regency_code": r.regency_code,
            "fill": rgba(share_color(int(r.certified), int(r.villages)), FILL_ALPHA),
            "tt_judul": r.regency_name,
            "tt_1": r.province_name,
            "tt_2": T("peta.tt_certified_share", n=_number(int(r.certified), lang),
                      share=_share(int(r.certified) / int(r.villages) if r.villages else 0.0, lang)),
            "tt_3": T("peta.tt_pipeline", n=_number(int(r.proposed) + int(r.verified), lang)),
            "tt_4": T("peta.tt_villages", n=_number(int(r.villages), lang)),
        }
        out.append({"type": "Feature", "geometry": f["geometry"], "properties": props})  # geometry shared, not copied
    return {"type": "FeatureCollection", "features": out}


# --- layers and deck --------------------------------------------------------------------------
def sea_layer() -> pdk.Layer:
    world = [{"polygon": [[-180, -85], [180, -85], [180, 85], [-180, 85]]}]
    return pdk.Layer("PolygonLayer", world, id="laut", get_polygon="polygon", get_fill_color=rgba(SEA),
                     stroked=False, pickable=False)


def province_layer(ref_dir: Path | None = None) -> pdk.Layer:
    """The land, province by province (fill only: the outlines are `outline_layer`)."""
    return pdk.Layer("GeoJsonLayer", boundaries("batas_provinsi", ref_dir), id="provinsi", filled=True,
                     get_fill_color=rgba(LAND), stroked=False, pickable=False)


def regency_layer(collection: dict) -> pdk.Layer:
    """The regency choropleth, fill only, picked by a click (its outlines, where drawn, are `outline_layer`). A click
    is a "tap" only when the browser handles the press within 250 ms (deck.gl's tap recogniser), and the press starts
    a synchronous pick that also waits for the frame being drawn: nationally the 514 regencies' outlines made that
    take seconds in software WebGL and the click was dropped (measured, issue 20), so there only the province
    outlines are drawn."""
    return pdk.Layer("GeoJsonLayer", collection, id=LAYER_KABUPATEN, filled=True, get_fill_color="properties.fill",
                     stroked=False, pickable=True, auto_highlight=True, highlight_color=rgba("#14231A", 50))


def polygons(geometry: dict):
    """The polygons (each a list of rings, the outer one first) of a Polygon or MultiPolygon geometry."""
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        yield from geometry["coordinates"]


def _segments(collection: dict) -> list[dict]:
    """Every edge of the collection's polygon rings as {a: [lon, lat], b: [lon, lat]}, a border two of them share
    once (half the data, and no line drawn twice)."""
    seen, out = set(), []
    for f in collection["features"]:
        for polygon in polygons(f["geometry"]):
            for ring in polygon:
                for a, b in zip(ring, ring[1:]):
                    edge = (a[0], a[1], b[0], b[1]) if a <= b else (b[0], b[1], a[0], a[1])
                    if edge not in seen:
                        seen.add(edge)
                        out.append({"a": a, "b": b})
    return out


@lru_cache(maxsize=4)
def _province_segments(path: str, mtime: float) -> tuple[dict, ...]:
    return tuple(_segments(_geojson(path, mtime)))


def outline_layer(layer_id: str, segments, colour: str, width: float) -> pdk.Layer:
    """Boundaries as straight segments (deck.gl's LineLayer) rather than paths (PathLayer, as a stroked GeoJsonLayer
    draws them). In software WebGL, as a projector laptop without a GPU driver or the browser tests run it, the
    page waits for the emulated GPU to compile each kind of layer's shaders before the map shows: the path shaders
    cost 1.3-1.5 s of a first visit to Peta, the line shaders about half as much (measured, scripts/bench_peta.py
    --browser). At one or two pixels wide the segments need no joins."""
    return pdk.Layer("LineLayer", list(segments), id=layer_id, get_source_position="a", get_target_position="b",
                     get_color=rgba(colour), get_width=width, width_units="'pixels'", pickable=False)


def province_outlines(ref_dir: Path | None = None) -> pdk.Layer:
    return outline_layer("garis-provinsi", _province_segments(*_boundary_file("batas_provinsi", ref_dir)),
                         PROVINCE_LINE, 1)


def regency_outlines(collection: dict) -> pdk.Layer:
    return outline_layer("garis-kabupaten", _segments(collection), REGENCY_LINE, 0.5)


# Province names over the map: offline (deck.gl draws them from a system font, no tiles), placed at the median
# of each province's register villages (always on land), largest first; a label that would overlap one
# already placed at this zoom is left out, so Java's small provinces give way at national zoom.
LABEL_SIZE = 13  # px: read from the back of a room on a projector


def _label_text(name: str) -> str:
    """Two lines for a long name (Kalimantan / Timur): narrower boxes, fewer labels dropped."""
    words = name.split()
    if len(name) <= 12 or len(words) < 2:
        return name
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


@lru_cache(maxsize=4)
def _province_anchors(ref_dir: str) -> tuple[tuple[str, str, float, float, int], ...]:
    """(province_code, label, lon, lat, villages) per province, most villages first."""
    pts = _register_points(Path(ref_dir))
    prov = reference.table("provinsi.csv", Path(ref_dir))
    names = dict(zip(prov["province_code"].astype(str).str.zfill(2), prov["name"]))
    grp = pts.assign(p=pts["regency_code"].str[:2]).groupby("p")
    med = grp[["lon", "lat"]].median().join(grp.size().rename("n")).sort_values("n", ascending=False)
    return tuple((p, _label_text(names.get(p, p)), round(float(r.lon), 4), round(float(r.lat), 4), int(r.n))
                 for p, r in med.iterrows())


def province_labels(view: pdk.ViewState, width: int = MAP_WIDTH, height: int = MAP_HEIGHT,
                    ref_dir: Path | None = None) -> list[dict]:
    """Labels that fit without overlapping at this view: [{name, lon, lat}], wholly inside a frame of
    width x height px (the narrowest the map is shown in, see MAP_WIDTH)."""
    frame = ViewFrame(view.longitude, view.latitude, view.zoom)
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for code, text, lon, lat, _ in _province_anchors(str(ref_dir or paths.reference_dir())):
        x, y = frame.xy(lon, lat)
        lines = text.split("\n")
        w = max(len(s) for s in lines) * LABEL_SIZE * 0.58 + 6
        h = len(lines) * LABEL_SIZE * 1.2 + 4
        box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        if abs(x) + w / 2 > width / 2 - 8 or abs(y) + h / 2 > height / 2 - 8:
            continue  # not wholly inside the frame: no name cut at its edge
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        out.append({"province_code": code, "name": text, "lon": lon, "lat": lat})
    return out


def label_layer(labels: list[dict]) -> pdk.Layer:
    return pdk.Layer("TextLayer", labels, id="label-provinsi", get_position=["lon", "lat"], get_text="name",
                     get_size=LABEL_SIZE, size_units="'pixels'", get_color=rgba(TEXT), font_weight=600,
                     font_family="'\"Source Sans\", \"Source Sans Pro\", \"Helvetica Neue\", Arial, sans-serif'",
                     font_settings={"sdf": True, "fontSize": 48, "buffer": 6}, outline_width=3,
                     outline_color=rgba("#FFFFFF", 235), line_height=1.0, get_text_anchor="'middle'",
                     get_alignment_baseline="'center'", pickable=False)


def village_layer(records: list[dict]) -> pdk.Layer:
    return pdk.Layer("ScatterplotLayer", records, id=LAYER_DESA, get_position=["lon", "lat"],
                     get_fill_color="color", get_radius="r", radius_units="'pixels'",
                     radius_min_pixels=3, stroked=True, get_line_color="line",
                     line_width_min_pixels=1, pickable=True, auto_highlight=True)


class CompactDeck(pdk.Deck):
    """A Deck whose JSON is compact (pydeck indents by 2, which triples GeoJSON) and built once."""

    _json: str | None = None

    def to_json(self) -> str:
        if self._json is None:
            self._json = json.dumps(self, separators=(",", ":"), default=default_serialize)
        return self._json


def tooltip(lang: str = "id") -> dict:
    html = "<b>{tt_judul}</b><br/>{tt_1}<br/>{tt_2}<br/>{tt_3}<br/>{tt_4}"
    return {"html": html, "style": {"backgroundColor": "#FFFFFF", "color": TEXT, "fontSize": "13px",
                                   "border": "1px solid #C9D3CC", "borderRadius": "4px", "padding": "6px 8px",
                                   "pointerEvents": "none"}}  # never under the pointer: a click must reach the map


def deck(regencies: pd.DataFrame, villages: pd.DataFrame | None, view: pdk.ViewState, lang: str = "id",
         tiles: bool = False, ref_dir: Path | None = None, regency_lines: bool = True,
         labels: bool = True, height: int = MAP_HEIGHT) -> CompactDeck:
    """The Peta map: sea and provinces (base, offline), regency choropleth, programme villages as points.

    `regencies`: peta_kabupaten rows to colour; `villages`: peta_desa rows to plot (already
    located, see split_located) or None for no points. `tiles=True` adds Carto tiles (online only)
    under the outlines instead of the bundled land/sea fill. `regency_lines=False` (the national map) draws
    regencies as fill only under the province outlines; `labels` adds the province names (not over tiles)
    that fit in a frame `height` px high.
    """
    layers = [] if tiles else [sea_layer()]
    if regency_lines and not tiles:  # nationally the regencies cover the land
        layers.append(province_layer(ref_dir))
    regions = regency_collection(regencies, lang, ref_dir)
    layers.append(regency_layer(regions))
    if regency_lines:
        layers.append(regency_outlines(regions))
    layers.append(province_outlines(ref_dir))  # over the regencies: where one province ends is always seen
    if villages is not None:
        layers.append(village_layer(village_records(villages, lang)))
    if labels and not tiles:  # tiles carry their own place names
        layers.append(label_layer(province_labels(view, height=height, ref_dir=ref_dir)))
    if tiles:
        return CompactDeck(layers=layers, initial_view_state=view, map_provider="carto", map_style=TILES_STYLE,
                           tooltip=tooltip(lang))
    return CompactDeck(layers=layers, initial_view_state=view, map_provider=None, tooltip=tooltip(lang))


# --- selection --------------------------------------------------------------------------------
def selected(event) -> tuple[str, str] | None:
    """(layer, code) of the object picked on the map: ('desa', village_code) or ('kabupaten', regency_code).

    `event` is what st.pydeck_chart(on_select="rerun") returns (or its plain dict form).
    """
    if not event:
        return None
    sel = event.get("selection") if hasattr(event, "get") else getattr(event, "selection", None)
    objects = (sel or {}).get("objects") or {}
    for obj in objects.get(LAYER_DESA) or []:
        if obj and obj.get("village_code"):
            return LAYER_DESA, obj["village_code"]
    for obj in objects.get(LAYER_KABUPATEN) or []:
        code = (obj or {}).get("properties", {}).get("regency_code") or (obj or {}).get("regency_code")
        if code:
            return LAYER_KABUPATEN, code
    return None


def legend_html(lang: str, counts: dict[str, int] | None, show_regencies: bool, show_points: bool) -> str:
    """Legend beside the map: status colours (with counts), the regency classes, what the point size means."""
    T = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    parts = ['<div style="font-size:0.9rem;line-height:1.7">']
    if show_points:
        parts.append(f'<div style="font-weight:600">{T("peta.legend_status")}</div>')
        for s in STATUSES:
            n = (counts or {}).get(s, 0)
            parts.append(
                f'<div><span style="display:inline-block;width:12px;height:12px;border-radius:50%;'
                f'background:{STATUS_COLORS[s]};border:1px solid #fff;box-shadow:0 0 0 1px #9aa59f;'
                f'margin-right:6px;vertical-align:middle"></span>{T("status." + s)} ({fmt.number(n, lang)})</div>')
        parts.append(f'<div style="color:{MUTED}">{T("peta.legend_size")}</div>')
    if show_regencies:
        parts.append(f'<div style="font-weight:600;margin-top:6px">{T("peta.legend_regency")}</div>')
        for color, label in share_bins_labels(lang):
            parts.append(
                f'<div><span style="display:inline-block;width:16px;height:12px;background:{color};'
                f'border:1px solid #B9C4BD;margin-right:6px;vertical-align:middle"></span>{label}</div>')
    parts.append("</div>")
    return "".join(parts)
