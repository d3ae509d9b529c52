"""The province/regency area filter in the data layer, on a tiny snapshot (exact rows): it narrows within the
office scope, an area has no target, its monthly events come from its own villages, values are bound."""
from __future__ import annotations

from datetime import date

import pytest

from desasadar import db
from desasadar.scope import Scope

from .helpers import participant, publish, rows, village

EKANG = "21.01.10.2002"      # Kab. Bintan (21.01), Kepulauan Riau (21), KC Tanjung Pinang
BERAKIT = "21.01.10.2001"    # Kab. Bintan
BERINDAT = "21.04.06.2001"   # Kab. Lingga (21.04), KC Tanjung Pinang
ACEH = "11.08.01.2001"       # Kab. Aceh Utara, Aceh (11): another region
ALL = Scope.national()
TP = Scope.of(branches=["tanjung-pinang"])
SUMBARRIAU = Scope.of(regions=["sumbarriau"])


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("area-data")
    publish(data_dir, date(2018, 8, 1), [
        village(EKANG, "certified", proposed_on=date(2018, 5, 14), verified_on=date(2018, 6, 20),
                certified_on=date(2018, 8, 1)),
        village(BERAKIT, "verified", proposed_on=date(2018, 6, 1), verified_on=date(2018, 7, 1)),
        village(BERINDAT, "revoked", proposed_on=date(2017, 3, 1), verified_on=date(2017, 4, 1),
                certified_on=date(2017, 5, 1), revoked_on=date(2018, 3, 1)),
        village(ACEH, "certified", proposed_on=date(2018, 1, 5), verified_on=date(2018, 2, 1),
                certified_on=date(2018, 3, 1)),
    ], [
        participant("P1", EKANG, occupation="kepala_desa"),
        participant("P2", BERINDAT, occupation="petani"),
        participant("P3", ACEH, occupation="nelayan"),
    ])
    return data_dir


def run(base, name, scope, **params):
    return db.run(name, scope, "2018-08-01", base=base, **params)


COLS = ["regency_code", "villages", "certified", "verified", "proposed", "revoked"]


def programme(df):
    """Rows of regencies with a programme village (every register village of the area is counted in `villages`)."""
    return rows(df[(df.certified + df.verified + df.proposed + df.revoked) > 0][COLS])


def test_a_regency_narrows_the_national_scope(base):
    national = run(base, "peta_kabupaten", ALL)
    assert len(national) == 514
    assert programme(national) == [("11.08", 852, 1, 0, 0, 0), ("21.01", 51, 1, 1, 0, 0), ("21.04", 84, 0, 0, 0, 1)]
    assert rows(run(base, "peta_kabupaten", ALL.in_area(regencies=["21.01"]))[COLS]) == [("21.01", 51, 1, 1, 0, 0)]


def test_a_province_holds_its_regencies(base):
    kepri = run(base, "peta_kabupaten", ALL.in_area(provinces=["21"]))
    assert list(kepri.regency_code) == ["21.01", "21.02", "21.03", "21.04", "21.05", "21.71", "21.72"]
    assert programme(kepri) == [("21.01", 51, 1, 1, 0, 0), ("21.04", 84, 0, 0, 0, 1)]
    assert list(run(base, "peta_desa", ALL.in_area(provinces=["21"])).village_code) == [BERAKIT, EKANG, BERINDAT]


def test_the_area_narrows_within_the_office_scope_never_beyond(base):
    assert programme(run(base, "peta_kabupaten", TP.in_area(regencies=["21.04"]))) == [("21.04", 1, 0, 0, 0, 1)]
    assert run(base, "peta_kabupaten", TP.in_area(provinces=["11"])).empty  # Aceh is not Tanjung Pinang's
    assert run(base, "peta_desa", SUMBARRIAU.in_area(regencies=["11.08"])).empty


def test_the_office_list_of_an_area_is_the_branches_serving_it(base):
    assert list(run(base, "kantor_terpilih", ALL.in_area(regencies=["21.01"])).branch_code) == ["tanjung-pinang"]
    assert list(run(base, "kantor_terpilih", TP.in_area(provinces=["11"])).branch_code) == []


def test_an_area_has_no_target(base):
    [row] = rows(run(base, "target_capaian", ALL.in_area(regencies=["21.01"]), year=2018)[
        ["target_villages", "certified"]])
    assert row == (None, 1)
    assert run(base, "laju_target", ALL.in_area(regencies=["21.01"]), year=2018).status.iloc[0] == "no_target"


def test_monthly_events_of_an_area_come_from_its_villages(base):
    cols = ["year", "certified", "revoked"]
    assert rows(run(base, "sertifikasi_per_tahun", ALL)[cols]) == [(2017, 1, 0), (2018, 2, 1)]
    assert rows(run(base, "sertifikasi_per_tahun", ALL.in_area(provinces=["21"]))[cols]) == [
        (2017, 1, 0), (2018, 1, 1)]
    assert rows(run(base, "sertifikasi_per_tahun", ALL.in_area(regencies=["21.04"]))[cols]) == [
        (2017, 1, 0), (2018, 0, 1)]
    # the same months as the published facts for the whole nation (pace over the last 3 and 6 months)
    whole = run(base, "laju_target", ALL, year=2018).iloc[0]
    assert run(base, "laju_target", ALL.in_area(provinces=["11", "21"]), year=2018)[
        ["pace_3m", "pace_6m"]].iloc[0].tolist() == [whole.pace_3m, whole.pace_6m]


def test_area_values_are_bound_not_formatted(base):
    sneaky = "21.01') or true or ('"
    assert run(base, "peta_desa", ALL.in_area(regencies=[sneaky])).empty
    assert run(base, "peta_desa", ALL.in_area(provinces=["2' or '1'='1"])).empty


def test_the_area_is_part_of_the_cache_key():
    assert ALL.key != ALL.in_area(regencies=["21.01"]).key != ALL.in_area(provinces=["21"]).key
    assert ALL.key == (True, (), ())  # keys without an area are as before
