"""Map geometries for views: read the geometry layer the build published in ``data/store/geometry/``.

``barometer build`` publishes DeSO 2018 and RegSO 2020 polygons (a national layer from ``barometer
fetch --geometries`` where present, else the staged Uppsala-län extract; see
:mod:`barometer.pipeline.geometry`), SCB's generalised kommun and län borders, and one GeoJSON text
per kommun and level. Views only read them: nothing is simplified or converted per session.
A kommun is given by code or name (``"0380"``, ``"Uppsala"``); an unknown one raises
:class:`~barometer.exceptions.UnknownAreaError`. Every function returns ``None`` (or an empty
result) for a known kommun without geometry, so maps degrade to the kommun level.
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


def _kommun_code(kommun) -> str:
    """The code of ``kommun`` (code or name, ``"0380"`` / ``"Uppsala"``); UnknownAreaError (with the
    closest matches) otherwise, never a silent empty result."""
    from .geography import kommun as resolve_kommun

    return resolve_kommun(kommun).code


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
    """Published polygons of ``level`` (EPSG:4326), optionally of one kommun (code or name); None when absent.

    Columns ``level, code, name, kommun_code, lan_code, regso_code, vintage, source_id, geometry``.
    Raises UnknownLevelError (a level other than regso, deso, kommun, lan) and UnknownAreaError.
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
    return _kommun_layer(str(path), stamp, _kommun_code(kommun_code))


def regso_geometries(kommun_code: str):
    """The published RegSO polygons of one kommun (code or name; GeoDataFrame, EPSG:4326), or None."""
    return geometries("regso", kommun_code)


def deso_geometries(kommun_code: str):
    """The published DeSO polygons of one kommun (code or name; GeoDataFrame, EPSG:4326), or None."""
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
    """The published FeatureCollection text of a kommun's (code or name) RegSO/DeSO (``level`` regso,
    deso or outline) and its bounds, or None."""
    import pyarrow.parquet as pq

    path = _layer_path("geojson")
    if _stamp(path) is None:
        return None
    code = _kommun_code(kommun_code)
    t = pq.read_table(path, filters=[("level", "=", level), ("kommun_code", "=", code)]).to_pandas()
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


def class_breaks(kommun, indicator: str, year: int) -> tuple[float, list[float]] | None:
    """Class breaks of a kommun's small-area map, as the build published them.

    Parameters
    ----------
    kommun : code or name (``"0380"``, ``"Uppsala"``)
    indicator : one of ``barometer.pipeline.area_classes.AREA_INDICATORS`` (RegSO: ``befolkning``,
        ``andel_utrikes_fodda``, ``andel_hyresratt``, ``medelloneinkomst``; DeSO:
        ``mediannettoinkomst_deso``); the map colours that indicator's level
    year : a year the store has for the indicator

    Returns
    -------
    ``(minimum, breaks)`` in the indicator's unit: the lowest value among the kommun's areas and the
    upper bounds of at most five Fisher–Jenks classes (``breaks[-1]`` is the highest value), from
    ``area_map_classes.parquet`` (:mod:`barometer.pipeline.area_classes`). Computed for every
    kommun, also where no polygons are published. None only when the kommun's areas have no value
    that year.

    Raises
    ------
    UnknownAreaError, UnknownIndicatorError (with the valid ids), YearOutOfRangeError (with the
    years the store has), StoreMissingError (store not built).
    """
    from .exceptions import UnknownIndicatorError, YearOutOfRangeError
    from .pipeline.area_classes import AREA_INDICATORS

    code = _kommun_code(kommun)
    if indicator not in AREA_INDICATORS:
        raise UnknownIndicatorError(str(indicator), list(AREA_INDICATORS), hint="har inga kartklasser; välj en av")
    from . import store

    t = _area_classes(store.stamp())
    rows = t[t["indicator"] == indicator]
    years = sorted({int(y) for y in rows["year"]})
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise YearOutOfRangeError(year, indicator, years) from None
    if y not in years:
        raise YearOutOfRangeError(y, indicator, years, context="kartklasser")
    hit = rows[(rows["kommun_code"] == code) & (rows["year"] == y)]
    if hit.empty:
        return None
    return float(hit["minimum"].iloc[0]), [float(b) for b in hit["breaks"].iloc[0]]


@lru_cache(maxsize=2)
def _area_classes(stamp: tuple):
    """The whole published class table (a few thousand rows), read once per store version."""
    from . import store

    return store.read_published("area_map_classes.parquet",
                                columns=["indicator", "kommun_code", "year", "minimum", "breaks"])
