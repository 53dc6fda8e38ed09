"""Benchmark the data foundation: full build, no-op rebuild, `import barometer`, loading one kommun.

Targets (2-core machine): build ≤ 30 s, import ≤ 0.5 s, one kommun ≤ 50 ms.
Run: .venv/bin/python benchmarks/bench_foundation.py [--repeat 5]
The full build goes to a temporary data folder, so the project's store is not touched.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, env: dict | None = None) -> float:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, BAROMETER_DATA=tmp)
        build = "import time; t=time.perf_counter(); import barometer; barometer.build(progress=False); print(time.perf_counter()-t)"
        full = _run(build, env)
        noop = [_run(build, env) for _ in range(args.repeat)]

    imp = [_run("import time; t=time.perf_counter(); import barometer; print(time.perf_counter()-t)")
           for _ in range(args.repeat)]
    one = ("import time, barometer; from barometer import store; barometer.build(progress=False); "
           "t=time.perf_counter(); df=store.kommun_values('1280'); print(time.perf_counter()-t)")
    kommun = [_run(one) for _ in range(args.repeat)]
    api = ("import time, barometer; barometer.build(progress=False); barometer.kommun('0114'); "
           "t=time.perf_counter(); df=barometer.data('andel_utrikes_fodda', kommun='1280', level='regso'); "
           "print(time.perf_counter()-t)")
    kommun_api = [_run(api) for _ in range(args.repeat)]

    med = statistics.median
    print(f"full build (clean data folder, all 16 steps): {full:6.2f} s   target ≤ 30 s")
    print(f"no-op build (nothing changed), median:        {med(noop):6.3f} s")
    print(f"import barometer, median of {args.repeat}:            {med(imp) * 1000:6.1f} ms  target ≤ 500 ms")
    print(f"load one kommun (Malmö, all values), median:   {med(kommun) * 1000:6.1f} ms  target ≤ 50 ms")
    print(f"barometer.data(indicator, kommun=...), median: {med(kommun_api) * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
