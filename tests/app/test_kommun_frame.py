"""With RegSO/DeSO shown, the chosen kommun is outlined by its published dissolved areas and its generalised polygon
is hidden (nothing of it, nor a mask over it, shows outside that outline); the map's own controls speak Swedish."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.usefixtures("real_store")


def test_build_publishes_an_outline_per_kommun_with_areas():
    import geopandas as gpd
    from shapely.geometry import shape

    from barometer import config, maps

    regso = gpd.read_parquet(config.store_dir() / "geometry" / "regso.parquet")
    for code in maps.kommuner_with_geometry("regso"):
        text, bounds = maps.kommun_geojson_text(code, "outline")
        feature = json.loads(text)["features"][0]
        assert feature["id"] == code
        areas = regso[regso["kommun_code"] == code].geometry.union_all()
        outline = shape(feature["geometry"])
        # the outline is the areas' outer border: same extent, covers them (holes dropped)
        assert outline.buffer(1e-4).covers(areas)
        assert bounds == pytest.approx(areas.bounds, abs=1e-4)


def test_explorer_frames_the_kommun_by_its_areas_when_shown():
    from barometer import maps
    from barometer.app.arealayer import OFF, TYPE_MODE
    from barometer.app.explorer import Explorer, kommun_class

    ex = Explorer(kommun="0381")  # Enköping: RegSO geometry published
    outline = json.loads(maps.kommun_geojson_text("0381", "outline")[0])
    assert [f["geometry"] for f in ex.selected_layer.data["features"]] == [outline["features"][0]["geometry"]]
    # every kommun polygon carries its class; the page's rule hides the chosen one's (no mask layer over it)
    classes = {f["id"]: f["properties"]["style"]["className"] for f in ex.choropleth.data["features"]}
    assert classes["0381"] == kommun_class("0381") == "bm-k0381" and len(set(classes.values())) == len(classes)
    assert "<style>.bm-map path.bm-k0381 {visibility: hidden}</style>" in ex.map_style.value
    assert [layer.name for layer in ex.map.layers] == ["kommuner", "RegSO/DeSO", "vald kommun"]
    ex.areas.mode.value = OFF  # no small areas: the generalised SCB border again, filled as the map
    assert ex.map_style.value == ""
    assert [f["id"] for f in ex.selected_layer.data["features"]] == ["0381"]
    assert ex.selected_layer.data["features"][0]["geometry"] == ex.nat.features["0381"]["geometry"]
    ex.areas.mode.value = TYPE_MODE
    assert "bm-k0381" in ex.map_style.value
    ex.picker.value = ex.nat.option_of["0180"]  # Stockholm: no small-area geometry published
    assert ex.map_style.value == ""
    assert [f["id"] for f in ex.selected_layer.data["features"]] == ["0180"]


def test_map_controls_are_swedish():
    import ipyleaflet as L

    from barometer.app.explorer import Explorer

    ex = Explorer(kommun="0381")
    zoom = [c for c in ex.map.controls if isinstance(c, L.ZoomControl)]
    assert [(z.zoom_in_title, z.zoom_out_title) for z in zoom] == [("Zooma in", "Zooma ut")]
    assert not any(isinstance(c, L.LayersControl) or isinstance(c, L.FullScreenControl) for c in ex.map.controls)
