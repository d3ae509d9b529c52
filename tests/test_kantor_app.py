"""The Data page (AppTest) loads the agency's own office list: a bad list is reported row by row and not
published; a good one (XLSX) is published, and then the filters, rankings and page texts use it: the new
branch is there and no office is marked "perkiraan" any more."""
from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from desasadar import offices, snapshots

from . import office_list as OL
from .conftest import ROOT

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def data_env(demo_dir, data_dir, monkeypatch):
    """The demo's 31 Jul 2018 snapshot in a data dir of this test's own; publishing allowed (demo trial)."""
    (data_dir / "snapshots").mkdir()
    shutil.copytree(demo_dir / "snapshots" / "2018-07-31", data_dir / "snapshots" / "2018-07-31")
    snapshots.set_current("2018-07-31", data_dir)
    monkeypatch.setenv("DSJS_DEMO_PUBLISH", "1")
    return data_dir


def run(path: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if path:
        at.switch_page(path)
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.date_input(key="data_as_of").set_value(date(2018, 8, 1))
    at.file_uploader[0].set_value([(name, data, XLSX)])
    at.run()
    at.button(key="data_validate").click().run()
    assert not at.exception, at.exception
    return at


def test_office_list_upload_on_the_data_page(data_env):
    at = run("pages/data.py")
    assert "Daftar kantor" in " ".join(h.value for h in at.header)  # its template is offered
    # a bad list: the rows and reasons, nothing to publish
    bad = OL.rows()
    bad.loc[bad["kode_kabupaten"] == "21.01", "kode_kabupaten"] = "21.99"
    upload(at, "daftar_kantor.xlsx", OL.to_xlsx(bad))
    table = at.dataframe[1].value
    rows = table[table["Tingkat"] == "Baris ditolak"]
    line = int(bad.index[bad["kode_kabupaten"] == "21.99"][0]) + 2  # the sheet's row: header on row 1
    assert list(zip(rows["Baris"], rows["Kolom"], rows["Kode alasan"])) == [(line, "kode_kabupaten", "unknown_regency")]
    assert "Kode kabupaten/kota tidak ada di register Kemendagri" in rows["Alasan"].iloc[0]
    assert any("Daftar kantor hanya dipakai utuh: ada baris yang ditolak (1)" in e.value for e in at.error)
    assert not any(b.key == "data_publish" for b in at.button)

    # the good list: published and made current
    at = run("pages/data.py")
    upload(at, "daftar_kantor.xlsx", OL.to_xlsx(OL.rows()))
    assert {m.label: m.value for m in at.metric}["Ditolak"] == "0"
    at.checkbox(key="data_confirm_publish").check().run()
    at.button(key="data_publish").click().run()
    assert not at.exception, at.exception
    cur = snapshots.find(snapshots.current_id(data_env), data_env)
    assert cur.id == "2018-08-01" and offices.of_snapshot(cur).own

    # the filters and the rankings now use the loaded list: the new branch, nothing marked "perkiraan"
    at = run("pages/peringkat.py", wilayah="sumbarriau", cabang="dabo-singkep")
    sel = at.selectbox(key="f_cabang")
    assert sel.value == "dabo-singkep" and "KC Dabo Singkep" in sel.options
    assert not [o for o in sel.options if "perkiraan" in o]
    shown = pd.concat([d.value for d in at.dataframe], ignore_index=True).astype(str)
    assert shown.apply(lambda c: c.str.contains("Dabo Singkep")).any().any()
    assert not shown.apply(lambda c: c.str.contains("perkiraan")).any().any()
    assert not [t for t in [*at.success, *at.info] if "perkiraan" in t.value]
