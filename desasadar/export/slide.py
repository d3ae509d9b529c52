"""The ceremony slides as HTML (village, branch, region, nation): very large type, high contrast, sized in
viewport units so one slide fills a 1920x1080 or 1280x720 projector. Images are inline data URIs (gauge
rendered by vl-convert, maps drawn with Pillow, QR by segno): nothing is fetched from any host.

The page injects CHROME_CSS (hides Streamlit's sidebar, toolbar, header and the shell's banner/stamp, which
the slide shows in its own form) and renders one of these strings with st.html.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from html import escape

from . import images, qr, static_map
from .facts import Desa, Kantor, Nasional
from .text import Words

# Streamlit chrome off; the shell's demo banner and data stamp are shown by the slide itself (DEMO badge,
# footer). Scoped to the ceremony view: the page injects it only there.
CHROME_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
footer { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.2vh 2.4vw 2vh 2.4vw !important; max-width: 100% !important; }
[data-testid="stMain"] { background: #FFFFFF; }
[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]:has([data-testid="stAlert"]),
[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]:has([data-testid="stCaptionContainer"]),
[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]:has(hr) { display: none !important; }
.st-key-dsjs-after { margin-top: 6vh; }
</style>
"""

# Ceremony text is read from the back of a hall: every text colour is >= 7:1 on white and on the tiles.
# A pace status is dark text after a marker whose shape (circle, triangle, square, dash) and tone tell it
# apart; the tones are >= 3:1 and >= ΔE00 10 apart in colour-blind vision too (tests/test_palette.py).
_CSS = """
<style>
/* The slide is the first thing on the page (the shell draws nothing above a full-screen view): the screen's
   height less the 1.2vh above it (CHROME_CSS) and as much below, so it fills a 1080 or 720 px projector. */
.dsjs-slide { font-family: "Liberation Sans", "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; color: #14231A;
  min-height: calc(100vh - 2.4vh); display: flex; flex-direction: column; gap: 1vh; box-sizing: border-box; }
.dsjs-slide * { box-sizing: border-box; }
.dsjs-top { display: flex; justify-content: space-between; align-items: center; background: #0A5C2E; color: #FFFFFF;
  padding: 1.1vh 1.6vw; border-radius: 0.5vw; }
.dsjs-kicker { font-size: clamp(16px, 1.45vw, 32px); font-weight: 700; letter-spacing: 0.06em;
  text-transform: uppercase; }
.dsjs-demo { background: #E0A100; color: #14231A; font-weight: 800; font-size: clamp(16px, 1.35vw, 30px);
  padding: 0.5vh 1.1vw; border-radius: 0.4vw; letter-spacing: 0.04em; }
.dsjs-main { flex: 1; display: grid; grid-template-columns: 1.25fr 1fr; gap: 2.6vw; align-items: start; }
.dsjs-head { margin-top: 0.4vh; }
.dsjs-name { font-size: clamp(44px, 5.6vw, 124px); font-weight: 800; line-height: 1.04; margin: 0; padding: 0;
  letter-spacing: -0.01em; }
.dsjs-tagline { font-size: clamp(26px, 2.9vw, 64px); font-weight: 800; color: #0A5C2E; margin-top: 0.2vh;
  line-height: 1.1; }
.dsjs-place { font-size: clamp(18px, 1.6vw, 36px); color: #3C4A41; line-height: 1.3; }
.dsjs-date { font-size: clamp(22px, 2.1vw, 46px); font-weight: 700; margin-top: 0.8vh; }
.dsjs-tiles { display: grid; grid-template-columns: 1fr 1fr; gap: 1.2vw; margin-top: 1.4vh; }
.dsjs-tile { background: #EAF4EE; border-radius: 0.7vw; padding: 1.4vh 1.4vw 1.6vh 1.4vw;
  border-left: 0.45vw solid #0B7A3E; }
.dsjs-big { font-size: clamp(40px, 4.7vw, 104px); font-weight: 800; color: #0A5C2E; line-height: 1.05; }
.dsjs-status { font-size: clamp(28px, 2.9vw, 64px); font-weight: 800; line-height: 1.15; padding: 0.6vh 0;
  color: #14231A; }
.dsjs-status::before { content: ""; display: inline-block; width: 0.7em; height: 0.7em; margin-right: 0.3em;
  background: var(--dsjs-tone); }
.dsjs-good { --dsjs-tone: #0B6B35; } .dsjs-good::before { border-radius: 50%; }
.dsjs-warn { --dsjs-tone: #B88000; } .dsjs-warn::before { clip-path: polygon(50% 0, 100% 100%, 0 100%); }
.dsjs-bad { --dsjs-tone: #B41010; }
.dsjs-none { --dsjs-tone: #888C88; } .dsjs-none::before { height: 0.22em; vertical-align: 0.25em; }
.dsjs-small { font-size: clamp(17px, 1.45vw, 32px); color: #14231A; margin-top: 0.3vh; line-height: 1.2; }
.dsjs-note { font-size: clamp(18px, 1.45vw, 34px); font-weight: 700; margin-top: 1.2vh; }
.dsjs-side { display: flex; flex-direction: column; gap: 1.6vh; }
.dsjs-panel { border: 2px solid #D5DDD8; border-radius: 0.7vw; padding: 1.2vh 1.2vw; background: #FFFFFF; }
.dsjs-ph { font-size: clamp(16px, 1.35vw, 30px); font-weight: 700; color: #3C4A41; }
.dsjs-gaugerow { display: grid; grid-template-columns: 1.25fr 1fr; gap: 1vw; align-items: center; margin-top: 0.8vh; }
.dsjs-gauge { display: block; width: 100%; max-height: 22vh; object-fit: contain; }
.dsjs-count .dsjs-big { color: #14231A; }
.dsjs-target { font-size: clamp(15px, 1.15vw, 26px); color: #3C4A41; margin-top: 0.8vh; }
.dsjs-maprow { display: flex; gap: 1vw; align-items: stretch; }
.dsjs-map { flex: 1; min-width: 0; }
.dsjs-map img { width: 100%; height: auto; max-height: 31vh; object-fit: contain; border: 2px solid #D5DDD8;
  border-radius: 0.7vw; display: block; background: #DCEAF3; }
.dsjs-qr { width: 12.5vw; text-align: center; font-size: clamp(13px, 0.95vw, 22px); color: #3C4A41; }
.dsjs-qr img { width: 100%; display: block; border: 2px solid #D5DDD8; border-radius: 0.5vw; }
.dsjs-foot { display: flex; justify-content: space-between; font-size: clamp(13px, 1vw, 22px); color: #3C4A41;
  border-top: 2px solid #D5DDD8; padding-top: 0.8vh; }
.dsjs-dots { font-size: clamp(13px, 1vw, 22px); color: #3C4A41; }
.dsjs-big, .dsjs-demo { white-space: nowrap; }  /* "ke-411" is one word, never "ke-" over "411" */
/* A phone (a branch head opening the link): one column, type sized to the screen's width. */
@media (max-width: 700px) {
  .dsjs-main, .dsjs-gaugerow { grid-template-columns: 1fr; align-content: start; }
  .dsjs-name { font-size: 10vw; }
  .dsjs-tagline { font-size: 6vw; }
  .dsjs-big { font-size: 9.5vw; }
  .dsjs-tile { border-left-width: 4px; padding: 1.2vh 3vw; }
  .dsjs-tiles { gap: 2.5vw; }
  .dsjs-panel, .dsjs-map img, .dsjs-tile { border-radius: 8px; }
  .dsjs-gauge { max-height: 26vh; }
  .dsjs-map img { max-height: none; }
  .dsjs-qr { width: 30vw; }
}
</style>
"""


