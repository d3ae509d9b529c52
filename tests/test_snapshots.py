"""Snapshot publish: validation, atomicity, immutability, fallback from damaged snapshots."""
from __future__ import annotations

import json
from datetime import date

import pytest

from desasadar import db, reference, snapshots
from desasadar.scope import Scope

from .helpers import participant, publish, rows, village

EKANG = "21.01.10.2002"
MALANG_RAPAT = "21.01.04.2002"  # another Bintan village (desa Malang Rapat)


def good_villages():
    return [
        village(EKANG, "certified", proposed_on=date(2018, 5, 14), verified_on=date(2018, 6, 20),
                certified_on=date(2018, 8, 1), head_enrolled=True, officials_total=2, officials_enrolled=2,
                agent_appointed=True, village_regulation=True, workforce_estimate=10),
        village(MALANG_RAPAT, "proposed", proposed_on=date(2018, 7, 1), workforce_estimate=20),
    ]


def earlier_villages():
    """The same villages a day before Ekang Anculai's certification."""
    v = good_villages()
    v[0].update(status="verified", certified_on=None)
    return v


def good_enrollments():
    return [
        participant("P1", EKANG, occupation="kepala_desa", enrolled_on=date(2018, 3, 1)),
        participant("P2", EKANG, occupation="perangkat_desa", enrolled_on=date(2018, 3, 2)),
        participant("P3", EKANG, segment="PU", occupation="buruh", jht=True, jp=True, enrolled_on=date(2018, 4, 1)),
        participant("P4", MALANG_RAPAT, occupation="nelayan", active=False, enrolled_on=date(2018, 1, 1)),
    ]


def test_publish_derives_exact_village_facts(data_dir):
    snap = publish(data_dir, date(2018, 8, 1), good_villages(), good_enrollments())
    assert snapshots.current_id(data_dir) == "2018-08-01"
    assert snap.manifest["files"]["enrollments.parquet"]["rows"] == 4
    assert snap.manifest["files"]["facts_desa.parquet"]["rows"] == 83762
    df = db.run("kantor_terpilih", Scope.national(), base=data_dir)
    assert len(df) == len(reference.table("cabang.csv"))  # 165 branches
    import duckdb
    got = duckdb.connect().execute(
        "select village_code, branch_code, status, participants, participants_active, aparatur_active, "
        "officials_active, seg_pu, prog_jp, coverage, criteria_met, certified_seq_national, days_to_certify "
        "from read_parquet($p) where status <> 'none' order by village_code",
        {"p": str(snap.file("facts_desa.parquet"))}).df()
    assert rows(got) == [
        ("21.01.04.2002", "tanjung-pinang", "proposed", 1, 0, 0, 0, 0, 0, 0.0, 0, None, None),
        ("21.01.10.2002", "tanjung-pinang", "certified", 3, 3, 2, 2, 1, 1, 0.3, 4, 1, 79),
    ]


@pytest.mark.parametrize("change, table, reason", [
    (lambda v, e: v.append(dict(v[0], village_code="99.99.99.9999")), "villages", "unknown_village"),
    (lambda v, e: v[1].update(branch_code="medan"), "villages", "branch_not_serving"),
    (lambda v, e: v[0].update(officials_total=-1), "villages", "negative_count"),
    (lambda v, e: v[0].update(officials_enrolled=5), "villages", "officials_over_total"),
    (lambda v, e: e.append(dict(e[0])), "enrollments", "duplicate_participant"),
    (lambda v, e: v[0].update(verified_on=date(2018, 8, 5)), "villages", "dates_out_of_order"),
    (lambda v, e: v[0].update(certified_on=None), "villages", "missing_dates"),
    (lambda v, e: v[1].update(status="certified"), "villages", "missing_dates"),
    (lambda v, e: e[2].update(segment="JAKON"), "enrollments", "not_eligible"),
    (lambda v, e: e.append(participant("P9", "11.01.01.2001")), "enrollments", "unknown_village"),
    (lambda v, e: v[0].update(status="approved"), "villages", "bad_status"),
])
def test_invalid_snapshot_is_never_published(data_dir, change, table, reason):
    publish(data_dir, date(2018, 7, 31), earlier_villages(), good_enrollments())
    v, e = good_villages(), good_enrollments()
    change(v, e)
    with pytest.raises(snapshots.ValidationFailed) as err:
        publish(data_dir, date(2018, 8, 1), v, e)
    problem = next(p for p in err.value.problems if p.reason == reason)
    assert problem.table == table and problem.row is not None
    assert [s.id for s in snapshots.published(data_dir)] == ["2018-07-31"]
    assert snapshots.current_id(data_dir) == "2018-07-31"
    assert not [p for p in (data_dir / "snapshots").iterdir() if p.name.startswith(".tmp")]


