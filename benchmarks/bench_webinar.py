"""A webinar room on Utforska: N journalists open the explorer at once, then close their tabs.

    .venv/bin/python benchmarks/bench_webinar.py [-n 1 10 20] [--pool default 20] [--cycles 50] [--port 8871]

For each pool size (``default``: voila.json's ``default_pool_size``, no flag; a number: ``barometer
explore --pool N``) starts ``barometer explore --no-browser`` as a user does (a subprocess on its own
port; timed until it prints its address) and, for each N, opens N sessions at once in headless
chromium (Playwright, one browser context each, a different kommun each via ``?kommun=``). Every
non-local request is blocked by chromium itself (host resolver rules and an unreachable proxy for all
but 127.0.0.1/localhost) and counted by observing the page's requests, so no request makes a round
trip through the Playwright driver and the HTTP cache stays on, as in a journalist's browser.
Prints per round: seconds from navigation to the kommun's story leads (*Tips till redaktionen* of
the asked kommun) median and max, the kernel processes and their resident memory at the peak (RSS
and USS per kernel, total; psutil, sampled every 0.5 s), CPU seconds by part (Voilà's server, the
kernels, chromium, the Playwright node driver; in total and per session), error text on the pages,
then closes every tab as a browser does (``beforeunload`` runs) and follows the kernel count for
60 s. ``--cycles K`` then opens and closes one session K times and checks that no kernel,
connection file (Voilà's connection folder, the Jupyter runtime folder) or temporary file is left
behind. Figures are printed, never asserted. Targets (issue 10): N = 20 all within 20 s, ≤ 200 MiB
per kernel, back to the pool size within 60 s, no error text.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from barometer.app.cli import CONFIG, cpu_seconds, kernel_processes

ROOT = Path(__file__).resolve().parents[1]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "http://localhost", "ws://localhost", "data:", "blob:", "about:")
MiB = 2**20
#: chromium blocks every non-local request itself: names other than localhost resolve to nothing, and
#: anything else (an address literal) goes to a proxy that does not exist; loopback bypasses both.
BLOCK_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
              "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost"]
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", *BLOCK_ARGS]


def default_pool() -> int:
    import json

    return int(json.loads((CONFIG / "voila.json").read_text(encoding="utf-8"))["VoilaConfiguration"]["default_pool_size"])


# -- the server, started as a user starts it -------------------------------------------------------
class Explore:
    def __init__(self, port: int, pool: int | None = None):
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.log = tempfile.NamedTemporaryFile(prefix="bench_webinar_", suffix=".log", delete=False)
        cmd = [str(Path(sys.executable).with_name("barometer")), "explore", "--port", str(port), "--no-browser"]
        if pool is not None:
            cmd += ["--pool", str(pool)]
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, cwd=ROOT, text=True)
        line = self.proc.stdout.readline()
        self.startup = time.monotonic() - self.t0
        if "http://" not in line:
            raise SystemExit(f"barometer explore skrev inte sin adress: {line!r}; logg: {self.log.name}")
        self.connection_dir = None

    def voila(self) -> psutil.Process | None:
        for c in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if "voila" in " ".join(c.cmdline()) and "ipykernel" not in " ".join(c.cmdline()):
                    return c
            except psutil.Error:
                pass
        return None

    def kernels(self) -> list[psutil.Process]:
        return kernel_processes(self.proc.pid)

    def conn_dir(self) -> Path | None:
        if self.connection_dir is None:
            m = re.search(r"Storing connection files in (\S+?)\.?\s*$", Path(self.log.name).read_text(errors="replace"), re.M)
            self.connection_dir = Path(m.group(1)) if m else None
        return self.connection_dir

    def stop(self):
        self.proc.terminate()  # barometer explore stops Voilà, which shuts its kernels down
        try:
            self.proc.wait(90)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Sampler(threading.Thread):
    """Kernel count and memory every 0.5 s; keeps the peak."""

    def __init__(self, server: Explore):
        super().__init__(daemon=True)
        self.server, self.stop_flag = server, threading.Event()
        self.peak_n, self.peak_total, self.max_rss, self.max_uss, self.peak_rows = 0, 0, 0, 0, []

    def cpu_by_part(self) -> dict[str, float]:
        """CPU seconds used so far by Voilà's server, its kernels, the browser (chromium) and the
        Playwright driver (node), per part."""
        chromium, driver = [], []
        for c in psutil.Process().children(recursive=True):
            try:
                name = c.name()
                if "chrom" in name:
                    chromium.append(c)
                elif name.startswith("node"):  # "node-MainThread"
                    driver.append(c)
            except psutil.Error:
                pass
        parts = {"voila": [self.server.voila()], "kernels": self.server.kernels(), "chromium": chromium,
                 "playwright driver": driver}
        for part, procs in parts.items():
            for p in procs:
                if p is None:
                    continue
                try:
                    t = p.cpu_times()
                    self.cpu[(part, p.pid)] = t.user + t.system
                except psutil.Error:
                    pass
        out = {}
        for (part, _), sec in self.cpu.items():
            out[part] = out.get(part, 0.0) + sec
        return out

    def run(self):
        self.cpu, self.cpu0 = {}, None
        self.cpu0 = self.cpu_by_part()
        while not self.stop_flag.is_set():
            self.cpu_by_part()
            rows = []
            for k in self.server.kernels():
                try:
                    mi = k.memory_full_info()
                    rows.append((mi.rss, mi.uss))
                except psutil.Error:
                    pass
            total = sum(r for r, _ in rows)
            self.peak_n = max(self.peak_n, len(rows))
            if total > self.peak_total:
                self.peak_total, self.peak_rows = total, rows
            if rows:
                self.max_rss = max(self.max_rss, max(r for r, _ in rows))
                self.max_uss = max(self.max_uss, max(u for _, u in rows))
            self.stop_flag.wait(0.5)


def wait_quiet(server: Explore, pool: int, timeout: float = 180, quiet_for: float = 1.0) -> float | None:
    """Wait until the pool is full again and its kernels have finished running the notebook."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        ps = server.kernels()
        before = cpu_seconds(ps)
        time.sleep(quiet_for)
        if len(ps) >= pool and cpu_seconds(ps) - before < 0.02 * quiet_for * len(ps):
            return time.monotonic() - t0
    return None


