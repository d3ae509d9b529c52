"""The shell in AppTest: every page opens on the demo in both languages; URL filters apply; bad links fall back."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from desasadar.ui import registry

from .conftest import ROOT, app

PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))


def test_every_page_file_is_listed_in_navigation():
    assert sorted(Path(p.file).name for p in registry.PAGES) == PAGES
    for name in PAGES:
        # context() comes before anything is drawn: it sends a deep link on a fresh server through dashboard.py
        text = (ROOT / "pages" / name).read_text()
        first_draw = re.search(r"^(with )?st\.", text, re.MULTILINE)  # a top-level Streamlit call
        assert -1 < text.find("\nctx = context()") < (first_draw.start() if first_draw else len(text))


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_without_error(demo_env, page, lang):
    at = app(lang=lang, snapshot="2018-08-01")
    at.switch_page(f"pages/{page}")  # before the first run, so the URL seeds the filters
    at.run()
    assert not at.exception, at.exception
    stamp = next(c.value for c in at.caption if "2018-08-01" in c.value) if page != "peresmian.py" else None
    if stamp:
        assert stamp.startswith("Data per Rabu, 1 Agustus 2018" if lang == "id" else "Data as of Wednesday, 1 August 2018")
    assert at.warning and ("DATA DEMO" in at.warning[0].value or "DEMO DATA" in at.warning[0].value)


def test_url_filters_are_applied(demo_env):
    at = app(wilayah="sumbarriau", cabang="tanjung-pinang", snapshot="2018-08-01", tahun="2018").run()
    ctx = at.session_state["_ctx"]
    assert (ctx.wilayah, ctx.cabang, ctx.served.id, ctx.year) == ("sumbarriau", "tanjung-pinang", "2018-08-01", 2018)
    assert ctx.level == "branch"
    boxes = {s.label: s.value for s in at.selectbox}
    assert boxes["Kantor Cabang"] == "tanjung-pinang" and boxes["Kantor Wilayah"] == "sumbarriau"


@pytest.mark.parametrize("query, param", [
    ({"wilayah": "atlantis"}, "wilayah=atlantis"),
    ({"cabang": "tanjung pinang"}, "cabang=tanjung pinang"),
    ({"tahun": "20x8"}, "tahun=20x8"),
    ({"lang": "fr"}, "lang=fr"),
])
def test_unknown_slug_falls_back_with_a_message(demo_env, query, param):
    at = app(**query).run()
    assert not at.exception
    assert any(param in i.value for i in at.info)
    assert at.session_state["_ctx"].level == "national"


def test_unknown_snapshot_says_so(demo_env):
    at = app(snapshot="1999-01-01").run()
    assert any("1999-01-01" in i.value.replace("\\", "") for i in at.info)  # echoed escaped (desasadar/echo.py)
    assert at.session_state["_ctx"].served.id == "2018-12-31"


def test_branch_must_belong_to_the_chosen_region(demo_env):
    at = app(wilayah="kalimantan", cabang="tanjung-pinang").run()
    ctx = at.session_state["_ctx"]
    assert not at.exception and ctx.cabang is None
