"""Benchmark: our vectorised D, H, xPx, xPy against a per-kommun-year loop over PySAL.

Data: foreign-born (utrikes födda) versus born in Sweden across RegSO, all 290 kommuner ×
2020–2023 (1,160 kommun-years, 13,452 RegSO rows) from the built store. Checks that both give
the same values to 1e-9 and prints timings and the speed ratio. Figures go in closing notes,
never in asserts.

    .venv/bin/python benchmarks/bench_measures.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
import warnings

import numpy as np
import pandas as pd

from barometer.measures import dissimilarity, exposure, isolation, theil
from barometer.measures.inputs import wide_counts

OURS = {"D": dissimilarity, "H": theil, "xPx": isolation, "xPy": exposure}


def load() -> pd.DataFrame:
    wide = wide_counts("befolkning", level="regso", groups=["utrikes_fodda", "inrikes_fodda"])
    return wide.assign(t=wide["utrikes_fodda"] + wide["inrikes_fodda"])


def run_ours(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({name: fn(df, group="utrikes_fodda", total="t") for name, fn in OURS.items()})


def run_pysal(df: pd.DataFrame) -> pd.DataFrame:
    from segregation.singlegroup import Dissim, Entropy, Interaction, Isolation

    classes = {"D": Dissim, "H": Entropy, "xPx": Isolation, "xPy": Interaction}
    rows = {}
    with warnings.catch_warnings():  # local: PySAL's own warnings
        warnings.simplefilter("ignore")
        for key, part in df.groupby(["kommun_code", "year"], sort=True):  # the loop we replace
            part = part[["utrikes_fodda", "t"]].reset_index(drop=True)
            rows[key] = {name: cls(part, "utrikes_fodda", "t").statistic for name, cls in classes.items()}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index = pd.MultiIndex.from_tuples(out.index, names=["kommun_code", "year"])
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of our functions (default 20)")
    parser.add_argument("--pysal-repeat", type=int, default=1, help="timed runs of the PySAL loop (default 1)")
    args = parser.parse_args(argv)

    df = load()
    n_units = df.groupby(["kommun_code", "year"]).ngroups
    print(f"data: {len(df):,} RegSO rows, {df.kommun_code.nunique()} kommuner × "
          f"{df.year.nunique()} years = {n_units:,} kommun-years")

    ours = run_ours(df)  # warm-up
    ours_times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        ours = run_ours(df)
        ours_times.append(time.perf_counter() - t0)
    per_fn = {}
    for name, fn in OURS.items():
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn(df, group="utrikes_fodda", total="t")
            times.append(time.perf_counter() - t0)
        per_fn[name] = min(times)

    pysal_times = []
    for _ in range(args.pysal_repeat):
        t0 = time.perf_counter()
        ref = run_pysal(df)
        pysal_times.append(time.perf_counter() - t0)

    ref = ref.reindex(ours.index)
    diff = (ours - ref).abs()
    worst = float(np.nanmax(diff.to_numpy()))
    both_nan = (ours.isna() == ref.isna()).all().all()
    agree = worst <= 1e-9 and both_nan

    ours_best, ours_med = min(ours_times), statistics.median(ours_times)
    pysal_best = min(pysal_times)
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}")
    print("ours  (D+H+xPx+xPy, all kommun-years): "
          f"best {ours_best * 1e3:.2f} ms, median {ours_med * 1e3:.2f} ms over {args.repeat} runs")
    print("ours per index (best): " + ", ".join(f"{k} {v * 1e3:.2f} ms" for k, v in per_fn.items()))
    print(f"PySAL loop ({n_units:,} kommun-years × 4 classes): {pysal_best:.2f} s "
          f"({pysal_best / (4 * n_units) * 1e3:.2f} ms per call)")
    print(f"speed ratio (PySAL / ours, best vs best): {pysal_best / ours_best:,.0f}×  (median: "
          f"{pysal_best / ours_med:,.0f}×)")
    print(f"agreement: max |ours − PySAL| = {worst:.2e} over {diff.size:,} values; NaN pattern equal: {both_nan}")
    print("OK" if agree else "MISMATCH")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
