"""Tables the build derives from the published values, written into the same atomic store swap."""

from __future__ import annotations

import importlib
import sys
from typing import Callable

import pandas as pd

#: file name in data/store → (module, function(values, areas) -> DataFrame)
DERIVED: dict[str, tuple[str, str]] = {
    "omradestyp.parquet": ("barometer.measures.by_omradestyp", "publish_table"),
}


def _function(module: str, name: str) -> Callable:
    return getattr(importlib.import_module(module), name)


def code_files() -> list[str]:
    """Source files of the derived tables (a change reruns the publish step)."""
    files = []
    for module, name in DERIVED.values():
        _function(module, name)
        files.append(sys.modules[module].__file__)
    return files


def build_tables(values: pd.DataFrame, areas: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every derived table, by its file name in the store."""
    return {fname: _function(module, name)(values, areas) for fname, (module, name) in DERIVED.items()}


def checks(tables: dict[str, pd.DataFrame], values: pd.DataFrame) -> list[dict]:
    """Integrity checks of the derived tables (reported in checks.json; a failure stops the build)."""
    out = []
    table = tables.get("omradestyp.parquet")
    if table is not None and len(table):
        from barometer.measures.by_omradestyp import check_totals

        out.append(check_totals(table, values))
    return out
