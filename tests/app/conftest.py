"""Fixtures shared by the tests of Utforska: one headless Debian chromium per test module, pages that may
only reach the local server, and the store's value of a kommun figure."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """A headless chromium (Playwright) for the module's tests; skipped when Playwright is absent."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless", "--disable-gpu"])
        yield b
        b.close()


#: Addresses a page of the explorer may load; anything else is blocked and recorded (the page must work offline).
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "http://localhost", "ws://localhost", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def offline_page(browser):
    """``open(url, blocked, width=1400, height=1000, **context_options) -> (context, page)``: a new browser
    context and page at ``url`` where every non-local request is aborted and its address appended to
    ``blocked``. The caller closes the context."""
    def open_(url: str, blocked: list[str], width: int = 1400, height: int = 1000, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        page = context.new_page()

        def route(r):
            if r.request.url.startswith(LOCAL):
                return r.continue_()
            blocked.append(r.request.url)
            return r.abort()

        page.route("**/*", route)
        page.goto(url, timeout=120_000)
        return context, page

    return open_


@pytest.fixture(scope="session")
def kommun_value():
    """``kommun_value(code, indicator, year) -> float``: the store's ``totalt`` value of a kommun figure."""
    from barometer import store

    def value(code: str, indicator: str, year: int) -> float:
        v = store.values_table()
        row = v[(v["level"] == "kommun") & (v["area_code"] == code) & (v["indicator"] == indicator)
                & (v["year"] == year) & (v["group"] == "totalt")]
        return float(row["value"].iloc[0])

    return value
