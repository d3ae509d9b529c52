"""Village search: typo-tolerant names, codes in both forms, namesakes told apart, only the rows given."""
from __future__ import annotations

import pandas as pd
import pytest

from desasadar import reference, search

EKANG = "21.01.10.2002"


@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    """The whole village register with kecamatan and kabupaten names (what desa_cari returns nationally)."""
    desa = reference.table("desa.parquet")
    kec = reference.table("kecamatan.csv")[["district_code", "name"]].rename(columns={"name": "district_name"})
    kab = reference.table("kabupaten.csv")[["regency_code", "name"]].rename(columns={"name": "regency_name"})
    return (desa.rename(columns={"name": "village_name"})
            .merge(kec, on="district_code").merge(kab, on="regency_code")
            [["village_code", "village_name", "kind", "district_name", "regency_name"]])


@pytest.mark.parametrize("query", ["ekang ancul", "ekang anculai", "Ekang Anculay", "EKANG ANCULAI", "ekng anculai",
                                   "Desa Ekang Anculai", "  ekang   anculai ", "anculai", "21.01.10.2002", "2101102002",
                                   " 21.01.10.2002 "])
def test_finds_ekang_anculai_first(register, query):
    hits = search.villages(register, query)
    assert hits.iloc[0].village_code == EKANG
    assert hits.iloc[0].district_name == "Teluk Sebong" and hits.iloc[0].regency_name == "Kabupaten Bintan"


def test_exact_code_finds_exactly_one(register):
    assert list(search.villages(register, "2101102002").village_code) == [EKANG]


def test_code_prefix_lists_a_kecamatan(register):
    hits = search.villages(register, "21.01.10", limit=None)
    assert len(hits) == (register.village_code.str.startswith("21.01.10.")).sum() > 1
    assert hits.village_code.is_monotonic_increasing


def test_namesakes_are_told_apart_by_kecamatan_and_kabupaten(register):
    hits = search.villages(register, "sukamaju", limit=None)
    exact = hits[hits.village_name.str.lower() == "sukamaju"]
    assert len(exact) > 20  # a common name
    assert exact[["district_name", "regency_name"]].drop_duplicates().shape[0] == len(exact)
    # adding the kabupaten narrows it: the Sukamaju villages of Kabupaten Bogor come first
    in_bogor = (exact.regency_name == "Kabupaten Bogor").sum()
    assert in_bogor >= 2
    top = search.villages(register, "sukamaju bogor", limit=in_bogor)
    assert (top.regency_name == "Kabupaten Bogor").all() and (top.village_name == "Sukamaju").all()


def test_exact_name_ranks_above_longer_names(register):
    hits = search.villages(register, "sukamaju", limit=10)
    assert (hits.village_name == "Sukamaju").all()


@pytest.mark.parametrize("query", ["", "   ", "zzqxv", "' OR 1=1 --", "%", "*", "99.99.99.9999", "--"])
def test_nonsense_and_injections_find_nothing(register, query):
    assert search.villages(register, query).empty


def test_searches_only_the_rows_given(register):
    bintan = register[register.village_code.str.startswith("21.01.")]
    assert list(search.villages(bintan, "ekang anculai").village_code)[:1] == [EKANG]
    outside = register[~register.village_code.str.startswith("21.")]
    hits = search.villages(outside, "ekang anculai")
    assert EKANG not in set(hits.village_code)
    assert search.villages(outside, EKANG).empty
    assert search.villages(register.iloc[0:0], "ekang").empty


def test_results_keep_the_columns_and_add_a_score(register):
    hits = search.villages(register, "ekang ancul", limit=3)
    assert list(hits.columns) == list(register.columns) + ["score"]
    assert hits.score.is_monotonic_decreasing and hits.score.iloc[0] > 90
    assert len(hits) <= 3


def test_repeated_search_is_answered_from_memory(register):
    first = search.villages(register, "pengudang")
    assert search.villages(register, "pengudang") is first
    assert search.villages(register.copy(), "pengudang") is not first  # another frame: searched afresh


@pytest.mark.parametrize("value,expected", [
    ("21.01.10.2002", "21.01.10.2002"), ("2101102002", "21.01.10.2002"), (" 2101102002 ", "21.01.10.2002"),
    ("21.01.10.200", None), ("21.01.10.20021", None), ("210110200", None), ("21-01-10-2002", None),
    ("' OR 1=1 --", None), ("", None), (None, None), ("21.01.10.2002\n", "21.01.10.2002"), ("٢١.٠١.١٠.٢٠٠٢", None),
])
def test_normalise_code(value, expected):
    assert search.normalise_code(value) == expected


@pytest.mark.parametrize("query", ["sukamaju", "suka maju bogor", "21.01", "mekar"])
def test_the_answer_does_not_depend_on_the_order_of_the_rows(register, query):
    """queries/desa_cari.sql leaves its rows unordered (sorting 83,762 rows was 40% of it): the search orders."""
    shuffled = register.sample(frac=1.0, random_state=7)
    a, b = search.villages(register, query, limit=None), search.villages(shuffled, query, limit=None)
    assert len(a) > 1
    assert list(a.village_code) == list(b.village_code) and list(a.score) == list(b.score)
