"""Vectorised group-by over hierarchy keys: one integer code per row, sums by ``np.bincount``.

Every measure groups the same way: the rows (areas) are coded once by the key columns (e.g.
``kommun_code`` and ``year``), and every sum over areas is one ``np.bincount`` call. There is
no Python loop over kommuner anywhere in ``barometer.measures``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from barometer.exceptions import MeasureInputError


#: The one unit's label when ``by`` is None or empty: the whole frame is one unit.
WHOLE_FRAME = pd.Index(["alla"], name="enhet")


def as_keys(by) -> tuple[str, ...]:
    """Normalise ``by`` (a column name, a sequence of names, or None/() for "the whole frame") to a tuple."""
    if by is None:
        return ()
    if isinstance(by, str):
        return (by,)
    try:
        return tuple(by)
    except TypeError:
        raise MeasureInputError(f"`by` ska vara ett kolumnnamn, en lista med kolumnnamn eller None, fick {by!r}") from None


@dataclass(frozen=True)
class Groups:
    """Rows coded by their key: ``codes[i]`` is the group of row ``i``; ``keys`` the group labels."""

    codes: np.ndarray
    keys: pd.Index
    n: int

    def sum(self, values) -> np.ndarray:
        """Sum of ``values`` per group (NaN in a row makes its group NaN)."""
        return np.bincount(self.codes, weights=np.asarray(values, dtype=float), minlength=self.n)

    def count(self, mask) -> np.ndarray:
        """Number of rows per group where ``mask`` is true."""
        return np.bincount(self.codes, weights=np.asarray(mask, dtype=float), minlength=self.n).astype(np.int64)

    def max(self, values, where) -> np.ndarray:
        """Largest value per group over rows where ``where`` is true (NaN for a group with none)."""
        out = np.full(self.n, -np.inf)
        np.maximum.at(out, self.codes[where], np.asarray(values, dtype=float)[where])
        out[np.isneginf(out)] = np.nan
        return out

    def min(self, values, where) -> np.ndarray:
        """Smallest value per group over rows where ``where`` is true (NaN for a group with none)."""
        out = np.full(self.n, np.inf)
        np.minimum.at(out, self.codes[where], np.asarray(values, dtype=float)[where])
        out[np.isposinf(out)] = np.nan
        return out

    def broadcast(self, per_group) -> np.ndarray:
        """The per-group array spread back to the rows."""
        return np.asarray(per_group)[self.codes]


def make_groups(df: pd.DataFrame, by) -> Groups:
    """Code the rows of ``df`` by the key columns ``by`` (sorted keys, no loop over groups).

    ``by=None`` or ``()``: all rows form one unit, labelled :data:`WHOLE_FRAME` (``enhet="alla"``).
    """
    keys = as_keys(by)
    if not keys:
        return Groups(codes=np.zeros(len(df), dtype=np.intp), keys=WHOLE_FRAME, n=1)
    missing = [k for k in keys if k not in df.columns]
    if missing:
        raise MeasureInputError(
            f"nyckelkolumnerna {missing} saknas; kolumner som finns: {list(df.columns)}. "
            "Ange enheternas nyckelkolumner med `by=` (t.ex. by='kommun') eller by=None om hela "
            "tabellen är en enhet"
        )
    combined = np.zeros(len(df), dtype=np.int64)
    uniques_per_key = []
    for key in keys:
        codes, uniques = pd.factorize(df[key], sort=True)
        if (codes < 0).any():
            raise MeasureInputError(f"nyckelkolumnen {key!r} har saknade värden")
        combined = combined * max(len(uniques), 1) + codes
        uniques_per_key.append(uniques)
    uniq, inverse = np.unique(combined, return_inverse=True)
    # Decode the combined codes back to one code array per key (last key varies fastest) and
    # build the index from (levels, codes) directly: no second factorisation.
    level_codes = []
    rest = uniq.copy()
    for uniques in reversed(uniques_per_key):
        size = max(len(uniques), 1)
        level_codes.append(rest % size)
        rest //= size
    level_codes.reverse()
    if len(keys) == 1:
        index = pd.Index(np.asarray(uniques_per_key[0])[level_codes[0]], name=keys[0])
    else:
        index = pd.MultiIndex(levels=[pd.Index(u) for u in uniques_per_key], codes=level_codes,
                              names=list(keys), verify_integrity=False)
    return Groups(codes=inverse.reshape(-1).astype(np.intp), keys=index, n=len(uniq))
