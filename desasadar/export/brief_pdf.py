"""Printable briefs (A4 portrait) with fpdf2: one page for a certified village; a branch or region brief
(gauge, pace, ranking position, map, list of certified villages).

Text uses the PDF core font Helvetica (no font file to ship; Latin-1, which Indonesian needs no more than);
typographic dashes are replaced by plain ones. Charts are the pages' Altair specs rendered by vl-convert;
maps are drawn from the bundled boundaries. Every page carries the data date and, for demo data, DEMO.
"""

from __future__ import annotations

import io
from datetime import datetime, time, timezone

from fpdf import FPDF
from fpdf.fonts import FontFace

from . import fonts, images, qr, static_map
from .facts import Desa, Kantor
from .text import Words

GREEN = (11, 122, 62)
DARK = (20, 35, 26)
MUTED = (74, 90, 80)
TILE = (234, 244, 238)
AMBER = (224, 161, 0)
LINE = (213, 221, 216)
M = 15  # margin, mm
PAGE_W = 210


def _latin1(text: str) -> str:
    return fonts.plain(str(text)).encode("latin-1", "replace").decode("latin-1")


class _Brief(FPDF):
    def __init__(self, w: Words, stamp: str, demo: bool, kicker: str, title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.w_ = w
        self.stamp = stamp
        self.demo = demo
        self.kicker = kicker
        self.set_margins(M, M, M)
        self.set_auto_page_break(True, margin=22)
        self.set_title(_latin1(title))
        self.set_lang(w.lang)
        self.set_creator("Desa Sadar Jaminan Sosial dashboard")
        self.set_text_color(*DARK)
        self.alias_nb_pages()

    # fpdf2 calls these for every page
    def header(self) -> None:
        self.set_fill_color(*GREEN)
        self.rect(0, 0, PAGE_W, 20, style="F")
        self.set_xy(M, 6)
        self.set_font("helvetica", "B", 13)
        self.set_text_color(255, 255, 255)
        self.cell(130, 8, _latin1(self.kicker.upper()))
        if self.demo:
            label = _latin1(self.w_.t("peresmian.demo"))
            self.set_font("helvetica", "B", 12)
            bw = self.get_string_width(label) + 8
            self.set_fill_color(*AMBER)
            self.set_text_color(*DARK)
            self.set_xy(PAGE_W - M - bw, 5.5)
            self.cell(bw, 9, label, fill=True, align="C")
        self.set_text_color(*DARK)
        self.set_xy(M, 27)

    def footer(self) -> None:
        self.set_y(-17)
        self.set_draw_color(*LINE)
        self.line(M, self.get_y() - 1.5, PAGE_W - M, self.get_y() - 1.5)
        self.set_font("helvetica", "", 8.5)
        self.set_text_color(*MUTED)
        left = self.stamp + (" - " + self.w_.t("peresmian.demo") if self.demo else "")
        self.cell(150, 5, _latin1(left))
        self.cell(0, 5, _latin1(self.w_.t("peresmian.page_of", i=self.page_no(), n="{nb}")), align="R")
        self.set_text_color(*DARK)

    # helpers
    def text_line(
        self,
        text: str,
        size: float,
        style: str = "",
        color=DARK,
        h: float | None = None,
        w: float = 0,
        align: str = "L",
    ) -> None:
        self.set_font("helvetica", style, size)
        self.set_text_color(*color)
        self.multi_cell(w, h or size * 0.45, _latin1(text), align=align, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*DARK)

    def fit_size(self, text: str, max_w: float, size: float, style: str = "B", min_size: float = 14) -> float:
        while size > min_size:
            self.set_font("helvetica", style, size)
            if self.get_string_width(_latin1(text)) <= max_w:
                break
            size -= 1
        return size

    def tile(self, x: float, y: float, w: float, h: float, big: str, small: str) -> None:
        self.set_fill_color(*TILE)
        self.rect(x, y, w, h, style="F", round_corners=True, corner_radius=2.5)
        self.set_xy(x + 5, y + 2)
        self.set_font("helvetica", "B", self.fit_size(big, w - 10, 28))
        self.set_text_color(*GREEN)
        self.cell(w - 10, 13, _latin1(big))
        self.set_xy(x + 5, y + h - 8)
        self.set_font("helvetica", "", self.fit_size(small, w - 10, 11, "", 7))
        self.set_text_color(*DARK)
        self.cell(w - 10, 6, _latin1(small))

    def png(self, data: bytes, x: float, y: float, w: float | None = None, h: float | None = None) -> None:
        self.image(io.BytesIO(data), x=x, y=y, w=w or 0, h=h or 0)

    def bytes(self) -> bytes:
        return bytes(self.output())

    def last_page_fill(self) -> float:
        """How much of the last page's writable height (below the header band) is used, 0..1."""
        top, bottom = 27, self.h - self.b_margin
        return max(0.0, min(1.0, (self.get_y() - top) / (bottom - top)))


def _created(as_of) -> datetime:
    """The data date as the document date, so the same snapshot gives the same file."""
    return datetime.combine(as_of, time(12, 0), tzinfo=timezone.utc)


def village_pdf(d: Desa, lang: str, public_url: str | None = None) -> bytes:
    """One A4 page for a certified village."""
    w = Words(lang)
    n = d.nasional
    v = d.v
    title = w.village_title(d)
    pdf = _Brief(w, w.stamp(n), n.is_demo, w.t("peresmian.kicker"), f"{title} - {w.t('peresmian.tagline')}")
    pdf.set_creation_date(_created(n.as_of))
    pdf.add_page()
    inner = PAGE_W - 2 * M

    pdf.set_auto_page_break(False)  # one page, laid out to fit
    pdf.set_font("helvetica", "B", pdf.fit_size(title, inner, 36, min_size=22))
    pdf.multi_cell(inner, 14, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.text_line(w.t("peresmian.tagline"), 20, "B", GREEN, h=9)
    pdf.text_line(w.place(d), 12, "", MUTED, h=6.5)
    pdf.text_line(w.date(v["certified_on"]), 16, "B", DARK, h=8.5)

    y = pdf.get_y() + 3
    gap, tw, th = 6, (inner - 6) / 2, 24
    tiles = [
        (w.seq(v["certified_seq_national"]), w.t("peresmian.seq_national")),
        (w.seq(v["certified_seq_branch"]), w.t("peresmian.seq_branch", branch=v["branch_name"])),
        (w.num(v["aparatur_active"]), w.t("peresmian.aparatur")),
        (w.num(v["participants_active"]), w.t("peresmian.participants")),
    ]
    for i, (big, small) in enumerate(tiles):
        pdf.tile(M + (i % 2) * (tw + gap), y + (i // 2) * (th + 4), tw, th, big, small)
    pdf.set_xy(M, y + 2 * th + 4 + 4)
    pdf.text_line(w.regency_aparatur(d), 12.5, "B", DARK, h=7)

    # Gauge and map side by side
    y = pdf.get_y() + 3
    half = (inner - gap) / 2
    mw, mh = half, half * 0.7
    pdf.set_xy(M, y)
    pdf.text_line(w.national_heading(n, d.year), 11, "B", MUTED, h=6, w=half)
    gauge = images.gauge_png(n.certified, n.target, lang, label=w.gauge_label(n), size=400)
    gw = min(half - 8, (mh - 14) / 0.58)
    pdf.png(gauge, M + (half - gw) / 2, y + 8, w=gw)
    pdf.set_xy(M, y + 8 + gw * 0.58 + 1)
    pdf.text_line(w.target_by(n.target, n.period_end, d.year), 9.5, "", MUTED, h=5, w=half, align="C")
    mp = static_map.village_map(v["lon"], v["lat"], v["regency_code"], (int(mw * 9), int(mh * 9)), label=d.name)
    pdf.png(static_map.png_bytes(mp), M + half + gap, y, w=mw, h=mh)
    pdf.set_draw_color(*LINE)
    pdf.rect(M + half + gap, y, mw, mh)
    pdf.set_xy(M + half + gap, y + mh + 1)
    pdf.text_line(w.t("peresmian.map_village", regency=v["regency_name"]), 8.5, "", MUTED, h=4.5, w=mw)
    pdf.set_xy(M, y + mh + 8)

    # Details, with the QR code beside them
    qr_w = 30 if public_url else 0
    text_w = inner - (qr_w + 6 if public_url else 0)
    y = pdf.get_y()
    pdf.text_line(w.t("peresmian.details"), 12, "B", DARK, h=7, w=text_w)
    rows = [
        (w.t("peresmian.village_code"), v["village_code"]),
        (w.t("peresmian.office"), f"{w.branch_name(d)} · {w.t('peresmian.region', name=v['region_name'])}"),
        (
            w.t("peresmian.officials"),
            w.t("peresmian.of", a=w.num(v["officials_enrolled"]), b=w.num(v["officials_total"])),
        ),
        (w.t("peresmian.participants_all"), f"{w.num(v['participants_active'])} / {w.num(v['participants'])}"),
        (w.t("peresmian.coverage"), w.pct(v["coverage"]) if v.get("coverage") is not None else "–"),
    ]
    pdf.set_font("helvetica", "", 10)
    with pdf.table(
        width=text_w,
        align="LEFT",
        col_widths=(62, text_w - 62),
        first_row_as_headings=False,
        line_height=5.6,
        borders_layout="HORIZONTAL_LINES",
        padding=0.8,
    ) as table:
        for k, val in rows:
            r = table.row()
            r.cell(_latin1(k))
            r.cell(_latin1(val))
    if public_url:
        url = qr.village_url(public_url, d.code)
        pdf.png(qr.qr_png(url, scale=6), PAGE_W - M - qr_w, y + 2, w=qr_w, h=qr_w)
        pdf.set_xy(PAGE_W - M - qr_w - 4, y + qr_w + 3)
        pdf.text_line(w.t("peresmian.scan"), 7.5, "", MUTED, h=3.5, w=qr_w + 8, align="C")
        pdf.set_y(max(pdf.get_y(), y + qr_w + 10))

    # National context and sources
    pdf.ln(2.5)
    pdf.text_line(w.national_context(n), 10.5, "B", DARK, h=5.5)
    sources = w.sources(n) + (
        " " + w.t("peresmian.qr_caption", url=qr.village_url(public_url, d.code)) if public_url else ""
    )
    pdf.text_line(sources, 8, "", MUTED, h=4)
    if n.is_demo:
        pdf.text_line(w.t("peresmian.demo_note"), 8, "B", MUTED, h=4)
    return pdf.bytes()


def office_pdf(k: Kantor, lang: str) -> bytes:
    """A branch or region brief: gauge against its target, pace, ranking position, map, certified villages.

    The list of villages is laid out at the largest type size (8.5 pt down to 7), with the sources after it or
    else above it, at which the last page is not left holding a few lines: a page with only the tail of the
    list or the sources on it looks like a misprint."""
    w = Words(lang)
    half = (PAGE_W - 2 * M - 6) / 2
    mw, mh = half, half * 0.85
    pts = list(zip(k.villages["lon"], k.villages["lat"]))
    charts = {
        "gauge": images.gauge_png(k.certified, k.target, lang, label=w.gauge_label(k), size=400),
        "pace": images.pace_png(k.laju.get("needed_per_month"), k.laju.get("pace_3m"), k.laju.get("pace_6m"), lang,
                                labels=w.pace_labels())
        if k.laju.get("needed_per_month") is not None or k.laju.get("pace_3m") else None,
        "trend": images.trend_png(k.tren, lang, **w.trend_png_args(k)),
        "map": static_map.png_bytes(static_map.office_map(k.regency_codes, pts, (int(mw * 9), int(mh * 9)))),
    }
    # Sources at the end first; when only they (or a few rows) would spill over, sources above the list.
    best = None
    for sources_first in (False, True):
        for size in LIST_SIZES:
            pdf = _office_layout(k, w, charts, size, sources_first)
            if pdf.pages_count == 1 or pdf.last_page_fill() >= MIN_LAST_PAGE_FILL:
                return pdf.bytes()
            if best is None or (pdf.pages_count, -pdf.last_page_fill()) < (best.pages_count, -best.last_page_fill()):
                best = pdf
    return best.bytes()


LIST_SIZES = (8.5, 8, 7.5, 7)  # pt, for the list of certified villages
MIN_LAST_PAGE_FILL = 0.25  # share of the last page's writable height that must be used


def list_widths(pdf: FPDF, heads: list[str], weights: tuple[float, ...], total: float, size: float,
                pad: float = 1.0) -> tuple[float, ...]:
    """Column widths (mm) summing to `total`: every column at least as wide as the longest word of its header
    in bold (so no header breaks mid-word, e.g. 'Aparatu/r'), the rest shared by `weights`."""
    pdf.set_font("helvetica", "B", size)
    need = [max(pdf.get_string_width(_latin1(word)) for word in h.split()) + 2 * pad + 0.6 for h in heads]
    scale = total / sum(weights)
    widths = [max(wt * scale, n) for wt, n in zip(weights, need)]
    excess = sum(widths) - total
    if excess > 0:  # take it from the columns that have room beyond their header
        room = [wd - n for wd, n in zip(widths, need)]
        spare = sum(room)
        widths = [wd - excess * r / spare for wd, r in zip(widths, room)] if spare > excess else widths
    return tuple(widths)


def _office_layout(k: Kantor, w: Words, charts: dict, list_size: float, sources_first: bool) -> _Brief:
    n = k.nasional
    r = k.r
    title = w.office_title(k, long=True)
    pdf = _Brief(
        w, w.stamp(n), n.is_demo, w.t("peresmian.brief_subtitle"), f"{title} - {w.t('peresmian.brief_subtitle')}"
    )
    pdf.set_creation_date(_created(n.as_of))
    pdf.add_page()
    inner = PAGE_W - 2 * M
    gap = 6
    half = (inner - gap) / 2

    pdf.set_font("helvetica", "B", pdf.fit_size(title, inner, 28, min_size=18))
    pdf.multi_cell(inner, 12, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    sub = [w.t("peresmian.region", name=r["region_name"])] if k.level == "branch" else []
    sub.append(w.date(n.as_of))
    pdf.text_line(" · ".join(sub), 12, "", MUTED, h=7)

    # Gauge (left) and key numbers (right)
    y = pdf.get_y() + 4
    pdf.set_xy(M, y)
    pdf.text_line(w.t("peresmian.vs_target", year=k.year), 11, "B", MUTED, h=6, w=half)
    gw = half - 16
    pdf.png(charts["gauge"], M + 8, y + 8, w=gw)
    pdf.set_xy(M, y + 8 + gw * 0.58 + 1)
    pdf.text_line(w.target_by(k.target, k.laju["period_end"], k.year), 9.5, "", MUTED, h=5, w=half, align="C")
    gauge_bottom = pdf.get_y()
    x = M + half + gap
    pdf.tile(x, y, half, 24, w.num(k.certified), w.t("peresmian.certified_count"))
    pdf.set_xy(x, y + 28)
    for line in filter(None, [w.rank(k), w.pipeline(k)]):
        pdf.set_x(x)
        pdf.text_line(line, 10.5, "", DARK, h=5.3, w=half)
        pdf.ln(1.2)
    for big, small in (
        (w.num(r["aparatur_active"]), w.t("peresmian.aparatur_total")),
        (w.num(r["participants_certified"]), w.t("peresmian.participants_certified")),
    ):
        pdf.set_x(x)
        pdf.set_font("helvetica", "B", 13)
        pdf.set_text_color(*GREEN)
        bw = pdf.get_string_width(_latin1(big)) + 2
        pdf.cell(bw, 6.5, _latin1(big))
        pdf.set_font("helvetica", "", 10.5)
        pdf.set_text_color(*DARK)
        pdf.multi_cell(half - bw, 6.5, _latin1(small), new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(M, max(pdf.get_y(), gauge_bottom) + 4)

    # Pace (the Ringkasan page's rule and charts) and the map
    y = pdf.get_y()
    pdf.text_line(w.t("peresmian.pace_title", year=k.year), 12, "B", DARK, h=7, w=half)
    status = k.laju["status"]
    color = {"on_track": GREEN, "achieved": GREEN, "at_risk": (150, 100, 0)}.get(status, (179, 38, 30))
    pdf.set_x(M)
    pdf.text_line(w.status(k), 11, "B", MUTED if status == "no_target" else color, h=6, w=half)
    for line in w.pace_lines(k):
        pdf.set_x(M)
        pdf.text_line(line, 9.5, "", DARK, h=4.8, w=half)
    pdf.ln(1)
    yy = pdf.get_y()
    if charts["pace"] is not None:
        pdf.png(charts["pace"], M, yy, w=half)
        yy += half * 0.2 + 2
    pdf.png(charts["trend"], M, yy, w=half)
    left_bottom = yy + half * 0.48

    mw, mh = half, half * 0.85
    pdf.png(charts["map"], M + half + gap, y, w=mw, h=mh)
    pdf.set_draw_color(*LINE)
    pdf.rect(M + half + gap, y, mw, mh)
    pdf.set_xy(M + half + gap, y + mh + 1)
    pdf.text_line(w.t("peresmian.map_office"), 8.5, "", MUTED, h=4.5, w=mw)
    pdf.set_xy(M, max(y + mh + 8, left_bottom + 2))
    pdf.text_line(w.national_context(n), 10.5, "B", DARK, h=5.5)
    if sources_first:
        _sources(pdf, w, n)
    pdf.ln(3)

    # Certified villages
    vs = k.villages
    pdf.text_line(w.t("peresmian.list_title", n=w.num(len(vs))), 12, "B", DARK, h=7)
    if vs.empty:
        pdf.text_line(w.t("peresmian.list_empty"), 10.5, "", MUTED, h=6)
    else:
        seq_col = "certified_seq_branch" if k.level == "branch" else None
        heads = (
            ([w.t("peresmian.col_no")] if seq_col else [])
            + [w.t("peresmian.col_village"), w.t("peresmian.col_district"), w.t("peresmian.col_regency")]
            + ([] if seq_col else [w.t("peresmian.col_branch")])
            + [
                w.t("peresmian.col_date"),
                w.t("peresmian.col_seq"),
                w.t("peresmian.col_aparatur"),
                w.t("peresmian.col_participants"),
            ]
        )
        weights = ((10,) if seq_col else ()) + (36, 30, 32) + (() if seq_col else (26,)) + (24, 16, 15, 17)
        widths = list_widths(pdf, heads, weights, inner, list_size)
        pdf.set_font("helvetica", "", list_size)
        heading = FontFace(emphasis="BOLD", fill_color=TILE, color=DARK)
        with pdf.table(
            col_widths=widths,
            headings_style=heading,
            line_height=list_size * 0.59,
            borders_layout="HORIZONTAL_LINES",
            padding=(0.8, 1),
            text_align="LEFT",
            repeat_headings=1,
        ) as table:
            row = table.row()
            for h in heads:
                row.cell(_latin1(h))
            for v in vs.itertuples(index=False):
                row = table.row()
                if seq_col:
                    row.cell(w.num(v.certified_seq_branch))
                row.cell(_latin1(v.village_name))
                row.cell(_latin1(v.district_name))
                row.cell(_latin1(v.regency_name.replace("Kabupaten ", "Kab. ")))
                if not seq_col:
                    row.cell(_latin1(v.branch_name))
                row.cell(_latin1(w.date_short(v.certified_on)))
                row.cell(w.num(v.certified_seq_national))
                row.cell(w.num(v.aparatur_active))
                row.cell(w.num(v.participants_active))
    if not sources_first:
        pdf.ln(3)
        _sources(pdf, w, n)
    return pdf


def _sources(pdf: _Brief, w: Words, n) -> None:
    pdf.text_line(w.sources(n), 8.5, "", MUTED, h=4.3)
    if n.is_demo:
        pdf.text_line(w.t("peresmian.demo_note"), 8.5, "B", MUTED, h=4.3)
