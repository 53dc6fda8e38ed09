"""Duncan's dissimilarity index D between two groups, for all areas × years in one call."""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometer.measures._checks import finish, join_notes, note_where, two_group_counts

__all__ = ["dissimilarity"]


def dissimilarity(
    df: pd.DataFrame,
    *,
    group: str,
    total: str | None = None,
    other: str | None = None,
    by=("kommun_code", "year"),
    area: str | None = "area_code",
    scale: float = 1.0,
    notes: bool = False,
    small_label: str = "personer",
):
    """Dissimilarity index D of ``group`` versus the rest, per key of ``by``.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per area (and year) with count columns and the key columns in ``by``.
    group : str
        Column with the focal group's count a_i.
    total : str, optional
        Column with the area total t_i. The other group is then b_i = t_i − a_i.
    other : str, optional
        Column with the other group's count b_i (two-group form: a versus b). Without ``total``
        the total is t_i = a_i + b_i. Give ``total`` or ``other`` (or both).
    by : str, sequence of str or None
        Key columns; areas sharing a key form one unit (e.g. a kommun in a year). Default
        ``("kommun_code", "year")``.
        ``None`` or ``()``: the whole frame is one unit (an analyst's own counts); the
        result then has one row labelled ``"alla"`` (index name ``"enhet"``); ``.item()``
        gives the number of a Series.
    area : str, optional
        Column naming the area in error messages (default ``"area_code"``; else the index).
    scale : float
        Multiply the result (1 gives 0..1; 100 gives the 0..100 scale of the ojämlikhetsindex).
    notes : bool
        If true return a DataFrame with ``value, n_areas, n_excluded, note`` instead of a Series.
    small_label : str
        Word for the unit counted, used in the small-area note ("personer", "lägenheter" ...).

    Returns
    -------
    pandas.Series or pandas.DataFrame
        D per key, named ``"D"``. A Series carries the non-empty notes in ``attrs["notes"]``
        (dict key → note).

    Raises
    ------
    barometer.exceptions.MeasureInputError
        A missing or non-numeric column, negative counts, or a group larger than the total
        (the message names the areas).

    Notes
    -----
    Formula, with a_i, b_i the two groups' counts in area i and A, B their sums over the areas
    of the unit::

        D = ½ · Σ_i | a_i/A − b_i/B |

    equivalently ``D = Σ_i t_i·|p_i − P| / (2·T·P·(1 − P))`` with p_i = a_i/t_i, P = A/T.

    Range 0..1 (0..100 with ``scale=100``). D is the share of either group that would have to
    move to another area for both groups to be spread alike over the areas: 0 = even spread,
    1 = complete separation. It is symmetric in the two groups.

    Degenerate cases, all defined:

    * an area with NaN in a used column is excluded (not treated as 0); ``n_excluded`` counts
      it and the note says so;
    * an area with total 0 contributes 0 (p_i is taken as 0; its weight t_i is 0);
    * a unit with one populated area has D = 0 (its only area matches the unit);
    * all of the group in one area gives D = 1 − b_j/B, with j that area (finite, ≤ 1);
    * an empty group (A = 0) or an empty other group (B = 0) gives NaN: D compares two
      distributions and one of them does not exist; the note gives the reason;
    * a unit with no population (T = 0) gives NaN.

    Units resting on fewer than 3 areas, or with areas below 100 in total, get a note.

    References
    ----------
    Duncan, O. D., & Duncan, B. (1955). A methodological analysis of segregation indexes.
    *American Sociological Review*, 20(2), 210–217.

    Massey, D. S., & Denton, N. A. (1988). The dimensions of residential segregation.
    *Social Forces*, 67(2), 281–315 (evenness, p. 284).

    PySAL equivalent: ``segregation.singlegroup.Dissim`` (one unit per call).

    Examples
    --------
    A toy kommun with three RegSO of 100 persons each; 10, 20 and 70 of them foreign-born:
    ½(|10/100 − 90/200| + |20/100 − 80/200| + |70/100 − 30/200|) = ½(0.35 + 0.20 + 0.55).

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"kommun_code": ["0001"] * 3,
    ...                     "area_code": ["0001R001", "0001R002", "0001R003"],
    ...                     "a": [10, 20, 70], "b": [90, 80, 30]})
    >>> dissimilarity(toy, group="a", other="b", by="kommun_code").round(4)
    kommun_code
    0001    0.55
    Name: D, dtype: float64
    """
    c = two_group_counts(df, group=group, total=total, other=other, by=by, area=area,
                         small_label=small_label)
    g = c.groups
    with np.errstate(divide="ignore", invalid="ignore"):
        share_a = c.x / g.broadcast(c.X)
        share_b = c.y / g.broadcast(c.Y)
        term = np.where(c.valid, np.abs(share_a - share_b), 0.0)
    value = 0.5 * g.sum(term)
    undefined = (c.X == 0) | (c.Y == 0)
    value = np.where(undefined, np.nan, value) * scale
    note = join_notes(c.undefined_notes("D", full_group=True),
                      note_where((c.n_areas == 1) & ~undefined, "bara ett område: D = 0 per definition"))
    return finish(g, value, "D", c.n_areas, c.n_nan, note, notes)
