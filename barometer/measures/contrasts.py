"""Within-unit contrasts for stories: highest and lowest area (ties kept), spread and ratio."""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometer.measures._checks import (
    MIN_AREAS,
    area_labels,
    check_unique_areas,
    count_note,
    join_notes,
    note_where,
    numeric_column,
)
from barometer.measures._groups import as_keys, make_groups

__all__ = ["extremes", "spread", "TIE_DECIMALS"]

#: Values equal after rounding to this many decimals are ties (absorbs float noise only:
#: 711/858 and 948/1144 are the same turnout and must tie).
TIE_DECIMALS = 9


def _prepare(df, value, by, tie_decimals, area="area_code"):
    g = make_groups(df, by)
    labels = area_labels(df, area).with_units(g)
    check_unique_areas(df, g, area, labels)
    v = numeric_column(df, value, labels)
    valid = ~np.isnan(v)
    r = np.round(v, tie_decimals)
    hi = g.max(r, valid)
    lo = g.min(r, valid)
    return g, v, valid, r, hi, lo


def extremes(
    df: pd.DataFrame,
    *,
    value: str,
    by=("kommun_code", "year"),
    area: str = "area_code",
    name: str | None = "name",
    tie_decimals: int = TIE_DECIMALS,
) -> pd.DataFrame:
    """The highest and the lowest area of each unit for one indicator, all ties returned.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per area (and year) with the indicator column and the keys in ``by``.
    value : str
        Column to rank (e.g. turnout in %, mean income, andel utrikes födda).
    by : str, sequence of str or None
        Key columns (default ``("kommun_code", "year")``).
        ``None`` or ``()``: the whole frame is one unit (an analyst's own counts); the
        result then has one row labelled ``"alla"`` (index name ``"enhet"``); ``.item()``
        gives the number of a Series.
    area : str
        Area code column, copied to the output.
    name : str, optional
        Area name column, copied to the output if present.
    tie_decimals : int
        Values equal after rounding to this many decimals are ties (default 9).

    Returns
    -------
    pandas.DataFrame
        One row per extreme area: the key columns, ``end`` (``"hogst"`` or ``"lagst"``), the
        area code and name, ``value``, ``n_areas`` (areas ranked in the unit), ``n_tied`` (areas
        sharing this end) and ``note``. Sorted by keys, end (hogst first), area code.

    Raises
    ------
    barometer.exceptions.MeasureInputError
        Missing key or value columns, a non-numeric value column, or an area repeated
        within a unit (naming the unit and the area).

    Notes
    -----
    Tie rule: every area whose value equals the unit's maximum (minimum) after rounding to
    ``tie_decimals`` decimals is returned, ordered by area code, each with ``n_tied``. Areas
    with a NaN value are not ranked (counted in the note). A unit with a single area returns
    it as both highest and lowest, with a note. Units with fewer than 3 areas get a note.

    References
    ----------
    Delegationen mot segregation, Segregationsbarometern: "skillnader mellan områden" within a
    kommun (valdeltagande by district, income by area).

    Examples
    --------
    Toy kommun of three districts; two share the lowest turnout (711/858 = 948/1144).

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"kommun_code": ["0001"] * 3,
    ...                     "area_code": ["00010101", "00010102", "00010103"],
    ...                     "name": ["Norr", "Syd", "Väst"],
    ...                     "turnout": [100 * 711 / 858, 100 * 948 / 1144, 90.0]})
    >>> out = extremes(toy, value="turnout", by="kommun_code")
    >>> list(zip(out["end"], out["area_code"], out["name"]))
    [('hogst', '00010103', 'Väst'), ('lagst', '00010101', 'Norr'), ('lagst', '00010102', 'Syd')]
    >>> out["n_tied"].tolist()
    [1, 2, 2]
    """
    keys = list(as_keys(by))
    g, v, valid, r, hi, lo = _prepare(df, value, keys, tie_decimals, area)
    top = valid & (r == g.broadcast(hi))
    bottom = valid & (r == g.broadcast(lo))
    n_areas = g.count(valid)
    n_nan = g.count(~valid)
    cols = [*keys, area] + ([name] if name is not None and name in df.columns else [])
    parts = []
    for end, mask in (("hogst", top), ("lagst", bottom)):  # two ends, not a loop over units
        rows = df.loc[mask, cols].copy()
        rows.insert(len(keys), "end", end)
        codes = g.codes[mask]
        rows["value"] = v[mask]
        rows["n_areas"] = n_areas[codes]
        rows["n_tied"] = g.count(mask)[codes]
        rows["note"] = join_notes(
            count_note(rows["n_tied"].to_numpy() > 1, rows["n_tied"].to_numpy(), "delad plats: ",
                       " områden har samma värde"),
            note_where(n_areas[codes] == 1, "bara ett område: högst = lägst"),
            count_note((n_areas[codes] > 1) & (n_areas[codes] < MIN_AREAS), n_areas[codes], "bara ",
                       " områden"),
            count_note(n_nan[codes] > 0, n_nan[codes], after=(" område utan värde ej rangordnat", " områden utan värde ej rangordnade")),
        ).astype(str)
        parts.append(rows)
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values([*keys, "end", area], kind="stable").reset_index(drop=True)


