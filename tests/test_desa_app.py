"""The Desa page in AppTest on the demo data: search, the profile of Ekang Anculai, bad and foreign codes."""
from __future__ import annotations

import pytest

from desasadar import db, fmt
from desasadar.scope import Scope

from .conftest import app

EKANG = "21.01.10.2002"
ACEH = "11.08.01.2001"    # a village of KC Lhokseumawe: outside KC Tanjung Pinang
TP = {"snapshot": "2018-08-01", "cabang": "tanjung-pinang"}
TP_SCOPE = Scope.of(branches=["tanjung-pinang"])


def table(at, key: str):
    """The st.dataframe drawn with `key` (a page draws each table once per screen: ui/phone.py)."""
    found = [d for d in at.dataframe if d.proto.id.endswith("-" + key)]
    assert len(found) == 1, [d.proto.id for d in at.dataframe]
    return found[0]


def test_a_big_screen_shows_more_of_each_table(make_app):
    """A 1920 px screen gets its own copy of the village list and the next ceremonies, with the columns that
    fit it (fit.BIG_SCREEN); the 1280 px projector's copy keeps the few that fit there. The same rows in each."""
    at = open_desa(make_app, snapshot="2018-08-01")
    for key, more in (("desa_list_0", {"criteria_met", "participants_active"}), ("desa_near_0", {"branch_name", "since"})):
        mid, big = table(at, key), table(at, key + "_big")
        assert set(mid.proto.column_order) < set(big.proto.column_order), key
        assert more <= set(big.proto.column_order) - set(mid.proto.column_order), key
        assert mid.value.equals(big.value)
    assert "localized" not in str(table(at, "desa_list_0_big").proto)  # the browser's locale would pick the separator
    notes = [c.value for c in at.caption if "ada di profil desa" in c.value]
    assert len(notes) == 2 and len(notes[1]) < len(notes[0])  # the big screen leaves fewer columns to the profile


def open_desa(make_app, **params):
    """The Desa page with the given URL parameters (shell filters and ?desa=).

    AppTest forgets the sidebar filters on a page switch, so the URL is set again after
    switching and the page run once more, as a shared link would open it."""
    at = make_app().run()
    at.switch_page("pages/desa.py").run()
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def text(at) -> str:
    """Everything written on the page (markdown, captions, titles, alerts, metrics)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [e.value for e in at.error] + [w.value for w in at.warning] + [s.value for s in at.success]
    parts += [i.value for i in at.info] + [f"{m.label}: {m.value}" for m in at.metric]
    return "\n".join(parts).replace("\\", "")


def links(at) -> list[tuple[str, str]]:
    return [(p.proto.label, p.proto.query_string) for p in at.get("page_link")]


@pytest.fixture(scope="module")
def landing_tp(demo_dir):
    """One landing page of KC Tanjung Pinang reused by the search tests (each types a new query)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DSJS_DATA_DIR", str(demo_dir))
        yield open_desa(app, **TP)


@pytest.mark.parametrize("query", ["ekang ancul", "Ekang Anculay", "ekang anculai", EKANG, "2101102002"])
def test_search_by_name_typo_and_code(landing_tp, query):
    at = landing_tp
    at.text_input(key="desa_q").input(query).run()
    assert not at.exception
    found = links(at)
    assert found and found[0][0] == "Desa Ekang Anculai"
    assert f"desa={EKANG}" in found[0][1] and "snapshot=2018-08-01" in found[0][1]
    # kecamatan and kabupaten tell namesakes apart
    assert "Kec. Teluk Sebong, Kabupaten Bintan, Kepulauan Riau" in text(at)


def test_search_with_no_match_says_so(landing_tp):
    at = landing_tp
    at.text_input(key="desa_q").input("zzqxv").run()
    assert not links(at)
    assert "Tidak ada desa yang cocok dengan “zzqxv”" in text(at)


def test_search_stays_within_the_scope(landing_tp):
    at = landing_tp
    at.text_input(key="desa_q").input("Keude Alue Ie Puteh").run()  # a real village, but in Aceh
    assert all("Keude Alue Ie Puteh" not in label for label, _ in links(at))
    at.text_input(key="desa_q").input(ACEH).run()
    assert not links(at)


def test_village_list_and_next_ceremonies_of_the_branch(make_app):
    at = open_desa(make_app, **TP)
    in_scope = db.run("desa_cari", TP_SCOPE, "2018-08-01")
    programme = in_scope[in_scope.status != "none"]
    village_list = table(at, "desa_list_0").value  # each table drawn per screen (ui/phone.py)
    # default filter: the villages in the programme, certified first
    assert sorted(village_list.village_code) == sorted(programme.village_code)
    assert EKANG in set(village_list.village_code) and village_list.status.iloc[0] == "Tersertifikasi"
    near = db.run("desa_hampir", TP_SCOPE, "2018-08-01", limit=15)
    if near.empty:
        assert "Tidak ada desa berstatus diusulkan atau diverifikasi dalam cakupan ini." in text(at)
    else:
        assert list(table(at, "desa_near_0").value.village_name) == list(near.village_name)


