"""desasadar.maps: pure pydeck builders (offline base map, view fitting, layers, selection, size budget)."""
from __future__ import annotations

import json
import math
import re

import pandas as pd
import pytest

from desasadar import db, maps
from desasadar.scope import Scope

TANJUNG_PINANG = ["21.01", "21.04", "21.72"]  # Bintan, Lingga, Kota Tanjung Pinang


def ring_edges(features) -> set:
    """Each edge of the features' polygon rings, as an unordered pair of points."""
    out = set()
    for f in features:
        g = f["geometry"]
        for poly in g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]:
            for ring in poly:
                out |= {frozenset((tuple(a), tuple(b))) for a, b in zip(ring, ring[1:])}
    return out


def segment_edges(segments) -> set:
    return {frozenset((tuple(s["a"]), tuple(s["b"]))) for s in segments}


def viewport(view, width=maps.MAP_WIDTH, height=maps.MAP_HEIGHT):
    """(west, south, east, north) seen by a deck.gl MapView of width x height px."""
    scale = 512 * 2 ** view.zoom
    cx = (view.longitude + 180) / 360
    cy = maps._merc_y(view.latitude)
    return (cx * 360 - 180 - width / 2 / scale * 360, maps._merc_lat(cy + height / 2 / scale),
            cx * 360 - 180 + width / 2 / scale * 360, maps._merc_lat(cy - height / 2 / scale))


def contains(outer, inner) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and outer[2] >= inner[2] and outer[3] >= inner[3]


def village_rows(**over) -> pd.DataFrame:
    base = dict(village_code="21.01.10.2002", village_name="Ekang Anculai", kind="desa", district_name="Teluk Sebong",
                regency_code="21.01", regency_name="Kabupaten Bintan", province_name="Kepulauan Riau",
                branch_code="tanjung-pinang", branch_name="Tanjung Pinang", status="certified",
                status_on=pd.Timestamp("2018-08-01").date(), certified_seq_national=411, participants_active=166,
                aparatur_active=19, lat=1.101892, lon=104.387995, lokasi_cek=None)
    base.update(over)
    return pd.DataFrame([base])


def regency_rows() -> pd.DataFrame:
    return pd.DataFrame([dict(regency_code=c, regency_name=n, province_name="Kepulauan Riau", villages=v, certified=k,
                              verified=0, proposed=p, revoked=0, participants_certified=0)
                         for c, n, v, k, p in [("21.01", "Kabupaten Bintan", 51, 3, 1),
                                               ("21.04", "Kabupaten Lingga", 84, 1, 0),
                                               ("21.72", "Kota Tanjung Pinang", 18, 0, 0)]])


# --- view -------------------------------------------------------------------------------------
def test_national_view_shows_all_of_indonesia():
    bounds = maps.indonesia_bounds()
    assert bounds[0] < 96 and bounds[2] > 140 and bounds[1] < -10 and bounds[3] > 5
    view = maps.fit_view(bounds)
    assert contains(viewport(view), bounds)
    assert 3 < view.zoom < 5


def test_branch_view_fits_its_regencies_and_zooms_in():
    bounds = maps.scope_bounds(TANJUNG_PINANG)
    feats, each = maps.regency_features()
    # Kota Tanjung Pinang whole, Bintan island and Lingga's villages; Bintan's Tambelan islands
    # (about 107.4 E), 300 km away, are left out so the populated part is not squeezed into a corner
    assert contains(bounds, each["21.72"])
    assert bounds[0] < 104.2 and bounds[2] < 105.5 and bounds[1] < -0.2 and bounds[3] > 1.1
    view = maps.fit_view(bounds)
    seen = viewport(view)
    assert contains(seen, bounds)
    # Ekang Anculai and Tanjung Pinang city are in view; Jakarta is not
    assert seen[0] < 104.39 < seen[2] and seen[1] < 1.10 < seen[3]
    assert not (seen[0] < 106.8 < seen[2] and seen[1] < -6.2 < seen[3])
    assert view.zoom > maps.fit_view(maps.indonesia_bounds()).zoom + 2


def test_unknown_scope_falls_back_to_indonesia():
    assert maps.scope_bounds([]) == maps.indonesia_bounds()
    assert maps.scope_bounds(["99.99"]) == maps.indonesia_bounds()


