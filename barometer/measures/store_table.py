"""The measures as published by ``barometer build`` (``data/store/measures.parquet``), selected like ``compute_all``."""

from __future__ import annotations

import pandas as pd

from barometer.measures.compute import COLUMNS, check_levels, check_years
from barometer.measures.inputs import resolve_kommun

__all__ = ["published"]


def published(years=None, kommun: str | None = None, levels=None, measures=None) -> pd.DataFrame:
    """Every segregation measure as the build published it; the same rows as :func:`compute_all`.

    Views read this (a Parquet read with filters, cached per store version) instead of
    recomputing; :func:`barometer.measures.compute_all` recomputes the same table from the
    store for analysts and tests.

    Parameters
    ----------
    years : int or sequence of int, optional
        Years to return (default all: 2018, 2020–2023).
    kommun : str, optional
        A kommun code or name. Then only that kommun's rows (plus its län and riket rows if
        ``levels`` asks for them).
    levels : sequence of str, optional
        Any of ``"kommun"``, ``"lan"``, ``"riket"``. Default all three without ``kommun``, and
        ``("kommun",)`` with it.
    measures : sequence of str, optional
        Measure names to keep (default all).

    Returns
    -------
    pandas.DataFrame
        ``level, kommun_kod, kommun, year, measure, value, n_areas, note, omrade_kod, omrade,
        source_ids``; one row per unit, year and measure (see :mod:`barometer.measures.compute`).

    Raises
    ------
    YearOutOfRangeError
        A year without measures.
    UnknownLevelError
        A level other than kommun, lan, riket.
    UnknownAreaError
        An unknown kommun (the message lists close matches).
    StoreMissingError
        The store has no measures table: run ``barometer build``.
    """
    from barometer import store

    years = check_years(years)
    code = None
    if kommun is not None:
        code, _ = resolve_kommun(kommun)
    levels = check_levels(levels, with_kommun=code is not None)
    if code is None:
        out = store.measures_table(level=levels, years=years, measures=measures)
    else:
        unit = {"kommun": code, "lan": code[:2], "riket": "00"}
        parts = [store.measures_table(level=lv, codes=unit[lv], years=years, measures=measures) for lv in levels]
        out = pd.concat(parts, ignore_index=True) if parts else store.measures_table(level="kommun", codes=[])
    return out[COLUMNS + ["source_ids"]].reset_index(drop=True)
