"""Peresmian queries and the exported briefs.

- the peresmian_*.sql queries on a tiny snapshot: exact rows, ranking, scope (a branch viewer still sees the
  national headline and target, but no village of another branch);
- the briefs on the demo (snapshot 2018-08-01): the village PDF's text (pypdf) holds the name, the date and the
  numbers on one A4 page; the PNG is 1080x1350; the branch brief lists its certified villages and its ranking;
  a branch without a target says so; QR codes only with a public URL; the CLI writes a whole branch.
Generated files are saved in test-output/ for people to look at.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from desasadar import db, ranking, reference
from desasadar.export import brief_pdf, brief_png, facts, qr, slide, static_map
from desasadar.__main__ import main as cli
from desasadar.scope import Scope

from .helpers import participant, publish, rows, village

EKANG = "21.01.10.2002"  # Ekang Anculai, Kab. Bintan, KC Tanjung Pinang, Kanwil Sumbarriau
LAGOI = "21.01.10.2004"  # Sebong Lagoi, same kecamatan
BERINDAT = "21.04.06.2001"  # Berindat, Kab. Lingga, KC Tanjung Pinang
ACEH = "11.08.01.2001"  # KC Lhokseumawe, Kanwil Sumbagut
TP = Scope.of(branches=["tanjung-pinang"])
ALL = Scope.national()
SNAP = "2018-08-01"


# --- the queries on a tiny snapshot ----------------------------------------------------------------------


def certified(code: str, on: date, **kw) -> dict:
    return village(code, "certified", proposed_on=date(2017, 1, 2), verified_on=date(2017, 2, 1), certified_on=on, **kw)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    base = tmp_path_factory.mktemp("peresmian-data")
    publish(
        base,
        date(2018, 8, 1),
        [
            certified(LAGOI, date(2017, 8, 24), officials_total=10, officials_enrolled=10),
            certified(BERINDAT, date(2017, 11, 16)),
            certified(EKANG, date(2018, 8, 1), officials_total=12, officials_enrolled=12),
            certified(ACEH, date(2018, 3, 1)),
            village("21.01.10.2005", "proposed", proposed_on=date(2018, 7, 1)),
        ],
        [
            participant("P1", EKANG, segment="PU", occupation="kepala_desa"),
            participant("P2", EKANG, segment="PU", occupation="perangkat_desa"),
            participant("P3", EKANG, occupation="petani"),
            participant("P4", EKANG, occupation="petani", active=False),
            participant("P5", LAGOI, occupation="ketua_rt_rw"),
            participant("P6", "21.01.10.2005", occupation="perangkat_desa"),
        ],
    )
    yield base
    db.clear_caches()


def target(scope: str, code: str, year: int = 2018) -> int | None:
    t = reference.table("target.csv")
    hit = t[(t.year == year) & (t.scope == scope) & (t.scope_code == code)]
    return None if hit.empty or pd.isna(hit.target_villages.iloc[0]) else int(hit.target_villages.iloc[0])


def cab_in(region: str) -> list[str]:
    c = reference.table("cabang.csv")
    return list(c.branch_code[c.region_code == region])


def q(base, name, scope=ALL, **params):
    return db.run(name, scope, SNAP, base=base, **params)


def test_desa_row(tiny):
    df = q(tiny, "peresmian_desa", village_code=EKANG)
    r = df.iloc[0]
    assert (r.village_name, r.district_name, r.regency_name, r.branch_name, r.region_name) == (
        "Ekang Anculai",
        "Teluk Sebong",
        "Kabupaten Bintan",
        "Tanjung Pinang",
        "Sumbarriau",
    )
    assert pd.Timestamp(r.certified_on).date() == date(2018, 8, 1)
    # 4th certified nationally (Lagoi, Berindat, Aceh, Ekang), 3rd in its branch
    assert (r.certified_seq_national, r.certified_seq_branch) == (4, 3)
    assert (r.aparatur_active, r.participants_active, r.participants) == (2, 3, 4)
    # Kab. Bintan: aparatur (kepala + perangkat) of Ekang (2) and the proposed village (1); Lagoi's ketua RT/RW is
    # counted apart (rtrw_staf_active); 2 certified there
    assert (r.regency_aparatur_active, r.regency_rtrw_staf_active, r.regency_certified, r.branch_certified) == (
        3, 1, 2, 3)
    assert r.rtrw_staf_active == 0


def test_desa_outside_scope_is_empty(tiny):
    assert q(tiny, "peresmian_desa", scope=Scope.of(branches=["lhokseumawe"]), village_code=EKANG).empty
    assert q(tiny, "peresmian_desa", village_code="99.99.99.9999").empty


def test_certified_list_and_filters(tiny):
    cols = ["village_code", "certified_seq_national", "certified_seq_branch"]
    assert rows(q(tiny, "peresmian_desa_tersertifikasi", branch_code=None, region_code=None)[cols]) == [
        (LAGOI, 1, 1),
        (BERINDAT, 2, 2),
        (ACEH, 3, 1),
        (EKANG, 4, 3),
    ]
    assert rows(q(tiny, "peresmian_desa_tersertifikasi", branch_code="tanjung-pinang", region_code=None)[cols[:1]]) == [
        (LAGOI,),
        (BERINDAT,),
        (EKANG,),
    ]
    assert rows(q(tiny, "peresmian_desa_tersertifikasi", branch_code=None, region_code="sumbagut")[cols[:1]]) == [
        (ACEH,)
    ]
    assert rows(q(tiny, "peresmian_desa_tersertifikasi", scope=TP, branch_code=None, region_code=None)[cols[:1]]) == [
        (LAGOI,),
        (BERINDAT,),
        (EKANG,),
    ]


def test_branch_summary_and_ranking(tiny):
    r = q(tiny, "peresmian_cabang", branch_code="tanjung-pinang", year=2018).iloc[0]
    assert (r.certified, r.certified_in_year, r.proposed, r.target_villages) == (
        3,
        1,
        1,
        target("branch", "tanjung-pinang"),
    )
    other = q(tiny, "peresmian_cabang", branch_code="lhokseumawe", year=2018).iloc[0]
    assert other.certified == 1
    nobody = q(tiny, "peresmian_cabang", branch_code="banjar", year=2018).iloc[0]
    assert nobody.certified == 0 and pd.isna(nobody.target_villages)  # banjar: no target set
    assert q(tiny, "peresmian_cabang", scope=TP, branch_code="lhokseumawe", year=2018).empty

    # The one rank (desasadar/ranking.py): % of target, competition ranking, among branches with a target > 0.
    ranked = q(tiny, "cabang_peringkat", year=2018, ukuran=ranking.RANK_MEASURE)
    cab = reference.table("cabang.csv")
    with_target = [b for b in cab.branch_code if target("branch", b)]
    tp, lh = 3 / target("branch", "tanjung-pinang"), 1 / target("branch", "lhokseumawe")
    pos = ranking.position(ranked, "branch", "tanjung-pinang")
    assert (pos.rank, pos.of) == (1 + (lh > tp), len(with_target))
    assert pos.assumed == sum(1 for b in with_target if cab.set_index("branch_code").name_basis[b] == "assumed")
    region = ranking.position(ranked, "branch", "tanjung-pinang", within_region=True)
    in_region = [b for b in with_target if cab.set_index("branch_code").region_code[b] == "sumbarriau"]
    assert (region.rank, region.of, region.region_name) == (1, len(in_region), "Sumbarriau")
    assert ranking.position(ranked, "branch", "banjar").rank is None  # no target: unranked
    text = ranking.position_text(pos, "id", 2018)
    assert text.startswith(f"ke-{pos.rank} dari {pos.of} kantor cabang menurut % target 2018")
    # A branch viewer ranks only among what it sees: itself.
    mine = ranking.position(q(tiny, "cabang_peringkat", scope=TP, year=2018, ukuran=ranking.RANK_MEASURE),
                            "branch", "tanjung-pinang")
    assert (mine.rank, mine.of) == (1, 1)


def test_region_summary(tiny):
    r = q(tiny, "peresmian_wilayah", region_code="sumbarriau", year=2018).iloc[0]
    assert (r.certified, r.branches) == (3, len(cab_in("sumbarriau")))
    pos = ranking.position(q(tiny, "wilayah_peringkat", year=2018, ukuran=ranking.RANK_MEASURE), "region",
                           "sumbarriau")
    regions = reference.table("wilayah.csv").region_code
    assert (pos.rank, pos.of) == (1, sum(1 for w in regions if target("region", w)))  # DKI Jakarta: no desa, target 0
    assert r.target_villages == target("region", "sumbarriau")


def test_national_headline_for_every_scope(tiny):
    for scope in (ALL, TP, Scope.of(regions=["sumbagut"])):
        r = q(tiny, "peresmian_nasional", scope=scope, year=2018).iloc[0]
        assert (r.certified, r.target_villages, r.snapshot_id) == (4, 500, SNAP)
    assert pd.isna(q(tiny, "peresmian_nasional", year=2031).iloc[0].target_villages)


def test_territory(tiny):
    got = q(tiny, "peresmian_wilayah_kerja", branch_code="tanjung-pinang", region_code=None)
    assert list(got.regency_code) == ["21.01", "21.04", "21.72"]


def test_facts_reject_malformed_codes(tiny):
    run = lambda name, **p: q(tiny, name, **p)  # noqa: E731
    for bad in ("21.01.10.200", "21.01.10.2002\n", "٢١.٠١.١٠.٢٠٠٢", "x' or 1=1", "", None):
        assert facts.desa(run, bad, 2018) is None
    assert facts.kantor("branch", "Tanjung Pinang", 2018, run) is None
    assert facts.kantor("branch", "../x", 2018, run) is None


# --- the briefs on the demo ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_facts(demo_dir):
    """Ekang Anculai's row in the demo facts (numbers the generator may tune are read, not hard-coded)."""
    f = pd.read_parquet(demo_dir / "snapshots" / SNAP / "facts_desa.parquet")
    return f.set_index("village_code").loc[EKANG]


