"""Round trip: the demo snapshot of 1 Aug 2018 exported as every branch's files (CSV, one branch's
status report as XLSX), ingested on top of the demo's 31 Jul 2018 snapshot, gives the same
derived facts as the demo's own 1 Aug 2018 snapshot."""
from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
import pytest

from desasadar import reference, snapshots
from desasadar.ingest import branch_files, publish as P


def _sorted(path, keys):
    df = pd.read_parquet(path)
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


@pytest.mark.slow
def test_export_then_ingest_gives_identical_facts(demo_dir, data_dir, tmp_path):
    (data_dir / "snapshots").mkdir()
    shutil.copytree(demo_dir / "snapshots" / "2018-07-31", data_dir / "snapshots" / "2018-07-31")
    snapshots.set_current("2018-07-31", data_dir)

    files = branch_files.export_snapshot("2018-08-01", tmp_path / "cabang", base=demo_dir, xlsx=("tanjung-pinang",))
    with_villages = reference.table("cabang_wilayah_kerja.csv")["branch_code"].nunique()  # 163 of 165
    assert len(files) == 2 * with_villages and (tmp_path / "cabang" / "laporan_status_desa_tanjung-pinang.xlsx").exists()

    r = P.ingest(files, date(2018, 8, 1), base=data_dir)
    assert r.outcome == "published" and r.snapshot_id == "2018-08-01" and r.rejected == 0, r.lines("en")[-5:]
    old = next(s for s in snapshots.published(demo_dir) if s.id == "2018-08-01")
    assert r.tables["status_desa"]["rows"] == 83_762
    assert r.tables["kepesertaan"]["rows"] == old.manifest["files"]["enrollments.parquet"]["rows"]

    new = next(s for s in snapshots.published(data_dir) if s.id == "2018-08-01")
    for name, keys in (("facts_desa.parquet", ["village_code"]),
                       ("facts_rincian.parquet", ["village_code", "segment", "occupation", "active"]),
                       ("facts_bulanan.parquet", ["month", "branch_code"])):
        pd.testing.assert_frame_equal(_sorted(new.path / name, keys), _sorted(old.path / name, keys), check_exact=True)
    # the facts a page shows on the ceremony day
    desa = _sorted(new.path / "facts_desa.parquet", ["village_code"]).set_index("village_code")
    assert desa.loc["21.01.10.2002", "status"] == "certified"
    assert int((desa["status"] == "certified").sum()) == 411
