"""Evidence on the Desa profile in a real browser: certificate number and date, PDF buttons, photo thumbnails,
the far-away photo flagged; a screenshot for people to look at."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..evidence_files import world_with_evidence
from .conftest import screenshot, settle, start_server, stop_server
from .test_desa_browser import whole_page

pytestmark = pytest.mark.browser
EKANG = "21.01.10.2002"


@pytest.fixture(scope="module")
def evidence_server(demo_dir, tmp_path_factory):
    base = world_with_evidence(demo_dir, tmp_path_factory.mktemp("bukti-browser") / "data")
    proc, url = start_server(base)
    yield url
    stop_server(proc)


def test_profile_shows_its_evidence(evidence_server, page):
    page.goto(f"{evidence_server}/desa?snapshot=2018-08-01&cabang=tanjung-pinang&desa={EKANG}")
    settle(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_role("heading", name="Bukti sertifikasi")).to_be_visible()
    expect(main.get_by_text("001/DSJS/KC-TPI/VIII/2018")).to_be_visible()
    expect(main.get_by_text("tanggal Rabu, 1 Agustus 2018", exact=False)).to_be_visible()
    expect(main.locator("[data-testid='stDownloadButton']")).to_have_count(2)
    expect(main.get_by_text("Diunggah dari Jakarta")).to_be_visible()
    expect(main.get_by_text("km dari titik desa: periksa", exact=False)).to_have_count(1)
    images = main.locator("[data-testid='stImage'] img")
    expect(images).to_have_count(3)
    main.get_by_role("heading", name="Bukti sertifikasi").scroll_into_view_if_needed()
    for i in range(3):
        expect(images.nth(i)).to_be_visible()
        assert page.evaluate("(img) => img.complete && img.naturalWidth > 100", images.nth(i).element_handle())
    with page.expect_download() as dl:
        main.locator("[data-testid='stDownloadButton'] button").first.click()
    assert open(dl.value.path(), "rb").read(5) == b"%PDF-"
    whole_page(page)
    path = screenshot(page, "desa-bukti")
    assert path.stat().st_size > 50_000
    assert not page.blocked, f"requests to outside hosts: {page.blocked}"
