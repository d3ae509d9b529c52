"""Direksi's national brief (A4), built from the pieces of the branch/region brief: the national gauge
against the national target, the pace by the Ringkasan page's rule, the trend, the map of certified
villages, and the Kantor Wilayah table of the Peringkat page (queries/wilayah_peringkat.sql).
"""
from __future__ import annotations

import pandas as pd
from fpdf.fonts import FontFace

from .. import offices, ranking
from ..export import images, static_map
from ..export.brief_pdf import DARK, GREEN, LINE, M, MUTED, PAGE_W, TILE, _Brief, _created, _latin1
from ..export.facts import Kantor, Runner, _as_date, _row, certified_villages, nasional
from ..export.text import Words


def _or_dash(v, fmt) -> str:
    return "-" if v is None or pd.isna(v) else fmt(v)


def national_kantor(run: Runner, year: int) -> Kantor:
    """The national figures in the shape the brief's words expect (level 'national')."""
    laju = _row(run("laju_target", year=int(year)))
    for k in ("as_of", "period_end", "projected_on", "window_3m_from", "window_to", "evaluated_on"):
        laju[k] = _as_date(laju.get(k))
    n = nasional(run, year)
    return Kantor("national", "", {"region_name": "Nasional", "proposed": None, "verified": None}, laju,
                  run("tren_sertifikasi"), certified_villages(run), n, int(year))


def national_pdf(run: Runner, year: int, lang: str) -> bytes:
    """`run` must have the national scope (Direksi's)."""
    w = Words(lang)
    k = national_kantor(run, year)
    n = k.nasional
    regions = run("wilayah_peringkat", year=int(year), ukuran=ranking.RANK_MEASURE)  # the one rank
    title = w.t("laporan.national_title")
    kicker = w.t("peresmian.brief_subtitle")
    pdf = _Brief(w, w.stamp(n), n.is_demo, kicker, f"{title} - {kicker}")
    pdf.set_creation_date(_created(n.as_of))
    pdf.add_page()
    inner = PAGE_W - 2 * M
    gap = 6
    half = (inner - gap) / 2
    pdf.set_font("helvetica", "B", 28)
    pdf.multi_cell(inner, 12, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.text_line(w.date(n.as_of), 12, "", MUTED, h=7)

    y = pdf.get_y() + 4
    pdf.set_xy(M, y)
    pdf.text_line(w.t("peresmian.vs_target", year=k.year), 11, "B", MUTED, h=6, w=half)
    gw = half - 16
    pdf.png(images.gauge_png(k.certified, k.target, lang, label=w.gauge_label(k), size=400), M + 8, y + 8, w=gw)
    pdf.set_xy(M, y + 8 + gw * 0.58 + 1)
    pdf.text_line(w.target_by(k.target, k.laju["period_end"], k.year), 9.5, "", MUTED, h=5, w=half, align="C")
    left_bottom = pdf.get_y()
    x = M + half + gap
    pdf.set_xy(x, y)
    status = k.laju["status"]
    color = {"on_track": GREEN, "achieved": GREEN, "at_risk": (150, 100, 0)}.get(status, (179, 38, 30))
    pdf.text_line(w.t("peresmian.pace_title", year=k.year), 12, "B", DARK, h=7, w=half)
    pdf.set_x(x)
    pdf.text_line(w.status(k), 11, "B", MUTED if status == "no_target" else color, h=6, w=half)
    for line in w.pace_lines(k):
        pdf.set_x(x)
        pdf.text_line(line, 9.5, "", DARK, h=4.8, w=half)
    pdf.png(images.trend_png(k.tren, lang, **w.trend_png_args(k)), x, pdf.get_y() + 2, w=half)
    pdf.set_xy(M, max(left_bottom, pdf.get_y() + 2 + half * 0.48) + 3)

    mp = static_map.national_map(list(zip(k.villages["lon"], k.villages["lat"])), size=(1600, 320))
    mh = inner * 320 / 1600
    yy = pdf.get_y()
    pdf.png(static_map.png_bytes(mp), M, yy, w=inner, h=mh)
    pdf.set_draw_color(*LINE)
    pdf.rect(M, yy, inner, mh)
    pdf.set_xy(M, yy + mh + 1)
    pdf.text_line(w.t("laporan.national_map", n=w.num(len(k.villages))), 8.5, "", MUTED, h=4.5)
    pdf.ln(2)

    pdf.text_line(w.t("laporan.regions_title"), 12, "B", DARK, h=7)
    heads = [w.t(f"laporan.col_{c}") for c in ("rank", "region", "certified", "target", "pct", "pipeline")]
    heads.append(w.t("peresmian.col_participants"))
    widths = (18, 50, 26, 20, 20, 22, 24)
    scale = inner / sum(widths)
    pdf.set_font("helvetica", "", 9)
    with pdf.table(col_widths=tuple(c * scale for c in widths), line_height=4.4, padding=(0.6, 1),
                   headings_style=FontFace(emphasis="BOLD", fill_color=TILE, color=DARK),
                   borders_layout="HORIZONTAL_LINES", text_align=("RIGHT", "LEFT") + ("RIGHT",) * 5) as table:
        row = table.row()
        for h in heads:
            row.cell(_latin1(h))
        for r in regions.itertuples(index=False):
            row = table.row()
            row.cell(_or_dash(r.rank, w.num))
            row.cell(_latin1(r.region_name))
            row.cell(w.num(r.certified))
            row.cell(_or_dash(r.target, w.num))
            row.cell(_or_dash(r.pct_target, w.pct))
            row.cell(w.num(r.pipeline))
            row.cell(w.num(r.participants_certified))
    pdf.ln(1.5)
    if pdf.get_y() < 266:  # the closing notes fit above the footer: keep the brief on one page
        pdf.set_auto_page_break(False)
    pdf.text_line(w.sources(n), 8.5, "", MUTED, h=4.3)
    branches = run("kantor_terpilih")
    if assumed := int((branches["branch_basis"] == offices.ASSUMED).sum()):  # the targets rest on them: say so
        pdf.text_line(w.t("kantor.national_assumed", n=w.num(assumed), total=w.num(len(branches))), 8.5, "", MUTED, h=4.3)
    if n.is_demo:
        pdf.text_line(w.t("peresmian.demo_note"), 8.5, "B", MUTED, h=4.3)
    return pdf.bytes()
