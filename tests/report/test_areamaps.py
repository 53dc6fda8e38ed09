"""Kommunrapport's small-area maps: text alternatives carry the key facts; kommuner without geometry get the hint."""

import pytest


@pytest.fixture(scope="module")
def uppsala(real_store):
    from barometer.report.areamaps import area_maps
    from barometer.report.context import KommunReport

    return area_maps(KommunReport("0380", 2023))


def test_uppsala_type_map_names_type_1_2_areas(uppsala):
    assert uppsala["available"]
    named = uppsala["type_named"]
    assert len(named) == 10 and {d["typ"] for d in named} == {1, 2}  # 2 of type 1, 8 of type 2 in 2023
    alt = uppsala["type_map"]["alt"]
    assert alt.startswith("Karta: 61 RegSO-områden i Uppsala") and "2 av typ 1" in alt and "8 av typ 2" in alt
    assert all(d["name"] in alt for d in named)
    assert uppsala["type_sentence"] in alt  # the same facts in the text and in the alternative
    assert 'aria-label="Karta: 61 RegSO' in uppsala["type_map"]["svg"]
    assert uppsala["type_map"]["kind"] == "areamap"


def test_uppsala_share_and_deso_maps(uppsala):
    assert "högst i" in uppsala["share_sentence"] and "lägst i" in uppsala["share_sentence"]
    assert "61 RegSO-områden" in uppsala["share_map"]["alt"]
    assert "omkring 2019" in uppsala["deso_map"]["caption"] and "150 DeSO-områden" in uppsala["deso_map"]["alt"]
    inc = uppsala["deso_income"]
    assert inc["finer"] and "0380C1280" in inc["sentence"] and "0380C1460" in inc["sentence"]
    assert "inte det officiella ojämlikhetsindexet" in inc["note"] and "ungefärligt" in inc["note"]


def test_kommun_without_geometry_gets_hint_and_deso_income(real_store):
    from barometer.report.context import KommunReport

    html = KommunReport("1780", 2023).karta().html()
    assert "barometer fetch --geometries" in html and "<h3>Områdestyper</h3>" not in html
    assert "Inkomst i små områden (DeSO, omkring 2019)" in html and "inte det officiella ojämlikhetsindexet" in html


def test_small_kommun_heby_keeps_maps_whole(real_store):
    from barometer.report.context import KommunReport

    html = KommunReport("0331", 2023).karta().html()
    assert html.count('<div class="keep">') == 3 and html.count('class="chart areamap"') == 3
    assert "Morgongåva tätort (typ 2)" in html and "Tärnsjö tätort (typ 2)" in html
