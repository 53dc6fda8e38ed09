"""Explorer timings measured in headless chromium against a local Voilà (preheated kernels).

    .venv/bin/python benchmarks/bench_explorer.py [--loads 3] [--switches 8]

first render: navigation start → the kommun heading is visible (every panel is written before it).
switch: typing a kommun and pressing Enter → the heading of the new kommun (all panels updated).
Targets: first render ≤ 2 s, switch ≤ 300 ms. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time

from barometer.app.testing import voila_server

KOMMUNER = [("malmo", "1280"), ("Göteborg", "1480"), ("0114", "0114"), ("kiruna", "2584"), ("Lund", "1281"),
            ("umea", "2480"), ("1880", "1880"), ("Stockholm", "0180")]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--loads", type=int, default=3)
    ap.add_argument("--switches", type=int, default=8)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with voila_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless", "--disable-gpu"])
        renders = []
        for _ in range(args.loads):
            time.sleep(4)  # let Voilà refill its pool of preheated kernels
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = ctx.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:")) else r.abort())
            t0 = time.perf_counter()
            page.goto(url)
            page.locator(".bm-head h2").wait_for(timeout=60_000)
            renders.append(time.perf_counter() - t0)
            ctx.close()
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.goto(url)
        page.locator(".bm-head h2").wait_for(timeout=60_000)
        box = page.get_by_placeholder("Skriv kommunens namn")
        switches = []
        for typed, code in (KOMMUNER * 3)[: args.switches]:
            box.fill(typed)
            t0 = time.perf_counter()
            box.press("Enter")
            page.locator(f'.bm-head[data-kommun="{code}"]').wait_for(timeout=15_000)
            switches.append((time.perf_counter() - t0) * 1000)
            page.wait_for_timeout(200)
        browser.close()
    print(f"first render (s): median {statistics.median(renders):.2f}, all {[round(x, 2) for x in renders]}  (target ≤ 2 s)")
    print(f"switch (ms): median {statistics.median(switches):.0f}, max {max(switches):.0f}, all {[round(x) for x in switches]}  (target ≤ 300 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
