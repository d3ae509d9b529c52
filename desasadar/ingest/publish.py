"""Branch files -> checked rows -> a new snapshot through the normal atomic publish.

    report = ingest([Path("status_desa_kc.xlsx"), Path("kepesertaan_kc.csv")], date(2018, 9, 30))

The new snapshot builds on a base snapshot: CURRENT when its as-of date is not later than
the new one, else the newest snapshot up to that date. Villages not reported carry forward
from the base, and so do participants (a report updates or adds participants by id; one who
leaves is reported with aktif = tidak). Rejected rows go to quarantine/ beside the snapshot
with their reasons; the original files to sources/ (sha256 in the manifest).

Nothing is published when a file cannot be used, when a table's rejected share exceeds
`max_rejected`, or when there is no data; the report says why. The same files with the same
as-of date give the same snapshot. The snapshot id is the as-of date, or date-2, date-3 ...
when another snapshot of that date holds other data.
"""
from __future__ import annotations

import getpass
import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import audit, fmt, offices, paths, snapshots, writer_lock
from ..scope import Scope
from . import checks, columns as C, kantor, permission, readers
from .report import FileSummary, Report, empty_problems, to_csv

DEFAULT_MAX_REJECTED = 0.05
QUARANTINE = "quarantine"
SOURCES = "sources"
Progress = Callable[[str, str, int, int], None]  # (file or stage, label, done, total)


@dataclass
class Input:
    """A file to ingest and the name to report it under (uploads keep their original name)."""
    path: Path
    name: str


def _inputs(files: Iterable) -> list[Input]:
    out = []
    for f in files:
        if isinstance(f, Input):
            out.append(f)
        elif isinstance(f, tuple):
            out.append(Input(Path(f[0]), str(f[1])))
        else:
            out.append(Input(Path(f), Path(f).name))
    return out


# --- base snapshot ------------------------------------------------------------------------------


@dataclass
class Base:
    """What a new snapshot builds on, chosen under the writer lock."""
    snapshot: snapshots.Snapshot | None
    pointer: str | None  # CURRENT as read when choosing (compare-and-swap expects it unchanged)
    make_current: bool


def choose_base(as_of: date, base: Path | None = None, explicit: str | None = None) -> Base:
    """The snapshot new data builds on: CURRENT, verified intact (every file of its manifest).

    Refused (SnapshotError) when CURRENT is damaged or unreadable (the damage would spread),
    or newer than `as_of` (the data would not reach the snapshot being served). `explicit`
    (--base) builds on that intact snapshot instead; the result is made current only if it
    is not older than CURRENT. With no CURRENT at all: the newest snapshot up to `as_of`.
    """
    pointer = snapshots.pointer_text(base)
    snaps = snapshots.published(base)
    by_id = {s.id: s for s in snaps}
    cur = by_id.get(pointer or "")

    def intact() -> list[snapshots.Snapshot]:  # hashes every snapshot once: only on the way to a refusal
        return [s for s in snaps if not snapshots.damage(s)]

    def good_hint(exclude: str | None) -> str:
        ok = [s for s in intact() if s.id != exclude and s.as_of <= as_of]
        return ok[-1].id if ok else "–"

    if explicit:
        chosen = by_id.get(explicit)
        if chosen is None or snapshots.damage(chosen):
            raise snapshots.SnapshotError(f"base snapshot {explicit!r} does not exist or is damaged", "base_not_found",
                                          id=explicit, ids=", ".join(s.id for s in intact()[-8:]) or "–")
        if chosen.as_of > as_of:
            raise snapshots.SnapshotError(f"base snapshot {explicit} is newer than {as_of}", "base_too_new", id=explicit,
                                          base_date=lambda lang, d=chosen.as_of: fmt.date_medium(d, lang),
                                          as_of=lambda lang: fmt.date_medium(as_of, lang))
        return Base(chosen, pointer, cur is None or bool(snapshots.damage(cur)) or cur.as_of <= as_of)
    if pointer is None:
        older = [s for s in snaps if s.as_of <= as_of]
        if not older:
            return Base(None, None, True)
        top = max(s.as_of for s in older)
        chosen = max([s for s in older if s.as_of == top], key=lambda s: (s.manifest.get("created_at", ""), _suffix(s.id)))
        _refuse_damaged(chosen, good_hint(chosen.id))
        return Base(chosen, None, True)
    if cur is None:
        raise snapshots.BaseDamaged(f"CURRENT names {pointer!r}, which is missing or has a broken manifest",
                                    "current_unreadable", id=pointer, good=good_hint(pointer))
    _refuse_damaged(cur, good_hint(cur.id))
    if cur.as_of > as_of:
        raise snapshots.SnapshotError(
            f"CURRENT {cur.id} (as of {cur.as_of}) is newer than {as_of}: the data would not reach it", "back_dated",
            current=cur.id, current_date=lambda lang, d=cur.as_of: fmt.date_medium(d, lang),
            as_of=lambda lang: fmt.date_medium(as_of, lang))
    return Base(cur, pointer, True)


