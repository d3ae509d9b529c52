"""The served database: written at publish, opened read-only, able to read only what it serves.

Every bypass reported in issue #15 (item 4) is tried for real, on the served connection or through
a query file the data layer is asked to run."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from datetime import date

import pytest

from desasadar import db, paths, served, snapshots, warm
from desasadar.scope import Scope

from .helpers import rows
from .test_snapshots import earlier_villages, good_enrollments, good_villages, publish

NATIONAL = Scope.national()


@pytest.fixture(scope="module")
def _published_pair(tmp_path_factory):
    base = tmp_path_factory.mktemp("served")
    publish(base, date(2018, 7, 31), earlier_villages(), good_enrollments())
    publish(base, date(2018, 8, 1), good_villages(), good_enrollments())
    return base


@pytest.fixture
def two_snapshots(_published_pair, data_dir):
    """Two published snapshots in this test's own data folder (a copy: tests may damage it)."""
    shutil.copytree(_published_pair, data_dir, dirs_exist_ok=True)
    return data_dir


def _db(base, sid=None):
    return db._database(db.serve(sid, base), base)


def test_publish_writes_served_database_listed_with_its_checksum(two_snapshots):
    snap = db.serve(None, two_snapshots).snapshot
    entry = snap.manifest["files"][served.FILE]
    assert entry["sha256"] == snapshots.sha256(snap.path / served.FILE)
    assert not (snap.path / (served.FILE + ".wal")).exists()
    database = _db(two_snapshots)
    assert database.source == "file"
    # the history and previous snapshot came with it
    hist = db.run("kpi_perubahan", NATIONAL, None, base=two_snapshots)
    assert hist["prev_id"].iloc[0] == "2018-07-31"


def _strip_served(snap: snapshots.Snapshot) -> None:
    """Make `snap` look like one published before served.duckdb existed."""
    (snap.path / served.FILE).unlink()
    m = json.loads((snap.path / snapshots.MANIFEST).read_text())
    del m["files"][served.FILE]
    (snap.path / snapshots.MANIFEST).write_text(json.dumps(m))


QUERIES = [("kantor_terpilih", {}), ("kpi_perubahan", {}), ("tren_sertifikasi", {}), ("pipeline_status", {}),
           ("target_capaian", {"year": 2018}), ("desa_peringkat", {"ukuran": "peserta"})]


def _answers(base):
    return {name: rows(db.run(name, NATIONAL, None, base=base, **p)) for name, p in QUERIES}


def test_snapshot_without_served_database_is_served_from_memory_with_the_same_answers(two_snapshots):
    from_file = _answers(two_snapshots)
    db.clear_caches()
    _strip_served(db.serve(None, two_snapshots).snapshot)
    db.clear_caches()
    assert _db(two_snapshots).source == "not in manifest"
    assert _answers(two_snapshots) == from_file


def test_damaged_served_database_is_never_attached(two_snapshots):
    _answers(two_snapshots)  # opened and cached once while whole
    db.clear_caches()
    damaged = db.serve(None, two_snapshots).snapshot
    path = damaged.path / served.FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    db.clear_caches()
    # served.duckdb is in the manifest, so serving verifies it like every other file (#14): the
    # damaged snapshot is not served at all, the good one before it is, with a note naming the file.
    res = db.serve(None, two_snapshots)
    assert res.snapshot.id != damaged.id
    assert any(served.FILE in n for n in res.notes)
    assert _db(two_snapshots).source == "file"  # the good snapshot's own served file


def test_a_backfilled_earlier_snapshot_is_in_the_history(two_snapshots):
    publish(two_snapshots, date(2018, 7, 15), earlier_villages(), good_enrollments(), make_current=False)
    db.clear_caches()
    database = _db(two_snapshots)
    assert database.source == "history or reference changed"  # built in memory with the new history
    assert list(db.run("tren_sertifikasi", NATIONAL, None, base=two_snapshots)["snapshot_id"]) == [
        "2018-07-15", "2018-07-31", "2018-08-01"]


