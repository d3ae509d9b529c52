"""Ringkasan page on the demo data (AppTest): the rendered numbers, nationally and for KC Tanjung Pinang, in both
languages, plus the edge cases (no target, year without target, nothing certified, deadline passed)."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from desasadar import reference

PAGE = "pages/ringkasan.py"


def open_page(make_app, **query):
    # switch before the first run: the shell's filters are seeded from the URL on that run
    at = make_app(**query)
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def text(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def chart_specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def gauge_alt(at) -> str:
    """The headline gauge's alt text: an inline SVG (role img) on the page, not a Vega chart."""
    svgs = [m.value for m in at.markdown if m.value.startswith("<svg") and 'role="img"' in m.value]
    assert len(svgs) == 1, svgs
    return re.search(r'aria-label="([^"]*)"', svgs[0]).group(1)


def tp_target_2018() -> int:
    t = reference.table("target.csv")
    row = t[(t.year == 2018) & (t.scope == "branch") & (t.scope_code == "tanjung-pinang")]
    return int(row.target_villages.iloc[0])


def facts(demo_dir, *columns: str) -> pd.DataFrame:
    return pd.read_parquet(demo_dir / "snapshots" / "2018-08-01" / "facts_desa.parquet", columns=list(columns))


def tp_certified(demo_dir) -> int:
    f = facts(demo_dir, "branch_code", "status")
    return int(((f.branch_code == "tanjung-pinang") & (f.status == "certified")).sum())


def test_national_id(make_app, demo_dir):
    at = open_page(make_app, snapshot="2018-08-01")
    m, body = metrics(at), text(at)
    assert m["Desa tersertifikasi"] == ("411", "+1")          # Ekang Anculai, certified 1 Aug, is the 411th
    assert m["Dibutuhkan per bulan"][0] == "17,8"              # 89 / (152 days / 30,4375)
    assert m["Laju 3 bulan terakhir"] == ("22,0", "s.d. 31 Jul 2018")
    assert m["Laju 6 bulan terakhir"][0] == "20,0"
    assert m["Proyeksi tercapai"] == ("3 Des 2018", "sebelum tenggat 31 Des 2018")
    aparatur = int(facts(demo_dir, "aparatur_active").aparatur_active.sum())
    assert m["Aparatur desa terdaftar"][0] == f"{aparatur:,}".replace(",", ".")
    assert "Sisa **89** desa menuju target **500** pada 31 Desember 2018." in body
    assert "Sumber target: Republika, 1 Agustus 2018" in body
    assert "Sesuai jalur" in body
    assert "2017: 276 · 2018 (s.d. 1 Agu 2018): 135" in body
    assert "berisiko** bila sedikitnya 75% dari itu" in body and "1 bulan = 30,44 hari" in body
    specs = chart_specs(at)
    assert len(specs) == 4  # trend, pipeline, per year, per region (pace: st.progress; the gauge: inline SVG)
    assert all(s.get("description") for s in specs)  # alt text on every chart
    assert gauge_alt(at).startswith("Gauge: 411 desa tersertifikasi dari target 500 (82,2%)")
    # the pace as Streamlit's own bar
    assert at.get("progress")[0].proto.text.startswith("Laju 3 bulan terakhir 22,0 desa/bulan")


def test_national_en(make_app):
    at = open_page(make_app, snapshot="2018-08-01", lang="en")
    m, body = metrics(at), text(at)
    assert m["Certified villages"] == ("411", "+1")
    assert m["Needed per month"][0] == "17.8"
    assert m["Pace, last 3 months"][0] == "22.0"
    assert m["Projected date"][0] == "3 Dec 2018"
    assert "**89** villages to go to the target of **500** by 31 December 2018." in body
    assert "On track" in body
    assert "2017: 276 · 2018 (to 1 Aug 2018): 135" in body


