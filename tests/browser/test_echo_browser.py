"""Echoed user values are inert in a real browser: every page opened with a markdown link, an image or a
bare URL in every URL parameter (and the village search) renders no link to, and makes no request to,
the outside host; the value is shown as text. Outside hosts are blocked (conftest): a blocked request
is recorded in page.blocked, so an image the app tried to fetch fails the test."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, settle

PAGES = ["", "peringkat", "peta", "desa", "peresmian", "data"]
PARAMS = ["snapshot", "wilayah", "cabang", "tahun", "lang", "desa", "ukuran", "ukuran_desa", "putar"]
VALUES = {
    "link": "[Sesi berakhir - masuk ulang](https://evil.example/login)",
    "image": "![x](https://evil.example/p.png)",
    "bare": "https://evil.example/login www.evil.example",
}


def assert_inert(page) -> None:
    # links and images pointing to another host (our own links may carry the value in their query string)
    outside = page.evaluate("""() => [
        ...Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
        ...Array.from(document.querySelectorAll('img[src]')).map(i => i.src),
    ].filter(u => { try { return !['127.0.0.1', 'localhost', ''].includes(new URL(u).hostname); } catch (e) { return true; } })
     .filter(u => !u.startsWith('data:') && !u.startsWith('blob:'))""")
    assert not [u for u in outside if "evil" in u], outside
    assert not page.blocked, f"requests to outside hosts: {page.blocked}"


@pytest.mark.parametrize("kind", list(VALUES))
@pytest.mark.parametrize("path", PAGES)
def test_every_parameter_is_echoed_inert(server, page, path, kind):
    page.goto(f"{server}/{path}?" + urlencode({p: VALUES[kind] for p in PARAMS}))
    settle(page, timeout=180_000)  # a shared 2-core machine: first visits on cold caches are slow
    # the app did echo it (as text) in its notes: the test would see a live link if there were one
    notes = page.locator("[data-testid='stAlert']").filter(has_text="evil.example")
    expect(notes.first).to_be_visible()
    assert_inert(page)
    if kind == "link" and path in ("", "peringkat"):
        screenshot(page, f"echo-{path or 'ringkasan'}-{kind}")


@pytest.mark.parametrize("kind", list(VALUES))
def test_search_term_is_echoed_inert(server, page, kind):
    page.goto(f"{server}/desa?snapshot=2018-08-01")
    settle(page, timeout=180_000)  # a shared 2-core machine: first visits on cold caches are slow
    box = page.get_by_label("Cari desa (nama atau kode)")
    box.fill(VALUES[kind])
    box.press("Enter")
    settle(page, timeout=180_000)  # a shared 2-core machine: first visits on cold caches are slow
    expect(page.locator("[data-testid='stAlert']").filter(has_text="evil.example").first).to_be_visible()
    assert_inert(page)


def test_a_long_value_is_cut(server, page):
    page.goto(f"{server}/?wilayah=" + "a" * 100_000)
    settle(page, timeout=180_000)  # a shared 2-core machine: first visits on cold caches are slow
    note = page.locator("[data-testid='stAlert']").filter(has_text="wilayah=")
    expect(note).to_have_count(1)
    text = note.inner_text()
    assert "a" * 59 + "…" in text and len(text) < 400
