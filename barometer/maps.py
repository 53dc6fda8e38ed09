"""Map geometries for views: read the geometry layer the build published in ``data/store/geometry/``.

``barometer build`` publishes DeSO 2018 and RegSO 2020 polygons (a national layer from ``barometer
fetch --geometries`` where present, else the staged Uppsala-län extract; see
:mod:`barometer.pipeline.geometry`), SCB's generalised kommun and län borders, and one GeoJSON text
per kommun and level. Views only read them: nothing is simplified or converted per session.
Every function returns ``None`` (or an empty result) for a kommun without geometry, so maps
degrade to the kommun level.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from . import config

TYPE_COLOURS = {1: "#b2182b", 2: "#ef8a62", 3: "#f7f7f7", 4: "#67a9cf", 5: "#2166ac"}
TYPE_LABELS = {1: "stora socioekonomiska utmaningar", 2: "socioekonomiska utmaningar",
               3: "socioekonomiskt blandade", 4: "goda socioekonomiska förutsättningar",
               5: "mycket goda socioekonomiska förutsättningar"}
LEVELS = ("regso", "deso", "kommun", "lan")


def _layer_path(name: str) -> Path:
    return config.store_dir() / "geometry" / f"{name}.parquet"


def _stamp(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _kommun_layer(path: str, stamp: tuple, kommun_code: str):
    if kommun_code not in _kommun_codes(path, stamp):  # most kommuner: no read, no CRS parsing
        return None
    import geopandas as gpd

    g = gpd.read_parquet(path, filters=[("kommun_code", "=", kommun_code)])
    return g if len(g) else None


@lru_cache(maxsize=8)
def _kommun_codes(path: str, stamp: tuple) -> frozenset:
    """The kommun codes present in a geometry layer (one column read once per layer version)."""
    import pyarrow.parquet as pq

    return frozenset(pq.read_table(path, columns=["kommun_code"]).column("kommun_code").to_pylist())


def geometries(level: str, kommun_code: str | None = None):
    """Published polygons of ``level`` (EPSG:4326), optionally of one kommun; None when absent.

    Columns ``level, code, name, kommun_code, lan_code, regso_code, vintage, source_id, geometry``.
    """
    if level not in LEVELS:
        from .exceptions import UnknownLevelError

        raise UnknownLevelError(level, list(LEVELS))
    path = _layer_path(level)
    stamp = _stamp(path)
    if stamp is None:
        return None
    if kommun_code is None:
        import geopandas as gpd

        return gpd.read_parquet(path)
    return _kommun_layer(str(path), stamp, str(kommun_code))


def regso_geometries(kommun_code: str):
    """The published RegSO polygons of one kommun (GeoDataFrame, EPSG:4326), or None."""
    return geometries("regso", kommun_code)


def deso_geometries(kommun_code: str):
    """The published DeSO polygons of one kommun (GeoDataFrame, EPSG:4326), or None."""
    return geometries("deso", kommun_code)


def kommuner_with_geometry(level: str = "regso") -> list[str]:
    """Kommun codes that have published ``level`` polygons (sorted)."""
    path = _layer_path("geojson")
    stamp = _stamp(path)
    if stamp is None:
        return []
    return list(_geojson_index(str(path), stamp).get(level, {}).keys())


@lru_cache(maxsize=2)
def _geojson_index(path: str, stamp: tuple) -> dict:
    import pyarrow.parquet as pq

    t = pq.read_table(path, columns=["level", "kommun_code"]).to_pandas()
    out: dict = {}
    for lv, code in zip(t["level"], t["kommun_code"]):
        out.setdefault(lv, {})[code] = True
    return out


def kommun_geojson_text(kommun_code: str, level: str = "regso") -> tuple[str, tuple] | None:
    """The published FeatureCollection text of a kommun's RegSO/DeSO and its bounds, or None."""
    import pyarrow.parquet as pq

    path = _layer_path("geojson")
    if _stamp(path) is None:
        return None
    t = pq.read_table(path, filters=[("level", "=", level), ("kommun_code", "=", str(kommun_code))]).to_pandas()
    if t.empty:
        return None
    row = t.iloc[0]
    return row["geojson"], (row["minx"], row["miny"], row["maxx"], row["maxy"])


def regso_geojson(kommun_code: str, types: dict[str, int] | None = None, names: dict[str, str] | None = None) -> dict | None:
    """GeoJSON of a kommun's RegSO (from the store), styled by områdestyp when ``types`` is given."""
    found = kommun_geojson_text(kommun_code, "regso")
    if found is None:
        return None
    doc = json.loads(found[0])
    for f in doc["features"]:
        code = f["properties"]["code"]
        typ = (types or {}).get(code)
        typ = int(typ) if typ == typ and typ is not None else None
        if names and code in names:
            f["properties"]["name"] = names[code]
        f["properties"]["omradestyp"] = typ
        f["properties"]["style"] = {"fillColor": TYPE_COLOURS.get(typ, "#d9d9d9"), "color": "#333333",
                                    "weight": 0.8, "fillOpacity": 0.75}
    return doc


def geometries_provenance(level: str = "regso", kommun_code: str | None = None) -> dict | None:
    """The source row (publisher, title, table, retrieved, licence) behind a kommun's polygons, or None."""
    g = geometries(level, kommun_code) if kommun_code else None
    from . import store

    try:
        src = store.sources_table()
    except Exception:  # no store
        return None
    ids = sorted(set(g["source_id"])) if g is not None else []
    rows = src[src["source_id"].isin(ids)]
    if rows.empty:
        return None
    return rows.iloc[0].to_dict()


def class_breaks(kommun_code: str, indicator: str, year: int) -> tuple[float, list[float]] | None:
    """The class breaks the build published for kommun ``kommun_code``'s small-area map of ``indicator``
    in ``year`` (``area_map_classes.parquet``, :mod:`barometer.pipeline.area_classes`): ``(minimum,
    breaks)`` with ``breaks`` the upper bounds of the at most five Fisher–Jenks classes, the last the
    highest value, in the indicator's unit. None when the kommun has no value for it.

    Raises StoreMissingError when the store has not been built.
    """
    from . import store

    t = store.read_published("area_map_classes.parquet", filters=[
        ("kommun_code", "=", str(kommun_code)), ("indicator", "=", indicator), ("year", "=", int(year))],
        columns=["minimum", "breaks"])
    if t.empty:
        return None
    return float(t["minimum"].iloc[0]), [float(b) for b in t["breaks"].iloc[0]]
