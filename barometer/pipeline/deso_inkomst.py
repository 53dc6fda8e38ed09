"""Tidy step for median net income per DeSO (≈2019), a research project's copy of SCB data.

Source: ``mobiseg_deso_resiseg/deso_demo_pop_nse_income.csv`` (MobiSegInsights, ``results/demo.csv``),
columns ``deso`` (DeSO 2018 code), ``income`` (the project's ``Net income - median KSEK``: median
net income, thousand SEK) and ``pop_nse``. The year is not documented; the file sits with the
project's 2019 DeSO population, so the values are stored as year 2019 with a note saying the year
is approximate. ``pop_nse`` (most likely the share without Swedish citizenship, definition
undocumented) is left out. A median cannot be summed to RegSO or kommun, so only DeSO rows exist.
"""

from __future__ import annotations

import pandas as pd

from ..exceptions import SourceFormatError
from .regso import read_koppling
from .snapshot import Manifest, open_text
from .tidy import TidyResult, values_frame

INCOME = "mobiseg_deso_resiseg/deso_demo_pop_nse_income.csv"
INDICATOR = "mediannettoinkomst_deso"
YEAR = 2019
SOURCE_ID = "mobiseg_deso_inkomst"
NOTE = ("år ≈2019 (anges inte i källan); forskningsprojektets (MobiSegInsights) kopia av SCB-data, "
        "inte SCB:s egen tabell")


def income_step(manifest: Manifest) -> TidyResult:
    """Median net income (tkr) per DeSO 2018, year ≈2019, status ok with the approximate-year note."""
    raw = manifest.file(INCOME)
    df = pd.read_csv(open_text(raw), dtype=str, keep_default_na=False)
    missing = [c for c in ("deso", "income") if c not in df.columns]
    if missing:
        raise SourceFormatError(raw.path, f"kolumner saknas: {missing}; fanns: {', '.join(df.columns)}")
    codes = df["deso"].str.strip()
    if codes.duplicated().any():
        raise SourceFormatError(raw.path, f"dubbletter: {list(codes[codes.duplicated()][:5])}")
    value = pd.to_numeric(df["income"].str.strip().replace({"": None, "..": None}), errors="coerce")
    key = set(read_koppling(manifest)["DeSO_2018"])
    unknown = sorted(set(codes) - key)
    if unknown:
        raise SourceFormatError(raw.path, f"{len(unknown)} DeSO-koder finns inte i nyckelfilen: {unknown[:5]}")
    absent = sorted(key - set(codes))
    if (value < 0).any():
        raise SourceFormatError(raw.path, "negativ inkomst")
    values = values_frame(pd.DataFrame({
        "level": "deso", "area_code": codes, "year": YEAR, "indicator": INDICATOR, "group": "totalt",
        "value": value, "note": NOTE, "source_id": SOURCE_ID}))
    checks = [{"check": "deso_inkomst", "ok": bool(not absent and value.notna().all()),
               "detail": f"{len(values)} DeSO, {int(value.isna().sum())} utan värde, {len(absent)} DeSO i nyckelfilen "
                         f"saknas; median {value.median():.1f} tkr (spann {value.min():.1f}–{value.max():.1f})"}]
    return TidyResult(values=values, checks=checks)
