"""Theil's information theory index H: two-group and multigroup (Reardon & Firebaugh)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometer.measures._checks import (
    count_matrix,
    finish,
    join_notes,
    note_where,
    two_group_counts,
)

__all__ = ["theil", "multigroup_theil", "entropy"]


def _plogp(p: np.ndarray) -> np.ndarray:
    """p·ln(p) with 0·ln(0) = 0."""
    p = np.asarray(p, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)


def entropy(p) -> np.ndarray:
    """Two-group entropy E(p) = −[p·ln p + (1 − p)·ln(1 − p)] (natural log, 0·ln 0 = 0).

    >>> float(entropy(0.5).round(6))
    0.693147
    """
    p = np.asarray(p, dtype=float)
    return -(_plogp(p) + _plogp(1.0 - p))


def theil(
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
    """Theil's information theory index H of ``group`` versus the rest, per key of ``by``.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per area (and year) with count columns and the key columns in ``by``.
    group : str
        Column with the focal group's count a_i.
    total, other : str, optional
        The area total t_i (then b_i = t_i − a_i) or the other group b_i (then t_i = a_i + b_i).
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
        H per key, named ``"H"`` (notes of a Series in ``attrs["notes"]``).

    Raises
    ------
    barometer.exceptions.MeasureInputError
        Missing or non-numeric column, negative counts, group larger than total.

    Notes
    -----
    With p_i = a_i/t_i, P = A/T and the entropy E(p) = −[p·ln p + (1 − p)·ln(1 − p)]
    (natural log; 0·ln 0 = 0)::

        H = Σ_i t_i · (E(P) − E(p_i)) / (T · E(P))

    Range 0..1: 0 when every area has the unit's mix (p_i = P), 1 when every area holds only
    one group. H is the share of the unit's diversity E(P) that is *not* found inside its areas.
    It is symmetric in the two groups and equals :func:`multigroup_theil` with two groups.

    Degenerate cases: NaN areas are excluded with a note (never read as 0); areas with total 0
    contribute 0; one populated area gives H = 0; an empty group (P = 0), a group equal to the
    total (P = 1) or a unit with no population give NaN, since E(P) = 0 leaves nothing to divide.

    References
    ----------
    Theil, H., & Finizza, A. J. (1971). A note on the measurement of racial integration of
    schools by means of informational concepts. *Journal of Mathematical Sociology*, 1(2),
    187–193.

    Reardon, S. F., & Firebaugh, G. (2002). Measures of multigroup segregation. *Sociological
    Methodology*, 32(1), 33–67 (natural log: footnote 3, p. 37).

    PySAL equivalent: ``segregation.singlegroup.Entropy`` (it is this H, not the entropy E).

    Examples
    --------
    Toy kommun of three RegSO of 100 persons with 10, 20 and 70 foreign-born: P = 1/3,
    E(P) = 0.636514, Σ t_i·E(p_i) = 100·(0.325083 + 0.500402 + 0.610864) = 143.6350,
    H = 1 − 143.6350 / (300 · 0.636514) = 0.2478.

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"kommun_code": ["0001"] * 3,
    ...                     "area_code": ["0001R001", "0001R002", "0001R003"],
    ...                     "a": [10, 20, 70], "t": [100, 100, 100]})
    >>> theil(toy, group="a", total="t", by="kommun_code").round(4)
    kommun_code
    0001    0.2478
    Name: H, dtype: float64
    """
    c = two_group_counts(df, group=group, total=total, other=other, by=by, area=area,
                         small_label=small_label)
    g = c.groups
    with np.errstate(divide="ignore", invalid="ignore"):
        P = c.X / c.T
        p_i = np.where(c.t > 0, c.x / np.where(c.t > 0, c.t, 1.0), 0.0)
        E_P = entropy(P)
        within = g.sum(c.t * entropy(p_i))
        value = 1.0 - within / (c.T * E_P)
    undefined = (c.T == 0) | (c.X == 0) | (c.Y == 0)
    value = np.where(undefined, np.nan, value)
    note = join_notes(c.undefined_notes("H", full_group=True),
                      note_where((c.n_areas == 1) & ~undefined, "bara ett område: H = 0 per definition"))
    return finish(g, value, "H", c.n_areas, c.n_nan, note, notes)


def multigroup_theil(
    df: pd.DataFrame,
    *,
    groups,
    by=("kommun_code", "year"),
    area: str | None = "area_code",
    notes: bool = False,
    small_label: str = "personer",
):
    """Multigroup information theory index H over several mutually exclusive group columns.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per area (and year) with one count column per group and the keys in ``by``.
    groups : sequence of str
        At least two columns; the area total t_i is their sum.
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
        H per key, named ``"H_multi"``.

    Raises
    ------
    barometer.exceptions.MeasureInputError
        Fewer than two groups, missing columns, negative counts.

    Notes
    -----
    With π_ik = x_ik/t_i the share of group k in area i, π_k = X_k/T its share in the unit and
    the entropy E = −Σ_k π_k·ln π_k (natural log)::

        H = Σ_i Σ_k t_i · π_ik · ln(π_ik / π_k) / (T · E)

    (terms with π_ik = 0 are 0). Range 0..1: 0 when every area has the unit's mix, 1 when every
    area holds a single group. With two groups this is the two-group :func:`theil`.

    Degenerate cases: areas with NaN in any group column are excluded with a note; areas with
    total 0 contribute 0; one area gives 0; a unit where only one group is present (E = 0) or
    with no population gives NaN. A group absent from the unit simply drops out.

    References
    ----------
    Reardon, S. F., & Firebaugh, G. (2002). Measures of multigroup segregation. *Sociological
    Methodology*, 32(1), 33–67 (H: p. 37; natural log: footnote 3, p. 37).

    Theil, H. (1972). *Statistical decomposition analysis*. Amsterdam: North-Holland.

    PySAL equivalent: ``segregation.multigroup.MultiInfoTheory``.

    Examples
    --------
    Toy kommun, three RegSO with three tenure groups; areas 1 and 2 are alike, area 3 is all
    hyresrätt. π_k = (70, 40, 140)/250, E = 0.974342, Σ_i Σ_k x_ik·ln(π_ik/π_k) = 83.2217,
    H = 83.2217 / (250 · 0.974342) = 0.3417.

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"kommun_code": ["0001"] * 3,
    ...                     "area_code": ["0001R001", "0001R002", "0001R003"],
    ...                     "hyr": [10, 10, 50], "br": [20, 20, 0], "ag": [70, 70, 0]})
    >>> multigroup_theil(toy, groups=["hyr", "br", "ag"], by="kommun_code").round(4)
    kommun_code
    0001    0.3417
    Name: H_multi, dtype: float64
    """
    m = count_matrix(df, groups=groups, by=by, area=area, small_label=small_label)
    g = m.groups
    with np.errstate(divide="ignore", invalid="ignore"):
        pi_k = m.sums / m.T[:, None]                       # unit shares π_k
        E = -_plogp(pi_k).sum(axis=1)
        expected = m.t[:, None] * pi_k[g.codes]            # t_i · π_k
        ratio = np.where(m.counts > 0, m.counts / np.where(expected > 0, expected, 1.0), 1.0)
        row_terms = (m.counts * np.log(ratio)).sum(axis=1)  # Σ_k x_ik·ln(π_ik/π_k)
        value = g.sum(row_terms) / (m.T * E)
    present = (m.sums > 0).sum(axis=1)
    undefined = (m.T == 0) | (present < 2)
    value = np.where(undefined, np.nan, value)
    note = join_notes(
        m.base_notes(),
        note_where(m.T == 0, "ingen befolkning i enheten: H odefinierat"),
        note_where((m.T > 0) & (present < 2), "bara en grupp finns i enheten: H odefinierat"),
        note_where((m.n_areas == 1) & ~undefined, "bara ett område: H = 0 per definition"),
    )
    return finish(g, value, "H_multi", m.n_areas, m.n_nan, note, notes)
