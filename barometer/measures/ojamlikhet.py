"""Ojämlikhetsindex (official definition on income-quintile counts) and a labelled stand-in.

:func:`ojamlikhetsindex` implements the official definition on counts of persons in the lowest
(L) and highest (H) income quintile per area. No open data gives those counts per area, so on
real data barometer computes :func:`inkomstspridning` instead: the spread of mean wage income
across RegSO. **The stand-in is not the official ojämlikhetsindex** and every output says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometer.measures._checks import (
    area_labels,
    check_unique_areas,
    check_counts,
    coverage_notes,
    join_notes,
    note_where,
    numeric_column,
)
from barometer.measures._groups import make_groups
from barometer.measures.dissimilarity import dissimilarity

__all__ = ["ojamlikhetsindex", "inkomstspridning", "STAND_IN_NOTE"]

#: Said by every output of the stand-in.
STAND_IN_NOTE = (
    "ersättningsmått (spridning i medellöneinkomst mellan RegSO), inte det officiella "
    "ojämlikhetsindexet"
)


def ojamlikhetsindex(
    df: pd.DataFrame,
    *,
    low: str,
    high: str,
    by=("kommun_code", "year"),
    area: str | None = "area_code",
    notes: bool = False,
):
    """Ojämlikhetsindex: dissimilarity between low- and high-income persons, 0..100.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per area (DeSO or RegSO) and year, with the key columns in ``by``.
    low : str
        Column with L_i, persons in the lowest income quintile living in area i.
    high : str
        Column with H_i, persons in the highest income quintile living in area i.
    by : str, sequence of str or None
        The unit whose areas are compared: ``("kommun_code", "year")`` or ``("lan_code", "year")``.
        ``None`` or ``()``: the whole frame is one unit (an analyst's own counts); the
        result then has one row labelled ``"alla"`` (index name ``"enhet"``); ``.item()``
        gives the number of a Series.
    area : str, optional
        Column naming the area in error messages.
    notes : bool
        If true return a DataFrame with ``value, n_areas, n_excluded, note``.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        The index per key on 0..100, named ``"ojamlikhetsindex"``.

    Raises
    ------
    barometer.exceptions.MeasureInputError
        Missing columns or negative counts.

    Notes
    -----
    ::

        OJI = 100 · ½ · Σ_i | L_i/L − H_i/H |

    with L, H the sums over the areas of the kommun (or län). This is Duncan's D between the
    two groups (persons in the middle quintiles are left out) on a 0..100 scale: the percent of
    the low-income earners who would have to move for them to be spread like the high-income
    earners. 0 = even spread, 100 = complete separation. Riket was 27 in 1990 and 41 in 2018
    (Delmos). Degenerate cases as for :func:`~barometer.measures.dissimilarity.dissimilarity`:
    NaN areas excluded with a note, one area gives 0, an empty group gives NaN.

    Working definition: groups Q1 and Q5 of individual disponibel inkomst per
    konsumtionsenhet, quintiles cut on the riket distribution; the exact text of Delmos'
    "Bilaga 5 Teknisk beskrivning av ojämlikhetsindex" was not found (see
    docs methodology §3).

    References
    ----------
    Delegationen mot segregation (Delmos), Segregationsbarometern, Användarhandbok, Bilaga 5.

    Duncan, O. D., & Duncan, B. (1955). A methodological analysis of segregation indexes.
    *American Sociological Review*, 20(2), 210–217.

    Examples
    --------
    Toy kommun: L = (50, 30, 20), H = (10, 30, 60):
    100 · ½ · (|0.5 − 0.1| + |0.3 − 0.3| + |0.2 − 0.6|) = 100 · ½ · 0.8 = 40.

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"kommun_code": ["0001"] * 3,
    ...                     "area_code": ["0001R001", "0001R002", "0001R003"],
    ...                     "q1": [50, 30, 20], "q5": [10, 30, 60]})
    >>> ojamlikhetsindex(toy, low="q1", high="q5", by="kommun_code").round(2)
    kommun_code
    0001    40.0
    Name: ojamlikhetsindex, dtype: float64
    """
    result = dissimilarity(df, group=low, other=high, by=by, area=area, scale=100.0, notes=notes)
    if notes:
        result.attrs["measure"] = "ojamlikhetsindex"
        return result
    return result.rename("ojamlikhetsindex")


def inkomstspridning(
    df: pd.DataFrame,
    *,
    mean: str,
    weight: str,
    by=("kommun_code", "year"),
    area: str | None = "area_code",
) -> pd.DataFrame:
    """Stand-in for the ojämlikhetsindex: spread of mean wage income across areas (NOT official).

    Parameters
    ----------
    df : pandas.DataFrame
        One row per area (RegSO) and year: a mean income column, a weight column and the keys.
    mean : str
        Column with the area's mean income m_i (e.g. medellöneinkomst, tkr, fixed prices).
    weight : str
        Column with the area's population w_i (the weight of its mean).
    by : str, sequence of str or None
        Key columns (default ``("kommun_code", "year")``).
        ``None`` or ``()``: the whole frame is one unit (an analyst's own counts); the
        result then has one row labelled ``"alla"`` (index name ``"enhet"``); ``.item()``
        gives the number of a Series.
    area : str, optional
        Column naming the area in error messages.

    Returns
    -------
    pandas.DataFrame
        Indexed by the keys, columns ``inkomstspridning_cv_ej_oji``,
        ``inkomstkvot_max_min_ej_oji``, ``n_areas``, ``n_excluded``, ``note``. Every note
        starts with :data:`STAND_IN_NOTE`.

    Raises
    ------
    barometer.exceptions.MeasureInputError
        Missing columns, negative means or weights.

    Notes
    -----
    With m̄ = Σ_i w_i·m_i / Σ_i w_i the unit's population-weighted mean::

        cv    = sqrt( Σ_i w_i·(m_i − m̄)² / Σ_i w_i ) / m̄      (population-weighted CV)
        kvot  = max_i m_i / min_i m_i                          (highest / lowest area mean)

    cv is 0 when every area has the same mean income and grows with the gaps between areas;
    kvot is ≥ 1 (1 = no gap). Neither measures how low- and high-income *persons* are spread,
    which is what the official ojämlikhetsindex does; they only show gaps between area means,
    and the weights (total population) are not exactly the persons behind the means.

    Degenerate cases: areas with NaN mean or weight are excluded with a note; one area gives
    cv = 0 and kvot = 1; a zero minimum mean gives kvot NaN; a zero total weight gives cv NaN.

    References
    ----------
    Allison, P. D. (1978). Measures of inequality. *American Sociological Review*, 43(6),
    865–880 (coefficient of variation).

    Examples
    --------
    Toy kommun: means 200, 300, 500 tkr with 100 persons each: m̄ = 333.33,
    cv = sqrt(((−133.33)² + (−33.33)² + 166.67²) / 3) / 333.33 = 124.72 / 333.33 = 0.3742,
    kvot = 500 / 200 = 2.5.

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"kommun_code": ["0001"] * 3,
    ...                     "area_code": ["0001R001", "0001R002", "0001R003"],
    ...                     "m": [200.0, 300.0, 500.0], "w": [100, 100, 100]})
    >>> out = inkomstspridning(toy, mean="m", weight="w", by="kommun_code")
    >>> out.loc["0001", ["inkomstspridning_cv_ej_oji", "inkomstkvot_max_min_ej_oji"]].round(4).tolist()
    [0.3742, 2.5]
    >>> out["note"].iloc[0].startswith("ersättningsmått")
    True
    """
    g = make_groups(df, by)
    labels = area_labels(df, area).with_units(g)
    check_unique_areas(df, g, area, labels)
    m = numeric_column(df, mean, labels)
    w = numeric_column(df, weight, labels)
    check_counts(m, mean, labels)
    check_counts(w, weight, labels)
    valid = ~np.isnan(m) & ~np.isnan(w)
    used = valid & (w > 0)
    m0 = np.where(used, m, 0.0)
    w0 = np.where(used, w, 0.0)
    W = g.sum(w0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mbar = g.sum(w0 * m0) / W
        var = g.sum(w0 * (m0 - g.broadcast(mbar)) ** 2) / W
        cv = np.sqrt(var) / mbar
        hi = g.max(m, used)
        lo = g.min(m, used)
        kvot = np.where(lo > 0, hi / np.where(lo > 0, lo, 1.0), np.nan)
    cv = np.where(W > 0, cv, np.nan)
    n_areas = g.count(used)
    n_nan = g.count(~valid)
    n_small = g.count(used & (w < 100))
    note = join_notes(
        np.full(g.n, STAND_IN_NOTE, dtype=object),
        coverage_notes(n_areas, n_nan, n_small),
        note_where((n_areas > 0) & (lo == 0), "lägsta medelinkomst är 0: kvoten odefinierad"),
    )
    return pd.DataFrame(
        {
            "inkomstspridning_cv_ej_oji": cv,
            "inkomstkvot_max_min_ej_oji": kvot,
            "n_areas": n_areas,
            "n_excluded": n_nan,
            "note": note.astype(str),
        },
        index=g.keys,
    )