def wait_kernels(server: Explore, n: int, timeout: float) -> float | None:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if len(server.kernels()) <= n:
            return time.monotonic() - t0
        time.sleep(0.5)
    return None


# -- sessions ----------------------------------------------------------------------------------------
async def session(browser, url: str, code: str, blocked: list, errors: list) -> tuple:
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await ctx.new_page()
    # chromium blocks non-local requests itself (BLOCK_ARGS); the benchmark only counts them
    page.on("request", lambda r: None if r.url.startswith(LOCAL) else blocked.append(r.url))
    page.on("pageerror", lambda e: errors.append(f"{code}: {e}"))
    t0 = time.monotonic()
    try:
        await page.goto(f"{url}?kommun={code}", timeout=300_000)
        await page.locator(f'.bm-head[data-kommun="{code}"]').wait_for(timeout=300_000)
        await page.locator(".bm-tips li").first.wait_for(timeout=60_000)
        seconds = time.monotonic() - t0
    except Exception as err:  # noqa: BLE001 - a benchmark reports, it does not stop
        seconds = float("nan")
        errors.append(f"{code}: {type(err).__name__}: {str(err).splitlines()[0]}")
    text = await page.locator("body").inner_text()
    for pat in ("Traceback", "Error", "Fel:", "kunde inte", "saknas i datalagret"):
        if pat in text:
            errors.append(f"{code}: sidan visar ”{pat}”")
    status = await page.locator(".bm-status").all_inner_texts()
    errors.extend(f"{code}: {s}" for s in status if s.strip())
    return ctx, page, seconds