def _refuse_damaged(snap: snapshots.Snapshot, good: str) -> None:
    if bad := snapshots.damage(snap):
        raise snapshots.BaseDamaged(f"base snapshot {snap.id} is damaged: {'; '.join(map(str, bad))}", "base_damaged",
                                    id=snap.id, good=good, problems=lambda lang: "; ".join(d.text(lang) for d in bad))


def base_snapshot(as_of: date, base: Path | None = None) -> snapshots.Snapshot | None:
    """The snapshot new data builds on (see choose_base), or None when it would be refused."""
    try:
        return choose_base(as_of, base).snapshot
    except snapshots.SnapshotError:
        return None


def _suffix(sid: str) -> int:
    m = re.search(r"-(\d+)$", sid[10:])
    return int(m[1]) if m else 1


# --- ingest ------------------------------------------------------------------------------------


def ingest(files: Iterable, as_of: date, *, base: Path | None = None, max_rejected: float = DEFAULT_MAX_REJECTED,
           max_bytes: int | None = None, publish: bool = True, demo: bool = False,
           progress: Progress | None = None, who: str | None = None, scope: Scope | None = None,
           base_id: str | None = None, wait: float | None = None) -> Report:
    """Read, check and (if `publish` and nothing blocks) publish. Never raises for bad input.

    `scope`: a data officer's scope; rows outside it block the publish (ingest/permission.py).
    None (the command line) or a national scope may publish anything.
    Reading needs no lock; with `publish`, the writer lock is held from choosing the base
    (`base_id`: an explicit one) to moving CURRENT, waiting up to `wait` s for it."""
    base = base or paths.data_dir()
    who = who or _os_user()
    inputs = _inputs(files)
    report = Report(as_of, None, max_rejected)
    reads, file_problems, notes = _read_all(inputs, report, max_bytes, progress)
    if not publish:
        try:
            chosen = choose_base(as_of, base, base_id)
        except snapshots.SnapshotError as e:
            chosen = Base(None, None, False)
            report.error = e
            file_problems = file_problems + [_refusal(e)]
        _check(report, reads, file_problems, notes, chosen.snapshot, as_of, max_rejected, progress, scope)
        return report
    try:
        with writer_lock.hold(base, who, wait):
            snapshots.clean_leftovers(base)  # what writers that are gone left, whatever this run ends in
            chosen = choose_base(as_of, base, base_id)
            _check(report, reads, file_problems, notes, chosen.snapshot, as_of, max_rejected, progress, scope)
            if report.ok:
                _publish(report, reads, report._tables, chosen, as_of, base, demo, progress)
    except Exception as e:  # a refusal or a crash while publishing: nothing was published (see _publish)
        if report.outcome == "published" and snapshots.current_id(base) == report.snapshot_id:
            report.after.append(_after("publish_cleanup", e))
        else:
            report.outcome, report.snapshot_id, report.made_current = ("failed" if report.ok else "rejected"), None, False
            report.error = e if isinstance(e, snapshots.SnapshotError) else (
                snapshots.as_storage_error(e, base) or snapshots.SnapshotError(f"{type(e).__name__}: {e}"))
            report.problems = pd.concat([report.problems, pd.DataFrame([_refusal(report.error)])], ignore_index=True)
    if report.outcome == "published":
        try:
            audit.record("publish", who, base=base, snapshot=report.snapshot_id, as_of=as_of.isoformat(),
                         files=[i.name for i in inputs], rejected=report.rejected)
        except Exception as e:  # published and served already: say so, and that the audit failed
            report.after.append(_after("audit_failed", e))
    return report