def demo_run(demo_dir, scope=ALL):
    return lambda name, **p: db.run(name, scope, SNAP, base=demo_dir, **p)


@pytest.fixture
def ekang(demo_env):
    d = facts.desa(demo_run(demo_env), EKANG, 2018)
    assert d is not None
    return d


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    return re.sub(r"[ \t]+", " ", text), len(reader.pages)


def test_village_facts(ekang, demo_facts):
    v = ekang.v
    assert (v["village_name"], v["branch_name"], v["certified_on"]) == (
        "Ekang Anculai",
        "Tanjung Pinang",
        date(2018, 8, 1),
    )
    assert v["certified_seq_national"] == 411
    assert v["certified_seq_branch"] == int(demo_facts.certified_seq_branch)
    # Kab. Bintan, as in the seed article: the Bupati's count = aparatur desa (kepala + perangkat) + RT/RW and staff
    assert v["regency_aparatur_active"] + v["regency_rtrw_staf_active"] == 1450
    assert 0 < v["regency_aparatur_active"] < 1450
    n = ekang.nasional
    assert (n.certified, n.target, n.is_demo) == (411, 500, True)


def test_village_pdf(ekang, demo_facts, output_dir):
    data = brief_pdf.village_pdf(ekang, "id")
    (output_dir / "peresmian-desa.pdf").write_bytes(data)
    text, pages = pdf_text(data)
    assert pages == 1
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 portrait
    for s in (
        "Desa Ekang Anculai",
        "Desa Sadar Jaminan Sosial",
        "Rabu, 1 Agustus 2018",
        "Kecamatan Teluk Sebong",
        "Kabupaten Bintan",
        "ke-411",
        f"ke-{int(demo_facts.certified_seq_branch)}",
        "di KC Tanjung Pinang",
        str(int(demo_facts.aparatur_active)),
        f"{int(demo_facts.participants_active)}",
        "1.450 aparatur desa, ketua RT/RW dan staf desa terdaftar di Kabupaten Bintan",
        "411 dari 500 desa tersertifikasi (82,2%)",
        "21.01.10.2002",
        "DATA DEMO",
        "snapshot 2018-08-01",
    ):
        assert s in text, s
    assert "desa?desa=" not in text  # no public URL set: no QR, no link


