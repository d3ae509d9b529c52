"""Every number agrees: each headline figure is computed once from the data layer and compared with what the
Peringkat page, its downloads, the branch brief (PDF), the ceremony slide and the village brief say, for a
national, a region and a branch viewer (demo snapshot 2018-08-01, KC Tanjung Pinang, Desa Ekang Anculai).
"""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from desasadar import db, table_files, ranking
from desasadar.export import brief_pdf, facts, slide
from desasadar.scope import Scope

from .test_access import AUTH, DEPUTY, KC_TP
from .test_export import pdf_text
from .conftest import app

SNAP = "2018-08-01"
TP = "tanjung-pinang"
EKANG = "21.01.10.2002"
DIREKSI = "direksi@contoh.bpjsketenagakerjaan.go.id"
VIEWERS = {
    "national": (DIREKSI, Scope.national()),
    "region": (DEPUTY, Scope.of(regions=["sumbarriau"])),
    "branch": (KC_TP, Scope.of(branches=[TP])),
}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def headline(demo_dir, scope: Scope) -> dict:
    """The figures, computed once through the data layer for the viewer's scope."""
    ranked = db.run("cabang_peringkat", scope, SNAP, base=demo_dir, year=2018, ukuran=ranking.RANK_MEASURE)
    me = ranked[ranked["branch_code"] == TP].iloc[0]
    village = db.run("peresmian_desa", scope, SNAP, base=demo_dir, village_code=EKANG).iloc[0]
    return {
        "certified": int(me["certified"]),
        "target": int(me["target"]),
        "pct": round(float(me["pct_target"]) * 100, 1),
        "position": ranking.position(ranked, "branch", TP),
        "position_region": ranking.position(ranked, "branch", TP, within_region=True),
        "aparatur": int(village["aparatur_active"]),
        "rtrw": int(village["rtrw_staf_active"]),
        "bintan": int(village["regency_aparatur_active"] + village["regency_rtrw_staf_active"]),
    }


class Files:
    """The files the download buttons offer: bytes (built as a click would) and file names."""

    def __init__(self):
        self.made: dict[str, object] = {}
        self.names: dict[str, str] = {}

    def __call__(self, button) -> bytes:
        return self.made[button.proto.deferred_file_id]()

    def name(self, button) -> str:
        return self.names[button.proto.deferred_file_id]


