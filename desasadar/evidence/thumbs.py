"""Small previews of ceremony photos (upright, JPEG) for the Desa profile and the ceremony view."""
from __future__ import annotations

import io

from PIL import Image, ImageOps


def thumbnail(data: bytes, px: int = 480) -> bytes:
    im = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    im.thumbnail((px, px))
    out = io.BytesIO()
    im.convert("RGB").save(out, "JPEG", quality=82)
    return out.getvalue()
