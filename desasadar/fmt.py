"""Numbers, percentages and dates in the viewer's language (Babel): 1.450, 55,2%, Rabu, 1 Agustus 2018."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LANGS = ("id", "en")


def _loc(lang: str) -> str:
    return lang if lang in LANGS else "id"


# A page writes the same few hundred numbers and dates on every rerun, and one Babel call (locale lookup,
# pattern parse, rounding) costs 5-13 us: ~10% of a warm Ringkasan run. The text depends only on the value,
# the pattern and the language, so each is written once. Equal values are one key (1450 and 1450.0 both
# write '1.450'); a value that cannot be a key is written directly.
_MEMO = 8192


@lru_cache(maxsize=_MEMO)
def _decimal(x, pattern: str, lang: str) -> str:
    return format_decimal(x, pattern, locale=lang)


@lru_cache(maxsize=_MEMO)
def _percent(x, pattern: str, lang: str) -> str:
    return format_percent(x, pattern, locale=lang)


@lru_cache(maxsize=_MEMO)
def _date(d: date, pattern: str, lang: str) -> str:
    return format_date(d, pattern, locale=lang)


def _written(memo, plain, x, pattern: str, lang: str) -> str:
    try:
        return memo(x, pattern, lang)
    except TypeError:  # unhashable
        return plain(x, pattern, locale=lang)


def number(x, lang: str = "id", digits: int = 0) -> str:
    """1450 -> '1.450' (id) / '1,450' (en); None -> '–'."""
    if x is None or x != x:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _written(_decimal, format_decimal, x, pattern, _loc(lang))


def signed(x, lang: str = "id", digits: int = 0) -> str:
    """A change: '+12', '−3', '0'."""
    if x is None or x != x:
        return "–"
    s = number(abs(x), lang, digits)
    return ("+" + s) if x > 0 else ("−" + s) if x < 0 else s


def percent(x, lang: str = "id", digits: int = 1) -> str:
    """0.552 -> '55,2%' (id) / '55.2%' (en); None -> '–'."""
    if x is None or x != x:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return _written(_percent, format_percent, x, pattern, _loc(lang))


def _as_date(d) -> date | None:
    if d is None or d != d:
        return None
    if isinstance(d, datetime):
        return d.date()
    if hasattr(d, "to_pydatetime"):
        return d.to_pydatetime().date()
    return d


def date_long(d, lang: str = "id") -> str:
    """'Rabu, 1 Agustus 2018' / 'Wednesday, 1 August 2018'."""
    d = _as_date(d)
    return _date(d, "EEEE, d MMMM y", _loc(lang)) if d else "–"


def date_medium(d, lang: str = "id") -> str:
    """'1 Agustus 2018' / '1 August 2018'."""
    d = _as_date(d)
    return _date(d, "d MMMM y", _loc(lang)) if d else "–"


def date_short(d, lang: str = "id") -> str:
    """'1 Agu 2018' / '1 Aug 2018' for tables and axes."""
    d = _as_date(d)
    return _date(d, "d MMM y", _loc(lang)) if d else "–"


def day_month(d, lang: str = "id") -> str:
    """'31 Jul' / '31 Jul' (where the year is written elsewhere)."""
    d = _as_date(d)
    return _date(d, "d MMM", _loc(lang)) if d else "–"


def month(d, lang: str = "id") -> str:
    """'Agustus 2018'."""
    d = _as_date(d)
    return _date(d, "MMMM y", _loc(lang)) if d else "–"


# d3-format locale for Altair/Vega axes, so charts use the same separators as the text.
D3_LOCALE = {
    "id": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
}

# d3-time-format locale for chart axes (Vega's config.locale.time).
D3_TIME_LOCALE = {
    "id": {
        "dateTime": "%A, %e %B %Y %H.%M.%S", "date": "%d/%m/%Y", "time": "%H.%M.%S", "periods": ["AM", "PM"],
        "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
        "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
        "months": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                   "Oktober", "November", "Desember"],
        "shortMonths": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    },
    "en": {
        "dateTime": "%a %b %e %X %Y", "date": "%m/%d/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
        "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December"],
        "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    },
}


_GROUP = {"id": ".", "en": ","}


def integers(values, lang: str = "id") -> list[str]:
    """A column of whole numbers as text in one go ('1.450'; '–' for missing): same output as
    number() without a Babel call per cell, for tables of hundreds of rows on every rerun."""
    sep = _GROUP[_loc(lang)]
    import pandas as pd

    return ["–" if pd.isna(v) else f"{int(v):,}".replace(",", sep) for v in values]
