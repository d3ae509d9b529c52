"""Ringkasan queries on tiny snapshots with exact expected rows: target gauge, pace and status, KPI change,
trend, pipeline, per year, per unit. Targets come from a target.csv of the test's own (data dir reference/)."""
from __future__ import annotations

from datetime import date

import pytest

from desasadar import db, paths
from desasadar.scope import Scope

from .helpers import participant, publish, rows, village

# villages (branch, region)
V1 = "21.01.10.2001"   # Berakit, KC tanjung-pinang, sumbarriau
V2 = "21.01.10.2003"   # Pengudang, tanjung-pinang
V3 = "13.71.01.1001"   # Belakang Pondok, KC padang, sumbarriau
V4 = "13.71.01.1002"   # Alang Laweh, padang
V5 = "11.08.01.2001"   # Keude Alue Ie Puteh, KC lhokseumawe, sumbagut
V6 = "21.01.10.2002"   # Ekang Anculai, tanjung-pinang: certified on the as-of date 2018-08-01
V7 = "11.08.01.2002"   # Meunasah Alue Ie Puteh, lhokseumawe: certified 2018-01-05, revoked 2018-06-15
V8 = "32.18.01.2001"   # Parigi, KC banjar (no target row), jawa-barat
V9 = "21.01.10.2004"   # Sebong Lagoi, tanjung-pinang: verified

ALL = Scope.national()
TP = Scope.of(branches=["tanjung-pinang"])
SR = Scope.of(regions=["sumbarriau"])
LHOK = Scope.of(branches=["lhokseumawe"])
BANJAR = Scope.of(branches=["banjar"])
MIX = Scope.of(regions=["sumbarriau"], branches=["banjar"])

TARGETS = """year,period_end,scope,scope_code,target_villages,source,is_demo
2018,2018-12-31,national,,10,Uji: nasional,false
2018,2018-12-31,region,sumbarriau,8,Uji: wilayah,true
2018,2018-12-31,branch,tanjung-pinang,2,Uji: cabang,true
2018,2018-12-31,branch,lhokseumawe,0,Uji: cabang nol,true
2018,2018-12-31,branch,padang,3,Uji: cabang,true
"""


def _reference_copy(base):
    """base/reference: the repo's reference tables (linked) with this test's target.csv."""
    ref = base / "reference"
    ref.mkdir()
    for f in paths.REPO_REFERENCE_DIR.iterdir():
        if f.name != "target.csv":
            (ref / f.name).symlink_to(f)
    (ref / "target.csv").write_text(TARGETS)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """Four snapshots: Z 2017-10-31 (nothing certified), A 2018-06-30, B 2018-08-01 (the main one), C 2018-12-31."""
    base = tmp_path_factory.mktemp("ringkasan-data")
    _reference_copy(base)
    d = date
    publish(base, d(2017, 10, 31), [
        village(V1, "proposed", proposed_on=d(2017, 10, 1), workforce_estimate=2),
    ], [participant("P2", V1, occupation="perangkat_desa")])
    at_a = [
        village(V1, "certified", proposed_on=d(2017, 10, 1), verified_on=d(2017, 11, 1), certified_on=d(2017, 11, 15), workforce_estimate=2),
        village(V2, "certified", proposed_on=d(2018, 1, 2), verified_on=d(2018, 2, 1), certified_on=d(2018, 2, 10)),
        village(V3, "certified", proposed_on=d(2018, 3, 1), verified_on=d(2018, 4, 1), certified_on=d(2018, 5, 5)),
        village(V4, "certified", proposed_on=d(2018, 3, 1), verified_on=d(2018, 4, 1), certified_on=d(2018, 6, 20)),
        village(V5, "verified", proposed_on=d(2018, 4, 1), verified_on=d(2018, 6, 1)),
        village(V6, "proposed", proposed_on=d(2018, 5, 14)),
        village(V7, "revoked", proposed_on=d(2017, 12, 1), verified_on=d(2017, 12, 20), certified_on=d(2018, 1, 5), revoked_on=d(2018, 6, 15)),
    ]
    part_a = [
        participant("P1", V6, occupation="kepala_desa"),
        participant("P2", V1, occupation="perangkat_desa"),
        participant("P3", V1, occupation="petani"),
    ]
    publish(base, d(2018, 6, 30), at_a, part_a)
    at_b = at_a[:4] + [
        village(V5, "certified", proposed_on=d(2018, 4, 1), verified_on=d(2018, 6, 1), certified_on=d(2018, 7, 31)),
        village(V6, "certified", proposed_on=d(2018, 5, 14), verified_on=d(2018, 7, 1), certified_on=d(2018, 8, 1)),
        at_a[6],
        village(V8, "proposed", proposed_on=d(2018, 7, 20)),
        village(V9, "verified", proposed_on=d(2018, 6, 1), verified_on=d(2018, 7, 25)),
    ]
    part_b = part_a + [
        participant("P4", V1, occupation="petani"),
        participant("P5", V3, occupation="ketua_rt_rw"),
        participant("P6", V3, occupation="petani", active=False),
    ]
    publish(base, d(2018, 8, 1), at_b, part_b)
    at_c = at_b[:7] + [
        village(V8, "certified", proposed_on=d(2018, 7, 20), verified_on=d(2018, 8, 15), certified_on=d(2018, 9, 3)),
        at_b[8],
    ]
    publish(base, d(2018, 12, 31), at_c, part_b)
    return base


