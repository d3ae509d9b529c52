"""Indonesian first, English by switch: numbers, percentages, dates; every label in both languages."""
from datetime import date

import pytest

from desasadar import fmt, i18n


@pytest.mark.parametrize("lang, n, pct, long, medium", [
    ("id", "1.450", "55,2%", "Rabu, 1 Agustus 2018", "1 Agustus 2018"),
    ("en", "1,450", "55.2%", "Wednesday, 1 August 2018", "1 August 2018"),
])
def test_formats(lang, n, pct, long, medium):
    assert fmt.number(1450, lang) == n
    assert fmt.percent(0.552, lang) == pct
    assert fmt.date_long(date(2018, 8, 1), lang) == long
    assert fmt.date_medium(date(2018, 8, 1), lang) == medium


def test_day_and_month_where_the_year_stands_elsewhere():
    # Peringkat's "Baru sejak 30 Nov" column (desasadar/ranking.py)
    assert fmt.day_month(date(2018, 11, 30)) == "30 Nov" and fmt.day_month(date(2018, 8, 1)) == "1 Agu"
    assert fmt.day_month(date(2018, 8, 1), "en") == "1 Aug" and fmt.day_month(None) == "–"


def test_missing_values_and_signs():
    assert fmt.number(None) == "–" and fmt.percent(float("nan")) == "–" and fmt.date_long(None) == "–"
    assert fmt.signed(12) == "+12" and fmt.signed(-3) == "−3" and fmt.signed(0) == "0"
    assert fmt.number(17.75, "id", 1) == "17,8"


def test_every_label_exists_in_both_languages():
    assert i18n.missing("id") == [] and i18n.missing("en") == []
    assert i18n.t("nav.ringkasan", "en") == "Overview"
    assert i18n.t("shell.data_stamp", "id", date="x", snapshot="y", scope="z").startswith("Data per x")
    assert i18n.t("no.such.key") == "no.such.key"


def test_english_count_of_one_is_singular():
    # "+1 villages" was on the Peringkat band cards in English
    assert i18n.t("peringkat.bands.mover", "en", name="KC A", n="1") == "Fastest: **KC A** (+1 village)"
    assert i18n.t("peringkat.bands.mover", "en", name="KC A", n="2") == "Fastest: **KC A** (+2 villages)"
    assert i18n.t("peringkat.bands.mover", "id", name="KC A", n="1") == "Tercepat: **KC A** (+1 desa)"
    assert i18n.t("peta.tt_certified", "en", n=1) == "1 certified village"


def test_each_text_is_written_once_and_equal_values_read_the_same():
    """Numbers and dates are written by Babel once per (value, pattern, language), then reused: a page writes
    the same ones every rerun (Ringkasan: ~200 Babel calls a run before)."""
    import numpy as np
    import pandas as pd

    fmt._decimal.cache_clear()
    fmt._date.cache_clear()
    assert [fmt.number(x) for x in (1450, np.int64(1450), 1450.0)] == ["1.450"] * 3
    assert fmt.number(1450, "en") == "1,450" and fmt.number(1450.46, digits=1) == "1.450,5"
    assert fmt._decimal.cache_info().misses == 3 and fmt._decimal.cache_info().hits == 2
    assert fmt.date_long(pd.Timestamp("2018-08-01")) == fmt.date_long(date(2018, 8, 1)) == "Rabu, 1 Agustus 2018"
    assert fmt._date.cache_info().misses == 1
    assert fmt.number(np.array(1450)) == "1.450"  # not a possible key: written directly
    assert fmt.percent(np.array(0.552)) == "55,2%"


def test_the_data_folder_follows_its_setting(monkeypatch, tmp_path):
    from desasadar import paths

    (tmp_path / "a").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "a")
    monkeypatch.setenv("DSJS_DATA_DIR", str(tmp_path / "link"))
    assert paths.data_dir() == (tmp_path / "a").resolve()
    monkeypatch.setenv("DSJS_DATA_DIR", str(tmp_path))
    assert paths.data_dir() == tmp_path.resolve()
    monkeypatch.setenv("DSJS_DATA_DIR", "a")  # relative: to the working folder of the moment
    monkeypatch.chdir(tmp_path)
    assert paths.data_dir() == (tmp_path / "a").resolve()
    monkeypatch.chdir(tmp_path / "a")
    assert paths.data_dir() == (tmp_path / "a" / "a").resolve()
