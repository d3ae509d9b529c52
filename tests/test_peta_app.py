"""The Peta page in AppTest: layers, points = programme villages of the query, selection, bad locations."""
from __future__ import annotations

import base64
import io
import json
import re
import shutil
from datetime import date

import pandas as pd
import pytest
from PIL import Image

from desasadar import db, map_picture, maps, paths
from desasadar.scope import Scope

from .conftest import app
from .helpers import publish, village

EKANG = "21.01.10.2002"
TP = Scope.of(branches=["tanjung-pinang"])


def open_peta(**params):
    """The Peta page with the shell's filters (and ?desa=) from the URL.

    AppTest's switch_page drops the URL, so the parameters are set again on the page itself."""
    at = app()
    at.run()
    at.switch_page("pages/peta.py").run()
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def chart(at):
    [el] = at.get("deck_gl_json_chart")
    return el


def spec(at) -> dict:
    return json.loads(chart(at).proto.json)


def layers(at) -> dict:
    return {lyr["id"]: lyr for lyr in spec(at)["layers"]}


def select(at, selection: dict):
    """Send a map selection as the browser would (AppTest cannot click a pydeck chart).

    The chart's widget state is the JSON string the frontend sends; it goes through Streamlit's
    own deserializer into the value st.pydeck_chart returns to the page."""
    el = chart(at)
    states = at._tree.get_widget_states()
    w = states.widgets.add()
    w.id = el.proto.id
    w.string_value = json.dumps({"selection": selection})
    at._run(states)
    assert not at.exception, at.exception
    return at


def test_branch_view_layers_and_points(make_app):
    at = open_peta(snapshot="2018-08-01", cabang="tanjung-pinang")
    lyr = layers(at)
    assert list(lyr) == ["laut", "provinsi", "kabupaten", "garis-kabupaten", "garis-provinsi", "desa", "label-provinsi"]
    assert spec(at)["mapStyle"] == "__MAP_STYLE__"  # offline: no tiles
    expected = db.run("peta_desa", TP, "2018-08-01")
    expected = expected[expected.lokasi_cek.isna()]
    assert len(lyr["desa"]["data"]) == len(expected) >= 3
    assert sorted(p["village_code"] for p in lyr["desa"]["data"]) == sorted(expected.village_code)
    assert sorted(f["properties"]["regency_code"] for f in lyr["kabupaten"]["data"]["features"]) == [
        "21.01", "21.04", "21.72"]
    # the view is fitted to Kota Tanjung Pinang, Bintan and Lingga
    view = spec(at)["initialViewState"]
    assert 103.5 < view["longitude"] < 107 and -1 < view["latitude"] < 1.5 and view["zoom"] > 6
    # selection is on: single object
    assert list(chart(at).proto.selection_mode) == [0]
    certified = int((expected.status == "certified").sum())
    assert any(f"Tersertifikasi ({certified})" in h.proto.body for h in at.get("html"))
    assert any(f"{len(expected)} titik di peta" in c.value for c in at.caption)
    assert not [e for e in at.expander if e.label.startswith("Lokasi perlu dicek")]  # every point is plottable
    # the map's content as tables (keyboard, screen readers): one row per point, the regencies with villages;
    # drawn once the expander is opened
    [tables] = [e for e in at.expander if e.label == "Isi peta sebagai tabel"]
    assert not tables.dataframe
    at.session_state["peta_tables_open"] = True
    at.run()
    [tables] = [e for e in at.expander if e.label == "Isi peta sebagai tabel"]
    villages, regencies = tables.dataframe
    assert len(villages.value) == len(expected)
    assert sorted(villages.value["Desa"]) == sorted(expected.village_name)
    assert set(regencies.value["Kabupaten/Kota"]) == set(expected.regency_name)
    assert regencies.value["Desa tersertifikasi"].sum() == certified


def test_national_view_regencies_then_points(make_app):
    at = open_peta(snapshot="2018-08-01")
    lyr = layers(at)
    assert list(lyr) == ["laut", "kabupaten", "garis-provinsi", "label-provinsi"]  # aggregated at national zoom
    assert len(lyr["kabupaten"]["data"]["features"]) == 514
    assert len(chart(at).proto.json.encode()) < 2_000_000
    view = spec(at)["initialViewState"]
    assert 3 < view["zoom"] < 5
    at.toggle(key="peta_points_national").set_value(True).run()
    lyr = layers(at)
    programme = db.run("peta_desa", Scope.national(), "2018-08-01")
    # villages on an approximate point are drawn too (hollow); only impossible points are left out
    assert len(lyr["desa"]["data"]) == len(programme[~programme.lokasi_cek.isin(maps.NOT_DRAWN)]) > 411
    assert len(chart(at).proto.json.encode()) < 2_000_000