def day(s: str) -> date:
    return date.fromisoformat(s)


def run(base, name, scope=ALL, snapshot="2018-08-01", **params):
    return db.run(name, scope, snapshot, base=base, **params)


# --- target_capaian -------------------------------------------------------------------------------------

GAUGE_COLS = ["evaluated_on", "certified", "target_villages", "remaining", "surplus", "share", "source",
              "target_is_demo", "parts", "parts_without_target"]


def gauge(base, scope, snapshot="2018-08-01", year=2018):
    df = run(base, "target_capaian", scope, snapshot, year=year)
    assert len(df) == 1
    return rows(df[GAUGE_COLS])[0]


def test_gauge_national_counts_certified_not_revoked(base):
    # V1..V6 certified (V6 on the as-of date itself), V7 revoked: 6 of 10
    assert gauge(base, ALL) == (
        day("2018-08-01"), 6, 10, 4, 0, 0.6, "Uji: nasional", False, 1, 0)


def test_gauge_branch_uses_its_own_target_and_shows_over_100_percent(base):
    # KC Tanjung Pinang: V1, V2, V6 certified against its own target 2: exceeded by 1, 150%
    assert gauge(base, TP) == (day("2018-08-01"), 3, 2, 0, 1, 1.5, "Uji: cabang", True, 1, 0)


def test_gauge_region_target(base):
    # Sumbarriau: V1, V2, V6 (Tanjung Pinang) + V3, V4 (Padang) = 5 of 8
    assert gauge(base, SR) == (day("2018-08-01"), 5, 8, 3, 0, 0.625, "Uji: wilayah", True, 1, 0)


def test_gauge_no_target_row_is_null_not_zero(base):
    assert gauge(base, BANJAR) == (day("2018-08-01"), 0, None, None, None, None, None, False, 1, 1)


def test_gauge_target_of_a_scope_with_a_part_without_target_is_null(base):
    # region sumbarriau has a target, branch banjar has none: the sum would be a lie, so NULL
    g = gauge(base, MIX)
    assert g[1:5] == (5, None, None, None) and g[8:] == (2, 1)


def test_gauge_target_zero_has_no_share(base):
    # KC Lhokseumawe: target 0, V5 certified: no division by zero, surplus 1
    assert gauge(base, LHOK) == (day("2018-08-01"), 1, 0, 0, 1, None, "Uji: cabang nol", True, 1, 0)


def test_gauge_year_without_target_counts_at_the_end_of_that_year(base):
    # 2017 has no target row: certified on 31 Dec 2017 = V1 only
    assert gauge(base, ALL, year=2017) == (day("2017-12-31"), 1, None, None, None, None, None, False, 1, 1)


def test_gauge_zero_certified(base):
    assert gauge(base, ALL, snapshot="2017-10-31") == (day("2017-10-31"), 0, 10, 10, 0, 0.0, "Uji: nasional",
                                                       False, 1, 0)


# --- laju_target ----------------------------------------------------------------------------------------

PACE_COLS = ["certified", "target_villages", "remaining", "months_left", "needed_per_month", "pace_3m", "pace_6m",
             "window_3m_from", "window_6m_from", "window_to", "projected_on", "status"]


def pace(base, scope, snapshot="2018-08-01", year=2018):
    df = run(base, "laju_target", scope, snapshot, year=year)
    assert len(df) == 1
    return rows(df[PACE_COLS])[0]


def test_pace_national_at_risk(base):
    # months_left = 152 days / 30.4375 = 4.9938; needed = 4 / 4.9938 = 0.801
    # last 3 complete months May-Jul: certified V3 (May), V4 (Jun), V5 (31 Jul) minus V7 revoked (Jun) = 2 -> 0.667
    # (V6, certified on 1 Aug, is in no complete month); 6 months Feb-Jul: V2 + 3 - 1 = 3 -> 0.5
    # 0.667 < 0.801 but >= 0.75 x 0.801 = 0.601: at risk; projected 1 Aug + ceil(4 / 0.667 x 30.4375) = 183 days
    assert pace(base, ALL) == (6, 10, 4, 4.99, 0.8, 0.67, 0.5, day("2018-05-01"), day("2018-02-01"),
                               day("2018-07-31"), day("2019-01-31"), "at_risk")


