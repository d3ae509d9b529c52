"""One explicit list of public national figures (desasadar/public.py): a viewer whose scope is a region
or a branch sees certified villages and the target nationally, nothing else national — not from the
nation query, not from the views a query file can read, not on the ceremony's nation slide."""
from __future__ import annotations

import re

import duckdb
import pandas as pd
import pytest

from desasadar import db, public
from desasadar.export import facts, slide
from desasadar.scope import Scope

from .test_access_pages import as_user
from .test_access import KC_TP
from .test_export import ALL, SNAP, TP, q, tiny  # noqa: F401  (tiny: the fixture)

REGION = Scope.of(regions=["sumbagut"])
NOT_PUBLIC = {"proposed", "verified", "revoked", "aparatur_active", "participants_certified", "participants_active"}
EKANG = "21.01.10.2002"


@pytest.mark.parametrize("scope", [TP, REGION, ALL])
def test_nation_query_returns_only_the_public_figures(tiny, scope):  # noqa: F811
    got = q(tiny, "peresmian_nasional", scope=scope, year=2018)
    assert set(got.columns) == {"certified", "target_villages", "period_end", "target_source", "target_is_demo",
                                "snapshot_id", "as_of", "is_demo"}
    assert (got.certified[0], got.target_villages[0]) == (4, 500)  # national, whatever the scope


@pytest.mark.parametrize("scope", [TP, REGION])
def test_national_views_hold_only_the_listed_columns(tiny, scope):  # noqa: F811
    database = db._database(db.serve(SNAP, tiny), tiny)
    nasional = database.query("select * from nasional", scope, {})
    assert list(nasional.columns) == list(public.NATIONAL_FIGURES) == ["certified"]
    assert not NOT_PUBLIC & set(nasional.columns)
    target = database.query("select * from target_nasional", scope, {})
    assert list(target.columns) == list(public.NATIONAL_TARGET)
    with pytest.raises(duckdb.Error):  # no other national figure can be named at all
        database.query("select proposed from nasional", scope, {})


def national_totals(demo_dir) -> dict[str, int]:
    f = pd.read_parquet(demo_dir / "snapshots" / SNAP / "facts_desa.parquet")
    cert = f[f.status == "certified"]
    return {"aparatur": int(f.aparatur_active.sum()), "participants": int(cert.participants_active.sum()),
            "proposed": int((f.status == "proposed").sum()), "verified": int((f.status == "verified").sum())}


def test_nation_slide_for_a_branch_head_shows_public_figures_only(demo_env):
    run = lambda name, **p: db.run(name, TP, SNAP, **p)  # noqa: E731  (the ceremony's runner for KC Tanjung Pinang)
    n = facts.nasional(run, 2018)
    assert (n.certified, n.target, n.remaining) == (411, 500, 89)
    html = slide.nation_slide(n, 2018, "id", [])
    assert ">411<" in html and ">500<" in html and ">89<" in html
    totals = national_totals(demo_env)
    for label, value in totals.items():
        shown = f"{value:,}".replace(",", ".")
        assert f">{shown}<" not in html, (label, shown)
    assert "aparatur desa terdaftar" not in html and "peserta aktif" not in html


def test_ceremony_page_nation_slide_as_branch_head(demo_env):
    at = as_user(KC_TP, "pages/peresmian.py", desa=EKANG, putar="10")
    assert not at.exception
    nation = ""
    for _ in range(4):  # village, branch, nation (the region is not theirs): the last slide is the nation's
        html = "\n".join(h.value for h in at.html if "dsjs-slide" in h.value)
        if re.search(r"Slide (\d) dari \1", html):
            nation = html
            break
        at.run()
    assert nation, "the sequence never reached the nation slide"
    assert ">411<" in nation and ">500<" in nation
    totals = national_totals(demo_env)
    for label in ("aparatur", "participants"):
        assert f">{totals[label]:,}<".replace(",", ".") not in nation, label
    assert "aparatur desa terdaftar" not in nation
