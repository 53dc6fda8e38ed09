"""Area vintages: the name, parent and hierarchy of an area always come from the vintage of the row's year.

The areas table holds one row per ``(level, code, vintage)``. Most levels have a single vintage
(RegSO 2020, DeSO 2018, Kommun 2020, ...), used for every year. Valdistrikt have two
(``Valdistrikt 2018``, ``Valdistrikt 2022``): the districts were redrawn and about 1,000 codes
exist in both with other names (``12800116`` is "Katrinelund" in 2018 and "N Sorgenfri" in 2022).

Rule (:func:`vintage_for`): a level with one vintage uses it for every year; a level with several
uses the latest vintage whose year is ≤ the row's year, and *no* vintage (name NaN) for a year
before its first one: a code is never looked up in another year's vintage.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from . import store

_YEAR = re.compile(r"(\d{4})")


@lru_cache(maxsize=4)
def _vintages(stamp) -> dict[str, list[tuple[int | None, str]]]:
    a = store.areas_table()
    out: dict[str, list[tuple[int | None, str]]] = {}
    for level, vintage in a[["level", "vintage"]].astype(str).drop_duplicates().itertuples(index=False):
        m = _YEAR.search(vintage)
        out.setdefault(level, []).append((int(m.group(1)) if m else None, vintage))
    for level in out:
        out[level].sort(key=lambda t: (t[0] is None, t[0] or 0))
    return out


def vintages(level: str) -> list[str]:
    """The vintages of ``level`` in the store, oldest first (``["Valdistrikt 2018", "Valdistrikt 2022"]``)."""
    return [v for _, v in _vintages(store.stamp()).get(level, [])]


def vintage_for(level: str, year) -> str | None:
    """The vintage whose areas describe ``level`` in ``year`` (None if no vintage covers it).

    >>> vintage_for("valdistrikt", 2022)   # doctest: +SKIP
    'Valdistrikt 2022'
    """
    options = _vintages(store.stamp()).get(level, [])
    if len(options) == 1:
        return options[0][1]
    if year is None or (isinstance(year, float) and np.isnan(year)):
        return None
    best = None
    for vy, v in options:
        if vy is not None and vy <= int(year):
            best = v
    return best


@lru_cache(maxsize=4)
def _indexed(stamp) -> pd.DataFrame:
    a = store.areas_table()
    cols = {c: a[c].astype(str) for c in ("level", "vintage", "code")}
    out = a.set_index([cols["level"], cols["vintage"], cols["code"]]).sort_index()
    return out[~out.index.duplicated()]  # unique on (level, vintage, code) by construction


def lookup(df: pd.DataFrame, column: str = "name", *, level: str = "level", code: str = "area_code",
           year: str = "year") -> np.ndarray:
    """``column`` of the areas table (name, parent_code, kommun_code ...) for every row of ``df``.

    ``df`` needs the columns ``level``, ``code`` and ``year`` (names configurable); each row is
    looked up in the vintage of its own year (see :func:`vintage_for`). Returns an object array
    aligned with ``df`` (NaN where the area is not in that vintage). Vectorised: one pass over
    the distinct (level, year) pairs, then one index lookup.
    """
    if df.empty:
        return np.array([], dtype=object)
    lv = df[level].astype(str).to_numpy()
    yr = df[year].to_numpy() if year in df.columns else np.full(len(df), -1)
    codes, uniq = pd.factorize(pd.MultiIndex.from_arrays([lv, yr]))
    per_pair = np.array([vintage_for(lvl, None if y == -1 else y) or "" for lvl, y in uniq], dtype=object)
    vint = per_pair[codes]
    table = _indexed(store.stamp())[column]
    idx = pd.MultiIndex.from_arrays([lv, vint.astype(str), df[code].astype(str).to_numpy()])
    return table.reindex(idx).to_numpy(dtype=object)


def names_for(df: pd.DataFrame, **columns) -> np.ndarray:
    """Area names for the rows of ``df`` (level, area_code, year), each from its year's vintage."""
    return lookup(df, "name", **columns)


@lru_cache(maxsize=4)
def _names(stamp) -> dict[tuple[str, str, str], object]:
    """(level, vintage, code) → name, for :func:`name` (one dict hit instead of a frame reindex)."""
    table = _indexed(stamp)["name"]
    return dict(zip(table.index, table.to_numpy(dtype=object)))


def name(level: str, code: str, year=None, default: str | None = None) -> str:
    """One area's name in the vintage of ``year`` (``default`` – or the code – if not found)."""
    stamp = store.stamp()
    vintage = vintage_for(str(level), year) or ""   # same rule as lookup(), without building frames
    value = _names(stamp).get((str(level), str(vintage), str(code)))
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return str(code) if default is None else default
    return str(value)


def name_map(level: str, year=None) -> dict[str, str]:
    """Code → name for every area of ``level`` in the vintage of ``year``."""
    vintage = vintage_for(level, year)
    if vintage is None:
        return {}
    a = store.areas_table()
    sel = a[(a["level"].astype(str) == level) & (a["vintage"].astype(str) == vintage)]
    return dict(zip(sel["code"].astype(str), sel["name"].astype(str)))


def areas_in(level: str, year=None) -> pd.DataFrame:
    """The areas of ``level`` in the vintage of ``year`` (all vintages if ``year`` is None)."""
    a = store.areas_table()
    sel = a[a["level"].astype(str) == level]
    if year is not None:
        sel = sel[sel["vintage"].astype(str) == (vintage_for(level, year) or "")]
    return sel.reset_index(drop=True)
