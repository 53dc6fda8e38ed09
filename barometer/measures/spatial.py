"""Spatial two-group segregation indices for one kommun, computed by PySAL ``segregation`` on published geometry.

For analysts: the aspatial measures in :mod:`barometer.measures` treat areas as unrelated units;
these indices also use where the areas lie (neighbours, distances, borders), so a kommun whose
foreign-born residents live in adjacent RegSO scores higher than one where they live in scattered
RegSO with the same shares. They are computed by PySAL ``segregation`` itself (its single-group
classes, e.g. ``segregation.singlegroup.SpatialDissim``), on

* the RegSO polygons the build published (``data/store/geometry/regso.parquet``, in SWEREF 99 TM
  for the distance-based indices; see :mod:`barometer.pipeline.geometry`), and
* the group and total counts of the store (default: ``befolkning`` groups ``utrikes_fodda`` and
  ``totalt``).

Only kommuner with published geometry can be used (offline: the 8 kommuner of Uppsala län).

References
----------
Cortes, R. X., Rey, S., Knaap, E., & Wolf, L. J. (2020). An open-source framework for non-spatial and
spatial segregation measures: the PySAL segregation module. *Journal of Computational Social Science*,
3, 135–166. Definitions per index: Morrill (1991) and Wong (1993) for the spatial dissimilarity
variants; White (1983) spatial proximity; Massey & Denton (1988) clustering, concentration and
centralization; Morgan (1983) distance-decay isolation/interaction; Hong & Sadahiro (2014) spatial
proximity profile.
"""

from __future__ import annotations

import warnings

import pandas as pd

from barometer.exceptions import MeasureInputError

__all__ = ["INDICES", "spatial_indices", "spatial_indices_frame"]

#: index name (a class of ``segregation.singlegroup``) → (Swedish label, what it says)
INDICES: dict[str, tuple[str, str]] = {
    "SpatialDissim": ("Rumslig olikhet (Morrill)", "D justerat för grannskap (queen-grannar), 0–1"),
    "BoundarySpatialDissim": ("Rumslig olikhet, gränslängd (Wong)", "D justerat efter gemensam gränslängd, 0–1"),
    "SpatialProxProf": ("Rumslig närhetsprofil (Hong & Sadahiro)", "yta under närhetsprofilen, 0–1"),
    "SpatialProximity": ("Rumslig närhet (White)", "≈1 = ingen skillnad i närhet, >1 = gruppen bor närmare varandra"),
    "AbsoluteClustering": ("Absolut klustring (Massey & Denton)", "0–1"),
    "RelativeClustering": ("Relativ klustring (Massey & Denton)", "0 = som övriga; >0 = mer klustrad"),
    "DistanceDecayIsolation": ("Avståndsviktad isolering (Morgan)", "0–1"),
    "DistanceDecayInteraction": ("Avståndsviktad exponering (Morgan)", "0–1"),
    "AbsoluteConcentration": ("Absolut koncentration (Massey & Denton)", "0–1, gruppen på liten yta"),
    "AbsoluteCentralization": ("Absolut centralisering (Massey & Denton)", "−1–1, gruppen nära centrum"),
}


