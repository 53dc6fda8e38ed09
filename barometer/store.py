"""The published store: load tidy values, areas, sources and measures from data/store/ (Parquet)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from . import config
from .exceptions import StoreMissingError, UnknownLevelError

LEVELS = ("riket", "lan", "kommun", "regso", "deso", "valdistrikt")
#: Text columns of ``values.parquet`` (codes, labels, provenance); some are stored as categories.
VALUE_TEXT_COLUMNS = ("level", "area_code", "indicator", "group", "status", "note", "source_id", "kommun_code", "lan_code")
#: Text columns of ``areas.parquet``.
AREA_TEXT_COLUMNS = ("level", "code", "name", "kommun_code", "lan_code", "vintage")


def as_text(df: pd.DataFrame, columns=VALUE_TEXT_COLUMNS) -> pd.DataFrame:
    """``df`` with each of ``columns`` that it has as plain ``str`` (the store writes codes and labels
    as categories; comparisons, joins and Parquet filters want strings). Changes ``df`` in place and
    returns it; columns it lacks are skipped."""
    for col in columns:
        if col in df.columns:
            df[col] = df[col].astype(str)
    return df


def _path(name: str) -> Path:
    path = config.store_dir() / name
    if not path.is_file():
        raise StoreMissingError(str(path))
    return path


def stamp() -> tuple:
    """A hashable token that changes whenever the store is rebuilt (key in-process caches on it).

    Raises StoreMissingError when the store has not been built.
    """
    meta = config.store_dir() / "meta.json"
    try:
        st = meta.stat()
    except FileNotFoundError:
        raise StoreMissingError(str(config.store_dir())) from None
    return (str(meta), st.st_mtime_ns, st.st_size)


_stamp = stamp  # older name, kept for callers


@lru_cache(maxsize=4)
def _areas(stamp: tuple) -> pd.DataFrame:
    return pd.read_parquet(_path("areas.parquet"))


@lru_cache(maxsize=4)
def _sources(stamp: tuple) -> pd.DataFrame:
    return pd.read_parquet(_path("sources.parquet"))


@lru_cache(maxsize=2)
def _values(stamp: tuple) -> pd.DataFrame:
    return pd.read_parquet(_path("values.parquet"))


@lru_cache(maxsize=8)
def _area_names(stamp: tuple, year) -> pd.Series:
    from . import vintages

    a = _areas(stamp)
    keep = [vintages.vintage_for(lv, year) for lv in a["level"].astype(str).unique()]
    a = a[a["vintage"].astype(str).isin([v for v in keep if v])]
    return a.set_index(["level", "code"])["name"]


def area_names(year: int | None = None) -> pd.Series:
    """Area name by (level, code), each level in the vintage of ``year`` (see :mod:`barometer.vintages`).

    Without ``year`` only levels with a single vintage are included: a valdistrikt name needs
    the election year (codes are shared by the 2018 and 2022 districts with other names).
    """
    return _area_names(_stamp(), None if year is None else int(year))


def areas_table() -> pd.DataFrame:
    """All areas (riket, län, kommun, RegSO, DeSO, valdistrikt) with their hierarchy."""
    return _areas(_stamp())


def sources_table() -> pd.DataFrame:
    """One row per source: publisher, title, table, address, retrieval date, licence, sha256."""
    return _sources(_stamp())


def meta() -> dict:
    return json.loads(_path("meta.json").read_text(encoding="utf-8"))


def checks() -> list[dict]:
    return json.loads(_path("checks.json").read_text(encoding="utf-8"))


def values_table() -> pd.DataFrame:
    """The whole long table (cached in memory; ~0.6 M rows)."""
    return _values(_stamp())


def read_values(filters=None, columns=None) -> pd.DataFrame:
    """Rows of ``values.parquet`` matching Parquet ``filters`` (pyarrow DNF, e.g.
    ``[("level", "in", ["lan", "riket"])]``), reading only the row groups that can match.

    ``columns``: the columns to read (default all). Categorical columns stay categorical.
    Not cached: cache the result yourself, keyed on :func:`stamp`.
    """
    return pq.read_table(_path("values.parquet"), filters=filters, columns=columns).to_pandas()


def read_published(name: str, filters=None, columns=None) -> pd.DataFrame:
    """Rows of a published measure table (``measures.parquet`` or another entry of
    ``barometer.pipeline.derived.DERIVED``, e.g. ``omradestyp.parquet``) matching Parquet ``filters``.

    Raises StoreMissingError when the store (or that table) has not been built.
    """
    return pq.read_table(_path(name), filters=filters, columns=columns).to_pandas()


MEASURE_LEVELS = ("kommun", "lan", "riket")


def _as_tuple(x, cast=str) -> tuple | None:
    if x is None:
        return None
    if isinstance(x, (str, int)):
        x = [x]
    return tuple(sorted({cast(v) for v in x}))


@lru_cache(maxsize=64)
def _measures(stamp: tuple, level, codes, years, measures) -> pd.DataFrame:
    filters = []
    if level is not None:
        filters.append(("level", "in", list(level)))
    if codes is not None:
        filters.append(("kommun_kod", "in", list(codes)))
    if years is not None:
        filters.append(("year", "in", list(years)))
    if measures is not None:
        filters.append(("measure", "in", list(measures)))
    return read_published("measures.parquet", filters=filters or None)


def measures_table(level=None, codes=None, years=None, measures=None) -> pd.DataFrame:
    """The segregation measures published by ``barometer build`` (``measures.parquet``).

    Parameters (each optional; a single value or a list)
    ----------
    level : ``"kommun"``, ``"lan"`` or ``"riket"``
    codes : unit codes (``kommun_kod``: kommun ``"1280"``, län ``"12"``, riket ``"00"``)
    years : reference years
    measures : measure names (``"D_utrikes_fodda"``, ...; see ``barometer.measures.compute``)

    Returns
    -------
    pandas.DataFrame
        ``level, kommun_kod, kommun, year, measure, value, n_areas, note, omrade_kod, omrade,
        source_ids``, sorted by level, code, year and measure, read with Parquet filters and
        cached per store version (a fresh copy each call). Codes are str; NaN values keep
        their reason in ``note``; ``source_ids`` names the sources of the inputs ("; "-joined).

    Raises
    ------
    UnknownLevelError
        A level other than kommun, lan, riket.
    StoreMissingError
        The store (or its measures table) has not been built: run ``barometer build``.
    """
    lv = _as_tuple(level)
    if lv is not None:
        for x in lv:
            if x not in MEASURE_LEVELS:
                raise UnknownLevelError(x, list(MEASURE_LEVELS))
    return _measures(stamp(), lv, _as_tuple(codes), _as_tuple(years, int), _as_tuple(measures)).copy()


def kommun_values(kommun_code: str) -> pd.DataFrame:
    """Every value of one kommun and its areas, read with a Parquet filter (fast, no full load)."""
    table = pq.read_table(_path("values.parquet"), filters=[("kommun_code", "=", kommun_code)])
    return table.to_pandas()


def attach_provenance(df: pd.DataFrame) -> pd.DataFrame:
    """Set ``df.attrs['provenance']``: the source rows behind the frame's ``source_id`` values."""
    src = sources_table()
    ids = set(df["source_id"].astype(str).unique()) if "source_id" in df.columns else set()
    df.attrs["provenance"] = src[src["source_id"].isin(ids)].to_dict("records")
    return df


def select(
    df: pd.DataFrame,
    indicator: str | None = None,
    level: str | None = None,
    years=None,
    group: str | None = None,
    where: str = "",
) -> pd.DataFrame:
    """Filter a long table; every filter is validated (see :func:`barometer.filters.select`).

    An unknown level, year or group, or a combination that selects nothing, raises a
    ``BarometerError`` naming the valid choices; never an empty frame.
    """
    from .filters import select as _mask

    out = df[_mask(df, indicator=indicator, level=level, years=years, group=group, where=where)].copy()
    for col in ("level", "indicator", "group", "status", "note", "source_id", "lan_code"):
        if col in out.columns and isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(str)
    return out.reset_index(drop=True)