def _refusal(e: snapshots.SnapshotError) -> dict:
    return dict(file="", sheet=None, row=None, column="", value="", reason="publish_failed",
                detail=str(e), level="table")


def _after(reason: str, e: Exception) -> dict:
    return {"reason": reason, "detail": f"{type(e).__name__}: {e}"}


def _read_all(inputs: list[Input], report: Report, max_bytes, progress):
    notes: list[dict] = []
    file_problems: list[dict] = []
    reads: list[readers.FileRead] = []
    seen: dict[str, str] = {}
    for inp in inputs:
        cb = (lambda label, done, total, name=inp.name: progress(name, label, done, total)) if progress else None
        fr = readers.read_file(inp.path, inp.name, max_bytes=max_bytes, progress=cb)
        fr.source = inp.path  # type: ignore[attr-defined]
        summary = FileSummary(fr.name, fr.format, fr.size, fr.sha256, fr.encoding, fr.delimiter,
                              sorted({p.kind for p in fr.parts}), fr.rows, blank_rows=fr.blank_rows,
                              usable=not fr.problems)
        report.files.append(summary)
        if fr.sha256 in seen and not fr.problems:
            notes.append(dict(file=fr.name, sheet=None, row=None, column="", value="", reason="duplicate_file",
                              detail=seen[fr.sha256], level="note"))
            summary.usable, summary.rows = False, 0
            continue
        seen.setdefault(fr.sha256, fr.name)
        file_problems += fr.problems
        notes += fr.notes
        if fr.blank_rows:
            notes.append(dict(file=fr.name, sheet=None, row=None, column="", value=str(fr.blank_rows),
                              reason="blank_rows_skipped", detail=str(fr.blank_rows), level="note"))
        reads.append(fr)
    return reads, file_problems, notes


def _check(report: Report, reads, file_problems, notes, prev: snapshots.Snapshot | None, as_of: date,
           max_rejected: float, progress, scope: Scope | None = None) -> None:
    """Row checks against the base snapshot; fills the report (outcome 'rejected' when blocked)."""
    report.base = prev.id if prev else None
    if progress:
        progress("", "check", 0, 1)
    parts = {k: [p for fr in reads for p in fr.parts] for k in C.REPORTS}
    tables = {k: checks.combine(spec, [p for p in parts[k] if p.kind == k]) for k, spec in C.REPORTS.items()}
    prev_v = _prev_villages(prev)
    tv, te, tk = tables["status_desa"], tables["kepesertaan"], tables[kantor.KIND]
    # the office structure rows are checked against: an office list loaded now, else the base's
    loaded = kantor.check(tk) if len(tk) else None
    structure = loaded or offices.of_snapshot(prev)
    with offices.using(structure):
        checks.check_villages(tv, as_of, prev_v)
        v_ok = ~tv.rejected()
        codes = pd.Index(tv.typed["kode_desa"][v_ok].dropna().unique())
        if prev_v is not None:
            codes = codes.union(pd.Index(prev_v["village_code"]))
        checks.check_enrollments(te, as_of, codes)
        outside_scope = permission.restrict(scope, tables)
    outside_scope += kantor.table_problems(tk, loaded, scope is None or scope.all)
    report._structure, report._loaded = structure, loaded
    if progress:
        progress("", "check", 1, 1)

    file_problems = file_problems + _cut_last_rows(reads, tables)
    row_frames = []
    for kind, t in tables.items():
        rej = t.rejected()
        n, r = len(t), int(rej.sum())
        report.tables[kind] = {"rows": n, "accepted": n - r, "rejected": r, "share": (r / n) if n else 0.0}
        row_frames.append(_row_problems(t))
        per_file = pd.DataFrame({"file": t.file, "rej": rej})
        for f in report.files:
            sel = per_file[per_file["file"] == f.name]
            if len(sel):
                f.rejected += int(sel["rej"].sum())
                f.accepted += int((~sel["rej"]).sum())
    table_problems = []
    for kind, info in report.tables.items():
        if info["rows"] and info["share"] > max_rejected:
            table_problems.append(dict(file="", sheet=None, row=None, column="", value=i18n_kind(kind),
                                       reason="too_many_rejected",
                                       detail=f"{info['rejected']}/{info['rows']} > {max_rejected * 100:g}%", level="table"))
    table_problems += outside_scope
    if report.rows == 0 and not file_problems:
        table_problems.append(dict(file="", sheet=None, row=None, column="", value="", reason="no_data",
                                   detail="", level="table"))
    report.problems = _problems(file_problems + table_problems + notes, row_frames)
    report._tables = tables
    if not report.ok:
        report.outcome = "rejected"