def spatial_indices_frame(gdf, group: str, total: str, indices=None) -> pd.DataFrame:
    """Run ``segregation``'s single-group spatial indices on a GeoDataFrame.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        One row per area, a projected CRS in metres (e.g. EPSG:3006), with count columns.
    group, total : str
        Columns with the group's count and the area's total population (group ≤ total).
    indices : sequence of str, optional
        Names from :data:`INDICES` (default all).

    Returns
    -------
    pandas.DataFrame
        One row per index: ``index, label, value, meaning``.

    Raises
    ------
    barometer.exceptions.MeasureInputError
        Unknown index names, a geographic CRS, missing/negative counts or group > total.
    """
    import numpy as np
    import segregation.singlegroup as sg

    names = list(indices or INDICES)
    unknown = [n for n in names if n not in INDICES]
    if unknown:
        raise MeasureInputError(f"okända rumsliga index {unknown}; giltiga: {', '.join(INDICES)}")
    if gdf.crs is None or not gdf.crs.is_projected:
        raise MeasureInputError("geometrin måste ha ett projicerat koordinatsystem i meter (t.ex. EPSG:3006)")
    # the shared preconditions (issue 12): one row per area, numeric non-negative counts, group ≤ total
    from barometer.measures._checks import area_labels, check_counts, check_unique_areas, numeric_column, raise_bad
    from barometer.measures._groups import Groups, make_groups

    area = "code" if "code" in gdf.columns else ("area_code" if "area_code" in gdf.columns else None)
    units = (make_groups(gdf, "kommun_code") if "kommun_code" in gdf.columns
             else Groups(codes=np.zeros(len(gdf), dtype=np.intp), keys=pd.Index(["alla"], name="enhet"), n=1))
    labels = area_labels(gdf, area).with_units(units)
    check_unique_areas(gdf, units, area, labels)
    x, t = numeric_column(gdf, group, labels), numeric_column(gdf, total, labels)
    for col, v in ((group, x), (total, t)):
        if np.isnan(v).any():
            raise_bad(f"kolumnen {col!r} saknar värden", labels, np.isnan(v))
        check_counts(v, col, labels)
    if (x > t).any():
        raise_bad(f"gruppen är större än totalen ({group!r} > {total!r})", labels, x > t)
    rows = []
    for name in names:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # segregation warns about islands and CRS on small kommuner
            value = float(getattr(sg, name)(gdf, group_pop_var=group, total_pop_var=total).statistic)
        rows.append({"index": name, "label": INDICES[name][0], "value": value if np.isfinite(value) else np.nan,
                     "meaning": INDICES[name][1]})
    return pd.DataFrame(rows)


def spatial_indices(kommun: str, *, year: int = 2023, indicator: str = "befolkning",
                    group: str = "utrikes_fodda", total: str = "totalt", indices=None) -> pd.DataFrame:
    """Spatial segregation indices across a kommun's RegSO, from the store and its published geometry.

    Parameters
    ----------
    kommun : str
        Kommun code or name (resolved like ``barometer.kommun``).
    year : int
        Year of the counts (default 2023).
    indicator, group, total : str
        Store indicator and its groups for the group count and the total (default foreign-born
        persons among all residents).
    indices : sequence of str, optional
        Names from :data:`INDICES` (default all).

    Returns
    -------
    pandas.DataFrame
        ``kommun_kod, kommun, year, index, label, value, meaning, n_areas, note, source_ids``;
        ``df.attrs["provenance"]`` names the geometry and count sources.

    Raises
    ------
    barometer.exceptions.MeasureInputError
        The kommun has no published RegSO geometry (the message lists the kommuner that have).
    barometer.exceptions.UnknownAreaError
        An unknown kommun.
    """
    from barometer import maps
    from barometer.measures.inputs import resolve_kommun, wide_counts

    code, name = resolve_kommun(kommun)
    geo = maps.regso_geometries(code)
    if geo is None:
        have = maps.kommuner_with_geometry("regso")
        raise MeasureInputError(f"{name} ({code}) har inga publicerade RegSO-gränser; kommuner med gränser: "
                                f"{', '.join(have) or 'inga'} (hämta fler med barometer fetch --geometries)")
    counts = wide_counts(indicator, level="regso", groups=[group, total], years=[int(year)], kommun=code)
    df = geo.to_crs(3006).merge(counts[["area_code", group, total]], left_on="code", right_on="area_code", how="left")
    missing = df[df[group].isna() | df[total].isna()]
    note = ""
    if len(missing):
        note = f"{len(missing)} RegSO utan värden {year} utelämnade"
        df = df.drop(missing.index)
    out = spatial_indices_frame(df.reset_index(drop=True), group, total, indices)
    small = " Bygger på få områden (under 10 RegSO): tolka försiktigt." if len(df) < 10 else ""
    out.insert(0, "kommun_kod", code)
    out.insert(1, "kommun", name)
    out.insert(2, "year", int(year))
    out["n_areas"] = len(df)
    out["note"] = (note + small).strip()
    from barometer import store

    v = store.kommun_values(code)
    used = v[(v["indicator"] == indicator) & (v["level"] == "regso") & (v["year"] == int(year))]
    ids = sorted(set(geo["source_id"]) | set(used["source_id"].astype(str)))
    out["source_ids"] = "; ".join(ids)
    src = store.sources_table()
    out.attrs["provenance"] = src[src["source_id"].isin(ids)].to_dict("records")
    return out
