"""The Data page (AppTest) for data officers limited to a branch or a region (config/akses.toml):
counts and rejected rows within their scope only, no national manifest or summary, no rollback,
and publishing refused for a file with a row outside their scope."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from desasadar import snapshots
from desasadar.ingest import publish as P

from .conftest import ROOT
from .ingest_world import FIX
from .test_access import AUTH
from .test_access_pages import downloads  # noqa: F401  (fixture: files the download buttons offer)
from .test_data_app import data_env  # noqa: F401  (fixture: two demo snapshots, July 2018)
from .test_ingest_permission import ACEH, BATAM_KEL, HEADER, line

BRANCH_OFFICER = "data.tanjungpinang@contoh.bpjsketenagakerjaan.go.id"
REGION_OFFICER = "data.sumbarriau@contoh.bpjsketenagakerjaan.go.id"
GOOD = [FIX / "status_desa_tanjung-pinang.csv", FIX / "kepesertaan_tanjung-pinang.csv"]


def as_officer(email: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "email_verified": True, "name": "Uji"}
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at


def texts(at, kind) -> str:
    return " | ".join(str(e.value) for e in getattr(at, kind))


def upload(at, *files, as_of=date(2018, 8, 1)):
    at.date_input(key="data_as_of").set_value(as_of)
    at.file_uploader[0].set_value([(name, data, "text/csv") for name, data in files])
    at.run()
    at.button(key="data_validate").click().run()
    assert not at.exception, at.exception
    return at


def in_scope_counts(data_dir, sid, column, codes) -> tuple[int, int]:
    v = pd.read_parquet(data_dir / "snapshots" / sid / "villages.parquet")
    e = pd.read_parquet(data_dir / "snapshots" / sid / "enrollments.parquet", columns=["village_code"])
    mine = v[v[column].isin(codes)]
    return len(mine), int(e["village_code"].isin(mine["village_code"]).sum())


@pytest.mark.parametrize("email, column, codes", [
    (BRANCH_OFFICER, "branch_code", ["tanjung-pinang"]),
    (REGION_OFFICER, "region_code", ["sumbarriau"]),
])
def test_snapshot_list_counts_only_the_scope_and_no_rollback(data_env, email, column, codes):  # noqa: F811
    at = as_officer(email)
    assert "Anda petugas data untuk" in texts(at, "info")
    listing = at.dataframe[0].value
    assert list(listing.columns) == ["Snapshot", "Data per tanggal", "Asal", "Desa (cakupan Anda)", "Peserta (cakupan Anda)",
                                     "Integritas"]
    for sid in ("2018-07-31", "2018-06-30"):
        row = listing[listing["Snapshot"].str.startswith(sid)].iloc[0]
        villages, enrolled = in_scope_counts(data_env, sid, column, codes)
        national = snapshots.published(data_env)[0].manifest["files"]["villages.parquet"]["rows"]
        assert 0 < villages < national
        assert (row["Desa (cakupan Anda)"], row["Peserta (cakupan Anda)"]) == (
            f"{villages:,}".replace(",", "."), f"{enrolled:,}".replace(",", "."))
    assert "Rollback hanya dapat dilakukan oleh petugas data nasional" in texts(at, "info")
    assert not [b for b in at.button if b.key == "data_rollback"]
    assert not at.get("expandable")  # no manifest (national row counts, every branch's file names)
    assert not [m for m in at.metric]  # no national ingest summary


def test_branch_officer_cannot_publish_a_file_with_another_branchs_row(data_env):  # noqa: F811
    at = as_officer(BRANCH_OFFICER)
    mixed = "\n".join([HEADER, line("tanjung-pinang", "21.01.10.2002", "P7"), line("batam-nagoya", BATAM_KEL, "P8")])
    upload(at, (GOOD[0].name, GOOD[0].read_bytes()), ("kepesertaan_campur.csv", mixed.encode()))
    errors = texts(at, "error").replace("\\", "")
    assert "Baris di luar cakupan Anda (1: kepesertaan_campur.csv baris 3)" in errors
    assert not [b for b in at.button if b.key == "data_publish"]
    assert snapshots.current_id(data_env) == "2018-07-31"


def test_region_officer_publishes_their_files(data_env):  # noqa: F811
    at = as_officer(REGION_OFFICER)
    upload(at, *[(p.name, p.read_bytes()) for p in GOOD])
    at.checkbox(key="data_confirm_publish").check().run()
    at.button(key="data_publish").click().run()
    assert not at.exception, at.exception
    assert snapshots.current_id(data_env) == "2018-08-01"


def test_quarantine_download_holds_only_the_scopes_rows(data_env, downloads):  # noqa: F811
    bad = data_env / "kepesertaan_tolak.csv"
    bad.write_text("\n".join([HEADER, line("tanjung-pinang", "21.01.10.2002", "Q1", active="mungkin"),
                              line("batam-nagoya", BATAM_KEL, "Q2", active="mungkin"),
                              line("lhokseumawe", ACEH, "Q3", active="mungkin")]) + "\n")
    rep = P.ingest([GOOD[0], bad], date(2018, 8, 1), base=data_env, max_rejected=1.0)  # a national publish
    assert rep.outcome == "published"
    at = as_officer(BRANCH_OFFICER)
    labels = [b.label for b in at.get("download_button")]
    assert "Unduh ditolak_kepesertaan.csv (1 baris)" in labels
    assert not [x for x in labels if "laporan_validasi" in x]  # the national report is not theirs
    made = [d() for d in downloads]
    quarantine = [m for m in made if isinstance(m, bytes) and b"berkas;lembar;baris" in m]
    assert len(quarantine) == 1
    assert b"Q1" in quarantine[0] and b"Q2" not in quarantine[0] and b"Q3" not in quarantine[0]
