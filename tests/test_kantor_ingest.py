"""The agency's own office list through ingest: exact rejected rows (id/en), refused whole when any row is
rejected or a regency is left unserved, national officers only, and on publish the new snapshot's
structure: every village to the branch serving its regency, rankings and the data layer on the loaded
list, nothing marked assumed; the previous snapshot keeps its structure; later snapshots carry it on."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from pypdf import PdfReader

from desasadar import db, offices, snapshots
from desasadar.ingest import publish as P
from desasadar.laporan import surat
from desasadar.scope import Scope

from . import office_list as OL
from .ingest_world import AS_OF, DABO, EKANG, FIX, publish_base


@pytest.fixture
def base(data_dir):
    publish_base(data_dir)
    return data_dir


def line(i: int) -> int:
    """The file's line of frame row `i` (the header on line 1)."""
    return i + 2


def _row(df: pd.DataFrame, regency: str) -> int:
    return int(df.index[df["kode_kabupaten"] == regency][0])


def test_office_list_rows_rejected_exactly(base):
    df = OL.rows()
    bintan, padang, agam = _row(df, "21.01"), _row(df, "13.71"), _row(df, "13.06")
    surabaya = _row(df, "35.78")
    df.loc[bintan, "kode_kabupaten"] = "21.99"        # no such regency
    df.loc[agam, "kanwil"] = ""                       # a KC without Kanwil
    df.loc[padang, "kanwil"] = "Sumatera Barat Riau"  # no Kanwil of that name
    df.loc[surabaya, "kanwil"] = "Jawa Tengah & DIY"  # Surabaya lies in Jawa Timur
    twice = pd.DataFrame([{"kanwil": "Sumbarriau", "kantor_cabang": "KC Batam Nagoya", "kedudukan": "21.71",
                           "kode_kabupaten": "21.72", "nama_kabupaten": "Kota Tanjung Pinang"}])
    df = pd.concat([df, twice], ignore_index=True)
    f = OL.to_csv(df, base / "daftar_kantor.csv")
    before = snapshots.current_id(base)
    r = P.ingest([f], AS_OF, base=base)
    assert r.outcome == "rejected" and snapshots.current_id(base) == before  # the last good data stays served
    rows = r.problems[r.problems["level"] == "row"]
    got = sorted(zip(rows["row"].astype(int), rows["column"], rows["reason"]))
    tp = _row(df, "21.72")
    assert (df["kantor_cabang"] == "KC Surabaya").sum() == 4
    assert got == sorted([
        (line(bintan), "kode_kabupaten", "unknown_regency"),
        (line(agam), "kanwil", "branch_without_region"),
        (line(padang), "kanwil", "unknown_region"),
        (line(surabaya), "kode_kabupaten", "regency_outside_region"),
        (line(surabaya), "kedudukan", "seat_outside_region"),
        (line(tp), "kode_kabupaten", "regency_served_twice"),
        (line(len(df) - 1), "kode_kabupaten", "regency_served_twice"),
    ] + [(line(i), "kanwil", "branch_two_regions")
         for i in df.index[df["kantor_cabang"] == "KC Surabaya"]])  # its 4 rows: two Kanwil now
    assert set(r.blocking["reason"]) == {"offices_rows_rejected"}
    msgs = dict(zip(r.problems["reason"], r.messages("en")))
    assert msgs["regency_served_twice"].startswith("This regency/city is served twice; also in daftar_kantor.csv baris")
    assert "KC Tanjung Pinang" in msgs["regency_served_twice"] or "KC Batam Nagoya" in msgs["regency_served_twice"]
    assert "Sumbagut, Sumbarriau" in msgs["unknown_region"]
    assert "Jawa Timur" in msgs["regency_outside_region"]
    id_msgs = dict(zip(r.problems["reason"], r.messages("id")))
    assert id_msgs["branch_without_region"] == "Kantor cabang tanpa Kantor Wilayah: isi kolom kanwil."


def test_office_list_must_serve_every_regency(base):
    df = OL.rows()
    df = df[~df["kode_kabupaten"].isin(["21.04", "53.13"])]
    r = P.ingest([OL.to_csv(df, base / "kantor.csv")], AS_OF, base=base)
    assert r.outcome == "rejected" and r.rejected == 0
    (p,) = r.blocking.itertuples()
    assert p.reason == "regencies_unserved" and p.detail == "2: 21.04, 53.13"
    assert len(snapshots.published(base)) == 1


def test_scoped_officer_may_not_load_an_office_list(base):
    f = OL.to_csv(OL.rows(), base / "kantor.csv")
    r = P.ingest([f], AS_OF, base=base, scope=Scope(regions=frozenset({"sumbarriau"})))
    assert r.outcome == "rejected" and set(r.blocking["reason"]) == {"offices_national_only"}


