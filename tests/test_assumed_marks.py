"""The same assumed office carries its mark ("perkiraan" / "assumed") on every page and in every download:
the sidebar's branch filter, the Desa profile and list, the Peta tooltips, the Peringkat tables and their
CSV/XLSX, the ceremony slide, the village and branch briefs (PDF) from the page and the command line, and
the e-mailed brief; rank texts say how many of the offices they count are assumed."""
from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from desasadar import db, offices, ranking, reference, table_files
from desasadar import __main__ as cli
from desasadar.laporan import surat
from desasadar.scope import Scope

SNAP = "2018-08-01"


@pytest.fixture(scope="module")
def office(demo_dir):
    """The assumed branch with the most certified villages on the demo's 1 Aug 2018, and one of them."""
    f = pd.read_parquet(demo_dir / "snapshots" / SNAP / "facts_desa.parquet")
    cab = reference.table("cabang.csv").set_index("branch_code")
    cert = f[(f["status"] == "certified") & f["branch_code"].map(cab["name_basis"]).eq("assumed")]
    code = cert["branch_code"].value_counts().index[0]
    village = cert[cert["branch_code"] == code].sort_values("village_code").iloc[0]
    return code, cab.at[code, "name"], village["village_code"], cab.at[code, "region_code"]


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def page(make_app, path, **query):
    """A page with the shell's filters from the URL (set again after switch_page, which drops the URL)."""
    at = make_app() if path else make_app(**query)
    at.run()
    if path:
        at.switch_page(path)
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_assumed_office_marked_everywhere(make_app, demo_dir, office, tmp_path):
    code, name, village, region = office
    marked = f"{name} (perkiraan)"
    # sidebar: the branch filter's option
    at = page(make_app, None, snapshot=SNAP, cabang=code)
    sel = at.selectbox(key="f_cabang")
    assert sel.value == code and f"KC {marked}" in sel.options
    assert "KC Tanjung Pinang" in sel.options or not any(o == "KC Tanjung Pinang (perkiraan)" for o in sel.options)

    # Desa: the profile's identity
    at = page(make_app, "pages/desa.py", snapshot=SNAP, desa=village)
    assert f"KC {marked}" in " ".join(m.value for m in at.markdown).replace("\\", "")  # markdown escapes ( )

    # Peta: every tooltip of the branch's villages
    at = page(make_app, "pages/peta.py", snapshot=SNAP, cabang=code)
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    points = next(lyr for lyr in deck["layers"] if lyr["id"] == "desa")["data"]
    assert points and all(marked in json.dumps(p, ensure_ascii=False) for p in points)

    # Peringkat: the branch table (and its CSV/XLSX, made from the same frame) and the village table
    rows = db.run("cabang_peringkat", Scope.of(regions=[region]), SNAP, base=demo_dir, year=2018, ukuran="persen_target")
    table = ranking.office_table(rows, "branch", "persen_target", "id", year=2018)
    assert marked in set(table.frame["Kantor cabang"])
    for b in ranking.bands(rows, "branch", "id"):  # the band cards name leaders as the table does
        lead = rows[(rows["band"] == b.band) & rows["band_leader"]]
        assert b.leader == (offices.label(lead["branch_name"].iloc[0], lead["name_basis"].iloc[0], "id") if len(lead) else None)
    frame = table_files.mark_demo(table.frame, "id")
    assert marked in table_files.to_csv(frame).decode("utf-8-sig")
    assert marked in set(table_files.read_xlsx(table_files.to_xlsx(frame, "DEMO"))["Kantor cabang"])
    at = page(make_app, "pages/peringkat.py", snapshot=SNAP, cabang=code)
    shown = pd.concat([d.value for d in at.dataframe], ignore_index=True).astype(str)
    assert shown.apply(lambda c: c.str.contains(re.escape(marked))).any().any()
    # the rank quoted on the page says how many of the offices counted are assumed
    assert re.search(r"dari \d+ kantor cabang .*\(\d+ di antaranya kantor perkiraan\)",
                     " ".join(s.value for s in [*at.success, *at.info]))

    # Peresmian: the slide, and the branch brief named on it
    at = page(make_app, "pages/peresmian.py", snapshot=SNAP, desa=village)
    slide = "\n".join(h.value for h in at.html if "dsjs-slide" in h.value)
    assert marked in slide
    assert any(marked in b.label for b in at.get("download_button"))

    # the briefs from the command line, in English too
    out = tmp_path / "briefs"
    assert cli.main(["briefs", "--cabang", code, "--snapshot", SNAP, "--out", str(out), "--lang", "en"]) == 0
    pdfs = sorted(out.glob("*.pdf"))
    assert pdfs and all(f"{name} (assumed)" in pdf_text(p.read_bytes()) for p in pdfs)
    # the e-mailed branch brief
    lap = surat.build(("branch", code), db.serve(SNAP), "id")
    assert marked in pdf_text(lap.pdf)
    # the national brief names no branch, but says how many of the offices its targets rest on are assumed
    n = int((reference.table("cabang.csv")["name_basis"] == "assumed").sum())
    assert f"Kantor cabang: 165, {n} di antaranya perkiraan" in pdf_text(surat.build(("national", ""), db.serve(SNAP), "id").pdf)


def test_marks_follow_the_office_list(make_app, office):
    """The mark is the structure's, not a name list: an office from the agency's own list is never marked."""
    df = pd.DataFrame({"name": ["Surabaya", "Dabo Singkep"], "name_basis": ["assumed", offices.OFFICIAL]})
    assert list(offices.labels(df, "id")) == ["Surabaya (perkiraan)", "Dabo Singkep"]
    assert list(offices.labels(df, "en")) == ["Surabaya (assumed)", "Dabo Singkep"]
    q = pd.DataFrame({"branch_name": ["Surabaya"], "branch_basis": ["assumed"]})
    marked = offices.mark_branches(q, "id")
    assert marked is offices.mark_branches(q, "id") and list(marked["branch_name"]) == ["Surabaya (perkiraan)"]
    assert list(q["branch_name"]) == ["Surabaya"]  # the data layer's cached result is not changed
