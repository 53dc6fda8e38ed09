"""The analyst API: tidy frames from the store, each carrying its provenance."""

from __future__ import annotations

import pandas as pd

from . import catalog, filters, store, vintages
from .geography import kommun as _kommun
from .geography import lan as _lan


def data(indicator: str, level: str | None = None, years=None, kommun: str | None = None,
         lan: str | None = None, group: str | None = None, by: str | None = None,
         klassning: str | None = None) -> pd.DataFrame:
    """Values of one indicator as a tidy frame.

    Columns: ``level, area_code, year, indicator, group, value, numerator, denominator, status,
    note, source_id, kommun_code, lan_code`` plus ``area_name`` (from the vintage of each row's
    year). ``df.attrs["provenance"]`` holds the source rows (publisher, table, address, retrieval
    date, licence).

    ``kommun`` / ``lan`` (code or official name) restrict to that area and the areas inside it.

    ``by="omradestyp"`` returns the indicator split by områdestyp (kommun, län, riket) from the
    published table: one row per ``omradestyp`` (``1``…``5``, ``1-2``, ``4-5``, ``skillnad``),
    with ``klassning`` ``"samma_ar"`` (default: each year's own types) or ``"fast"`` (2023's
    types for 2020–2023); see :mod:`barometer.omradestyp_table`.

    Raises
    ------
    UnknownIndicatorError
        An id not in the store (close matches by id or Swedish label are named).
    UnknownAreaError
        An unknown kommun or län.
    UnknownLevelError, YearOutOfRangeError, UnknownGroupError
        A level, year or group the selection does not have (the valid ones are named).
    FilterConflictError
        Filters that together select nothing (a kommun outside the län, ``level="lan"`` with a
        kommun, an indicator without values in the area).
    """
    if by is not None or klassning is not None:
        from .omradestyp_table import by_choice, select

        by_choice(by)
        return select(indicator, level=level, years=years, kommun=kommun, lan=lan, group=group, klassning=klassning)
    available = store.meta()["indicators"]
    filters.check_indicator(indicator, available)
    filters.check_level(level)
    k = _kommun(kommun) if kommun is not None else None
    ln = _lan(lan) if lan is not None else None
    filters.check_area_filters(k, ln, level)
    where = ""
    if k is not None:
        df = store.kommun_values(k.code)
        where = f"i {k.label}"
    else:
        df = store.values_table()
        if ln is not None:
            code = ln.code
            df = df[(df["lan_code"] == code) | ((df["level"] == "lan") & (df["area_code"] == code))]
            where = f"i {ln.name}"
    out = store.select(df, indicator=indicator, level=level, years=years, group=group, where=where)
    out["area_name"] = vintages.names_for(out)
    return store.attach_provenance(out)


def indicators() -> pd.DataFrame:
    """The indicator catalogue, with a column saying whether the store holds data for each.

    One row per indicator; English column names (``id, label_sv, label_en, area, unit, status,
    levels, years, publisher, table, address, definition, barometer, i_datalagret``). ``barometer``
    (bool) is True for Segregationsbarometern's own indicators (or our stand-in for one) and False
    for the context series around them (e.g. population, share foreign-born: used by the reports and
    the segregation measures, but not one of the barometer's ~19 indicators); ``i_datalagret``
    (bool) says whether the built store holds values for it. The CLI (``barometer indicators``) shows the same table with Swedish column names
    (``barometer.cli.INDICATOR_COLUMNS_SV``).
    """
    df = catalog.table()
    try:
        held = set(store.meta()["indicators"])
    except Exception:  # store not built yet: the catalogue is still useful
        held = set()
    df["i_datalagret"] = df["id"].isin(held)
    return df


def provenance() -> pd.DataFrame:
    """Every source behind the store (publisher, table, address, retrieval date, licence, sha256)."""
    return store.sources_table().copy()
