"""Metodologi page (AppTest) in both languages: every section is there, with the rules' constants from the query
files and the snapshot cadence of the served data."""
from __future__ import annotations

PAGE = "pages/metodologi.py"


def open_page(make_app, **query):
    at = make_app(**query)
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_metodologi_indonesian(make_app):
    at = open_page(make_app, snapshot="2018-08-01")
    heads = [h.value for h in at.header]
    assert heads[:3] == ["Desa tersertifikasi", "Status dan alurnya", "Aparatur desa"]
    assert "Snapshot dan jadwal" in heads and "Peringkat" in heads
    text = "\n".join(m.value for m in at.markdown)
    assert "sedikitnya 75% dari itu" in text and "30,44 hari" in text  # laju_target.sql's constants
    assert "≥ 100%" in text and "≥ 5%" in text  # office bands and map bands
    assert "Republika, 1 Agustus 2018" in text
    assert "yang ditampilkan: 1 Agustus 2018" in text


def test_metodologi_english(make_app):
    at = open_page(make_app, snapshot="2018-08-01", lang="en")
    assert at.title[0].value == "Methodology"
    text = "\n".join(m.value for m in at.markdown)
    assert "Certified village" in [h.value for h in at.header]
    assert "at least 75% of that" in text and "Ranking rule" in text
