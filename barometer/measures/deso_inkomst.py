"""Income gaps between DeSO within a kommun (median net income ≈2019): NOT the official ojämlikhetsindex.

The store holds ``mediannettoinkomst_deso``: median net income (tkr) per DeSO 2018, year ≈2019,
a research project's copy of SCB data (see the catalogue). From it, per kommun (and län, riket):

* ``max_mediannettoinkomst_deso`` / ``min_mediannettoinkomst_deso``: the highest and lowest DeSO;
* ``inkomstkvot_max_min_deso_ej_oji``: their ratio;
* ``inkomstspridning_cv_deso_ej_oji``: the population-weighted coefficient of variation of the
  DeSO medians, weights = the DeSO population 2019 in the store.

Both spreads use :func:`barometer.measures.ojamlikhet.inkomstspridning` (formula and reference
there). Like the RegSO wage-income spread they describe gaps between area medians, not how low-
and high-income persons are spread, so they are **not** the official ojämlikhetsindex; every note
says so. DeSO (≈ 700–2,700 persons) give a finer picture than RegSO, which matters most in
kommuner with few RegSO.
"""

from __future__ import annotations

import pandas as pd

from barometer.measures.inputs import wide_counts
from barometer.measures.ojamlikhet import STAND_IN_NOTE, inkomstspridning

__all__ = ["INDICATOR", "YEAR", "NOTE", "STAND_IN_NOTE_DESO", "income_frame", "spread"]

INDICATOR = "mediannettoinkomst_deso"
YEAR = 2019
#: Said by every DeSO income measure (year and source caveats).
NOTE = ("median nettoinkomst per DeSO, år ≈2019 (osäkert); forskningsprojektets kopia av SCB-data; "
        "vikter = DeSO-befolkning 2019")
STAND_IN_NOTE_DESO = STAND_IN_NOTE.replace("spridning i medellöneinkomst mellan RegSO",
                                           "spridning i mediannettoinkomst mellan DeSO")


def income_frame(kommun: str | None = None, source=None) -> pd.DataFrame:
    """One row per DeSO: ``area_code, year, name, kommun_code, lan_code, riket_code,
    mediannettoinkomst`` (tkr) and ``befolkning`` (persons, 2019; NaN where absent).

    ``source`` is the measures' input source (:mod:`barometer.measures.inputs`; default the store)."""
    inc = wide_counts(INDICATOR, level="deso", groups=["totalt"], kommun=kommun, source=source)
    inc = inc.rename(columns={"totalt": "mediannettoinkomst"})
    pop = wide_counts("befolkning", level="deso", groups=["totalt"], years=[YEAR], kommun=kommun, source=source)
    pop = pop[["area_code", "totalt"]].rename(columns={"totalt": "befolkning"})
    return inc.merge(pop, on="area_code", how="left")


def spread(df: pd.DataFrame, by=("kommun_code", "year")) -> pd.DataFrame:
    """Weighted CV and max/min ratio of DeSO medians per unit (see :func:`inkomstspridning`).

    Parameters
    ----------
    df : pandas.DataFrame
        :func:`income_frame` output (or the same columns).
    by : sequence of str
        Unit keys, e.g. ``("kommun_code", "year")``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``by``: ``inkomstspridning_cv_deso_ej_oji``, ``inkomstkvot_max_min_deso_ej_oji``,
        ``n_areas``, ``n_excluded``, ``note`` (starts with :data:`STAND_IN_NOTE_DESO`).

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"kommun_code": ["0001"] * 3, "year": 2019,
    ...                     "area_code": ["0001C0010", "0001C0020", "0001C0030"],
    ...                     "mediannettoinkomst": [200.0, 300.0, 500.0], "befolkning": [100, 100, 100]})
    >>> out = spread(toy)
    >>> out.iloc[0][["inkomstspridning_cv_deso_ej_oji", "inkomstkvot_max_min_deso_ej_oji"]].astype(float).round(4).tolist()
    [0.3742, 2.5]
    """
    res = inkomstspridning(df, mean="mediannettoinkomst", weight="befolkning", by=by)
    res = res.rename(columns={"inkomstspridning_cv_ej_oji": "inkomstspridning_cv_deso_ej_oji",
                              "inkomstkvot_max_min_ej_oji": "inkomstkvot_max_min_deso_ej_oji"})
    res["note"] = res["note"].str.replace(STAND_IN_NOTE, STAND_IN_NOTE_DESO, regex=False)
    return res
