"""Shared input checks for the measures: one row per area and unit, numeric non-negative counts, group ≤ total.

Each index module calls :func:`two_group_counts` (or :func:`count_matrix`) once and does only its
own maths. Every precondition a measure's docstring states is checked here, vectorised:

* one row per area and unit (the keys of ``by``, e.g. kommun × year): :func:`check_unique_areas`;
* counts of a numeric type (not text, not booleans): :func:`numeric_column`;
* counts non-negative and finite: :func:`check_counts`;
* group ≤ total (two-group measures).

A violation raises :class:`~barometer.exceptions.MeasureInputError` naming the unit(s) and the
area(s). Notes (Swedish, one string per result row) say why a value is NaN or rests on thin data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from barometer.exceptions import MeasureInputError
from barometer.measures._groups import Groups, make_groups

#: A figure resting on fewer areas than this gets a note.
MIN_AREAS = 3
#: An area whose total is below this (persons, dwellings, voters) is "small" and noted.
SMALL_AREA = 100


class _Labels:
    """Area labels for error messages, converted to text only when an error is raised.

    Once :meth:`with_units` has been given the row grouping, an error also names the unit
    (e.g. ``kommun_code=0001, year=2023``) of each bad area.
    """

    def __init__(self, df: pd.DataFrame, area: str | None, groups: Groups | None = None):
        self._df, self._area, self._groups = df, area, groups

    def with_units(self, groups: Groups) -> "_Labels":
        return _Labels(self._df, self._area, groups)

    def __getitem__(self, mask) -> np.ndarray:
        df, area = self._df, self._area
        source = df[area] if area is not None and area in df.columns else df.index.to_series()
        return source.astype(str).to_numpy()[mask]

    def units(self, mask) -> list[str]:
        """The units (``by`` keys) of the rows in ``mask``, as text, in row order, no repeats."""
        if self._groups is None:
            return []
        keys = self._groups.keys
        codes = self._groups.codes[np.asarray(mask)]
        out: list[str] = []
        for c in dict.fromkeys(codes.tolist()):  # only the (few) bad rows
            out.append(unit_text(keys, c))
        return out


def unit_text(keys: pd.Index, i: int) -> str:
    """``'kommun_code=0001, year=2023'`` for group ``i`` of ``keys``."""
    value = keys[i]
    names = list(keys.names)
    values = value if isinstance(value, tuple) else (value,)
    return ", ".join(f"{n}={v}" for n, v in zip(names, values))


def raise_bad(problem: str, labels: _Labels, bad) -> None:
    """Raise :class:`MeasureInputError` for the rows in ``bad``, naming areas and units."""
    bad = np.asarray(bad, dtype=bool)
    raise MeasureInputError(problem, areas=list(labels[bad]), units=labels.units(bad))


def check_unique_areas(df: pd.DataFrame, groups: Groups, area: str | None, labels: _Labels) -> None:
    """Raise if an area occurs more than once within one unit (one row per area and unit).

    A repeated area would be counted twice (areas A, B, C, C give another D than A, B, C).
    Without an ``area`` column the index identifies the areas. Vectorised: one hash of
    (unit, area) codes.
    """
    if area is not None and area in df.columns:
        ids = df[area]
    else:
        if df.index.is_unique:
            return
        ids = df.index.to_series()
    area_codes, _ = pd.factorize(ids, use_na_sentinel=False)
    key = groups.codes.astype(np.int64) * (int(area_codes.max(initial=0)) + 1) + area_codes
    dup = pd.Index(key).duplicated(keep=False)
    if dup.any():
        raise_bad("samma område förekommer flera gånger i samma enhet (en rad per område och enhet krävs; "
                  "slå ihop eller ta bort dubbletterna)", labels, dup)


def area_labels(df: pd.DataFrame, area: str | None) -> _Labels:
    """Labels used in error messages: the ``area`` column if present, else the index (lazy)."""
    return _Labels(df, area)


def numeric_column(df: pd.DataFrame, column: str, labels: _Labels | None = None) -> np.ndarray:
    """A count column as float (NaN kept), with a clear error if missing or not numeric.

    The column must hold numbers: an int/float dtype (nullable ones too), or an object column of
    Python/NumPy numbers and missing values. Text (also ``"10"``), booleans and dates are refused
    with the areas that hold them, since they are almost always a parsing mistake upstream.
    """
    if not isinstance(column, str):
        raise MeasureInputError(f"kolumnnamn måste vara text, fick {column!r}")
    if column not in df.columns:
        raise MeasureInputError(f"kolumnen {column!r} saknas; kolumner som finns: {list(df.columns)}")
    s = df[column]
    labels = labels if labels is not None else area_labels(df, None)
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype):
        raise MeasureInputError(f"kolumnen {column!r} innehåller annat än tal (sanningsvärden)")
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        return s.to_numpy(dtype=float, na_value=np.nan)
    if dtype == object:  # slow path only for object columns: find the non-numbers
        ok = s.map(_is_number_or_missing).to_numpy(dtype=bool)
        if ok.all():
            return pd.to_numeric(s).to_numpy(dtype=float, na_value=np.nan)
        bad = ~ok
        first = s[bad].iloc[0]
        raise_bad(f"kolumnen {column!r} innehåller annat än tal (t.ex. {first!r})", labels, bad)
    raise MeasureInputError(f"kolumnen {column!r} innehåller annat än tal (typ {dtype})")


def _is_number_or_missing(v) -> bool:
    if v is None or v is pd.NA:
        return True
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def check_counts(values: np.ndarray, column: str, labels: _Labels) -> None:
    """Raise if any known count is negative or infinite (naming the units and areas)."""
    bad = np.isinf(values) | (values < 0)
    if bad.any():
        raise_bad(f"negativa eller oändliga antal i kolumnen {column!r}", labels, bad)


def note_where(condition, text) -> np.ndarray:
    """``text`` where ``condition`` holds, else "" (object array; ``text`` may be an array)."""
    condition = np.asarray(condition, dtype=bool)
    out = np.full(condition.shape, "", dtype=object)
    if condition.any():
        text = np.asarray(text, dtype=object)
        out[condition] = text if text.ndim == 0 else text[condition]
    return out


def count_note(condition, counts, before: str = "", after: str | tuple[str, str] = "") -> np.ndarray:
    """``before + str(count) + after`` where ``condition`` holds, else "" (text built only there).

    ``after`` may be a (singular, plural) pair: "1 område" but "2 områden".
    """
    condition = np.asarray(condition, dtype=bool)
    out = np.full(condition.shape, "", dtype=object)
    if condition.any():
        n = np.asarray(counts)[condition]
        if isinstance(after, tuple):
            tail = np.where(n == 1, after[0], after[1]).astype(object)
        else:
            tail = after
        out[condition] = before + as_text(n) + tail
    return out


def join_notes(*parts) -> np.ndarray:
    """Join per-row note arrays with "; ", skipping empty parts (loops over parts, not rows)."""
    out = None
    for part in parts:
        part = np.asarray(part, dtype=object)
        if out is None:
            out = part.copy()
            continue
        if not np.count_nonzero(part):  # nothing to add ("" is falsy)
            continue
        both = (out != "") & (part != "")
        out = np.where(both, out + "; " + part, out + part).astype(object)
    return out if out is not None else np.array([], dtype=object)


def as_text(n) -> np.ndarray:
    """Integers as an object array of strings (for building notes without a loop)."""
    return np.asarray(n).astype(np.int64).astype(str).astype(object)


@dataclass
class TwoGroupCounts:
    """Validated counts of a focal group x, the other group y and the total t, with group sums.

    Rows with NaN in any used column are excluded (their counts set to 0) and counted in
    ``n_nan``; ``valid`` marks the rows used. ``n_areas`` counts used rows with t > 0.
    """

    groups: Groups
    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    valid: np.ndarray
    X: np.ndarray
    Y: np.ndarray
    T: np.ndarray
    n_areas: np.ndarray
    n_nan: np.ndarray
    n_zero: np.ndarray
    n_small: np.ndarray
    small_label: str

    def base_notes(self) -> np.ndarray:
        """Notes every measure shares: excluded NaN areas, few areas, small or empty areas."""
        return coverage_notes(self.n_areas, self.n_nan, self.n_small, self.n_zero, self.small_label)

    def undefined_notes(self, symbol: str, *, empty_group: bool = True, full_group: bool = False) -> np.ndarray:
        """The base notes plus why ``symbol`` is undefined: no population, empty group, everyone in it."""
        parts = [self.base_notes(), note_where(self.T == 0, f"ingen befolkning i enheten: {symbol} odefinierat")]
        if empty_group:
            parts.append(note_where((self.T > 0) & (self.X == 0), f"gruppen är tom (0): {symbol} odefinierat"))
        if full_group:
            parts.append(note_where((self.T > 0) & (self.X > 0) & (self.Y == 0),
                                    f"alla tillhör gruppen: {symbol} odefinierat"))
        return join_notes(*parts)


def coverage_notes(n_areas, n_nan, n_small, n_zero=None, small_label="personer") -> np.ndarray:
    """Notes on what a figure rests on (shared by every measure)."""
    n_areas = np.asarray(n_areas)
    parts = [
        count_note(n_nan > 0, n_nan, after=(" område uteslutet: saknade antal (NaN), inte räknade som 0",
                                            " områden uteslutna: saknade antal (NaN), inte räknade som 0")),
        note_where(n_areas == 0, "inga områden med kända antal"),
        count_note((n_areas > 0) & (n_areas < MIN_AREAS), n_areas, "vilar på bara ",
                   (f" område (färre än {MIN_AREAS}): tolka försiktigt",
                    f" områden (färre än {MIN_AREAS}): tolka försiktigt")),
        count_note(n_small > 0, n_small, after=(f" område med färre än {SMALL_AREA} {small_label}",
                                                f" områden med färre än {SMALL_AREA} {small_label}")),
    ]
    if n_zero is not None:
        parts.append(count_note(n_zero > 0, n_zero, after=(" område med total 0 bidrar inte",
                                                           " områden med total 0 bidrar inte")))
    return join_notes(*parts)


def two_group_counts(
    df: pd.DataFrame,
    *,
    group: str,
    total: str | None = None,
    other: str | None = None,
    by=("kommun_code", "year"),
    area: str | None = "area_code",
    small_label: str = "personer",
) -> TwoGroupCounts:
    """Validate and sum the counts behind every two-group measure.

    Give ``total`` (then the other group is ``total − group``), or ``other`` (then the total is
    ``group + other``), or both (a third group may then be part of the total: exposure to
    ``other`` among everyone in the area).
    """
    if total is None and other is None:
        raise MeasureInputError("ange `total` eller `other` (den andra gruppen)")
    groups = make_groups(df, by)
    labels = area_labels(df, area).with_units(groups)
    check_unique_areas(df, groups, area, labels)
    x = numeric_column(df, group, labels)
    check_counts(x, group, labels)
    cols = [x]
    if total is not None:
        t = numeric_column(df, total, labels)
        check_counts(t, total, labels)
        cols.append(t)
    if other is not None:
        y = numeric_column(df, other, labels)
        check_counts(y, other, labels)
        cols.append(y)
    valid = np.ones(len(df), dtype=bool)
    for c in cols:
        valid &= ~np.isnan(c)
    x = np.where(valid, x, 0.0)
    if total is not None:
        t = np.where(valid, t, 0.0)
    if other is not None:
        y = np.where(valid, y, 0.0)
    if total is None:
        t = x + y
    elif other is None:
        y = t - x
    if total is not None and other is not None:
        over, what = x + y > t, f"{group!r} + {other!r} > {total!r}"
    elif total is not None:
        over, what = x > t, f"{group!r} > {total!r}"
    else:
        over, what = np.zeros(len(x), dtype=bool), ""
    if np.any(over):
        raise_bad(f"gruppen är större än totalen ({what})", labels, over)
    populated = valid & (t > 0)
    return TwoGroupCounts(
        groups=groups,
        x=x,
        y=y,
        t=t,
        valid=valid,
        X=groups.sum(x),
        Y=groups.sum(y),
        T=groups.sum(t),
        n_areas=groups.count(populated),
        n_nan=groups.count(~valid),
        n_zero=groups.count(valid & (t == 0)),
        n_small=groups.count(populated & (t < SMALL_AREA)),
        small_label=small_label,
    )


def finish(groups: Groups, value, name: str, n_areas, n_excluded, note, with_notes: bool):
    """Package a per-group result: a Series (notes in ``attrs["notes"]``) or a DataFrame.

    With ``with_notes=True`` the frame has columns ``value, n_areas, n_excluded, note``.
    """
    note = np.asarray(note, dtype=object)
    if with_notes:
        frame = pd.DataFrame(
            {
                "value": np.asarray(value, dtype=float),
                "n_areas": np.asarray(n_areas, dtype=np.int64),
                "n_excluded": np.asarray(n_excluded, dtype=np.int64),
                "note": note.astype(str),
            },
            index=groups.keys,
        )
        frame.attrs["measure"] = name
        return frame
    series = pd.Series(np.asarray(value, dtype=float), index=groups.keys, name=name)
    has_note = note != ""
    # A plain dict (key -> note): attrs must stay comparable when pandas concatenates frames.
    series.attrs["notes"] = dict(zip(groups.keys[has_note], note[has_note].astype(str)))
    return series


@dataclass
class GroupMatrix:
    """Validated counts of K groups (n areas × K), NaN rows excluded, with group sums."""

    groups: Groups
    counts: np.ndarray
    t: np.ndarray
    valid: np.ndarray
    sums: np.ndarray  # n_groups × K
    T: np.ndarray
    n_areas: np.ndarray
    n_nan: np.ndarray
    n_zero: np.ndarray
    n_small: np.ndarray
    small_label: str

    def base_notes(self) -> np.ndarray:
        return coverage_notes(self.n_areas, self.n_nan, self.n_small, self.n_zero, self.small_label)


def count_matrix(
    df: pd.DataFrame,
    *,
    groups,
    by=("kommun_code", "year"),
    area: str | None = "area_code",
    small_label: str = "personer",
) -> GroupMatrix:
    """Validate K mutually exclusive group columns; the area total is their sum."""
    columns = [groups] if isinstance(groups, str) else list(groups)
    if len(columns) < 2:
        raise MeasureInputError(f"minst två gruppkolumner behövs, fick {columns}")
    if len(set(columns)) != len(columns):
        raise MeasureInputError(f"gruppkolumnerna upprepas: {columns}")
    keyed = make_groups(df, by)
    labels = area_labels(df, area).with_units(keyed)
    check_unique_areas(df, keyed, area, labels)
    counts = np.column_stack([numeric_column(df, col, labels) for col in columns])
    for k, col in enumerate(columns):
        check_counts(counts[:, k], col, labels)
    valid = ~np.isnan(counts).any(axis=1)
    counts = np.where(valid[:, None], counts, 0.0)
    t = counts.sum(axis=1)
    sums = np.column_stack([keyed.sum(counts[:, k]) for k in range(len(columns))])
    populated = valid & (t > 0)
    return GroupMatrix(
        groups=keyed,
        counts=counts,
        t=t,
        valid=valid,
        sums=sums,
        T=sums.sum(axis=1),
        n_areas=keyed.count(populated),
        n_nan=keyed.count(~valid),
        n_zero=keyed.count(valid & (t == 0)),
        n_small=keyed.count(populated & (t < SMALL_AREA)),
        small_label=small_label,
    )
