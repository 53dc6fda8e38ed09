"""The section "Skillnader mellan områdestyper" (kommun, län) and the riket report, as data against the store."""

from __future__ import annotations

import json

import pytest

import barometer
from barometer import text
from barometer.config import notebooks_dir
from barometer.report import KommunReport, LanReport
from barometer.report.omradestyp import skillnader
from barometer.report.riket import RiketReport

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _by_type(indicator, level, code, year=2023, klassning="samma_ar"):
    df = barometer.data(indicator, level=level, years=[year], by="omradestyp", klassning=klassning)
    return df[df["area_code"] == code].set_index("omradestyp")["value"]


@pytest.fixture(scope="module")
def malmo(real_store):
    return KommunReport("1280", 2023)


def test_malmo_section_matches_the_published_table(malmo):
    s = skillnader(malmo)
    assert s.name == "skillnader_omradestyper"
    fb = _by_type("andel_utrikes_fodda", "kommun", "1280")
    rik = _by_type("andel_utrikes_fodda", "riket", "00")
    rows = {r[0]: r for r in s["table"]["rows"]}
    assert rows["Typ 1"][2] == text.pct(fb["1"]) and rows["Typ 1"][3] == text.pct(rik["1"])
    assert rows["Typ 1–2"][2] == text.pct(fb["1-2"])
    assert "Skillnad typ 1–2 mot 4–5" in rows
    assert s["single"] == "" and "Störst skillnad mellan områdestyperna 2023" in s["sentence"]
    assert text.pct(fb["1-2"]) in s["sentence"] or text.tkr(_by_type("medelloneinkomst", "kommun", "1280")["1-2"]) in s["sentence"]
    assert "Malmö" in s["figure"]["alt"] and text.pct(fb["5"]) in s["figure"]["alt"]
    assert "<h2>Skillnader mellan områdestyper</h2>" in s.html()
    assert "scb_omradestyp" in malmo.used


def test_sammanfattning_names_the_largest_gap(malmo):
    sentences = malmo.sammanfattning()["sentences"]
    assert any(x.startswith("Störst skillnad mellan områdestyperna 2023") for x in sentences)


def test_a_single_type_kommun_reads_well(real_store):
    df = barometer.data("befolkning", level="kommun", years=[2023], group="totalt", by="omradestyp")
    typed = df[df["omradestyp"].isin(list("12345")) & (df["n_regso"] > 0)].groupby("area_code").size()
    code = typed[typed == 1].index[0]
    r = KommunReport(code, 2023)
    s = skillnader(r)
    assert "kan inte beräknas" in s["single"] and s["sentence"] == ""
    labels = [row[0] for row in s["table"]["rows"]]
    assert "Skillnad typ 1–2 mot 4–5" not in labels and len(labels) <= 2
    summary = " ".join(r.sammanfattning()["sentences"])
    assert "inte beräknas" in summary and "tabellen" not in summary


def test_lan_section(real_store):
    s = skillnader(LanReport("12", 2023))
    fb = _by_type("andel_utrikes_fodda", "lan", "12")
    rows = {r[0]: r for r in s["table"]["rows"]}
    assert rows["Typ 4–5"][2] == text.pct(fb["4-5"])
    assert s["level_word"] == "länet"


def test_riket_report_sections(real_store):
    r = RiketReport(2023)
    b = r.bild()
    fb = _by_type("andel_utrikes_fodda", "riket", "00")
    assert b["values"]["andel_utrikes_fodda"]["1"] == pytest.approx(fb["1"])
    assert sum(b["population"].values()) == pytest.approx(1.0)
    u = r.utveckling()
    assert u["years"] == [2020, 2021, 2022, 2023]
    fast = barometer.data("andel_utrikes_fodda", level="riket", by="omradestyp", klassning="fast")
    gap2020 = fast[(fast["year"] == 2020) & (fast["omradestyp"] == "skillnad")]["value"].iloc[0]
    assert u["series"]["andel_utrikes_fodda"]["skillnad"][0] == pytest.approx(gap2020)
    sk = r.skillnader()
    lan = sk["lan"]["andel_utrikes_fodda"]
    gaps = [x["gap"] for x in lan]
    assert gaps == sorted(gaps, key=abs, reverse=True) and len(lan) + sk["lan_missing"] == 21
    for rec in sk["kommuner"]["andel_utrikes_fodda"]:
        assert rec["n12"] >= 2 and rec["n45"] >= 2
    assert len(sk["kommun_tables"]) == 3
    assert "scb_omradestyp" in r.used and r.metod_och_kallor()["table"]["rows"]


def test_riksrapport_notebook_is_thin(real_store):
    nb = json.loads((notebooks_dir() / "riksrapport.ipynb").read_text(encoding="utf-8"))
    params = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1 and "year" in "".join(params[0]["source"])
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(len(src.splitlines()) <= 3 for src in code)


def test_report_riket_cli(real_store, tmp_path):
    from barometer.cli import main

    assert main(["report", "--riket", "--engine", "inprocess", "--no-pdf", "--out", str(tmp_path)]) == 0
    html = (tmp_path / "riket-2023.html").read_text(encoding="utf-8")
    assert "Län och kommuner med störst skillnader" in html and "Utveckling 2020–2023" in html


def test_lan_section_lists_its_kommuner_by_gap(real_store):
    s = skillnader(LanReport("12", 2023))
    k = s["kommuner"]
    names = [r[0] for r in k["table"]["rows"]]
    assert "Malmö" in names and k["n"] + k["missing"] == 33
    gaps = barometer.data("andel_utrikes_fodda", level="kommun", lan="12", years=[2023], by="omradestyp")
    gaps = gaps[gaps["omradestyp"] == "skillnad"].dropna(subset=["value"])
    assert len(gaps) == k["n"]
    assert names[0] == gaps.loc[gaps["value"].abs().idxmax(), "area_name"]


def test_riket_report_html_and_pdf_are_accessible(real_store, tmp_path):
    """The riket report passes axe-core (WCAG 2.1 A/AA) and its PDF figures carry text alternatives."""
    from pathlib import Path

    from barometer.report.riket import render

    result = render(2023, tmp_path, engine="inprocess", pdf=True)
    assert result.ok, result.error
    sync_api = pytest.importorskip("playwright.sync_api")
    axe_mod = pytest.importorskip("axe_playwright_python.sync_playwright")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("/usr/bin/chromium saknas")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--headless", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(Path(result.html).as_uri())
            res = axe_mod.Axe().run(page, options={"runOnly": {"type": "tag", "values": [
                "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]})
        finally:
            browser.close()
    assert res.violations_count == 0, res.generate_report()
