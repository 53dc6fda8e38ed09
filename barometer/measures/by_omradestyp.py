"""Indicators by områdestyp: RegSO numerators and denominators summed per type 1–5 in kommun, län and riket.

Segregationsbarometern's central view: how an indicator (share of foreign-born, of rental
dwellings, mean wage income, population, dwellings) differs between the RegSO of type 1
(stora socioekonomiska utmaningar) and type 5 (mycket goda förutsättningar) inside a kommun, a
län or riket, and how that gap develops. One vectorised pass over the store's long table; no loop
over areas, kommuner or years.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometer.exceptions import MeasureInputError
from barometer.measures._checks import as_text, join_notes, note_where

__all__ = [
    "OMRADESTYP_VALUES", "GAP", "KLASSNINGAR", "LEVELS", "COLUMNS", "FIXED_FROM",
    "by_omradestyp", "indicator_kinds",
]

#: The ``omradestyp`` values of the output, in display order: five types, two groups, the gap.
OMRADESTYP_VALUES = ("1", "2", "3", "4", "5", "1-2", "4-5", "skillnad")
GAP = "skillnad"
#: The two classifications (column ``klassning``).
KLASSNINGAR = {
    "samma_ar": "samma års områdestyper",
    "fast": "fast indelning (senaste årets områdestyper för alla år)",
}
LEVELS = ("riket", "lan", "kommun")
#: First year the fixed classification is applied to (RegSO 2020 vintage).
FIXED_FROM = 2020
COLUMNS = [
    "level", "area_code", "year", "indicator", "group", "omradestyp", "klassning", "kind", "unit",
    "value", "numerator", "denominator", "n_regso", "status", "note", "source_id", "type_source_id",
    "kommun_code", "lan_code",
]
#: Catalogue unit → how the indicator is aggregated.
KIND_BY_UNIT = {"procent": "share", "antal": "count", "tkr": "mean"}
_INCOMPLETE = ("estimated", "missing", "suppressed")
_SLOTS = len(OMRADESTYP_VALUES)
_TYPE_LABEL = {"1": "typ 1", "2": "typ 2", "3": "typ 3", "4": "typ 4", "5": "typ 5",
               "1-2": "typ 1–2", "4-5": "typ 4–5"}


def indicator_kinds(indicators) -> dict[str, str]:
    """How each indicator is aggregated, from the catalogue's unit: ``share``, ``count`` or ``mean``.

    Indicators whose unit is none of ``procent``, ``antal``, ``tkr`` (types, indices), medians
    (cannot be summed) and ``omradestyp`` itself are left out.
    """
    from barometer import catalog

    units = catalog.table().set_index("id")["unit"].to_dict()
    out = {}
    for ind in indicators:
        kind = KIND_BY_UNIT.get(units.get(ind, ""))
        if kind is None or ind == "omradestyp" or ind.startswith("median"):
            continue
        out[ind] = kind
    return out


def _types(values: pd.DataFrame) -> pd.DataFrame:
    t = values[(values["level"] == "regso") & (values["indicator"] == "omradestyp")]
    t = pd.DataFrame({"regso": t["area_code"].astype(str).to_numpy(), "year": t["year"].astype(int).to_numpy(),
                      "typ": pd.to_numeric(t["value"], errors="coerce").to_numpy(dtype=float),
                      "source_id": t["source_id"].astype(str).to_numpy()})
    bad = t["typ"].notna() & ~t["typ"].isin([1.0, 2.0, 3.0, 4.0, 5.0])
    if bad.any():
        raise MeasureInputError("områdestyp måste vara 1–5", areas=sorted(t.loc[bad, "regso"].unique()))
    return t


def _classification(types: pd.DataFrame, data_years, fixed_year: int) -> pd.DataFrame:
    """(regso, year, klassning, typ): each year's own types, and ``fixed_year``'s types for all years."""
    same = types[["regso", "year", "typ"]].assign(klassning="samma_ar")
    latest = types.loc[types["year"] == fixed_year, ["regso", "typ"]]
    years = [int(y) for y in data_years if FIXED_FROM <= int(y) <= fixed_year]
    fixed = pd.DataFrame({
        "regso": np.tile(latest["regso"].to_numpy(), len(years)),
        "year": np.repeat(np.asarray(years, dtype=np.int64), len(latest)),
        "typ": np.tile(latest["typ"].to_numpy(), len(years)),
        "klassning": "fast",
    })
    return pd.concat([same, fixed], ignore_index=True)


def _base(values: pd.DataFrame, kinds: dict[str, str], weight: tuple[str, str]) -> pd.DataFrame:
    """RegSO rows of the aggregated indicators with numerator/denominator for every kind."""
    regso = values[values["level"] == "regso"]
    ind = regso["indicator"]
    rows = regso[ind.isin(list(kinds))]
    b = pd.DataFrame({
        "regso": rows["area_code"].astype(str).to_numpy(),
        "year": rows["year"].astype(int).to_numpy(),
        "indicator": rows["indicator"].astype(str).to_numpy(),
        "group": rows["group"].astype(str).to_numpy(),
        "value": pd.to_numeric(rows["value"], errors="coerce").to_numpy(dtype=float),
        "num": pd.to_numeric(rows["numerator"], errors="coerce").to_numpy(dtype=float),
        "den": pd.to_numeric(rows["denominator"], errors="coerce").to_numpy(dtype=float),
        "status": rows["status"].astype(str).to_numpy(),
        "source_id": rows["source_id"].astype(str).to_numpy(),
    })
    b["kind"] = b["indicator"].map(kinds)
    b["approx"] = False
    is_count = b["kind"] == "count"
    b.loc[is_count, "num"] = b.loc[is_count, "value"]
    b.loc[is_count, "den"] = np.nan
    is_mean = b["kind"] == "mean"
    if is_mean.any():
        # a mean is a ratio of sums only with its own denominator (persons behind the mean);
        # where that is unknown, weight by the RegSO's population and label the approximation
        w_ind, w_group = weight
        w = regso[(ind == w_ind) & (regso["group"] == w_group)]
        w = pd.Series(pd.to_numeric(w["value"], errors="coerce").to_numpy(dtype=float),
                      index=pd.MultiIndex.from_arrays([w["area_code"].astype(str), w["year"].astype(int)]))
        w = w[~w.index.duplicated()]
        key = pd.MultiIndex.from_arrays([b.loc[is_mean, "regso"], b.loc[is_mean, "year"]])
        pop = w.reindex(key).to_numpy(dtype=float)
        own = b.loc[is_mean, "den"].to_numpy(dtype=float)
        approx = np.isnan(own)
        den = np.where(approx, pop, own)
        b.loc[is_mean, "den"] = den
        b.loc[is_mean, "num"] = b.loc[is_mean, "value"].to_numpy(dtype=float) * den
        b.loc[is_mean, "approx"] = approx
    known = ~np.isnan(b["num"].to_numpy()) & ~b["status"].isin(["missing", "suppressed"]).to_numpy()
    known &= np.where(is_count.to_numpy(), True, ~np.isnan(b["den"].to_numpy()))
    b["known"] = known
    b["est_in"] = b["status"].eq("estimated").to_numpy() & known
    b.loc[~known, ["num", "den"]] = np.nan
    return b


def by_omradestyp(
    values: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    kinds: dict[str, str] | None = None,
    fixed_year: int | None = None,
    levels=LEVELS,
    weight: tuple[str, str] = ("befolkning", "totalt"),
) -> pd.DataFrame:
    """Every RegSO indicator split by områdestyp, per kommun, län and riket, in both classifications.

    Parameters
    ----------
    values : pandas.DataFrame
        The store's long table (``level, area_code, year, indicator, group, value, numerator,
        denominator, status, source_id``), at least its ``regso`` rows. Must hold the RegSO types
        as indicator ``omradestyp`` (value 1–5, NaN if unknown).
    areas : pandas.DataFrame
        The areas table (``level, code, kommun_code, lan_code``); its ``regso`` rows place each
        RegSO in its kommun and län.
    kinds : dict, optional
        Indicator id → ``"share"`` (value = 100 · numerator / denominator, %), ``"count"``
        (persons, dwellings) or ``"mean"`` (amount per person, e.g. tkr). Default: every RegSO
        indicator of the store, kind from the catalogue's unit (:func:`indicator_kinds`).
    fixed_year : int, optional
        Year whose types make the fixed classification (default: the latest type year).
    levels : sequence of str
        Unit levels to compute (``riket``, ``lan``, ``kommun``).
    weight : (indicator, group)
        Population used as the denominator of a mean that has no denominator of its own.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; one row per level × unit × year × classification ×
        indicator × group × ``omradestyp`` ∈ ``1…5, 1-2, 4-5, skillnad``. ``klassning`` is
        ``samma_ar`` (the year's own types; only type years) or ``fast`` (``fixed_year``'s types
        applied to every year from 2020 to ``fixed_year``). ``n_regso`` is the number of RegSO of
        the type in the unit. ``unit`` is the catalogue unit (``procent``, ``antal``, ``tkr``),
        ``procentenheter`` or ``kvot`` for the gap. For a count, ``numerator`` = the sum and
        ``denominator`` is NaN.

    Raises
    ------
    barometer.exceptions.MeasureInputError
        A type outside 1–5, an unknown kind, or RegSO missing from the areas table.

    Notes
    -----
    For a type (or group of types) k in unit u and year y, over the RegSO i of type k in u::

        share:  value = 100 · Σ num_i / Σ den_i             (never a mean of shares)
        count:  value = Σ value_i
        mean:   value = Σ (mean_i · n_i) / Σ n_i            (n_i: persons behind the mean)
        gap:    share → value(1-2) − value(4-5)  in percentage points
                count, mean → value(1-2) / value(4-5)  as a ratio

    Where the persons behind a mean are unknown (mean wage income: the file gives no number of
    earners) n_i is the RegSO's population: the row is ``estimated`` and says it is a
    population-weighted approximation. Status, as in the store's roll-up
    (:mod:`barometer.pipeline.publish`): a type with no RegSO in the unit is ``not_applicable``
    with value NaN (never 0); a type whose RegSO all lack the value is ``missing``; a sum over
    only some of its RegSO (the others missing or suppressed), or over an estimate, is
    ``estimated`` with the count in ``note``; a zero denominator is ``not_applicable``. The gap
    takes the worst status of its two groups. RegSO without a type in the classification year
    are in no type (noted). DeSO-level data would enter through its RegSO; today the store's only
    DeSO series (population 2019) precedes both classifications, so it is not used.

    References
    ----------
    SCB & Delmos (2021), Socioekonomiskt index och områdestyper per RegSO (SCB TAB6586);
    Delmos, Segregationsbarometern: indicators shown per områdestyp.

    Examples
    --------
    One kommun, two RegSO of types 1 and 5 (2023): 60 of 100 and 10 of 200 foreign-born.

    >>> import pandas as pd
    >>> v = pd.DataFrame({
    ...     "level": "regso", "area_code": ["0001R001", "0001R002"] * 2, "year": 2023,
    ...     "indicator": ["omradestyp"] * 2 + ["andel_utrikes_fodda"] * 2, "group": "totalt",
    ...     "value": [1, 5, 60.0, 5.0], "numerator": [None, None, 60, 10],
    ...     "denominator": [None, None, 100, 200], "status": "ok", "source_id": "s"})
    >>> a = pd.DataFrame({"level": "regso", "code": ["0001R001", "0001R002"],
    ...                   "kommun_code": "0001", "lan_code": "00"})
    >>> out = by_omradestyp(v, a, kinds={"andel_utrikes_fodda": "share"}, levels=["kommun"])
    >>> out[out.klassning == "samma_ar"].set_index("omradestyp")["value"].round(1).to_dict()
    {'1': 60.0, '2': nan, '3': nan, '4': nan, '5': 5.0, '1-2': 60.0, '4-5': 5.0, 'skillnad': 55.0}
    """
    for col in ("level", "area_code", "year", "indicator", "group", "value", "numerator", "denominator",
                "status", "source_id"):
        if col not in values.columns:
            raise MeasureInputError(f"kolumnen {col!r} saknas i värdetabellen; kolumner som finns: {list(values.columns)}")
    types = _types(values)
    if kinds is None:
        held = [str(i) for i in values.loc[values["level"] == "regso", "indicator"].unique()]
        kinds = indicator_kinds(held)
    bad = {k: v for k, v in kinds.items() if v not in ("share", "count", "mean")}
    if bad:
        raise MeasureInputError(f"okänd sammanvägning {bad}; välj share, count eller mean")
    unknown = [lv for lv in levels if lv not in LEVELS]
    if unknown:
        raise MeasureInputError(f"okänd nivå {unknown}; välj bland {list(LEVELS)}")
    if types.empty or not kinds:
        return pd.DataFrame({c: [] for c in COLUMNS})
    fixed_year = int(fixed_year if fixed_year is not None else types["year"].max())
    if fixed_year not in set(types["year"]):
        raise MeasureInputError(f"inga områdestyper för år {fixed_year}; år som finns: {sorted(set(types['year']))}")
    type_source = types["source_id"].iloc[0]

    base = _base(values, kinds, weight)
    klass = _classification(types, sorted(base["year"].unique()), fixed_year)

    # place each RegSO in its units (kommun, län, riket)
    reg = areas[areas["level"].astype(str) == "regso"].drop_duplicates("code")
    parent = pd.DataFrame({"regso": reg["code"].astype(str).to_numpy(),
                           "kommun": reg["kommun_code"].astype(str).to_numpy(),
                           "lan": reg["lan_code"].astype(str).to_numpy()})
    missing = ~klass["regso"].isin(parent["regso"])
    if missing.any():
        raise MeasureInputError("RegSO saknas i områdestabellen", areas=sorted(klass.loc[missing, "regso"].unique())[:10])
    parent["riket"] = "00"
    klass = klass.merge(parent, on="regso", how="left")
    kommun_lan = parent.drop_duplicates("kommun").set_index("kommun")["lan"]

    # RegSO per type, unit, year and classification (the denominator of completeness)
    typed = klass[klass["typ"].notna()]
    ncount = []
    for lv, col in (("riket", "riket"), ("lan", "lan"), ("kommun", "kommun")):
        if lv in levels:
            ncount.append(pd.DataFrame({"level": lv, "unit": typed[col].to_numpy(), "year": typed["year"].to_numpy(),
                                        "klassning": typed["klassning"].to_numpy(),
                                        "typ": typed["typ"].to_numpy().astype(np.int64)}))
            # untyped RegSO are counted for the note
    ncount = pd.concat(ncount, ignore_index=True)
    n_typed = ncount.groupby(["level", "unit", "year", "klassning", "typ"], observed=True).size().unstack("typ")
    n_typed = n_typed.reindex(columns=[1, 2, 3, 4, 5]).fillna(0).astype(np.int64)
    untyped = klass[klass["typ"].isna()]
    n_untyped = pd.concat([pd.DataFrame({"level": lv, "unit": untyped[lv].to_numpy(), "year": untyped["year"].to_numpy(),
                                         "klassning": untyped["klassning"].to_numpy()}) for lv in levels],
                          ignore_index=True).groupby(["level", "unit", "year", "klassning"]).size()

    # data rows with their type and units, summed per series × type
    d = base.merge(typed[["regso", "year", "klassning", "typ", "kommun", "lan", "riket"]], on=["regso", "year"], how="inner")
    d["typ"] = d["typ"].astype(np.int64)
    d["known_n"] = d["known"].astype(np.int64)
    d["est_n"] = d["est_in"].astype(np.int64)
    d["approx_n"] = (d["approx"] & d["known"]).astype(np.int64)
    sums = []
    keys = ["level", "unit", "year", "klassning", "indicator", "group", "typ"]
    for lv in levels:
        part = d[[lv, "year", "klassning", "indicator", "group", "typ", "num", "den", "known_n", "est_n", "approx_n"]]
        g = part.groupby([lv, "year", "klassning", "indicator", "group", "typ"], observed=True, sort=False).agg(
            num=("num", "sum"), den=("den", "sum"), known=("known_n", "sum"), est=("est_n", "sum"),
            approx=("approx_n", "sum"))
        g.index = g.index.set_names(keys[1:])
        sums.append(pd.concat({lv: g}, names=["level"]))
    sums = pd.concat(sums)
    wide = sums.unstack("typ").reindex(columns=pd.MultiIndex.from_product(
        [["num", "den", "known", "est", "approx"], [1, 2, 3, 4, 5]]))

    # the grid: every unit with typed RegSO × every (indicator, group) held that year
    series = base[["year", "indicator", "group"]].drop_duplicates()
    units = n_typed.index.to_frame(index=False)
    grid = units.merge(series, on="year", how="inner")
    order = {lv: i for i, lv in enumerate(LEVELS)}
    grid = grid.assign(_o=grid["level"].map(order)).sort_values(
        ["_o", "unit", "indicator", "group", "klassning", "year"], kind="stable").drop(columns="_o").reset_index(drop=True)
    gidx = pd.MultiIndex.from_frame(grid[keys[:-1]])
    w = wide.reindex(gidx)
    nt = n_typed.reindex(pd.MultiIndex.from_frame(grid[["level", "unit", "year", "klassning"]])).to_numpy()
    nun = n_untyped.reindex(pd.MultiIndex.from_frame(grid[["level", "unit", "year", "klassning"]])).fillna(0).to_numpy()

    def arr(name):
        a = w[name].to_numpy(dtype=float)
        return np.where(np.isnan(a), 0.0, a) if name != "num" and name != "den" else a

    num, den = w["num"].to_numpy(dtype=float), w["den"].to_numpy(dtype=float)
    known, est, approx = arr("known"), arr("est"), arr("approx")
    num = np.where(known > 0, np.nan_to_num(num), np.nan)
    den = np.where(known > 0, np.nan_to_num(den), np.nan)
    kind = grid["indicator"].map(kinds).to_numpy()

    # 5 types + groups 1-2 and 4-5
    def grp(a, cols):
        return a[:, cols].sum(axis=1, keepdims=True)

    def grp_nan(a, cols):  # a sum over types where at least one is known
        sub = a[:, cols]
        return np.where(np.isnan(sub).all(axis=1, keepdims=True), np.nan, np.nansum(sub, axis=1, keepdims=True))

    G12, G45 = [0, 1], [3, 4]
    NT = np.hstack([nt, grp(nt, G12), grp(nt, G45)]).astype(float)
    KN = np.hstack([known, grp(known, G12), grp(known, G45)])
    ES = np.hstack([est, grp(est, G12), grp(est, G45)])
    AP = np.hstack([approx, grp(approx, G12), grp(approx, G45)])
    NUM = np.hstack([num, grp_nan(num, G12), grp_nan(num, G45)])
    DEN = np.hstack([den, grp_nan(den, G12), grp_nan(den, G45)])
    is_count = (kind == "count")[:, None]
    is_share = (kind == "share")[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(DEN > 0, NUM / DEN, np.nan)
    VAL = np.where(is_count, NUM, np.where(is_share, 100.0 * ratio, ratio))
    DEN = np.where(is_count, np.nan, DEN)

    n_missing = NT - KN
    na = NT == 0
    miss = ~na & (KN == 0)
    zero_den = ~na & ~miss & ~is_count & ~(DEN > 0)
    partial = ~na & ~miss & ~zero_den & ((n_missing > 0) | (ES > 0))
    appr = ~na & ~miss & ~zero_den & (AP > 0)
    STATUS = np.select([na, miss, zero_den, partial | appr], ["not_applicable", "missing", "not_applicable", "estimated"], "ok")
    VAL = np.where(na | miss | zero_den, np.nan, VAL)
    NUM = np.where(na, np.nan, NUM)
    DEN = np.where(na, np.nan, DEN)

    labels = np.array([_TYPE_LABEL[t] for t in OMRADESTYP_VALUES[:7]], dtype=object)
    lab = np.broadcast_to(labels, NT.shape)
    unit_word = np.where(grid["level"].to_numpy() == "riket", "riket",
                         np.where(grid["level"].to_numpy() == "lan", "länet", "kommunen"))[:, None]
    unit_word = np.broadcast_to(unit_word, NT.shape).astype(object)
    flat = lambda a: np.asarray(a).ravel()  # noqa: E731
    note = join_notes(
        note_where(flat(na), "inga RegSO av " + flat(lab) + " i " + flat(unit_word)),
        note_where(flat(miss), "värde saknas för alla RegSO av " + flat(lab)),
        note_where(flat(zero_den), "nämnaren är 0"),
        note_where(flat(partial), "summa av kända värden; " + as_text(flat(n_missing).astype(np.int64) + flat(ES).astype(np.int64))
                   + " av " + as_text(flat(NT).astype(np.int64)) + " RegSO saknar värde eller är uppskattade"),
        note_where(flat(appr), "befolkningsviktat närmevärde (antalet personer bakom medelvärdet saknas; vikt = folkmängd)"),
        note_where(np.repeat(nun > 0, 7), "RegSO utan områdestyp ingår inte"),
    ).reshape(NT.shape)

    # the gap between 1-2 and 4-5
    v12, v45 = VAL[:, 5], VAL[:, 6]
    s12, s45 = STATUS[:, 5], STATUS[:, 6]
    share1 = kind == "share"
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(share1, v12 - v45, np.where(v45 > 0, v12 / v45, np.nan))
    rank = {"not_applicable": 3, "missing": 2, "estimated": 1, "ok": 0}
    r = np.maximum(pd.Series(s12).map(rank).to_numpy(), pd.Series(s45).map(rank).to_numpy())
    gstatus = np.array(["ok", "estimated", "missing", "not_applicable"], dtype=object)[r]
    gstatus = np.where(np.isnan(gap) & (gstatus == "ok"), "not_applicable", gstatus)
    gstatus = np.where(np.isnan(gap) & (gstatus == "estimated"), "missing", gstatus)
    gap = np.where(np.isin(gstatus, ["missing", "not_applicable"]), np.nan, gap)
    gnote = join_notes(
        note_where(na[:, 5], "jämförelsen är inte möjlig: inga RegSO av typ 1–2 i " + unit_word[:, 0]),
        note_where(na[:, 6], "jämförelsen är inte möjlig: inga RegSO av typ 4–5 i " + unit_word[:, 0]),
        note_where(~na[:, 5] & ~na[:, 6] & np.isnan(gap), "värde saknas för typ 1–2 eller 4–5"),
        note_where(~np.isnan(gap), np.where(share1, "typ 1–2 minus typ 4–5, procentenheter",
                                            "typ 1–2 delat med typ 4–5 (kvot)")),
        note_where((gstatus == "estimated"), "bygger på uppskattade värden"),
    )

    VAL = np.hstack([VAL, gap[:, None]])
    NUM = np.hstack([NUM, np.full((len(grid), 1), np.nan)])
    DEN = np.hstack([DEN, np.full((len(grid), 1), np.nan)])
    NT = np.hstack([NT, np.minimum(NT[:, 5], NT[:, 6])[:, None]])
    STATUS = np.hstack([STATUS, gstatus[:, None]])
    NOTE = np.hstack([note, gnote[:, None]])

    from barometer import catalog

    cat_units = catalog.table().set_index("id")["unit"].to_dict()
    unit = grid["indicator"].map(lambda i: cat_units.get(i, "")).to_numpy(dtype=object)
    unit = np.where(unit == "", np.where(kind == "share", "procent", np.where(kind == "count", "antal", "")), unit)
    gap_unit = np.where(share1, "procentenheter", "kvot")
    UNIT = np.hstack([np.repeat(unit[:, None], 7, axis=1), gap_unit[:, None]])
    src = base.drop_duplicates("indicator").set_index("indicator")["source_id"]

    n = len(grid)

    def rep(values_per_series):  # one value per series → one per output row, as a categorical
        cat = pd.Categorical(np.asarray(values_per_series, dtype=object))
        return pd.Categorical.from_codes(np.repeat(cat.codes, _SLOTS), cat.categories)

    def flat_cat(a):
        return pd.Categorical(np.asarray(a, dtype=object).ravel())

    level = grid["level"].to_numpy(dtype=object)
    unit_code = grid["unit"].to_numpy(dtype=object)
    kommun_code = np.where(level == "kommun", unit_code, "")
    lan_code = np.where(level == "lan", unit_code,
                        np.where(level == "kommun", pd.Series(unit_code).map(kommun_lan).fillna("").to_numpy(), ""))
    out = pd.DataFrame({
        "level": rep(level), "area_code": rep(unit_code), "year": np.repeat(grid["year"].to_numpy(np.int64), _SLOTS),
        "indicator": rep(grid["indicator"]), "group": rep(grid["group"]),
        "omradestyp": pd.Categorical.from_codes(np.tile(np.arange(_SLOTS), n), list(OMRADESTYP_VALUES)),
        "klassning": rep(grid["klassning"]), "kind": rep(kind), "unit": flat_cat(UNIT),
        "value": VAL.ravel(), "numerator": NUM.ravel(), "denominator": DEN.ravel(),
        "n_regso": NT.ravel().astype(np.int64), "status": flat_cat(STATUS), "note": flat_cat(NOTE),
        "source_id": rep(grid["indicator"].map(src)), "type_source_id": rep(np.full(n, type_source, dtype=object)),
        "kommun_code": rep(kommun_code), "lan_code": rep(lan_code),
    })
    return out[COLUMNS]


def publish_table(values: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The table the build publishes as ``data/store/omradestyp.parquet`` (all store RegSO indicators)."""
    return by_omradestyp(values, areas)