def test_selecting_a_village_shows_its_summary_and_links(make_app):
    at = open_peta(snapshot="2018-08-01", cabang="tanjung-pinang")
    points = layers(at)["desa"]["data"]
    i = next(k for k, p in enumerate(points) if p["village_code"] == EKANG)
    assert not at.header  # nothing selected yet
    select(at, {"indices": {"desa": [i]}, "objects": {"desa": [points[i]]}})
    assert [s.value for s in at.header] == ["Desa Ekang Anculai"]
    assert any("ke-411" in m.value for m in at.markdown)
    ekang = db.run("peta_desa", TP, "2018-08-01").set_index("village_code").loc[EKANG]
    assert [m.value for m in at.metric] == [str(ekang.participants_active), str(ekang.aparatur_active)]
    links = at.get("page_link")
    assert [ln.proto.page for ln in links] == ["desa"] + (["peresmian"] if (paths.ROOT / "pages/peresmian.py").exists() else [])
    assert all(f"desa={EKANG}" in ln.proto.query_string for ln in links)


def test_selecting_a_regency(make_app):
    at = open_peta(snapshot="2018-08-01")
    feats = layers(at)["kabupaten"]["data"]["features"]
    i = next(k for k, f in enumerate(feats) if f["properties"]["regency_code"] == "21.01")
    select(at, {"indices": {"kabupaten": [i]}, "objects": {"kabupaten": [feats[i]]}})
    assert [s.value for s in at.header] == ["Kabupaten Bintan"]
    bintan = db.run("peta_kabupaten", Scope.national(), "2018-08-01").set_index("regency_code").loc["21.01"]
    assert [m.value for m in at.metric][0] == str(bintan.certified) and bintan.certified >= 1


def test_link_with_desa_focuses_the_village(make_app):
    at = open_peta(snapshot="2018-08-01", cabang="tanjung-pinang", desa=EKANG)
    view = spec(at)["initialViewState"]
    assert abs(view["longitude"] - 104.388) < 0.01 and abs(view["latitude"] - 1.102) < 0.01 and view["zoom"] > 9
    assert [s.value for s in at.header] == ["Desa Ekang Anculai"]


def test_a_village_opened_from_its_profile_shows_its_point_at_any_scope(make_app):
    """Nationally the village points start switched off; a village opened with ?desa= (the Desa page's link) is
    shown with its point, or the map zoomed in on it would show only its regency's colour."""
    at = open_peta(snapshot="2018-08-01")
    assert "desa" not in layers(at)
    at = open_peta(snapshot="2018-08-01", desa=EKANG)  # the page seen first without it, its points switched off
    assert at.toggle(key="peta_points_national_desa").value
    assert any(p["village_code"] == EKANG for p in layers(at)["desa"]["data"])
    assert spec(at)["initialViewState"]["zoom"] > 9


def test_english(make_app):
    at = open_peta(snapshot="2018-08-01", cabang="tanjung-pinang", lang="en")
    assert at.title[0].value == "Map of social-security-aware villages"
    ekang = next(p for p in layers(at)["desa"]["data"] if p["village_code"] == EKANG)
    assert ekang["tt_3"] == "Certified · 1 August 2018"
    assert spec(at).get("mapStyle") == "__MAP_STYLE__"


def test_tiles_toggle_is_opt_in(make_app):
    at = open_peta(snapshot="2018-08-01", cabang="tanjung-pinang")
    at.toggle(key="peta_tiles").set_value(True).run()
    assert "cartocdn" in spec(at)["mapStyle"]
    assert list(layers(at)) == ["kabupaten", "garis-kabupaten", "garis-provinsi", "desa"]


def first_picture(at) -> Image.Image | None:
    """The map's first picture (desasadar/map_picture.py) the page's style puts in the map's frame, if any."""
    css = [h.proto.body for h in at.get("html") if ".st-key-peta-bingkai {background" in h.proto.body]
    if not css:
        return None
    return Image.open(io.BytesIO(base64.b64decode(re.search(r"base64,([^)]+)\)", css[0]).group(1))))


