"""The map's first picture: the deck Peta draws, as a PNG drawn on the server, shown in the map's frame until
the browser's WebGL has drawn the deck over it.

Why: in software WebGL (a projector laptop without a usable GPU, the browser tests' chromium) the page waits
1-1.5 s after the map's last draw call for the emulated GPU to compile the layers' shaders (fill, lines, text:
measured, issue 20), and the map's JavaScript is a few MB on a slow line. The picture is in the page with the
script's answer, so the map is seen at once; the deck, drawn over it, then answers hover and clicks.

Drawn from the deck's own JSON (its layers, colours, view), so it is the same map: Web Mercator at the deck's
zoom, centred where deck.gl centres its view (the frame's centre, whatever the frame's width). Outside the
picture the frame shows the sea's colour, as the deck does (its sea covers the world).
"""
from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path

import streamlit
from PIL import Image, ImageDraw, ImageFont

from . import maps
from .export import fonts

WIDTH = 1600  # px the picture spans: the widest map column (a 2560 px screen); the sea colour beyond
HALO = 2  # px of the labels' white outline (the deck's outlineWidth 3 of its SDF buffer, as seen on screen)


@lru_cache(maxsize=8)
def _label_font(size: int, weight: int) -> ImageFont.FreeTypeFont:
    """The deck's label font: the page's own Source Sans (the variable font Streamlit ships), at the deck's weight,
    so the names do not change when the deck is drawn over the picture; a system font where it is missing."""
    media = Path(streamlit.__file__).parent / "static" / "static" / "media"
    for path in sorted(media.glob("SourceSansVF-Upright*")):
        try:
            font = ImageFont.truetype(str(path), size)
            font.set_variation_by_axes([weight])
            return font
        except (OSError, ValueError):
            break  # a FreeType without WOFF2 or variable fonts
    return fonts.font(size, bold=weight >= 600)[0]


def _rgba(colour) -> tuple[int, ...]:
    c = [int(v) for v in colour]
    return tuple(c + [255] * (4 - len(c)))


def _fill(im: Image.Image, draw: ImageDraw.ImageDraw, frame: maps.ViewFrame, rings: list, colour: tuple) -> None:
    outer = [frame.xy(x, y) for x, y in rings[0]]
    if len(outer) < 3:
        return
    if len(rings) == 1:
        draw.polygon(outer, fill=colour)
        return
    # holes (a lake; an enclave drawn as a feature of its own): the colour goes through a mask of the outer ring
    # with the holes cut out, over the polygon's box within the picture
    x0, y0 = max(int(min(x for x, _ in outer)), 0), max(int(min(y for _, y in outer)), 0)
    x1, y1 = min(int(max(x for x, _ in outer)) + 2, im.width), min(int(max(y for _, y in outer)) + 2, im.height)
    if x1 <= x0 or y1 <= y0:
        return
    mask = Image.new("L", (x1 - x0, y1 - y0), 0)
    cut = ImageDraw.Draw(mask)
    cut.polygon([(x - x0, y - y0) for x, y in outer], fill=colour[3])
    for hole in rings[1:]:
        pts = [frame.xy(x, y) for x, y in hole]
        if len(pts) >= 3:
            cut.polygon([(x - x0, y - y0) for x, y in pts], fill=0)
    im.paste(colour[:3], (x0, y0, x1, y1), mask)


def _layer(im: Image.Image, draw: ImageDraw.ImageDraw, frame: maps.ViewFrame, layer: dict) -> None:
    kind, data = layer.get("@@type"), layer.get("data")
    if kind == "PolygonLayer":
        colour = _rgba(layer["getFillColor"])
        for row in data:
            _fill(im, draw, frame, [row["polygon"]], colour)
    elif kind == "GeoJsonLayer" and layer.get("filled", True):
        fixed = layer.get("getFillColor")
        for f in data["features"]:
            colour = _rgba(f["properties"]["fill"] if isinstance(fixed, str) else fixed)
            for poly in maps.polygons(f["geometry"]):
                _fill(im, draw, frame, poly, colour)
    elif kind == "LineLayer":
        colour = _rgba(layer["getColor"])
        for seg in data:
            draw.line([frame.xy(*seg["a"]), frame.xy(*seg["b"])], fill=colour, width=1)
    elif kind == "ScatterplotLayer":
        for row in data:
            x, y = frame.xy(row["lon"], row["lat"])
            r = max(float(row["r"]), float(layer.get("radiusMinPixels", 0)))
            draw.ellipse([x - r, y - r, x + r, y + r], fill=_rgba(row["color"]), outline=_rgba(row["line"]))
    elif kind == "TextLayer":
        size = float(layer["getSize"])
        # deck.gl's SDF glyphs come out about 8% smaller than the font at the same size (compared on screen)
        font = _label_font(round(size * 0.92), int(layer.get("fontWeight", 400)))
        colour, halo = _rgba(layer["getColor"]), _rgba(layer.get("outlineColor", [255, 255, 255, 255]))
        pitch = size * float(layer.get("lineHeight", 1.0))  # lines this far apart, as the deck sets them
        for row in data:
            x, y = frame.xy(row["lon"], row["lat"])
            lines = row["name"].split("\n")
            for i, line in enumerate(lines):
                draw.text((x, y + (i - (len(lines) - 1) / 2) * pitch), line, font=font, fill=colour, anchor="mm",
                          stroke_width=HALO, stroke_fill=halo)


def picture(spec: dict, height: int, width: int = WIDTH) -> bytes:
    """The deck `spec` (a CompactDeck's JSON, parsed) drawn as a PNG of width x height px."""
    view = spec["initialViewState"]
    frame = maps.ViewFrame(view["longitude"], view["latitude"], view["zoom"], width, height)
    im = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(im, "RGBA")  # blends each fill over what is under it, as the deck's alpha does
    for layer in spec["layers"]:
        _layer(im, draw, frame, layer)
    out = io.BytesIO()
    im.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def css(spec: dict, key: str, height: int, sea: str) -> str:
    """A <style> that shows the picture in the frame of the container `key` (st.container(key=...)) until the
    deck has drawn over it: centred as the deck's view is, the sea's colour around it, and the chart's loading
    skeleton made transparent so the picture is what is seen while the map's code loads. deck.gl sometimes draws a
    first frame before it has measured its canvas (the canvas's default 300 x 150 px, stretched over the frame: a
    blurred, wrongly framed map until the next frame); a canvas of that size stays hidden, the picture in its place."""
    png = base64.b64encode(picture(spec, height)).decode()
    return (f"<style>.st-key-{key} {{background: {sea} url(data:image/png;base64,{png}) center / "
            f"{WIDTH}px {height}px no-repeat; min-height: {height}px}} "
            f".st-key-{key} [data-testid='stSkeleton'] {{opacity: 0}} "
            f".st-key-{key} canvas:not([width]), .st-key-{key} canvas[width='300'][height='150'] {{visibility: hidden}}</style>")
