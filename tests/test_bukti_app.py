"""Evidence on the Desa page through the app, per viewer: a deputy of the village's region sees and downloads
it, a deputy of another region sees none of it, only a data officer gets the upload form."""
from __future__ import annotations

import pytest

from desasadar import access, db

from .conftest import app
from .evidence_files import world_with_evidence
from .test_access import AUTH, DEPUTY, OFFICER
from .test_access_pages import downloads, everything_shown  # noqa: F401 (fixture)

EKANG = "21.01.10.2002"
CERT_NO = "001/DSJS/KC-TPI/VIII/2018"
KALIMANTAN = "deputi.kalimantan@contoh.go.id"


@pytest.fixture(scope="module")
def world(demo_dir, tmp_path_factory):
    return world_with_evidence(demo_dir, tmp_path_factory.mktemp("bukti-app") / "data")


@pytest.fixture
def env(world, monkeypatch):
    monkeypatch.setenv("DSJS_DATA_DIR", str(world))
    cfg = access.load_config()
    cfg["pengguna"] = cfg["pengguna"] + [{"email": KALIMANTAN, "peran": "deputi_wilayah", "wilayah": ["kalimantan"]}]
    monkeypatch.setattr(access, "load_config", lambda path=None: cfg)
    db.clear_caches()
    yield world
    db.clear_caches()


def profile_as(email):
    at = app(snapshot="2018-08-01", desa=EKANG)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "name": "Uji"}
    at.switch_page("pages/desa.py")
    return at.run()


def test_deputy_of_the_region_sees_and_downloads_the_evidence(env, downloads):  # noqa: F811
    at = profile_as(DEPUTY)
    assert not at.exception
    shown = everything_shown(at)
    assert CERT_NO.replace("/", "/") in shown.replace("\\", "") and "Bukti sertifikasi" in shown
    assert "Bukti belum lengkap" not in shown
    assert not [e for e in at.expander if "Tambah bukti" in e.label]  # a deputy does not upload
    pdfs = [make() for make in downloads]
    pdfs = [b for b in pdfs if isinstance(b, bytes) and b.startswith(b"%PDF-")]
    assert len(pdfs) >= 2  # certificate and berita acara (the page's other briefs may add more)


def test_deputy_of_another_region_sees_none_of_it(env, downloads):  # noqa: F811
    at = profile_as(KALIMANTAN)
    assert not at.exception
    shown = everything_shown(at)
    assert "Desa tidak ditemukan" in shown
    assert CERT_NO not in shown.replace("\\", "") and "Penyerahan sertifikat" not in shown
    assert not downloads


def test_data_officer_gets_the_upload_form(env):
    at = profile_as(OFFICER)
    assert not at.exception
    assert [e for e in at.expander if "Tambah bukti" in e.label]


def test_ceremony_view_shows_the_photos(env):
    at = app(snapshot="2018-08-01", desa=EKANG)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": DEPUTY, "name": "Uji"}
    at.switch_page("pages/peresmian.py")
    at.run()
    assert not at.exception
    assert len(at.get("image")) == 3
    assert "Foto peresmian" in everything_shown(at)