def test_fit_view_is_tight_on_the_limiting_side():
    view = maps.fit_view((100.0, -1.0, 110.0, 1.0), width=800, height=400, padding=0)
    w = viewport(view, 800, 400)
    assert math.isclose(w[2] - w[0], 10.0, rel_tol=4e-3)  # zoom is rounded to 0.01


# --- offline first ----------------------------------------------------------------------------
def test_offline_deck_has_no_style_and_no_urls():
    d = maps.deck(regency_rows(), village_rows(), maps.fit_view(maps.scope_bounds(TANJUNG_PINANG)))
    spec = json.loads(d.to_json())
    # Streamlit drops the base map only for pydeck's sentinel; a missing mapStyle would pull Carto tiles
    assert spec["mapStyle"] == "__MAP_STYLE__"
    assert "mapProvider" not in spec
    assert re.findall(r"https?://[^\"\s]+", d.to_json()) == []  # no URL: nothing fetched


def test_tiles_are_opt_in():
    d = maps.deck(regency_rows(), None, maps.fit_view(maps.indonesia_bounds()), tiles=True)
    spec = json.loads(d.to_json())
    assert spec["mapProvider"] == "carto" and "cartocdn" in spec["mapStyle"]
    # outlines over the tiles, no land fill and no own labels
    assert [lyr["id"] for lyr in spec["layers"]] == ["kabupaten", "garis-kabupaten", "garis-provinsi"]


def test_layers_and_points():
    d = maps.deck(regency_rows(), village_rows(), maps.fit_view(maps.scope_bounds(TANJUNG_PINANG)))
    spec = json.loads(d.to_json())
    assert [lyr["id"] for lyr in spec["layers"]] == ["laut", "provinsi", "kabupaten", "garis-kabupaten",
                                                     "garis-provinsi", "desa", "label-provinsi"]
    by_id = {lyr["id"]: lyr for lyr in spec["layers"]}
    assert len(by_id["provinsi"]["data"]["features"]) == 38 and not by_id["provinsi"]["stroked"]
    assert [f["properties"]["regency_code"] for f in by_id["kabupaten"]["data"]["features"]] == TANJUNG_PINANG
    assert not by_id["kabupaten"]["stroked"] and by_id["desa"]["radiusUnits"] == "pixels"
    # the outlines: each edge of the scope's regencies' rings once, in pixels, never picked
    lines = by_id["garis-kabupaten"]
    assert lines["@@type"] == "LineLayer" and lines["widthUnits"] == "pixels" and not lines["pickable"]
    assert segment_edges(lines["data"]) == ring_edges(by_id["kabupaten"]["data"]["features"])
    assert len(lines["data"]) == len(ring_edges(by_id["kabupaten"]["data"]["features"])) > 100
    [pt] = by_id["desa"]["data"]
    assert pt["village_code"] == "21.01.10.2002" and pt["color"][:3] == [11, 122, 62]
    assert pt["tt_judul"] == "Desa Ekang Anculai"
    assert pt["tt_3"] == "Tersertifikasi · 1 Agustus 2018" and pt["tt_4"] == "166 peserta aktif"
    assert not by_id["provinsi"]["pickable"] and by_id["desa"]["pickable"]
    # every pickable object carries every tooltip field (a missing one would show as "{tt_4}")
    for obj in [pt] + [f["properties"] for f in by_id["kabupaten"]["data"]["features"]]:
        assert set(maps.TOOLTIP_KEYS) <= set(obj)


def test_tooltips_follow_the_language():
    d = maps.deck(regency_rows(), village_rows(kind="kelurahan"), maps.fit_view(maps.indonesia_bounds()), "en")
    spec = json.loads(d.to_json())
    by_id = {lyr["id"]: lyr for lyr in spec["layers"]}
    pt = by_id["desa"]["data"][0]
    assert pt["tt_judul"] == "Urban village Ekang Anculai"
    assert pt["tt_3"] == "Certified · 1 August 2018" and pt["tt_4"] == "166 active participants"
    bintan = by_id["kabupaten"]["data"]["features"][0]["properties"]
    assert bintan["tt_2"] == "3 certified villages (5.9% of its villages)"
    assert bintan["tt_3"] == "1 in progress (proposed/verified)"
    lingga = by_id["kabupaten"]["data"]["features"][1]["properties"]
    assert lingga["tt_2"] == "1 certified village (1.2% of its villages)"


