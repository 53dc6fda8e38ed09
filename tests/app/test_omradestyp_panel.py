"""Utforska's panel "Skillnader mellan områdestyper": the published figures for the kommun, the comparison kommun and riket."""

import re

import pytest

import barometer
from barometer.app.omradestyp_panel import csv_rows, lead, view
from barometer.text import pct

pytestmark = pytest.mark.usefixtures("real_store")


def _by_type(indicator, code, level="kommun"):
    df = barometer.data(indicator, level=level, years=[2023], by="omradestyp")
    return df[df["area_code"] == code].set_index("omradestyp")["value"]


@pytest.fixture(scope="module")
def explorer():
    from barometer.app.explorer import Explorer

    return Explorer(kommun="1280")


def test_panel_shows_kommun_and_riket(explorer):
    html = explorer.typgap.html.value
    fb, rik = _by_type("andel_utrikes_fodda", "1280"), _by_type("andel_utrikes_fodda", "00", "riket")
    assert explorer.typgap.indicator.value == "andel_utrikes_fodda"  # Malmö's largest gap
    assert "Skillnader mellan områdestyper 2023" in html
    assert pct(fb["1-2"]) in html and pct(rik["4-5"]) in html
    assert re.search(r"<p class=\"bm-lead\">I Malmö är andelen utrikes födda", html)


def test_comparison_kommun_gets_a_column_and_a_lead(explorer):
    explorer.compare_picker.value = "Lund (1281)"
    try:
        html = explorer.typgap.html.value
        assert '<th scope="col" class="n">Lund</th>' in html
        assert pct(_by_type("andel_utrikes_fodda", "1281")["1-2"]) in html
        assert "I Lund är andelen utrikes födda" in html
        csv = explorer.shown_table()
        part = csv[csv["avsnitt"] == "områdestyper, skillnader"]
        assert set(part["kommunkod"]) == {"1280", "1281"}
    finally:
        explorer.compare_picker.value = ""
    assert "Lund" not in explorer.typgap.html.value


def test_switching_indicator(explorer):
    explorer.typgap.indicator.value = "medelloneinkomst"
    try:
        html = explorer.typgap.html.value
        assert "medellöneinkomst" in html and "befolkningsviktat närmevärde" in html
        assert "gånger så hög" in html
    finally:
        explorer.typgap.indicator.value = "andel_utrikes_fodda"


def test_single_type_kommun_says_no_comparison():
    df = barometer.data("befolkning", level="kommun", years=[2023], group="totalt", by="omradestyp")
    typed = df[df["omradestyp"].isin(list("12345")) & (df["n_regso"] > 0)].groupby("area_code").size()
    code = typed[typed == 1].index[0]
    name = barometer.kommun(code).name
    assert "kan inte beräknas" in lead(code, name, 2023)
    v = view(code, name, 2023, "andel_utrikes_fodda")
    assert [r["cells"][1] for r in v["rows"]].count("–") >= 5  # types without RegSO and the gap: "–", never 0


def test_csv_rows_match_the_published_table():
    rows = csv_rows("1280", "Malmö", 2023)
    fb = _by_type("andel_utrikes_fodda", "1280")
    hit = rows[(rows["område"] == "Malmö") & rows["mått"].str.startswith("utrikes födda")
               & rows["mått"].str.endswith("områdestyp 1-2")]
    assert float(hit["värde"].iloc[0]) == pytest.approx(fb["1-2"])
    assert rows["källa"].str.contains("scb_omradestyp").all()  # source ids unless names are passed
