"""Utforska's layout in headless chromium with real scrollbars: at usual window sizes every panel lies inside the
window with the same margin on both sides, nothing scrolls sideways, no panel has an empty block above it, and
with the background map on nothing grey shows along the chosen kommun's edge."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("real_store"),
]

#: window sizes a journalist uses: laptop, small laptop/tablet, desktop, narrow window, and about where the
#: panels below the map go from one column to two
SIZES = [(1400, 1000), (1000, 900), (1920, 1080), (800, 900), (1200, 900)]
#: least distance in CSS px from a panel to the window's edge (inside its scrollbar)
MARGIN = 12
#: most empty space in CSS px above a panel: the gap between panels plus one row of buttons
#: ("Skapa CSV-fil") or a dropdown ("Indikator") that belongs to the panel above or below
MAX_GAP = 60
#: a tile of the background map, served in place of OpenStreetMap's (the page must not reach the internet)
TILE_RGB = (170, 211, 223)
#: Leaflet's empty-map colour (.leaflet-container), what the grey strip was, and how many pixels of it may
#: appear by chance (anti-aliasing); the strip along Enköping's edge was about 150
LEAFLET_GREY = (221, 221, 221)
MAX_GREY_PIXELS = 10

GEOMETRY = """() => {
  const page = document.getElementById('rendered_cells');  // Voilà's scrolling box (the page)
  // the panels, the map, and the kommun's heading and link above Nyckeltal
  const boxes = [...document.querySelectorAll('.bm-root :is(.bm-panel, .bm-map, .bm-head, .bm-share-line)')]
    .filter(el => el.offsetParent !== null)
    .map(el => { const r = el.getBoundingClientRect();
                 return {name: (el.querySelector('h3, h2') || {textContent: el.className}).textContent.trim().slice(0, 40),
                         left: r.left, right: r.right, top: r.top, bottom: r.bottom}; });
  // a box that scrolls sideways (at these sizes not even a panel's wide table)
  const sideways = [...page.querySelectorAll('*')]
    .filter(el => /auto|scroll/.test(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth)
    .map(el => `${el.className.slice(0, 60)}: ${el.scrollWidth} > ${el.clientWidth}`);
  return {inner: window.innerWidth, doc: document.documentElement.scrollWidth,
          page: [page.clientWidth, page.scrollWidth], sideways, boxes};
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from barometer.app.testing import voila_server

    with voila_server(timeout=90, log_path=tmp_path_factory.mktemp("voila") / "voila.log") as url:
        yield url


def _tile() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (256, 256), TILE_RGB).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def explorer_page(server):
    """Enköping (RegSO shown, every panel filled) in a chromium that draws scrollbars as a desktop browser does
    (Playwright hides them by default, which hid panels 4 px wider than their column); offline but for the
    background map's tiles, which are served here."""
    sync_api = pytest.importorskip("playwright.sync_api")

    tile, blocked = _tile(), []

    def route(r):
        url = r.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")):
            return r.continue_()
        if url.startswith("https://tile.openstreetmap.org/"):
            return r.fulfill(status=200, content_type="image/png", body=tile)
        blocked.append(url)
        return r.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless", "--disable-gpu"],
                                    ignore_default_args=["--hide-scrollbars"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route("**/*", route)
            sep = "&" if "?" in server else "?"
            page.goto(f"{server}{sep}kommun=0381", timeout=120_000)
            page.locator('.bm-head[data-kommun="0381"]').wait_for(timeout=90_000)
            page.locator(".bm-map path.bm-k0381").wait_for(state="attached", timeout=30_000)
            yield page
        finally:
            browser.close()
    assert blocked == [], f"sidan försökte nå externa adresser: {blocked}"


@pytest.mark.parametrize("width,height", SIZES)
def test_panels_fit_the_window_with_even_margins_and_no_gaps(explorer_page, width, height):
    page = explorer_page
    page.set_viewport_size({"width": width, "height": height})
    g = page.evaluate(GEOMETRY)
    client = g["page"][0]
    assert g["doc"] <= g["inner"] and g["page"][1] <= client, g  # no horizontal scrollbar on the page
    assert g["sideways"] == []
    boxes = g["boxes"]
    assert len(boxes) >= 11, boxes  # map, heading, link, Nyckeltal, Ladda ner, Tips and the five panels below
    for b in boxes:
        assert b["left"] >= MARGIN and b["right"] <= client - MARGIN, (width, b)
    left = min(b["left"] for b in boxes)
    right = client - max(b["right"] for b in boxes)
    assert abs(left - right) <= 1, (width, left, right)  # the same margin on both sides
    for b in boxes:  # tight: the nearest panel above (in the same column) ends just above it
        above = [a["bottom"] for a in boxes if a["bottom"] <= b["top"] and a["left"] < b["right"] and b["left"] < a["right"]]
        if above:
            assert b["top"] - max(above) <= MAX_GAP, (width, b["name"], b["top"] - max(above))


def test_background_map_shows_no_grey_strip_at_the_kommun_edge(explorer_page):
    """With RegSO shown the kommun's generalised polygon is hidden (no grey mask over it): with the background
    map on, every pixel of the map that no kommun, area or control covers is the background map's."""
    import numpy as np
    from PIL import Image

    page = explorer_page
    page.set_viewport_size({"width": 1400, "height": 1000})
    assert page.locator(".bm-map path.bm-k0381").evaluate("p => getComputedStyle(p).visibility") == "hidden"
    page.get_by_label("Bakgrundskarta (kräver internet)").check()
    try:
        page.wait_for_function("""() => { const t = [...document.querySelectorAll('.bm-map img.leaflet-tile')];
            return t.length > 0 && t.every(i => i.classList.contains('leaflet-tile-loaded') && getComputedStyle(i).opacity === '1'); }""",
                               timeout=30_000)
        shot = page.locator(".bm-map").screenshot(mask=[page.locator(".bm-map .leaflet-control")])  # text is grey too
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "utforska_enkoping_bakgrundskarta.png").write_bytes(shot)
    finally:
        page.get_by_label("Bakgrundskarta (kräver internet)").uncheck()
    rgb = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(int)
    grey = int((np.abs(rgb - np.array(LEAFLET_GREY)).max(axis=2) <= 2).sum())
    assert grey <= MAX_GREY_PIXELS, f"{grey} grå pixlar i kartan med bakgrundskarta"


def test_map_redraws_when_the_panels_beside_it_grow(explorer_page):
    """The map is as tall as the panels beside it; when they grow without the window changing size (a longer
    heading, a download link), Leaflet is told and draws the whole box (its overlay spans the box + 10 %
    padding on each side)."""
    page = explorer_page
    page.set_viewport_size({"width": 1400, "height": 1000})
    size = """() => { const m = document.querySelector('.bm-map'), svg = m.querySelector('.leaflet-overlay-pane svg');
                      return [m.clientHeight, svg.height.baseVal.value]; }"""
    before = page.evaluate(size)
    page.evaluate("""() => { const d = document.createElement('div'); d.id = 'bm-test-grow'; d.style.height = '150px';
                             document.querySelector('.bm-col').appendChild(d); }""")
    try:
        page.wait_for_function(f"() => ({size})()[0] >= {before[0] + 140}", timeout=10_000)
        page.wait_for_function(f"() => {{ const [h, svg] = ({size})(); return Math.abs(svg - 1.2 * h) <= 2; }}",
                               timeout=10_000)
    finally:
        page.evaluate("() => document.getElementById('bm-test-grow').remove()")
