"""Evidence per village: checks by content, metadata removed, GPS flag, storage outside snapshots, scope."""
from __future__ import annotations

import io
import shutil
from datetime import date

import pytest
from PIL import Image

from desasadar import audit, db, reference
from desasadar.evidence import attach, checks, store
from desasadar.evidence.checks import EvidenceError
from desasadar.ingest.publish import rollback
from desasadar.scope import Scope

from . import evidence_files as ef
from .helpers import publish, village

EKANG = "21.01.10.2002"      # KC Tanjung Pinang, Kanwil Sumbarriau
BERAKIT = "21.01.10.2001"    # same branch
ACEH = "11.03.06.2001"       # KC Lhokseumawe, Kanwil Sumbagut
TP = Scope.of(branches=["tanjung-pinang"])
SUMBARRIAU = Scope.of(regions=["sumbarriau"])
ACEH_REGION = Scope.of(regions=["sumbagut"])
ALL = Scope.national()
WHO = "data.tp@contoh.go.id"


def point(code):
    d = reference.table("desa.parquet")
    r = d[d.village_code == code].iloc[0]
    return float(r.lat), float(r.lon)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Two tiny snapshots, published once; each test works on its own copy."""
    tmp_path = tmp_path_factory.mktemp("bukti-snapshots")
    steps = dict(proposed_on=date(2018, 3, 1), verified_on=date(2018, 4, 1))
    publish(tmp_path, date(2018, 7, 1), [village(EKANG, "verified", **steps)])
    publish(tmp_path, date(2018, 8, 1), [
        village(EKANG, "certified", certified_on=date(2018, 8, 1), **steps),
        village(BERAKIT, "certified", certified_on=date(2018, 7, 10), **steps),
        village(ACEH, "certified", certified_on=date(2018, 5, 2), **steps),
    ])
    return tmp_path


@pytest.fixture
def base(published, tmp_path):
    shutil.copytree(published, tmp_path / "data")
    db.clear_caches()
    yield tmp_path / "data"
    db.clear_caches()


def add(base, kind, data, scope=TP, code=EKANG, **kw):
    if kind == "sertifikat":
        kw.setdefault("cert_number", "560/123/DSJS/2018")
        kw.setdefault("cert_date", date(2018, 8, 1))
    return attach.add(scope, WHO, code, kind, data, base=base, **kw)


def test_certificate_is_stored_by_content_address_outside_snapshots(base):
    data = ef.pdf()
    got = add(base, "sertifikat", data, caption="Sertifikat asli")
    assert got.sha256 == store.sha_of(data)
    path = store.file_path(got.sha256, base)
    assert path.read_bytes() == data and base / "evidence" in path.parents
    assert not any((base / "snapshots").rglob(got.sha256))
    rows = attach.listed(TP, EKANG, base=base)
    assert rows[["kind", "cert_number", "who", "size_bytes", "caption"]].values.tolist() == [
        ["sertifikat", "560/123/DSJS/2018", WHO, len(data), "Sertifikat asli"]]
    assert rows["cert_date"].iloc[0].date() == date(2018, 8, 1)
    assert audit.read(base)[-1]["action"] == "evidence"
    # a rollback to the earlier snapshot keeps the evidence (and so does going forward again)
    rollback("2018-07-01", base)
    assert store.read(got.sha256, base) == data
    assert len(store.records(base)) == 1


@pytest.mark.parametrize("kind,data,key", [
    ("sertifikat", ef.photo(), "bukti.err_not_pdf"),                    # a JPEG named .pdf
    ("berita_acara", b"GIF89a....", "bukti.err_not_pdf"),
    ("sertifikat", ef.pdf()[:-200], "bukti.err_pdf_truncated"),
    ("foto", ef.pdf(), "bukti.err_not_photo"),                          # a PDF named .jpg
    ("foto", ef.photo()[:5000], "bukti.err_photo_broken"),               # cut short
    ("foto", b"", "bukti.err_empty"),
])
def test_bad_input_is_refused_and_nothing_is_stored(base, kind, data, key):
    with pytest.raises(EvidenceError) as e:
        add(base, kind, data, original_name="sertifikat.pdf" if kind == "sertifikat" else "foto.jpg")
    assert e.value.key == key
    assert store.records(base).empty
    assert not (base / "evidence" / "files").exists()


def test_size_limit_and_certificate_fields(base):
    with pytest.raises(EvidenceError) as e:
        add(base, "berita_acara", ef.pdf(), max_bytes=500)
    assert e.value.key == "bukti.err_size"
    with pytest.raises(EvidenceError) as e:
        add(base, "sertifikat", ef.pdf(), cert_number="  ")
    assert e.value.key == "bukti.err_cert_number"
    with pytest.raises(EvidenceError) as e:
        add(base, "sertifikat", ef.pdf(), cert_date=date(2999, 1, 1))
    assert e.value.key == "bukti.err_cert_future"
    add(base, "berita_acara", ef.pdf("Berita acara"))
    with pytest.raises(EvidenceError) as e:
        add(base, "berita_acara", ef.pdf("Berita acara"))
    assert e.value.key == "bukti.err_duplicate"
    assert len(store.records(base)) == 1


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_photo_loses_personal_metadata_keeps_orientation_and_gps_is_measured(base, fmt):
    raw = ef.photo(fmt, gps=point(EKANG))
    assert ef.SERIAL.encode() in raw and ef.OWNER.encode() in raw
    got = add(base, "foto", raw, caption="Penyerahan sertifikat")
    stored = store.read(got.sha256, base)
    assert ef.SERIAL.encode() not in stored and ef.OWNER.encode() not in stored and b"KameraCo" not in stored
    im = Image.open(io.BytesIO(stored))
    assert dict(im.getexif()) == {0x0112: 6}
    assert im.size == (640, 480)
    assert not got.far and got.distance_km is not None and got.distance_km < 1
    row = attach.listed(TP, EKANG, base=base).iloc[0]
    assert (row.width, row.height) == (480, 640)  # as shown, after the orientation turn
    assert not row.far


def test_photo_far_from_the_village_is_stored_but_flagged(base):
    jakarta = (-6.2, 106.82)
    got = add(base, "foto", ef.photo(gps=jakarta))
    expected = checks.distance_km(jakarta, point(EKANG))
    assert got.far and abs(got.distance_km - expected) < 0.2 and got.distance_km > 500
    rows = db.run("bukti_desa", TP, None, base=base, village_code=EKANG)
    assert rows["far"].tolist() == [True]


def test_only_a_scope_containing_the_village_sees_or_downloads_it(base):
    pdf = ef.pdf()
    cert = add(base, "sertifikat", pdf)
    photo = add(base, "foto", ef.photo())
    for scope in (TP, SUMBARRIAU, ALL):
        assert len(attach.listed(scope, EKANG, base=base)) == 2
        assert attach.file_for(scope, EKANG, cert.sha256, base=base) == pdf
    for scope in (ACEH_REGION, Scope.of(branches=["langsa"])):
        assert attach.listed(scope, EKANG, base=base).empty
        assert attach.file_for(scope, EKANG, cert.sha256, base=base) is None
        assert attach.file_for(scope, EKANG, photo.sha256, base=base) is None
    # a sha from another village does not open through a village the scope sees
    assert attach.file_for(ACEH_REGION, ACEH, cert.sha256, base=base) is None


def test_a_data_officer_cannot_attach_outside_their_scope(base):
    with pytest.raises(EvidenceError) as e:
        add(base, "sertifikat", ef.pdf(), scope=TP, code=ACEH)
    assert e.value.key == "bukti.err_scope"
    assert store.records(base).empty


def test_certified_without_certificate_is_listed_per_branch(base):
    def missing(scope):
        return db.run("bukti_belum_lengkap", scope, None, base=base)[["branch_code", "village_code"]].values.tolist()

    assert missing(ALL) == [["langsa", ACEH], ["tanjung-pinang", BERAKIT], ["tanjung-pinang", EKANG]]
    add(base, "foto", ef.photo(), code=BERAKIT)  # a photo alone does not complete it
    add(base, "sertifikat", ef.pdf(), code=EKANG)
    assert missing(TP) == [["tanjung-pinang", BERAKIT]]
    assert missing(ACEH_REGION) == [["langsa", ACEH]]
    row = db.run("bukti_belum_lengkap", TP, None, base=base).iloc[0]
    assert (row.photos, row.berita_acara) == (1, 0)


def test_batch_from_the_command_line_stores_good_rows_and_reports_bad_ones(base, monkeypatch, capsys):
    from desasadar.__main__ import main

    monkeypatch.setenv("DSJS_DATA_DIR", str(base))
    folder = base.parent / "kiriman"
    folder.mkdir()
    (folder / "sertifikat.pdf").write_bytes(ef.pdf())
    (folder / "foto.jpg").write_bytes(ef.photo(gps=(-6.2, 106.82)))
    (folder / "bukan-pdf.pdf").write_bytes(ef.photo(color=(1, 2, 3)))
    (folder / "daftar.csv").write_text(
        "desa,jenis,berkas,nomor,tanggal,keterangan\n"
        f"{EKANG},sertifikat,sertifikat.pdf,560/1/2018,2018-08-01,\n"
        f"{EKANG},foto,foto.jpg,,,Penyerahan\n"
        f"{BERAKIT},berita_acara,bukan-pdf.pdf,,,\n"
        f"{BERAKIT},foto,hilang.jpg,,,\n")
    officer = "data.pusat@contoh.bpjsketenagakerjaan.go.id"  # petugas_data, national (config/akses.toml)
    assert main(["bukti", "impor", "--oleh", officer, str(folder / "daftar.csv")]) == 1
    out, err = capsys.readouterr()
    assert out.count("stored") == 2 and "FLAGGED" in out
    assert "line 4" in err and "bukan PDF" in err and "line 5" in err and "2 stored, 2 refused" in err
    assert store.records(base)[["village_code", "kind"]].values.tolist() == [[EKANG, "sertifikat"], [EKANG, "foto"]]
    # only a data officer may attach
    assert main(["bukti", "impor", "--oleh", "kc.tanjungpinang@contoh.bpjsketenagakerjaan.go.id",
                 str(folder / "daftar.csv")]) == 2
    assert main(["bukti", "belum-lengkap"]) == 0
    out = capsys.readouterr().out
    assert BERAKIT in out and ACEH in out and EKANG not in out
