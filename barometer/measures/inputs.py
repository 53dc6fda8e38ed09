"""Adapters from the store's long table to the wide per-area frames the measures take.

The measures themselves take plain DataFrames (one row per area and year, one column per
count, plus hierarchy keys). This module is the only place in ``barometer.measures`` that
reads the store: it prefers the public API (``barometer.data`` / ``barometer.areas`` /
``barometer.kommun``) and falls back to :mod:`barometer.store` when the API is not there.
"""

from __future__ import annotations

import difflib
import unicodedata

import numpy as np
import pandas as pd

from barometer.exceptions import MeasureInputError, UnknownAreaError

__all__ = ["RIKET_CODE", "long_values", "areas_of", "wide_counts", "resolve_kommun", "uppsamlingsdistrikt"]

RIKET_CODE = "00"


def _public(name: str):
    """``barometer.<name>`` if the public API provides it, else None (then use the store)."""
    import barometer

    try:
        value = getattr(barometer, name)
    except (AttributeError, ImportError):
        return None
    return value if callable(value) else None


def long_values(indicator: str, level: str) -> pd.DataFrame:
    """All rows of one indicator at one level from the store (all years, all kommuner)."""
    api = _public("data")
    if api is not None:
        frame = api(indicator, level=level)
    else:  # the public API is not wired yet: read the store module directly
        from barometer import store

        frame = store.select(store.values_table(), indicator=indicator, level=level)
    frame = pd.DataFrame(frame)
    for col in ("level", "area_code", "indicator", "group", "status", "note"):
        if col in frame.columns:
            frame[col] = frame[col].astype(str)
    frame["year"] = frame["year"].astype(int)
    return frame


def areas_of(level: str) -> pd.DataFrame:
    """The areas table at one level (code, name, parent, kommun_code, lan_code, vintage)."""
    api = _public("areas")
    if api is not None:
        frame = api(level=level)
    else:
        from barometer import store

        table = store.areas_table()
        frame = table[table["level"] == level]
    frame = pd.DataFrame(frame).copy()
    for col in ("code", "name", "kommun_code", "lan_code", "vintage"):
        if col in frame.columns:
            frame[col] = frame[col].astype(str)
    return frame.reset_index(drop=True)


def uppsamlingsdistrikt(codes: pd.Series) -> np.ndarray:
    """True for valdistrikt codes whose district number starts with "98" (uppsamlingsdistrikt)."""
    return codes.astype(str).str.slice(4, 6).eq("98").to_numpy()


def _attach_areas(wide: pd.DataFrame, level: str) -> pd.DataFrame:
    """Join name, kommun_code and lan_code from the areas table; add riket_code."""
    areas = areas_of(level)[["code", "name", "kommun_code", "lan_code", "vintage"]]
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

    Returns
    -------
    pandas.DataFrame
        ``area_code, year, name, kommun_code, lan_code, riket_code`` and the count columns.
        Missing values stay NaN (never 0); the store's ``status`` of a NaN is kept in
        ``status`` when a single field is returned per group ``totalt``.
    """
    long = long_values(indicator, level)
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
    wide = _attach_areas(wide, level)
    if kommun is not None:
        wide = wide[wide["kommun_code"] == kommun]
    return wide.sort_values(["kommun_code", "year", "area_code"]).reset_index(drop=True)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).strip().lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace("-", " ")


def resolve_kommun(query: str) -> tuple[str, str]:
    """A kommun code or name (any case, å/ä/ö optional) → (code, name); else UnknownAreaError."""
    api = _public("kommun")
    if api is not None:
        area = api(query)
        return str(area.code), str(area.name)
    kommuner = areas_of("kommun")
    q = str(query).strip()
    hit = kommuner[kommuner["code"] == q.zfill(4)] if q.isdigit() else kommuner.iloc[0:0]
    if hit.empty:
        folded = kommuner["name"].map(_fold)
        hit = kommuner[folded == _fold(q)]
    if len(hit) == 1:
        return hit["code"].iloc[0], hit["name"].iloc[0]
    close = difflib.get_close_matches(_fold(q), kommuner["name"].map(_fold).tolist(), n=3, cutoff=0.6)
    names = kommuner.set_index(kommuner["name"].map(_fold))["name"]
    raise UnknownAreaError(q, level="kommun", suggestions=[names[c] for c in close])