def test_first_picture_of_each_map_until_webgl_draws(make_app):
    at = open_peta(snapshot="2018-08-01")
    national = first_picture(at)
    assert national.size == (map_picture.WIDTH, maps.national_height())
    # the regencies in their share bands' colours, drawn at the deck's alpha over the sea, are in it
    seen = {c for _, c in national.convert("RGB").getcolors(1 << 16)}
    sea, a = maps.rgba(maps.SEA)[:3], maps.FILL_ALPHA / 255
    for _, band in maps.SHARE_BINS[:2]:  # none certified, and some
        blend = tuple(round(c * a + s * (1 - a)) for c, s in zip(maps.rgba(band)[:3], sea))
        assert any(max(abs(x - y) for x, y in zip(blend, c)) <= 2 for c in seen), band
    at = open_peta(snapshot="2018-08-01", cabang="tanjung-pinang")
    assert first_picture(at).size == (map_picture.WIDTH, maps.MAP_HEIGHT)
    at.toggle(key="peta_tiles").set_value(True).run()
    assert first_picture(at) is None  # over online tiles there is no picture: it has no tiles to show


def test_the_frame_is_as_high_as_the_map_was_made_for(make_app, monkeypatch):
    """The chart's frame takes the height the deck's view and its first picture were made for: also for a ?desa=
    code that is not on the map, where the national map is shown (it was put in the focused map's taller frame,
    the picture centred over the sea)."""
    from streamlit.elements.deck_gl_json_chart import PydeckMixin

    heights = []
    original = PydeckMixin.pydeck_chart

    def noting(self, *args, **kwargs):
        heights.append(kwargs.get("height"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PydeckMixin, "pydeck_chart", noting)
    for params, height in (({}, maps.national_height()), ({"desa": "99.99.99.9999"}, maps.national_height()),
                           ({"desa": EKANG}, maps.MAP_HEIGHT), ({"cabang": "tanjung-pinang"}, maps.MAP_HEIGHT)):
        heights.clear()
        at = open_peta(snapshot="2018-08-01", **params)
        assert heights[-1] == height, params
        assert first_picture(at).size == (map_picture.WIDTH, height), params


def test_bad_locations_are_listed_not_plotted(data_dir):
    """A register that puts a programme village in Papua: not drawn, listed under the map by code."""
    ref = data_dir / "reference"
    shutil.copytree(paths.REPO_REFERENCE_DIR, ref)
    desa = pd.read_parquet(ref / "desa.parquet")
    desa.loc[desa.village_code == "21.01.10.2001", ["lat", "lon"]] = [-2.53, 140.70]
    desa.to_parquet(ref / "desa.parquet", index=False)
    pd.DataFrame({"village_code": ["21.01.10.2001"], "reason": ["luar_provinsi"]}).to_csv(
        ref / "desa_lokasi_cek.csv", index=False)
    publish(data_dir, date(2018, 8, 1), [
        village(EKANG, "certified", proposed_on=date(2018, 5, 1), verified_on=date(2018, 6, 1),
                certified_on=date(2018, 8, 1)),
        village("21.01.10.2001", "proposed", proposed_on=date(2018, 7, 1)),
    ])
    at = open_peta(cabang="tanjung-pinang")
    assert [p["village_code"] for p in layers(at)["desa"]["data"]] == [EKANG]
    [exp] = [e for e in at.expander if e.label.startswith("Lokasi perlu dicek")]
    assert exp.label == "Lokasi perlu dicek (1)"
    assert not exp.dataframe  # closed at first: the count is in its label
    at.session_state["peta_check_open"] = True
    at.run()
    [exp] = [e for e in at.expander if e.label.startswith("Lokasi perlu dicek")]
    [table] = exp.dataframe
    assert list(table.value.iloc[:, 0]) == ["21.01.10.2001"]
    assert list(table.value.iloc[:, -1]) == ["di luar provinsinya"]


@pytest.mark.parametrize("cabang", [None, "tanjung-pinang"])
def test_points_equal_the_query(make_app, cabang):
    """On the latest snapshot too: one point per programme village in scope (all are plottable)."""
    params = {"cabang": cabang} if cabang else {}
    at = open_peta(**params)
    if not cabang:
        at.toggle(key="peta_points_national").set_value(True).run()
    scope = TP if cabang else Scope.national()
    served = db.serve(None)
    expected = db.run("peta_desa", scope, served)
    assert len(layers(at)["desa"]["data"]) == len(maps.split_located(expected)[0]) == len(expected)
