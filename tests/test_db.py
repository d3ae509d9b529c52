"""The data layer: one run() with bound parameters, the viewer's scope applied inside, locked down."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import duckdb
import pandas as pd
import pytest

from desasadar import db
from desasadar.scope import Scope, ScopeError
from desasadar import reference

INJECTIONS = ["' OR 1=1 --", "21.01'; DROP TABLE desa; --", "../../etc/passwd", "21.01) or (1=1", "%", "*"]
TP = Scope.of(branches=["tanjung-pinang"])
KALIMANTAN = Scope.of(regions=["kalimantan"])


def test_seed_figures_for_bintan(demo_env):
    # aparatur desa = kepala + perangkat desa (376); the seed's 1,450 is the Bupati's wider count with the
    # RT/RW heads and village staff, labelled apart (README: how the numbers are defined)
    ekang = db.run("peresmian_desa", Scope.national(), "2018-08-01", village_code="21.01.10.2002").iloc[0]
    assert (ekang.regency_code, ekang.regency_name) == ("21.01", "Kabupaten Bintan")
    assert (ekang.regency_aparatur_active, ekang.regency_rtrw_staf_active) == (376, 1074)
    assert ekang.regency_aparatur_active + ekang.regency_rtrw_staf_active == 1450


def test_scope_is_applied_inside_the_data_layer(demo_env):
    mine = db.run("kantor_terpilih", TP, "2018-08-01")
    assert list(mine.branch_code) == ["tanjung-pinang"]
    regencies = db.run("peta_kabupaten", TP, "2018-08-01")
    assert list(regencies.regency_code) == ["21.01", "21.04", "21.72"]
    # a village of a Kalimantan regency (64.71) asked for by a Tanjung Pinang viewer: nothing
    assert db.run("desa_profil", TP, "2018-08-01", village_code="64.71.01.1001").empty
    assert not db.run("desa_profil", KALIMANTAN, "2018-08-01", village_code="64.71.01.1001").empty
    kal = db.run("peta_kabupaten", KALIMANTAN, "2018-08-01")
    assert kal.regency_code.str[:1].eq("6").all() and len(kal) == 56
    assert db.run("kantor_terpilih", Scope(), "2018-08-01").empty  # no role: nothing


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_attempts_are_inert(demo_env, value):
    assert db.run("desa_profil", Scope.national(), "2018-08-01", village_code=value).empty
    # the table is still there
    assert len(db.run("peta_kabupaten", Scope.national(), "2018-08-01")) == 514


@pytest.mark.parametrize("name", ["../queries/derive/facts_desa", "kantor_terpilih; drop", "/etc/passwd", "Kantor"])
def test_query_names_come_from_the_queries_folder(demo_env, name):
    with pytest.raises(db.QueryError):
        db.run(name, Scope.national(), "2018-08-01")


def test_parameters_must_match_the_file(demo_env):
    with pytest.raises(db.QueryError):
        db.run("desa_profil", Scope.national(), "2018-08-01")
    with pytest.raises(db.QueryError):
        db.run("desa_profil", Scope.national(), "2018-08-01", village_code=None, extra=1)
    with pytest.raises(db.QueryError):
        db.run("kantor_terpilih", None, "2018-08-01")


@pytest.mark.parametrize("snapshot", ["../../etc", "2018-08-01' or '1'='1", "1999-01-01"])
def test_unknown_snapshot_ids_fall_back_with_a_note(demo_env, snapshot):
    served = db.serve(snapshot)
    assert served.id == "2018-12-31" and served.notes


def test_query_files_are_single_selects_over_scoped_views(tmp_path):
    for path in sorted(db.paths.QUERIES_DIR.glob("*.sql")):
        db._read_query(str(path), 0)  # raises for a file that is not one select over the views
        text = path.read_text()
        assert text.lstrip().startswith("--"), f"{path.name} needs a header comment"


def test_database_is_locked_down(demo_env):
    served = db.serve("2018-08-01")
    database = db._database(served, demo_env)
    cur = database.con.cursor()
    for sql in ["select * from read_csv('/etc/passwd')", "install spatial", "load httpfs",
                "set enable_external_access = true", "attach '/tmp/x.db'"]:
        with pytest.raises(duckdb.Error):
            cur.execute(sql).fetchall()


def test_a_kept_cursor_serves_only_its_own_scope(demo_env):
    """Cursors keep a scope's variables between queries (db._Database._checkout): scopes interleaved, from
    several threads at once, and after a failed query, each query still sees exactly its own scope's rows."""
    served = db.serve("2018-08-01")
    database = db._database(served, demo_env)
    facts = pd.read_parquet(served.snapshot.path / "facts_desa.parquet", columns=["region_code", "branch_code"])
    both = Scope.of(regions=["kalimantan"], branches=["tanjung-pinang"])
    expected = {Scope.national(): len(facts), TP: int((facts.branch_code == "tanjung-pinang").sum()),
                KALIMANTAN: int((facts.region_code == "kalimantan").sum()), Scope(): 0}
    expected[both] = expected[TP] + expected[KALIMANTAN]
    assert len(set(expected.values())) == len(expected)  # five different answers
    count = "select count(*) as n from desa"

    def check(order):
        for scope in order:
            assert int(database.query(count, scope, {}).n.iloc[0]) == expected[scope], scope

    scopes = list(expected)
    check(scopes + scopes[::-1] + scopes)
    with pytest.raises(duckdb.Error):
        database.query("select * from no_such_view", TP, {})
    check([TP, Scope.national(), TP])
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(check, [scopes[k:] + scopes[:k] for k in range(len(scopes))] * 4))
    assert all(len(idle) <= database._IDLE_PER_SCOPE for idle in database._idle.values())


