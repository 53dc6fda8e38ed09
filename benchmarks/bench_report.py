"""Time kommunrapporter: a naive loop (papermill CLI → jupyter nbconvert → PDF, per kommun) vs run_batch.

    .venv/bin/python benchmarks/bench_report.py --n 20           # naive vs batch on the same 20 kommuner
    .venv/bin/python benchmarks/bench_report.py --n 20 --all     # … and all 290 with the batch

Figures go in the closing notes, never in asserts.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def naive(codes, year, out: Path) -> float:
    from barometer.report import render
    from barometer.report.execute import notebook_path

    t0 = time.perf_counter()
    for code in codes:
        nb_out = out / f"{code}.ipynb"
        subprocess.run([str(BIN / "papermill"), str(notebook_path()), str(nb_out), "-r", "kommun", code,
                        "-p", "year", str(year), "--no-progress-bar"], check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb_out)],
                       check=True, capture_output=True)
        render.html_to_pdf(nb_out.with_suffix(".html").read_text(encoding="utf-8"), out / f"{code}.pdf")
    return time.perf_counter() - t0


def ours(codes, year, out: Path, workers: int, engine: str) -> tuple[float, int]:
    from barometer.report.batch import run_batch

    t0 = time.perf_counter()
    res = run_batch(codes, year, workers=workers, out_dir=out, resume=False, engine=engine, progress=False)
    return time.perf_counter() - t0, sum(not r.ok for r in res)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--all", action="store_true", help="also time all 290 kommuner with the batch")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--papermill-batch", action="store_true", help="also time run_batch with engine=papermill")
    args = ap.parse_args()

    from barometer import store

    a = store.areas_table()
    codes = sorted(a.loc[a["level"] == "kommun", "code"].unique())
    sample = codes[:: max(1, len(codes) // args.n)][: args.n]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t_ours, bad = ours(sample, args.year, tmp / "ours", args.workers, "inprocess")
        print(f"batch (inprocess, {args.workers} workers), {len(sample)} kommuner: {t_ours:.1f} s "
              f"({t_ours / len(sample):.2f} s/kommun, {bad} failed)")
        if args.papermill_batch:
            t_pm, bad = ours(sample, args.year, tmp / "pm", args.workers, "papermill")
            print(f"batch (papermill kernel per report, {args.workers} workers): {t_pm:.1f} s ({bad} failed)")
        if not args.skip_naive:
            (tmp / "naive").mkdir()
            t_naive = naive(sample, args.year, tmp / "naive")
            print(f"naive loop (papermill CLI + nbconvert CLI + PDF), {len(sample)} kommuner: {t_naive:.1f} s "
                  f"({t_naive / len(sample):.2f} s/kommun)")
            print(f"speed-up: {t_naive / t_ours:.1f}×")
        if args.all:
            t_all, bad = ours(codes, args.year, tmp / "all", args.workers, "inprocess")
            print(f"all {len(codes)} kommuner, HTML+PDF: {t_all:.1f} s ({bad} failed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
