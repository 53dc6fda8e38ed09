"""Benchmark: every RegSO indicator × områdestyp × level (kommun, län, riket) × year × classification.

Times :func:`barometer.measures.by_omradestyp.by_omradestyp` on the built store's values (the
computation the build runs for ``data/store/omradestyp.parquet``; target ≤ 2 s) and, in the same
run as a baseline for a noisy shared machine, reading ``values.parquet`` from disk. Prints the
median, the spread and the ratio; no asserts.

    .venv/bin/python benchmarks/bench_omradestyp.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import pandas as pd

from barometer import config, store
from barometer.measures.by_omradestyp import by_omradestyp


def _times(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    values, areas = store.values_table(), store.areas_table()
    result = by_omradestyp(values, areas)  # warm-up (catalogue, imports)
    ours = _times(lambda: by_omradestyp(values, areas), args.repeat)
    base = _times(lambda: pd.read_parquet(config.store_dir() / "values.parquet"), args.repeat)
    series = result.groupby(["level", "area_code", "year", "klassning", "indicator", "group"], observed=True).ngroups
    print(f"python {platform.python_version()}, pandas {pd.__version__}, {platform.machine()}")
    print(f"input: {len(values):,} store rows ({int((values['level'] == 'regso').sum()):,} RegSO rows); "
          f"output: {len(result):,} rows = {series:,} series × 8 (typ 1–5, 1-2, 4-5, skillnad)")
    for name, t in (("by_omradestyp (all indicators × types × levels × years × 2 klassningar)", ours),
                    ("baseline: read values.parquet", base)):
        print(f"{name}: median {statistics.median(t):.3f} s (min {min(t):.3f}, max {max(t):.3f}, n={len(t)})")
    print(f"ratio by_omradestyp / read values.parquet: {statistics.median(ours) / statistics.median(base):.2f}")


if __name__ == "__main__":
    main()
