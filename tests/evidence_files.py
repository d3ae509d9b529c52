"""Small evidence files for tests: a PDF, and photos carrying personal metadata and a GPS position."""
from __future__ import annotations

import io
from datetime import datetime, timezone

from fpdf import FPDF
from PIL import Image

SERIAL = "SN-CAM-4471-XYZ"
OWNER = "Budi Santoso"


def pdf(text: str = "Sertifikat Desa Sadar Jaminan Sosial") -> bytes:
    doc = FPDF()
    # A fixed creation date: the same text must give the same bytes (the duplicate check
    # hashes them), even when two calls fall either side of a second.
    doc.set_creation_date(datetime(2018, 8, 1, tzinfo=timezone.utc))
    doc.add_page()
    doc.set_font("helvetica", "B", 20)
    doc.cell(0, 20, text)
    return bytes(doc.output())


def _dms(x: float) -> tuple[float, float, float]:
    x = abs(x)
    d = int(x)
    m = int((x - d) * 60)
    return (float(d), float(m), round((x - d - m / 60) * 3600, 4))


def photo(fmt: str = "JPEG", gps: tuple[float, float] | None = None, orientation: int = 6,
          size=(640, 480), color=(30, 120, 60)) -> bytes:
    """A photo with camera serial, owner, make/model, orientation and (optionally) GPS in its EXIF."""
    im = Image.new("RGB", size, color)
    for x in range(0, size[0], 40):  # some structure, so it is not a flat colour
        im.paste((240, 200, 40), (x, 0, x + 10, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "KameraCo"          # Make
    exif[0x0110] = "K-100"             # Model
    exif[0x013B] = OWNER               # Artist
    exif[0x8298] = f"(c) {OWNER}"      # Copyright
    exif[0x0112] = orientation         # Orientation (kept)
    exif.get_ifd(0x8769)[0xA431] = SERIAL      # BodySerialNumber
    exif.get_ifd(0x8769)[0xA430] = OWNER       # CameraOwnerName
    if gps:
        lat, lon = gps
        exif[0x8825] = {1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon)}
    out = io.BytesIO()
    im.save(out, fmt, exif=exif.tobytes(), **({"quality": 90} if fmt == "JPEG" else {}))
    return out.getvalue()


def ceremony_photo(n: int, gps=None) -> bytes:
    """A recognisable stand-in for a ceremony photo (sky, hall, people as shapes, a banner)."""
    from PIL import ImageDraw

    im = Image.new("RGB", (960, 640), (120, 170, 215))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 380, 960, 640), fill=(95, 140, 80))
    d.polygon([(180, 380), (480, 170), (780, 380)], fill=(150, 60, 40))
    d.rectangle((230, 380, 730, 560), fill=(235, 225, 200))
    d.rectangle((300, 250 - n * 10, 660, 310 - n * 10), fill=(11, 122, 62))
    d.text((320, 268 - n * 10), f"PERESMIAN DESA SADAR JAMSOS {n}", fill=(255, 255, 255))
    for i in range(6 + n):
        x = 120 + i * 110
        d.ellipse((x, 470, x + 36, 506), fill=(90, 60, 40))
        d.rectangle((x - 6, 506, x + 42, 600), fill=[(200, 40, 40), (240, 240, 240), (30, 80, 160)][(i + n) % 3])
    exif = Image.Exif()
    exif[0x013B] = OWNER
    exif.get_ifd(0x8769)[0xA431] = SERIAL
    if gps:
        lat, lon = gps
        exif[0x8825] = {1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon)}
    out = io.BytesIO()
    im.save(out, "JPEG", quality=88, exif=exif.tobytes())
    return out.getvalue()


def world_with_evidence(demo_dir, folder):
    """A data folder that serves the demo snapshots (hard-linked: the data layer refuses symlinks that lead
    outside the data folder) with evidence of its own for Desa Ekang Anculai: certificate, berita acara
    and three photos, one taken far away."""
    import os
    import shutil
    from datetime import date

    from desasadar import db, reference
    from desasadar.evidence import attach
    from desasadar.scope import Scope

    folder.mkdir(parents=True, exist_ok=True)
    for snap in (demo_dir / "snapshots").iterdir():
        if snap.is_dir():
            (folder / "snapshots" / snap.name).mkdir(parents=True)
            for f in snap.iterdir():
                try:
                    os.link(f, folder / "snapshots" / snap.name / f.name)
                except OSError:  # another file system
                    shutil.copy(f, folder / "snapshots" / snap.name / f.name)
    shutil.copy(demo_dir / "CURRENT", folder / "CURRENT")
    d = reference.table("desa.parquet")
    r = d[d.village_code == "21.01.10.2002"].iloc[0]
    here = (float(r.lat) + 0.004, float(r.lon) - 0.003)
    served = db.serve("2018-08-01", folder)
    officer = Scope.of(branches=["tanjung-pinang"])
    add = lambda kind, data, **kw: attach.add(officer, "data.tp@contoh.go.id", "21.01.10.2002",  # noqa: E731
                                              kind, data, served=served, base=folder, **kw)
    add("sertifikat", pdf("Sertifikat Desa Sadar Jaminan Sosial - Desa Ekang Anculai"),
        cert_number="001/DSJS/KC-TPI/VIII/2018", cert_date=date(2018, 8, 1), original_name="sertifikat.pdf")
    add("berita_acara", pdf("Berita Acara Peresmian - Desa Ekang Anculai"), caption="Ditandatangani Kepala Desa")
    add("foto", ceremony_photo(1, here), caption="Penyerahan sertifikat")
    add("foto", ceremony_photo(2, here), caption="Foto bersama aparatur desa")
    add("foto", ceremony_photo(3, (-6.2, 106.82)), caption="Diunggah dari Jakarta")
    return folder
