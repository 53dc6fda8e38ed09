"""Områdestyper summaries: RegSO and population per type 1–5, and change between years."""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometer.exceptions import MeasureInputError
from barometer.measures._checks import (
    area_labels,
    check_unique_areas,
    raise_bad,
    count_note,
    check_counts,
    coverage_notes,
    join_notes,
    note_where,
    numeric_column,
)
from barometer.measures._groups import as_keys, make_groups

__all__ = ["OMRADESTYPER", "omradestyp_summary", "omradestyp_change"]

#: The five områdestyper (Delmos/SCB); 1 + 2 together are "områden med socioekonomiska utmaningar".
OMRADESTYPER = {
    1: "områden med stora socioekonomiska utmaningar",
    2: "områden med socioekonomiska utmaningar",
    3: "socioekonomiskt blandade områden",
    4: "områden med goda socioekonomiska förutsättningar",
    5: "områden med mycket goda socioekonomiska förutsättningar",
}
_TYPES = np.arange(1, 6)


def _types(df: pd.DataFrame, typ: str, labels: np.ndarray) -> np.ndarray:
    """The type column as float 1..5 or NaN; anything else raises."""
    values = numeric_column(df, typ, labels)
    known = ~np.isnan(values)
    bad = known & ~np.isin(values, _TYPES)
    if bad.any():
        raise_bad(f"områdestyp måste vara 1–5 i kolumnen {typ!r}", labels, bad)
    return values


def omradestyp_summary(
    df: pd.DataFrame,
    *,
    typ: str = "omradestyp",
    population: str = "befolkning",
    by=("kommun_code", "year"),
    area: str | None = "area_code",
) -> pd.DataFrame:
    """Number of RegSO, population and population share per områdestyp, per key of ``by``.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per RegSO and year: the type (1–5, NaN if unknown), the population and keys.
    typ : str
        Column with the områdestyp.
    population : str
        Column with the RegSO's population (befolkning, group totalt) in the same year.
    by : str, sequence of str or None
        Key columns: ``("kommun_code", "year")``, ``("lan_code", "year")`` or
        ``("riket_code", "year")``.
        ``None`` or ``()``: the whole frame is one unit (an analyst's own counts); the
        result then has one row labelled ``"alla"`` (index name ``"enhet"``); ``.item()``
        gives the number of a Series.
    area : str, optional
        Column naming the area in error messages.

    Returns
    -------
    pandas.DataFrame
        Indexed by the keys. Columns, for k = 1..5 and for types 1+2 together (``1_2``):
        ``antal_k`` (RegSO), ``befolkning_k`` (persons), ``andel_befolkning_k`` (0..1), then
        ``n_areas`` (RegSO with a known type), ``n_excluded`` (RegSO without) and ``note``.

    Raises
    ------
    barometer.exceptions.MeasureInputError
        A type outside 1–5, a missing column or a negative population.

    Notes
    -----
    ::

        antal_k            = #{ i : typ_i = k }
        befolkning_k       = Σ_{i : typ_i = k} pop_i
        andel_befolkning_k = befolkning_k / Σ_i pop_i      (RegSO with known type and population)

    RegSO without a type are left out and counted in ``n_excluded``; RegSO with a type but no
    population count in ``antal_k`` only (noted). A unit with no population has NaN shares.
    Types describe living conditions (the *expressions* of segregation), not its degree.

    References
    ----------
    SCB & Delmos (2021). Socioekonomiskt index och områdestyper per RegSO (SCB table
    TAB6586). Delegationen mot segregation, Segregationsbarometern.

    Examples
    --------
    Toy kommun: three RegSO of types 1, 4, 4 with 1,000, 2,000 and 3,000 persons.

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"kommun_code": ["0001"] * 3, "year": [2023] * 3,
    ...                     "area_code": ["0001R001", "0001R002", "0001R003"],
    ...                     "omradestyp": [1, 4, 4], "befolkning": [1000, 2000, 3000]})
    >>> s = omradestyp_summary(toy).iloc[0]
    >>> s[["antal_1", "antal_4", "befolkning_4", "andel_befolkning_1"]].astype(float).round(4).tolist()
    [1.0, 2.0, 5000.0, 0.1667]
    """
    g = make_groups(df, by)
    labels = area_labels(df, area).with_units(g)
    check_unique_areas(df, g, area, labels)
    t = _types(df, typ, labels)
    pop = numeric_column(df, population, labels)
    check_counts(pop, population, labels)
    typed = ~np.isnan(t)
    k = np.where(typed, t, 1).astype(np.int64) - 1
    cell = g.codes * 5 + k
    counts = np.bincount(cell[typed], minlength=g.n * 5).reshape(g.n, 5)
    with_pop = typed & ~np.isnan(pop)
    people = np.bincount(cell[with_pop], weights=pop[with_pop], minlength=g.n * 5).reshape(g.n, 5)
    total = people.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(total[:, None] > 0, people / np.where(total > 0, total, 1.0)[:, None], np.nan)
    out = {}
    for j, kk in enumerate(_TYPES):  # five fixed columns, not a loop over areas or kommuner
        out[f"antal_{kk}"] = counts[:, j]
        out[f"befolkning_{kk}"] = people[:, j]
        out[f"andel_befolkning_{kk}"] = shares[:, j]
    out["antal_1_2"] = counts[:, 0] + counts[:, 1]
    out["befolkning_1_2"] = people[:, 0] + people[:, 1]
    out["andel_befolkning_1_2"] = shares[:, 0] + shares[:, 1]
    n_areas = g.count(typed)
    n_excluded = g.count(~typed)
    n_nopop = g.count(typed & np.isnan(pop))
    note = join_notes(
        count_note(n_excluded > 0, n_excluded, after=" RegSO utan områdestyp uteslutna"),
        count_note(n_nopop > 0, n_nopop, after=" RegSO utan befolkningsuppgift (räknas i antal, inte i befolkning)"),
        coverage_notes(n_areas, np.zeros(g.n), np.zeros(g.n)),
        note_where((n_areas > 0) & (total == 0), "ingen befolkning: andelar odefinierade"),
    )
    out["n_areas"] = n_areas
    out["n_excluded"] = n_excluded
    out["note"] = note.astype(str)
    return pd.DataFrame(out, index=g.keys)


