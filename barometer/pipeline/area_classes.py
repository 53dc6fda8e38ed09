"""Class breaks of the small-area maps, published by the build: Fisher–Jenks natural breaks per kommun, indicator and year.

A map of a kommun's RegSO or DeSO coloured by a value (the kommunrapport's maps of the share of
foreign-born residents and of DeSO median income, Utforska's small-area layer) sorts its areas into
at most :data:`N_CLASSES` classes, the same in every view. The breaks depend only on published
values, so the build computes them once for every kommun, indicator and year in
:data:`AREA_INDICATORS`; a view reads one kommun's rows (:func:`barometer.maps.class_breaks`, a
Parquet filter on ``kommun_code``) and never imports mapclassify, whose import compiles numba code
(≈ 3 CPU s).

Method: Fisher (1958) / Jenks natural breaks, the exact optimum that minimises the sum of squared
deviations from the class means (``mapclassify.FisherJenks``; Rey, Arribas-Bel & Wolf, *Geographic
Data Science with Python*, ch. 5). With fewer distinct values than classes, each distinct value is
its own class.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["AREA_INDICATORS", "N_CLASSES", "area_map_classes", "natural_breaks"]

#: indicator → the small-area level its maps colour (``group == "totalt"`` rows)
AREA_INDICATORS: dict[str, str] = {
    "andel_utrikes_fodda": "regso",
    "andel_hyresratt": "regso",
    "medelloneinkomst": "regso",
    "befolkning": "regso",
    "mediannettoinkomst_deso": "deso",
}
#: classes per map (fewer when a kommun has fewer distinct values)
N_CLASSES = 5


def natural_breaks(values, k: int = N_CLASSES) -> np.ndarray:
    """Upper bounds of ``min(k, distinct values)`` Fisher–Jenks classes of ``values`` (NaN dropped).

    ``values``: array-like of floats. Returns a float array, ascending, whose last element is the
    maximum; empty when there is no value.
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    k = min(k, len(np.unique(v)))
    if k == 0:
        return np.array([], dtype=float)
    if k == 1:
        return np.array([v.max()])
    import mapclassify

    return np.asarray(mapclassify.FisherJenks(v, k=k).bins, dtype=float)


def area_map_classes(values: pd.DataFrame, areas: pd.DataFrame | None = None) -> pd.DataFrame:
    """The class breaks of every small-area map: one row per ``indicator, level, kommun_code, year``.

    Columns: ``n_areas`` (areas with a value), ``k`` (classes), ``minimum`` (lowest value) and
    ``breaks`` (list of ``k`` upper bounds, the last the highest value), in the indicator's unit;
    ``source_id`` of the values. Kommuner whose areas all lack a value get no row.
    """
    cols = ["indicator", "level", "kommun_code", "year", "n_areas", "k", "minimum", "breaks", "source_id"]
    sel = values[values["indicator"].astype(str).isin(list(AREA_INDICATORS))
                 & (values["group"].astype(str) == "totalt")]
    sel = sel[sel["level"].astype(str) == sel["indicator"].astype(str).map(AREA_INDICATORS)]
    sel = sel[sel["value"].notna()]
    rows = []
    for (indicator, kommun, year), g in sel.groupby([sel["indicator"].astype(str), sel["kommun_code"].astype(str),
                                                     "year"], sort=True):
        v = g["value"].to_numpy(float)
        breaks = natural_breaks(v)
        rows.append((indicator, AREA_INDICATORS[indicator], kommun, int(year), len(v), len(breaks), float(v.min()),
                     breaks.tolist(), "; ".join(sorted(set(g["source_id"].astype(str))))))
    out = pd.DataFrame(rows, columns=cols)
    return out.astype({"year": "int16", "n_areas": "int32", "k": "int8"})
