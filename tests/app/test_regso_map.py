"""RegSO boundaries fetched from the WFS are used by the explorer's map (and absent offline)."""

import json
from pathlib import Path

import pytest

RESPONSES = Path(__file__).resolve().parents[1] / "responses" / "wfs"


@pytest.fixture
def data_with_geometries(tmp_path, monkeypatch, real_store):
    """A data folder with the real store and RegSO boundaries written by the real WFS parser."""
    from barometer.sources.geodata import LAYERS, to_frame

    (tmp_path / "store").symlink_to(real_store, target_is_directory=True)
    doc = json.loads((RESPONSES / "regso_2020_1780.json").read_text(encoding="utf-8"))
    gdf = to_frame(doc["features"], LAYERS["regso"], kommun="1780", crs_name=None, where="fixture")
    geo = tmp_path / "raw" / "geo"
    geo.mkdir(parents=True)
    gdf.to_parquet(geo / "regso_2020.parquet", index=False)
    monkeypatch.setenv("BAROMETER_DATA", str(tmp_path))
    return gdf


def test_regso_layer_coloured_by_omradestyp(data_with_geometries):
    from barometer.app.explorer import Explorer
    from barometer.maps import TYPE_COLOURS

    ex = Explorer(kommun="1780")
    feats = ex.regso_layer.data["features"]
    assert ex.has_regso_map and len(feats) == len(data_with_geometries)
    typed = [f for f in feats if f["properties"]["omradestyp"]]
    assert typed, "fixture RegSO codes should carry områdestyp from the store"
    for f in typed:
        assert f["properties"]["style"]["fillColor"] == TYPE_COLOURS[f["properties"]["omradestyp"]]
    ex.select("0180")  # a kommun without fetched boundaries: the layer empties
    assert ex.regso_layer.data["features"] == [] and not ex.has_regso_map


def test_no_geometries_offline(real_store, tmp_path, monkeypatch):
    from barometer.maps import regso_geojson

    (tmp_path / "store").symlink_to(real_store, target_is_directory=True)
    monkeypatch.setenv("BAROMETER_DATA", str(tmp_path))
    assert regso_geojson("1780") is None
