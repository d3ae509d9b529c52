"""Scope on every page: a Sumbarriau deputy never sees a Kalimantan village or branch, a Tanjung Pinang
branch head only its own villages — through the URL, filters, search, profile, map, downloads and briefs."""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from desasadar import db
from desasadar.scope import Scope

from .test_access import AUTH, DEPUTY, KC_TP
from .conftest import app

SEMPADIAN = ("61.01.12.2006", "Sempadian")  # a certified village of KC Pontianak, Kanwil Kalimantan
EKANG = ("21.01.10.2002", "Ekang Anculai")


def as_user(email, page, **query):
    at = app(snapshot="2018-08-01", **query)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "email_verified": True, "name": "Uji"}
    at.switch_page(page)
    return at.run()


def everything_shown(at) -> str:
    """All text an AppTest run rendered, including tables and chart specs."""
    parts = []
    for kind in ("markdown", "caption", "info", "error", "warning", "success", "title", "subheader", "header", "metric"):
        for el in getattr(at, kind):
            parts.append(str(getattr(el, "value", "")) + " " + str(getattr(el, "label", "")))
    for df in at.dataframe:
        parts.append(df.value.to_csv())
    for el in at.get("arrow_vega_lite_chart") + at.get("deck_gl_json_chart") + at.get("vega_lite_chart") + at.get("html"):
        parts.append(str(el.proto))
    return "\n".join(parts)


@pytest.fixture
def downloads(monkeypatch):
    """Every file the download buttons offer, built as a click would (deferred data callables)."""
    made: list = []
    original = MediaFileManager.add_deferred

    def capture(self, data_callable, *args, **kwargs):
        made.append(data_callable)
        return original(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    return made


@pytest.mark.parametrize("page", ["pages/desa.py", "pages/peresmian.py", "pages/peta.py"])
def test_deputy_cannot_open_another_regions_village_by_url(demo_env, page):
    at = as_user(DEPUTY, page, desa=SEMPADIAN[0])
    assert not at.exception
    shown = everything_shown(at)
    assert SEMPADIAN[1] not in shown and "Pontianak" not in shown
    if page != "pages/peta.py":
        assert "tidak ditemukan" in shown.lower() or "tidak ada" in shown.lower() or "bukan" in shown.lower()


def test_deputy_search_finds_only_own_villages(demo_env):
    at = as_user(DEPUTY, "pages/desa.py")
    at.text_input(key="desa_q").input(SEMPADIAN[1]).run()
    shown = everything_shown(at)
    assert SEMPADIAN[0] not in shown and "Kalimantan" not in shown
    at.text_input(key="desa_q").input(SEMPADIAN[0]).run()
    assert SEMPADIAN[0] not in everything_shown(at)
    at.text_input(key="desa_q").input("ekang ancul").run()
    assert EKANG[0] in everything_shown(at)


def test_deputy_map_and_rankings_hold_only_own_region(demo_env):
    at = as_user(DEPUTY, "pages/peta.py")
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    text = json.dumps(deck)
    assert "Pontianak" not in text and '"61.' not in text and "21.01.10.2002" in text
    at = as_user(DEPUTY, "pages/peringkat.py")
    shown = everything_shown(at)
    assert "Pontianak" not in shown and "Balikpapan" not in shown and "Tanjung Pinang" in shown


def test_deputy_downloads_hold_only_own_region(demo_env, downloads):
    at = as_user(DEPUTY, "pages/peringkat.py")
    assert at.download_button and downloads
    for make in downloads:
        data = make()
        text = data.decode("utf-8-sig", "replace") if isinstance(data, bytes) else str(data)
        if isinstance(data, bytes) and data[:2] == b"PK":
            text = pd.read_excel(io.BytesIO(data)).to_csv()
        assert "Pontianak" not in text and "Kalimantan" not in text


def test_branch_head_sees_only_its_villages_everywhere(demo_env):
    own = set(db.run("desa_cari", Scope.of(branches=["tanjung-pinang"]), "2018-08-01").village_code)
    assert own and all(c[:5] in ("21.01", "21.04", "21.72") for c in own)
    at = as_user(KC_TP, "pages/desa.py")
    assert not at.exception
    listed = pd.concat([d.value for d in at.dataframe]) if at.dataframe else pd.DataFrame()
    text = listed.to_csv()
    assert "Batam" not in text and "Padang" not in text
    at = as_user(KC_TP, "pages/peta.py")
    deck = json.dumps(json.loads(at.get("deck_gl_json_chart")[0].proto.json))
    assert "Batam" not in deck and EKANG[0] in deck
    at = as_user(KC_TP, "pages/peresmian.py", desa="21.71.01.1001")  # a Batam kelurahan: not theirs
    assert "Batam" not in everything_shown(at)
    at = as_user(KC_TP, "pages/peresmian.py", desa=EKANG[0])
    assert EKANG[1] in everything_shown(at)