async def close_tabs(opened) -> None:
    """Close every tab as a browser does: ``beforeunload`` runs (Voilà's shutdown beacon). The browser
    contexts stay open, as a browser stays open when a tab closes, so the beacons are delivered."""
    closed = [asyncio.ensure_future(page.wait_for_event("close", timeout=30_000)) for _, page, _ in opened]
    for ctx, page, _ in opened:
        await page.close(run_before_unload=True)
    await asyncio.gather(*closed, return_exceptions=True)


async def close_contexts(opened) -> None:
    for ctx, _, _ in opened:
        await ctx.close()


async def round_(browser, server: Explore, codes: list[str], pool: int) -> dict:
    blocked, errors = [], []
    load = os.getloadavg()[0]
    sampler = Sampler(server)
    sampler.start()
    t0 = time.monotonic()
    opened = await asyncio.gather(*[session(browser, server.url, c, blocked, errors) for c in codes])
    wall = time.monotonic() - t0
    sampler.stop_flag.set()
    sampler.join()
    cpu = {k: v - sampler.cpu0.get(k, 0.0) for k, v in sampler.cpu_by_part().items()}  # now, not after closing
    times = [s for _, _, s in opened]
    await close_tabs(opened)
    t_close = time.monotonic()
    back = await asyncio.to_thread(wait_kernels, server, pool, 60)
    await asyncio.sleep(max(0.0, 60 - (time.monotonic() - t_close)))
    await close_contexts(opened)
    return {"times": times, "blocked": blocked, "errors": errors, "sampler": sampler, "back": back, "wall": wall,
            "left_60": len(server.kernels()), "load": load, "cpu": cpu}


async def cycles(browser, server: Explore, codes: list[str], k: int, pool: int) -> dict:
    errors, blocked = [], []
    for i in range(k):
        opened = [await session(browser, server.url, codes[i % len(codes)], blocked, errors)]
        await close_tabs(opened)
        await asyncio.sleep(1.0)
        await close_contexts(opened)
    return {"errors": errors, "blocked": blocked, "back": await asyncio.to_thread(wait_kernels, server, pool, 60)}


#: Temp entries the explorer's stack could leave (other programs' files in /tmp are not ours to count).
OURS = re.compile(r"^(voila_|kernel-|tmp.*\.json$|ipykernel|jupyter|\.?ipynb)")


def snapshot_files() -> dict[str, set]:
    from jupyter_core.paths import jupyter_runtime_dir

    rt = Path(jupyter_runtime_dir())
    return {"tmp": {p.name for p in Path(tempfile.gettempdir()).iterdir() if OURS.match(p.name)},
            "runtime": {p.name for p in rt.iterdir()} if rt.is_dir() else set()}


def kommun_codes(n: int) -> list[str]:
    import pyarrow.parquet as pq

    from barometer import config

    codes = sorted(pq.read_table(config.store_dir() / "explorer_kommuner.parquet", columns=["code"]).column(0).to_pylist())
    step = max(1, len(codes) // max(n, 1))
    picked = codes[::step][:n]
    return picked + [c for c in codes if c not in picked][: n - len(picked)]


def report(n: int, r: dict, pool: int) -> None:
    t = [x for x in r["times"] if x == x]
    s = r["sampler"]
    print(f"\nN = {n}, pool {pool} (load average at the round's start {r['load']:.1f}, now {os.getloadavg()[0]:.1f})")
    if t:
        print(f"  story leads shown after (s): median {statistics.median(t):.1f}, max {max(t):.1f}"
              f"  ({len(t)}/{n} sessions){'  all: ' + str([round(x, 1) for x in r['times']]) if n <= 20 else ''}")
    else:
        print("  no session showed its story leads")
    per = sorted(rss for rss, _ in s.peak_rows)
    print(f"  kernels at peak: {s.peak_n}; total RSS at peak {s.peak_total / MiB:.0f} MiB over {len(s.peak_rows)} kernels;"
          f" largest kernel RSS {s.max_rss / MiB:.0f} MiB, USS {s.max_uss / MiB:.0f} MiB"
          + (f"; median RSS {statistics.median(per) / MiB:.0f} MiB" if per else ""))
    cpu = r["cpu"]
    print("  CPU seconds while opening: " + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items())
          + f" (this machine: 2 cores × {r['wall']:.0f} s = {2 * r['wall']:.0f} CPU-s available)")
    print("  CPU seconds per session: " + ", ".join(f"{k} {v / n:.2f}" for k, v in cpu.items()))
    back = f"{r['back']:.1f} s" if r["back"] is not None else "not within 60 s"
    print(f"  after closing: kernels back to pool size ({pool}) after {back}; kernels left after 60 s: {r['left_60']}")
    print(f"  blocked non-local requests: {len(r['blocked'])}" + (f" e.g. {r['blocked'][:3]}" if r["blocked"] else ""))
    print(f"  error text on pages: {len(r['errors'])}" + "".join(f"\n    {e}" for e in r["errors"][:10]))


