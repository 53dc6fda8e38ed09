"""Accessible reports: tagged PDF (PDF/UA-1) checked with pikepdf; the HTML report through axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from barometer.report import batch

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def bjurholm(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    result = batch.render_one("2403", 2023, out)
    assert result.ok, result.error
    return result


def _struct_elems(node, seen=None):
    import pikepdf

    seen = set() if seen is None else seen
    if isinstance(node, pikepdf.Array):
        for kid in node:
            yield from _struct_elems(kid, seen)
    elif isinstance(node, pikepdf.Dictionary):
        if node.is_indirect:
            if node.objgen in seen:
                return
            seen.add(node.objgen)
        if "/S" in node:
            yield node
        if "/K" in node:
            yield from _struct_elems(node.K, seen)


def test_pdf_is_tagged_with_language_title_and_figure_alternatives(bjurholm):
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(bjurholm.pdf) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root and root.MarkInfo.Marked
        assert str(root.Lang) == "sv"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.docinfo.Title) == "Bjurholms kommun – kommunrapport 2023"
        elems = list(_struct_elems(root.StructTreeRoot))
        kinds = [str(e.S) for e in elems]
        assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= set(kinds)
        figures = [e for e in elems if e.S == "/Figure"]
        assert len(figures) >= 4  # områdestyper, segregation, valdeltagande, län map (income: 2 RegSO still drawn)
        alts = [str(f.get("/Alt", "")) for f in figures]
        assert all(alts), "every /Figure needs a text alternative"
        # a text alternative states what the figure shows with its key numbers, not just a title
        charts = [a for a in alts if not a.startswith("Karta")]
        assert all(re.search(r"\d,\d|\d\xa0(%|tkr)", a) for a in charts), charts
        xmp = pdf.open_metadata()
        assert xmp.get("pdfuaid:part") == "1"


def test_svg_image_keeps_a_long_text_alternative():
    from barometer.report.render import svg_as_images

    alt = "Karta: 61 RegSO-områden i Uppsala färgade efter områdestyp 2023. " + "Område (typ 2), " * 80
    page = f'<p>x</p><svg role="img" aria-label="{alt}" viewBox="0 0 10 10"><text>a</text></svg>'
    assert f'alt="{alt}"' in svg_as_images(page)


@pytest.mark.browser
def test_html_report_has_no_axe_violations(bjurholm):
    sync_api = pytest.importorskip("playwright.sync_api")
    axe_mod = pytest.importorskip("axe_playwright_python.sync_playwright")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(Path(bjurholm.html).as_uri())
            results = axe_mod.Axe().run(page, options={"runOnly": {"type": "tag", "values": [
                "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]})
        finally:
            browser.close()
    assert results.violations_count == 0, results.generate_report()