def _cut_last_rows(reads: list[readers.FileRead], tables: dict[str, checks.Table]) -> list[dict]:
    """A CSV whose last line has no line end and does not pass the checks was cut off mid-row
    (an interrupted upload or copy): the rest of the file is missing, so it is refused whole."""
    out = []
    for fr in reads:
        if fr.open_end_row is None:
            continue
        for t in tables.values():
            hit = (t.file == fr.name) & (t.row == fr.open_end_row)
            if hit.any() and t.rejected()[hit].any():
                out.append(dict(file=fr.name, sheet=None, row=fr.open_end_row, column="", value="",
                                reason="file_truncated", detail=str(fr.open_end_row), level="file"))
                break
    return out


def i18n_kind(kind: str) -> str:
    return C.REPORTS[kind].title_id


def _prev_villages(prev: snapshots.Snapshot | None) -> pd.DataFrame | None:
    if prev is None:
        return None
    cols = ["village_code", "status", "proposed_on", "verified_on", "certified_on", "revoked_on"]
    df = pq.read_table(prev.path / "villages.parquet", columns=cols).to_pandas()
    for c in ("village_code", "status"):
        df[c] = df[c].astype(str)
    return df


def _row_problems(t: checks.Table) -> pd.DataFrame:
    p = t.problem_frame()
    if p.empty:
        return empty_problems()
    pos = p["pos"].to_numpy()
    value = np.empty(len(p), dtype=object)
    for col, idx in p.groupby("column", sort=False).indices.items():
        if col in t.raw.columns:
            value[idx] = t.raw[col].to_numpy()[pos[idx]]
        else:
            value[idx] = ""
    extra = (p["reason"] == "extra_cells").to_numpy()
    value[extra] = p["detail"].to_numpy()[extra]
    return pd.DataFrame({
        "file": t.file[pos], "sheet": t.sheet[pos], "row": t.row[pos], "column": p["column"].to_numpy(),
        "value": value, "reason": p["reason"].to_numpy(), "detail": p["detail"].fillna("").astype(str).to_numpy(),
        "level": "row", "_kind": t.spec.kind, "_pos": pos,
    })


