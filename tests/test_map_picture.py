"""Peta's first picture (desasadar/map_picture.py) on a tiny deck: each layer drawn in its colour where deck.gl's
Web Mercator view puts it (computed here independently: 512 px world at zoom 0, the view's centre in the middle)."""
from __future__ import annotations

import base64
import io
import math
import re

from PIL import Image

from desasadar import map_picture

SEA, RED, GREY, GREEN = [232, 241, 246, 255], [200, 30, 30, 255], [90, 90, 90, 255], [10, 120, 60, 255]
VIEW = {"longitude": 110.0, "latitude": -2.0, "zoom": 5.0}


def deck_xy(lon: float, lat: float, w: int, h: int) -> tuple[float, float]:
    scale = 512 * 2 ** VIEW["zoom"]

    def y(la):
        return (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2 * scale

    return w / 2 + (lon - VIEW["longitude"]) / 360 * scale, h / 2 + y(lat) - y(VIEW["latitude"])


def spec() -> dict:
    square = [[108.0, -1.0], [109.0, -1.0], [109.0, 0.0], [108.0, 0.0], [108.0, -1.0]]
    return {"initialViewState": VIEW, "layers": [
        {"@@type": "PolygonLayer", "id": "laut", "getFillColor": SEA,
         "data": [{"polygon": [[-180, -85], [180, -85], [180, 85], [-180, 85]]}]},
        {"@@type": "GeoJsonLayer", "id": "kabupaten", "filled": True, "getFillColor": "@@=properties.fill",
         "data": {"type": "FeatureCollection", "features": [
             {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square]},
              "properties": {"fill": RED}}]}},
        {"@@type": "LineLayer", "id": "garis", "getColor": GREY,
         "data": [{"a": [111.0, -3.0], "b": [113.0, -3.0]}]},
        {"@@type": "ScatterplotLayer", "id": "desa", "radiusMinPixels": 3,
         "data": [{"lon": 112.0, "lat": 0.0, "r": 6, "color": GREEN, "line": [255, 255, 255, 255]}]},
    ]}


def test_each_layer_is_drawn_where_the_deck_draws_it():
    w, h = 400, 300
    im = Image.open(io.BytesIO(map_picture.picture(spec(), h, width=w))).convert("RGB")
    assert im.size == (w, h)
    assert im.getpixel((5, 5)) == tuple(SEA[:3])  # the sea everywhere else
    x, y = deck_xy(108.5, -0.5, w, h)  # inside the square
    assert im.getpixel((round(x), round(y))) == tuple(RED[:3])
    x0, _ = deck_xy(108.0, -0.5, w, h)  # just outside its west edge: sea
    assert im.getpixel((round(x0) - 2, round(y))) == tuple(SEA[:3])
    x, y = deck_xy(112.0, -3.0, w, h)  # on the line (1 px wide: within half a pixel of it)
    assert tuple(GREY[:3]) in {im.getpixel((round(x), math.floor(y) + d)) for d in (0, 1)}
    assert im.getpixel((round(x), round(y) + 3)) == tuple(SEA[:3])
    x, y = deck_xy(112.0, 0.0, w, h)  # the village's point
    assert im.getpixel((round(x), round(y))) == tuple(GREEN[:3])


def test_a_hole_shows_what_is_under_it():
    """A regency's hole (a lake, or an enclave drawn as its own feature) is not filled with the regency's colour."""
    s = spec()
    outer = [[108.0, -1.0], [110.0, -1.0], [110.0, 1.0], [108.0, 1.0], [108.0, -1.0]]
    hole = [[108.5, -0.5], [108.5, 0.5], [109.5, 0.5], [109.5, -0.5], [108.5, -0.5]]
    s["layers"][1]["data"]["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [outer, hole]}
    w, h = 400, 300
    im = Image.open(io.BytesIO(map_picture.picture(s, h, width=w))).convert("RGB")
    x, y = deck_xy(109.0, 0.0, w, h)  # the hole's middle: the sea
    assert im.getpixel((round(x), round(y))) == tuple(SEA[:3])
    x, y = deck_xy(108.25, 0.0, w, h)  # between the outer ring and the hole: the regency
    assert im.getpixel((round(x), round(y))) == tuple(RED[:3])


def test_labels_are_drawn_in_the_deck_font_and_colour():
    s = spec()
    s["layers"].append({"@@type": "TextLayer", "id": "label", "getSize": 13, "fontWeight": 600,
                        "getColor": [20, 35, 26, 255], "outlineColor": [255, 255, 255, 235], "lineHeight": 1.0,
                        "data": [{"lon": 110.0, "lat": -2.0, "name": "Kepulauan\nRiau"}]})
    im = Image.open(io.BytesIO(map_picture.picture(s, 300, width=400))).convert("RGB")
    around = im.crop((150, 130, 250, 170))  # the label sits on the view's centre
    assert any(r < 60 and g < 70 and b < 60 for r, g, b in around.get_flattened_data())  # dark text
    assert im.crop((0, 0, 100, 60)).getcolors() == [(6000, tuple(SEA[:3]))]  # nothing else


def test_css_shows_the_picture_in_the_frame_until_the_deck_draws():
    css = map_picture.css(spec(), "peta-bingkai", 242, "#E8F1F6")
    assert css.startswith("<style>") and ".st-key-peta-bingkai {background: #E8F1F6 url(data:image/png;base64," in css
    assert f"center / {map_picture.WIDTH}px 242px no-repeat" in css
    assert ".st-key-peta-bingkai [data-testid='stSkeleton'] {opacity: 0}" in css  # not a grey box over it
    # a canvas deck.gl has not measured yet (no size of its own, or the default 300 x 150) is not shown over it
    assert (".st-key-peta-bingkai canvas:not([width]), .st-key-peta-bingkai canvas[width='300'][height='150'] "
            "{visibility: hidden}") in css
    png = base64.b64decode(re.search(r"base64,([^)]+)\)", css).group(1))
    assert Image.open(io.BytesIO(png)).size == (map_picture.WIDTH, 242)
