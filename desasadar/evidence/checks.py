"""What an evidence file is, judged by its content (never its name), and a photo made safe to store.

- PDF: starts with `%PDF-` and has an `%%EOF` marker near its end (a truncated upload has none).
- Photo: JPEG or PNG that Pillow can decode completely. On storage its metadata is reduced to the
  orientation (camera serial, owner, software, XMP, comments and GPS are dropped); the GPS
  position is read first, so a photo taken far from the village can be flagged.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 15 * 1024 * 1024       # one file; a scanned certificate or a phone photo fits well under it
MAX_PIXELS = 60_000_000            # a decompression bomb is refused before it is decoded
FAR_KM = 25.0                      # register points are approximate (some are the district's point)
KINDS = ("sertifikat", "berita_acara", "foto")
PDF_KINDS = ("sertifikat", "berita_acara")
ORIENTATION = 0x0112
GPS_IFD = 0x8825


class EvidenceError(ValueError):
    """A file that is not stored; `key` names the message in locale/bukti.toml, `args` its values."""

    def __init__(self, key: str, **values):
        super().__init__(key, values)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Checked:
    data: bytes             # what is stored (a photo cleaned of its metadata)
    media_type: str         # application/pdf | image/jpeg | image/png
    width: int | None = None
    height: int | None = None
    gps: tuple[float, float] | None = None  # (lat, lon) from the photo, before it was removed


def sniff(data: bytes) -> str | None:
    """The media type by the first bytes, or None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def check(kind: str, data: bytes, max_bytes: int = MAX_BYTES) -> Checked:
    """The file ready to store, or EvidenceError saying why not."""
    if kind not in KINDS:
        raise EvidenceError("bukti.err_kind", kind=kind)
    if not data:
        raise EvidenceError("bukti.err_empty")
    if len(data) > max_bytes:
        raise EvidenceError("bukti.err_size", mb=round(len(data) / 1e6, 1), max=round(max_bytes / 1e6))
    media = sniff(data)
    if kind in PDF_KINDS:
        if media != "application/pdf":
            raise EvidenceError("bukti.err_not_pdf")
        if b"%%EOF" not in data[-2048:]:
            raise EvidenceError("bukti.err_pdf_truncated")
        return Checked(data, media)
    if media not in ("image/jpeg", "image/png"):
        raise EvidenceError("bukti.err_not_photo")
    return clean_photo(data, media)


def clean_photo(data: bytes, media: str) -> Checked:
    """Decode the photo fully and write it again with only its orientation kept."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise EvidenceError("bukti.err_pixels")
            probe.verify()  # structure and checksums
        im = Image.open(io.BytesIO(data))
        im.load()  # every pixel: a truncated file fails here
    except EvidenceError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise EvidenceError("bukti.err_photo_broken") from None
    exif = im.getexif()
    gps = gps_position(exif)
    keep = Image.Exif()
    if exif.get(ORIENTATION):
        keep[ORIENTATION] = exif[ORIENTATION]
    out = io.BytesIO()
    if media == "image/jpeg":
        # "keep": the original quantisation tables, so the picture is not degraded by a second compression
        im.save(out, "JPEG", quality="keep", exif=keep.tobytes(), optimize=True)
    else:
        im.save(out, "PNG", exif=keep.tobytes() if len(keep) else None, optimize=True)
    w, h = ImageOps.exif_transpose(im).size if exif.get(ORIENTATION) in (5, 6, 7, 8) else im.size
    return Checked(out.getvalue(), media, w, h, gps)


def _deg(values, ref) -> float | None:
    try:
        d, m, s = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    x = d + m / 60 + s / 3600
    return -x if ref in ("S", "W", b"S", b"W") else x


def gps_position(exif: Image.Exif) -> tuple[float, float] | None:
    """(lat, lon) of a photo's EXIF GPS block, or None when absent or unreadable."""
    g = exif.get_ifd(GPS_IFD)
    if not g or 2 not in g or 4 not in g:
        return None
    lat, lon = _deg(g[2], g.get(1)), _deg(g[4], g.get(3))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, 5), round(lon, 5)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))