@pytest.mark.parametrize("step", ["write_raw", "validate", "derive", "manifest", "rename", "swap"])
def test_crash_at_any_step_leaves_previous_snapshot_served(data_dir, monkeypatch, step):
    publish(data_dir, date(2018, 7, 31), earlier_villages(), good_enrollments())

    def boom(name):
        if name == step:
            raise RuntimeError(f"injected at {name}")

    monkeypatch.setattr(snapshots, "_step", boom)
    with pytest.raises(RuntimeError):
        publish(data_dir, date(2018, 8, 1), good_villages(), good_enrollments())
    assert snapshots.current_id(data_dir) == "2018-07-31"
    assert db.serve(None, data_dir).id == "2018-07-31"
    assert not [p for p in (data_dir / "snapshots").iterdir() if p.name.startswith(".tmp")]
    if step != "swap":  # after the rename the new folder is complete, just not current
        assert [s.id for s in snapshots.published(data_dir)] == ["2018-07-31"]


def test_publish_is_idempotent_and_snapshots_immutable(data_dir):
    a = publish(data_dir, date(2018, 8, 1), good_villages(), good_enrollments())
    b = publish(data_dir, date(2018, 8, 1), good_villages(), good_enrollments())
    assert a.manifest == b.manifest
    other = good_enrollments()[:3]
    with pytest.raises(snapshots.SnapshotError, match="already exists"):
        publish(data_dir, date(2018, 8, 1), good_villages(), other)


def test_damaged_newest_snapshot_falls_back_to_last_good(data_dir):
    publish(data_dir, date(2018, 7, 31), earlier_villages(), good_enrollments())
    publish(data_dir, date(2018, 8, 1), good_villages(), good_enrollments())
    facts = data_dir / "snapshots" / "2018-08-01" / "facts_desa.parquet"
    facts.write_bytes(facts.read_bytes()[:1000])  # truncated
    served = db.serve(None, data_dir)
    assert served.id == "2018-07-31"
    assert any("2018-08-01" in n and "checksum" in n for n in served.notes)
    facts.unlink()  # missing altogether
    served = db.serve(None, data_dir)
    assert served.id == "2018-07-31" and any("missing" in n for n in served.notes)


def test_broken_manifest_is_invisible_and_rollback_is_a_pointer_swap(data_dir):
    publish(data_dir, date(2018, 7, 31), earlier_villages(), good_enrollments())
    publish(data_dir, date(2018, 8, 1), good_villages(), good_enrollments())
    snapshots.set_current("2018-07-31", data_dir)
    assert db.serve(None, data_dir).id == "2018-07-31"
    (data_dir / "snapshots" / "2018-08-01" / "manifest.json").write_text("{not json")
    assert [s.id for s in snapshots.published(data_dir)] == ["2018-07-31"]
    with pytest.raises(snapshots.SnapshotError):
        snapshots.set_current("2018-08-01", data_dir)
    with pytest.raises(snapshots.SnapshotError):
        snapshots.set_current("../../etc/passwd", data_dir)


def test_manifest_records_hashes_and_demo_flag(data_dir):
    snap = publish(data_dir, date(2018, 8, 1), good_villages(), good_enrollments(), demo=True)
    m = json.loads((snap.path / "manifest.json").read_text())
    assert m["demo"] is True and m["as_of"] == "2018-08-01"
    for name in snapshots.FILES:
        assert m["files"][name]["sha256"] == snapshots.sha256(snap.path / name)
    assert m["validation"] == {"checked": True, "problems": 0}
