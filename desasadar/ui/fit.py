"""Tables that fit the screen: each column as wide as its content, and the columns that fit a width.

A grid cannot change its columns with the window, and the server does not know the window's width. So a
page chooses the columns for a width here (in its own priority order) and leaves the rest to its downloads or
its detail view; `phone.table` draws one copy for wide screens and one for a phone, and CSS shows one.
"""
from __future__ import annotations

from typing import Iterable

# The main column of a 1280x720 projector with the sidebar open is 818 px, less the row-select column (36 px)
# and a little slack.
PROJECTOR = 776
# A window 1600 px wide or wider (a 1920x1080 screen or projector): its main column is at least 1140 px.
BIG_WINDOW = 1600
BIG_SCREEN = 1090
# A 390 px phone: the main column is 356 px, less the row-select column. A phone's copy of a ranking shows the
# rank ("#"), the name and the ranked-by figure (its header may be cut: the heading above names it).
PHONE = 316
PHONE_RANK = 44
PHONE_FIGURE = 112


def header_width(label: str) -> int:
    """A column as wide as its header (about 6.2 px a character at the grid's type size, plus padding)."""
    return max(56, round(6.2 * len(label)) + 20)


def text_width(values, share: float = 1.0) -> int:
    """A column as wide as its longest cell (6.5 px a character, plus the cell's padding); with `share` < 1, as
    wide as that share of its cells (the few longest names are cut rather than every other column dropped)."""
    lengths = sorted(len(v) for v in values if isinstance(v, str))
    longest = lengths[min(len(lengths) - 1, int(share * len(lengths)))] if lengths else 0
    return round(6.5 * longest) + 18


def column_width(label: str, values=(), share: float = 1.0) -> int:
    """A column as wide as its header or its cells (text_width), whichever is wider."""
    return max(header_width(label), text_width(values, share))


def columns_that_fit(widths: dict[str, int], order: Iterable[str], columns: Iterable[str], room: int) -> list[str]:
    """The columns taken in the priority `order` while they fit `room` px, then put back in `columns`' order."""
    columns = list(columns)
    shown, used = [], 0
    for col in dict.fromkeys(c for c in order if c in columns):
        if used + widths[col] <= room:
            shown.append(col)
            used += widths[col]
    return [c for c in columns if c in shown]