def test_next_ceremonies_nationally_say_what_is_missing(make_app):
    at = open_desa(make_app, snapshot="2018-08-01")
    near = db.run("desa_hampir", Scope.national(), "2018-08-01", limit=15)
    shown = table(at, "desa_near_0").value
    assert list(shown.village_name) == list(near.village_name) and len(shown) == 15
    assert list(shown.criteria_missing) == sorted(shown.criteria_missing)
    for r, what in zip(near.itertuples(), shown.missing_what):
        assert (what == "semua syarat terpenuhi") == (r.criteria_missing == 0)
        assert ("Agen belum ditunjuk" in what) == (not r.agent_ok)


def test_profile_of_ekang_anculai(make_app):
    at = open_desa(make_app, desa=EKANG, **TP)
    p = db.run("desa_profil", TP_SCOPE, "2018-08-01", village_code=EKANG).iloc[0]
    assert [t.value for t in at.title] == ["Desa Ekang Anculai"]
    page = text(at)
    # status and the date of each step (the seed: certified on 1 August 2018, the 411th village)
    assert "Tersertifikasi] sejak **Rabu, 1 Agustus 2018**" in page
    assert "Tersertifikasi: **Rabu, 1 Agustus 2018**" in page
    assert f"Diusulkan: **{fmt.date_long(p.proposed_on)}**" in page
    assert f"Diverifikasi: **{fmt.date_long(p.verified_on)}**" in page
    assert "Desa ke-411 yang tersertifikasi secara nasional" in page
    # identity
    for item in ("Kode desa (Kemendagri)]: **21.01.10.2002**", "Kecamatan]: **Teluk Sebong**",
                 "Kabupaten/Kota]: **Kabupaten Bintan**", "Provinsi]: **Kepulauan Riau**",
                 "Kantor Cabang]: **KC Tanjung Pinang**", "Kantor Wilayah]: **Kanwil Sumbarriau**"):
        assert item in page
    # the checklist with its figures; a certified village lacks nothing
    assert f"Perangkat desa terdaftar {p.officials_enrolled} dari {p.officials_total}" in page
    assert "4 dari 4 syarat terpenuhi" in page
    assert "Tidak ada: desa ini tersertifikasi sejak Rabu, 1 Agustus 2018." in page
    rank = db.run("desa_peringkat_cabang", TP_SCOPE, "2018-08-01", village_code=EKANG).iloc[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Peserta aktif"] == fmt.number(p.participants_active)
    assert metrics["Cakupan pekerja"] == fmt.percent(p.coverage)
    assert metrics["Peringkat di cabang"] == f"{rank.rank_participants} dari {rank.villages_in_branch}"
    # breakdowns (segment, programme, occupation) and the trend are drawn
    assert len(at.get("vega_lite_chart")) == 4
    assert f"{fmt.number(p.participants_active)} peserta aktif dan" in page


def test_profile_of_a_proposed_village_lists_what_is_missing(make_app):
    near = db.run("desa_hampir", Scope.national(), "2018-08-01", limit=200)
    r = near[(near.status == "proposed") & ~near.officials_ok & (near.officials_total > 0) & ~near.agent_ok].iloc[0]
    at = open_desa(make_app, desa=r.village_code, snapshot="2018-08-01")
    page = text(at)
    assert f"Perangkat desa terdaftar {r.officials_enrolled} dari {r.officials_total}" in page
    missing = at.warning[-1].value
    assert f"{r.officials_total - r.officials_enrolled} perangkat desa belum terdaftar" in missing
    assert "Agen belum ditunjuk" in missing and "Menunggu verifikasi cabang" in missing
    assert "Tersertifikasi: :gray[belum]" in page


def test_ten_digit_code_opens_the_profile_and_is_written_back_dotted(make_app):
    at = open_desa(make_app, desa="2101102002", **TP)
    assert [t.value for t in at.title] == ["Desa Ekang Anculai"]
    assert at.query_params["desa"] == EKANG


def test_profile_in_english(make_app):
    at = open_desa(make_app, desa=EKANG, lang="en", **TP)
    page = text(at)
    assert [t.value for t in at.title] == ["Ekang Anculai (desa)"]
    assert "since **Wednesday, 1 August 2018**" in page and "Village officials enrolled:" in page


@pytest.mark.parametrize("bad", ["99.99.99.9999", "21.01.10", "ekang", "' OR 1=1 --", "21.01.10.2002' OR '1'='1",
                                 "<script>alert(1)</script>", ""])
def test_unknown_or_malformed_code_shows_not_found_with_the_search_box(make_app, bad):
    at = open_desa(make_app, desa=bad, **TP)
    assert [e.value for e in at.error] == ["Desa tidak ditemukan"]
    assert len(at.text_input) == 1 and at.text_input[0].label == "Cari desa (nama atau kode)"
    assert not at.metric and "Ekang Anculai" not in text(at)


def test_village_outside_the_scope_is_not_found(make_app):
    at = open_desa(make_app, desa=ACEH, **TP)
    assert [e.value for e in at.error] == ["Desa tidak ditemukan"]
    # nationally the same link opens it
    at = open_desa(make_app, desa=ACEH, snapshot="2018-08-01")
    assert [t.value for t in at.title] == ["Desa Keude Alue Ie Puteh"]


def test_back_to_the_list(make_app):
    at = open_desa(make_app, desa=EKANG, **TP)
    at.button[0].click().run()
    assert "desa" not in at.query_params
    assert [t.value for t in at.title] == ["Desa"] and len(at.text_input) == 1
