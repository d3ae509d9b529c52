"""Accessibility in a real browser: axe-core (WCAG 2.1 A/AA and best practice) on every page in both
languages and on the ceremony view; no serious or critical violation may come from the project's own
content. Each run writes its findings to test-output/axe-<name>.json (own and known nodes)."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from . import axe
from .conftest import ROOT, settle

EKANG = "21.01.10.2002"
PAGES = {
    "ringkasan": "/",
    "peringkat": "/peringkat",
    "peta": "/peta",
    "desa": "/desa",
    "desa-profil": f"/desa?desa={EKANG}",
    "peresmian": "/peresmian",
    "data": "/data",
}


def _tall(page) -> None:
    """Make the window as tall as the content, so axe sees every element on screen (contrast needs it)."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll("
        "\"[data-testid='stMain'], [data-testid='stAppScrollToBottomContainer']\")].map(e => e.scrollHeight),"
        " document.body.scrollHeight)")
    page.set_viewport_size({"width": 1600, "height": min(int(height) + 40, 6000)})
    settle(page)


def _headings(page) -> list[tuple[int, str]]:
    """(level, text) of the visible headings in the page's main area, in document order."""
    return [tuple(h) for h in page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stMain\"] :is(h1,h2,h3,h4,h5,h6)')]"
        ".filter(h => h.offsetParent !== null).map(h => [+h.tagName[1], h.textContent.trim()])")]


def _skipped(headings: list[tuple[int, str]]) -> list[str]:
    """Headings that go more than one level deeper than the one before (h1 -> h3), or a first one not h1."""
    out, prev = [], 0
    for level, text in headings:
        if level > prev + 1:
            out.append(f"h{prev} -> h{level} {text!r}")
        prev = level
    return out


def _check(page, name: str, lang: str) -> None:
    own, known = axe.split(page, axe.run(page))
    headings = _headings(page)
    doc_lang = page.evaluate("() => document.documentElement.lang")
    out = ROOT / "test-output"
    out.mkdir(exist_ok=True)
    (out / f"axe-{name}.json").write_text(json.dumps(
        {"own": own, "known": known, "headings": headings, "skipped": _skipped(headings), "lang": doc_lang},
        indent=1, ensure_ascii=False))
    assert not own, f"{len(own)} serious/critical axe violations on {name}:\n" + "\n".join(
        f"{v['rule']} {v['impact']} {v['target']} {v['html'][:120]}" for v in own)
    assert not _skipped(headings), (name, headings)
    assert doc_lang == lang, (name, doc_lang)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_violations(server, page, name, lang):
    path = PAGES[name]
    sep = "&" if "?" in path else "?"
    page.goto(f"{server}{path}{sep}snapshot=2018-08-01" + ("&lang=en" if lang == "en" else ""))
    settle(page)
    _tall(page)
    _check(page, f"{name}-{lang}", lang)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_ceremony_view_has_no_serious_violations(server, page, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{server}/peresmian?desa={EKANG}&snapshot=2018-08-01")
    settle(page)
    expect(page.locator(".dsjs-slide")).to_have_count(1, timeout=60_000)
    _check(page, f"peresmian-slide-{size[0]}", "id")


def test_language_switch_sets_document_language(server, page):
    page.goto(f"{server}/?snapshot=2018-08-01")
    settle(page)
    assert page.evaluate("() => document.documentElement.lang") == "id"
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    settle(page)
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=30_000)


def test_sparklines_have_text_alternatives(server, page):
    page.goto(f"{server}/?snapshot=2018-08-01")
    settle(page)
    charts = page.locator("[data-testid='stMetric'] [data-testid='stMetricChart']")
    expect(charts).to_have_count(4)
    expect(charts.first).to_have_attribute("role", "img")
    labels = [charts.nth(i).get_attribute("aria-label") for i in range(4)]
    assert labels[0].startswith("Tren desa tersertifikasi dalam ") and "menjadi 411" in labels[0], labels
    assert all(label and label.startswith("Tren ") for label in labels), labels


def test_enter_opens_an_office_from_the_ranking(server, page):
    page.goto(f"{server}/peringkat?snapshot=2018-08-01")
    settle(page)
    expect(page.get_by_text("Dengan papan ketik: Tab ke tabel, pilih baris dengan tombol panah, lalu Enter.",
                            exact=False).first).to_be_visible()
    grid = page.locator("[class*='st-key-dsjs-enter'] [data-testid='data-grid-canvas']").first
    grid.focus()
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('cabang=')", timeout=30_000)
    settle(page)
    expect(page.get_by_text("KC ", exact=False).first).to_be_visible()