def test_results_are_cached_per_scope(demo_env):
    a = db.run("kantor_terpilih", TP, "2018-08-01")
    b = db.run("kantor_terpilih", Scope.national(), "2018-08-01")
    assert len(a) == 1 and len(b) == len(reference.table("cabang.csv"))  # 165 branches
    assert db.run("kantor_terpilih", TP, "2018-08-01") is a


def test_narrowing_a_scope():
    region_of = reference.region_of()
    deputy = Scope.of(regions=["sumbarriau"])
    assert deputy.narrow(region_of, cabang="tanjung-pinang") == TP
    assert deputy.narrow(region_of, wilayah="sumbarriau") == deputy
    with pytest.raises(ScopeError):
        deputy.narrow(region_of, wilayah="kalimantan")
    with pytest.raises(ScopeError):
        deputy.narrow(region_of, cabang="balikpapan")
    with pytest.raises(ScopeError):
        TP.narrow(region_of, cabang="batam-nagoya")
    assert TP.narrow(region_of, wilayah="sumbarriau") == TP
    with pytest.raises(ScopeError):
        Scope.national().narrow(region_of, cabang="x-unknown")


def test_queries_from_several_threads_print_no_warning(demo_dir):
    """A server's sessions and its warm-up thread query at once: DuckDB's Arrow note must not reach the
    server log. Run outside pytest (which resets warning filters per test), with warnings as errors."""
    import subprocess
    import sys

    code = (
        "import sys, threading\n"
        "from pathlib import Path\n"
        "from desasadar import db\n"
        "from desasadar.scope import Scope\n"
        "base = Path(sys.argv[1]); errors = []\n"
        "def work(i):\n"
        "    try:\n"
        "        for k in range(30):\n"
        "            db._results.clear()\n"
        "            db.run('kantor_terpilih', Scope.of(regions=['sumbarriau']) if i else Scope.national(), base=base)\n"
        "    except Exception as e:\n"
        "        errors.append(repr(e))\n"
        "ts = [threading.Thread(target=work, args=(i,)) for i in range(2)]\n"
        "[t.start() for t in ts]; [t.join() for t in ts]\n"
        "print(errors); sys.exit(1 if errors else 0)\n"
    )
    done = subprocess.run([sys.executable, "-W", "error::UserWarning", "-c", code, str(demo_dir)],
                          cwd=db.paths.ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_a_busy_database_pushed_out_of_the_cache_does_not_fail_the_visitor(demo_env):
    """Only a few snapshots' databases are kept open (db._MAX_DATABASES). Opening one more closes the least
    recently used; when another thread is inside that one (a session's query, the warm-up), DuckDB refuses
    to close it. The visitor who opened the new snapshot gets their answer, and the busy query finishes."""
    import threading

    db.clear_caches()
    ids = [s.id for s in db.serve(None, demo_env).available][-(db._MAX_DATABASES + 1):]
    oldest = db._database(db.serve(ids[0], demo_env), demo_env)
    for sid in ids[1:-1]:
        db.run("kpi_perubahan", Scope.national(), sid, base=demo_env)
    busy: list = []
    inside, release = threading.Event(), threading.Event()

    def hold() -> int:  # a query that stays inside DuckDB until the test lets it go: no race on a clock
        inside.set()
        release.wait(30)
        return 7

    oldest.con.create_function("dsjs_hold", hold, [], duckdb.sqltypes.INTEGER, side_effects=True)
    worker = threading.Thread(target=lambda: busy.append(oldest.con.execute("select dsjs_hold()").fetchone()[0]))
    worker.start()
    if not inside.wait(30):
        pytest.fail("the long query never started")
    try:
        got = db.run("kpi_perubahan", Scope.national(), ids[-1], base=demo_env)  # pushes `oldest` out
        assert len(got) == 1
        assert all(d is not oldest for d in db._dbs.values())
    finally:
        release.set()
        worker.join()
    assert busy == [7]
    db.clear_caches()


def test_the_units_below_a_scope():
    assert Scope.national().unit_below == "region"
    assert Scope.of(regions=["sumbarriau"]).unit_below == "branch"
    assert Scope.of(branches=["tanjung-pinang", "batam"]).unit_below == "branch"
    assert Scope.of(branches=["tanjung-pinang"]).unit_below == "regency"
    assert Scope.national().in_area(regencies=["21.01"]).unit_below == "regency"