@pytest.fixture
def downloads(monkeypatch):
    files = Files()
    original = MediaFileManager.add_deferred

    def capture(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        files.made[file_id], files.names[file_id] = data_callable, file_name or ""
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    return files


def peringkat_as(email: str):
    at = app(snapshot=SNAP, cabang=TP)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "email_verified": True, "name": "Uji"}
    at.switch_page("pages/peringkat.py").run()
    at.query_params["cabang"] = TP
    at.query_params["snapshot"] = SNAP
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_branch_figures_agree_on_page_downloads_brief_and_slide(demo_env, downloads, viewer):
    email, scope = VIEWERS[viewer]
    h = headline(demo_env, scope)
    assert h["position"].measure == ranking.RANK_MEASURE and h["position"].rank is not None

    # Peringkat page: the position line and TP's row say the same figures.
    at = peringkat_as(email)
    shown = flat(" ".join([s.value for s in at.success] + [i.value for i in at.info]))
    assert ranking.position_text(h["position_region"], "id", 2018) in shown
    cab = at.dataframe[0].value
    row = cab[cab["Kantor cabang"] == "Tanjung Pinang"].iloc[0]
    shown_pct = float(str(row["% target"]).rstrip("%").replace(".", "").replace(",", "."))  # "100,0%" as shown
    assert (int(row["Tersertifikasi"]), int(row["Target 2018"]), shown_pct) == (h["certified"], h["target"], h["pct"])
    assert int(row["Peringkat"]) == h["position_region"].rank

    # Its download: DEMO in the name and on every row, the same figures.
    csv_button = next(b for b in at.download_button if b.proto.label.endswith("CSV"))
    assert downloads.name(csv_button).startswith("DEMO-peringkat-cabang-")
    data = pd.read_csv(io.BytesIO(downloads(csv_button)), encoding="utf-8-sig", sep=";", decimal=",")  # Excel-ready
    assert data.columns[0] == "Data" and data["Data"].str.startswith("DEMO").all()
    tp = data[data["Kantor cabang"] == "Tanjung Pinang"].iloc[0]
    assert (int(tp["Tersertifikasi"]), int(tp["Target 2018"]), float(tp["% target"])) == (
        h["certified"], h["target"], h["pct"])

    # The branch brief and the ceremony slide, ranked in the same viewer's scope.
    run_office = lambda name, **p: db.run(name, Scope.of(branches=[TP]), SNAP, base=demo_env, **p)  # noqa: E731
    run_rank = lambda name, **p: db.run(name, scope, SNAP, base=demo_env, **p)  # noqa: E731
    k = facts.kantor("branch", TP, 2018, run_office, run_rank)
    same_field = h["position_region"].of == h["position"].of  # a region (or branch) viewer sees one Kanwil
    assert k.position == (h["position_region"] if same_field else h["position"])
    assert k.position_region == h["position_region"]
    assert (k.certified, k.target) == (h["certified"], h["target"])
    text = flat(pdf_text(brief_pdf.office_pdf(k, "id"))[0])
    if k.position.of >= 2:
        assert ranking.position_text(k.position, "id", 2018) in text
        assert ranking.position_text(h["position_region"], "id", 2018) in text  # the page's words, too
        big, rest = ranking.position_parts(k.position, "id", 2018)
        html = slide.office_slide(k, "id")
        assert big in html and rest in html
    else:  # a branch head sees only its own branch: no rank is claimed anywhere but the page's "1 of 1"
        assert "Peringkat ke-" not in text
    assert "DATA DEMO" in text

    # The village brief: one aparatur definition; Bintan's 1,450 is the sum of the two labelled groups.
    d = facts.desa(run_office, EKANG, 2018)
    assert (d.v["aparatur_active"], d.v["rtrw_staf_active"]) == (h["aparatur"], h["rtrw"])
    assert d.v["aparatur_active"] == d.v["officials_enrolled"]  # the PDF's "kepala dan perangkat a dari b"
    vtext = flat(pdf_text(brief_pdf.village_pdf(d, "id"))[0])
    assert f"{h['bintan']:,}".replace(",", ".") + " aparatur desa, ketua RT/RW dan staf desa" in vtext
    assert h["bintan"] == 1450


def test_demo_marked_file_names(demo_env, downloads):
    at = peringkat_as(DIREKSI)
    names = [downloads.name(b) for b in at.download_button]
    assert names and all(n.startswith("DEMO-") for n in names), names
    xlsx_button = next(b for b in at.download_button if b.proto.label.endswith("XLSX"))
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(downloads(xlsx_button)), read_only=True)
    assert wb.worksheets[0].title.startswith("DEMO") and wb.properties.title.startswith("DEMO")
    assert table_files.file_name("x", "csv", demo=False) == "x.csv"


def test_ceremony_files_say_demo(demo_env, downloads):
    """The Peresmian page's PDF/PNG: DEMO- file names; DEMO inside (PDF text, PNG text chunks)."""
    from PIL import Image

    at = app(snapshot=SNAP, desa=EKANG).run()
    at.switch_page("pages/peresmian.py").run()
    at.query_params["desa"] = EKANG
    at.run()
    assert not at.exception, at.exception
    buttons = list(at.download_button)
    assert len(buttons) >= 3 and all(downloads.name(b).startswith("DEMO-") for b in buttons)
    png = next(b for b in buttons if downloads.name(b).endswith(".png"))
    info = Image.open(io.BytesIO(downloads(png))).info
    assert info["Title"].startswith("DEMO") and "DEMO" in info["Comment"]
    pdf = next(b for b in buttons if downloads.name(b).endswith(".pdf"))
    assert "DATA DEMO" in pdf_text(downloads(pdf))[0]
