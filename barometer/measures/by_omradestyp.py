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
from barometer.measures._checks import join_notes, note_where

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


def _note(condition, *parts) -> np.ndarray:
    """Concatenate ``parts`` (strings, or arrays of strings/ints per row) only where ``condition`` holds."""
    condition = np.asarray(condition, dtype=bool)
    out = np.full(condition.shape, "", dtype=object)
    if condition.any():
        text = np.full(int(condition.sum()), "", dtype=object)
        for part in parts:
            if isinstance(part, str):
                text = text + part
            else:
                part = np.asarray(part)[condition]
                text = text + (part.astype(str).astype(object) if part.dtype.kind in "iuf" else part.astype(object))
        out[condition] = text
    return out


def _base(values: pd.DataFrame, kinds: dict[str, str], weight: tuple[str, str]) -> pd.DataFrame:
    """RegSO rows of the aggregated indicators with numerator/denominator for every kind."""
    regso = values[values["level"] == "regso"]
    ind = regso["indicator"]
    rows = regso[ind.isin(list(kinds))]
    # keep the store's dtypes (categories, Arrow strings): no conversion of 150 000 strings here
    b = rows[["area_code", "year", "indicator", "group", "value", "numerator", "denominator", "status",
              "source_id"]].rename(columns={"area_code": "regso", "numerator": "num", "denominator": "den"})
    b = b.reset_index(drop=True)
    for col in ("value", "num", "den"):
        b[col] = pd.to_numeric(b[col], errors="coerce").astype(float)
    b["year"] = b["year"].astype(np.int64)
    b["kind"] = b["indicator"].map(kinds).astype(object)
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
        key = pd.MultiIndex.from_arrays([b.loc[is_mean, "regso"].astype(str), b.loc[is_mean, "year"]])
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
    # place each RegSO in its units: riket (0), län (1..), kommun (after the län); integer codes
    reg = areas[areas["level"] == "regso"].drop_duplicates("code")
    reg_codes = pd.Index(reg["code"].astype(str).to_numpy())
    reg_kommun = reg["kommun_code"].astype(str).to_numpy()
    reg_lan = reg["lan_code"].astype(str).to_numpy()
    missing = ~types["regso"].isin(reg_codes)
    if missing.any():
        raise MeasureInputError("RegSO saknas i områdestabellen", areas=sorted(types.loc[missing, "regso"].unique())[:10])
    lan_codes, lan_idx = np.unique(reg_lan, return_inverse=True)
    kom_codes, kom_idx = np.unique(reg_kommun, return_inverse=True)
    unit_level = np.array(["riket"] + ["lan"] * len(lan_codes) + ["kommun"] * len(kom_codes), dtype=object)
    unit_code = np.concatenate([np.array(["00"], dtype=object), lan_codes.astype(object), kom_codes.astype(object)])
    unit_of = {"riket": np.zeros(len(reg_codes), dtype=np.int64), "lan": 1 + lan_idx.astype(np.int64),
               "kommun": 1 + len(lan_codes) + kom_idx.astype(np.int64)}
    n_units = len(unit_code)
    kommun_lan = pd.Series(reg_lan, index=reg_kommun)
    kommun_lan = kommun_lan[~kommun_lan.index.duplicated()]

    # dimensions: series (indicator, group) sorted, classification (fast, samma_ar), data year, type
    years = np.array(sorted(base["year"].unique()), dtype=np.int64)
    c_ind, u_ind = pd.factorize(base["indicator"])
    c_grp, u_grp = pd.factorize(base["group"])
    comb_u, s_codes = np.unique(c_ind.astype(np.int64) * len(u_grp) + c_grp, return_inverse=True)
    series = pd.DataFrame({"indicator": np.asarray(u_ind, dtype=object)[comb_u // len(u_grp)].astype(str),
                           "group": np.asarray(u_grp, dtype=object)[comb_u % len(u_grp)].astype(str)})
    order_s = np.lexsort((series["group"].to_numpy(), series["indicator"].to_numpy()))
    series = series.iloc[order_s].reset_index(drop=True)
    rank_s = np.empty(len(order_s), dtype=np.int64)
    rank_s[order_s] = np.arange(len(order_s))
    base_s = rank_s[s_codes]  # each base row's series, in sorted order
    KL = ("fast", "samma_ar")
    S, Y, K = len(series), len(years), len(KL)
    type_years = np.array(sorted(types["year"].unique()), dtype=np.int64)
    typ_by = np.full((len(reg_codes), len(type_years)), np.nan)  # RegSO × type year → type (NaN: none)
    listed = np.zeros((len(reg_codes), len(type_years)), dtype=bool)  # RegSO in the type file that year
    ri = reg_codes.get_indexer(types["regso"])
    ti = np.searchsorted(type_years, types["year"].to_numpy())
    typ_by[ri, ti] = types["typ"].to_numpy()
    listed[ri, ti] = True
    fixed_i = int(np.searchsorted(type_years, fixed_year))
    # per classification and data year: which type year applies (−1: none)
    ty_of = np.full((K, Y), -1, dtype=np.int64)
    for k, name in enumerate(KL):  # two classifications × a handful of years, not a loop over areas
        for y, year in enumerate(years):
            if name == "samma_ar" and year in set(type_years):
                ty_of[k, y] = int(np.searchsorted(type_years, year))
            elif name == "fast" and FIXED_FROM <= year <= fixed_year:
                ty_of[k, y] = fixed_i

    # RegSO per unit × classification × year × type (completeness), and RegSO listed without a type
    n_typed = np.zeros((n_units, K, Y, 5))
    n_untyped = np.zeros((n_units, K, Y))
    for k in range(K):
        for y in range(Y):
            if ty_of[k, y] < 0:
                continue
            t = typ_by[:, ty_of[k, y]]
            ok = ~np.isnan(t)
            un = listed[:, ty_of[k, y]] & ~ok
            for lv in levels:
                u = unit_of[lv]
                n_typed[:, k, y, :] += np.bincount(u[ok] * 5 + t[ok].astype(np.int64) - 1,
                                                   minlength=n_units * 5).reshape(n_units, 5)
                n_untyped[:, k, y] += np.bincount(u[un], minlength=n_units)

    # data rows: their RegSO, series and year as integers; one bincount per level and classification
    r = reg_codes.get_indexer(base["regso"])
    keep = r >= 0
    b = base[keep]
    r = r[keep]
    s_i = base_s[keep]
    y_i = np.searchsorted(years, b["year"].to_numpy())
    known_b = b["known"].to_numpy()
    w_num = np.where(known_b, np.nan_to_num(b["num"].to_numpy(dtype=float)), 0.0)
    w_den = np.where(known_b, np.nan_to_num(b["den"].to_numpy(dtype=float)), 0.0)
    w_kn = known_b.astype(float)
    w_es = b["est_in"].to_numpy().astype(float)
    w_ap = (b["approx"].to_numpy() & known_b).astype(float)
    size = n_units * S * K * Y * 5
    dense = {name: np.zeros(size) for name in ("num", "den", "known", "est", "approx")}
    for k in range(K):
        ty = ty_of[k, y_i]
        has = ty >= 0
        t = np.full(len(r), np.nan)
        t[has] = typ_by[r[has], ty[has]]
        ok = has & ~np.isnan(t)
        ti_ = t[ok].astype(np.int64) - 1
        for lv in levels:
            key = ((((unit_of[lv][r[ok]] * S + s_i[ok]) * K + k) * Y + y_i[ok]) * 5 + ti_)
            for name, wts in (("num", w_num), ("den", w_den), ("known", w_kn), ("est", w_es), ("approx", w_ap)):
                dense[name] += np.bincount(key, weights=wts[ok], minlength=size)

    # the grid: units with typed RegSO (that classification and year) × series held that year,
    # in output order: level, unit code, indicator, group, klassning, year
    present = np.zeros((S, Y), dtype=bool)
    present[s_i, y_i] = True
    has_types = n_typed.sum(axis=3) > 0  # unit × K × Y
    in_levels = np.isin(unit_level, list(levels))
    mask = (in_levels[:, None, None, None] & has_types[:, None, :, :] & present[None, :, None, :])  # U×S×K×Y
    ui, si, ki, yi = np.nonzero(mask)
    flat = ((ui * S + si) * K + ki) * Y + yi

    def take(name):
        return dense[name].reshape(-1, 5)[flat]

    grid = pd.DataFrame({"level": unit_level[ui], "unit": unit_code[ui], "year": years[yi],
                         "klassning": np.array(KL, dtype=object)[ki],
                         "indicator": series["indicator"].to_numpy(dtype=object)[si],
                         "group": series["group"].to_numpy(dtype=object)[si]})
    nt = n_typed[ui, ki, yi, :]
    nun = n_untyped[ui, ki, yi]
    known, est, approx = take("known"), take("est"), take("approx")
    num = np.where(known > 0, take("num"), np.nan)
    den = np.where(known > 0, take("den"), np.nan)
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
        _note(flat(na), "inga RegSO av ", flat(lab), " i ", flat(unit_word)),
        _note(flat(miss), "värde saknas för alla RegSO av ", flat(lab)),
        note_where(flat(zero_den), "nämnaren är 0"),
        _note(flat(partial), "summa av kända värden; ", flat(n_missing).astype(np.int64) + flat(ES).astype(np.int64),
              " av ", flat(NT).astype(np.int64), " RegSO saknar värde eller är uppskattade"),
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
