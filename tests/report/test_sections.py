"""Report sections as data (no HTML) against the store, and their templates."""

from __future__ import annotations

import math

import pytest

import barometer
from barometer import store, text
from barometer.report import KommunReport, LanReport
from barometer.report.templating import Section, environment, figure, table

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _value(code, indicator, year, level="kommun"):
    df = barometer.data(indicator, level=level, years=[year], kommun=code)
    return float(df[(df["area_code"] == code) & (df["group"] == "totalt")]["value"].iloc[0])


@pytest.fixture(scope="module")
def umea():
    return KommunReport("2480", 2023)


def test_sammanfattning_facts_match_store(umea):
    s = umea.sammanfattning()
    assert isinstance(s, Section) and s.name == "sammanfattning"
    f = s["facts"]
    assert f["befolkning"] == _value("2480", "befolkning", 2023)
    assert f["valdeltagande"] == _value("2480", "valdeltagande_riksdag", 2022)
    assert sum(f["typ"].values()) <= f["n_regso"]
    assert s["sentences"][0].startswith(f"Umeå kommun hade {text.num(f['befolkning'])} invånare 2023")


def test_omradestyper_counts_and_shares(umea):
    d = umea.omradestyper().data
    regso = barometer.data("omradestyp", level="regso", years=[2023], kommun="2480")
    assert sum(d["counts"].values()) == int(regso["value"].notna().sum())
    assert d["counts"][1] == int((regso["value"] == 1).sum())
    shares = [v for v in d["shares"]["kommun"].values() if not math.isnan(v)]
    assert sum(shares) == pytest.approx(100, abs=0.01)
    assert [r[1] for r in d["table"]["rows"]] == [d["counts"][t] for t in range(1, 6)]
    # the text alternative of the chart names each type with the kommun's share
    assert all(f"Typ {t}: Umeå {text.pct(d['shares']['kommun'][t])}" in d["figure"]["alt"] for t in range(1, 6))


def test_inkomstskillnader_extremes(umea):
    d = umea.inkomstskillnader().data
    inc = barometer.data("medelloneinkomst", level="regso", years=[2023], kommun="2480").dropna(subset=["value"])
    assert d["highest"]["value"] == inc["value"].max() and d["lowest"]["value"] == inc["value"].min()
    assert d["ratio"] == pytest.approx(inc["value"].max() / inc["value"].min())
    assert d["highest"]["name"] in d["figure"]["alt"] and text.tkr(d["lowest"]["value"]) in d["figure"]["alt"]


def test_lan_report_facts():
    d = LanReport("25", 2023).kommuner_table().data
    a = store.areas_table()
    assert set(d["facts"]) == set(a[(a["level"] == "kommun") & (a["lan_code"] == "25")]["code"])
    assert len(d["table"]["rows"]) == len(d["facts"])


def test_table_macro_header_cells_and_escaping():
    t = table(["Område", "Värde"], [["<b>A</b>", "1,5"]], caption="Test & prov")
    m = environment().get_template("macros.html.j2").module
    out = str(m.table(t))
    assert '<th scope="col">Område</th><th scope="col" class="num">Värde</th>' in out
    assert '<th scope="row">&lt;b&gt;A&lt;/b&gt;</th><td class="num">1,5</td>' in out
    assert "<caption>Test &amp; prov</caption>" in out
    f = figure('<svg role="img" aria-label="x"></svg>', "Bild <1>", "Källa: X")
    assert '<svg role="img" aria-label="x"></svg>' in str(m.figure(f)) and "Bild &lt;1&gt;" in str(m.figure(f))


def test_every_section_has_a_template(umea):
    for name in ("heading", "sammanfattning", "omradestyper", "segregation", "inkomstskillnader", "valdeltagande",
                 "utbildning", "karta", "las_rapporten", "metod_och_kallor"):
        s = getattr(umea, name)()
        assert s.name == name and s.html().strip().startswith("<")
