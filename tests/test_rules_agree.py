"""One implementation of the row rules (desasadar/rules.py): the publish gate (validate.py, on a snapshot's
Parquet files) and the ingest (ingest/checks.py, on a branch's CSV files) refuse the same bad rows for
the same reasons."""
from __future__ import annotations

from datetime import date

import pandas as pd

from desasadar import snapshots, validate
from desasadar.ingest import branch_files
from desasadar.ingest import publish as P

from .helpers import participant, village, write_tables

AS_OF = date(2018, 8, 1)
# desa of Kab. Bintan, served by KC Tanjung Pinang; none is in the programme before
CODES = ["21.01.04.2001", "21.01.04.2002", "21.01.04.2003", "21.01.07.2005", "21.01.08.2001", "21.01.08.2002"]
GOOD = CODES[5]

VILLAGES = [
    village(CODES[0], "verified", proposed_on=date(2018, 5, 1)),                                   # no verification date
    village(CODES[1], "proposed", proposed_on=date(2018, 5, 1), certified_on=date(2018, 6, 1)),   # date of a later step
    village(CODES[2], "verified", proposed_on=date(2018, 6, 1), verified_on=date(2018, 5, 1)),    # verified before proposed
    village(CODES[3], "proposed", proposed_on=date(2018, 9, 1)),                                   # after the data date
    village(CODES[4], "none", officials_total=3, officials_enrolled=5),                           # more enrolled than exist
    village(GOOD, "proposed", proposed_on=date(2018, 7, 1), officials_total=3, officials_enrolled=2),
]
ENROLLMENTS = [
    participant("R1", GOOD, segment="BPU", jp=True),                      # JP is for wage earners (PU) only
    participant("R2", GOOD, segment="JAKON", jht=True),                   # construction: JKK and JKM only
    participant("R3", GOOD, jkm=False),                                    # JKM is held by everyone
    participant("R4", GOOD, enrolled_on=date(2018, 9, 3)),                 # after the data date
    participant("R5", GOOD, enrolled_on=date(2018, 3, 15), paid_until=date(2018, 1, 1)),  # paid before enrolling
    participant("R6", GOOD, segment="PU", jht=True, jp=True),
]
EXPECTED = {
    ("villages", CODES[0], "missing_dates"), ("villages", CODES[1], "dates_for_later_step"),
    ("villages", CODES[2], "dates_out_of_order"), ("villages", CODES[3], "date_after_as_of"),
    ("villages", CODES[4], "officials_over_total"),
    ("enrollments", "R1", "not_eligible"), ("enrollments", "R2", "not_eligible"), ("enrollments", "R3", "not_eligible"),
    ("enrollments", "R4", "date_after_as_of"), ("enrollments", "R5", "paid_before_enrolled"),
}
KEYS = {"villages": [v["village_code"] for v in VILLAGES], "enrollments": [e["participant_id"] for e in ENROLLMENTS]}


def test_publish_gate_refuses_the_bad_rows(tmp_path):
    write_tables(tmp_path, VILLAGES, ENROLLMENTS)
    con = snapshots.reference_connection()
    for table in KEYS:
        con.execute(f"create view {table} as select * from read_parquet('{tmp_path / table}.parquet', "
                    "file_row_number = true)")
    problems, _ = validate.check_snapshot(con, AS_OF)
    # validate's rows are 1-based rows of the table
    assert {(p.table, KEYS[p.table][p.row - 1], p.reason) for p in problems} == EXPECTED


def test_ingest_refuses_the_same_rows(data_dir, tmp_path):
    v, e = pd.DataFrame(VILLAGES), pd.DataFrame(ENROLLMENTS)
    branch_of = pd.Series(v["branch_code"].to_numpy(), index=v["village_code"].to_numpy())
    files = {"villages": tmp_path / "status_desa_tanjung-pinang.csv",
             "enrollments": tmp_path / "kepesertaan_tanjung-pinang.csv"}
    branch_files.write_csv(branch_files.status_frame(v), files["villages"])
    branch_files.write_csv(branch_files.enrollment_frame(e, branch_of), files["enrollments"])
    report = P.ingest(list(files.values()), AS_OF, base=data_dir, publish=False)
    rows = report.problems[report.problems["level"] == "row"]
    table_of = {f.name: t for t, f in files.items()}
    # the ingest's rows are lines of the file: the header is line 1
    found = {(table_of[r.file], KEYS[table_of[r.file]][int(r.row) - 2], r.reason) for r in rows.itertuples()}
    assert found == EXPECTED
