"""The measure tables `barometer build` publishes next to values.parquet: one (file, function) entry each.

Views (report, explorer, fact sheet, ``barometer measures``) read these tables; they never
recompute national measures. To publish another table, write a function
``(values, areas) -> DataFrame`` (the frames the build is about to publish, shaped like
``values.parquet`` and ``areas.parquet``; codes as str) and add one :class:`MeasureTable` to
:data:`TABLES`. The build then writes it inside the same atomic store swap, lists it in
``meta.json`` (rows, sha256, code version, inputs) and republishes whenever the code of
``barometer/measures`` or of this module changes. Read it with ``barometer.store.read_published``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .snapshot import sha256_file

__all__ = ["MeasureTable", "TABLES", "measures", "code_files", "code_version", "write_all"]


@dataclass(frozen=True)
class MeasureTable:
    """One published table: file name in the store, the function that builds it, its layout."""

    filename: str
    build: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame]
    sort_by: tuple[str, ...]          # the file is sorted by these (Parquet statistics prune on them)
    row_group_size: int = 4_000       # rows per row group: a filter on the sort keys reads a few groups


def measures(values: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Every measure of :func:`barometer.measures.compute_all` (kommun, län, riket, every year),
    plus ``source_ids``, computed from the build's in-memory ``values`` and ``areas``."""
    from ..measures.compute import compute_frame
    from ..measures.inputs import FrameInputs

    return compute_frame(FrameInputs(values, areas))


#: Every measure table the build publishes (add yours here: one line).
TABLES: tuple[MeasureTable, ...] = (
    MeasureTable("measures.parquet", measures, sort_by=("level", "kommun_kod", "year")),
)


def code_files() -> list[Path]:
    """The source files whose change republishes the measure tables: barometer/measures and this module."""
    pkg = Path(__file__).resolve().parents[1] / "measures"
    return sorted(pkg.rglob("*.py")) + [Path(__file__).resolve()]


def code_version() -> str:
    """sha256 over the measure code (file names and contents), the tables' ``code_version``."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for path in code_files():
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _write(frame: pd.DataFrame, table: MeasureTable, path: Path) -> None:
    frame = frame.sort_values(list(table.sort_by), kind="stable").reset_index(drop=True)
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.CategoricalDtype) or frame[col].dtype == object:
            frame[col] = frame[col].astype(str)  # codes and labels as plain strings, never categories
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, row_group_size=table.row_group_size)


def write_all(values: pd.DataFrame, areas: pd.DataFrame, folder: Path, inputs: dict[str, str]) -> dict:
    """Build and write every table of :data:`TABLES` into ``folder``; return their ``meta.json`` entry.

    ``inputs`` maps the input files (``values.parquet``, ``areas.parquet``) to their sha256.
    """
    version = code_version()
    out = {}
    for table in TABLES:
        frame = table.build(values, areas)
        path = folder / table.filename
        _write(frame, table, path)
        sources = sorted({s for ids in frame.get("source_ids", pd.Series(dtype=str)) for s in str(ids).split("; ") if s})
        out[table.filename] = {"rows": len(frame), "sha256": sha256_file(path), "code_version": version,
                               "inputs": dict(inputs), "sorted_by": list(table.sort_by),
                               "source_ids": sources}
    return out
