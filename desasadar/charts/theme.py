"""The charts' palette and theme, and the one month-label rule for time axes.

Colours follow the app theme (.streamlit/config.toml) and stay distinguishable on a projector.
"""
from __future__ import annotations

import altair as alt

from .. import fmt

PRIMARY = "#0B7A3E"  # BPJS Ketenagakerjaan green (theme primaryColor)
TEXT = "#14231A"
MUTED = "#5C6B61"  # secondary text: 5.6:1 on white
TRACK = "#DDE7E0"
TARGET = "#B3261E"
# Palettes are checked by tests/test_palette.py: every colour >= 3:1 on white and on the map's land,
# any two >= ΔE00 10 apart for normal vision, deuteranopia and protanopia (desasadar.colour).
STATUS_COLORS = {
    "proposed": "#BC8400",   # amber, dark enough for 3:1
    "verified": "#2F6DB5",   # blue
    "certified": "#0B7A3E",  # green
    "revoked": "#505854",    # dark grey
}
NO_STATUS = "#8A8F8C"        # a village not (yet) in the programme: mid grey
# Bands of % of target, best first (used by rankings and maps): dark green, blue, gold, terracotta, red, grey.
# Under red-green colour blindness the warm ones differ by lightness, the blue and grey by hue.
BAND_COLORS = ["#0B6B35", "#2A7FA8", "#B88A00", "#B87450", "#B01418", "#8C8F8E"]


def base(chart: alt.TopLevelMixin, lang: str = "id") -> alt.TopLevelMixin:
    """The theme: fonts, number and month locale, no chart border. The chart keeps its own description (alt text)."""
    return (
        # Vega's own locale config: axis numbers and month names in the viewer's language,
        # in the browser and in server-side renders alike (embedOptions are dropped by Streamlit).
        chart.configure(locale={"number": fmt.D3_LOCALE[lang], "time": fmt.D3_TIME_LOCALE[fmt._loc(lang)]})
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=13, titleFontSize=13, labelColor=TEXT, titleColor=TEXT, gridColor="#E6ECE8")
        .configure_legend(labelFontSize=13, titleFontSize=13, labelColor=TEXT, titleColor=TEXT)
        .configure_title(fontSize=16, color=TEXT, anchor="start")
    )


def month_label_expr(lang: str) -> str:
    """A Vega label expression 'Agu 2018' for temporal axes, independent of the renderer's locale."""
    from babel.dates import get_month_names

    names = get_month_names("abbreviated", locale=lang if lang in fmt.LANGS else "id")
    months = [names[i].rstrip(".") for i in range(1, 13)]
    return f"{months!r}[month(datum.value)] + ' ' + year(datum.value)"
