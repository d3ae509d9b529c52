"""Scoped data officers in the data layer: a branch or region officer publishes only files whose rows
all lie in their scope (refused with a clear reason otherwise, nothing published), may not roll back,
and sees snapshot counts and quarantined rows within their scope only. The command line (no scope)
and a national officer keep every right."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from desasadar import audit, snapshots
from desasadar.ingest import permission
from desasadar.ingest import publish as P
from desasadar.scope import Scope

from .ingest_world import AS_OF, FIX, publish_base

GOOD = [FIX / "status_desa_tanjung-pinang.csv", FIX / "kepesertaan_tanjung-pinang.csv"]
TP = Scope.of(branches=["tanjung-pinang"])
BATAM = Scope.of(branches=["batam-nagoya"])
SUMBARRIAU = Scope.of(regions=["sumbarriau"])
SUMBAGUT = Scope.of(regions=["sumbagut"])
BATAM_KEL = "21.71.01.1001"  # a Batam kelurahan: KC Batam Nagoya, Kanwil Sumbarriau
ACEH = "11.03.06.2001"  # KC Lhokseumawe, Kanwil Sumbagut
HEADER = "kode_cabang;kode_desa;id_peserta;segmen;pekerjaan;jkk;jkm;jht;jp;tanggal_daftar;iuran_sampai;aktif"


@pytest.fixture
def base(data_dir):
    publish_base(data_dir)
    return data_dir


def enrollments(tmp_path, rows: list[str], name="kepesertaan_campur.csv"):
    p = tmp_path / name
    p.write_text("\n".join([HEADER] + rows) + "\n", encoding="utf-8")
    return p


def line(branch: str, village: str, pid: str, active="aktif") -> str:
    return f"{branch};{village};{pid};BPU;petani;ya;ya;tidak;tidak;01/07/2018;08/2018;{active}"


@pytest.mark.parametrize("scope", [TP, SUMBARRIAU, Scope.national(), None])
def test_officer_publishes_files_of_their_scope(base, scope):
    rep = P.ingest(GOOD, AS_OF, base=base, scope=scope, who="petugas")
    assert rep.outcome == "published", rep.blocking
    assert snapshots.current_id(base) == rep.snapshot_id


@pytest.mark.parametrize("scope", [BATAM, SUMBAGUT])
def test_files_outside_the_scope_are_refused_with_a_reason(base, scope):
    before = snapshots.current_id(base)
    rep = P.ingest(GOOD, AS_OF, base=base, scope=scope, who="petugas")
    assert rep.outcome == "rejected" and not rep.ok
    reasons = set(rep.blocking["reason"])
    assert reasons == {"outside_scope"}
    msg = " ".join(rep.messages("id")[rep.blocking.index])
    assert "di luar cakupan Anda" in msg and "status_desa_tanjung-pinang.csv baris 2" in msg
    assert snapshots.current_id(base) == before
    assert not [e for e in audit.read(base) if e["action"] == "publish" and e["who"] == "petugas"]


def test_one_row_of_another_branch_refuses_the_whole_publish(base, tmp_path):
    mixed = enrollments(tmp_path, [line("tanjung-pinang", "21.01.10.2002", "P7"),
                                   line("batam-nagoya", BATAM_KEL, "P8")])
    rep = P.ingest([GOOD[0], mixed], AS_OF, base=base, scope=TP, max_rejected=1.0)
    assert rep.outcome == "rejected"
    assert list(rep.blocking["detail"]) == ["1: kepesertaan_campur.csv baris 3"]
    # what the checks found about the other branch's row is withheld (here: its village has no status
    # row; for a village in the snapshot it could be its previous status); nationally it is reported
    assert not (rep.problems["level"] == "row").any()
    national = P.ingest([GOOD[0], mixed], AS_OF, base=base, max_rejected=1.0, publish=False).problems
    assert list(national.loc[national["level"] == "row", "row"]) == [3]
    # a row that names their branch but a village another branch serves is outside too
    sneaky = enrollments(tmp_path, [line("tanjung-pinang", ACEH, "P9")], "kepesertaan_aceh.csv")
    assert list(P.ingest([GOOD[0], sneaky], AS_OF, base=base, scope=TP, max_rejected=1.0).blocking["reason"]) \
        == ["outside_scope"]
    # the region officer covers both branches of Sumbarriau, but not Aceh
    assert "outside_scope" not in set(P.ingest([GOOD[0], mixed], AS_OF, base=base, scope=SUMBARRIAU,
                                               publish=False).problems["reason"])
    assert "outside_scope" in set(P.ingest([GOOD[0], sneaky], AS_OF, base=base, scope=SUMBARRIAU,
                                           publish=False).problems["reason"])
    # nationally the same files are checked as usual (no scope problem)
    assert "outside_scope" not in set(P.ingest([GOOD[0], mixed], AS_OF, base=base, publish=False).problems["reason"])


def test_rollback_stays_with_national_officers(base):
    rep = P.ingest(GOOD, AS_OF, base=base)
    first = [s.id for s in snapshots.published(base)][0]
    for scope in (TP, SUMBARRIAU):
        with pytest.raises(permission.NotPermitted):
            P.rollback(first, base=base, who="petugas", scope=scope)
        assert snapshots.current_id(base) == rep.snapshot_id
    P.rollback(first, base=base, who="pusat", scope=Scope.national())
    assert snapshots.current_id(base) == first


def test_snapshot_counts_within_the_scope(base):
    snap = snapshots.published(base)[-1]
    # the ingest world: 4 villages (3 in Bintan, Dabo in Lingga), all KC Tanjung Pinang; 4 participants
    assert permission.snapshot_counts(snap, TP) == (4, 4)
    assert permission.snapshot_counts(snap, SUMBARRIAU) == (4, 4)
    assert permission.snapshot_counts(snap, BATAM) == (0, 0)
    assert permission.snapshot_counts(snap, SUMBAGUT) == (0, 0)
    national = permission.snapshot_counts(snap, Scope.national())
    assert national == (snap.manifest["files"]["villages.parquet"]["rows"], snap.manifest["files"]["enrollments.parquet"]["rows"])


def test_quarantine_cut_to_the_scope(base, tmp_path):
    bad = enrollments(tmp_path, [
        line("tanjung-pinang", "21.01.10.2002", "P7"),
        line("tanjung-pinang", "21.01.10.2002", "P8", active="mungkin"),  # rejected, KC Tanjung Pinang
        line("batam-nagoya", BATAM_KEL, "P9", active="mungkin"),  # rejected, KC Batam Nagoya (secret id)
        line("lhokseumawe", ACEH, "P10", active="mungkin"),  # rejected, Kanwil Sumbagut
    ])
    rep = P.ingest([GOOD[0], bad], AS_OF, base=base, max_rejected=1.0)
    assert rep.outcome == "published"
    rel = "quarantine/ditolak_kepesertaan.csv"
    data = P.quarantine_file(rep.snapshot_id, rel, base)
    assert permission.quarantine_kind(rel) == "kepesertaan"
    assert permission.quarantine_kind("quarantine/laporan_validasi.csv") is None

    def ids(scope):
        cut, n = permission.quarantine_in_scope(data, "kepesertaan", scope)
        df = pd.read_csv(io.BytesIO(cut), sep=";", dtype=str, encoding="utf-8-sig")
        assert len(df) == n
        return sorted(df["id_peserta"])

    assert ids(Scope.national()) == ["P10", "P8", "P9"]
    assert ids(TP) == ["P8"]
    assert ids(SUMBARRIAU) == ["P8", "P9"]
    assert ids(SUMBAGUT) == ["P10"]
    assert ids(Scope.of(branches=["medan"])) == []
