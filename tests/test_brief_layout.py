"""Office briefs (PDF) on the demo, read back with pypdf: no list header breaks mid-word and no page is left
holding a few lines (the Kanwil brief once had "Aparatu / r" and a third page with two lines on it)."""
from __future__ import annotations

import io

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from desasadar import db, reference
from desasadar.export import brief_pdf, facts
from desasadar.export.text import Words
from desasadar.scope import Scope

SNAP = "2018-08-01"
HEADER_KEYS = ("col_no", "col_village", "col_district", "col_regency", "col_branch", "col_date", "col_seq",
               "col_aparatur", "col_participants")


def office(demo_dir, level: str, code: str):
    own = Scope.of(regions=[code]) if level == "region" else Scope.of(branches=[code])
    return facts.kantor(level, code, 2018,
                        lambda name, **p: db.run(name, own, SNAP, base=demo_dir, **p),
                        lambda name, **p: db.run(name, Scope.national(), SNAP, base=demo_dir, **p))


def page_lines(data: bytes) -> list[list[str]]:
    """Text lines of each page, without the running header (kicker, DEMO) and footer (stamp, page x of y)."""
    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        lines = [ln.strip() for ln in page.extract_text().splitlines() if ln.strip()]
        out.append(lines)
    return out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_list_headers_fit_their_longest_word(lang):
    w = Words(lang)
    heads = [w.t(f"peresmian.{k}") for k in HEADER_KEYS]
    pdf = FPDF()
    for size in brief_pdf.LIST_SIZES:
        weights = (10, 36, 30, 32, 26, 24, 16, 15, 17)
        widths = brief_pdf.list_widths(pdf, heads, weights, 180, size)
        assert abs(sum(widths) - 180) < 0.01
        pdf.set_font("helvetica", "B", size)
        for h, wd in zip(heads, widths):
            longest = max(pdf.get_string_width(word) for word in h.split())
            assert longest + 2 <= wd, (h, wd)


@pytest.mark.parametrize("level,code,lang", [
    ("region", "sumbarriau", "id"), ("region", "sumbarriau", "en"), ("region", "sulama", "id"),
    ("branch", "tanjung-pinang", "id"),
])
def test_office_brief_pages_are_full_and_headers_whole(demo_env, output_dir, level, code, lang):
    k = office(demo_env, level, code)
    data = brief_pdf.office_pdf(k, lang)
    (output_dir / f"brief-{level}-{code}-{lang}.pdf").write_bytes(data)
    pages = page_lines(data)
    text = "\n".join("\n".join(p) for p in pages)
    w = Words(lang)
    for key in ("col_aparatur", "col_participants", "col_village"):
        assert w.t(f"peresmian.{key}") in text, key  # whole, not "Aparatu" + "r"
    assert "Aparatu\nr" not in text
    flat = " ".join(text.split())
    for name in k.villages.village_name:  # a long name wraps inside its cell: its first word is on the row
        assert name.split()[0] in flat
    if len(pages) > 1:
        # header and footer give 3-4 lines of every page; the last page carries real content too
        assert len(pages[-1]) >= 10, f"last page holds only: {pages[-1]}"


@pytest.mark.slow
def test_every_kanwil_brief_ends_on_a_used_page(demo_env):
    """Every Kantor Wilayah's brief: headers whole, and a second page (Banten once had two list rows
    spilling over) carries real content. English is checked on Sumbarriau above."""
    lang = "id"
    w = Words(lang)
    for code in reference.table("wilayah.csv")["region_code"]:
        k = office(demo_env, "region", code)
        pdf_pages = page_lines(brief_pdf.office_pdf(k, lang))
        text = "\n".join("\n".join(p) for p in pdf_pages)
        if len(k.villages):
            for key in ("col_aparatur", "col_participants", "col_village"):
                assert w.t(f"peresmian.{key}") in text, (code, key)
        if len(pdf_pages) > 1:
            assert len(pdf_pages[-1]) >= 10, (code, pdf_pages[-1])
