"""Explorer timings measured in headless chromium against a local Voilà (preheated kernels).

    .venv/bin/python benchmarks/bench_explorer.py [--loads 3] [--switches 8]

Timed inside the page (``performance.now()``), not by Playwright's polling: a locator's
``wait_for`` re-checks after 0, 20, 50, 100, 100 ms and then every 500 ms, so any update slower than
about 270 ms was reported as 800+ ms. Those polled figures are printed too, for comparison with
older runs.

first render: navigation start → the kommun heading is in the page (every panel is written before it);
the first of them right after the server is ready, as ``barometer explore`` announces it.
switch: the Enter key that picks a kommun → the heading of the new kommun (all panels updated).
Targets: first render ≤ 2 s, switch ≤ 300 ms. Figures are printed, never asserted. The machine's
load average is printed with them: on a shared 2-core machine the figures scale with it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from barometer.app.testing import voila_server

KOMMUNER = [("malmo", "1280"), ("Göteborg", "1480"), ("0114", "0114"), ("kiruna", "2584"), ("Lund", "1281"),
            ("umea", "2480"), ("1880", "1880"), ("Stockholm", "0180")]

#: Records in the page when the heading first appears and when its kommun changes, and the Enter key.
TIMING_SCRIPT = """
window.__bm = {first: null, enter: null, head: {}};
document.addEventListener('keydown', e => { if (e.key === 'Enter') window.__bm.enter = performance.now(); }, true);
new MutationObserver(() => {
  const h = document.querySelector('.bm-head');
  if (!h || !h.querySelector('h2')) return;
  const now = performance.now(), k = h.getAttribute('data-kommun');
  if (window.__bm.first === null) window.__bm.first = now;
  if (!(k in window.__bm.head)) window.__bm.head[k] = now;
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-kommun']});
"""


#: chromium blocks every non-local request itself (as benchmarks/bench_webinar.py does): no request makes a
#: round trip through the Playwright driver, and the HTTP cache works as in a journalist's browser.
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
                 "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost"]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def _summary(name: str, unit: str, values: list[float], target: str, digits: int = 0) -> str:
    return (f"{name} ({unit}): median {statistics.median(values):.{digits}f}, max {max(values):.{digits}f}, "
            f"all {[round(x, digits or None) for x in values]}  (target {target})")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--loads", type=int, default=3)
    ap.add_argument("--switches", type=int, default=8)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()[0]
    with voila_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        renders, renders_polled, blocked = [], [], []
        for i in range(args.loads):
            if i:  # the first page comes right after start (the server is announced once its pool is filled)
                time.sleep(4)  # let Voilà refill its pool of preheated kernels
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            ctx.add_init_script(TIMING_SCRIPT)
            page = ctx.new_page()
            page.on("request", lambda r: None if r.url.startswith(LOCAL) else blocked.append(r.url))
            t0 = time.perf_counter()
            page.goto(url)
            page.locator(".bm-head h2").wait_for(timeout=60_000)
            renders_polled.append(time.perf_counter() - t0)
            renders.append(page.evaluate("window.__bm.first") / 1000)
            ctx.close()
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        ctx.add_init_script(TIMING_SCRIPT)
        page = ctx.new_page()
        page.on("request", lambda r: None if r.url.startswith(LOCAL) else blocked.append(r.url))
        page.goto(url)
        page.locator(".bm-head h2").wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        box = page.get_by_placeholder("Skriv kommunens namn")
        switches, switches_polled = [], []
        for typed, code in (KOMMUNER * 3)[: args.switches]:
            box.fill(typed)
            page.evaluate("code => { delete window.__bm.head[code]; window.__bm.enter = null; }", code)
            t0 = time.perf_counter()
            box.press("Enter")
            page.locator(f'.bm-head[data-kommun="{code}"]').wait_for(timeout=15_000)
            switches_polled.append((time.perf_counter() - t0) * 1000)
            switches.append(page.evaluate("code => window.__bm.head[code] - window.__bm.enter", code))
            page.wait_for_timeout(300)
        browser.close()
    print(f"load average (1 min) before/after: {load_before:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(_summary("first render, in page", "s", renders, "≤ 2 s", 2))
    print(_summary("switch, in page", "ms", switches, "≤ 300 ms"))
    print(_summary("  (first render as Playwright's polling saw it", "s", renders_polled, "–", 2) + ")")
    print(_summary("  (switch as Playwright's polling saw it", "ms", switches_polled, "–") + ")")
    print(f"non-local requests (blocked by chromium): {len(blocked)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
