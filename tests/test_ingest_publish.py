"""Publishing ingested files: carry-forward, quarantine, sources, idempotency, the rejected-share
limit, crashes at every step of publish, readers during a publish, and the faults a data officer
will meet (truncated XLSX, empty file, wrong encoding, formulas, too large, 100,000 rows)."""
from __future__ import annotations

import csv
import io
import json
import shutil
import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook, load_workbook

from desasadar import __main__ as cli
from desasadar import db, snapshots, table_files
from desasadar.ingest import publish as P
from desasadar.ingest import cli as ingest_cli
from desasadar.scope import Scope

from .ingest_world import AS_OF, DABO, EKANG, FIX, publish_base

GOOD = [FIX / "status_desa_tanjung-pinang.csv", FIX / "kepesertaan_tanjung-pinang.csv"]


@pytest.fixture
def base(data_dir):
    publish_base(data_dir)
    return data_dir


def facts(snap, sql="select village_code, status from read_parquet($p) where status <> 'none' order by 1"):
    return duckdb.connect().execute(sql, {"p": str(snap.path / "facts_desa.parquet")}).fetchall()


def raw(snap, name="enrollments.parquet", col="participant_id"):
    return [r[0] for r in duckdb.connect().execute(f"select {col} from read_parquet($p) order by 1",
                                                   {"p": str(snap.path / name)}).fetchall()]


def no_tmp(base):
    return not [p for p in (base / "snapshots").iterdir() if p.name.startswith(".")]


def state(base):
    return snapshots.current_id(base), [s.id for s in snapshots.published(base)], db.serve(None, base).id


# --- the normal path ----------------------------------------------------------------------------------


def test_publish_carries_forward_and_records_sources(base):
    r = P.ingest(GOOD, AS_OF, base=base)
    assert r.outcome == "published" and r.snapshot_id == "2018-08-01" and r.made_current
    snap = next(s for s in snapshots.published(base) if s.id == "2018-08-01")
    assert snapshots.current_id(base) == "2018-08-01" and not snapshots.integrity_problems(snap)
    assert facts(snap) == [("21.01.04.2001", "proposed"), ("21.01.04.2002", "verified"),
                           ("21.01.10.2002", "certified"), ("21.04.01.2008", "certified")]  # Batu Berdaun carried forward
    assert raw(snap) == ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]  # P2, P3 carried; P1, P4 updated
    m = snap.manifest
    assert m["ingest"]["base"] == "2018-07-31" and m["ingest"]["rejected"] == 0
    assert m["ingest"]["tables"]["status_desa"]["carried"] == 1  # Batu Berdaun
    assert m["ingest"]["tables"]["kepesertaan"] == {"rows": 5, "accepted": 5, "rejected": 0, "share": 0.0,
                                                    "result_rows": 7, "carried": 2}
    for src, path in zip(m["sources"], GOOD):
        stored = snap.path / src["stored"]
        assert stored.read_bytes() == path.read_bytes() and src["sha256"] == snapshots.sha256(stored)
    # a status-only report the next month keeps every participant
    r2 = P.ingest([FIX / "status_desa_tanjung-pinang.csv"], date(2018, 8, 31), base=base)
    assert r2.outcome == "unchanged" or r2.snapshot_id == "2018-08-31"