def test_village_pdf_english_with_qr(ekang, monkeypatch):
    url = qr.public_base_url("https://dsjs.example.go.id/")
    data = brief_pdf.village_pdf(ekang, "en", url)
    text, pages = pdf_text(data)
    assert pages == 1
    for s in (
        "Wednesday, 1 August 2018",
        "No. 411",
        "1,450 village officials, RT/RW heads and village staff",
        "DEMO DATA",
        "https://dsjs.example.go.id/desa?desa=21.01.10.2002",
    ):
        assert s in text, s


def test_village_png(ekang, output_dir):
    data = brief_png.village_png(ekang, "id")
    (output_dir / "peresmian-desa-wa.png").write_bytes(data)
    im = Image.open(io.BytesIO(data))
    assert im.size == (1080, 1350) and im.format == "PNG"
    with_qr = Image.open(io.BytesIO(brief_png.village_png(ekang, "en", "https://dsjs.example.go.id")))
    assert with_qr.size == (1080, 1350)


def test_branch_pdf(demo_env, output_dir):
    k = facts.kantor("branch", "tanjung-pinang", 2018, demo_run(demo_env, TP), demo_run(demo_env))
    data = brief_pdf.office_pdf(k, "id")
    (output_dir / "peresmian-cabang.pdf").write_bytes(data)
    text, _ = pdf_text(data)
    assert "Kantor Cabang Tanjung Pinang" in text and "Rabu, 1 Agustus 2018" in text
    assert f"Desa tersertifikasi ({len(k.villages)})" in text
    for name in k.villages.village_name:
        assert name in text
    assert "Ekang Anculai" in set(k.villages.village_name)
    assert "Peringkat " + ranking.position_text(k.position, "id", 2018) in " ".join(text.split())
    assert k.position.measure == "persen_target" and "menurut % target 2018" in " ".join(text.split())
    assert "Laju menuju target 2018" in text and "DATA DEMO" in text
    assert "Nasional: 411 dari 500 desa tersertifikasi (82,2%)." in text


