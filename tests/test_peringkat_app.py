"""The Peringkat page on the demo (AppTest): measure in the URL, wilayah filter, opening a branch, downloads."""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from desasadar import db, table_files, fmt
from desasadar.scope import Scope

PAGE = "pages/peringkat.py"


def open_page(make_app, **query):
    """The entrypoint, switched to Peringkat, with `query` in the URL.

    AppTest's switch_page() starts the new page without the previous widget state, so the shell's
    filters are set again from the URL by one more run (as a shared link would)."""
    at = make_app(**query).run()
    at.switch_page(PAGE).run()
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


COUNT_TEXT = re.compile(r"^\d{1,3}(?:[.,]\d{3})*$")
PERCENT_TEXT = re.compile(r"^\d{1,3}(?:[.,]\d{3})*[.,]\d%$")  # "1.275,0%" (id), "1,275.0%" (en)


def percent_value(v: str) -> float:
    dec = v[-3]
    return float(v[:-1].replace("," if dec == "." else ".", "").replace(dec, "."))


def as_numbers(df: pd.DataFrame) -> pd.DataFrame:
    """The table as numbers again: counts and percentages are sent as text in the viewer's format ('1.450',
    '55,2%', '–')."""
    df = df.copy()
    for col in df.columns:
        vals = list(df[col])
        if any(isinstance(v, str) and COUNT_TEXT.match(v) for v in vals) and all(
                v == "–" or (isinstance(v, str) and COUNT_TEXT.match(v)) for v in vals):
            df[col] = pd.array([None if v == "–" else int(re.sub(r"[.,]", "", v)) for v in vals], dtype="Int64")
        elif any(isinstance(v, str) and PERCENT_TEXT.match(v) for v in vals) and all(
                v == "–" or (isinstance(v, str) and PERCENT_TEXT.match(v)) for v in vals):
            df[col] = [None if v == "–" else percent_value(v) for v in vals]
    return df


def tables(at) -> dict[str, pd.DataFrame]:
    """The three rankings by tab: cabang, wilayah, desa (in page order), counts as numbers."""
    frames = [as_numbers(d.value) for d in wide(at)]
    assert len(frames) == 3
    return dict(zip(["cabang", "wilayah", "desa"], frames))


def wide(at) -> list:
    """The tables wide screens show: each ranking is drawn twice, the wide copy then the phone's."""
    return list(at.dataframe)[::2]


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [s.value for s in at.success] + [i.value for i in at.info]
                     + [c.value for c in at.caption])


