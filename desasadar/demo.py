"""Demo snapshots: the real village register and office structure, synthetic programme data.

Deterministic (fixed seed). Calibrated to the seed article (Republika, 1 Aug 2018):
276 villages certified in 2017; national target 500 by 31 Dec 2018; Desa Ekang Anculai
(21.01.10.2002) certified on 1 Aug 2018 under KC Tanjung Pinang; 1,450 aparatur desa, RT/RW heads and
village staff of Kab. Bintan's desa enrolled as of that day (the Bupati's count; domain.APARATUR is the
narrower kepala + perangkat desa). Kelurahan are never certified, proposed or given a kepala desa. Every snapshot goes through the normal publish path.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from . import paths, reference, snapshots, writer_lock
from .domain import OCCUPATIONS, SEGMENTS

SEED = 20180801
EPOCH = date(1970, 1, 1)
EKANG_ANCULAI = "21.01.10.2002"
BINTAN = "21.01"
BINTAN_APARATUR = 1450
CERTIFY_ON_EKANG = date(2018, 8, 1)

# Certifications per month (2017 sums to 276; Aug 2018 includes Ekang Anculai on the 1st).
CERTIFIED_PER_MONTH = {
    (2017, 3): 8, (2017, 4): 14, (2017, 5): 18, (2017, 6): 20, (2017, 7): 26, (2017, 8): 30,
    (2017, 9): 34, (2017, 10): 38, (2017, 11): 42, (2017, 12): 46,
    (2018, 1): 14, (2018, 2): 16, (2018, 3): 18, (2018, 4): 20, (2018, 5): 21, (2018, 6): 22,
    (2018, 7): 23, (2018, 8): 19, (2018, 9): 17, (2018, 10): 16, (2018, 11): 15, (2018, 12): 14,
}
REVOKED = 3  # certified in 2017, revoked in late 2018
PIPELINE_OPEN = 140  # proposed in 2018, not certified by the end of the series
BACKGROUND_SHARE = 0.42  # villages with ordinary participants outside the programme

_OCC = {o: i for i, o in enumerate(OCCUPATIONS)}
_SEG = {s: i for i, s in enumerate(SEGMENTS)}
NO_DATE = np.iinfo(np.int32).max


def _d(x: date) -> int:
    return (x - EPOCH).days


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def snapshot_dates() -> list[date]:
    """Month ends Jan 2017 .. Dec 2018, plus the ceremony day 1 Aug 2018."""
    out = [_month_end(y, m) for y in (2017, 2018) for m in range(1, 13)]
    return sorted(out + [CERTIFY_ON_EKANG])


@dataclass
class World:
    """Everything generated once; each snapshot is a cut of it at its as-of date."""
    codes: np.ndarray  # village codes (str), register order
    branch: np.ndarray
    region: np.ndarray
    workforce: np.ndarray
    officials_total: np.ndarray
    proposed: np.ndarray  # day numbers, NO_DATE when never
    verified: np.ndarray
    certified: np.ndarray
    revoked: np.ndarray
    agent_on: np.ndarray
    perdes_on: np.ndarray
    # enrollments (master: one row per participant, ever)
    e_id: pa.Array
    e_village: np.ndarray  # index into codes
    e_seg: np.ndarray
    e_occ: np.ndarray
    e_jht: np.ndarray
    e_jp: np.ndarray
    e_enrolled: np.ndarray
    e_lapse: np.ndarray


def _rand_days(rng, lo, hi, n):
    return rng.integers(lo, hi + 1, size=n)


def build_world(ref_dir: Path | None = None) -> World:
    rng = np.random.default_rng(SEED)
    desa = reference.table("desa.parquet", ref_dir)
    terr = reference.table("cabang_wilayah_kerja.csv", ref_dir)
    cab = reference.table("cabang.csv", ref_dir)
    tgt = reference.table("target.csv", ref_dir)

    codes = desa["village_code"].to_numpy(dtype=object)
    n = len(codes)
    branch_of_regency = dict(zip(terr["regency_code"], terr["branch_code"]))
    region_of_branch = dict(zip(cab["branch_code"], cab["region_code"]))
    branch = desa["regency_code"].map(branch_of_regency).to_numpy(dtype=object)
    region = np.array([region_of_branch[b] for b in branch], dtype=object)
    is_desa = (desa["kind"] == "desa").to_numpy()
    district = desa["district_code"].to_numpy(dtype=object)
    regency = desa["regency_code"].to_numpy(dtype=object)
    idx_of = {c: i for i, c in enumerate(codes)}
    ekang = idx_of[EKANG_ANCULAI]

    workforce = np.round(rng.lognormal(np.log(1100), 0.55, n)).astype(np.int32)
    officials_total = np.zeros(n, dtype=np.int32)
    proposed = np.full(n, NO_DATE, dtype=np.int32)
    verified = proposed.copy()
    certified = proposed.copy()
    revoked = proposed.copy()
    agent_on = proposed.copy()
    perdes_on = proposed.copy()

    # --- which villages get certified, by branch: quota ~ branch target x noise -------------
    total_cert = sum(CERTIFIED_PER_MONTH.values())
    t18 = tgt[(tgt["scope"] == "branch") & (tgt["year"].astype(int) == 2018)]
    weight = {b: 0.0 for b in cab["branch_code"]}
    for b, v in zip(t18["scope_code"], t18["target_villages"]):
        weight[b] = float(v) if v == v else 0.0
    branches = sorted(weight)
    w = np.array([weight[b] for b in branches]) * rng.lognormal(0, 0.35, len(branches))
    w[w == 0] = 0.0
    quota_f = w / w.sum() * (total_cert - 1)
    quota = np.floor(quota_f).astype(int)
    for i in np.argsort(-(quota_f - quota))[: (total_cert - 1) - quota.sum()]:
        quota[i] += 1
    # Villages are chosen in clusters: a branch works through a few kecamatan at a time.
    district_priority = {d: rng.random() for d in np.unique(district)}
    prio = np.array([district_priority[d] for d in district]) + rng.random(n) * 0.15
    chosen: list[int] = []
    spare = 0
    for b, q in zip(branches, quota):
        cand = np.where((branch == b) & is_desa)[0]
        cand = cand[cand != ekang]
        cand = cand[np.argsort(prio[cand], kind="stable")]
        take = min(q + spare, len(cand))
        spare = q + spare - take
        chosen += cand[:take].tolist()
    assert spare == 0, "not enough villages for the certification quota"
    chosen_arr = np.array(chosen)
    rng.shuffle(chosen_arr)

    # --- certification dates per month slot -------------------------------------------------
    slots: list[int] = []
    for (y, m), k in sorted(CERTIFIED_PER_MONTH.items()):
        if (y, m) == (2018, 8):
            k -= 1  # Ekang Anculai is the one certified on 1 Aug
            days = _rand_days(rng, _d(date(2018, 8, 2)), _d(_month_end(2018, 8)), k)
        else:
            days = _rand_days(rng, _d(date(y, m, 1)), _d(_month_end(y, m)), k)
        slots += sorted(days.tolist())
    certified[chosen_arr] = np.array(slots, dtype=np.int32)
    certified[ekang] = _d(CERTIFY_ON_EKANG)
    cert_idx = np.append(chosen_arr, ekang)
    verified[cert_idx] = certified[cert_idx] - _rand_days(rng, 10, 60, len(cert_idx))
    proposed[cert_idx] = np.maximum(verified[cert_idx] - _rand_days(rng, 15, 90, len(cert_idx)), _d(date(2017, 1, 3)))
    verified[cert_idx] = np.maximum(verified[cert_idx], proposed[cert_idx])
    proposed[ekang], verified[ekang] = _d(date(2018, 5, 14)), _d(date(2018, 6, 20))
    # revoked: a few 2017 certifications withdrawn in Oct-Dec 2018
    early = cert_idx[certified[cert_idx] < _d(date(2018, 1, 1))]
    gone = rng.choice(early, REVOKED, replace=False)
    revoked[gone] = _rand_days(rng, _d(date(2018, 10, 1)), _d(date(2018, 12, 20)), REVOKED)

    # --- open pipeline: proposed in 2018, some verified, none certified yet ----------------
    free = np.where(is_desa & (certified == NO_DATE) & (w[np.searchsorted(branches, branch)] > 0))[0]
    free = free[np.argsort(prio[free], kind="stable")][: PIPELINE_OPEN * 3]
    pipe = rng.choice(free, PIPELINE_OPEN, replace=False)
    proposed[pipe] = _rand_days(rng, _d(date(2018, 1, 5)), _d(date(2018, 12, 20)), len(pipe))
    ver = pipe[rng.random(len(pipe)) < 0.45]
    verified[ver] = np.minimum(proposed[ver] + _rand_days(rng, 15, 80, len(ver)), _d(date(2018, 12, 30)))
    in_prog = np.concatenate([cert_idx, pipe])

    # criteria facts: certified villages meet all of them by certification
    officials_total[in_prog] = rng.integers(8, 15, len(in_prog))
    agent_on[cert_idx] = proposed[cert_idx] + (certified[cert_idx] - proposed[cert_idx]) * rng.random(len(cert_idx))
    perdes_on[cert_idx] = proposed[cert_idx] + (certified[cert_idx] - proposed[cert_idx]) * rng.random(len(cert_idx))
    has_agent = pipe[rng.random(len(pipe)) < 0.5]
    agent_on[has_agent] = proposed[has_agent] + rng.integers(5, 60, len(has_agent))
    has_perdes = pipe[rng.random(len(pipe)) < 0.4]
    perdes_on[has_perdes] = proposed[has_perdes] + rng.integers(10, 90, len(has_perdes))

    # --- enrollments --------------------------------------------------------------------------
    rows_v, rows_occ, rows_seg, rows_on, rows_lapse = [], [], [], [], []

    def add(v, occ, seg, on, lapse):
        rows_v.append(np.asarray(v, dtype=np.int32))
        rows_occ.append(np.asarray(occ, dtype=np.int8))
        rows_seg.append(np.asarray(seg, dtype=np.int8))
        rows_on.append(np.asarray(on, dtype=np.int32))
        rows_lapse.append(np.asarray(lapse, dtype=np.int32))

    # aparatur of programme villages: head before proposal; officials by certification
    # (pipeline villages may stay one or more short); RT/RW heads and staff along the way.
    end = _d(date(2018, 12, 31))
    for i in in_prog:
        p = int(proposed[i])
        done = int(certified[i]) if certified[i] != NO_DATE else end
        k = int(officials_total[i])
        short = 0 if certified[i] != NO_DATE else int(rng.integers(0, 4))
        head = p - int(rng.integers(0, 60))
        offi = rng.integers(p - 90, max(p - 89, done - 1), k - 1 - short) if k - 1 - short > 0 else []
        rtrw = rng.integers(p - 120, done + 30, int(rng.integers(4, 18)))
        staff = rng.integers(p - 60, done + 30, int(rng.integers(0, 5)))
        for occ, on in (("kepala_desa", [head]), ("perangkat_desa", offi), ("ketua_rt_rw", rtrw), ("pegawai_non_pns", staff)):
            on = np.minimum(np.asarray(on, dtype=np.int64), end)
            add(np.full(len(on), i), np.full(len(on), _OCC[occ]), np.full(len(on), _SEG["BPU"]), on, np.full(len(on), NO_DATE))

    # Kab. Bintan enrolled its aparatur desa, RT/RW heads and village staff (the Bupati's count, README) across
    # all its desa: exactly 1,450 by 1 Aug 2018. Kelurahan are outside the programme: none of it is there.
    bintan = np.where((regency == BINTAN) & is_desa)[0]
    already = sum(int(np.sum(np.isin(v, bintan) & (on <= _d(CERTIFY_ON_EKANG)))) for v, on in zip(rows_v, rows_on))
    # aparatur already added for Bintan programme villages that enroll later than 1 Aug are moved earlier
    for k, (v, on) in enumerate(zip(rows_v, rows_on)):
        late = np.isin(v, bintan) & (on > _d(CERTIFY_ON_EKANG))
        if late.any():
            rows_on[k] = np.where(late, np.minimum(on, _d(CERTIFY_ON_EKANG)), on).astype(np.int32)
            already += int(late.sum())
    need = BINTAN_APARATUR - already
    others = np.setdiff1d(bintan, in_prog)
    share = rng.multinomial(need, np.full(len(others), 1 / len(others)))
    for i, k in zip(others, share):
        officials_total[i] = max(officials_total[i], min(k, int(rng.integers(8, 13))))
        kinds = np.array([_OCC["kepala_desa"]] + [_OCC["perangkat_desa"]] * (officials_total[i] - 1)
                         + [_OCC["ketua_rt_rw"]] * max(0, k - officials_total[i]))[:k]
        add(np.full(k, i), kinds, np.full(k, _SEG["BPU"]),
            rng.integers(_d(date(2017, 2, 1)), _d(CERTIFY_ON_EKANG) + 1, k), np.full(k, NO_DATE))

    # workers of certified villages, enrolled after the proposal; some lapse later
    workers_occ = np.array([_OCC[o] for o in ("petani", "nelayan", "pedagang", "guru_ngaji", "penjaga_makam",
                                              "petugas_kebersihan", "buruh", "pekerja_konstruksi", "pekerja_migran", "lainnya")])
    occ_p = np.array([0.30, 0.08, 0.16, 0.05, 0.02, 0.04, 0.17, 0.08, 0.04, 0.06])
    seg_for = {_OCC["buruh"]: _SEG["PU"], _OCC["lainnya"]: _SEG["PU"],
               _OCC["pekerja_konstruksi"]: _SEG["JAKON"], _OCC["pekerja_migran"]: _SEG["PMI"]}

    def workers(villages, share_lo, share_hi, start, stop):
        k = np.round(workforce[villages] * rng.uniform(share_lo, share_hi, len(villages))).astype(int)
        v = np.repeat(villages, k)
        occ = rng.choice(workers_occ, len(v), p=occ_p)
        seg = np.full(len(v), _SEG["BPU"], dtype=np.int8)
        for o, s in seg_for.items():
            seg[occ == o] = s
        lo, hi = np.repeat(start, k), np.repeat(stop, k)
        on = lo + ((hi - lo) * rng.random(len(v)) ** 1.6).astype(np.int64)
        lapse = np.where(rng.random(len(v)) < 0.22, on + rng.integers(60, 540, len(v)), NO_DATE)
        add(v, occ, seg, on, lapse)

    workers(cert_idx, 0.22, 0.55, proposed[cert_idx].astype(np.int64), np.full(len(cert_idx), end))
    workers(pipe, 0.03, 0.12, proposed[pipe].astype(np.int64) - 200, np.full(len(pipe), end))
    # ordinary participants elsewhere (the programme's villages stand out against them)
    bg = np.where(rng.random(n) < BACKGROUND_SHARE)[0]
    bg = np.setdiff1d(bg, in_prog)
    workers(bg, 0.006, 0.028, np.full(len(bg), _d(date(2015, 1, 1))), np.full(len(bg), end))

    e_village = np.concatenate(rows_v)
    e_occ = np.concatenate(rows_occ)
    e_seg = np.concatenate(rows_seg)
    e_on = np.concatenate(rows_on)
    e_lapse = np.concatenate(rows_lapse)
    order = np.lexsort((e_village, e_on))
    e_village, e_occ, e_seg, e_on, e_lapse = (a[order] for a in (e_village, e_occ, e_seg, e_on, e_lapse))
    m = len(e_village)
    # programmes: JHT for most PU and some BPU/PMI, JP only for PU
    r = rng.random(m)
    e_jht = ((e_seg == _SEG["PU"]) & (r < 0.92)) | ((e_seg == _SEG["BPU"]) & (r < 0.18)) | ((e_seg == _SEG["PMI"]) & (r < 0.5))
    e_jp = (e_seg == _SEG["PU"]) & (rng.random(m) < 0.7)
    e_id = pa.array([f"DSJ{k:08d}" for k in range(1, m + 1)])
    return World(codes, branch, region, workforce, officials_total, proposed, verified, certified, revoked,
                 agent_on, perdes_on, e_id, e_village, e_seg, e_occ, e_jht, e_jp, e_on, e_lapse)


def _dates(arr: np.ndarray, cut: int) -> pa.Array:
    ok = arr <= cut
    return pa.array(np.where(ok, arr, 0).astype("int32"), type=pa.int32(), mask=~ok).cast(pa.date32())


def write_snapshot_tables(world: World, as_of: date, folder: Path) -> None:
    """The raw tables as they stood on `as_of`."""
    cut = _d(as_of)
    wd = world
    status = np.full(len(wd.codes), "none", dtype=object)
    status[wd.proposed <= cut] = "proposed"
    status[wd.verified <= cut] = "verified"
    status[wd.certified <= cut] = "certified"
    status[wd.revoked <= cut] = "revoked"

    enrolled = wd.e_enrolled <= cut
    off = np.isin(wd.e_occ, [_OCC["kepala_desa"], _OCC["perangkat_desa"]]) & enrolled
    officials_enrolled = np.bincount(wd.e_village[off], minlength=len(wd.codes)).astype(np.int32)
    head = np.bincount(wd.e_village[(wd.e_occ == _OCC["kepala_desa"]) & enrolled], minlength=len(wd.codes)) > 0
    villages = pa.table({
        "village_code": pa.array(wd.codes.astype(str)),
        "branch_code": pa.array(wd.branch.astype(str)).dictionary_encode(),
        "region_code": pa.array(wd.region.astype(str)).dictionary_encode(),
        "status": pa.array(status.astype(str)).dictionary_encode(),
        "proposed_on": _dates(wd.proposed, cut),
        "verified_on": _dates(wd.verified, cut),
        "certified_on": _dates(wd.certified, cut),
        "revoked_on": _dates(wd.revoked, cut),
        "head_enrolled": pa.array(head),
        "officials_total": pa.array(np.maximum(wd.officials_total, officials_enrolled)),
        "officials_enrolled": pa.array(officials_enrolled),
        "agent_appointed": pa.array(wd.agent_on <= cut),
        "village_regulation": pa.array(wd.perdes_on <= cut),
        "workforce_estimate": pa.array(wd.workforce),
    })
    pq.write_table(villages, folder / "villages.parquet", compression="zstd")

    sel = np.where(enrolled)[0]
    lapse = wd.e_lapse[sel]
    active = lapse > cut
    month_start = np.datetime64(as_of, "M").astype("datetime64[D]").astype(np.int64)
    paid = np.where(active, month_start,
                    ((lapse.astype("datetime64[D]").astype("datetime64[M]") - 1).astype("datetime64[D]")).astype(np.int64))
    enrolled_month = wd.e_enrolled[sel].astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    paid = np.maximum(paid, enrolled_month)
    seg_names = np.array(SEGMENTS, dtype=object)
    occ_names = np.array(OCCUPATIONS, dtype=object)
    vcodes = pa.array(wd.codes.astype(str))
    enrollments = pa.table({
        "participant_id": wd.e_id.take(pa.array(sel)),
        "village_code": pa.DictionaryArray.from_arrays(pa.array(wd.e_village[sel]), vcodes),
        "segment": pa.DictionaryArray.from_arrays(pa.array(wd.e_seg[sel].astype(np.int32)), pa.array(seg_names.astype(str))),
        "occupation": pa.DictionaryArray.from_arrays(pa.array(wd.e_occ[sel].astype(np.int32)), pa.array(occ_names.astype(str))),
        "jkk": pa.array(np.ones(len(sel), dtype=bool)),
        "jkm": pa.array(np.ones(len(sel), dtype=bool)),
        "jht": pa.array(wd.e_jht[sel]),
        "jp": pa.array(wd.e_jp[sel]),
        "enrolled_on": pa.array(wd.e_enrolled[sel].astype(np.int32)).cast(pa.date32()),
        "paid_until": pa.array(paid.astype(np.int32)).cast(pa.date32()),
        "active": pa.array(active),
    })
    pq.write_table(enrollments, folder / "enrollments.parquet", compression="zstd", row_group_size=256_000)


def build(base: Path | None = None, progress: Callable[[int, int, str], None] | None = None,
          only_missing: bool = True) -> list[snapshots.Snapshot]:
    """Publish the demo series; CURRENT ends on the newest. Existing snapshots are kept.
    Holds the writer lock throughout (two replicas starting on an empty folder build it once)."""
    base = base or paths.data_dir()
    with writer_lock.hold(base, who="demo", wait=900):  # a first build takes about a minute
        return _build(base, progress, only_missing)


def _build(base: Path, progress, only_missing: bool) -> list[snapshots.Snapshot]:
    have = {s.id for s in snapshots.published(base)}
    dates = snapshot_dates()
    todo = [d for d in dates if not (only_missing and d.isoformat() in have)]
    out = []
    world = build_world() if todo else None
    for k, d in enumerate(todo, 1):
        if progress:
            progress(k, len(todo), d.isoformat())
        out.append(snapshots.publish(
            d.isoformat(), d, lambda folder, d=d: write_snapshot_tables(world, d, folder),
            base=base, demo=True, make_current=(d == dates[-1]),
            sources=[{"name": "demo", "generator": "desasadar.demo", "seed": SEED}],
        ))
    if snapshots.current_id(base) is None and dates[-1].isoformat() in {s.id for s in snapshots.published(base)}:
        snapshots.set_current(dates[-1].isoformat(), base)
    return out


def ensure(base: Path | None = None, progress=None) -> bool:
    """Build the demo when no snapshot is published yet. Returns True if it built."""
    if snapshots.published(base):
        return False
    build(base, progress)
    return True
