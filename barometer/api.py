"""The analyst API: tidy frames from the store, each carrying its provenance."""

from __future__ import annotations

import pandas as pd

from . import catalog, store
from .geography import kommun as _kommun
from .geography import lan as _lan
from .exceptions import UnknownIndicatorError


def _check_indicator(indicator: str, available: list[str]) -> None:
    if indicator in available:
        return
    if indicator in catalog.ids():
        entry = catalog.get(indicator)
        how = (f"hämta den med `barometer fetch --indicator {indicator}`" if entry.get("status") == "live"
               else "ingen öppen källa finns ännu")
        raise UnknownIndicatorError(indicator, available,
                                    hint=f"finns i katalogen men inte i datalagret ({how}); i datalagret finns")
    raise UnknownIndicatorError(indicator, available)


def data(indicator: str, level: str | None = None, years=None, kommun: str | None = None,
         lan: str | None = None, group: str | None = None, by: str | None = None,
         klassning: str | None = None) -> pd.DataFrame:
    """Values of one indicator as a tidy frame.

    Columns: ``level, area_code, year, indicator, group, value, numerator, denominator, status,
    note, source_id, kommun_code, lan_code`` plus ``area_name``. ``df.attrs["provenance"]`` holds
    the source rows (publisher, table, address, retrieval date, licence).

    ``kommun`` / ``lan`` (code or name) restrict to that area and the areas inside it.

    ``by="omradestyp"`` returns the indicator split by områdestyp (kommun, län, riket) from the
    published table: one row per ``omradestyp`` (``1``…``5``, ``1-2``, ``4-5``, ``skillnad``),
    with ``klassning`` ``"samma_ar"`` (default: each year's own types) or ``"fast"`` (2023's
    types for 2020–2023); see :mod:`barometer.omradestyp_table`.
    """
    if by is not None or klassning is not None:
        from .omradestyp_table import by_choice, select

        by_choice(by)
        return select(indicator, level=level, years=years, kommun=kommun, lan=lan, group=group, klassning=klassning)
    available = store.meta()["indicators"]
    _check_indicator(indicator, available)
    if kommun is not None:
        code = _kommun(kommun).code
        df = store.kommun_values(code)
    else:
        df = store.values_table()
        if lan is not None:
            code = _lan(lan).code
            df = df[(df["lan_code"] == code) | ((df["level"] == "lan") & (df["area_code"] == code))]
    out = store.select(df, indicator=indicator, level=level, years=years, group=group)
    names = store.area_names()
    idx = pd.MultiIndex.from_arrays([out["level"], out["area_code"]])
    out["area_name"] = names.reindex(idx).to_numpy()
    return store.attach_provenance(out)


def indicators() -> pd.DataFrame:
    """The indicator catalogue, with a column saying whether the store holds data for each."""
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