def omradestyp_change(
    df: pd.DataFrame,
    *,
    from_year: int,
    to_year: int,
    typ: str = "omradestyp",
    population: str = "befolkning",
    by=("kommun_code",),
    year: str = "year",
    area: str = "area_code",
) -> pd.DataFrame:
    """RegSO and population that changed områdestyp between two years, up and down.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per RegSO and year (both years present), with type, population and keys.
    from_year, to_year : int
        The years compared.
    typ, population : str
        Columns with the områdestyp and the RegSO population.
    by : str or sequence of str
        Key columns *without* the year (default ``("kommun_code",)``).
    year : str
        The year column.
    area : str
        The RegSO code column; RegSO are matched on it (same RegSO vintage in both years).

    Returns
    -------
    pandas.DataFrame
        Indexed by the keys. Columns ``bytt_antal``, ``hogre_antal``, ``lagre_antal`` (RegSO),
        ``bytt_befolkning``, ``hogre_befolkning``, ``lagre_befolkning`` (persons in
        ``to_year``), ``n_areas`` (RegSO typed in both years), ``n_excluded``, ``note``.

    Raises
    ------
    barometer.exceptions.MeasureInputError
        A type outside 1–5, a RegSO listed twice in a year, or missing columns.

    Notes
    -----
    ``hogre`` means the type number went up (e.g. 2 → 3: better socioeconomic conditions);
    ``lagre`` means it went down (worse). ``bytt = hogre + lagre``. Population is the RegSO's
    population in ``to_year``. RegSO without a type in either year are left out (counted in
    ``n_excluded``). Types are relative to each year's riket mean and σ, so a change can come
    from other areas moving.

    References
    ----------
    SCB & Delmos (2021). Socioekonomiskt index och områdestyper per RegSO (SCB TAB6586).

    Examples
    --------
    Toy kommun: types 1, 4, 4 in 2022 and 2, 4, 3 in 2023 (populations 1,000/2,000/3,000).

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"kommun_code": ["0001"] * 6, "year": [2022] * 3 + [2023] * 3,
    ...                     "area_code": ["0001R001", "0001R002", "0001R003"] * 2,
    ...                     "omradestyp": [1, 4, 4, 2, 4, 3],
    ...                     "befolkning": [900, 2000, 3100, 1000, 2000, 3000]})
    >>> c = omradestyp_change(toy, from_year=2022, to_year=2023).iloc[0]
    >>> c[["bytt_antal", "hogre_antal", "lagre_antal", "hogre_befolkning", "lagre_befolkning"]].astype(float).tolist()
    [2.0, 1.0, 1.0, 1000.0, 3000.0]
    """
    keys = list(as_keys(by))
    for col in [*keys, year, area, typ, population]:
        if col not in df.columns:
            raise MeasureInputError(f"kolumnen {col!r} saknas; kolumner som finns: {list(df.columns)}")
    before = df.loc[df[year] == from_year, [*keys, area, typ]]
    after = df.loc[df[year] == to_year, [*keys, area, typ, population]]
    for frame, y in ((before, from_year), (after, to_year)):
        dup = frame[area].duplicated(keep=False)
        if dup.any():
            raise MeasureInputError(f"RegSO förekommer flera gånger år {y}",
                                    areas=sorted(frame.loc[dup, area].astype(str).unique()))
    if before.empty or after.empty:
        missing = from_year if before.empty else to_year
        raise MeasureInputError(f"inga rader för år {missing} i kolumnen {year!r}")
    both = after.merge(before[[area, typ]], on=area, how="outer", suffixes=("", "_from"),
                       indicator=True)
    # Keys of RegSO present only in from_year come from the before frame.
    if (both["_merge"] == "right_only").any():
        only_before = both["_merge"] == "right_only"
        fill = before.set_index(area).loc[both.loc[only_before, area], keys]
        both.loc[only_before, keys] = fill.to_numpy()
    g = make_groups(both, keys)
    labels = area_labels(both, area).with_units(g)
    t_to = _types(both, typ, labels)
    t_from = _types(both, f"{typ}_from", labels)
    pop = numeric_column(both, population, labels)
    check_counts(pop, population, labels)
    used = ~np.isnan(t_to) & ~np.isnan(t_from)
    up = used & (t_to > t_from)
    down = used & (t_to < t_from)
    pop0 = np.where(np.isnan(pop), 0.0, pop)
    n_areas = g.count(used)
    n_excluded = g.count(~used)
    n_nopop = g.count((up | down) & np.isnan(pop))
    note = join_notes(
        np.full(g.n, f"förändring {from_year}→{to_year}; befolkning {to_year}; "
                     "högre typ = bättre förutsättningar", dtype=object),
        count_note(n_excluded > 0, n_excluded, after=" RegSO saknar typ ena året och är uteslutna"),
        count_note(n_nopop > 0, n_nopop, after=" RegSO som bytt typ saknar befolkningsuppgift"),
        coverage_notes(n_areas, np.zeros(g.n), np.zeros(g.n)),
    )
    return pd.DataFrame(
        {
            "bytt_antal": g.count(up | down),
            "hogre_antal": g.count(up),
            "lagre_antal": g.count(down),
            "bytt_befolkning": g.sum(np.where(up | down, pop0, 0.0)),
            "hogre_befolkning": g.sum(np.where(up, pop0, 0.0)),
            "lagre_befolkning": g.sum(np.where(down, pop0, 0.0)),
            "n_areas": n_areas,
            "n_excluded": n_excluded,
            "note": note.astype(str),
        },
        index=g.keys,
    )