@pytest.mark.parametrize("lang", ["id", "en"])
def test_tanjung_pinang_uses_its_branch_target(make_app, demo_dir, lang):
    target, certified = tp_target_2018(), tp_certified(demo_dir)
    assert (target, certified) == (3, 3)  # the demo: KC Tanjung Pinang meets its demo target exactly
    at = open_page(make_app, snapshot="2018-08-01", cabang="tanjung-pinang", **({"lang": lang} if lang == "en" else {}))
    m, body = metrics(at), text(at)
    if lang == "id":
        assert m["Desa tersertifikasi"][0] == "3"
        assert "Target **3** tercapai: **3** desa tersertifikasi." in body
        assert "KC Tanjung Pinang · target 2018" in body
        assert "Target tercapai" in body
        assert m["Proyeksi tercapai"] == ("–", "sudah tercapai")
        # one sentence, said once (was "(bukan angka resmi) (angka demo, bukan target resmi)")
        assert "Sumber target: angka demo (target nasional dibagi menurut jumlah desa di wilayah kerja), bukan target resmi." in body
        assert "bukan angka resmi" not in body
        assert "Kabupaten Bintan" in chart_specs(at)[-1]["description"]
    else:
        assert m["Certified villages"][0] == "3"
        assert "Target of **3** reached: **3** villages certified." in body
        assert "Target reached" in body
        # the target source in English too, not the Indonesian demo text
        assert "Target source: a demo figure" in body and "dibagi" not in body
    assert "100" in gauge_alt(at)


def test_branch_without_target(make_app):
    at = open_page(make_app, snapshot="2018-08-01", cabang="banjar")
    m, body = metrics(at), text(at)
    assert "**Belum ada target untuk 2018.**" in body
    assert m["Dibutuhkan per bulan"] == ("–", "belum ada target")
    assert "Belum ada target" in body


def test_year_without_target_still_useful(make_app):
    at = open_page(make_app, snapshot="2018-08-01", tahun="2017")
    body = text(at)
    assert "**Belum ada target untuk 2017.** **276** desa tersertifikasi per 31 Desember 2017." in body
    assert metrics(at)["Laju 3 bulan terakhir"][0] == "22,0"


def test_nothing_certified_and_deadline_passed(make_app):
    at = open_page(make_app, snapshot="2017-01-31")
    m = metrics(at)
    assert m["Desa tersertifikasi"] == ("0", "")
    assert at.metric[0].proto.delta_description.startswith("snapshot pertama")
    at = open_page(make_app, snapshot="2018-12-31")
    m, body = metrics(at), text(at)
    assert m["Desa tersertifikasi"][0] == "488"
    assert "Target tidak tercapai" in body and "Sisa **12** desa" in body
    assert m["Dibutuhkan per bulan"] == ("–", "tenggat sudah lewat")


def test_region_with_target_zero_divides_by_nothing(make_app):
    t = reference.table("target.csv")
    zero = t[(t.year == 2018) & (t.scope == "region") & (t.target_villages == 0)].scope_code
    if zero.empty:
        pytest.skip("no region with a zero target in the reference data")
    at = open_page(make_app, snapshot="2018-08-01", wilayah=zero.iloc[0])
    assert "Target 2018 untuk cakupan ini **0** desa; persentase tidak dihitung." in text(at)


def test_best_and_lagging_offices_link_to_peringkat(make_app):
    at = open_page(make_app, snapshot="2018-08-01", wilayah="sumbarriau")
    heads = [h.value for h in at.header]
    assert "Kantor cabang terdepan dan tertinggal (% target 2018)" in heads
    body = text(at)
    assert "**5 terdepan**" in body and "**5 tertinggal**" in body
    assert body.count("- 1. KC ") == 1  # the best list starts at rank 1
    links = [p for p in at.get("page_link")]
    assert any(p.proto.label == "Semua peringkat kantor" for p in links)


def test_branch_scope_has_no_office_list(make_app):
    at = open_page(make_app, snapshot="2018-08-01", cabang="tanjung-pinang")
    assert "Kantor cabang terdepan dan tertinggal (% target 2018)" not in [h.value for h in at.header]