def test_pace_region_on_track(base):
    # Sumbarriau: 3 to go, needed 3 / 4.9938 = 0.60; 3 months: V3, V4 = 2 -> 0.67 >= 0.60: on track
    # projected 1 Aug + ceil(3 / 0.667 x 30.4375) = ceil(136.97) = 137 days = 16 Dec 2018, before the deadline
    assert pace(base, SR) == (5, 8, 3, 4.99, 0.6, 0.67, 0.5, day("2018-05-01"), day("2018-02-01"),
                              day("2018-07-31"), day("2018-12-16"), "on_track")


def test_pace_off_track_earlier_snapshot(base):
    # 30 Jun: V1..V4 certified = 4, 6 to go over 184 days = 6.045 months: needed 0.99
    # 3 complete months Apr-Jun: V3 + V4 - V7 = 1 -> 0.33 < 0.75 x 0.99: off track
    # projected 30 Jun + ceil(6 / 0.333 x 30.4375) = ceil(547.875) = 548 days
    assert pace(base, ALL, snapshot="2018-06-30") == (
        4, 10, 6, 6.05, 0.99, 0.33, 0.5, day("2018-04-01"), day("2018-01-01"), day("2018-06-30"),
        day("2019-12-30"), "off_track")


def test_pace_target_exceeded_is_achieved(base):
    assert pace(base, TP) == (3, 2, 0, 4.99, None, 0.0, 0.17, day("2018-05-01"), day("2018-02-01"),
                              day("2018-07-31"), None, "achieved")


def test_pace_target_zero_is_achieved_without_division(base):
    # KC Lhokseumawe: target 0; 3 months: V5 (Jul) - V7 revoked (Jun) = 0; 6 months the same
    assert pace(base, LHOK) == (1, 0, 0, 4.99, None, 0.0, 0.0, day("2018-05-01"), day("2018-02-01"),
                                day("2018-07-31"), None, "achieved")


def test_pace_no_target(base):
    assert pace(base, BANJAR) == (0, None, None, None, None, 0.0, 0.0, day("2018-05-01"), day("2018-02-01"),
                                  day("2018-07-31"), None, "no_target")
    # a year without a target still reports the pace of the snapshot
    assert pace(base, ALL, year=2017)[5:7] == (0.67, 0.5)
    assert pace(base, ALL, year=2017)[-1] == "no_target"


def test_pace_deadline_reached_is_missed(base):
    # 31 Dec: V1..V6 + V8 = 7 of 10; no month left: nothing "needed", no projection
    # 3 complete months Oct-Dec: nothing; 6 months Jul-Dec: V5 (Jul), V6 (Aug), V8 (Sep) = 3 -> 0.5
    assert pace(base, ALL, snapshot="2018-12-31") == (
        7, 10, 3, 0.0, None, 0.0, 0.5, day("2018-10-01"), day("2018-07-01"), day("2018-12-31"), None, "missed")


def test_pace_zero_certified(base):
    # 31 Oct 2017: nothing certified, nothing happened but one proposal: 10 to go over 426 days = 14.0 months
    assert pace(base, ALL, snapshot="2017-10-31") == (
        0, 10, 10, 14.0, 0.71, 0.0, 0.0, day("2017-08-01"), day("2017-05-01"), day("2017-10-31"), None,
        "off_track")


def test_pace_states_its_rule_constants(base):
    df = run(base, "laju_target", ALL, year=2018)
    assert rows(df[["at_risk_from", "days_per_month"]]) == [(0.75, 30.4375)]


# --- kpi_perubahan ----------------------------------------------------------------------------------------

KPI_COLS = ["prev_id", "certified", "certified_prev", "certified_change", "aparatur", "aparatur_prev",
            "aparatur_change", "participants_certified", "participants_certified_prev", "participants_certified_change"]


def test_kpi_change_since_previous_snapshot(base):
    # B: aparatur (kepala + perangkat desa) P1 (kepala desa, V6), P2 (perangkat, V1) = 2; P5 (ketua RT/RW, V3)
    # is counted apart, not as aparatur; A: P1, P2 = 2
    # participants in certified villages B: V1 P2 P3 P4, V3 P5 (P6 inactive), V6 P1 = 5; A: V1 P2 P3 = 2
    df = run(base, "kpi_perubahan")
    assert rows(df[KPI_COLS]) == [("2018-06-30", 6, 4, 2, 2, 2, 0, 5, 2, 3)]
    # coverage: participants capped at each village's workforce (V1: 3 active, workforce 2) over workforce
    cov = rows(df[["coverage_certified", "coverage_certified_prev"]])[0]
    assert cov == (4 / 502, 2 / 302)
    assert df.coverage_certified_change[0] == pytest.approx(4 / 502 - 2 / 302)


