"""Charts rendered server-side: the same Altair specs the pages use, through vl-convert (no browser, no network)."""

from __future__ import annotations

import io
from functools import lru_cache

import altair as alt
import pandas as pd
from PIL import Image, ImageChops

from .. import fmt
from ..charts import ringkasan as ringkasan_charts, theme


def _png(chart: alt.TopLevelMixin, lang: str, scale: float = 2.0) -> bytes:
    """PNG of a chart with the language's number format; no data may come from any URL."""
    import vl_convert as vlc  # imported on first use: ~0.5 s

    return vlc.vegalite_to_png(chart.to_json(), scale=scale, format_locale=fmt.D3_LOCALE[lang], allowed_base_urls=[])


def trim(png: bytes, pad: int = 8) -> bytes:
    """Cut the white margin around a rendered chart."""
    im = Image.open(io.BytesIO(png)).convert("RGB")
    box = ImageChops.difference(im, Image.new("RGB", im.size, "white")).getbbox()
    if box:
        im = im.crop(
            (max(box[0] - pad, 0), max(box[1] - pad, 0), min(box[2] + pad, im.width), min(box[3] + pad, im.height))
        )
    buf = io.BytesIO()
    im.save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


@lru_cache(maxsize=256)
def gauge_png(value: int, target: int | None, lang: str, label: str = "", size: int = 400, scale: float = 2.0) -> bytes:
    """The Ringkasan gauge as a trimmed PNG."""
    return trim(_png(ringkasan_charts.gauge(value, target, lang, label=label, size=size), lang, scale))


def trend_png(
    tren: pd.DataFrame,
    lang: str,
    *,
    target: int | None,
    deadline,
    y_title: str,
    target_label: str,
    needed_label: str,
    width: int = 520,
    height: int = 230,
    scale: float = 2.0,
) -> bytes:
    """The trend ( Ringkasan page's cumulative line with target) as a trimmed PNG."""
    chart = ringkasan_charts.trend(
        tren,
        lang,
        target=target,
        deadline=deadline,
        y_title=y_title,
        target_label=target_label,
        needed_label=needed_label,
        height=height,
    ).properties(width=width)
    return trim(_png(theme.base(chart, lang), lang, scale))


def pace_png(
    needed: float | None,
    pace_3m: float | None,
    pace_6m: float | None,
    lang: str,
    *,
    labels: dict[str, str],
    width: int = 520,
    height: int = 90,
    scale: float = 2.0,
) -> bytes:
    """The pace (villages per month achieved vs needed) as a trimmed PNG."""
    chart = ringkasan_charts.pace(needed, pace_3m, pace_6m, lang, labels=labels, height=height).properties(width=width)
    return trim(_png(theme.base(chart, lang), lang, scale))