def _uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@lru_cache(maxsize=128)
def _village_map_uri(lon: float, lat: float, regency_code: str, label: str, size: tuple[int, int]) -> str:
    return _uri(static_map.png_bytes(static_map.village_map(lon, lat, regency_code, size, label=label)))


@lru_cache(maxsize=64)
def _office_map_uri(regency_codes: tuple[str, ...], points: tuple[tuple[float, float], ...]) -> str:
    return _uri(static_map.png_bytes(static_map.office_map(regency_codes, list(points), (1100, 420))))


@lru_cache(maxsize=16)
def _national_map_uri(points: tuple[tuple[float, float], ...], highlight: tuple[float, float] | None) -> str:
    return _uri(static_map.png_bytes(static_map.national_map(list(points), highlight, (1100, 460))))


def _tiles(items: list[tuple]) -> str:
    """Tiles of (big, small) or (big, small, css class of the big text)."""
    return (
        '<div class="dsjs-tiles">'
        + "".join(
            f'<div class="dsjs-tile"><div class="{it[2] if len(it) > 2 else "dsjs-big"}">{escape(it[0])}</div>'
            f'<div class="dsjs-small">{escape(it[1])}</div></div>'
            for it in items
        )
        + "</div>"
    )


def _frame(w: Words, n: Nasional, kicker: str, head: str, body: str, foot_right: str = "") -> str:
    """Top bar (kicker, DEMO badge), a full-width heading, the two-column body, the data stamp."""
    demo = f'<span class="dsjs-demo">{escape(w.t("peresmian.demo"))}</span>' if n.is_demo else ""
    return (
        _CSS + '<div class="dsjs-slide">'
        f'<div class="dsjs-top"><span class="dsjs-kicker">{escape(kicker)}</span>{demo}</div>'
        f'<div class="dsjs-head">{head}</div>'
        f'<div class="dsjs-main">{body}</div>'
        f'<div class="dsjs-foot"><span>{escape(w.stamp(n))}</span><span>{escape(foot_right)}</span></div>'
        "</div>"
    )


