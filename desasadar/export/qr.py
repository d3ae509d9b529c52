"""QR code to a village's live page, only when the public base URL of the dashboard is configured.

The setting: environment variable DSJS_PUBLIC_URL, or `public_url` in Streamlit secrets (the page passes
them in). Unset, empty or not an http(s) URL: no QR code anywhere.
"""

from __future__ import annotations

import io
import os
import re
from urllib.parse import quote

import segno

ENV = "DSJS_PUBLIC_URL"
_URL_RE = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")


def public_base_url(secret: str | None = None) -> str | None:
    """The configured public base URL (env first, then the secret), without a trailing slash; else None."""
    for v in (os.environ.get(ENV), secret):
        v = (v or "").strip()
        if v and _URL_RE.match(v):
            return v.rstrip("/")
    return None


def village_url(base: str, village_code: str) -> str:
    """The live page of a village: the Desa page opened on it."""
    return f"{base}/desa?desa={quote(village_code)}"


def qr_png(url: str, scale: int = 10, border: int = 2) -> bytes:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=scale, border=border, dark="#14231A", light="#FFFFFF")
    return buf.getvalue()


def qr_svg_data_uri(url: str, scale: int = 8, border: int = 2) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=scale, border=border, dark="#14231A", light="#FFFFFF")
