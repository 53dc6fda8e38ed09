"""Utforska's RegSO/DeSO layer: published GeoJSON coloured by områdestyp, indicator or DeSO income; hover text."""

import pytest


@pytest.fixture(scope="module")
def ex(real_store):
    from barometer.app.explorer import Explorer

    return Explorer(kommun="0380")


def test_uppsala_shows_61_regso_by_type(ex):
    from barometer.app.arealayer import TYPE_MODE

    ex.areas.mode.value = TYPE_MODE
    feats = ex.regso_layer.data["features"]
    assert len(feats) == 61 and ex.has_regso_map
    assert ex.areas.legend_title.startswith("Områdestyp")
    f = next(f for f in feats if f["properties"]["omradestyp"] == 1)
    ex.areas._on_hover(feature=f)
    assert f["properties"]["name"] in ex.hover.value and "typ 1" in ex.hover.value


def test_indicator_and_deso_modes(ex):
    from barometer.app.arealayer import DESO_MODE, INDICATOR_MODE, OFF, TYPE_MODE

    ex.indicator.value = "Andel utrikes födda"
    ex.areas.mode.value = INDICATOR_MODE
    feats = ex.regso_layer.data["features"]
    assert len(feats) == 61 and all(f["properties"]["value"] is not None for f in feats)
    assert ex.areas.legend_title.startswith("Andel utrikes födda")
    ex.areas._on_hover(feature=feats[0])
    assert "%" in ex.hover.value
    ex.indicator.value = "Valdeltagande riksdagsval 2022"  # not per RegSO: områdestyp instead, said so
    assert "finns inte per RegSO" in ex.areas.info.value
    ex.areas.mode.value = DESO_MODE
    feats = ex.regso_layer.data["features"]
    assert len(feats) == 150
    assert "omkring 2019" in ex.areas.info.value and "inte det officiella ojämlikhetsindexet" in ex.areas.info.value
    import re

    assert re.search(r"Högst DeSO \w+ i [^()]+: [\d\s,]+tkr", ex.areas.info.value), ex.areas.info.value
    assert ") (" not in ex.areas.info.value  # one set of brackets at most: "DeSO X i Namn: 411 tkr"
    ex.areas._on_hover(feature=feats[0])
    assert "tkr (omkring 2019)" in ex.hover.value
    ex.areas.mode.value = OFF
    assert ex.regso_layer.data["features"] == []
    ex.areas.mode.value = TYPE_MODE


def test_small_kommun_and_kommun_without_geometry(ex):
    ex.select("0331")
    assert len(ex.regso_layer.data["features"]) == 9 and ex.has_regso_map
    ex.select("1780")
    assert ex.regso_layer.data["features"] == [] and not ex.has_regso_map
    assert "barometer fetch --geometries" in ex.areas.info.value
    assert "inte det officiella ojämlikhetsindexet" in ex.areas.info.value  # Karlstad: DeSO income gaps anyway
    ex.select("0380")
