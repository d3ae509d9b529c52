"""Provinsi and Kabupaten/kota filters in AppTest: a Bupati's link opens his kabupaten on every page, a code or
a name slug works, an unknown or out-of-scope place shows a note and falls back like the office filters."""
from __future__ import annotations

import pytest

from .conftest import app
from .test_access import AUTH, DEPUTY
from .test_peta_app import layers, open_peta

PAGES = ["pages/ringkasan.py", "pages/peringkat.py", "pages/peta.py", "pages/desa.py", "pages/peresmian.py"]


def stamp(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith(("Data per", "Data as of")))


def open_page(page: str, **query):
    """A page with shell filters from the URL (AppTest's switch_page drops the URL: set again on the page)."""
    at = app()
    at.run()
    at.switch_page(page).run()
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_a_kabupaten_link_opens_that_kabupaten_on_every_page(make_app, page):
    at = open_page(page, kabupaten="kabupaten-bintan", snapshot="2018-08-01")
    assert stamp(at).endswith("· Kabupaten Bintan")
    assert at.selectbox(key="f_provinsi").value == "21" and at.selectbox(key="f_kabupaten").value == "21.01"
    assert at.query_params["kabupaten"] == "kabupaten-bintan" and "provinsi" not in at.query_params


def test_a_code_works_and_the_url_gets_the_name(make_app):
    at = open_page("pages/ringkasan.py", kabupaten="21.01", snapshot="2018-08-01")
    assert stamp(at).endswith("· Kabupaten Bintan")
    assert at.query_params["kabupaten"] == "kabupaten-bintan"
    at = open_page("pages/ringkasan.py", provinsi="21", snapshot="2018-08-01")
    assert stamp(at).endswith("· Kepulauan Riau") and at.query_params["provinsi"] == "kepulauan-riau"


def test_the_map_of_a_kabupaten_is_that_kabupaten(make_app):
    at = open_peta(kabupaten="kabupaten-bintan", snapshot="2018-08-01")
    lyr = layers(at)
    assert [f["properties"]["regency_code"] for f in lyr["kabupaten"]["data"]["features"]] == ["21.01"]
    assert {p["village_code"][:5] for p in lyr["desa"]["data"]} == {"21.01"}


def test_an_unknown_place_shows_a_note_and_falls_back(make_app):
    at = open_page("pages/ringkasan.py", kabupaten="kabupaten-atlantis", snapshot="2018-08-01")
    assert any("kabupaten=" in i.value and "atlantis" in i.value for i in at.info)  # echoed inert (escaped)
    assert stamp(at).endswith("· Nasional") and "kabupaten" not in at.query_params


def test_a_place_outside_the_viewers_scope_is_refused(make_app):
    at = app(snapshot="2018-08-01", kabupaten="kota-pontianak")  # Kalimantan: not the Sumbarriau deputy's
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": DEPUTY, "email_verified": True, "name": "Uji"}
    at.run()
    assert not at.exception, at.exception
    assert any("kabupaten=" in i.value and "pontianak" in i.value for i in at.info)
    assert stamp(at).endswith("· Kanwil Sumbarriau")
    offered = at.selectbox(key="f_kabupaten").options  # as shown (names)
    assert "Kabupaten Bintan" in offered and not any("Pontianak" in o for o in offered)


def test_choosing_another_office_drops_a_kabupaten_it_does_not_serve(make_app):
    at = open_page("pages/ringkasan.py", kabupaten="kabupaten-bintan", snapshot="2018-08-01")
    at.selectbox(key="f_wilayah").set_value("kalimantan").run()
    assert not at.exception, at.exception
    assert any("Kabupaten Bintan tidak dilayani" in i.value for i in at.info)
    assert at.selectbox(key="f_kabupaten").value == "" and "kabupaten" not in at.query_params
    assert stamp(at).endswith("· Kanwil Kalimantan")
