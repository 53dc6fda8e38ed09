"""Time kommunrapporter: a naive loop (papermill CLI → jupyter nbconvert → PDF, per kommun) vs run_batch.

    .venv/bin/python benchmarks/bench_report.py --n 20           # naive vs batch on the same 20 kommuner
    .venv/bin/python benchmarks/bench_report.py --n 20 --all     # … and all 290 with the batch
    .venv/bin/python benchmarks/bench_report.py --phases 40      # CPU s per kommun by phase, one process

Both go through papermill: the naive loop with its default kernel engine, one CLI call per kommun;
run_batch with the in-process engine ``barometer`` in a process pool. Each figure is printed as wall
time and as CPU seconds (this process plus its finished children), with the load average: on a
shared machine the wall time depends on the others, the CPU seconds much less; CPU s / cores is
what the run would take on an otherwise idle machine. Figures go in the closing notes, never in asserts.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def cpu() -> float:
    """CPU seconds (user + system) of this process and of its children that have finished."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measured(label: str, fn, n: int):
    load0, c0, t0 = os.getloadavg()[0], cpu(), time.perf_counter()
    out = fn()
    wall, used = time.perf_counter() - t0, cpu() - c0
    print(f"{label}: {wall:.1f} s wall ({wall / n:.2f} s/kommun), {used:.1f} CPU s ({used / n:.2f} CPU s/kommun), "
          f"load average {load0:.1f} → {os.getloadavg()[0]:.1f}", flush=True)
    return wall, used, out


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


def ours(codes, year, out: Path, workers: int, engine: str) -> tuple[list, int]:
    from barometer.report.batch import run_batch

    res = run_batch(codes, year, workers=workers, out_dir=out, resume=False, engine=engine, progress=False)
    return res, sum(not r.ok for r in res)


class Phases:
    """CPU seconds (``time.process_time``) per phase of a report, exclusive of nested phases.

    Wraps module attributes (the functions report code looks up at call time) so that each call
    charges its own CPU time to its phase, minus the time of phases called inside it.
    """

    def __init__(self):
        self.cpu: dict[str, float] = {}
        self._stack: list[list] = []

    def wrap(self, owner, attr: str, phase: str) -> None:
        import functools

        fn = getattr(owner, attr)

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            self._stack.append([0.0])
            t0 = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                used = time.process_time() - t0
                inner = self._stack.pop()[0]
                self.cpu[phase] = self.cpu.get(phase, 0.0) + used - inner
                if self._stack:
                    self._stack[-1][0] += used

        setattr(owner, attr, timed)


def phases(codes, year, out: Path) -> None:
    """Render ``codes`` one after another in this process; print CPU s per kommun by phase."""
    from weasyprint import HTML, Document

    from barometer.report import areamaps, batch, charts, omradestyp, render

    ph = Phases()
    ph.wrap(batch, "execute", "notebook: data and sentences")
    for name in ("ranked_barh", "grouped_barh", "lines", "lan_map", "regso_map"):
        ph.wrap(charts, name, "charts: matplotlib artists")
    ph.wrap(omradestyp, "dot_plot", "charts: matplotlib artists")
    ph.wrap(areamaps, "_draw", "charts: matplotlib artists")
    ph.wrap(charts, "to_svg", "charts: savefig → SVG")
    ph.wrap(render, "notebook_to_html", "HTML page")
    ph.wrap(HTML, "render", "PDF: parse, style, layout")
    ph.wrap(Document, "write_pdf", "PDF: draw, write")
    ph.wrap(render, "atomic_write", "write files")
    import gc

    batch.render_one(codes[0], year, out)  # warm: imports, store reads, fonts (not counted)
    gc.freeze()  # as run_batch does after its first report
    ph.cpu.clear()
    c0, t0 = time.process_time(), time.perf_counter()
    for code in codes:
        batch.render_one(code, year, out)
    total, wall = time.process_time() - c0, time.perf_counter() - t0
    n = len(codes)
    print(f"phases, one process, {n} kommuner: {total / n:.3f} CPU s/kommun ({wall / n:.3f} s wall/kommun), "
          f"load average {os.getloadavg()[0]:.1f}")
    rest = total - sum(ph.cpu.values())
    for name, used in sorted({**ph.cpu, "other": rest}.items(), key=lambda kv: -kv[1]):
        print(f"  {name:32s} {used / n:6.3f} CPU s/kommun  {100 * used / total:5.1f} %")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--year", type=int, default=None, help="report year (default: the store's latest)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--all", action="store_true", help="also time all 290 kommuner with the batch")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--phases", type=int, default=0, metavar="N",
                    help="only: render N kommuner in this process and print CPU s per kommun by phase")
    ap.add_argument("--papermill-batch", action="store_true", help="also time run_batch with engine=papermill")
    args = ap.parse_args()

    from barometer import store
    from barometer.filters import latest_report_year

    args.year = args.year or latest_report_year()
    a = store.areas_table()
    codes = sorted(a.loc[a["level"] == "kommun", "code"].unique())
    sample = codes[:: max(1, len(codes) // args.n)][: args.n]
    if args.phases:
        with tempfile.TemporaryDirectory() as tmp:
            phases(codes[:: max(1, len(codes) // args.phases)][: args.phases], args.year, Path(tmp))
        return 0
    print(f"{os.cpu_count()} CPUs; {args.workers} workers; {len(sample)} kommuner in the sample", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t_ours, c_ours, (_, bad) = measured(f"batch (papermill engine barometer, {args.workers} workers), {len(sample)} kommuner",
                                            lambda: ours(sample, args.year, tmp / "ours", args.workers, "inprocess"),
                                            len(sample))
        if bad:
            print(f"  {bad} failed")
        if args.papermill_batch:
            measured(f"batch (papermill kernel per report, {args.workers} workers)",
                     lambda: ours(sample, args.year, tmp / "pm", args.workers, "papermill"), len(sample))
        if not args.skip_naive:
            (tmp / "naive").mkdir()
            t_naive, c_naive, _ = measured(f"naive loop (papermill CLI + nbconvert CLI + PDF), {len(sample)} kommuner",
                                           lambda: naive(sample, args.year, tmp / "naive"), len(sample))
            print(f"speed-up: {t_naive / t_ours:.1f}× wall, {c_naive / c_ours:.1f}× CPU")
        if args.all:
            t_all, c_all, (_, bad) = measured(f"all {len(codes)} kommuner, HTML+PDF",
                                              lambda: ours(codes, args.year, tmp / "all", args.workers, "inprocess"),
                                              len(codes))
            print(f"  {bad} failed; on {args.workers} otherwise idle cores ≈ {c_all / args.workers:.0f} s "
                  f"({c_all / args.workers / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
