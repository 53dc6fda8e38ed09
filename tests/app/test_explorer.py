"""The Explorer widget headless: picking a kommun fills the panels with the store's numbers."""

import re

import pytest

from barometer import store
from barometer.text import pct, pp

pytestmark = pytest.mark.usefixtures("real_store")


@pytest.fixture(scope="module")
def explorer():
    from barometer.app.explorer import Explorer

    return Explorer(kommun="0180")


def test_initial_kommun_is_stockholm(explorer):
    assert explorer.kommun_code == "0180"
    assert "Stockholm" in explorer.header.value


@pytest.mark.parametrize("typed", ["malmo", "Malmö", "1280", "Malmö (1280)", " MALMÖ "])
def test_picker_accepts_names_codes_and_missing_diacritics(explorer, typed):
    explorer.picker.value = "Stockholm (0180)"
    explorer.picker.value = typed
    assert explorer.kommun_code == "1280"
    assert explorer.picker.value == "Malmö (1280)"
    assert "<h2>Malmö kommun</h2>" in explorer.header.value


def test_panels_show_the_stores_numbers(explorer, kommun_value):
    explorer.picker.value = "malmo"
    turnout = kommun_value("1280", "valdeltagande_riksdag", 2022)
    foreign = kommun_value("1280", "andel_utrikes_fodda", 2023)
    assert pct(turnout) in explorer.key_panel.value
    assert pct(foreign) in explorer.key_panel.value
    # district extremes and spread, straight from the store
    v = store.kommun_values("1280")
    d = v[(v["level"] == "valdistrikt") & (v["indicator"] == "valdeltagande_riksdag") & (v["year"] == 2022)]["value"].dropna()
    assert pp(d.max() - d.min()) in explorer.turnout_panel.value
    assert pct(d.max()) in explorer.tips_panel.value and pct(d.min()) in explorer.tips_panel.value
    # every RegSO income is in the CSV of what is shown
    inc = v[(v["level"] == "regso") & (v["indicator"] == "medelloneinkomst") & (v["year"] == 2023)]["value"].dropna()
    shown = explorer.shown_table()
    got = shown[shown["avsnitt"] == "inkomster"]["värde"]
    assert sorted(got.round(6)) == sorted(inc.round(6))
    assert "Tips till redaktionen" in explorer.tips_panel.value
    assert "Områdestyper" in explorer.typ_panel.value


def test_unknown_name_gives_swedish_suggestions_and_keeps_kommun(explorer):
    explorer.picker.value = "malmo"
    explorer.picker.value = "Malmoe stad xyz"
    assert explorer.kommun_code == "1280"
    assert "Hittade ingen kommun" in explorer.status.value


def test_map_click_selects_kommun(explorer):
    explorer._on_map_click(event="click", feature={"id": "2584", "properties": {"kommun_kod": "2584"}})
    assert explorer.kommun_code == "2584"
    assert explorer.selected_layer.data["features"][0]["id"] == "2584"


def test_compare_mode(explorer, kommun_value):
    explorer.picker.value = "malmo"
    assert explorer.compare_panel.layout.display == "none"  # no comparison: the panel takes no room
    explorer.compare_picker.value = "lund"
    assert explorer.compare_panel.layout.display is None
    html = explorer.compare_panel.value
    assert "Jämförelse: Malmö och Lund" in html
    assert pct(kommun_value("1281", "andel_utrikes_fodda", 2023)) in html
    shown = explorer.shown_table()
    assert set(shown["kommunkod"]) == {"1280", "1281"}
    assert 'href="?kommun=1280&amp;jamfor=1281"' in explorer.share.value  # the link follows the comparison
    explorer.compare_picker.value = ""
    assert explorer.compare_panel.value == "" and explorer.compare_panel.layout.display == "none"
    assert 'href="?kommun=1280"' in explorer.share.value
    explorer.picker.value = "1281"
    assert 'href="?kommun=1281"' in explorer.share.value and ">Lund<" in explorer.share.value


def test_map_indicator_recolours_and_legend(explorer):
    explorer.indicator.value = "Valdeltagande riksdagsval 2022"
    assert explorer.legend.title == "Valdeltagande riksdagsval 2022"  # the label's year, not repeated
    styles = {f["properties"]["style"]["fillColor"] for f in explorer.choropleth.data["features"]}
    assert len(styles) >= 5
    assert len(explorer.choropleth.data["features"]) == 290
    assert not any(getattr(layer, "url", "") for layer in explorer.map.layers)  # no tile layer: offline
    explorer.indicator.value = "Andel utrikes födda"
    assert re.fullmatch(r"Andel utrikes födda 20\d\d", explorer.legend.title)  # the latest year, once


def test_png_and_switch(explorer):
    png = explorer.make_png()
    assert png.startswith(b"\x89PNG") and "data:image/png;base64," in explorer.png_link.value
    explorer.picker.value = "0114"
    explorer.picker.value = "1480"
    assert explorer.kommun_code == "1480" and explorer.last_update_ms == explorer.last_update_ms  # timed in benchmarks/, not here


def test_csv_is_built_on_request_for_the_shown_kommun(explorer):
    explorer.picker.value = "malmo"
    assert explorer.csv_link.value == ""  # nothing built (nor sent to the page) before it is asked for
    csv = explorer.make_csv().decode("utf-8-sig")
    assert csv.startswith("kommunkod;kommun;avsnitt;") and "1280;Malmö;nyckeltal;" in csv
    link = explorer.csv_link.value
    assert 'download="segregationsbarometern_malmo.csv"' in link and "data:text/csv;base64," in link
    explorer.picker.value = "lund"
    assert explorer.csv_link.value == ""  # Malmö's file is not offered for Lund


def test_query_string_preselects_and_is_validated():
    from barometer.app.explorer import Explorer

    ex = Explorer(kommun="0180")
    assert ex.select_from_query("kommun=malmo&jamfor=Lund") == "1280"
    assert ex.kommun_code == "1280" and ex.compare_picker.value.endswith("(1281)")
    assert ex.select_from_query("kommun=%3Cscript%3Ealert(1)%3C/script%3E") is None
    assert "<script>" not in ex.status.value and "&lt;script&gt;" in ex.status.value
    assert ex.kommun_code == "1280"  # a bad value keeps the current kommun
    assert ex.select_from_query("") is None
