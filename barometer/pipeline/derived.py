"""Tables the build derives from the values it publishes (measures, by områdestyp), written into the same atomic store swap.

Views (report, explorer, fact sheet, ``barometer measures``) read these tables; none recomputes
them. To publish another table, write a function ``(values, areas) -> DataFrame`` (the frames the
build is about to publish, shaped like ``values.parquet`` and ``areas.parquet``) and add one line
to :data:`DERIVED` (and, for a sorted layout with small row groups, to :data:`LAYOUT`). The build
then writes it inside the same store swap, lists it in ``meta.json`` → ``tables`` (rows, sha256,
code version, inputs' sha256, sources) and republishes whenever the code of ``barometer/measures``,
of a listed module or of this module changes. Read it with ``barometer.store.read_published``.

A table that needs a layer a tidy step publishes (e.g. ``geometry/kommun``, SCB's kommun outlines)
names it in :data:`LAYERS`: the function then gets that layer, as being published in the same swap,
as a keyword argument, and its ``meta.json`` ``inputs`` list the layer's sha256 beside the values'.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
from pathlib import Path
from typing import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .snapshot import sha256_file

__all__ = ["DERIVED", "LAYERS", "LAYOUT", "code_files", "code_version", "build_tables", "write_tables", "checks"]

#: file name in data/store → (module, function(values, areas) -> DataFrame)
DERIVED: dict[str, tuple[str, str]] = {
    "measures.parquet": ("barometer.measures.compute", "publish_table"),
    "omradestyp.parquet": ("barometer.measures.by_omradestyp", "publish_table"),
    # Utforska's small national tables (ranks, map classes, riket/län figures; kommun outlines)
    "explorer_figures.parquet": ("barometer.pipeline.explorer_tables", "explorer_figures"),
    "explorer_kommuner.parquet": ("barometer.pipeline.explorer_tables", "explorer_kommuner"),
    # class breaks of the small-area maps (report and Utforska), so no view imports mapclassify
    "area_map_classes.parquet": ("barometer.pipeline.area_classes", "area_map_classes"),
}

#: file name → {keyword argument: step table it is given}; a step table is published as ``<name>.parquet``
LAYERS: dict[str, dict[str, str]] = {
    "explorer_kommuner.parquet": {"kommun": "geometry/kommun"},  # the one published kommun outline layer
}

#: file name → (columns the file is sorted by, rows per row group). Text columns of these tables
#: are written as plain strings (never categories), so Parquet filters on the sort keys read
#: only the row groups that can match. Tables not listed are written as their function returns them.
LAYOUT: dict[str, tuple[tuple[str, ...], int]] = {
    "measures.parquet": (("level", "kommun_kod", "year"), 4_000),
    "omradestyp.parquet": (("level", "area_code", "year"), 4_000),  # explorer sessions read one unit
}


def _function(module: str, name: str) -> Callable:
    return getattr(importlib.import_module(module), name)


def code_files() -> list[str]:
    """Source files of the derived tables (a change reruns the publish step): every module of
    ``barometer/measures``, each listed module and this one."""
    pkg = Path(__file__).resolve().parents[1] / "measures"
    files = {str(p) for p in pkg.rglob("*.py")} | {str(Path(__file__).resolve())}
    for module, _ in DERIVED.values():
        files.add(str(Path(importlib.util.find_spec(module).origin).resolve()))  # located, not run
    return sorted(files)


def code_version() -> str:
    """sha256 over :func:`code_files` (paths relative to the package, and contents)."""
    root = Path(__file__).resolve().parents[2]
    h = hashlib.sha256()
    for path in code_files():
        h.update(Path(path).relative_to(root).as_posix().encode())
        h.update(Path(path).read_bytes())
    return h.hexdigest()


def build_tables(values: pd.DataFrame, areas: pd.DataFrame, layers: dict | None = None) -> dict[str, pd.DataFrame]:
    """Every derived table, by its file name in the store.

    ``layers``: the step tables being published (``{"geometry/kommun": GeoDataFrame, …}``); a table
    listed in :data:`LAYERS` gets its layers from here (the build always passes them; without them,
    e.g. in a test, the function reads the layer the store holds).
    """
    layers = layers or {}
    return {fname: _function(module, name)(values, areas, **{kw: layers[layer] for kw, layer in LAYERS.get(fname, {}).items()
                                                             if layer in layers})
            for fname, (module, name) in DERIVED.items()}


def _source_ids(table: pd.DataFrame) -> list[str]:
    ids: set[str] = set()
    for col in table.columns:
        if col == "source_ids" or col.endswith("source_id"):
            for cell in pd.unique(table[col].astype(str)):
                ids.update(s for s in cell.split("; ") if s)
    return sorted(ids)


def write_tables(tables: dict[str, pd.DataFrame], folder: Path, inputs: dict[str, str],
                 layer_inputs: dict[str, str] | None = None) -> dict:
    """Write every table into ``folder``; return their ``meta.json`` entries.

    ``inputs`` maps the input files (``values.parquet``, ``areas.parquet``) to their sha256;
    ``layer_inputs`` the published step tables (``geometry/kommun.parquet``) to theirs, listed for the
    tables of :data:`LAYERS` that read them.
    """
    layer_inputs = layer_inputs or {}
    version = code_version()
    out = {}
    for fname, table in tables.items():
        path = folder / fname
        layout = LAYOUT.get(fname)
        if layout is None:
            table.to_parquet(path, index=False)
        else:
            sort_by, row_group = layout
            table = table.sort_values(list(sort_by), kind="stable").reset_index(drop=True)
            for col in table.columns:
                if isinstance(table[col].dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(table[col]):
                    table[col] = table[col].astype(str)  # codes and labels as plain strings
            pq.write_table(pa.Table.from_pandas(table, preserve_index=False), path, row_group_size=row_group)
        out[fname] = {"rows": len(table), "sha256": sha256_file(path), "code_version": version,
                      "inputs": {**inputs, **{f"{layer}.parquet": layer_inputs[f"{layer}.parquet"]
                                              for layer in LAYERS.get(fname, {}).values()
                                              if f"{layer}.parquet" in layer_inputs}},
                      "sorted_by": list(layout[0]) if layout else [],
                      "source_ids": _source_ids(table)}
    return out


def checks(tables: dict[str, pd.DataFrame], values: pd.DataFrame) -> list[dict]:
    """Integrity checks of the derived tables (reported in checks.json; a failure stops the build)."""
    out = []
    table = tables.get("omradestyp.parquet")
    if table is not None and len(table):
        from barometer.measures.by_omradestyp import check_totals

        out.append(check_totals(table, values))
    return out
