"""The Data page in a real browser: upload a branch's files, read the report, publish, screenshot.

Runs its own server on a copy of the demo's July 2018 snapshots (publishing changes the data)."""
from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from desasadar import snapshots

from ..ingest_world import FIX
from .conftest import screenshot, settle, start_server, stop_server

pytestmark = pytest.mark.browser


@pytest.fixture
def own_server(demo_dir, tmp_path):
    data = tmp_path / "data"
    (data / "snapshots").mkdir(parents=True)
    for sid in ("2018-06-30", "2018-07-31"):
        shutil.copytree(demo_dir / "snapshots" / sid, data / "snapshots" / sid)
    snapshots.set_current("2018-07-31", data)
    proc, url = start_server(data, env_extra={"DSJS_DEMO_PUBLISH": "1"})  # a local trial may publish
    yield url, data
    stop_server(proc)


def whole_page(page) -> None:
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll(\"[data-testid='stMain'], [data-testid='stAppScrollToBottomContainer']\")]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)")
    page.set_viewport_size({"width": 1600, "height": min(int(height) + 40, 6000)})
    settle(page)


@pytest.mark.slow
def test_upload_report_and_publish(own_server, page):
    url, data = own_server
    page.goto(f"{url}/data")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text("MODE DEMO", exact=False)).to_be_visible()
    expect(main.get_by_text("Batas ukuran: 50 MB per berkas", exact=False)).to_be_visible()
    # the as-of date defaults to the month end after CURRENT (31/08/2018)
    expect(main.get_by_role("spinbutton", name="day, Data per tanggal")).to_have_text("31")

    # a bad village report: the problems, why nothing can be published
    main.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        [str(FIX / "status_desa_bad.csv"), str(FIX / "kepesertaan_tanjung-pinang.csv")])
    settle(page)
    main.get_by_role("button", name="Validasi").click()
    settle(page)
    expect(main.get_by_text("Terlalu banyak baris ditolak", exact=False).first).to_be_visible()
    expect(main.get_by_role("button", name="Terbitkan")).to_have_count(0)
    whole_page(page)
    assert screenshot(page, "data_laporan_validasi").stat().st_size > 50_000

    # the good files: publish after confirming
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(f"{url}/data")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    # the as-of date defaults to the month end after CURRENT (31/08/2018)
    expect(main.get_by_role("spinbutton", name="day, Data per tanggal")).to_have_text("31")
    main.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        [str(FIX / "status_desa_tanjung-pinang.csv"), str(FIX / "kepesertaan_tanjung-pinang.csv")])
    settle(page)
    main.get_by_role("button", name="Validasi").click()
    settle(page)
    main.get_by_text("Saya sudah memeriksa laporan ini", exact=False).click()
    settle(page)
    main.get_by_role("button", name="Terbitkan").click()
    settle(page)
    expect(main.get_by_text("Diterbitkan sebagai snapshot 2018-08-31", exact=False)).to_be_visible()
    assert snapshots.current_id(data) == "2018-08-31"
    main.get_by_role("tab", name="Snapshot & rollback").click()
    settle(page)
    whole_page(page)
    assert screenshot(page, "data_snapshot").stat().st_size > 30_000
    assert not page.blocked, f"requests to outside hosts: {page.blocked}"