def test_published_office_list_replaces_the_structure(base):
    xlsx = base / "daftar_kantor.xlsx"
    OL.to_xlsx(OL.rows(), xlsx)
    r = P.ingest([xlsx], AS_OF, base=base)
    assert r.outcome == "published" and r.made_current and r.rejected == 0, r.problems
    snap = snapshots.find(r.snapshot_id, base)
    assert set(offices.FILES) <= set(snap.manifest["files"])  # verified like every file of the snapshot
    own = offices.of_snapshot(snap)
    assert own.own and own.assumed == 0 and len(own.cabang) == 166
    assert set(own.cabang["name_basis"]) == {"official"}
    # every village to the branch serving its regency: Batu Berdaun (Lingga) now under KC Dabo Singkep
    v = pd.read_parquet(snap.path / "villages.parquet").set_index("village_code")
    assert v.at[DABO, "branch_code"] == "dabo-singkep" and v.at[DABO, "region_code"] == "sumbarriau"
    assert v.at[EKANG, "branch_code"] == "tanjung-pinang"
    # the data layer answers on the loaded list: rankings and the office names
    national = Scope(all=True)
    ranks = db.run("cabang_peringkat", national, r.snapshot_id, base, year=2018, ukuran="persen_target")
    assert "dabo-singkep" in set(ranks["branch_code"]) and not (ranks["name_basis"] == "assumed").any()
    dabo = db.run("kantor_terpilih", Scope(branches=frozenset({"dabo-singkep"})), r.snapshot_id, base)
    assert list(dabo["branch_name"]) == ["Dabo Singkep"]
    mine = db.run("cabang_peringkat", Scope(branches=frozenset({"dabo-singkep"})), r.snapshot_id, base,
                  year=2018, ukuran="tersertifikasi")
    assert int(mine["certified"].iloc[0]) == 1  # Batu Berdaun, certified in 2017
    # nothing is called assumed any more: the national brief no longer says so
    pages = PdfReader(io.BytesIO(surat.build(("national", ""), db.serve(r.snapshot_id, base), "id").pdf)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "Sumber angka" in text and "Kantor cabang:" not in text and "di antaranya perkiraan" not in text
    # the snapshot before keeps the assumed structure
    old = snapshots.find("2018-07-31", base)
    assert not offices.of_snapshot(old).own and offices.of_snapshot(old).assumed == 108

    # the next branch files are checked against the loaded list and the list is carried on
    status = base / "status_lingga.csv"
    header = (FIX / "status_desa_tanjung-pinang.csv").read_text(encoding="utf-8").splitlines()[0]
    status.write_text(header + "\n" + "tanjung-pinang;21.04.01.2009;;diusulkan;01/09/2018;;;;;;;;;700\n"
                      "dabo-singkep;21.04.01.2010;;diusulkan;01/09/2018;;;;;;;;;800\n", encoding="utf-8")
    r2 = P.ingest([status], AS_OF.replace(month=9), base=base, max_rejected=0.5)
    assert r2.outcome == "published", r2.problems
    bad = r2.problems[r2.problems["level"] == "row"]
    assert list(zip(bad["row"], bad["reason"])) == [(2, "branch_not_serving")]
    snap2 = snapshots.find(r2.snapshot_id, base)
    assert offices.of_snapshot(snap2).key == own.key and set(offices.FILES) <= set(snap2.manifest["files"])


def test_office_list_from_the_command_line(base, capsys, tmp_path):
    """The template, a refused list (its rows in the report, in English) and a published one, by the CLI."""
    from desasadar import __main__ as cli

    assert cli.main(["template", "daftar_kantor", str(tmp_path / "kantor.xlsx")]) == 0
    bad = OL.rows()
    bad.loc[bad["kode_kabupaten"] == "13.06", "kanwil"] = ""
    report = tmp_path / "masalah.csv"
    f = OL.to_csv(bad, tmp_path / "kantor_salah.csv")
    assert cli.main(["ingest", "--as-of", "2018-08-01", "--quiet", "--lang", "en", "--report", str(report), str(f)]) == 1
    out = capsys.readouterr().out
    assert "An office list is used whole or not at all: rejected rows (1) leave the office structure as it is" in out
    problems = pd.read_csv(report, sep=";", encoding="utf-8-sig", dtype=str)
    row = problems[problems["Reason code"] == "branch_without_region"]
    assert list(row["Row"]) == [str(int(bad.index[bad["kode_kabupaten"] == "13.06"][0]) + 2)]
    assert snapshots.current_id(base) == "2018-07-31"
    good = OL.to_csv(OL.rows(), tmp_path / "kantor.csv")
    assert cli.main(["ingest", "--as-of", "2018-08-01", "--quiet", str(good)]) == 0
    assert offices.of_snapshot(snapshots.find(snapshots.current_id(base), base)).own
