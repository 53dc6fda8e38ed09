"""The group's share P of the population of a unit (kommun, län, riket), from area counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometer.measures._checks import finish, two_group_counts

__all__ = ["share"]


def share(
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
    """The group's share P = X/T of the unit, summed over its areas.

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
        P per key (0..1, not percent), named ``"P"``.

    Raises
    ------
    barometer.exceptions.MeasureInputError
        Missing or non-numeric column, negative counts, group larger than total.

    Notes
    -----
    ::

        P = X / T = Σ_i x_i / Σ_i t_i

    Range 0..1. P is the yardstick of the other indices: D and H compare each area's p_i with
    P, and isolation xPx equals P when the group is spread evenly. Areas with NaN counts are
    excluded with a note, so P is then the share among the areas with known counts; a unit
    with no population gives NaN; an empty group gives 0.

    References
    ----------
    Massey, D. S., & Denton, N. A. (1988). The dimensions of residential segregation.
    *Social Forces*, 67(2), 281–315 (notation P, p. 284).

    Examples
    --------
    Toy kommun, RegSO of 100 persons with 10, 20, 70 of the group: P = 100/300.

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"kommun_code": ["0001"] * 3,
    ...                     "area_code": ["0001R001", "0001R002", "0001R003"],
    ...                     "a": [10, 20, 70], "t": [100, 100, 100]})
    >>> share(toy, group="a", total="t", by="kommun_code").round(4)
    kommun_code
    0001    0.3333
    Name: P, dtype: float64
    """
    c = two_group_counts(df, group=group, total=total, other=other, by=by, area=area,
                         small_label=small_label)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(c.T > 0, c.X / np.where(c.T > 0, c.T, 1.0), np.nan)
    note = c.undefined_notes("P", empty_group=False)
    return finish(c.groups, value, "P", c.n_areas, c.n_nan, note, notes)