def _head(title: str, tagline: str) -> str:
    return f'<h1 class="dsjs-name">{escape(title)}</h1><div class="dsjs-tagline">{escape(tagline)}</div>'


def _gauge_panel(
    w: Words, heading: str, certified: int, target: int | None, label: str, alt_text: str, target_line: str
) -> str:
    """The gauge (same Altair spec as the pages) with the count beside it in large type."""
    png = images.gauge_png(int(certified), int(target) if target else None, w.lang, label="", size=400)
    of = w.t("peresmian.of_target", target=w.num(target)) if target else w.t("peresmian.certified_count")
    return (
        f'<div class="dsjs-panel"><div class="dsjs-ph">{escape(heading)}</div><div class="dsjs-gaugerow">'
        f'<img class="dsjs-gauge" src="{_uri(png)}" alt="{escape(alt_text)}"/>'
        f'<div class="dsjs-count"><div class="dsjs-big">{escape(w.num(certified))}</div>'
        f'<div class="dsjs-small">{escape(of)}</div>'
        f'<div class="dsjs-target">{escape(target_line)}</div></div></div></div>'
    )


def village_slide(d: Desa, lang: str, public_url: str | None = None, foot_right: str = "") -> str:
    """The ceremony's main slide for a certified village."""
    w = Words(lang)
    v, n = d.v, d.nasional
    left = (
        f'<div><div class="dsjs-place">{escape(w.place(d))}</div>'
        f'<div class="dsjs-date">{escape(w.date(v["certified_on"]))}</div>'
        + _tiles(
            [
                (w.seq(v["certified_seq_national"]), w.t("peresmian.seq_national")),
                (w.seq(v["certified_seq_branch"]), w.t("peresmian.seq_branch", branch=v["branch_name"])),
                (w.num(v["aparatur_active"]), w.t("peresmian.aparatur")),
                (w.num(v["participants_active"]), w.t("peresmian.participants")),
            ]
        )
        + f'<div class="dsjs-note">{escape(w.regency_aparatur(d))}</div></div>'
    )
    gauge = _gauge_panel(
        w,
        w.national_heading(n, d.year),
        n.certified,
        n.target,
        w.gauge_label(n),
        w.gauge_alt(n),
        w.target_by(n.target, n.period_end, d.year),
    )
    size = (740, 460) if public_url else (1100, 460)
    map_uri = _village_map_uri(float(v["lon"]), float(v["lat"]), v["regency_code"], d.name, size)
    qr_html = ""
    if public_url:
        url = qr.village_url(public_url, d.code)
        qr_html = (
            f'<div class="dsjs-qr"><img src="{qr.qr_svg_data_uri(url)}" '
            f'alt="{escape(w.t("peresmian.qr_alt", url=url))}"/>'
            f"<div>{escape(w.t('peresmian.scan'))}</div></div>"
        )
    right = (
        f'<div class="dsjs-side">{gauge}<div class="dsjs-maprow"><div class="dsjs-map">'
        f'<img src="{map_uri}" alt="{escape(w.t("peresmian.map_alt", name=d.name, regency=v["regency_name"]))}"/>'
        f"</div>{qr_html}</div></div>"
    )
    return _frame(
        w, n, w.t("peresmian.kicker"), _head(w.village_title(d), w.t("peresmian.tagline")), left + right, foot_right
    )


