"""E-mailed briefs through a real SMTP server (aiosmtpd on loopback): who received what, the PDF attached,
DEMO in the subject on demo data, and a refused address reported while the others were still sent."""
from __future__ import annotations

import email
import email.policy
import io
import shutil
import socket
import threading
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader

from desasadar import audit, db
from desasadar.__main__ import main
from desasadar.laporan import penerima
from desasadar.access import load_config

from .helpers import publish, village

EKANG = "21.01.10.2002"      # KC Tanjung Pinang, Kanwil Sumbarriau
ACEH = "11.03.06.2001"       # KC Lhokseumawe, Kanwil Sumbagut
REFUSED = "deputi.sumbagsel@contoh.go.id"
AKSES = f"""
[[pengguna]]
email = "direksi@contoh.go.id"
nama = "Ibu Direktur"
peran = "direksi"

[[pengguna]]
email = "deputi.sumbarriau@contoh.go.id"
nama = "Bapak Deputi Sumbarriau"
peran = "deputi_wilayah"
wilayah = ["sumbarriau"]

[[pengguna]]
email = "deputi.sumbagut@contoh.go.id"
peran = "deputi_wilayah"
wilayah = ["sumbagut"]

[[pengguna]]
email = "{REFUSED}"
peran = "deputi_wilayah"
wilayah = ["sumbagsel"]

[[pengguna]]
email = "kc.tanjungpinang@contoh.go.id"
peran = "kepala_cabang"
cabang = ["tanjung-pinang"]

[[pengguna]]
email = "deputi.diam@contoh.go.id"
peran = "deputi_wilayah"
wilayah = ["banten"]
laporan = false

[[pengguna]]
email = "data.pusat@contoh.go.id"
peran = "petugas_data"
nasional = true
"""
EXPECTED = {
    "direksi@contoh.go.id": "national",
    "deputi.sumbarriau@contoh.go.id": "region:sumbarriau",
    "deputi.sumbagut@contoh.go.id": "region:sumbagut",
    "kc.tanjungpinang@contoh.go.id": "branch:tanjung-pinang",
}


class Inbox:
    """aiosmtpd handler: keeps each delivered message per recipient; refuses one address like a real server."""

    def __init__(self):
        self.got: dict[str, list[email.message.EmailMessage]] = {}
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() == REFUSED:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.got.setdefault(rcpt.lower(), []).append(msg)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    base = tmp_path_factory.mktemp("laporan-data")
    publish(base, date(2018, 8, 1), [
        village(EKANG, "certified", proposed_on=date(2018, 5, 1), verified_on=date(2018, 6, 20),
                certified_on=date(2018, 8, 1), head_enrolled=True),
        village(ACEH, "certified", proposed_on=date(2018, 3, 1), verified_on=date(2018, 4, 1),
                certified_on=date(2018, 5, 2)),
    ], demo=True)
    return base


@pytest.fixture
def world(published, tmp_path, monkeypatch):
    base = tmp_path / "data"
    shutil.copytree(published, base)
    monkeypatch.setenv("DSJS_DATA_DIR", str(base))
    monkeypatch.delenv("DSJS_PUBLIC_URL", raising=False)
    db.clear_caches()
    (tmp_path / "akses.toml").write_text(AKSES)
    yield tmp_path
    db.clear_caches()


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    ctl = Controller(inbox, hostname="127.0.0.1", port=free_port())
    ctl.start()
    try:
        yield inbox, ctl.port
    finally:
        ctl.stop()


def pdf_text(part) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(part.get_content())).pages)


def test_recipients_by_role_and_scope():
    people = penerima.recipients(load_config_text(AKSES))
    assert [(p.email, p.brief) for p in people] == [
        ("direksi@contoh.go.id", ("national", "")),
        ("deputi.sumbarriau@contoh.go.id", ("region", "sumbarriau")),
        ("deputi.sumbagut@contoh.go.id", ("region", "sumbagut")),
        (REFUSED, ("region", "sumbagsel")),
        ("kc.tanjungpinang@contoh.go.id", ("branch", "tanjung-pinang")),
    ]


def load_config_text(text: str) -> dict:
    import tomllib
    return tomllib.loads(text)


