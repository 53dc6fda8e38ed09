"""Adapters from a long values table (the store's, or the build's in memory) to the wide per-area frames the measures take.

The measures themselves take plain DataFrames (one row per area and year, one column per
count, plus hierarchy keys). This module is the only place in ``barometer.measures`` that
reads input data. Two sources share one interface (``long_values``, ``areas_of``, ``has``):

* :class:`StoreInputs` reads the published store through the public API (``barometer.data`` /
  ``barometer.areas``);
* :class:`FrameInputs` wraps the ``values`` and ``areas`` frames ``barometer build`` is about to
  publish, so the build computes the measures from exactly what it publishes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometer import store
from barometer.exceptions import MeasureInputError

__all__ = ["RIKET_CODE", "long_values", "areas_of", "wide_counts", "resolve_kommun", "uppsamlingsdistrikt",
           "StoreInputs", "FrameInputs"]

RIKET_CODE = "00"


def long_values(indicator: str, level: str) -> pd.DataFrame:
    """All rows of one indicator at one level from the store (all years, all kommuner)."""
    import barometer

    frame = store.as_text(pd.DataFrame(barometer.data(indicator, level=level)))
    frame["year"] = frame["year"].astype(int)
    return frame


def areas_of(level: str) -> pd.DataFrame:
    """The areas table at one level (code, name, parent, kommun_code, lan_code, vintage)."""
    import barometer

    frame = store.as_text(pd.DataFrame(barometer.areas(level=level)).copy(), store.AREA_TEXT_COLUMNS)
    return frame.reset_index(drop=True)


class StoreInputs:
    """Input rows from the published store (through the public API)."""

    def long_values(self, indicator: str, level: str) -> pd.DataFrame:
        return long_values(indicator, level)

    def areas_of(self, level: str) -> pd.DataFrame:
        return areas_of(level)

    def has(self, indicator: str, level: str) -> bool:
        if indicator not in store.meta().get("indicators", []):
            return False
        v = store.values_table()
        return bool(((v["indicator"] == indicator) & (v["level"] == level)).any())


class FrameInputs:
    """Input rows from in-memory frames shaped like ``values.parquet`` and ``areas.parquet``.

    ``values`` needs the store's value columns (``level, area_code, year, indicator, group,
    value, numerator, denominator, status, note, source_id, kommun_code``); categorical
    columns are fine. Rows keep their order, so results equal those on the written store.
    """

    def __init__(self, values: pd.DataFrame, areas: pd.DataFrame):
        self._values = values
        self._areas = areas
        keys = values.groupby(["indicator", "level"], observed=True, sort=False).indices
        self._rows = {(str(i), str(lv)): np.sort(idx) for (i, lv), idx in keys.items()}

    def has(self, indicator: str, level: str) -> bool:
        return (indicator, level) in self._rows

    def long_values(self, indicator: str, level: str) -> pd.DataFrame:
        idx = self._rows.get((indicator, level))
        if idx is None:
            raise MeasureInputError(f"indikatorn {indicator} saknas på nivån {level}")
        frame = store.as_text(self._values.iloc[idx].reset_index(drop=True))
        frame["year"] = frame["year"].astype(int)
        return frame

    def areas_of(self, level: str) -> pd.DataFrame:
        a = self._areas
        frame = store.as_text(a[a["level"].astype(str) == level].copy(), store.AREA_TEXT_COLUMNS)
        return frame.reset_index(drop=True)


def uppsamlingsdistrikt(codes: pd.Series) -> np.ndarray:
    """True for valdistrikt codes whose district number starts with "98" (uppsamlingsdistrikt)."""
    return codes.astype(str).str.slice(4, 6).eq("98").to_numpy()


def _attach_areas(wide: pd.DataFrame, level: str, source=None) -> pd.DataFrame:
    """Join name, kommun_code and lan_code from the areas table; add riket_code."""
    areas = (source or StoreInputs()).areas_of(level)[["code", "name", "kommun_code", "lan_code", "vintage"]]
    if areas["code"].is_unique:
        out = wide.merge(areas.drop(columns="vintage"), left_on="area_code", right_on="code", how="left")
    else:  # e.g. valdistrikt: one vintage per election year, never joined across years
        areas = areas.assign(vintage_year=areas["vintage"].str.extract(r"(\d{4})", expand=False))
        areas = areas.dropna(subset=["vintage_year"]).astype({"vintage_year": int})
        out = wide.merge(areas.drop(columns="vintage"), left_on=["area_code", "year"],
                         right_on=["code", "vintage_year"], how="left").drop(columns="vintage_year")
    out = out.drop(columns="code")
    unknown = out["kommun_code"].isna()
    if unknown.any():
        raise MeasureInputError(f"områden saknas i områdestabellen ({level})",
                                areas=sorted(out.loc[unknown, "area_code"].unique()))
    out["riket_code"] = RIKET_CODE
    return out


def wide_counts(
    indicator: str,
    *,
    level: str = "regso",
    groups=None,
    field: str = "value",
    years=None,
    kommun: str | None = None,
    source=None,
) -> pd.DataFrame:
    """One row per area and year, one column per group of ``indicator`` (or per field).

    Parameters
    ----------
    indicator : str
        Store indicator id (``befolkning``, ``lagenheter``, ``valdeltagande_riksdag`` ...).
    level : str
        Area level of the rows (default ``"regso"``).
    groups : sequence of str, optional
        Groups to keep as columns (default all). Ignored when ``field`` is a list.
    field : str or list of str
        ``"value"`` (default) pivots the groups into columns; a list such as
        ``["value", "numerator", "denominator"]`` keeps group ``totalt`` and returns those fields.
    years : sequence of int, optional
        Keep only these years.
    kommun : str, optional
        Keep only the areas of this kommun code.
    source : StoreInputs or FrameInputs, optional
        Where the rows come from (default: the published store).

    Returns
    -------
    pandas.DataFrame
        ``area_code, year, name, kommun_code, lan_code, riket_code`` and the count columns.
        Missing values stay NaN (never 0); the store's ``status`` of a NaN is kept in
        ``status`` when a single field is returned per group ``totalt``.
    """
    long = (source or StoreInputs()).long_values(indicator, level)
    if years is not None:
        long = long[long["year"].isin([int(y) for y in years])]
    if kommun is not None and "kommun_code" in long.columns:
        long = long[long["kommun_code"].astype(str) == kommun]
    if isinstance(field, str):
        if groups is not None:
            long = long[long["group"].isin(list(groups))]
        wide = long.set_index(["area_code", "year", "group"])[field].unstack("group")
        wide.columns = [str(c) for c in wide.columns]
        wide = wide.reset_index()
        if groups is not None:
            for g in groups:  # a group absent from the store is missing data, not 0
                if g not in wide.columns:
                    wide[g] = np.nan
    else:
        long = long[long["group"] == "totalt"]
        wide = long[["area_code", "year", *field, "status"]].reset_index(drop=True)
    wide = _attach_areas(wide, level, source)
    if kommun is not None:
        wide = wide[wide["kommun_code"] == kommun]
    return wide.sort_values(["kommun_code", "year", "area_code"]).reset_index(drop=True)


def resolve_kommun(query: str) -> tuple[str, str]:
    """A kommun code or name (any case, å/ä/ö optional) → (code, name) through :func:`barometer.kommun`;
    an unknown one raises its UnknownAreaError (with suggestions)."""
    import barometer

    area = barometer.kommun(query)
    return str(area.code), str(area.name)