@pytest.fixture
def downloads(monkeypatch):
    """Bytes of the file a download button offers (deferred: built by calling its data callable)."""
    deferred: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def capture(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        deferred[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)

    def get(button) -> bytes:
        return deferred[button.proto.deferred_file_id]()

    return get


def ranking(demo_dir, scope, measure="persen_target"):
    return db.run("cabang_peringkat", scope, "2018-08-01", base=demo_dir, year=2018, ukuran=measure)


def shown(row) -> tuple:
    """A cabang_peringkat row as the table shows it (Indonesian headers)."""
    pct = lambda x: None if pd.isna(x) else round(x * 100, 1)  # noqa: E731
    val = lambda x: None if pd.isna(x) else x  # noqa: E731
    name = row["branch_name"] + (" (perkiraan)" if row.get("name_basis") == "assumed" else "")
    return (name, val(row["rank"]), row["certified"], val(row["target"]), pct(row["pct_target"]),
            row["pipeline"], row["aparatur"], row["participants_certified"], pct(row["coverage"]), row["certified_new"])


def visible(row) -> tuple:
    cols = ["Kantor cabang", "Peringkat", "Tersertifikasi", "Target 2018", "% target", "Dalam proses",
            "Aparatur", "Peserta aktif", "Cakupan pekerja", "Baru sejak 31 Jul"]
    return tuple(None if pd.isna(row[c]) else row[c] for c in cols)


def test_sumbarriau_branch_ranking_and_measure_switch(make_app, demo_dir):
    at = open_page(make_app, snapshot="2018-08-01", wilayah="sumbarriau")
    assert at.segmented_control[0].value == "persen_target"
    assert at.query_params["ukuran"] == "persen_target"
    cab = tables(at)["cabang"]
    assert len(cab) == 30 and "Kantor wilayah" not in cab.columns  # the region's branches only (29 named + 1 assumed)
    expected = ranking(demo_dir, Scope.of(regions=["sumbarriau"]))
    assert [visible(r) for _, r in cab.iterrows()] == [shown(r) for _, r in expected.iterrows()]
    assert "**Kanwil Sumbarriau**: peringkat ke-" in texts(at)  # the region's place, worded by ranking.position_text
    # ties share a rank; unranked rows (no target) come last
    ranked = cab[cab["Peringkat"].notna()]
    assert list(ranked["Peringkat"]) == sorted(ranked["Peringkat"])
    assert cab["Peringkat"].isna().sum() == (cab["Pita"] == "Tanpa target").sum() > 0
    assert cab.index[cab["Peringkat"].isna()].min() > cab.index[cab["Peringkat"].notna()].max()

    at.segmented_control[0].set_value("cakupan").run()
    assert not at.exception
    assert at.query_params["ukuran"] == "cakupan"
    cab = tables(at)["cabang"]
    ranked = cab[cab["Peringkat"].notna()]
    cover = list(ranked["Cakupan pekerja"])
    assert cover == sorted(cover, reverse=True)
    assert cab.loc[cab["Peringkat"].isna(), "Cakupan pekerja"].isna().all()  # no certified village: unranked
    assert "Kantor cabang · Diurutkan menurut: Cakupan pekerja" in [s.value for s in at.header]


def test_each_ranking_has_a_phone_copy_of_rank_name_and_figure(make_app):
    """On a phone (CSS shows one copy, ui/phone.py) a ranking is its rank, name and ranked-by figure; the
    same rows as the wide copy, so a tap on row i opens the same office."""
    at = open_page(make_app, snapshot="2018-08-01", wilayah="sumbarriau", ukuran="cakupan")
    phones = list(at.dataframe)[1::2]
    assert len(phones) == 3
    cab, reg, desa = (list(d.proto.column_order) for d in phones)
    assert cab == ["Peringkat", "Kantor cabang", "Cakupan pekerja"]
    assert reg == ["Peringkat", "Kantor wilayah", "Cakupan pekerja"]
    assert desa == ["Peringkat", "Desa", "Peserta aktif"]
    for phone, full in zip(phones, wide(at)):
        assert phone.value.equals(full.value)


def test_measure_from_url_and_unknown_value(make_app):
    at = open_page(make_app, snapshot="2018-08-01", wilayah="sumbarriau", ukuran="tersertifikasi", ukuran_desa="hari")
    assert at.segmented_control[0].value == "tersertifikasi"
    assert at.segmented_control[1].value == "hari"
    t = tables(at)
    certified = list(t["cabang"]["Tersertifikasi"])
    assert certified == sorted(certified, reverse=True)
    days = list(t["desa"]["Hari usulan → sertifikasi"].dropna())
    assert days == sorted(days)  # fewest days first

    at.query_params["ukuran"] = "bogus"
    at.run()
    assert not at.exception
    assert at.segmented_control[0].value == "persen_target"
    assert at.query_params["ukuran"] == "persen_target"
    assert any("ukuran=bogus" in i.value for i in at.info)


def test_national_ranking_no_target_last(make_app):
    at = open_page(make_app, snapshot="2018-08-01")
    t = tables(at)
    cab, wil = t["cabang"], t["wilayah"]
    assert len(cab) == 165 and "Kantor wilayah" in cab.columns
    assert len(wil) == 11
    banjar = cab[cab["Kantor cabang"] == "Banjar (perkiraan)"].iloc[0]  # assumed, no target row at all
    assert pd.isna(banjar["Peringkat"]) and pd.isna(banjar["% target"]) and banjar["Pita"] == "Tanpa target"
    assert cab.index[cab["Kantor cabang"] == "Banjar (perkiraan)"][0] > cab.index[cab["Peringkat"].notna()].max()
    # national village ranking: every certified village of the snapshot
    assert len(t["desa"]) == 411


def test_branch_filter_and_tanjung_pinang_numbers(make_app, demo_dir):
    at = open_page(make_app, snapshot="2018-08-01", cabang="tanjung-pinang")
    t = tables(at)
    cab = t["cabang"]
    assert len(cab) == 30  # ranked against its region's branches
    tp = cab[cab["Kantor cabang"] == "Tanjung Pinang"].iloc[0]
    assert f"**KC Tanjung Pinang**: peringkat ke-{tp['Peringkat']} dari" in texts(at)
    assert "kantor cabang di Kanwil Sumbarriau menurut % target 2018" in texts(at)
    # the same numbers as the branch's own scope gives
    own = ranking(demo_dir, Scope.of(branches=["tanjung-pinang"])).iloc[0]
    assert visible(tp)[2:] == shown(own)[2:]
    assert tp["Tersertifikasi"] >= 1 and tp["Baru sejak 31 Jul"] == 1  # Ekang Anculai, 1 Aug 2018
    desa = t["desa"]
    assert len(desa) == int(tp["Tersertifikasi"]) == 3 and "Ekang Anculai" in set(desa["Desa"])
    assert desa.loc[desa["Desa"] == "Ekang Anculai", "Perubahan"].iloc[0] == "baru"


def test_choosing_a_branch_filters_the_view(make_app):
    at = open_page(make_app, snapshot="2018-08-01", wilayah="sumbarriau", ukuran="tersertifikasi")
    box = next(s for s in at.selectbox if s.label.startswith("Buka cabang"))
    box.select("karimun").run()
    assert not at.exception
    qp = at.query_params
    assert (qp["cabang"], qp["wilayah"], qp["snapshot"], qp["ukuran"]) == ("karimun", "sumbarriau", "2018-08-01",
                                                                          "tersertifikasi")
    shell = {s.label: s.value for s in at.selectbox}
    assert shell["Kantor Cabang"] == "karimun" and shell["Kantor Wilayah"] == "sumbarriau"
    assert "KC Karimun" in texts(at)
    assert "Kantor cabang" not in tables(at)["desa"].columns  # villages of the one branch
    # back to all branches of the region
    box = next(s for s in at.selectbox if s.label.startswith("Buka cabang"))
    box.select_index(0).run()  # "Semua cabang di Sumbarriau"
    assert "cabang" not in at.query_params and at.query_params["wilayah"] == "sumbarriau"


def undemo(df: pd.DataFrame, column: str = "Data") -> pd.DataFrame:
    """A download of demo data without its DEMO column (checked here: DEMO on every row)."""
    assert df.columns[0] == column and df[column].astype(str).str.startswith("DEMO").all()
    return df.drop(columns=[column])


def _same(visible: pd.DataFrame, back: pd.DataFrame) -> None:
    assert list(back.columns) == list(visible.columns)
    assert len(back) == len(visible)
    for col in visible.columns:
        want = [None if pd.isna(v) else v for v in visible[col]]
        got = [None if pd.isna(v) else v for v in back[col]]
        if col == "Tanggal sertifikasi":  # shown as text in the viewer's format
            got = [None if v is None else fmt.date_short(v.date(), "id") for v in got]
            want = [None if v == "–" else v for v in want]
        assert got == want, col


def test_downloads_are_the_visible_tables(make_app, downloads):
    at = open_page(make_app, snapshot="2018-08-01", wilayah="sumbarriau")
    t = tables(at)
    buttons = at.download_button
    assert [b.label for b in buttons] == ["Unduh XLSX", "Unduh CSV"] * 3  # XLSX first: it opens right everywhere
    for (_kind, visible), (xlsx_button, csv_button) in zip(t.items(), zip(buttons[::2], buttons[1::2])):
        back = undemo(table_files.read_xlsx(downloads(xlsx_button)))
        _same(visible, back)
        # the CSV as Indonesian Excel reads it: semicolons, decimal commas, UTF-8 with a BOM
        raw = downloads(csv_button)
        assert raw.startswith(b"\xef\xbb\xbf")
        from_csv = undemo(pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", sep=";", decimal=","))
        assert list(from_csv.columns) == list(visible.columns)
        assert len(from_csv) == len(visible)
        assert from_csv.iloc[:, 2].tolist() == visible.iloc[:, 2].tolist()  # names, in the same order
    assert "Peringkat" in table_files.read_xlsx(downloads(buttons[0])).columns  # Indonesian headers


def test_english_headers_in_downloads(make_app, downloads):
    at = open_page(make_app, snapshot="2018-08-01", wilayah="sumbarriau", lang="en")
    cab = tables(at)["cabang"]
    back = undemo(table_files.read_xlsx(downloads(at.download_button[0])), "Data")
    assert list(back.columns)[:3] == ["Rank", "Change", "Branch office"]
    _same(cab, back)
    assert at.segmented_control[0].label == "Rank offices by"


def test_first_snapshot_has_no_rank_changes(make_app):
    at = open_page(make_app, snapshot="2017-01-31", wilayah="sumbarriau")
    assert "Belum ada snapshot sebelumnya" in texts(at)
    cab = at.dataframe[0].value
    assert set(cab["Perubahan"]) == {"–"} and "Baru" in cab.columns
    assert "Tercepat:" not in texts(at)  # no fastest mover without a previous snapshot
    # no 2017 target in the demo: every branch "no target", unranked, none divided
    assert set(cab["Pita"]) == {"Tanpa target"} and cab["Peringkat"].isna().all()
    if len(wide(at)) == 2:  # no certified village in the region yet
        assert "Belum ada desa tersertifikasi dalam cakupan ini." in texts(at)
