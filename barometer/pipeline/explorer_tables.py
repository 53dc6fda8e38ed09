"""The explorer's small national tables, published by the build: figures with ranks and map classes, and the kommun map.

A Utforska session reads these (a few hundred kB) plus its own kommun's rows of ``values.parquet``
(Parquet filter on ``kommun_code``) and of ``measures.parquet``; it never loads the whole values
table, imports geopandas or computes a national figure. Both functions have the shape of a derived
table in :mod:`barometer.pipeline.derived` ``(values, areas) -> DataFrame``; the kommun map also
takes the kommun outline layer the build publishes (``geometry/kommun``, SCB's generalised borders),
so the explorer draws the same outlines as every other view, and a new border file reruns it.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

__all__ = ["FIGURE_LEVELS", "N_CLASSES", "explorer_figures", "explorer_kommuner", "map_classes"]

FIGURE_LEVELS = ("kommun", "lan", "riket")
#: Number of map classes (quantiles over the kommuner with a value).
N_CLASSES = 5
#: Simplification tolerance of the kommun outlines in degrees (WGS 84); coordinates rounded to 3 decimals (~100 m).
TOLERANCE = 0.01


def map_classes(values: pd.Series, k: int = N_CLASSES) -> pd.Series:
    """Quantile class 1..k of each value (NaN stays NA); equal class edges are merged.

    ``values``: one indicator and year over all kommuner. Returns nullable Int8 aligned with ``values``.
    """
    v = values.dropna()
    out = pd.Series(pd.NA, index=values.index, dtype="Int8")
    if not len(v):
        return out
    edges = np.unique(np.quantile(v.to_numpy(float), np.linspace(0, 1, k + 1)))
    if len(edges) < 2:
        out[v.index] = 1
        return out
    cls = np.minimum(np.searchsorted(edges, v.to_numpy(float), side="right") - 1, len(edges) - 2) + 1
    out[v.index] = cls.astype("int8")
    return out


def explorer_figures(values: pd.DataFrame, areas: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every ``group == "totalt"`` figure at kommun, län and riket, with kommun ranks and map classes.

    Returns one row per ``level, code, indicator, year``: ``value`` (NaN when missing, with
    ``status``), ``source_id``, and for kommun rows ``rank`` (1 = highest value among the kommuner
    with a value that year, ties share the best rank), ``n_ranked`` (kommuner with a value) and
    ``map_class`` (1..5, quantile classes over the kommuner). Län and riket rows have NA there.
    """
    lvl = values["level"].astype(str)
    sel = values[lvl.isin(FIGURE_LEVELS) & (values["group"].astype(str) == "totalt")]
    out = pd.DataFrame({
        "level": sel["level"].astype(str).to_numpy(),
        "code": sel["area_code"].astype(str).to_numpy(),
        "indicator": sel["indicator"].astype(str).to_numpy(),
        "year": sel["year"].astype("int16").to_numpy(),
        "value": sel["value"].astype(float).to_numpy(),
        "status": sel["status"].astype(str).to_numpy(),
        "source_id": sel["source_id"].astype(str).to_numpy(),
    })
    out["rank"] = pd.array([pd.NA] * len(out), dtype="Int16")
    out["n_ranked"] = pd.array([pd.NA] * len(out), dtype="Int16")
    out["map_class"] = pd.array([pd.NA] * len(out), dtype="Int8")
    k = out["level"] == "kommun"
    for _, idx in out[k].groupby(["indicator", "year"]).groups.items():
        v = out.loc[idx, "value"]
        out.loc[idx, "rank"] = v.rank(ascending=False, method="min").astype("Int16")
        out.loc[idx, "n_ranked"] = int(v.notna().sum())
        out.loc[idx, "map_class"] = map_classes(v)
    return out.sort_values(["level", "code", "indicator", "year"], kind="stable").reset_index(drop=True)


def _kommun_shapes(kommun=None):
    """The kommun outlines of the published layer ``geometry/kommun`` (SCB's generalised borders, EPSG:4326;
    see :mod:`barometer.pipeline.geometry`), simplified for the web, or None when there is none.
    ``kommun``: that layer as the build is publishing it; None reads the store's
    (:func:`barometer.maps.geometries`)."""
    if kommun is None:
        from barometer import maps

        kommun = maps.geometries("kommun")
        if kommun is None:
            return None
    g = kommun.copy()
    g["geometry"] = g.geometry.simplify(TOLERANCE, preserve_topology=True)
    return g


def _rounded(coords):
    if isinstance(coords[0], (list, tuple)):
        return [_rounded(c) for c in coords]
    return [round(coords[0], 3), round(coords[1], 3)]


def explorer_kommuner(values: pd.DataFrame | None, areas: pd.DataFrame, kommun=None) -> pd.DataFrame:
    """One row per kommun: ``code, name, lan_code, lan_name, skr_grupp``, the outline as a GeoJSON
    geometry (``geometry``, text; simplified, WGS 84, 3 decimals), its bounding box
    ``south, west, north, east`` (degrees; NaN and ``geometry`` "" when the layer has no outline for
    the code) and the outline's ``source_id``.

    ``kommun``: the published kommun layer ``geometry/kommun`` (GeoDataFrame with ``code``,
    ``source_id``, ``geometry``); the build passes the one it is publishing, None reads the store's
    (no outlines when there is none, e.g. a partial test build without the geometry step).
    """
    k = areas[areas["level"].astype(str) == "kommun"].drop_duplicates("code", keep="last").sort_values("code")
    lan = areas[areas["level"].astype(str) == "lan"].drop_duplicates("code", keep="last").set_index("code")["name"]
    out = pd.DataFrame({
        "code": k["code"].astype(str).to_numpy(), "name": k["name"].astype(str).to_numpy(),
        "lan_code": k["lan_code"].astype(str).to_numpy(),
        "skr_grupp": (k["skr_grupp"].fillna("").astype(str).to_numpy() if "skr_grupp" in k else ""),
    })
    out["lan_name"] = out["lan_code"].map(lan).fillna("").astype(str)
    g = _kommun_shapes(kommun)
    geoms, bounds, sources = {}, {}, {}
    for code, geom, src in ([] if g is None else zip(g["code"].astype(str), g.geometry, g["source_id"].astype(str))):
        if geom is None or geom.is_empty:
            continue
        gj = geom.__geo_interface__
        geoms[code] = json.dumps({"type": gj["type"], "coordinates": _rounded(json.loads(json.dumps(gj["coordinates"])))},
                                 separators=(",", ":"))
        bounds[code] = geom.bounds  # (minx, miny, maxx, maxy)
        sources[code] = src
    out["geometry"] = [geoms.get(c, "") for c in out["code"]]  # "" without an outline (never a float NaN)
    b = out["code"].map(bounds)
    for i, col in ((1, "south"), (0, "west"), (3, "north"), (2, "east")):
        out[col] = [round(x[i], 3) if isinstance(x, tuple) else np.nan for x in b]
    out["source_id"] = [sources.get(c, "") for c in out["code"]]
    return out
