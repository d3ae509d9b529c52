"""Publishing that never loses a row: real processes killed with SIGKILL at each step, two
publishes at once (two months; the same month), a damaged base, truncated files, leftovers,
a full disk and a read-only folder (real ones, in a private mount namespace), and the lock.

Rows lost = participants of a publish that reported success but missing from CURRENT's
snapshot; every test that publishes checks it is 0."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from desasadar import db, paths, snapshots, writer_lock
from desasadar.ingest import publish as P
from desasadar.ingest import report as R

from .ingest_world import AS_OF, FIX, publish_base

ROOT = paths.ROOT
GOOD = [FIX / "status_desa_tanjung-pinang.csv", FIX / "kepesertaan_tanjung-pinang.csv"]
HEADER = "Kode Cabang,Kode Desa,ID Peserta,Segmen,Pekerjaan,JKK,JKM,JHT,JP,Tanggal Daftar,Iuran Sampai,Aktif\n"
STEPS = ["write_raw", "validate", "derive", "manifest", "rename", "swap"]


# --- helpers ---------------------------------------------------------------------------------------------


@pytest.fixture
def base(data_dir, tmp_path, monkeypatch):
    """The ingest world's base snapshot (31 Jul 2018), and a private temp folder for stage dirs."""
    publish_base(data_dir / "d")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return data_dir / "d"


def enrollments_csv(path: Path, prefix: str, n: int, month: str = "08/2018") -> Path:
    """n new participants (ids prefix00001 ...) in Ekang Anculai."""
    rows = [f"tanjung-pinang,21.01.10.2002,{prefix}{i:05d},BPU,petani,ya,ya,tidak,tidak,01/03/2018,{month},aktif\n"
            for i in range(1, n + 1)]
    path.write_text(HEADER + "".join(rows))
    return path


def ids_in_file(path: Path) -> set[str]:
    return {line.split(",")[2] for line in path.read_text().splitlines()[1:] if line.strip()}


def current_participants(base: Path) -> set[str]:
    snap = snapshots.find(snapshots.current_id(base), base)
    return {r[0] for r in duckdb.connect().execute("select participant_id from read_parquet($p)",
                                                    {"p": str(snap.path / "enrollments.parquet")}).fetchall()}


def env(base: Path, **extra) -> dict:
    e = dict(os.environ, DSJS_DATA_DIR=str(base), TMPDIR=tempfile.gettempdir(), PYTHONPATH=str(ROOT))
    e.pop("DSJS_CRASH_AT", None)
    e.update({k: str(v) for k, v in extra.items()})
    return e


def ingest_cmd(files, as_of: date, *extra) -> list[str]:
    return [sys.executable, "-m", "desasadar", "ingest", *map(str, files), "--as-of", as_of.isoformat(), "--quiet",
            *extra]


def run(cmd, base, timeout=900, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, env=env(base, **extra), capture_output=True, text=True, timeout=timeout)


def leftovers(base: Path) -> list[str]:
    snaps = [p.name for p in (base / "snapshots").iterdir() if p.name.startswith(".")]
    temps = [p.name for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith("desasadar-")]
    return snaps + temps + [p.name for p in base.glob(".CURRENT.*")]


def wait_for(pred, timeout=600.0, what=""):
    t0 = time.monotonic()
    while not pred():
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


# --- 1. crashes: a real process killed with SIGKILL at each step -----------------------------------------


@pytest.mark.parametrize("step", STEPS)
def test_kill_9_at_each_step_serves_the_old_snapshot_whole_and_the_next_publish_cleans_up(base, step):
    before = current_participants(base)
    # the publishing process kills itself with SIGKILL exactly at `step` (snapshots._step)
    r = run(ingest_cmd(GOOD, AS_OF), base, DSJS_CRASH_AT=step)
    assert r.returncode == -signal.SIGKILL, r.stdout + r.stderr
    assert snapshots.current_id(base) == "2018-07-31"
    served = db.serve(None, base)
    assert served.id == "2018-07-31" and not served.notes and current_participants(base) == before
    holder = writer_lock.read_holder(base)
    assert holder is not None and holder.host == socket.gethostname()  # the dead writer's lock is left
    left = leftovers(base)
    if step not in ("swap",):
        assert any(x.startswith(".tmp-") for x in left), left  # its temporary snapshot folder, too
    assert any(x.startswith("desasadar-ingest-") for x in left), left  # and its stage in the temp folder

    again = P.ingest(GOOD, AS_OF, base=base, wait=5)  # breaks the stale lock, cleans up, publishes
    assert again.outcome in ("published", "unchanged") and again.error is None, again.lines("en")
    assert leftovers(base) == [] and writer_lock.read_holder(base) is None
    assert snapshots.current_id(base) == again.snapshot_id
    rows_lost = (before | ids_in_file(GOOD[1])) - current_participants(base)
    assert rows_lost == set()


