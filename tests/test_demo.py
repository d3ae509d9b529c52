"""The demo series: deterministic, calibrated to the seed article, and internally consistent."""
from __future__ import annotations

from datetime import date

import duckdb
import pytest

from desasadar import db, demo, snapshots
from desasadar.scope import Scope

NATIONAL = Scope.national()
TP = Scope.of(branches=["tanjung-pinang"])


def test_seed_figures_through_the_real_queries(demo_env):
    """Republika, 1 Aug 2018: 276 certified in 2017, target 500, Ekang Anculai certified that day
    under KC Tanjung Pinang (Kanwil Sumbarriau), 1,450 aparatur desa enrolled in Kab. Bintan."""
    per_year = db.run("sertifikasi_per_tahun", NATIONAL, "2018-08-01").set_index("year")
    assert per_year.loc[2017, "certified"] == 276
    gauge = db.run("target_capaian", NATIONAL, "2018-08-01", year=2018).iloc[0]
    assert gauge.target_villages == 500 and gauge.certified == 411 and gauge.remaining == 500 - 411
    assert gauge.source.startswith("Republika, 1 Agustus 2018") and not gauge.target_is_demo
    ekang = db.run("desa_profil", TP, "2018-08-01", village_code="21.01.10.2002").iloc[0]
    assert (ekang.village_name, ekang.status, ekang.certified_on.date()) == ("Ekang Anculai", "certified", date(2018, 8, 1))
    assert ekang.certified_seq_national == 411
    assert (ekang.branch_code, ekang.region_code, ekang.district_name) == ("tanjung-pinang", "sumbarriau", "Teluk Sebong")
    bintan = db.run("peresmian_desa", NATIONAL, "2018-08-01", village_code="21.01.10.2002").iloc[0]
    assert bintan.regency_aparatur_active == 376  # kepala + perangkat desa; with RT/RW heads and staff: the seed's 1,450
    # the day before, Ekang Anculai was not yet certified
    before = db.run("desa_profil", TP, "2018-07-31", village_code="21.01.10.2002").iloc[0]
    assert before.status == "verified"


def test_series_and_latest(demo_dir):
    got = [s.id for s in snapshots.published(demo_dir)]
    assert got == [d.isoformat() for d in demo.snapshot_dates()] and len(got) == 25
    assert snapshots.current_id(demo_dir) == "2018-12-31"
    latest = snapshots.published(demo_dir)[-1]
    assert latest.is_demo and latest.manifest["files"]["enrollments.parquet"]["rows"] >= 1_000_000
    first = snapshots.published(demo_dir)[0]
    assert db.run("sertifikasi_per_tahun", NATIONAL, first.id, base=demo_dir)["certified"].sum() == 0


@pytest.mark.parametrize("sid", ["2017-12-31", "2018-08-01", "2018-12-31"])
def test_invariants(demo_dir, sid):
    snap = next(s for s in snapshots.published(demo_dir) if s.id == sid)
    f = {n: str(snap.file(n)) for n in snapshots.FILES}
    con = duckdb.connect()
    one = lambda sql: con.execute(sql, {k.split(".")[0]: v for k, v in f.items() if "$" + k.split(".")[0] in sql}).fetchone()  # noqa: E731
    # every village of the register in exactly one branch, and that branch serves its regency
    n, branches, missing = one("select count(*), count(distinct village_code), count(*) filter (where branch_code is null) "
                               "from read_parquet($facts_desa)")
    assert n == branches == 83762 and missing == 0
    # certified <= villages, per branch
    assert one("select count(*) from (select branch_code, count(*) filter (where status = 'certified') c, count(*) v "
               "from read_parquet($facts_desa) group by 1) where c > v")[0] == 0
    # raw and derived reconcile
    raw, active = one("select count(*), count(*) filter (where active) from read_parquet($enrollments)")
    assert one("select sum(participants), sum(participants_active) from read_parquet($facts_desa)") == (raw, active)
    assert one("select sum(participants) from read_parquet($facts_rincian)")[0] == raw
    assert one("select sum(enrolled_new) from read_parquet($facts_bulanan)")[0] == raw
    cert_raw = one("select count(*) from read_parquet($villages) where certified_on is not null")[0]
    assert one("select sum(certified) from read_parquet($facts_bulanan)")[0] == cert_raw
    # certified villages meet every criterion; programme eligibility holds
    assert one("select count(*) from read_parquet($facts_desa) where status = 'certified' and criteria_met < 4")[0] == 0
    assert one("select count(*) from read_parquet($enrollments) where (segment = 'JAKON' and (jht or jp)) "
               "or (segment <> 'PU' and jp)")[0] == 0


def test_generation_is_deterministic():
    a, b = demo.build_world(), demo.build_world()
    assert (a.certified == b.certified).all() and (a.e_village == b.e_village).all() and a.e_id.equals(b.e_id)
