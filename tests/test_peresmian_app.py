"""Peresmian page (AppTest) on the demo: the ceremony view of Ekang Anculai on 2018-08-01 (name, date, desa ke-411,
KC Tanjung Pinang), English, the QR code only with a public URL, the slide sequence, and the picker with its
messages for a malformed, unknown, out-of-scope or not-certified village."""

from __future__ import annotations

import pandas as pd
import pytest

from desasadar.export import qr

PAGE = "pages/peresmian.py"
EKANG = "21.01.10.2002"


def open_page(make_app, **query):
    at = make_app(**query)
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def slide_html(at) -> str:
    return "\n".join(h.value for h in at.html if "dsjs-slide" in h.value)


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [w.value for w in at.warning] + [i.value for i in at.info])


@pytest.fixture(autouse=True)
def no_public_url(monkeypatch):
    monkeypatch.delenv(qr.ENV, raising=False)


@pytest.fixture(scope="module")
def ekang_facts(demo_dir):
    f = pd.read_parquet(demo_dir / "snapshots" / "2018-08-01" / "facts_desa.parquet")
    return f.set_index("village_code").loc[EKANG]


def test_ceremony_view(make_app, ekang_facts):
    at = open_page(make_app, snapshot="2018-08-01", desa=EKANG)
    html = slide_html(at)
    for s in (
        "Desa Ekang Anculai",
        "Desa Sadar Jaminan Sosial",
        "Rabu, 1 Agustus 2018",
        "Kecamatan Teluk Sebong",
        "Kabupaten Bintan",
        "ke-411",
        "desa tersertifikasi secara nasional",
        f"ke-{int(ekang_facts.certified_seq_branch)}",
        "di KC Tanjung Pinang",
        f">{int(ekang_facts.aparatur_active)}<",
        f">{int(ekang_facts.participants_active)}<",
        "1.450 aparatur desa, ketua RT/RW dan staf desa terdaftar di Kabupaten Bintan",
        "Nasional: target 2018",
        "dari 500 desa",
        "DATA DEMO",
        "Data per Rabu, 1 Agustus 2018",
    ):
        assert s in html, s
    assert 'class="dsjs-qr"' not in html  # no public URL configured: no QR code
    assert any("stSidebar" in h.value for h in at.html)  # the chrome-hiding CSS is injected
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["PDF desa (A4)", "Gambar WhatsApp (1080×1350)", "PDF KC Tanjung Pinang", "PDF Kanwil Sumbarriau",
                      "Ringkasan nasional untuk Direksi (PDF)"]  # the demo viewer is national
    assert not at.selectbox or all(s.key != "peresmian_pick" for s in at.selectbox)
    # the shell draws nothing above a full-screen slide (its own badge and stamp stand in for the banner's)
    assert not any("Data per" in c.value for c in at.caption) and not at.warning


def test_ceremony_view_with_branch_filter_and_english(make_app):
    at = open_page(make_app, snapshot="2018-08-01", cabang="tanjung-pinang", desa=EKANG, lang="en")
    html = slide_html(at)
    for s in (
        "Desa Ekang Anculai",
        "Wednesday, 1 August 2018",
        "No. 411",
        "in KC Tanjung Pinang",
        "DEMO DATA",
        "1,450 village officials, RT/RW heads and village staff enrolled across Kabupaten Bintan",
        "of 500 villages",
    ):
        assert s in html, s


def test_qr_code_with_public_url(make_app, monkeypatch):
    monkeypatch.setenv(qr.ENV, "https://dsjs.example.go.id")
    html = slide_html(open_page(make_app, snapshot="2018-08-01", desa=EKANG))
    assert 'class="dsjs-qr"' in html and "data:image/svg+xml" in html
    assert "https://dsjs.example.go.id/desa?desa=21.01.10.2002" in html


def test_ten_digit_code_is_normalised(make_app):
    at = open_page(make_app, snapshot="2018-08-01", desa="2101102002")
    assert "Desa Ekang Anculai" in slide_html(at)
    assert at.query_params["desa"] in (EKANG, [EKANG])


def test_slide_sequence(make_app):
    at = open_page(make_app, snapshot="2018-08-01", desa=EKANG, putar="10")
    html = slide_html(at)
    assert "Desa Ekang Anculai" in html and "Slide 1 dari 4" in html
    at.run()  # the fragment's next turn (a full rerun also advances it)
    html = slide_html(at)
    assert "Kantor Cabang Tanjung Pinang" in html and "Slide 2 dari 4" in html


@pytest.mark.parametrize(
    "desa, message",
    [
        ("abc<b>*x*", r"Kode desa «abc\<b\>\*x\*» tidak sah"),
        ("21.01.10.9999", "Desa 21.01.10.9999 tidak ditemukan"),
        ("21.01.10.2001", "Berakit belum tersertifikasi per 1 Agustus 2018"),
    ],
)
def test_problem_shows_message_and_picker(make_app, desa, message):
    at = open_page(make_app, snapshot="2018-08-01", desa=desa)
    assert not slide_html(at)
    assert any(message in w.value for w in at.warning), [w.value for w in at.warning]
    # no slide, so the shell's banner and data stamp are there after all
    assert any("DATA DEMO" in w.value for w in at.warning)
    assert any("Data per Rabu, 1 Agustus 2018" in c.value for c in at.caption)
    pick = next(s for s in at.selectbox if s.key == "peresmian_pick")
    assert EKANG in pick.options or any("Ekang Anculai" in o for o in pick.options)


def test_out_of_scope_village(make_app):
    # Ekang Anculai is not within the KC Medan filter: no ceremony, a message and Medan's own villages to pick
    at = open_page(make_app, snapshot="2018-08-01", cabang="medan", desa=EKANG)
    assert not slide_html(at)
    assert any("tidak ditemukan" in w.value for w in at.warning)
    pick = next(s for s in at.selectbox if s.key == "peresmian_pick")
    assert pick.options and not any("Ekang Anculai" in o for o in pick.options)


def test_no_certified_village_in_scope(make_app):
    at = open_page(make_app, snapshot="2018-08-01", cabang="banjar")
    assert "Belum ada desa tersertifikasi dalam cakupan ini per 1 Agustus 2018." in texts(at)


def test_pick_and_open(make_app):
    at = open_page(make_app, snapshot="2018-08-01")
    assert not slide_html(at)
    pick = next(s for s in at.selectbox if s.key == "peresmian_pick")
    pick.set_value(EKANG).run()
    village = [b.label for b in at.get("download_button") if b.key != "dl_national_pdf_top"]
    assert village[:2] == ["PDF desa (A4)", "Gambar WhatsApp (1080×1350)"]
    at.checkbox(key="peresmian_autoplay").check().run()
    at.button(key="peresmian_start").click().run()
    assert not at.exception
    assert at.query_params["desa"] in (EKANG, [EKANG]) and at.query_params["putar"] in ("15", ["15"])
    assert "Desa Ekang Anculai" in slide_html(at)
    at.button(key="peresmian_exit").click().run()
    assert "desa" not in at.query_params and not slide_html(at)
