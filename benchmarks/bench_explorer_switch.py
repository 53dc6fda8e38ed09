"""The kernel's side of a kommun switch in Utforska, per panel: the Explorer widget built headless (no Voilà).

    .venv/bin/python benchmarks/bench_explorer_switch.py [--rounds 2] [codes ...]

Selects ten kommuner in turn (round 1: first visits; later rounds: revisits) and prints, per switch,
CPU time of the kernel process (stable on a loaded machine) and wall time, plus the median time of
each part (KommunData, _render = every panel with the story leads, each panel, the map layers) and the bytes the widgets would send to the page.
Target for the kernel's side: ≤ 100 ms of the 300 ms a switch may take in the browser
(benchmarks/bench_explorer.py measures the whole). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import os
import statistics
import time

CODES = ["1280", "1480", "0114", "2584", "1281", "2480", "1880", "0380", "0180", "0305"]
PARTS = ["_render", "_render_types", "_render_typgap", "_render_income", "_render_turnout", "_render_measures",
         "_render_downloads", "_render_compare", "_paint_regso", "zoom_to"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("codes", nargs="*", default=CODES)
    args = ap.parse_args()
    t0 = time.process_time()
    import ipywidgets

    from barometer.app import model
    from barometer.app.explorer import Explorer

    t1 = time.process_time()
    explorer = Explorer(kommun="0180")
    t2 = time.process_time()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; CPU: import {t1 - t0:.2f} s, "
          f"Explorer() {t2 - t1:.2f} s")

    parts: dict[str, list[float]] = collections.defaultdict(list)

    def timed(fn, label):
        @functools.wraps(fn)
        def run(*a, **k):
            start = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                parts[label].append((time.process_time() - start) * 1000)
        return run

    for name in PARTS:
        setattr(explorer, name, timed(getattr(explorer, name), name))
    model.KommunData.__init__ = timed(model.KommunData.__init__, "KommunData()")
    sent = collections.Counter()

    def send(self, msg, buffers=None):  # count what would go to the page instead of sending it
        sent[type(self).__name__] += len(json.dumps(msg, default=str))

    ipywidgets.Widget._send = send
    for r in range(args.rounds):
        parts.clear()
        sent.clear()
        cpu, wall = [], []
        for code in args.codes:
            c, w = time.process_time(), time.perf_counter()
            explorer.select(code)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        what = "first visits" if r == 0 else "revisits"
        print(f"round {r + 1} ({what}): switch CPU ms median {statistics.median(cpu):.0f} max {max(cpu):.0f}; "
              f"wall ms median {statistics.median(wall):.0f} max {max(wall):.0f}")
        print("  parts, CPU ms median:", {k: round(statistics.median(v), 1) for k, v in parts.items()})
        print("  bytes to the page per switch:", {k: v // len(args.codes) for k, v in sent.most_common()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
