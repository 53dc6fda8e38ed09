"""SCB geodata WFS: paging, validation, GeoParquet in EPSG:4326, nothing written on failure."""

from __future__ import annotations

import json

import pytest
from upstream_server import RESPONSES, Reply

from barometer.exceptions import SourceFormatError
from barometer.sources import geodata
from barometer.sources._output import sha256_file

WFS = "/geoserver/stat/wfs"


def paged(query: dict) -> Reply:
    """A GeoServer-like answer: slice the hand-written collection by startIndex/count."""
    doc = json.loads((RESPONSES / "wfs/regso_2020_1780.json").read_text(encoding="utf-8"))
    start, count = int(query.get("startIndex", 0)), int(query.get("count", 1000))
    doc["features"] = doc["features"][start:start + count]
    doc["numberReturned"] = len(doc["features"])
    return Reply(body=doc)


def test_kommun_layer_written_as_geoparquet(upstream, tmp_path, sleeps):
    gpd = pytest.importorskip("geopandas")
    upstream.add(WFS, paged)
    client = geodata.WfsClient(upstream.wfs, page_size=2)
    path = geodata.fetch_layer("regso", kommun="1780", dest=tmp_path, client=client)
    assert path == tmp_path / "geo" / "regso_2020.parquet"
    calls = upstream.calls(WFS)
    assert [c.query["startIndex"] for c in calls] == ["0", "2"]  # paged
    q = calls[0].query
    assert q["typeNames"] == "stat:RegSO_2020" and q["outputFormat"] == "application/json"
    assert q["cql_filter"] == "kommunkod='1780'" and q["count"] == "2"
    gdf = gpd.read_parquet(path)
    assert gdf.crs.to_epsg() == 4326
    assert sorted(gdf["code"]) == ["1780R001", "1780R002", "1780R003"]
    assert set(gdf["level"]) == {"regso"} and set(gdf["kommun_code"]) == {"1780"}
    minx, miny, maxx, maxy = gdf.total_bounds
    assert 13 < minx < maxx < 14 and 59 < miny < maxy < 60  # Karlstad in lon/lat
    meta = json.loads((tmp_path / "geo" / "regso_2020.meta.json").read_text(encoding="utf-8"))
    assert meta["sha256"] == sha256_file(path) and meta["features"] == 3 and meta["coverage"] == ["1780"]
    assert meta["crs"] == "EPSG:4326" and "EPSG::3006" in meta["source_crs"]
    assert meta["layer"] == "stat:RegSO_2020" and meta["url"].startswith(upstream.wfs)


def test_national_count_is_checked_and_nothing_written(upstream, tmp_path, sleeps):
    pytest.importorskip("geopandas")
    upstream.add(WFS, Reply(file="wfs/regso_2020_1780.json"))
    with pytest.raises(SourceFormatError, match="3363"):
        geodata.fetch_layer("regso", dest=tmp_path, client=geodata.WfsClient(upstream.wfs))
    assert not (tmp_path / "geo").exists() or not any((tmp_path / "geo").iterdir())


def test_wfs_exception_report_is_an_error(upstream, tmp_path, sleeps):
    upstream.add(WFS, Reply(file="wfs/exception.xml", headers={"Content-Type": "application/xml"}))
    with pytest.raises(SourceFormatError, match="Feature type stat:RegSO_2020 unknown"):
        geodata.fetch_layer("regso", kommun="1780", dest=tmp_path, client=geodata.WfsClient(upstream.wfs))


def test_missing_attribute_is_an_error(upstream, tmp_path, sleeps):
    pytest.importorskip("geopandas")
    doc = json.loads((RESPONSES / "wfs/regso_2020_1780.json").read_text(encoding="utf-8"))
    del doc["features"][1]["properties"]["regsokod"]
    upstream.add(WFS, Reply(body=doc))
    with pytest.raises(SourceFormatError, match="regsokod"):
        geodata.fetch_layer("regso", kommun="1780", dest=tmp_path, client=geodata.WfsClient(upstream.wfs))


def test_unknown_level():
    with pytest.raises(SourceFormatError, match="regso, deso"):
        geodata.fetch_layer("valdistrikt", dest=".")