def check_totals(table: pd.DataFrame, values: pd.DataFrame) -> dict:
    """Counts per type add up to the unit's own total in the store (same-year types).

    Returns a check record ``{"check", "ok", "detail"}``; raises
    :class:`~barometer.exceptions.IntegrityError` if a complete sum differs from the store.
    """
    from barometer.exceptions import IntegrityError

    t = table[(table["kind"] == "count") & table["omradestyp"].isin(["1", "2", "3", "4", "5"])
              & (table["klassning"] == "samma_ar")]
    if t.empty:
        return {"check": "omradestyp_summerar", "ok": True, "detail": "inga antal per områdestyp"}
    keys = ["level", "area_code", "year", "indicator", "group"]
    t = pd.DataFrame({k: (t[k].astype(str) if k != "year" else t[k]) for k in keys}
                     | {"value": t["value"], "incomplete": ~t["status"].isin(["ok", "not_applicable"])})
    per = t.groupby(keys, observed=True).agg(total=("value", "sum"), incomplete=("incomplete", "sum")).reset_index()
    per = per[per["incomplete"] == 0]
    v = values[values["indicator"].isin(per["indicator"].unique()) & values["level"].isin(list(LEVELS))]
    v = pd.DataFrame({k: (v[k].astype(str) if k != "year" else v[k]) for k in keys} | {"store": v["value"]})
    both = per.merge(v, on=keys, how="inner")
    bad = both[(both["total"] - both["store"]).abs() > 1e-6]
    detail = (f"{len(both)} summor (enhet × år × indikator) jämförda med datalagrets egna totaler; "
              f"{len(bad)} skiljer")
    if len(bad):
        raise IntegrityError("omradestyp_summerar", f"{detail}, t.ex. {bad.head(3).reset_index().to_dict('records')}")
    return {"check": "omradestyp_summerar", "ok": True, "detail": detail}
