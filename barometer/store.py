"""The published store: load tidy values, areas and sources from data/store/ (Parquet)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from . import config
from .exceptions import StoreMissingError

LEVELS = ("riket", "lan", "kommun", "regso", "deso", "valdistrikt")


def _path(name: str) -> Path:
    path = config.store_dir() / name
    if not path.is_file():
        raise StoreMissingError(str(path))
    return path


def _stamp() -> tuple:
    """Changes whenever the store is rebuilt (so in-process caches refresh)."""
    meta = config.store_dir() / "meta.json"
    try:
        st = meta.stat()
    except FileNotFoundError:
        raise StoreMissingError(str(config.store_dir())) from None
    return (str(meta), st.st_mtime_ns, st.st_size)


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
