"""The one helper for echoed user values: nothing markdown can use survives, and it is cut short."""
from __future__ import annotations

import string

import pytest

from desasadar import echo

LINK = "[Sesi berakhir - masuk ulang](https://evil.example/login)"
IMAGE = "![x](https://evil.example/p.png)"
ATTACKS = [
    LINK, IMAGE, "https://evil.example/login", "www.evil.example", "<https://evil.example>", "x@evil.example",
    "<img src=https://evil.example/p.png>", ":red[merah] :material/lock:", "$x^2$", "**tebal** _miring_ `kode`",
    "HTTPS://EVIL.EXAMPLE", "WWW.evil.example", "ftp://evil.example", "mailto:x@evil.example",
    "# judul\n- daftar", "[x]: https://evil.example\n[x]", "\\[x](https://evil.example)",
]


def unescape(text: str) -> str:
    """What CommonMark shows for `text` when every punctuation character in it is escaped."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            assert text[i + 1] in string.punctuation, text
            i += 1
        else:
            assert text[i] not in string.punctuation, text  # an unescaped character markdown could use
        out.append(text[i])
        i += 1
    return "".join(out)


@pytest.mark.parametrize("value", ATTACKS)
def test_inert_escapes_every_punctuation_character(value):
    # (the real renderer is checked in tests/browser/test_echo_browser.py)
    out = echo.inert(value)
    assert "\n" not in out
    assert unescape(out).replace(echo.ZWSP, "") == echo.cut(value)
    # no bare URL, www. name or e-mail address left for the autolinker
    shown = unescape(out)
    assert "://" not in shown and "www." not in shown.lower() and not any(
        shown[i - 1] not in (" ", echo.ZWSP) for i in range(1, len(shown)) if shown[i] == "@")


def test_cut_to_a_sane_length():
    big = "a" * 100_000
    assert echo.cut(big) == "a" * (echo.LIMIT - 1) + "…"
    assert len(echo.inert(big)) == echo.LIMIT
    assert len(unescape(echo.inert("[x](https://evil.example/" + "a" * 100_000 + ")"))) <= echo.LIMIT + 2
    assert echo.cut("short") == "short"
    assert echo.cut("x" * 30, limit=10) == "x" * 9 + "…"


def test_one_line_without_control_characters():
    assert echo.cut("a\nb\r\n\tc\x00d\u202ee") == "a b c d e"


def test_identity_keeps_an_email_whole_and_breaks_links():
    from desasadar import echo
    assert echo.identity("kc.tanjungpinang@contoh.go.id") == "kc\\.tanjungpinang\\@contoh\\.go\\.id"
    shown = echo.identity("Budi [klik](https://evil.example/login) www.evil.example")
    assert "\\[klik\\]\\(" in shown and "https\\:\u200b\\/\\/" in shown and "www\u200b\\." in shown