def test_each_recipient_gets_only_their_scope_by_real_smtp(world, smtp_server, capsys, output_dir):
    inbox, port = smtp_server
    (world / "secrets.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nsender = "DSJS <laporan@contoh.go.id>"\n')
    load_config(world / "akses.toml")  # the file is valid for sign-in too
    code = main(["laporan", "--hanya-penerima", "--akses", str(world / "akses.toml"),
                 "--secrets", str(world / "secrets.toml")])
    out, err = capsys.readouterr()
    assert code == 1  # one address failed ...
    assert set(inbox.got) == set(EXPECTED)  # ... the others were still sent, and nobody else got anything
    for addr, brief in EXPECTED.items():
        [msg] = inbox.got[addr]
        assert msg["To"] == addr and msg["X-DSJS-Brief"] == brief
        assert msg["Subject"].startswith("[DEMO] Ringkasan Desa Sadar Jaminan Sosial")
        assert "1 Agustus 2018" in msg["Subject"]
        [pdf] = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
        assert pdf.get_content().startswith(b"%PDF-")
        text = pdf_text(pdf)
        assert "DEMO" in text and "DATA DEMO" in msg.get_body(("plain",)).get_content()
        if brief == "region:sumbarriau":
            assert "Sumbarriau" in msg["Subject"] and "Ekang Anculai" in text and "Keude Bagok" not in text
        if brief == "region:sumbagut":
            assert "Sumbagut" in msg["Subject"] and "Keude Bagok" in text and "Ekang Anculai" not in text
        if brief == "branch:tanjung-pinang":
            assert "Tanjung Pinang" in msg["Subject"] and "Keude Bagok" not in text
        if brief == "national":
            assert "Nasional" in msg["Subject"] and "Sumbarriau" in text and "Sumbagut" in text
        # as received, for people to look at (open the .eml in any mail program)
        (output_dir / f"laporan-diterima-{brief.replace(':', '-')}.eml").write_bytes(bytes(msg))
    # the failure is reported clearly, with the server's answer
    assert f"FAILED  {REFUSED}" in out and "550" in out and "mailbox unavailable" in out
    assert "4 e-mails sent, 1 failed" in err and f"not delivered: {REFUSED}" in err
    events = [e for e in audit.read(world / "data") if e["action"] == "laporan"]
    assert sorted((e["to"], e["ok"]) for e in events) == sorted([(a, True) for a in EXPECTED] + [(REFUSED, False)])


def test_dry_run_writes_eml_files_and_sends_nothing(world, smtp_server, capsys):
    inbox, _ = smtp_server
    out_dir = world / "eml"
    code = main(["laporan", "--hanya-penerima", "--dry-run", str(out_dir), "--akses", str(world / "akses.toml"),
                 "--secrets", str(world / "nothing.toml"), "--lang", "en"])
    assert code == 0 and inbox.got == {}
    files = sorted(out_dir.glob("*.eml"))
    assert len(files) == 5
    msgs = {m["To"]: m for m in (email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files)}
    assert msgs[REFUSED]["X-DSJS-Brief"] == "region:sumbagsel"
    assert msgs["direksi@contoh.go.id"]["Subject"].startswith("[DEMO] Desa Sadar Jaminan Sosial brief: National")


def test_missing_smtp_settings_is_a_usage_error(world, capsys):
    code = main(["laporan", "--akses", str(world / "akses.toml"), "--secrets", str(world / "nothing.toml")])
    assert code == 2 and "[smtp]" in capsys.readouterr().err


def test_recipients_come_from_the_access_file_the_dashboard_reads(world, smtp_server, monkeypatch):
    """Without --akses, DSJS_AKSES_FILE (the deployment's file outside the code) names the recipients."""
    inbox, _ = smtp_server
    monkeypatch.setenv("DSJS_AKSES_FILE", str(world / "akses.toml"))
    out_dir = world / "eml-env"
    code = main(["laporan", "--hanya-penerima", "--dry-run", str(out_dir),
                 "--secrets", str(world / "nothing.toml"), "--lang", "en"])
    assert code == 0 and inbox.got == {}
    to = {email.message_from_bytes(f.read_bytes(), policy=email.policy.default)["To"] for f in out_dir.glob("*.eml")}
    assert len(to) == 5 and "direksi@contoh.go.id" in to