def _problems(items: list[dict], frames: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [pd.DataFrame(items)] if items else []
    parts += [f.drop(columns=["_kind", "_pos"], errors="ignore") for f in frames if len(f)]
    if not parts:
        return empty_problems()
    df = pd.concat(parts, ignore_index=True)
    for c in ("file", "column", "value", "reason", "detail", "level"):
        df[c] = df[c].fillna("").astype(object)
    df["row"] = df["row"].astype("Int64")
    order = df["level"].map({"file": 0, "table": 1, "row": 2, "note": 3})
    return df.assign(_o=order).sort_values(["_o", "file", "sheet", "row"], kind="stable", na_position="first") \
        .drop(columns="_o").reset_index(drop=True)[["file", "sheet", "row", "column", "value", "reason", "detail", "level"]]


# --- building the raw tables -------------------------------------------------------------------


def _arrow_villages(t: checks.Table, keep: np.ndarray) -> pa.Table:
    d = t.typed[keep]
    region_of = offices.active().region_of()
    cols = {
        "village_code": pa.array(d["kode_desa"].astype(str).to_numpy(), pa.string()),
        "branch_code": pa.array(d["kode_cabang"].astype(str).to_numpy(), pa.string()),
        "region_code": pa.array(d["kode_cabang"].map(region_of).astype(str).to_numpy(), pa.string()),
        "status": pa.array(d["status_program"].astype(str).to_numpy(), pa.string()),
    }
    for step, col in checks.DATE_COLS.items():
        cols[f"{step}_on"] = pa.array(d[col]).cast(pa.date32())
    for field, col in (("head_enrolled", "kepala_desa_terdaftar"), ("agent_appointed", "agen_ditunjuk"),
                       ("village_regulation", "perdes_jaminan_sosial")):
        cols[field] = pa.array(d[col].fillna(False).to_numpy(dtype=bool))
    for field, col in (("officials_total", "jumlah_perangkat_desa"), ("officials_enrolled", "perangkat_desa_terdaftar"),
                       ("workforce_estimate", "estimasi_angkatan_kerja")):
        cols[field] = pa.array(d[col].fillna(0).to_numpy(dtype=np.int64)).cast(pa.int32())
    return pa.table(cols).select(C.VILLAGE_SCHEMA.names).cast(C.VILLAGE_SCHEMA)


def _arrow_enrollments(t: checks.Table, keep: np.ndarray) -> pa.Table:
    d = t.typed[keep]
    cols = {
        "participant_id": pa.array(d["id_peserta"].astype(str).to_numpy(), pa.string()),
        "village_code": pa.array(d["kode_desa"].astype(str).to_numpy(), pa.string()),
        "segment": pa.array(d["segmen"].astype(str).to_numpy(), pa.string()),
        "occupation": pa.array(d["pekerjaan"].astype(str).to_numpy(), pa.string()),
    }
    for p in ("jkk", "jkm", "jht", "jp"):
        cols[p] = pa.array(d[p].fillna(False).to_numpy(dtype=bool))
    cols["enrolled_on"] = pa.array(d["tanggal_daftar"]).cast(pa.date32())
    cols["paid_until"] = pa.array(d["iuran_sampai"]).cast(pa.date32())
    cols["active"] = pa.array(d["aktif"].fillna(False).to_numpy(dtype=bool))
    return pa.table(cols).select(C.ENROLLMENT_SCHEMA.names).cast(C.ENROLLMENT_SCHEMA)


def _merge(new: pa.Table, prev_file: Path | None, key: str, schema: pa.Schema, out: Path) -> tuple[int, int]:
    """Base rows whose key is not reported, plus the reported rows, sorted by key. -> (rows, carried)."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        con.register("new_rows", new)
        cols = ", ".join(f'"{n}"' for n in schema.names)
        if prev_file is not None:
            sql = (f"select {cols} from read_parquet({snapshots.quote(prev_file)}) where {key} not in "
                   f"(select {key} from new_rows) union all select {cols} from new_rows order by {key}")
            carried = con.execute(f"select count(*) from read_parquet({snapshots.quote(prev_file)}) "
                                  f"where {key} not in (select {key} from new_rows)").fetchall()[0][0]
        else:
            sql, carried = f"select {cols} from new_rows order by {key}", 0
        table = con.sql(sql).to_arrow_table()
    finally:
        con.close()
    table = pa.table([table.column(n).cast(schema.field(n).type) for n in schema.names], schema=schema)
    pq.write_table(table, out, compression="zstd", row_group_size=256_000)
    return table.num_rows, int(carried)


def _safe_name(name: str, taken: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._") or "file"
    out, k = stem, 2
    while out in taken:
        out, k = f"{k}_{stem}", k + 1
    taken.add(out)
    return out


def quarantine_frames(report: Report, tables: dict[str, checks.Table]) -> dict[str, pd.DataFrame]:
    """Rejected rows as written, with file, row and every reason (Indonesian and keys)."""
    out = {}
    msgs = report.messages("id")
    rowp = report.problems["level"] == "row"
    for kind, t in tables.items():
        rej = t.rejected()
        if not rej.any():
            continue
        pos = np.flatnonzero(rej)
        p = report.problems[rowp & report.problems["file"].isin(set(t.file[pos]))]
        key = p["file"].astype(str) + "\x00" + p["sheet"].fillna("").astype(str) + "\x00" + p["row"].astype(str)
        reasons = pd.DataFrame({"k": key, "m": msgs[p.index], "r": p["reason"], "c": p["column"]})
        joined = reasons.groupby("k", sort=False).agg(
            alasan=("m", lambda s: "; ".join(dict.fromkeys(s))), kode_alasan=("r", lambda s: ",".join(dict.fromkeys(s))))
        keys = pd.Series(t.file[pos]).astype(str) + "\x00" + pd.Series(t.sheet[pos]).fillna("").astype(str) + "\x00" \
            + pd.Series(t.row[pos]).astype(str)
        q = pd.DataFrame({"berkas": t.file[pos], "lembar": pd.Series(t.sheet[pos]).fillna("").to_numpy(), "baris": t.row[pos]})
        q["alasan"] = keys.map(joined["alasan"]).fillna("").to_numpy()
        q["kode_alasan"] = keys.map(joined["kode_alasan"]).fillna("").to_numpy()
        raw = t.raw.iloc[pos].reset_index(drop=True)
        out[kind] = pd.concat([q.reset_index(drop=True), raw], axis=1)
    return out


def _publish(report: Report, reads: list[readers.FileRead], tables: dict[str, checks.Table],
             chosen: Base, as_of: date, base: Path, demo: bool, progress) -> None:
    """Merge with the base and publish (the caller holds the writer lock)."""
    prev = chosen.snapshot
    stage = snapshots.temp_dir("desasadar-ingest-")
    root = paths.snapshots_dir(base)
    try:
        if progress:
            progress("", "publish", 0, 3)
        tv, te = tables["status_desa"], tables["kepesertaan"]
        structure = report._structure
        with offices.using(structure):
            new_v = _arrow_villages(tv, ~tv.rejected())
        rows_v, carried_v = _merge(new_v, prev.path / "villages.parquet" if prev else None,
                                   "village_code", C.VILLAGE_SCHEMA, stage / "villages.parquet")
        if report._loaded is not None:  # the agency's own list: every village to the branch serving its regency
            v = pq.read_table(stage / "villages.parquet").to_pandas()
            v = kantor.remap_villages(v, report._loaded)
            pq.write_table(pa.Table.from_pandas(v, schema=C.VILLAGE_SCHEMA, preserve_index=False),
                           stage / "villages.parquet", compression="zstd", row_group_size=256_000)
            report.tables[kantor.KIND].update(result_rows=len(report._loaded.cabang), carried=0)
        if structure.own:  # carried on by every snapshot built on it
            structure.write(stage)
        rows_e, carried_e = _merge(_arrow_enrollments(te, ~te.rejected()), prev.path / "enrollments.parquet" if prev else None,
                                   "participant_id", C.ENROLLMENT_SCHEMA, stage / "enrollments.parquet")
        report.tables["status_desa"].update(result_rows=rows_v, carried=carried_v)
        report.tables["kepesertaan"].update(result_rows=rows_e, carried=carried_e)
        # demo data stays labelled demo when any of it is carried into the new snapshot
        report.demo = demo or bool(prev and prev.is_demo and (carried_v or carried_e))
        if progress:
            progress("", "publish", 1, 3)
        digest = {n: snapshots.sha256(stage / n) for n in _raw_names(stage)}
        same_day = [s for s in snapshots.published(base) if s.as_of == as_of]
        for s in same_day:
            files = s.manifest.get("files", {})
            theirs = {n for n in (*snapshots.RAW_FILES, *offices.FILES) if n in files}
            if theirs == set(digest) and all(files[n].get("sha256") == digest[n] for n in digest):
                report.outcome, report.snapshot_id = "unchanged", s.id
                if chosen.make_current and s.id != chosen.pointer:
                    snapshots.set_current(s.id, base, expect=chosen.pointer)
                    report.made_current = True
                return
        make_current = chosen.make_current

        names: set[str] = set()
        stored = []
        for fr in reads:  # every file that was read and not a repeat of another
            fname = _safe_name(fr.name, names)
            summ = next(f for f in report.files if f.name == fr.name and f.sha256 == fr.sha256)
            summ.stored = f"{SOURCES}/{fname}"
            stored.append((fr, fname))
        quarantine = quarantine_frames(report, tables)
        q_files, q_rows = {}, {}
        for kind, df in quarantine.items():
            rel = f"{QUARANTINE}/ditolak_{kind}.csv"
            q_files[rel], q_rows[rel] = to_csv(df), len(df)
        if len(report.problems):
            rel = f"{QUARANTINE}/laporan_validasi.csv"
            q_files[rel], q_rows[rel] = report.csv("id"), len(report.problems)

        def extra(folder: Path) -> None:
            (folder / SOURCES).mkdir()
            for fr, fname in stored:
                shutil.copyfile(fr.source, folder / SOURCES / fname)
            if q_files:
                (folder / QUARANTINE).mkdir()
                for rel, data in q_files.items():
                    (folder / rel).write_bytes(data)

        sources = [dict(f.as_dict(), name=f.name) for f in report.files]
        report.outcome = "published"
        run = uuid.uuid4().hex  # marks the folder as this run's, so a failed run withdraws only its own
        manifest_extra = {"ingest": {
            **report.summary(), "run": run,
            "quarantine": {rel: {"sha256": _sha(data), "rows": int(q_rows[rel])} for rel, data in q_files.items()},
        }}
        if progress:
            progress("", "publish", 2, 3)
        for attempt in range(3):
            sid = _free_id(as_of, root, base)
            try:
                snap = snapshots.publish(sid, as_of, lambda folder: _copy_raw(stage, folder), base=base,
                                         demo=report.demo, sources=sources, make_current=make_current,
                                         extra_files=extra, manifest_extra=manifest_extra,
                                         expect_current=chosen.pointer)
            except snapshots.SnapshotError as e:
                if e.reason == "exists" and attempt < 2:
                    continue  # a folder of this name appeared meanwhile: the next id
                _failed(report, root, sid, run, base)
                raise
            except BaseException:
                _failed(report, root, sid, run, base)
                raise
            break
        report.snapshot_id = snap.id
        report.made_current = make_current
        if progress:
            progress("", "publish", 3, 3)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _raw_names(stage: Path) -> list[str]:
    """The raw tables, and the office list when the snapshot carries one (desasadar/offices.py)."""
    return list(snapshots.RAW_FILES) + [n for n in offices.FILES if (stage / n).exists()]


def _copy_raw(stage: Path, folder: Path) -> None:
    for n in _raw_names(stage):
        shutil.copyfile(stage / n, folder / n)


def _failed(report: Report, root: Path, sid: str, run: str, base: Path) -> None:
    """After an error in publish: published all the same if CURRENT names the new snapshot
    (the error came after the swap), else failed, with this run's folder withdrawn."""
    if snapshots.current_id(base) == sid:
        report.snapshot_id, report.made_current = sid, True
        return
    report.outcome, report.snapshot_id = "failed", None
    _withdraw(root, sid, run, base)


def _free_id(as_of: date, root: Path, base: Path) -> str:
    """The as-of date, or date-2, date-3 ... when a snapshot (or a folder) of that name exists."""
    taken = {s.id for s in snapshots.published(base)} | ({p.name for p in root.iterdir()} if root.is_dir() else set())
    sid, k = as_of.isoformat(), 2
    while sid in taken:
        sid, k = f"{as_of.isoformat()}-{k}", k + 1
    return sid


def _withdraw(root: Path, sid: str, run: str, base: Path) -> None:
    """A publish that failed after its folder was renamed into place (but before CURRENT was
    swapped) is withdrawn, so a failed ingest publishes nothing at all. Only this run's folder."""
    final = root / sid
    try:
        mine = json.loads((final / snapshots.MANIFEST).read_text()).get("ingest", {}).get("run") == run
    except (OSError, ValueError):
        return
    if not mine or snapshots.current_id(base) == sid:
        return
    hidden = root / f".tmp-withdrawn-{sid}-{uuid.uuid4().hex[:8]}"
    try:
        os.rename(final, hidden)
    except OSError:
        return
    shutil.rmtree(hidden, ignore_errors=True)


# --- list and rollback -------------------------------------------------------------------------


def snapshot_rows(base: Path | None = None) -> pd.DataFrame:
    """One row per published snapshot for the Data page and `list`: id, as-of, created, demo,
    current, rows, rejected, files, problems, damaged."""
    cur = snapshots.current_id(base)
    rows = []
    for s in reversed(snapshots.published(base)):
        m = s.manifest
        ing = m.get("ingest") or {}
        bad = snapshots.integrity_problems(s)
        rows.append({
            "id": s.id, "as_of": s.as_of, "created_at": m.get("created_at", ""), "demo": s.is_demo,
            "current": s.id == cur, "villages": m["files"]["villages.parquet"]["rows"],
            "enrollments": m["files"]["enrollments.parquet"]["rows"],
            "source": "ingest" if ing else ("demo" if s.is_demo else "publish"),
            "files": len([x for x in m.get("sources", []) if "sha256" in x]),
            "rows_in": ing.get("rows"), "rejected": ing.get("rejected"), "base": ing.get("base"),
            "damaged": "; ".join(bad),
        })
    df = pd.DataFrame(rows, columns=["id", "as_of", "created_at", "demo", "current", "villages", "enrollments", "source",
                                     "files", "rows_in", "rejected", "base", "damaged"])
    for c in ("rows_in", "rejected"):
        df[c] = df[c].astype("Int64")
    return df


def manifest(snapshot_id: str, base: Path | None = None) -> dict:
    snap = next((s for s in snapshots.published(base) if s.id == snapshot_id), None)
    if snap is None:
        raise snapshots.SnapshotError(f"snapshot {snapshot_id!r} is not published")
    return json.loads(json.dumps(snap.manifest))


def quarantine_file(snapshot_id: str, name: str, base: Path | None = None) -> bytes | None:
    """A file of the snapshot's quarantine/ (names from its manifest only)."""
    m = manifest(snapshot_id, base)
    allowed = (m.get("ingest") or {}).get("quarantine", {})
    if name not in allowed:
        return None
    snap = next(s for s in snapshots.published(base) if s.id == snapshot_id)
    p = snap.path / name
    data = p.read_bytes() if p.is_file() else None
    return data if data is not None and _sha(data) == allowed[name].get("sha256") else None  # never a damaged copy


def rollback(snapshot_id: str, base: Path | None = None, who: str | None = None, scope: Scope | None = None,
             wait: float | None = None) -> list[dict]:
    """Point CURRENT at an intact earlier snapshot (under the writer lock). Returns the steps
    after the swap that failed (the audit), as for a publish: rolled back, but ..."""
    permission.check_rollback(scope)  # national data officers only (None: the command line)
    who = who or _os_user()
    before = snapshots.current_id(base)
    snapshots.set_current(snapshot_id, base, who=who, wait=wait)
    try:
        audit.record("rollback", who, base=base, snapshot=snapshot_id, previous=before)
    except Exception as e:  # the pointer moved already
        return [_after("audit_failed", e)]
    return []


def _os_user() -> str:
    """Who ran a command-line publish or rollback (the local account)."""
    try:
        return "cli:" + getpass.getuser()
    except Exception:  # no user name in this environment
        return "cli"
