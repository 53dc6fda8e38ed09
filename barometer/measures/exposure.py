"""Isolation xPx and exposure xPy (Bell's P* indices) for all areas × years in one call."""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometer.measures._checks import finish, join_notes, note_where, two_group_counts

__all__ = ["isolation", "exposure"]


def _weighted_mean_share(c, numerator: np.ndarray) -> np.ndarray:
    """Σ_i (x_i/X) · (numerator_i/t_i) per unit; areas with t_i = 0 contribute 0."""
    g = c.groups
    with np.errstate(divide="ignore", invalid="ignore"):
        local = np.where(c.t > 0, numerator / np.where(c.t > 0, c.t, 1.0), 0.0)
        value = g.sum(c.x * local) / c.X
    return np.where(c.X == 0, np.nan, value)


def isolation(
    df: pd.DataFrame,
    *,
    group: str,
    total: str | None = None,
    other: str | None = None,
    by=("kommun_code", "year"),
    area: str | None = "area_code",
    notes: bool = False,
    small_label: str = "personer",
):
    """Isolation index xPx of ``group``: the group's share in the area of its average member.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per area (and year) with count columns and the key columns in ``by``.
    group : str
        Column with the group's count x_i.
    total, other : str, optional
        The area total t_i, or the other group (then t_i = x_i + other_i).
    by : str, sequence of str or None
        Key columns (default ``("kommun_code", "year")``).
        ``None`` or ``()``: the whole frame is one unit (an analyst's own counts); the
        result then has one row labelled ``"alla"`` (index name ``"enhet"``); ``.item()``
        gives the number of a Series.
    area : str, optional
        Column naming the area in error messages.
    notes : bool
        If true return a DataFrame with ``value, n_areas, n_excluded, note``.
    small_label : str
        Word for the unit counted, used in the small-area note.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        xPx per key, named ``"xPx"``.

    Raises
    ------
    barometer.exceptions.MeasureInputError
        Missing or non-numeric column, negative counts, group larger than total.

    Notes
    -----
    ::

        xPx = Σ_i (x_i / X) · (x_i / t_i)

    Range P..1 in practice (0..1 in general), where P = X/T is the group's share of the unit:
    the probability that a randomly drawn member of the group meets another member in their
    area. Compare it with P: xPx = P means no isolation beyond the group's size. Not symmetric.

    Degenerate cases: NaN areas are excluded with a note (never read as 0); areas with t_i = 0
    contribute 0; one populated area gives xPx = P; a unit made only of the group gives 1;
    an empty group (X = 0) or a unit with no population gives NaN.

    References
    ----------
    Bell, W. (1954). A probability model for the measurement of ecological segregation.
    *Social Forces*, 32(4), 357–364.

    Lieberson, S. (1981). An asymmetrical approach to segregation. In C. Peach, V. Robinson &
    S. Smith (Eds.), *Ethnic segregation in cities* (pp. 61–82). London: Croom Helm.

    Massey, D. S., & Denton, N. A. (1988). The dimensions of residential segregation.
    *Social Forces*, 67(2), 281–315 (exposure, p. 287).

    PySAL equivalent: ``segregation.singlegroup.Isolation``.

    Examples
    --------
    Toy kommun, RegSO of 100 persons with 10, 20, 70 of the group (X = 100):
    0.1·0.1 + 0.2·0.2 + 0.7·0.7 = 0.54 (against P = 1/3).

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"kommun_code": ["0001"] * 3,
    ...                     "area_code": ["0001R001", "0001R002", "0001R003"],
    ...                     "a": [10, 20, 70], "t": [100, 100, 100]})
    >>> isolation(toy, group="a", total="t", by="kommun_code").round(4)
    kommun_code
    0001    0.54
    Name: xPx, dtype: float64
    """
    c = two_group_counts(df, group=group, total=total, other=other, by=by, area=area,
                         small_label=small_label)
    value = _weighted_mean_share(c, c.x)
    note = join_notes(c.undefined_notes("xPx"),
                      note_where((c.n_areas == 1) & (c.X > 0), "bara ett område: xPx = gruppens andel P"))
    return finish(c.groups, value, "xPx", c.n_areas, c.n_nan, note, notes)


