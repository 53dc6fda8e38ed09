"""Utforska in headless chromium has no axe-core violations of WCAG 2.1 A/AA, loaded and while it loads."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("real_store"),
]


def test_utforska_has_no_axe_violations(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    axe_mod = pytest.importorskip("axe_playwright_python.sync_playwright")
    from barometer.app.testing import voila_server

    with voila_server(timeout=90, log_path=tmp_path / "voila.log") as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else r.abort())
            held = []  # Voilà's main script, held back so that the loading message stays on screen
            page.route("**/voila/static/voila.js*", lambda r: held.append(r))  # the later route runs first
            page.goto(url, timeout=90_000, wait_until="commit")
            page.locator("#loading_text").wait_for(timeout=90_000)
            page.wait_for_function("document.getElementById('loading_step').textContent.includes('Ritar')", timeout=90_000)
            loading = axe_mod.Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG21_AA},
                                                       "resultTypes": ["violations"]})
            assert page.locator("#loading_text").get_attribute("role") == "status"
            assert page.evaluate("document.getAnimations().length") == 0  # nothing moves while it waits
            assert held, "Voilà's script was not held back: the loading message was not what axe checked"
            page.unroute("**/voila/static/voila.js*")
            for r in held:
                r.continue_()
            page.locator(".bm-head h2").wait_for(timeout=90_000)
            page.wait_for_timeout(1000)  # map tiles and legend settle
            results = axe_mod.Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG21_AA},
                                                       "resultTypes": ["violations"]})
        finally:
            browser.close()
    assert loading.violations_count == 0, loading.generate_report()
    assert results.violations_count == 0, results.generate_report()
