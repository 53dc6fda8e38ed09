"""The explorer served by Voilà, driven in headless chromium with every non-local request blocked."""

from __future__ import annotations

import concurrent.futures
import time
import urllib.request
from pathlib import Path

import pytest

from barometer.text import pct

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("real_store"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from barometer.app.testing import voila_server

    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with voila_server(timeout=60, log_path=log) as url:
        yield url


@pytest.fixture(scope="module")
def open_page(offline_page):
    """Open the explorer offline and wait for its heading (see ``offline_page`` in conftest)."""
    def open_(url, blocked: list[str], width=1400, height=1000):
        context, page = offline_page(url, blocked, width, height, accept_downloads=True)
        page.locator(".bm-head h2").wait_for(timeout=60_000)
        return context, page

    return open_


def _norm(text: str) -> str:
    return text.replace("\u00a0", " ")


def test_page_is_stripped_and_swedish(server):
    html = urllib.request.urlopen(server, timeout=60).read().decode("utf-8")
    assert "Utforska segregationen i din kommun" in html
    assert "Explorer(kommun" not in html  # sources stripped
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html


def test_journalist_flow_offline(server, open_page, kommun_value):
    blocked: list[str] = []
    context, page = open_page(server, blocked)
    try:
        assert "Stockholm" in page.locator(".bm-head h2").inner_text()
        box = page.get_by_placeholder("Skriv kommunens namn")
        box.fill("malmo")
        box.press("Enter")
        page.locator(".bm-head h2", has_text="Malmö").wait_for(timeout=15_000)
        body = _norm(page.locator(".bm-root").inner_text())
        assert _norm(pct(kommun_value("1280", "valdeltagande_riksdag", 2022))) in body
        assert _norm(pct(kommun_value("1280", "andel_utrikes_fodda", 2023))) in body
        assert "Tips till redaktionen" in body and "procentenheter" in body
        assert page.locator(".leaflet-container path.leaflet-interactive").count() >= 290

        # CSV download of what is shown: built on request, then saved from the link
        page.get_by_role("button", name="Skapa CSV-fil").click()
        with page.expect_download(timeout=15_000) as dl:
            page.locator("a.bm-download", has_text="CSV").click()
        csv = Path(dl.value.path()).read_bytes().decode("utf-8-sig")
        assert dl.value.suggested_filename == "segregationsbarometern_malmo.csv"
        assert csv.startswith("kommunkod;kommun;avsnitt;")
        assert "1280;Malmö;nyckeltal;" in csv and "valdeltagande" in csv

        ARTIFACTS.mkdir(exist_ok=True)
        page.set_viewport_size({"width": 1400, "height": 2600})
        page.evaluate("() => { window.scrollTo(0, 0); document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; }); }")
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "utforska_malmo.png"), full_page=True)
        page.set_viewport_size({"width": 1400, "height": 1000})

        # click on the map: the middle of the largest kommun shape (Kiruna, far from the selected Malmö)
        page.locator(".leaflet-container").scroll_into_view_if_needed()
        paths = page.locator(".leaflet-container path.leaflet-interactive")
        boxes = [paths.nth(i).bounding_box() for i in range(paths.count())]
        big = max((b for b in boxes if b), key=lambda b: b["width"] * b["height"])
        page.mouse.click(big["x"] + big["width"] * 0.5, big["y"] + big["height"] * 0.5)
        page.wait_for_function("() => { const h = document.querySelector('.bm-head h2');"
                               " return h && h.textContent !== 'Malmö kommun'; }", timeout=15_000)
        new = page.locator(".bm-head h2").inner_text()
        assert new and new != "Malmö kommun" and new.endswith(" kommun")
        assert f"({page.locator('.bm-head').get_attribute('data-kommun')})" in page.get_by_placeholder("Skriv kommunens namn").input_value()
    finally:
        context.close()
    assert blocked == [], f"sidan försökte nå externa adresser: {blocked}"


def test_ten_concurrent_sessions(server):
    """Ten page loads at once (each executes the notebook in its own kernel) all render the explorer."""
    def load(_):
        t0 = time.monotonic()
        html = urllib.request.urlopen(server, timeout=150).read().decode("utf-8")
        ok = ("application/vnd.jupyter.widget-view+json" in html and "Explorer(children" in html
              and '"output_type": "error"' not in html and "Traceback" not in html)
        return time.monotonic() - t0, ok

    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        results = list(pool.map(load, range(10)))
    assert all(ok for _, ok in results), results


def test_query_string_preselects_kommun(server, open_page):
    blocked: list[str] = []
    sep = "&" if "?" in server else "?"
    context, page = open_page(f"{server}{sep}kommun=lund", blocked)
    try:
        page.locator(".bm-head h2", has_text="Lund").wait_for(timeout=30_000)
        assert page.locator(".bm-head").get_attribute("data-kommun") == "1281"
    finally:
        context.close()
    assert blocked == []


def test_share_link_and_address_follow_the_view(server, open_page):
    """After switching kommun and comparison the page offers a link to what is shown, the address bar
    follows it, and opening that link in a fresh page shows the same view."""
    blocked: list[str] = []
    context, page = open_page(server, blocked)
    try:
        box = page.get_by_placeholder("Skriv kommunens namn")
        box.fill("malmo")
        box.press("Enter")
        page.locator('.bm-head[data-kommun="1280"]').wait_for(timeout=15_000)
        page.locator('a.bm-share[href="?kommun=1280"]').wait_for(timeout=15_000)
        other = page.get_by_placeholder("Jämför med")
        other.fill("lund")
        other.press("Enter")
        link = page.locator('a.bm-share[data-jamfor="1281"]')
        link.wait_for(timeout=15_000)
        assert link.get_attribute("href") == "?kommun=1280&jamfor=1281"
        assert "Malmö jämfört med Lund" in link.inner_text()
        page.wait_for_function("() => location.search === '?kommun=1280&jamfor=1281'", timeout=10_000)
        shared = link.evaluate("a => a.href")  # absolute: the page's own address with the view's query
    finally:
        context.close()
    context, page = open_page(shared, blocked)
    try:
        page.locator('.bm-head[data-kommun="1280"]').wait_for(timeout=30_000)
        page.locator(".bm-panel h3", has_text="Jämförelse: Malmö och Lund").wait_for(timeout=30_000)
        assert page.get_by_placeholder("Jämför med").input_value() == "Lund (1281)"
    finally:
        context.close()
    assert blocked == []