def test_rejected_rows_within_the_limit_go_to_quarantine(base):
    r = P.ingest([*GOOD, FIX / "kepesertaan_bad.csv"], AS_OF, base=base, max_rejected=0.9)
    assert r.outcome == "published"
    snap = next(s for s in snapshots.published(base) if s.id == r.snapshot_id)
    q = snap.path / "quarantine" / "ditolak_kepesertaan.csv"
    rows = list(csv.DictReader(io.StringIO(q.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 13 and rows[0]["berkas"] == "kepesertaan_bad.csv" and rows[0]["baris"] == "2"
    assert rows[0]["kode_alasan"] == "not_eligible" and "JAKON" in rows[0]["alasan"] and rows[0]["id_peserta"] == "Q1"
    # nothing lost: every row read is either in the snapshot or in the quarantine
    for f in r.files:
        assert f.accepted + f.rejected == f.rows
    assert "Q13" not in raw(snap) and "Q11" in raw(snap)  # the identical duplicate's first copy is published
    meta = snap.manifest["ingest"]["quarantine"]
    assert meta["quarantine/ditolak_kepesertaan.csv"]["sha256"] == snapshots.sha256(q)
    assert P.quarantine_file(snap.id, "quarantine/ditolak_kepesertaan.csv", base) == q.read_bytes()
    assert P.quarantine_file(snap.id, "../manifest.json", base) is None


def test_same_files_twice_give_the_same_snapshot_other_data_a_new_id(base):
    a = P.ingest(GOOD, AS_OF, base=base)
    b = P.ingest(GOOD, AS_OF, base=base)
    assert (a.outcome, b.outcome) == ("published", "unchanged") and a.snapshot_id == b.snapshot_id == "2018-08-01"
    assert [s.id for s in snapshots.published(base)] == ["2018-07-31", "2018-08-01"]
    # roll back, then publish corrected files for the same day: a second snapshot of that date
    P.rollback("2018-07-31", base)
    c = P.ingest([FIX / "status_desa_tanjung-pinang.csv"], AS_OF, base=base)
    assert c.outcome == "published" and c.snapshot_id == "2018-08-01-2" and snapshots.current_id(base) == "2018-08-01-2"
    d = P.ingest([FIX / "status_desa_tanjung-pinang.csv"], AS_OF, base=base)
    assert d.outcome == "unchanged" and d.snapshot_id == "2018-08-01-2"


def test_too_many_rejected_rows_publish_nothing(base):
    before = state(base)
    r = P.ingest([*GOOD, FIX / "kepesertaan_bad.csv"], AS_OF, base=base)  # 13 of 19 enrollment rows rejected
    assert r.outcome == "rejected" and list(r.blocking["reason"]) == ["too_many_rejected"]
    assert "13/19" in r.blocking["detail"].iloc[0]
    assert state(base) == before and no_tmp(base)
    assert any("DITOLAK" in line for line in r.lines("id"))


@pytest.mark.parametrize("make, reason", [
    (lambda d: d / "kosong.csv", "file_empty"),
    (lambda d: d / "bukan_laporan.csv", "header_not_found"),
    (lambda d: d / "kepesertaan_kolom_salah.csv", "unknown_columns"),
])
def test_a_file_level_problem_stops_the_whole_batch(base, make, reason):
    before = state(base)
    r = P.ingest([*GOOD, make(FIX)], AS_OF, base=base)
    assert r.outcome == "rejected" and reason in set(r.blocking["reason"])
    assert state(base) == before and no_tmp(base)


# --- faults -------------------------------------------------------------------------------------------


def _xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Laporan status desa KC Tanjung Pinang"])
    head = ["kode_cabang", "kode_desa", "status_program", "tanggal_diusulkan", "tanggal_diverifikasi",
            "tanggal_sertifikasi", "tanggal_dicabut", "kepala_desa_terdaftar", "jumlah_perangkat_desa",
            "perangkat_desa_terdaftar", "agen_ditunjuk", "perdes_jaminan_sosial", "estimasi_angkatan_kerja"]
    ws.append(head)
    for k in range(300):  # enough rows that the file is bigger than one zip block
        ws.append(["tanjung-pinang", EKANG, "tersertifikasi", "14/05/2018", "20/06/2018", f"{k}", None, "ya", 2, 2,
                   "ya", "ya", 1450])
    wb.save(path)


@pytest.mark.parametrize("fault", ["truncated_xlsx", "empty", "utf16", "undecodable", "too_large"])
def test_faulty_files_give_a_clear_report_and_change_nothing(base, tmp_path, fault):
    p = tmp_path / {"truncated_xlsx": "status.xlsx"}.get(fault, "laporan.csv")
    limit = None
    if fault == "truncated_xlsx":
        _xlsx(tmp_path / "full.xlsx")
        data = (tmp_path / "full.xlsx").read_bytes()
        p.write_bytes(data[: len(data) * 2 // 3])
    elif fault == "empty":
        p.write_bytes(b"")
    elif fault == "utf16":
        p.write_bytes((FIX / "status_desa_tanjung-pinang.csv").read_text().encode("utf-16-le"))
    elif fault == "undecodable":
        p.write_bytes((FIX / "status_desa_tanjung-pinang.csv").read_bytes().replace(b"Malang Rapat", b"Kaw\x81\x8dl"))
    elif fault == "too_large":  # the upload limit, simulated small
        shutil.copy(FIX / "kepesertaan_tanjung-pinang.csv", p)
        limit = 200
    before = state(base)
    r = P.ingest([p], AS_OF, base=base, max_bytes=limit)
    reason = {"truncated_xlsx": "file_unreadable", "empty": "file_empty", "utf16": "encoding_unsupported",
              "undecodable": "encoding_unsupported", "too_large": "file_too_large"}[fault]
    assert r.outcome == "rejected" and list(r.blocking["reason"]) == [reason]
    assert r.blocking["file"].iloc[0] == p.name
    text = r.csv("en").decode("utf-8-sig")
    assert p.name in text and len(text.splitlines()) == 2
    assert state(base) == before and no_tmp(base)


@pytest.mark.parametrize("step", ["write_raw", "validate", "derive", "manifest", "rename", "swap"])
def test_crash_at_each_step_of_publish_changes_nothing(base, monkeypatch, step):
    before = state(base)

    def boom(name):
        if name == step:
            raise RuntimeError(f"injected at {name}")

    monkeypatch.setattr(snapshots, "_step", boom)
    r = P.ingest(GOOD, AS_OF, base=base)
    assert r.outcome == "failed" and r.snapshot_id is None
    assert list(r.blocking["reason"]) == ["publish_failed"] and step in r.blocking["detail"].iloc[0]
    assert state(base) == before and no_tmp(base)
    assert not (base / "snapshots" / "2018-08-01").exists()
    monkeypatch.undo()
    assert P.ingest(GOOD, AS_OF, base=base).outcome == "published"  # and the next try works


@pytest.mark.slow
def test_readers_see_the_old_or_the_new_snapshot_never_a_mix(base, monkeypatch):
    """While a publish runs (slowed down at each step), readers keep resolving and querying."""
    expected = {"2018-07-31": [("21.01.04.2002", "proposed"), ("21.01.10.2002", "verified"), ("21.04.01.2008", "certified")],
                "2018-08-01": [("21.01.04.2001", "proposed"), ("21.01.04.2002", "verified"),
                               ("21.01.10.2002", "certified"), ("21.04.01.2008", "certified")]}
    real_step = snapshots._step

    def slow(name):
        real_step(name)
        time.sleep(0.15)

    monkeypatch.setattr(snapshots, "_step", slow)
    seen, errors, stop = [], [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                served = db.serve(None, base)
                got = facts(served.snapshot)
                names = db.run("kantor_terpilih", Scope.national(), served, base=base)
                seen.append((served.id, got == expected.get(served.id), len(names)))
            except Exception as e:  # noqa: BLE001 - any error is a failure of the test
                errors.append(repr(e))

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        r = P.ingest(GOOD, AS_OF, base=base)
        time.sleep(0.3)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert r.outcome == "published" and not errors
    ids = [s[0] for s in seen]
    assert set(ids) == {"2018-07-31", "2018-08-01"} and all(ok for _, ok, _ in seen)
    assert ids.index("2018-08-01") > 0 and "2018-07-31" not in ids[len(ids) - ids[::-1].index("2018-08-01"):]


def test_formulas_are_kept_as_text_and_neutralised_in_downloads(base):
    r = P.ingest([FIX / "kepesertaan_formula.csv"], AS_OF, base=base, max_rejected=1.0)
    assert r.outcome == "published"
    snap = next(s for s in snapshots.published(base) if s.id == r.snapshot_id)
    assert "F1" in raw(snap)  # the formula sat in nama_desa, which is not stored: the row is fine
    p = r.problems
    bad = p[p["level"] == "row"]
    assert list(bad["value"]) == ['=HYPERLINK("http://contoh.invalid/","klik")', "@SUM(1+1)"]
    text = r.csv("id").decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and "'@SUM(1+1)" in text and ";=HYPERLINK" not in text.replace('"', "")
    q = (snap.path / "quarantine" / "ditolak_kepesertaan.csv").read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK(" in q and "'@SUM(1+1)" in q
    wb = load_workbook(io.BytesIO(table_files.to_xlsx(r.frame("id"), styled=False)))
    cells = [c for row in wb.active.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)
    # the original file is kept byte for byte
    src = next(s for s in snap.manifest["sources"])
    assert (snap.path / src["stored"]).read_bytes() == (FIX / "kepesertaan_formula.csv").read_bytes()
    neutral = table_files.neutralise_cell
    assert neutral("-3") == "'-3" and neutral("=1+1") == "'=1+1" and neutral("kebun") == "kebun"


def _big_csv(path: Path, n: int, bad_every: int) -> int:
    """n enrollment rows for the base villages; every bad_every-th row has one mistake (rotating)."""
    mistakes = [
        lambda r: r.__setitem__(3, "XYZ"),  # segment
        lambda r: r.__setitem__(8, "ya"),  # JP for BPU
        lambda r: r.__setitem__(9, "31/02/2018"),  # no such day
        lambda r: r.__setitem__(1, "99.99.99.9999"),  # not in the register
        lambda r: r.__setitem__(0, "agam"),  # not that branch's village
    ]
    bad = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["kode_cabang", "kode_desa", "id_peserta", "segmen", "pekerjaan", "jkk", "jkm", "jht", "jp",
                    "tanggal_daftar", "iuran_sampai", "aktif"])
        for k in range(n):
            row = ["tanjung-pinang", (EKANG, DABO)[k % 2], f"B{k:07d}", "BPU", "petani", "ya", "ya", "tidak", "tidak",
                   f"{1 + k % 28:02d}/07/2018", "07/2018", "aktif"]
            if k % bad_every == bad_every - 1:
                mistakes[(k // bad_every) % len(mistakes)](row)
                bad += 1
            w.writerow(row)
    return bad


@pytest.mark.slow
def test_100000_rows_with_10_percent_bad(base, tmp_path):
    p = tmp_path / "kepesertaan_besar.csv"
    bad = _big_csv(p, 100_000, 10)
    assert bad == 10_000
    before = state(base)
    r = P.ingest([p], AS_OF, base=base)  # default limit 5%: refused, with every bad row reported
    assert r.outcome == "rejected" and r.rejected == 10_000 and r.accepted == 90_000
    assert state(base) == before and no_tmp(base)
    counts = r.counts_by_reason()
    assert counts == {"bad_segment": 2000, "not_eligible": 2000, "not_a_date": 2000, "unknown_village": 2000,
                      "branch_not_serving": 2000, "too_many_rejected": 1}
    r = P.ingest([p], AS_OF, base=base, max_rejected=0.15)
    assert r.outcome == "published"
    snap = next(s for s in snapshots.published(base) if s.id == r.snapshot_id)
    assert snap.manifest["files"]["enrollments.parquet"]["rows"] == 4 + 90_000
    assert snap.manifest["ingest"]["quarantine"]["quarantine/ditolak_kepesertaan.csv"]["rows"] == 10_000


# --- command line -------------------------------------------------------------------------------------


def test_command_line_exit_codes_list_and_rollback(base, capsys, tmp_path):
    assert cli.main(["ingest", "--as-of", "2018-08-01", "--quiet", *map(str, GOOD)]) == 0
    out = capsys.readouterr().out
    assert "2018-08-01" in out and "diterbitkan" in out
    report = tmp_path / "masalah.csv"
    assert cli.main(["ingest", "--as-of", "2018-08-31", "--quiet", "--report", str(report), "--lang", "en",
                     str(FIX / "status_desa_bad.csv")]) == 1
    out = capsys.readouterr().out
    assert "REJECTED" in out and "Too many rows rejected" in out
    assert "illegal_transition" in report.read_bytes().decode("utf-8-sig")
    assert cli.main(["ingest", "--as-of", "2018-08-31", "--check-only", "--quiet", str(GOOD[0])]) == 0
    assert cli.main(["ingest", "--as-of", "31/08/2018", str(GOOD[0])]) == 2
    assert cli.main(["ingest", "--as-of", "2018-08-31", "--max-rejected", "5", str(GOOD[0])]) == 2
    assert cli.main(["ingest", "--as-of", "2018-08-31", str(tmp_path / "tidak-ada.csv")]) == 2
    assert cli.main(["ingest"]) == 2
    capsys.readouterr()
    assert cli.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("* 2018-08-01") and "ingest" in lines[0] and "rejected=0/8" in lines[0]
    assert cli.main(["rollback", "2018-07-31"]) == 0 and snapshots.current_id(base) == "2018-07-31"
    assert cli.main(["rollback", "2099-01-01"]) == 1
    out_dir = tmp_path / "ekspor"
    assert cli.main(["branch-files", "2018-08-01", str(out_dir)]) == 0
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "laporan_kepesertaan_tanjung-pinang.csv", "laporan_status_desa_tanjung-pinang.csv"]
    assert cli.main(["template", "kepesertaan", str(tmp_path / "t.xlsx")]) == 0
    assert cli.main(["template", "kepesertaan", str(tmp_path / "t.pdf")]) == 2
    json.loads((base / "snapshots" / "2018-08-01" / "manifest.json").read_text())


def test_progress_bars_for_long_files(capsys):
    bars = ingest_cli._Bars(quiet=False)
    bars("kecil.csv", "read", 0, 100)  # short files: no bar
    assert bars.bar is None
    bars("besar.csv", "read", 0, 200_000)
    bars("besar.csv", "read", 200_000, 200_000)
    assert bars.bar.n == 200_000
    bars("", "check", 1, 1)
    bars.close()
    err = capsys.readouterr().err
    assert "besar.csv" in err and "200000/200000" in err.replace(",", "")


def test_default_as_of_is_the_next_month_end(base):
    from desasadar.ingest import uploads

    assert uploads.default_as_of(base) == date(2018, 8, 31)
    P.ingest(GOOD, AS_OF, base=base)  # CURRENT 2018-08-01: the month end of that month
    assert uploads.default_as_of(base) == date(2018, 8, 31)
