"""The village brief as one PNG sized for messaging (1080x1350, 4:5 portrait), drawn with Pillow."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from . import fonts, images, qr, static_map
from .facts import Desa
from .text import Words

W, H = 1080, 1350
GREEN = "#0B7A3E"
DARK = "#14231A"
MUTED = "#4A5A50"
TILE = "#EAF4EE"
AMBER = "#E0A100"
M = 60  # side margin


class _Pen:
    def __init__(self, im: Image.Image, system_font: bool):
        self.d = ImageDraw.Draw(im)
        self.plain = not system_font

    def _t(self, text: str) -> str:
        return fonts.plain(text) if self.plain else text

    def width(self, text: str, size: int, bold: bool = False) -> float:
        f, _ = fonts.font(size, bold)
        return self.d.textlength(self._t(text), font=f)

    def text(self, xy, text: str, size: int, bold: bool = False, fill: str = DARK, anchor: str = "la") -> None:
        f, stroke = fonts.font(size, bold)
        self.d.text(xy, self._t(text), font=f, fill=fill, anchor=anchor, stroke_width=stroke, stroke_fill=fill)

    def fit(self, text: str, max_w: float, size: int, bold: bool = False, min_size: int = 20) -> int:
        while size > min_size and self.width(text, size, bold) > max_w:
            size -= 2
        return size

    def wrap(self, text: str, max_w: float, size: int, bold: bool = False) -> list[str]:
        lines, cur = [], ""
        for word in text.split():
            trial = f"{cur} {word}".strip()
            if cur and self.width(trial, size, bold) > max_w:
                lines.append(cur)
                cur = word
            else:
                cur = trial
        return lines + ([cur] if cur else [])


def _paste_fit(im: Image.Image, png: bytes | Image.Image, box: tuple[int, int, int, int]) -> None:
    src = png if isinstance(png, Image.Image) else Image.open(io.BytesIO(png)).convert("RGBA")
    x0, y0, x1, y1 = box
    k = min((x1 - x0) / src.width, (y1 - y0) / src.height)
    src = src.resize((max(1, int(src.width * k)), max(1, int(src.height * k))), Image.Resampling.LANCZOS)
    pos = (x0 + (x1 - x0 - src.width) // 2, y0 + (y1 - y0 - src.height) // 2)
    im.paste(src, pos, src if src.mode == "RGBA" else None)


def village_png(d: Desa, lang: str, public_url: str | None = None) -> bytes:
    """PNG bytes (1080x1350) of a certified village's brief."""
    w = Words(lang)
    n = d.nasional
    im = Image.new("RGB", (W, H), "white")
    pen = _Pen(im, fonts.has_system_font())
    dr = pen.d

    # Band
    dr.rectangle([0, 0, W, 120], fill=GREEN)
    pen.text(
        (M, 60),
        w.t("peresmian.kicker").upper(),
        pen.fit(w.t("peresmian.kicker").upper(), W - 2 * M - 230, 34, True),
        bold=True,
        fill="white",
        anchor="lm",
    )
    if n.is_demo:
        label = w.t("peresmian.demo")
        bw = pen.width(label, 30, True) + 36
        dr.rounded_rectangle([W - M - bw, 36, W - M, 84], radius=8, fill=AMBER)
        pen.text((W - M - bw / 2, 60), label, 30, bold=True, fill=DARK, anchor="mm")

    # Name, tagline, place, date
    y = 150
    title = w.village_title(d)
    size = pen.fit(title, W - 2 * M, 100, True, min_size=64)
    lines = pen.wrap(title, W - 2 * M, size, True)[:2]
    for line in lines:
        pen.text((M, y), line, size, bold=True)
        y += int(size * 1.1)
    pen.text((M, y + 4), w.t("peresmian.tagline"), 50, bold=True, fill=GREEN)
    y += 78
    for line in pen.wrap(w.place(d), W - 2 * M, 32)[:2]:
        pen.text((M, y), line, 32, fill=MUTED)
        y += 42
    pen.text((M, y + 6), w.date(d.v["certified_on"]), 40, bold=True)
    y += 80

    # Tiles
    gap = 30
    tw = (W - 2 * M - gap) // 2
    th = 172
    tiles = [
        (w.seq(d.v["certified_seq_national"]), w.t("peresmian.seq_national")),
        (w.seq(d.v["certified_seq_branch"]), w.t("peresmian.seq_branch", branch=d.v["branch_name"])),
        (w.num(d.v["aparatur_active"]), w.t("peresmian.aparatur")),
        (w.num(d.v["participants_active"]), w.t("peresmian.participants")),
    ]
    for i, (big, small) in enumerate(tiles):
        x0 = M + (i % 2) * (tw + gap)
        y0 = y + (i // 2) * (th + 24)
        dr.rounded_rectangle([x0, y0, x0 + tw, y0 + th], radius=14, fill=TILE)
        pen.text((x0 + 28, y0 + 18), big, pen.fit(big, tw - 56, 84, True), bold=True, fill=GREEN)
        sz = pen.fit(small, tw - 56, 28, min_size=20)
        pen.text((x0 + 28, y0 + 120), small, sz, fill=DARK)
    y += 2 * th + 24 + 26
    line = w.regency_aparatur(d)
    pen.text((M, y), line, pen.fit(line, W - 2 * M, 30, True), bold=True, fill=DARK)
    y += 56

    # National gauge (left) and map (right)
    bottom = H - 120
    half = (W - 2 * M - gap) // 2
    pen.text((M, y), w.national_heading(n, d.year), 28, bold=True, fill=MUTED)
    gauge = images.gauge_png(n.certified, n.target, lang, label=w.gauge_label(n), size=400)
    _paste_fit(im, gauge, (M, y + 40, M + half, bottom))
    map_box = (M + half + gap, y, W - M, bottom)
    mw, mh = map_box[2] - map_box[0], map_box[3] - map_box[1]
    mp = static_map.village_map(d.v["lon"], d.v["lat"], d.v["regency_code"], (mw, mh), label=d.name, inset=True)
    im.paste(mp, map_box[:2])
    dr.rectangle(map_box, outline="#B8C4BC", width=2)

    # Footer: stamp, demo note, QR
    fy = H - 100
    dr.line([M, fy - 12, W - M, fy - 12], fill="#D5DDD8", width=2)
    text_w = W - 2 * M - (120 if public_url else 0)
    pen.text((M, fy), w.stamp(n), pen.fit(w.stamp(n), text_w, 24), fill=DARK)
    if n.is_demo:
        note = pen.wrap(w.t("peresmian.demo_note"), text_w, 18)
        for i, ln in enumerate(note[:2]):
            pen.text((M, fy + 36 + i * 24), ln, 18, fill=MUTED)
    if public_url:
        code = Image.open(io.BytesIO(qr.qr_png(qr.village_url(public_url, d.code), scale=4, border=1))).convert("RGB")
        _paste_fit(im, code, (W - M - 100, fy - 6, W - M, H - 6))

    buf = io.BytesIO()
    im.save(buf, format="PNG", compress_level=6, pnginfo=_info(w, n, d.name))
    return buf.getvalue()


def _info(w: Words, n, name: str):
    """PNG text chunks: the title and data date, and DEMO (also drawn in the picture) for demo data."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Title", ("DEMO - " if n.is_demo else "") + name)
    info.add_text("Description", w.stamp(n))
    if n.is_demo:
        info.add_text("Comment", "DEMO: " + w.t("peresmian.demo_note"))
    return info
