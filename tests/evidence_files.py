"""Small evidence files for tests: a PDF, and photos carrying personal metadata and a GPS position."""
from __future__ import annotations

import io

from fpdf import FPDF
from PIL import Image

SERIAL = "SN-CAM-4471-XYZ"
OWNER = "Budi Santoso"


def pdf(text: str = "Sertifikat Desa Sadar Jaminan Sosial") -> bytes:
    doc = FPDF()
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