# --- the served connection can read only what it serves -------------------------------------------

@pytest.mark.parametrize("memory", [False, True], ids=["served-file", "in-memory"])
def test_served_connection_has_no_file_access(two_snapshots, memory):
    snap = db.serve(None, two_snapshots).snapshot
    if memory:
        _strip_served(snap)
        db.clear_caches()
    database = _db(two_snapshots)
    assert database.source == ("not in manifest" if memory else "file")
    cur = database.con.cursor()
    target = two_snapshots / "snapshots" / "x.csv"
    raw = snap.path / "enrollments.parquet"
    attempts = [
        f"copy (select * from desa) to '{target}'",
        f"copy (select 1) to '{snap.path / served.FILE}.wal'",
        f"copy (select 1) to '{snap.path / served.FILE}'",
        f"select * from read_parquet('{raw}')",
        f"select * from '{raw}'",
        f"select * from read_blob('{snap.path / served.FILE}')",
        f"select * from read_text('{snap.path / snapshots.MANIFEST}')",
        f"select * from glob('{two_snapshots}/*')",
        f"attach '{two_snapshots / 'y.duckdb'}' as y",
        "set enable_external_access = true",
        "set disabled_filesystems = ''",
        "set lock_configuration = false",
        "install httpfs",
        "load spatial",
    ]
    for sql in attempts:
        with pytest.raises(duckdb_errors()):
            cur.execute(sql).fetchall()
    assert not target.exists()
    assert not (snap.path / (served.FILE + ".wal")).exists()
    if not memory:
        assert snapshots.sha256(snap.path / served.FILE) == snap.manifest["files"][served.FILE]["sha256"]
    # and it still answers
    assert len(db.run("kantor_terpilih", NATIONAL, None, base=two_snapshots)) > 0


def duckdb_errors():
    import duckdb

    return duckdb.Error


def test_served_file_cannot_be_written_through_the_attachment(two_snapshots):
    cur = _db(two_snapshots).con.cursor()
    for sql in ["insert into _all.desa select * from _all.desa", "drop table _all.desa",
                "create table _all.x as select 1"]:
        with pytest.raises(duckdb_errors()):
            cur.execute(sql).fetchall()


BYPASSES = {
    "quoted_schema": 'select * from "_all".desa',
    "catalog": "select * from _all.main.desa",
    "memory_catalog": "select * from memory.main.desa",
    "query_table": "select * from query_table('_a' || 'll.desa')",
    "query": "select * from query('select * from _a' || 'll.desa')",
    "raw_parquet": "select * from read_parquet('{data}/snapshots/2018-08-01/enrollments.parquet')",
    "raw_path": "select * from '{data}/snapshots/2018-08-01/enrollments.parquet'",
    "copy_to": "copy (select * from desa) to '{data}/snapshots/x.csv'",
    "two_statements": "select 1; copy (select * from desa) to '{data}/snapshots/x.csv'",
    "subquery": "select (select count(*) from _all.desa) as n",
    "cte_over_raw": "with d as (select * from _all.desa) select * from d",
    "unscoped_table": "select * from ref_desa",
    "pragma": "pragma database_list",
}


@pytest.mark.parametrize("case", sorted(BYPASSES))
def test_query_files_naming_anything_but_the_scoped_views_are_refused(two_snapshots, tmp_path, monkeypatch, case):
    qdir = tmp_path / "queries"
    qdir.mkdir()
    (qdir / "serang.sql").write_text("-- an attacker's query file\n" + BYPASSES[case].format(data=two_snapshots))
    monkeypatch.setattr(paths, "QUERIES_DIR", qdir)
    with pytest.raises(db.QueryError):
        db.run("serang", NATIONAL, None, base=two_snapshots)
    assert not (two_snapshots / "snapshots" / "x.csv").exists()