def test_kpi_scoped(base):
    df = run(base, "kpi_perubahan", TP)
    # TP: certified V1, V2, V6 (A: V1, V2); aparatur P1, P2 (A: the same); participants V1 3 + V6 1 (A: V1 2)
    assert rows(df[KPI_COLS]) == [("2018-06-30", 3, 2, 1, 2, 2, 0, 4, 2, 2)]


def test_kpi_first_snapshot_has_no_previous(base):
    df = run(base, "kpi_perubahan", snapshot="2017-10-31")
    assert rows(df[KPI_COLS]) == [(None, 0, None, None, 1, None, None, 0, None, None)]
    assert rows(df[["coverage_certified", "coverage_certified_change"]]) == [(None, None)]


# --- tren_sertifikasi, pipeline_status ----------------------------------------------------------------------

def test_trend_one_point_per_snapshot_up_to_the_served_one(base):
    df = run(base, "tren_sertifikasi")
    assert rows(df[["snapshot_id", "certified", "revoked", "aparatur", "participants_certified"]]) == [
        ("2017-10-31", 0, 0, 1, 0),
        ("2018-06-30", 4, 1, 2, 2),
        ("2018-08-01", 6, 1, 2, 5),  # aparatur: kepala + perangkat desa only (P5, ketua RT/RW, apart)
    ]
    assert rows(run(base, "tren_sertifikasi", TP)[["snapshot_id", "certified"]]) == [
        ("2017-10-31", 0), ("2018-06-30", 2), ("2018-08-01", 3)]
    # a scope with nothing in any snapshot still has one zero point per snapshot
    assert rows(run(base, "tren_sertifikasi", BANJAR, snapshot="2018-06-30")[["snapshot_id", "certified"]]) == [
        ("2017-10-31", 0), ("2018-06-30", 0)]


def test_pipeline_always_four_statuses_in_order(base):
    assert rows(run(base, "pipeline_status")) == [
        (1, "proposed", 1), (2, "verified", 1), (3, "certified", 6), (4, "revoked", 1)]
    assert rows(run(base, "pipeline_status", BANJAR, snapshot="2018-06-30")) == [
        (1, "proposed", 0), (2, "verified", 0), (3, "certified", 0), (4, "revoked", 0)]


# --- sertifikasi_per_tahun, sertifikasi_per_wilayah ---------------------------------------------------------

def test_certified_per_year_counts_events(base):
    # 2017: V1; 2018 to 1 Aug: V2, V3, V4, V5, V6 and V7 (revoked later, still certified that year)
    assert rows(run(base, "sertifikasi_per_tahun")) == [(2017, 1, 0, False), (2018, 6, 1, True)]
    # the last snapshot of the year is not "to date"
    assert rows(run(base, "sertifikasi_per_tahun", snapshot="2018-12-31")) == [(2017, 1, 0, False), (2018, 7, 1, False)]
    # nothing certified yet: the years with any programme event, zero
    assert rows(run(base, "sertifikasi_per_tahun", snapshot="2017-10-31")) == [(2017, 0, 0, True)]


def test_per_region_against_region_targets(base):
    df = run(base, "sertifikasi_per_wilayah", tingkat="region", year=2018)
    assert rows(df[["code", "name", "certified", "in_pipeline", "target_villages", "share"]]) == [
        ("sumbarriau", "Sumbarriau", 5, 1, 8, 0.625),
        ("sumbagut", "Sumbagut", 1, 0, None, None),
        ("jawa-barat", "Jawa Barat", 0, 1, None, None),
    ]


def test_per_branch_in_a_region(base):
    df = run(base, "sertifikasi_per_wilayah", SR, tingkat="branch", year=2018)
    assert rows(df[["code", "certified", "in_pipeline", "target_villages", "share"]]) == [
        ("tanjung-pinang", 3, 1, 2, 1.5),
        ("padang", 2, 0, 3, 2 / 3),
    ]


def test_per_regency_in_a_branch_and_per_unit_for_a_year_without_target(base):
    df = run(base, "sertifikasi_per_wilayah", TP, tingkat="regency", year=2018)
    assert rows(df[["code", "name", "certified", "in_pipeline", "target_villages"]]) == [
        ("21.01", "Kabupaten Bintan", 3, 1, None)]
    # 2017: counted on 31 Dec 2017 (V1 only), no targets
    df = run(base, "sertifikasi_per_wilayah", tingkat="region", year=2017)
    assert rows(df[["code", "certified", "target_villages"]]) == [
        ("sumbarriau", 1, None), ("jawa-barat", 0, None)]

