"""The Data page (AppTest): upload, validation report, publish with confirmation, snapshots,
rollback, templates, the size limit, and no access for viewers who may not publish."""
from __future__ import annotations

import shutil
from datetime import date

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from desasadar import snapshots
from desasadar.access import Viewer
from desasadar.scope import Scope
from desasadar.ui import auth

from .conftest import ROOT
from .ingest_world import FIX

CSV = "text/csv"


@pytest.fixture
def data_env(demo_dir, data_dir):
    """A data dir of this test's own holding the demo's 31 Jul 2018 snapshot (publishing changes it)."""
    (data_dir / "snapshots").mkdir()
    for sid in ("2018-06-30", "2018-07-31"):
        shutil.copytree(demo_dir / "snapshots" / sid, data_dir / "snapshots" / sid)
    snapshots.set_current("2018-07-31", data_dir)
    return data_dir


def open_page(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at


def texts(at, kind) -> str:
    return " | ".join(str(e.value) for e in getattr(at, kind))


def upload(at, *paths, as_of=date(2018, 8, 1)):
    at.date_input(key="data_as_of").set_value(as_of)
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), CSV) for p in paths])
    at.run()
    at.button(key="data_validate").click().run()
    assert not at.exception, at.exception
    return at


def test_demo_mode_is_read_only_by_default(data_env):
    at = open_page()
    assert "hanya baca" in texts(at, "warning")
    upload(at, FIX / "status_desa_tanjung-pinang.csv", FIX / "kepesertaan_tanjung-pinang.csv")
    at.checkbox(key="data_confirm_publish").check().run()
    assert at.button(key="data_publish").disabled  # confirmed, and still no publishing in demo mode
    assert snapshots.current_id(data_env) == "2018-07-31"


def test_demo_viewer_uploads_checks_and_publishes_with_confirmation(data_env, monkeypatch):
    monkeypatch.setenv("DSJS_DEMO_PUBLISH", "1")  # a local trial on demo data
    at = open_page()
    assert "MODE DEMO" in texts(at, "warning")
    assert "50 MB" in texts(at, "caption")
    upload(at, FIX / "status_desa_tanjung-pinang.csv", FIX / "kepesertaan_tanjung-pinang.csv")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Baris": "8", "Diterima": "8", "Ditolak": "0", "Porsi ditolak": "0,0%"}
    staged = at.session_state["data_check"]["staged"].folder  # uploads wait outside data/ until published
    assert staged.is_dir() and data_env not in staged.parents
    assert not [p for p in data_env.rglob("*tanjung-pinang.csv")]
    assert sorted(p.name for p in (data_env / "snapshots").iterdir()) == ["2018-06-30", "2018-07-31"]
    assert "Tidak ada masalah" not in texts(at, "success")  # a note (blank row) is listed
    assert at.button(key="data_publish").disabled  # not before the confirmation
    at.checkbox(key="data_confirm_publish").check().run()
    at.button(key="data_publish").click().run()
    assert not at.exception, at.exception
    assert snapshots.current_id(data_env) == "2018-08-01"
    assert "Diterbitkan sebagai snapshot 2018-08-01" in texts(at, "success")
    snap = next(s for s in snapshots.published(data_env) if s.id == "2018-08-01")
    assert snap.is_demo  # published in demo mode, on top of demo data
    from desasadar import audit
    assert [e["snapshot"] for e in audit.read(data_env) if e["action"] == "publish"] == ["2018-08-01"]
    assert not staged.exists()  # the temporary upload folder is gone


def test_bad_files_show_a_filterable_downloadable_report_and_cannot_publish(data_env):
    at = open_page(lang="en")
    upload(at, FIX / "status_desa_bad.csv")
    assert "Too many rows rejected" in texts(at, "error")
    assert "Cannot publish" in texts(at, "error")
    assert not [b for b in at.button if b.key == "data_publish"]
    table = at.dataframe[1].value
    assert len(table) == 17 and "illegal_transition" in set(table["Reason code"])
    at.multiselect(key="data_reasons").set_value(["illegal_transition"]).run()
    table = at.dataframe[1].value
    assert list(table["Row"]) == [3, 7] and set(table["Reason code"]) == {"illegal_transition"}
    assert snapshots.current_id(data_env) == "2018-07-31"


def test_a_file_over_the_configured_limit_is_refused(data_env, tmp_path):
    big = tmp_path / "kepesertaan_besar.csv"
    lines = (FIX / "kepesertaan_tanjung-pinang.csv").read_text().splitlines()
    big.write_text("\n".join([lines[0]] + [lines[1]] * 20_000) + "\n")  # about 1.6 MB
    old = st_config.get_option("server.maxUploadSize")
    st_config.set_option("server.maxUploadSize", 1)
    try:
        at = open_page()
        assert "1 MB" in texts(at, "caption")
        upload(at, big)
    finally:
        st_config.set_option("server.maxUploadSize", old)
    errors = texts(at, "error").replace("\\", "")  # file names are echoed escaped (desasadar/echo.py)
    assert "kepesertaan_besar.csv" in errors and "melebihi batas 1 MB" in errors
    assert "terlalu besar" in errors  # and the report's own line, which blocks publishing
    assert not [b for b in at.button if b.key == "data_publish"]


def test_snapshot_list_manifest_and_rollback_with_confirmation(data_env, monkeypatch):
    monkeypatch.setenv("DSJS_DEMO_PUBLISH", "1")
    at = open_page()
    listing = at.dataframe[0].value
    assert list(listing["Snapshot"]) == ["2018-07-31 ★", "2018-06-30"]
    assert "Rollback" in [s.value for s in at.header]
    assert at.button(key="data_rollback").disabled
    at.checkbox(key="data_confirm_rollback").check().run()
    at.button(key="data_rollback").click().run()
    assert not at.exception, at.exception
    assert snapshots.current_id(data_env) == "2018-06-30"
    assert "2018-06-30" in texts(at, "success")


def test_templates_can_be_downloaded(data_env):
    at = open_page()
    keys = {b.key for b in at.get("download_button")}
    assert {"data_tpl_csv_status_desa", "data_tpl_xlsx_status_desa", "data_tpl_csv_kepesertaan",
            "data_tpl_xlsx_kepesertaan"} <= keys


def test_viewer_without_publish_rights_gets_no_access(data_env, monkeypatch):
    viewer = Viewer(email="kc@example.go.id", name="Kepala Cabang", role="kepala_cabang", scope=Scope.national())
    monkeypatch.setattr(auth, "current_viewer", lambda: viewer)
    monkeypatch.setattr(auth, "pages_for", lambda v: auth.ALL_PAGES)  # even if the shell listed the page
    at = open_page()
    assert "hanya untuk petugas data" in texts(at, "error")
    assert not at.file_uploader and not at.get("download_button")
