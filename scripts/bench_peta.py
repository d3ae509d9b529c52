"""Benchmark (not a test) of the Peta page: deck JSON sizes and rerun time on a filter change.

    .venv/bin/python scripts/bench_peta.py [--repeat 10]

Runs the whole app (dashboard.py + pages/peta.py) in Streamlit's AppTest on the demo data in
data/ (or DSJS_DATA_DIR), warms every view once, then switches the shell's filters back and forth
and reports the median and max wall time of a rerun (server side only: AppTest has no browser;
its own bookkeeping is included, so this is an upper bound). Budget (issue 6): < 150 ms warm;
national deck JSON < 2 MB.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Filter changes, each one widget as a user makes it: (label, widget key, value)
STEPS = [
    ("nasional -> Kanwil Sumbarriau", "f_wilayah", "sumbarriau"),
    ("-> KC Tanjung Pinang", "f_cabang", "tanjung-pinang"),
    ("-> nasional", "f_wilayah", None),
]


def main() -> int:
    from streamlit.testing.v1 import AppTest

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/peta.py").run()

    def step(key, value) -> float:
        at.selectbox(key=key).set_value(value)
        t0 = time.perf_counter()
        at.run()
        took = (time.perf_counter() - t0) * 1000
        assert not at.exception, at.exception
        return took

    def deck() -> tuple[float, int]:
        spec = at.get("deck_gl_json_chart")[0].proto.json
        layers = {lyr["id"]: lyr for lyr in json.loads(spec)["layers"]}
        return len(spec.encode()) / 1e6, len(layers["desa"]["data"]) if "desa" in layers else 0

    size, pts = deck()
    print(f"{'nasional':34s} deck JSON {size:6.3f} MB, {pts} points")
    for label, key, value in STEPS:
        cold = step(key, value)
        size, pts = deck()
        print(f"{label:34s} deck JSON {size:6.3f} MB, {pts} points; first (cold) rerun {cold:6.0f} ms")
    at.toggle(key="peta_points_national").set_value(True).run()
    size, pts = deck()
    print(f"{'nasional + titik desa':34s} deck JSON {size:6.3f} MB, {pts} points")
    at.toggle(key="peta_points_national").set_value(False).run()

    times: dict[str, list[float]] = {label: [] for label, _, _ in STEPS}
    for _ in range(args.repeat):
        for label, key, value in STEPS:
            times[label].append(step(key, value))
    print(f"\nwarm reruns after a filter change ({args.repeat} rounds):")
    for label, ts in times.items():
        print(f"  {label:32s} median {statistics.median(ts):6.1f} ms   max {max(ts):6.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