def bench(args, pool_arg: int | None) -> None:
    from playwright.async_api import async_playwright

    pool = pool_arg if pool_arg is not None else default_pool()
    before = snapshot_files()
    load0 = os.getloadavg()[0]
    server = Explore(args.port, pool_arg)
    print(f"\n=== pool {pool}{' (default)' if pool_arg is None else ' (--pool)'}: barometer explore printed its address"
          f" after {server.startup:.1f} s (load average {load0:.1f} at start; other work on this machine makes figures noisy)")
    try:
        async def run():
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                for n in args.n:
                    wait_kernels(server, pool, 60)
                    wait_quiet(server, pool)  # the pool is full again and has run the notebook
                    report(n, await round_(browser, server, kommun_codes(n), pool), pool)
                if args.cycles:
                    files0 = snapshot_files()
                    conn0 = {p.name for p in server.conn_dir().iterdir()} if server.conn_dir() else set()
                    c = await cycles(browser, server, kommun_codes(20), args.cycles, pool)
                    time.sleep(2)
                    files1 = snapshot_files()
                    conn1 = {p.name for p in server.conn_dir().iterdir()} if server.conn_dir() else set()
                    print(f"\n{args.cycles} open/close cycles: kernels back to pool size after "
                          f"{'%.1f s' % c['back'] if c['back'] is not None else 'not within 60 s'}; kernels now {len(server.kernels())};"
                          f" connection files now {len(conn1)} (before {len(conn0)}, new since: {sorted(conn1 - conn0)[:5]});"
                          f" new temp files (voila_*, kernel-*, jupyter*) {sorted(files1['tmp'] - files0['tmp'])[:5]}; new runtime files "
                          f"{sorted(files1['runtime'] - files0['runtime'])[:5]}; errors {len(c['errors'])} {c['errors'][:3]};"
                          f" blocked {len(c['blocked'])}")
                await browser.close()

        asyncio.run(run())
    finally:
        server.stop()
    time.sleep(1)
    after = snapshot_files()
    left = sorted((after["tmp"] - before["tmp"]) - {Path(server.log.name).name})
    print(f"\nafter stopping: temp files left {left[:10]}; runtime files left {sorted(after['runtime'] - before['runtime'])[:10]}"
          f"; Voilà log {server.log.name}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, nargs="+", default=[1, 10, 20], help="sessions opened at once, one round each")
    ap.add_argument("--pool", nargs="+", default=["default", "20"],
                    help="preheated pool sizes, one server each: 'default' (voila.json) or N (barometer explore --pool N)")
    ap.add_argument("--cycles", type=int, default=0, help="then open and close one session this many times")
    ap.add_argument("--port", type=int, default=8871)
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each round's figures as soon as they are known
    for pool in args.pool:
        bench(args, None if pool == "default" else int(pool))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
