"""Shape and write live fetches: the long-table columns, checks, and atomic Parquet + meta writes.

A fetch reaches ``data/raw/live`` (or ``data/raw/geo``) only whole: both files are first written
next to their targets under a ``.part`` name (which no ``*.parquet`` / ``*.meta.json`` glob
matches), and renamed with ``os.replace`` only after everything was downloaded, parsed and
validated. If anything fails before that, the ``.part`` files are removed and the existing files
stay untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from contextlib import suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..exceptions import SourceFormatError
from ..geography import CODE_PATTERNS as _CODES
from ..pipeline.snapshot import sha256_file  # noqa: F401  (re-exported for fetch and geodata)
from ..pipeline.tidy import STATUSES, VALUE_COLUMNS

KEY = VALUE_COLUMNS[:5]  # level, area_code, year, indicator, group
# the store's code shapes for the levels a live source can deliver (valdistrikt comes from files)
CODE_PATTERNS = {level: re.compile(f"^{pattern}$") for level, pattern in _CODES.items() if level != "valdistrikt"}
KOMMUN_CODE = CODE_PATTERNS["kommun"]


def level_of(code: str) -> str | None:
    """The level an area code belongs to by its shape ("00" riket, "01" län, ...), or None."""
    if code == "00":
        return "riket"
    for level in ("lan", "kommun", "regso", "deso"):
        if CODE_PATTERNS[level].match(code):
            return level
    return None


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def spec_hash(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


def finish_values(df: pd.DataFrame, where: str) -> pd.DataFrame:
    """Type the long table, check codes, statuses and key uniqueness; return it in column order."""
    df = df.copy()
    for col in ("numerator", "denominator"):
        if col not in df.columns:
            df[col] = np.nan
    if "note" not in df.columns:
        df["note"] = ""
    for col in ("value", "numerator", "denominator"):
        df[col] = pd.to_numeric(df[col], errors="raise").astype("float64")
    df["note"] = df["note"].fillna("").astype(str)
    df["status"] = df["status"].fillna("ok").astype(str)
    df["year"] = pd.to_numeric(df["year"]).astype("int64")
    for col in ("level", "area_code", "indicator", "group", "source_id"):
        df[col] = df[col].astype(str)
    df = df[VALUE_COLUMNS].sort_values(KEY, kind="stable").reset_index(drop=True)

    bad_status = sorted(set(df["status"]) - set(STATUSES))
    if bad_status:
        raise SourceFormatError(where, f"okänd status {bad_status}; giltiga: {', '.join(STATUSES)}")
    nan_ok = df["value"].isna() & (df["status"] == "ok")
    if nan_ok.any():
        raise SourceFormatError(where, f"{int(nan_ok.sum())} rader saknar värde men har status ok")
    unexplained = df["value"].isna() & (df["note"] == "")
    if unexplained.any():
        raise SourceFormatError(where, f"{int(unexplained.sum())} rader saknar värde utan förklaring")
    for level, codes in df.groupby("level")["area_code"]:
        pattern = CODE_PATTERNS.get(level)
        if pattern is None:
            raise SourceFormatError(where, f"okänd nivå {level!r}")
        wrong = sorted({c for c in codes if not pattern.match(c)})
        if wrong:
            raise SourceFormatError(where, f"ogiltiga {level}-koder: {', '.join(wrong[:5])}")
    dup = df.duplicated(KEY, keep=False)
    if dup.any():
        first = df.loc[dup, KEY].iloc[0].to_dict()
        raise SourceFormatError(
            where, f"{int(dup.sum())} rader har samma nyckel, t.ex. {first}. "
            "En variabel med flera värden saknas i group_map?")
    return df


def merge_kommun(existing: pd.DataFrame, new: pd.DataFrame, kommun: str) -> pd.DataFrame:
    """Replace one kommun's rows (the kommun and the areas inside it) in an earlier fetch."""
    inside = existing["level"].isin(["kommun", "regso", "deso"]) & existing["area_code"].str.startswith(kommun)
    return pd.concat([existing.loc[~inside], new], ignore_index=True)


def read_meta(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def part_path(target: Path) -> Path:
    return target.with_name(f"{target.name}.{uuid.uuid4().hex[:8]}.part")


def write_atomic(target: Path, meta_target: Path, write: Callable[[Path], None], meta: dict) -> Path:
    """Write ``target`` (via ``write(tmp_path)``) and its meta JSON; rename both only when both are done.

    ``meta["sha256"]`` is set from the written file. Returns ``target``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp, tmp_meta = part_path(target), part_path(meta_target)
    try:
        write(tmp)
        meta = dict(meta, sha256=sha256_file(tmp))
        tmp_meta.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, target)
        os.replace(tmp_meta, meta_target)
    finally:
        for p in (tmp, tmp_meta):
            with suppress(FileNotFoundError):
                p.unlink()
    return target


def write_values(df: pd.DataFrame, target: Path, meta: dict) -> Path:
    """Write a long table as Parquet plus ``<name>.meta.json`` atomically."""
    meta_target = target.with_name(target.name[: -len(".parquet")] + ".meta.json")
    return write_atomic(target, meta_target, lambda p: df.to_parquet(p, index=False), meta)


def reference_years(df: pd.DataFrame) -> str:
    years = sorted({int(y) for y in df["year"]})
    if not years:
        return ""
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 2:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)
