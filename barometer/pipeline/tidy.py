"""Shared shapes of the tidy layer: the long-table columns and small builders."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

VALUE_COLUMNS = [
    "level", "area_code", "year", "indicator", "group",
    "value", "numerator", "denominator", "status", "note", "source_id",
]
AREA_COLUMNS = ["level", "code", "name", "parent_code", "lan_code", "kommun_code", "regso_code", "vintage"]
STATUSES = ("ok", "suppressed", "missing", "estimated", "not_applicable")
RIKET_CODE = "00"


@dataclass
class TidyResult:
    """What a tidy step produces: long values, and optionally areas or kommun attributes."""

    values: pd.DataFrame = field(default_factory=lambda: empty_values())
    areas: pd.DataFrame | None = None
    attributes: pd.DataFrame | None = None
    checks: list[dict] = field(default_factory=list)
    #: extra tables published as ``data/store/<name>.parquet`` (e.g. ``geometry/regso``; GeoParquet allowed)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def empty_values() -> pd.DataFrame:
    return values_frame(pd.DataFrame({c: [] for c in VALUE_COLUMNS}))


def values_frame(df: pd.DataFrame, **defaults) -> pd.DataFrame:
    """Complete and type a long table: fill missing columns, set status/note for NaN values."""
    df = df.copy()
    for key, val in defaults.items():
        if key not in df.columns:
            df[key] = val
    for col in ("numerator", "denominator"):
        if col not in df.columns:
            df[col] = np.nan
    if "status" not in df.columns:
        df["status"] = "ok"
    if "note" not in df.columns:
        df["note"] = ""
    df["value"] = pd.to_numeric(df["value"], errors="coerce").astype("float64")
    df["numerator"] = pd.to_numeric(df["numerator"], errors="coerce").astype("float64")
    df["denominator"] = pd.to_numeric(df["denominator"], errors="coerce").astype("float64")
    df["note"] = df["note"].fillna("").astype(str)
    df["status"] = df["status"].fillna("ok").astype(str)
    missing = df["value"].isna() & (df["status"] == "ok")
    df.loc[missing, "status"] = "missing"
    df.loc[missing & (df["note"] == ""), "note"] = "värde saknas i källan"
    df["year"] = pd.to_numeric(df["year"]).astype("int64")
    for col in ("level", "area_code", "indicator", "group", "source_id"):
        df[col] = df[col].astype(str)
    return df[VALUE_COLUMNS].reset_index(drop=True)


def share(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """100 * numerator / denominator, NaN where the denominator is 0 or missing."""
    num = numerator.astype("float64")
    den = denominator.astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, 100.0 * num / den, np.nan)
    return pd.Series(out, index=numerator.index)