def exposure(
    df: pd.DataFrame,
    *,
    group: str,
    total: str | None = None,
    other: str | None = None,
    by=("kommun_code", "year"),
    area: str | None = "area_code",
    notes: bool = False,
    small_label: str = "personer",
):
    """Exposure index xPy of ``group`` to ``other``: the other group's share where x lives.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per area (and year) with count columns and the key columns in ``by``.
    group : str
        Column with group x's count x_i.
    total : str, optional
        The area total t_i. Without ``other``, y_i = t_i − x_i (everyone not in x).
    other : str, optional
        Column with group y's count y_i. Without ``total``, t_i = x_i + y_i. With both, a third
        group may be part of t_i.
    by : str, sequence of str or None
        Key columns (default ``("kommun_code", "year")``).
        ``None`` or ``()``: the whole frame is one unit (an analyst's own counts); the
        result then has one row labelled ``"alla"`` (index name ``"enhet"``); ``.item()``
        gives the number of a Series.
    area : str, optional
        Column naming the area in error messages.
    notes : bool
        If true return a DataFrame with ``value, n_areas, n_excluded, note``.
    small_label : str
        Word for the unit counted, used in the small-area note.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        xPy per key, named ``"xPy"``.

    Raises
    ------
    barometer.exceptions.MeasureInputError
        Missing or non-numeric column, negative counts, groups larger than the total.

    Notes
    -----
    ::

        xPy = Σ_i (x_i / X) · (y_i / t_i)

    Range 0..1: the probability that a randomly drawn member of x meets a member of y in
    their area. With two groups (y = t − x), xPx + xPy = 1. Not symmetric (xPy ≠ yPx unless
    the groups are equally large).

    Degenerate cases: NaN areas are excluded with a note; areas with t_i = 0 contribute 0;
    one populated area gives xPy = y/t of that area; a unit without y gives 0; an empty group
    x (X = 0) or a unit with no population gives NaN.

    References
    ----------
    Bell, W. (1954). A probability model for the measurement of ecological segregation.
    *Social Forces*, 32(4), 357–364.

    Lieberson, S. (1981). An asymmetrical approach to segregation. In C. Peach, V. Robinson &
    S. Smith (Eds.), *Ethnic segregation in cities* (pp. 61–82). London: Croom Helm.

    Massey, D. S., & Denton, N. A. (1988). The dimensions of residential segregation.
    *Social Forces*, 67(2), 281–315 (exposure, p. 287).

    PySAL equivalent: ``segregation.singlegroup.Interaction`` (y = t − x).

    Examples
    --------
    Toy kommun, RegSO of 100 persons with 10, 20, 70 of x and 90, 80, 30 of y:
    0.1·0.9 + 0.2·0.8 + 0.7·0.3 = 0.46 (= 1 − xPx).

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"kommun_code": ["0001"] * 3,
    ...                     "area_code": ["0001R001", "0001R002", "0001R003"],
    ...                     "a": [10, 20, 70], "b": [90, 80, 30]})
    >>> exposure(toy, group="a", other="b", by="kommun_code").round(4)
    kommun_code
    0001    0.46
    Name: xPy, dtype: float64
    """
    c = two_group_counts(df, group=group, total=total, other=other, by=by, area=area,
                         small_label=small_label)
    value = _weighted_mean_share(c, c.y)
    note = join_notes(c.undefined_notes("xPy"),
                      note_where((c.T > 0) & (c.X > 0) & (c.Y == 0), "den andra gruppen saknas: xPy = 0"))
    return finish(c.groups, value, "xPy", c.n_areas, c.n_nan, note, notes)