def test_every_shipped_query_file_passes_the_parser_check():
    for path in sorted(paths.QUERIES_DIR.glob("*.sql")):
        db.check_query(path.read_text())


# --- warm at start and after a publish by another process -------------------------------------------

def test_watcher_warms_a_snapshot_published_by_another_process(two_snapshots):
    warm.ensure_watcher(two_snapshots)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not _is_warm(two_snapshots, "2018-08-01"):
        time.sleep(0.2)
    assert _is_warm(two_snapshots, "2018-08-01")
    code = (
        "import sys; sys.path.insert(0, 'tests'); sys.path.insert(0, '.')\n"
        "from datetime import date\n"
        "from tests.test_snapshots import good_villages, good_enrollments, publish\n"
        f"publish(__import__('pathlib').Path({str(two_snapshots)!r}), date(2018, 8, 2), good_villages(), good_enrollments())\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=paths.ROOT, check=True, timeout=120)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 10 and not _is_warm(two_snapshots, "2018-08-02"):
        time.sleep(0.2)
    assert _is_warm(two_snapshots, "2018-08-02"), "a publish by another process was not warmed within 10 s"


def _is_warm(base, sid) -> bool:
    with db._lock:
        has_db = any(k[0] == str(base) and k[1] == sid for k in db._dbs)
        has_answer = any(k[0] == str(base) and k[1] == sid and k[4] == "target_capaian" for k in db._results)
    return has_db and has_answer


# --- an open session keeps its snapshot; a filter change or a new session shows the new CURRENT ------

def _stamp(at) -> str:
    return next(c.value for c in at.caption if "snapshot" in c.value)


def test_open_session_keeps_its_snapshot_until_a_filter_changes(two_snapshots):
    from .conftest import app

    at = app("dashboard.py")
    at.run(timeout=600)
    assert not at.exception, at.exception
    assert "2018-08-01" in _stamp(at)
    # another process publishes a newer snapshot: CURRENT moves
    code = (
        "import sys; sys.path.insert(0, '.')\n"
        "from datetime import date\n"
        "from tests.test_snapshots import good_villages, good_enrollments, publish\n"
        f"publish(__import__('pathlib').Path({str(two_snapshots)!r}), date(2018, 8, 2), good_villages(), good_enrollments())\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=paths.ROOT, check=True, timeout=300)
    time.sleep(3.5)  # past the data layer's CURRENT re-read interval
    at.run(timeout=600)
    assert "2018-08-01" in _stamp(at)  # the open page does not change under the viewer's hands
    {s.label: s for s in at.selectbox}["Kantor Wilayah"].set_value("sumbarriau")
    at.run(timeout=600)
    assert "2018-08-02" in _stamp(at)  # a filter change shows the new CURRENT
    fresh = app("dashboard.py")
    fresh.run(timeout=600)
    assert "2018-08-02" in _stamp(fresh)  # and so does a new session (a reload)


@pytest.mark.parametrize("table", ["desa", "desa_prev", "rincian", "riwayat"])
def test_a_village_lookup_reads_one_row_group_of_many(demo_dir, table):
    """The village-keyed tables are stored in village-code order in small row groups (served.ROW_GROUP_ROWS),
    so one village's rows are found by the zone maps without reading the whole table."""
    import re

    import duckdb

    snap = db.serve(None, demo_dir).snapshot
    con = duckdb.connect()
    con.execute(f"attach {served.quote(snap.path / served.FILE)} as s (read_only)")
    code = con.execute(f"select village_code from s.{table} where village_code like '21.01.%' limit 1").fetchone()[0]
    plan = con.execute(f"explain analyze select count(*) from s.{table} where village_code = $c", {"c": code}).fetchall()
    scanned, total = map(int, re.search(r"Row Groups Scanned: (\d+) / (\d+)", plan[0][1]).groups())
    assert total > 10 and scanned == 1, (scanned, total)
    codes = [r[0] for r in con.execute(f"select village_code from s.{table}").fetchall()]
    assert codes == sorted(codes)
