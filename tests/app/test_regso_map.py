"""The explorer's RegSO layer comes from the geometry layer published by the build (Uppsala län offline)."""



def test_regso_layer_coloured_by_omradestyp(real_store):
    from barometer.app.explorer import Explorer
    from barometer.maps import TYPE_COLOURS, regso_geometries

    ex = Explorer(kommun="0381")
    feats = ex.regso_layer.data["features"]
    assert ex.has_regso_map and len(feats) == len(regso_geometries("0381")) == 11
    typed = [f for f in feats if f["properties"]["omradestyp"]]
    assert len(typed) == 11, "every Enköping RegSO carries its områdestyp from the store"
    for f in typed:
        assert f["properties"]["style"]["fillColor"] == TYPE_COLOURS[f["properties"]["omradestyp"]]
    ex.select("0180")  # a kommun without published boundaries: the layer empties
    assert ex.regso_layer.data["features"] == [] and not ex.has_regso_map


def test_no_geometries_outside_the_covered_kommuner(real_store):
    from barometer.maps import kommuner_with_geometry, regso_geojson

    assert regso_geojson("1780") is None
    assert kommuner_with_geometry("regso") == ["0305", "0319", "0330", "0331", "0360", "0380", "0381", "0382"]


def test_missing_layer_gives_none(real_store, tmp_path, monkeypatch):
    from barometer.maps import regso_geometries

    for name in ("values.parquet", "areas.parquet", "sources.parquet", "meta.json", "checks.json"):
        (tmp_path / "store").mkdir(exist_ok=True)
        (tmp_path / "store" / name).symlink_to(real_store / name)
    monkeypatch.setenv("BAROMETER_DATA", str(tmp_path))
    assert regso_geometries("0380") is None