def test_kill_9_from_outside_while_publishing(base, tmp_path):
    """The parent kills the publishing process once it is busy in its temporary folder."""
    big = enrollments_csv(tmp_path / "kepesertaan_besar.csv", "K", 20_000)
    proc = subprocess.Popen(ingest_cmd([big], AS_OF), cwd=ROOT, env=env(base), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        wait_for(lambda: any(p.name.startswith(".tmp-") for p in (base / "snapshots").iterdir()) or proc.poll() is not None,
                 what="the publish to start writing")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert snapshots.current_id(base) in ("2018-07-31", "2018-08-01")  # old or new, whole either way
    assert not db.serve(None, base).notes
    r = P.ingest([big], AS_OF, base=base, wait=5)
    assert r.outcome in ("published", "unchanged") and leftovers(base) == []
    assert ids_in_file(big) - current_participants(base) == set()  # rows lost: 0


# --- 2. two publishes at once ----------------------------------------------------------------------------


def test_two_months_at_once_the_newer_builds_on_the_older(base, tmp_path):
    aug1 = enrollments_csv(tmp_path / "kepesertaan_1agustus.csv", "A", 3000)
    aug31 = enrollments_csv(tmp_path / "kepesertaan_31agustus.csv", "B", 3000)
    first = subprocess.Popen(ingest_cmd([aug1], AS_OF, "--wait", "600"), cwd=ROOT, env=env(base),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: writer_lock.read_holder(base) is not None or first.poll() is not None, what="the first lock")
    second = subprocess.Popen(ingest_cmd([aug31], date(2018, 8, 31), "--wait", "600"), cwd=ROOT, env=env(base),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out1, out2 = first.communicate(timeout=900), second.communicate(timeout=900)
    assert first.returncode == 0 and second.returncode == 0, (out1, out2)
    assert snapshots.current_id(base) == "2018-08-31"  # the newer month, and it holds the older one's rows
    rows_lost = (ids_in_file(aug1) | ids_in_file(aug31)) - current_participants(base)
    assert rows_lost == set()
    assert snapshots.find("2018-08-31", base).manifest["ingest"]["base"] == "2018-08-01"


def test_an_older_month_after_a_newer_one_is_refused_not_lost(base, tmp_path):
    aug31 = enrollments_csv(tmp_path / "kepesertaan_31agustus.csv", "B", 50)
    aug1 = enrollments_csv(tmp_path / "kepesertaan_1agustus.csv", "A", 50)
    assert P.ingest([aug31], date(2018, 8, 31), base=base).outcome == "published"
    r = run(ingest_cmd([aug1], AS_OF), base)
    assert r.returncode == 1
    assert "2018-08-31" in r.stdout and "tidak akan masuk ke snapshot yang ditayangkan" in r.stdout
    assert snapshots.current_id(base) == "2018-08-31" and [s.id for s in snapshots.published(base)] == \
        ["2018-07-31", "2018-08-31"]
    # on purpose, with --base: a back-dated snapshot that does not become current
    r = P.ingest([aug1], AS_OF, base=base, base_id="2018-07-31")
    assert r.outcome == "published" and not r.made_current and snapshots.current_id(base) == "2018-08-31"


def test_same_month_at_once_both_publish_and_the_second_holds_both(base, tmp_path):
    a = enrollments_csv(tmp_path / "kepesertaan_cabang_a.csv", "A", 2000)
    b = enrollments_csv(tmp_path / "kepesertaan_cabang_b.csv", "B", 2000)
    procs = [subprocess.Popen(ingest_cmd([f], AS_OF, "--wait", "600"), cwd=ROOT, env=env(base),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in (a, b)]
    outs = [p.communicate(timeout=900) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    ids = sorted(s.id for s in snapshots.published(base))
    assert ids == ["2018-07-31", "2018-08-01", "2018-08-01-2"]  # no OSError, no overwrite
    assert snapshots.current_id(base) == "2018-08-01-2"
    assert (ids_in_file(a) | ids_in_file(b)) - current_participants(base) == set()  # rows lost: 0


# --- 3. the lock -----------------------------------------------------------------------------------------

HOLD = """
import sys, time
from desasadar import writer_lock
with writer_lock.hold(who="petugas:budi"):
    print("held", flush=True)
    time.sleep(600)
"""


def test_a_held_lock_refuses_with_who_and_since_and_a_dead_holder_is_broken(base):
    holder = subprocess.Popen([sys.executable, "-c", HOLD], cwd=ROOT, env=env(base), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        r = run(ingest_cmd(GOOD, AS_OF, "--wait", "1"), base)
        assert r.returncode == 75
        assert "petugas:budi" in r.stdout and f"pid {holder.pid}" in r.stdout and "sejak" in r.stdout
        rep = P.ingest(GOOD, AS_OF, base=base, wait=0.5)
        assert rep.outcome == "failed" and "Another publish is running" in rep.error_text("en")
        assert snapshots.current_id(base) == "2018-07-31"
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    rep = P.ingest(GOOD, AS_OF, base=base, wait=5)  # same machine, pid dead: the lock is stale
    assert rep.outcome == "published" and writer_lock.read_holder(base) is None


def _foreign_lock(base: Path, age: float) -> None:
    info = {"host": "replika-2", "boot": "x", "pidns": 1, "pid": 4242, "who": "petugas:sari", "token": "t0",
            "since": "2026-12-01T08:00:00+00:00"}
    (base / writer_lock.LOCK_NAME).write_text(json.dumps(info))
    t = time.time() - age
    os.utime(base / writer_lock.LOCK_NAME, (t, t))


def test_another_machines_lock_is_respected_while_its_heartbeat_moves(base, monkeypatch):
    _foreign_lock(base, age=1)
    rep = P.ingest(GOOD, AS_OF, base=base, wait=0.5)
    assert rep.outcome == "failed" and "replika-2" in rep.error_text("id") and "petugas:sari" in rep.error_text("id")
    _foreign_lock(base, age=writer_lock.STALE_AGE + 60)  # no heartbeat for long: that writer is gone
    assert P.ingest(GOOD, AS_OF, base=base, wait=5).outcome == "published"


def test_a_heartbeat_that_stops_moving_is_stale_on_our_own_clock(base, monkeypatch):
    monkeypatch.setattr(writer_lock, "STALE", 0.5)
    _foreign_lock(base, age=1)  # recent by the wall clock, but it never moves again
    with writer_lock.hold(base, wait=5) as lock:
        assert lock.holder.token == lock.token


def test_breaking_removes_only_the_stale_lock_it_judged(base):
    _foreign_lock(base, age=writer_lock.STALE_AGE + 60)
    stale = writer_lock.read_holder(base)
    (base / writer_lock.LOCK_NAME).unlink()
    with writer_lock.hold(base, who="fresh") as fresh:  # someone else broke it and took it meanwhile
        writer_lock.WriterLock(base, "late breaker")._break(stale, writer_lock._Watch())
        assert writer_lock.read_holder(base).token == fresh.token
        fresh.check()


def test_a_writer_whose_lock_was_taken_over_does_not_move_current(base, monkeypatch):
    real = snapshots._step

    def takeover(name):
        real(name)
        if name == "swap":  # another writer judged us dead and took the lock
            (base / writer_lock.LOCK_NAME).unlink()
            _foreign_lock(base, age=0)

    monkeypatch.setattr(snapshots, "_step", takeover)
    rep = P.ingest(GOOD, AS_OF, base=base, wait=5)
    assert rep.outcome == "failed" and rep.error.reason == "lock_lost"
    assert snapshots.current_id(base) == "2018-07-31" and [s.id for s in snapshots.published(base)] == ["2018-07-31"]


def test_current_moves_only_by_compare_and_swap(base):
    from .helpers import publish
    from .ingest_world import base_enrollments, base_villages

    with pytest.raises(snapshots.CurrentMoved):
        publish(base, date(2018, 8, 1), base_villages(), base_enrollments(), expect_current="2018-06-30")
    assert snapshots.current_id(base) == "2018-07-31" and not (base / "snapshots" / "2018-08-01").exists()


def test_a_folder_of_the_same_name_appearing_is_a_clear_error_not_an_oserror(base, monkeypatch):
    from .helpers import publish
    from .ingest_world import base_enrollments, base_villages

    real = snapshots._step

    def squatter(name):
        real(name)
        if name == "rename":
            (base / "snapshots" / "2018-08-01" / "x").mkdir(parents=True)

    monkeypatch.setattr(snapshots, "_step", squatter)
    with pytest.raises(snapshots.SnapshotError) as err:
        publish(base, date(2018, 8, 1), base_villages(), base_enrollments())
    assert err.value.reason == "exists" and "sudah ada" in err.value.text("id")


# --- 4. damage is caught before it spreads ---------------------------------------------------------------


def _flip_byte(p: Path) -> None:
    data = bytearray(p.read_bytes())
    data[len(data) // 2] ^= 0xFF
    st = p.stat()
    p.write_bytes(bytes(data))
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, inode and mtime: only sha256 tells (fresh cache)


@pytest.mark.parametrize("damage", ["truncate_raw", "flip_raw", "broken_manifest"])
def test_publishing_on_a_damaged_current_is_refused_naming_the_file_and_the_way_out(base, damage):
    from .helpers import publish
    from .ingest_world import base_enrollments, base_villages

    publish(base, date(2018, 7, 30), base_villages(), base_enrollments())  # an older intact one
    snapshots.set_current("2018-07-31", base)
    snap = base / "snapshots" / "2018-07-31"
    if damage == "truncate_raw":
        p = snap / "enrollments.parquet"
        p.write_bytes(p.read_bytes()[:-100])
    elif damage == "flip_raw":
        snapshots._verified.clear()
        _flip_byte(snap / "villages.parquet")
    else:
        (snap / "manifest.json").write_text('{"id": "2018-07-31", "as_of": ')
    served = db.serve(None, base)
    assert served.id == "2018-07-30" and len(served.notes) == 1  # the note, in the UI language
    note_id, note_en = served.notes[0].text("id"), served.notes[0].text("en")
    assert "2018-07-31" in note_id and "rusak" in note_id
    assert "damaged" in note_en or "manifest is broken" in note_en
    rep = P.ingest(GOOD, AS_OF, base=base)
    assert rep.outcome == "failed" and snapshots.current_id(base) == "2018-07-31"
    text = rep.error_text("id")
    assert "rollback 2018-07-30" in text and "--base 2018-07-30" in text
    if damage != "broken_manifest":
        assert ("enrollments.parquet" if damage == "truncate_raw" else "villages.parquet") in text
    assert [s.id for s in snapshots.published(base) if s.id.startswith("2018-08")] == []
    # recovery: an explicit intact base
    rep = P.ingest(GOOD, AS_OF, base=base, base_id="2018-07-30")
    assert rep.outcome == "published" and rep.made_current and rep.base == "2018-07-30"


def test_every_file_the_manifest_lists_is_verified_also_a_step_added_later(base, monkeypatch):
    """A build step (as #17's served.duckdb will be) adds a file: it is listed and verified."""
    def extra_step(b: snapshots.Build):
        b.con.execute(f"copy (select count(*) as n from villages) to {snapshots.quote(b.folder / 'served_extra.parquet')} "
                      "(format parquet)")

    monkeypatch.setattr(snapshots, "BUILD_STEPS", snapshots.BUILD_STEPS + [("served", extra_step)])
    r = P.ingest(GOOD, AS_OF, base=base)
    snap = snapshots.find(r.snapshot_id, base)
    assert set(snap.manifest["files"]) == set(snapshots.FILES) | {"served.duckdb", "served_extra.parquet"}
    assert snapshots.damage(snap) == []
    _flip_byte(snap.path / "served_extra.parquet")
    snapshots._verified.clear()
    assert [str(d) for d in snapshots.damage(snap)] == ["served_extra.parquet: checksum does not match the manifest"]


def test_verification_hashes_each_file_once_per_identity(base, monkeypatch):
    snap = snapshots.find("2018-07-31", base)
    snapshots._verified.clear()
    calls = []
    real = snapshots.sha256
    monkeypatch.setattr(snapshots, "sha256", lambda p: calls.append(Path(p).name) or real(p))
    db.serve(None, base)
    db.serve(None, base)
    assert sorted(calls) == sorted(snap.manifest["files"])  # every listed file, raw and derived, once
    os.utime(snap.path / "facts_desa.parquet")  # touched: hashed again
    db.serve(None, base)
    assert calls.count("facts_desa.parquet") == 2


# --- 5. truncated and malformed files are refused whole --------------------------------------------------


def _cut(tmp_path: Path, n_rows: int, keep_chars_of_last: int) -> Path:
    full = enrollments_csv(tmp_path / "full.csv", "T", n_rows).read_text()
    lines = full.splitlines(keepends=True)
    cut = "".join(lines[:-1]) + lines[-1][:keep_chars_of_last]
    p = tmp_path / "kepesertaan_terpotong.csv"
    p.write_text(cut)
    return p


@pytest.mark.parametrize("keep, why", [(25, "fewer fields"), (86, "cut inside the last field")])
def test_a_csv_cut_off_mid_row_is_refused_whole(base, tmp_path, keep, why):
    p = _cut(tmp_path, 5000, keep)
    before = current_participants(base)
    r = P.ingest([p], AS_OF, base=base)
    assert r.outcome == "rejected" and list(r.blocking["reason"]) == ["file_truncated"], why
    assert "5001" in R.message("file_truncated", r.blocking["detail"].iloc[0], "id")
    assert "Berkas terpotong" in "\n".join(r.lines("id"))
    assert snapshots.current_id(base) == "2018-07-31" and current_participants(base) == before


def test_a_csv_without_a_final_line_end_but_whole_is_accepted(base, tmp_path):
    p = tmp_path / "kepesertaan.csv"
    p.write_text(enrollments_csv(tmp_path / "x.csv", "W", 10).read_text().rstrip("\n"))
    r = P.ingest([p], AS_OF, base=base)
    assert r.outcome == "published" and ids_in_file(p) <= current_participants(base)


def test_rows_with_fewer_fields_than_the_header_refuse_the_file(base, tmp_path):
    p = enrollments_csv(tmp_path / "kepesertaan.csv", "F", 20)
    lines = p.read_text().splitlines(keepends=True)
    lines[5] = ",".join(lines[5].split(",")[:7]) + "\n"  # a row lost its last five fields
    p.write_text("".join(lines))
    r = P.ingest([p], AS_OF, base=base)
    assert r.outcome == "rejected" and list(r.blocking["reason"]) == ["field_count_mismatch"]
    msg = R.message("field_count_mismatch", r.blocking["detail"].iloc[0], "id")
    assert "baris 6: 7 kolom, baris judul 12 kolom" in msg


def test_the_size_limit_is_written_in_mb_as_the_upload_limit_states_it(base, tmp_path):
    p = enrollments_csv(tmp_path / "kepesertaan.csv", "S", 10)
    r = P.ingest([p], AS_OF, base=base, max_bytes=500)
    assert r.outcome == "rejected" and list(r.blocking["reason"]) == ["file_too_large"]
    assert r.blocking["detail"].iloc[0] == f"{p.stat().st_size}/500"
    assert R.message("file_too_large", f"{60 * 1024 * 1024}/{50 * 1024 * 1024}", "id").startswith(
        "Berkas terlalu besar (60,0 MB > 50 MB)")
    assert "(60.0 MB > 50 MB)" in R.message("file_too_large", f"{60 * 1024 * 1024}/{50 * 1024 * 1024}", "en")


# --- 6. leftovers, storage refusals, published-but ---------------------------------------------------------


def test_leftovers_of_gone_writers_are_cleaned_at_start_but_not_while_a_writer_works(base):
    (base / "snapshots" / ".tmp-2018-08-01-deadbeef").mkdir()
    (base / ".CURRENT.abc").write_text("2018-08-01\n")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stage = Path(tempfile.gettempdir()) / f"desasadar-ingest-{socket.gethostname()}-{dead.stdout.strip()}-x1"
    stage.mkdir()
    mine = snapshots.temp_dir("desasadar-upload-")  # this process is alive: kept
    with writer_lock.hold(base, who="another writer"):
        import threading

        out = []
        t = threading.Thread(target=lambda: out.append(snapshots.clean_at_start(base)))
        t.start()
        t.join()
        assert (base / "snapshots" / ".tmp-2018-08-01-deadbeef").exists()  # a writer is at work: left alone
        assert out == [[stage.name]] and not stage.exists()  # but a dead process's temp folder goes
    removed = snapshots.clean_at_start(base)
    assert ".CURRENT.abc" in removed and "snapshots/.tmp-2018-08-01-deadbeef" in removed
    assert mine.exists() and leftovers(base) == [mine.name]
    shutil.rmtree(mine)


def _unshare_ok() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "-rm", "true"], capture_output=True).returncode == 0


needs_mounts = pytest.mark.skipif(not _unshare_ok(), reason="needs unshare -rm (a private mount namespace)")


@needs_mounts
def test_a_full_disk_gives_a_clear_message_and_publishes_nothing(base, tmp_path):
    """A real full file system: a small tmpfs holding the data folder, in a private namespace."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = f"""
set -e
mount -t tmpfs -o size=16m tmpfs {mnt}
cp -a {base} {mnt}/data
mkdir {mnt}/tmp
dd if=/dev/zero of={mnt}/filler bs=64k 2>/dev/null || true
rm {mnt}/filler && dd if=/dev/zero of={mnt}/filler bs=64k count=$(( $(df -k --output=avail {mnt} | tail -1) / 64 - 4 )) 2>/dev/null
set +e
DSJS_DATA_DIR={mnt}/data TMPDIR={mnt}/tmp {sys.executable} -m desasadar ingest {' '.join(map(str, GOOD))} --as-of 2018-08-01 --quiet
echo "exit=$?"
echo "current=$(cat {mnt}/data/CURRENT)"
ls -a {mnt}/data/snapshots {mnt}/tmp
"""
    r = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=ROOT, env=env(base), capture_output=True, text=True,
                       timeout=900)
    out = r.stdout
    assert "exit=1" in out and "current=2018-07-31" in out, out + r.stderr
    assert "Disk penuh" in out and "Traceback" not in out + r.stderr
    listing = out.split("current=2018-07-31", 1)[1]
    assert ".tmp-" not in listing and "2018-08-01" not in listing and "desasadar-ingest" not in listing


@needs_mounts
def test_a_read_only_folder_gives_a_clear_message_for_rollback_and_publish(base):
    from .helpers import publish
    from .ingest_world import base_enrollments, base_villages

    publish(base, date(2018, 7, 30), base_villages(), base_enrollments(), make_current=False)
    py = sys.executable
    script = f"""
mount --bind -o ro {base} {base}
{py} -m desasadar rollback 2018-07-30; echo "rollback_exit=$?"
{py} -m desasadar ingest {' '.join(map(str, GOOD))} --as-of 2018-08-01 --quiet --lang en; echo "ingest_exit=$?"
"""
    r = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=ROOT, env=env(base), capture_output=True,
                       text=True, timeout=900)
    both = r.stdout + r.stderr
    assert "rollback_exit=1" in both and "ingest_exit=1" in both, both
    assert "hanya-baca" in r.stderr and "read-only on this machine" in r.stdout and "Traceback" not in both
    assert snapshots.current_id(base) == "2018-07-31"


def test_an_audit_log_that_cannot_be_written_after_the_swap_is_published_but(base):
    (base / "audit").write_text("not a folder")  # the audit log cannot be created
    r = run(ingest_cmd(GOOD, AS_OF), base)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "diterbitkan sebagai snapshot 2018-08-01" in r.stdout and "DITERBITKAN, TETAPI: catatan audit" in r.stdout
    assert snapshots.current_id(base) == "2018-08-01" and "Traceback" not in r.stderr
    r = run([sys.executable, "-m", "desasadar", "rollback", "2018-07-31"], base)
    assert r.returncode == 3 and "catatan audit" in r.stderr and snapshots.current_id(base) == "2018-07-31"


@pytest.mark.parametrize("lang, words", [("id", "rusak dan tidak ditampilkan"), ("en", "is damaged and not shown")])
def test_pages_show_the_damage_note_in_the_ui_language(base, lang, words, monkeypatch):
    from .conftest import app
    from .helpers import publish
    from .ingest_world import base_enrollments, base_villages

    publish(base, date(2018, 8, 1), base_villages(), base_enrollments())
    p = base / "snapshots" / "2018-08-01" / "facts_rincian.parquet"
    p.write_bytes(p.read_bytes()[:-10])
    monkeypatch.setenv("DSJS_DATA_DIR", str(base))
    at = app(lang=lang).run()
    assert not at.exception, at.exception
    notes = " | ".join(i.value for i in at.info)
    assert "2018-08-01" in notes and words in notes and "facts_rincian.parquet" in notes
    assert at.session_state["_ctx"].served.id == "2018-07-31"