def test_status_colours_and_radius():
    for status in maps.STATUSES:
        d = maps.village_records(village_rows(status=status), "id")[0]
        assert d["color"][:3] == maps.rgba(maps.STATUS_COLORS[status])[:3]
    radii = [maps.radius_px(p) for p in (0, 10, 100, 1000, 10_000, None)]
    assert radii[0] == 3.0 and radii[-1] == 3.0
    assert radii[:5] == sorted(radii[:5]) and radii[4] == 18.0


def test_certified_classes():
    c = [color for _, color in maps.CERTIFIED_BINS]
    assert [maps.certified_color(n) for n in (0, 1, 2, 3, 4, 6, 7, 18)] == [c[0], c[1], c[2], c[2], c[3], c[3], c[4], c[4]]
    assert [label for _, label in maps.certified_bins_labels("id")] == ["0", "1", "2–3", "4–6", "≥ 7"]


def test_share_bands():
    # regencies shaded by the share of their villages certified (Bintan 3 of 51 = 5.9%: the top band)
    c = [color for _, color in maps.SHARE_BINS]
    shares = [(0, 51), (1, 200), (1, 100), (2, 81), (1, 40), (3, 60), (3, 51), (18, 18)]
    assert [maps.share_color(k, v) for k, v in shares] == [c[0], c[1], c[2], c[2], c[3], c[4], c[4], c[4]]
    assert maps.share_color(0, 0) == c[0]
    assert [label for _, label in maps.share_bins_labels("id")] == ["0", "< 1%", "1%–2,5%", "2,5%–5%", "≥ 5%"]
    fills = [f["properties"]["fill"][:3] for f in maps.regency_collection(regency_rows())["features"]]
    assert fills == [maps.rgba(c[4])[:3], maps.rgba(c[2])[:3], maps.rgba(c[0])[:3]]


def test_split_located():
    rows = pd.concat([village_rows(), village_rows(village_code="21.01.10.2001", lokasi_cek="luar_provinsi")])
    plotted, check = maps.split_located(rows)
    assert list(plotted.village_code) == ["21.01.10.2002"] and list(check.village_code) == ["21.01.10.2001"]
    # an approximate point is drawn (hollow, "lokasi perkiraan") and listed for checking
    approx = pd.concat([rows, village_rows(village_code="21.01.10.2003", lokasi_cek="jauh_dari_kecamatan")])
    plotted, check = maps.split_located(approx)
    assert "21.01.10.2003" in set(plotted.village_code) and "21.01.10.2003" in set(check.village_code)
    rec = {r["village_code"]: r for r in maps.village_records(plotted, "id")}
    assert rec["21.01.10.2003"]["line"] != rec["21.01.10.2002"]["line"]
    assert rec["21.01.10.2003"]["tt_judul"].endswith("lokasi perkiraan")


# --- selection --------------------------------------------------------------------------------
def test_selected_village_and_regency():
    assert maps.selected(None) is None
    assert maps.selected({"selection": {"indices": {}, "objects": {}}}) is None
    village = {"selection": {"indices": {"desa": [0]}, "objects": {"desa": [{"village_code": "21.01.10.2002"}]}}}
    assert maps.selected(village) == ("desa", "21.01.10.2002")
    regency = {"selection": {"indices": {"kabupaten": [1]},
                             "objects": {"kabupaten": [{"type": "Feature", "properties": {"regency_code": "21.04"}}]}}}
    assert maps.selected(regency) == ("kabupaten", "21.04")

    class Event:  # st.pydeck_chart returns an attribute-style state
        selection = village["selection"]
    assert maps.selected(Event()) == ("desa", "21.01.10.2002")


def test_legend():
    html = maps.legend_html("id", {"certified": 4, "proposed": 1}, show_regencies=True, show_points=True)
    assert "Tersertifikasi (4)" in html and "Diusulkan (1)" in html and "Dicabut (0)" in html
    assert maps.STATUS_COLORS["certified"] in html and "≥ 5%" in html
    assert "Tersertifikasi" not in maps.legend_html("id", None, show_regencies=True, show_points=False)


