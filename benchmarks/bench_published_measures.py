"""Benchmark: views reading the published measures table versus recomputing the measures (the old way).

Each workload runs in a fresh Python process (so start-up, imports and caches count as a user
sees them), alternating "published" and "recompute" runs; the script prints median wall time,
peak resident memory (VmHWM of the child) and the ratio. "recompute" is the same view code
with the published read replaced by ``compute_all()``, which is what every view did before the
build published ``data/store/measures.parquet``. Also prints the table's size and layout and
the time the measures add to a build.

    .venv/bin/python benchmarks/bench_published_measures.py [--repeat 3]

Figures only, no assertions. The machine may be shared: read ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# VmHWM (peak resident set of this process image); ru_maxrss would carry the parent's peak across exec
_FOOT = textwrap.dedent("""
    import re, time
    _hwm = int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
    print("RESULT", time.perf_counter() - _t0, _hwm / 1024)
""")

_RECOMPUTE_REPORT = textwrap.dedent("""
    from functools import lru_cache
    from barometer.measures import compute_all
    from barometer.report import context
    context._measures = lru_cache(maxsize=2)(lambda stamp: (compute_all(), ""))
""")
_RECOMPUTE_EXPLORER = textwrap.dedent("""
    from barometer.app import model
    from barometer.measures import compute_all
    def _old():
        m = compute_all()
        m = m[m["measure"].isin(list(model.MEASURES_SHOWN))]
        return m[["level", "kommun_kod", "year", "measure", "value", "n_areas", "note"]].reset_index(drop=True), ""
    model.National._measures = staticmethod(_old)
""")

WORKLOADS = {
    "barometer measures --year 2023 --kommun Malmö": (
        "",
        "from barometer.measures.compute import compute_all as _c\n"
        "import barometer.measures.store_table as _s\n"
        "_s.published = lambda years=None, kommun=None, levels=None, measures=None: "
        "_c(years=years, kommun=kommun, levels=levels).assign(source_ids='')\n",
        "import io\nfrom barometer.cli import main\nmain(['measures', '--year', '2023', '--kommun', 'Malmö'])\n",
    ),
    "report data, one kommun (Malmö: facts, segregation, områdestyper)": (
        "",
        _RECOMPUTE_REPORT,
        "from barometer.report.context import KommunReport\nr = KommunReport('1280', 2023)\n"
        "r.facts(); r.segregation(); r.omradestyper()\n",
    ),
    "explorer National() (all-kommun summaries)": (
        "",
        _RECOMPUTE_EXPLORER,
        "from barometer.app.model import National\nNational()\n",
    ),
}


def _child(setup: str, work: str) -> tuple[float, float]:
    code = "import time\n_t0 = time.perf_counter()\n" + setup + work + _FOOT
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("RESULT")][-1]
    _, secs, rss = line.split()
    return float(secs), float(rss)


def _layout() -> None:
    import pyarrow.parquet as pq

    from barometer import config, store
    from barometer.measures.compute import compute_frame
    from barometer.measures.inputs import FrameInputs
    import time

    path = config.store_dir() / "measures.parquet"
    f = pq.ParquetFile(path)
    print(f"measures.parquet: {path.stat().st_size / 1024:.0f} KiB, {f.metadata.num_rows} rows, "
          f"{f.metadata.num_row_groups} row groups")
    for label, kw in (("whole table", {}), ("one kommun, all years", {"level": "kommun", "codes": "1280"}),
                      ("one kommun, one year", {"level": "kommun", "codes": "1280", "years": 2023})):
        store._measures.cache_clear()
        t = time.perf_counter()
        n = len(store.measures_table(**kw))
        print(f"  read {label:24s} {1000 * (time.perf_counter() - t):7.1f} ms ({n} rows, cold in-process cache)")
    values, areas = store.values_table(), store.areas_table()
    t = time.perf_counter()
    compute_frame(FrameInputs(values, areas))
    print(f"computing every measure in the build (in memory): {time.perf_counter() - t:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _layout()
    print()
    print(f"{'workload':66s} {'published':>18s} {'recompute':>18s}  ratio (time, memory)")
    for name, (setup_new, setup_old, work) in WORKLOADS.items():
        new, old = [], []
        for _ in range(args.repeat):  # alternate, so a burst of load hits both alike
            new.append(_child(setup_new, work))
            old.append(_child(setup_old, work))
        nt, nr = statistics.median(s for s, _ in new), max(r for _, r in new)
        ot, orr = statistics.median(s for s, _ in old), max(r for _, r in old)
        print(f"{name:66s} {nt:6.2f} s {nr:5.0f} MiB {ot:6.2f} s {orr:5.0f} MiB  {ot / nt:4.1f}× faster, "
              f"{orr - nr:+.0f} MiB saved")


if __name__ == "__main__":
    main()
