"""Direksi's national brief on the Peresmian page: offered to a national viewer (beside the village, branch and
region briefs), built on click as the weekly e-mail builds it; never offered to a regional or branch viewer."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager

from .conftest import app
from .test_access import AUTH, DEPUTY, KC_TP

LABEL = "Ringkasan nasional untuk Direksi (PDF)"


@pytest.fixture
def built(monkeypatch):
    """file id -> the data callable of each deferred download (built as a click would)."""
    made: dict = {}
    original = MediaFileManager.add_deferred

    def capture(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        made[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    return made


def test_national_viewer_gets_the_national_brief(demo_env, built):
    at = app(snapshot="2018-08-01")
    at.run()
    at.switch_page("pages/peresmian.py").run()
    assert not at.exception
    buttons = [b for b in at.download_button if b.label == LABEL]
    assert len(buttons) == 1
    data = built[buttons[0].proto.deferred_file_id]()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1  # one page for Direksi
    assert "DEMO" in text and "500" in text and "Sumbarriau" in text  # gauge against 500, the Kanwil table
    assert "peresmian_" not in text and ".sql" not in text


@pytest.mark.parametrize("email", [DEPUTY, KC_TP])
def test_regional_and_branch_viewers_do_not_get_it(demo_env, email):
    at = app(snapshot="2018-08-01")
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "email_verified": True, "name": "Uji"}
    at.switch_page("pages/peresmian.py")
    at.run()
    assert not at.exception
    assert LABEL not in [b.label for b in at.download_button]
    assert at.title and at.title[0].value == "Peresmian"  # the page itself was shown