def office_slide(k: Kantor, lang: str, foot_right: str = "") -> str:
    """A branch or region slide: certified villages against its target, status, ranking position, territory map."""
    w = Words(lang)
    n = k.nasional
    tone = {"on_track": "good", "achieved": "good", "at_risk": "warn", "off_track": "bad", "missed": "bad"}
    tiles = [
        (w.num(k.certified), w.t("peresmian.certified_count")),
        (
            w.status(k),
            w.t("peresmian.pace_title", year=k.year),
            f"dsjs-status dsjs-{tone.get(k.laju['status'], 'none')}",
        ),
    ]
    rank_tile = w.rank_tile(k)  # None when ranked only among itself
    if rank_tile:
        tiles.append(rank_tile)
    tiles.append((w.num(k.r["aparatur_active"]), w.t("peresmian.aparatur_total")))
    left = f'<div><div class="dsjs-place">{escape(" ".join(w.pace_lines(k)))}</div>' + _tiles(tiles) + "</div>"
    gauge = _gauge_panel(
        w,
        w.t("peresmian.vs_target", year=k.year),
        k.certified,
        k.target,
        w.gauge_label(k),
        w.gauge_label(k),
        w.target_by(k.target, k.laju.get("period_end"), k.year),
    )
    pts = tuple((float(a), float(b)) for a, b in zip(k.villages["lon"], k.villages["lat"]))
    map_uri = _office_map_uri(tuple(k.regency_codes), pts)
    right = (
        f'<div class="dsjs-side">{gauge}<div class="dsjs-map"><img src="{map_uri}" '
        f'alt="{escape(w.t("peresmian.map_office"))}"/></div></div>'
    )
    return _frame(
        w,
        n,
        w.t("peresmian.kicker"),
        _head(w.office_title(k, long=True), w.t("peresmian.tagline")),
        left + right,
        foot_right,
    )


def nation_slide(
    n: Nasional,
    year: int,
    lang: str,
    points: list[tuple[float, float]],
    highlight: tuple[float, float] | None = None,
    foot_right: str = "",
) -> str:
    """The national picture: only the public national figures (certified villages, the target), the same
    for every viewer; share and villages to go are derived from those two."""
    w = Words(lang)
    tiles = [
        (w.num(n.certified), w.t("peresmian.certified_count")),
        (w.num(n.target) if n.target else "–", w.target_by(n.target, n.period_end, year)),
        (w.pct(n.share) if n.target else "–", w.t("peresmian.share_of_target")),
        (w.num(n.remaining) if n.target else "–", w.t("peresmian.remaining_to_target")),
    ]
    left = "<div>" + _tiles(tiles) + "</div>"
    gauge = _gauge_panel(
        w,
        w.national_heading(n, year),
        n.certified,
        n.target,
        w.gauge_label(n),
        w.gauge_alt(n),
        w.target_by(n.target, n.period_end, year),
    )
    map_uri = _national_map_uri(tuple((float(a), float(b)) for a, b in points), highlight)
    right = (
        f'<div class="dsjs-side">{gauge}<div class="dsjs-map"><img src="{map_uri}" '
        f'alt="{escape(w.national_context(n))}"/></div></div>'
    )
    return _frame(
        w,
        n,
        w.t("peresmian.kicker"),
        _head(w.t("peresmian.nation"), w.t("peresmian.tagline")),
        left + right,
        foot_right,
    )