# --- budget on the demo data --------------------------------------------------------------------
@pytest.mark.parametrize("points", [False, True])
def test_national_deck_json_under_2_mb(demo_env, points):
    kab = db.run("peta_kabupaten", Scope.national(), "2018-12-31")
    plotted, _ = maps.split_located(db.run("peta_desa", Scope.national(), "2018-12-31"))
    d = maps.deck(kab, plotted if points else None, maps.fit_view(maps.indonesia_bounds()))
    spec = d.to_json()
    assert len(spec.encode()) < 2_000_000
    by_id = {lyr["id"]: lyr for lyr in json.loads(spec)["layers"]}
    assert len(by_id["kabupaten"]["data"]["features"]) == 514 and len(by_id["garis-kabupaten"]["data"]) > 15000
    if points:
        assert len(by_id["desa"]["data"]) == len(plotted) > 400


def test_view_always_shows_the_programme_villages():
    far = pd.DataFrame({"lon": [107.45], "lat": [0.95]})  # a village on Tambelan
    bounds = maps.with_points(maps.scope_bounds(TANJUNG_PINANG), far)
    assert bounds[2] > 107.45
    assert maps.with_points((1.0, 2.0, 3.0, 4.0), far.iloc[0:0]) == (1.0, 2.0, 3.0, 4.0)


def test_national_regencies_are_fill_only_under_province_outlines():
    """Nationally the regency layer is picked without its 514 outlines (a click must be handled in < 250 ms
    to count as one in deck.gl); the province outlines are drawn over it and picked never."""
    d = maps.deck(regency_rows(), None, maps.fit_view(maps.indonesia_bounds()), regency_lines=False)
    spec = json.loads(d.to_json())
    assert [lyr["id"] for lyr in spec["layers"]] == ["laut", "kabupaten", "garis-provinsi", "label-provinsi"]
    by_id = {lyr["id"]: lyr for lyr in spec["layers"]}
    assert by_id["kabupaten"]["pickable"] and not by_id["kabupaten"]["stroked"]
    outlines = by_id["garis-provinsi"]
    assert outlines["@@type"] == "LineLayer" and not outlines["pickable"]
    # every edge of the 38 provinces' rings once: a border two provinces share is one segment
    provinces = ring_edges(maps.boundaries("batas_provinsi")["features"])
    assert segment_edges(outlines["data"]) == provinces and len(outlines["data"]) == len(provinces) > 4000


def test_province_labels_do_not_overlap_and_stay_in_the_frame():
    view = maps.fit_view(maps.indonesia_bounds(), height=maps.national_height())
    labels = maps.province_labels(view, height=maps.national_height())
    names = [lb["name"] for lb in labels]
    # the biggest provinces by villages are named; small neighbours give way rather than overlap
    assert "Jawa Tengah" in names and "Aceh" in names and "Sumatera\nUtara" in names
    assert 8 <= len(labels) < 38
    scale = 512 * 2 ** view.zoom
    boxes = []
    for lb in labels:
        x = (lb["lon"] - view.longitude) / 360 * scale
        y = (maps._merc_y(lb["lat"]) - maps._merc_y(view.latitude)) * scale
        w = max(len(s) for s in lb["name"].split("\n")) * maps.LABEL_SIZE * 0.58
        h = len(lb["name"].split("\n")) * maps.LABEL_SIZE * 1.2
        boxes.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
        assert abs(x) < maps.MAP_WIDTH / 2 and abs(y) < maps.national_height() / 2, lb
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    # a Kanwil's view names its own provinces
    sumbarriau = maps.fit_view((95.0, -3.5, 109.0, 4.8))
    assert {"Sumatera\nBarat", "Riau", "Kepulauan\nRiau"} <= {lb["name"] for lb in maps.province_labels(sumbarriau)}


def test_labels_are_drawn_offline_as_text():
    d = maps.deck(regency_rows(), None, maps.fit_view(maps.indonesia_bounds()))
    spec = json.loads(d.to_json())
    [lbl] = [lyr for lyr in spec["layers"] if lyr["id"] == "label-provinsi"]
    assert lbl["@@type"] == "TextLayer" and not lbl["pickable"] and lbl["getSize"] == maps.LABEL_SIZE
    assert re.findall(r"https?://[^\"\s]+", d.to_json()) == []  # no font or tile URL: nothing fetched