def spread(
    df: pd.DataFrame,
    *,
    value: str,
    by=("kommun_code", "year"),
    area: str = "area_code",
    tie_decimals: int = TIE_DECIMALS,
    unit_word: str = "område",
) -> pd.DataFrame:
    """Highest, lowest, spread (max − min) and ratio (max / min) of an indicator per unit.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per area (and year) with the indicator column and the keys in ``by``.
    value : str
        Column to compare (for turnout in %, the spread is in percentage points).
    by : str, sequence of str or None
        Key columns (default ``("kommun_code", "year")``).
        ``None`` or ``()``: the whole frame is one unit (an analyst's own counts); the
        result then has one row labelled ``"alla"`` (index name ``"enhet"``); ``.item()``
        gives the number of a Series.
    area : str
        Area code column (unused in the maths; kept for a uniform signature).
    tie_decimals : int
        Rounding used for max and min (as in :func:`extremes`).
    unit_word : str
        Word for an area in notes ("valdistrikt", "RegSO" ...).

    Returns
    -------
    pandas.DataFrame
        Indexed by the keys: ``max``, ``min``, ``spread``, ``ratio``, ``n_areas``,
        ``n_excluded``, ``note``.

    Raises
    ------
    barometer.exceptions.MeasureInputError
        Missing key or value columns, a non-numeric value column, or an area repeated
        within a unit (naming the unit and the area).

    Notes
    -----
    ::

        spread = max_i v_i − min_i v_i          ratio = max_i v_i / min_i v_i

    A unit with a single area has spread 0 and ratio 1, with a note. NaN values are left out
    (noted); ratio is NaN when the minimum is 0 or negative.

    References
    ----------
    Delegationen mot segregation, Segregationsbarometern (differences between areas).

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"kommun_code": ["0001"] * 3 + ["0002"],
    ...                     "area_code": ["00010101", "00010102", "00010103", "00020101"],
    ...                     "turnout": [75.0, 82.5, 90.0, 88.0]})
    >>> s = spread(toy, value="turnout", by="kommun_code", unit_word="valdistrikt")
    >>> s["spread"].tolist()
    [15.0, 0.0]
    >>> s.loc["0002", "note"]
    'bara ett valdistrikt: spridningen är 0'
    """
    keys = list(as_keys(by))
    g, v, valid, r, hi, lo = _prepare(df, value, keys, tie_decimals, area)
    n_areas = g.count(valid)
    n_nan = g.count(~valid)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(lo > 0, hi / np.where(lo > 0, lo, 1.0), np.nan)
    note = join_notes(
        note_where(n_areas == 1, f"bara ett {unit_word}: spridningen är 0"),
        count_note((n_areas > 1) & (n_areas < MIN_AREAS), n_areas, "bara ", f" {unit_word}"),
        note_where(n_areas == 0, f"inget {unit_word} med värde"),
        count_note(n_nan > 0, n_nan, after=f" {unit_word} utan värde uteslutna"),
    )
    return pd.DataFrame(
        {"max": hi, "min": lo, "spread": hi - lo, "ratio": ratio, "n_areas": n_areas,
         "n_excluded": n_nan, "note": note.astype(str)},
        index=g.keys,
    )