def test_region_pdf_english_and_branch_without_target(demo_env):
    k = facts.kantor(
        "region", "sumbarriau", 2018, demo_run(demo_env, Scope.of(regions=["sumbarriau"])), demo_run(demo_env)
    )
    text, _ = pdf_text(brief_pdf.office_pdf(k, "en"))
    assert "Regional office Sumbarriau" in text and "regional offices by % of the 2018 target" in " ".join(text.split())
    assert "Ekang Anculai" in text
    banjar = facts.kantor(
        "branch", "banjar", 2018, demo_run(demo_env, Scope.of(branches=["banjar"])), demo_run(demo_env)
    )
    assert banjar.target is None and banjar.laju["status"] == "no_target"
    text, _ = pdf_text(brief_pdf.office_pdf(banjar, "id"))
    assert "Belum ada target 2018" in text
    assert "Banjar (perkiraan)" in text  # an assumed office is marked wherever it is named


def test_public_url_setting(monkeypatch):
    monkeypatch.delenv(qr.ENV, raising=False)
    assert qr.public_base_url(None) is None
    assert qr.public_base_url("") is None
    assert qr.public_base_url("javascript:alert(1)") is None
    assert qr.public_base_url("dsjs.example.go.id") is None
    assert qr.public_base_url("https://dsjs.example.go.id/app/") == "https://dsjs.example.go.id/app"
    monkeypatch.setenv(qr.ENV, "https://env.example.go.id")
    assert qr.public_base_url("https://secret.example.go.id") == "https://env.example.go.id"
    assert qr.village_url("https://x.go.id", EKANG) == "https://x.go.id/desa?desa=21.01.10.2002"
    assert qr.qr_png("https://x.go.id/desa?desa=21.01.10.2002").startswith(b"\x89PNG")


def test_slide_is_self_contained(ekang):
    html = slide.village_slide(ekang, "id")
    assert "Desa Ekang Anculai" in html and "Rabu, 1 Agustus 2018" in html and "ke-411" in html
    # nothing from any host: images are data URIs, no link/script/font imports
    assert not re.search(r"""(src|href)=["'](?!data:)""", html)
    assert "@import" not in html and "url(" not in html and "<script" not in html.lower()
    assert 'class="dsjs-qr"' not in html
    assert 'class="dsjs-qr"' in slide.village_slide(ekang, "id", "https://dsjs.example.go.id")
    assert "<script" not in slide.CHROME_CSS and "url(" not in slide.CHROME_CSS


def test_static_maps_draw_the_village():
    im = static_map.village_map(104.387995, 1.101892, "21.01", (400, 300), label=None, inset=False)
    assert im.size == (400, 300)
    r, g, b = im.getpixel((200, 150))  # the village sits in the centre, marked red
    assert r > 150 and g < 90 and b < 90
    assert static_map.office_map(["21.01", "21.04"], [(104.39, 1.10)], (300, 200)).size == (300, 200)
    assert static_map.national_map([(104.39, 1.10)], (104.39, 1.10), (600, 240)).size == (600, 240)


def test_cli_whole_branch(demo_env, tmp_path, capsys):
    rc = cli(["briefs", "--cabang", "tanjung-pinang", "--snapshot", SNAP, "--out", str(tmp_path)])
    assert rc == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    villages = facts.certified_villages(demo_run(demo_env), "tanjung-pinang")
    assert f"DEMO-ringkasan-kc-tanjung-pinang-{SNAP}-id.pdf" in names  # demo data: DEMO in every file name
    for vc in villages.village_code:
        assert f"DEMO-peresmian-{vc}-{SNAP}-id.pdf" in names and f"DEMO-peresmian-{vc}-{SNAP}-id.png" in names
    assert len(names) == 1 + 2 * len(villages)
    assert cli(["briefs", "--cabang", "no-such-branch", "--out", str(tmp_path)]) == 2
    assert cli(["briefs", "--cabang", "tanjung-pinang", "--snapshot", "2019-01-01", "--out", str(tmp_path)]) == 2
    assert "no snapshot" in capsys.readouterr().err
