"""Indicators by områdestyp on a tiny hand-made store, values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from barometer.exceptions import MeasureInputError
from barometer.measures.by_omradestyp import COLUMNS, OMRADESTYP_VALUES, by_omradestyp

KINDS = {"andel_utrikes_fodda": "share", "befolkning": "count", "medelloneinkomst": "mean"}

# regso, kommun, län, type 2022, type 2023, population, foreign-born, mean wage income (tkr)
TOY = [
    ("0001R001", "0001", "01", 1, 2, 100, 60, 200),
    ("0001R002", "0001", "01", 4, 4, 200, 20, 300),
    ("0001R003", "0001", "01", 5, 4, 100, 5, 500),
    ("0002R001", "0002", "01", 3, 3, 50, 10, 250),
    ("0301R001", "0301", "03", 1, 1, 300, 150, 150),
    ("0301R002", "0301", "03", 5, 5, 100, 10, 400),
]


def _row(code, year, indicator, value, num=np.nan, den=np.nan, status="ok", source="s_" + "x"):
    return {"level": "regso", "area_code": code, "year": year, "indicator": indicator, "group": "totalt",
            "value": value, "numerator": num, "denominator": den, "status": status, "note": "",
            "source_id": source}


@pytest.fixture
def toy():
    rows = []
    for code, _k, _l, t22, t23, pop, fb, inc in TOY:
        rows += [_row(code, 2022, "omradestyp", t22, source="typ"), _row(code, 2023, "omradestyp", t23, source="typ")]
        for year in (2021, 2022, 2023):
            suppressed = code == "0301R001" and year == 2023
            rows.append(_row(code, year, "befolkning", pop, source="pop"))
            rows.append(_row(code, year, "andel_utrikes_fodda", np.nan if suppressed else 100 * fb / pop,
                             np.nan if suppressed else fb, np.nan if suppressed else pop,
                             status="suppressed" if suppressed else "ok", source="pop"))
            rows.append(_row(code, year, "medelloneinkomst", inc, source="inc"))
    values = pd.DataFrame(rows)
    areas = pd.DataFrame({"level": "regso", "code": [t[0] for t in TOY], "kommun_code": [t[1] for t in TOY],
                          "lan_code": [t[2] for t in TOY]})
    return values, areas


def _pick(out, level, code, indicator, year, klassning="samma_ar"):
    sel = out[(out["level"] == level) & (out["area_code"] == code) & (out["indicator"] == indicator)
              & (out["year"] == year) & (out["klassning"] == klassning)]
    return sel.set_index(sel["omradestyp"].astype(str))


def test_columns_and_order(toy):
    out = by_omradestyp(*toy, kinds=KINDS)
    assert list(out.columns) == COLUMNS
    one = _pick(out, "kommun", "0001", "andel_utrikes_fodda", 2022)
    assert list(one.index) == list(OMRADESTYP_VALUES)
    # same-year types only exist for 2022, 2023; the fixed classification covers 2021 too
    years = out.groupby("klassning", observed=True)["year"].unique()
    assert sorted(years["samma_ar"]) == [2022, 2023]
    assert sorted(years["fast"]) == [2021, 2022, 2023]


def test_share_sums_numerator_and_denominator(toy):
    out = by_omradestyp(*toy, kinds=KINDS)
    k = _pick(out, "kommun", "0001", "andel_utrikes_fodda", 2022)
    assert k.loc["1", "value"] == pytest.approx(60.0)
    assert k.loc["4", "value"] == pytest.approx(10.0)
    assert k.loc["5", "value"] == pytest.approx(5.0)
    assert k.loc["4-5", "value"] == pytest.approx(100 * 25 / 300)  # not the mean of 10 and 5
    assert (k.loc["4-5", "numerator"], k.loc["4-5", "denominator"]) == (25, 300)
    assert k.loc["skillnad", "value"] == pytest.approx(60 - 100 * 25 / 300)
    assert k.loc["skillnad", "unit"] == "procentenheter"
    # 2023: R001 moved to type 2, R003 to type 4
    k23 = _pick(out, "kommun", "0001", "andel_utrikes_fodda", 2023)
    assert math.isnan(k23.loc["1", "value"]) and k23.loc["1", "status"] == "not_applicable"
    assert k23.loc["2", "value"] == pytest.approx(60.0)
    assert k23.loc["4", "value"] == pytest.approx(100 * 25 / 300)
    # riket 2022: type 1 = (60 + 150) / (100 + 300), type 5 = (5 + 10) / (100 + 100)
    r = _pick(out, "riket", "00", "andel_utrikes_fodda", 2022)
    assert r.loc["1", "value"] == pytest.approx(52.5)
    assert r.loc["5", "value"] == pytest.approx(7.5)
    assert r.loc["3", "value"] == pytest.approx(20.0)
    lan = _pick(out, "lan", "03", "andel_utrikes_fodda", 2022)
    assert lan.loc["1", "value"] == pytest.approx(50.0) and lan.loc["5", "value"] == pytest.approx(10.0)


def test_fixed_classification_applies_latest_types(toy):
    out = by_omradestyp(*toy, kinds=KINDS)
    fast = _pick(out, "kommun", "0001", "andel_utrikes_fodda", 2022, "fast")
    # 2023 types on 2022 data: R001 is type 2, R002 and R003 type 4
    assert math.isnan(fast.loc["1", "value"]) and fast.loc["1", "status"] == "not_applicable"
    assert fast.loc["2", "value"] == pytest.approx(60.0)
    assert fast.loc["4", "value"] == pytest.approx(100 * 25 / 300)
    assert _pick(out, "kommun", "0001", "befolkning", 2021, "fast").loc["4", "value"] == 300


def test_counts_add_up_and_gap_is_a_ratio(toy):
    out = by_omradestyp(*toy, kinds=KINDS)
    b = _pick(out, "kommun", "0001", "befolkning", 2022)
    assert b.loc[list("12345"), "value"].sum() == 400  # the kommun's total
    assert b.loc["1-2", "value"] == 100 and b.loc["4-5", "value"] == 300
    assert b.loc["skillnad", "value"] == pytest.approx(100 / 300)
    assert b.loc["skillnad", "unit"] == "kvot"
    assert list(b.loc[list("12345"), "n_regso"]) == [1, 0, 0, 1, 1]
    assert math.isnan(b.loc["2", "value"])  # no RegSO of type 2: NaN, never 0
    assert b.loc["2", "note"] == "inga RegSO av typ 2 i kommunen"


def test_mean_is_population_weighted_and_labelled(toy):
    out = by_omradestyp(*toy, kinds=KINDS)
    m = _pick(out, "kommun", "0001", "medelloneinkomst", 2022)
    assert m.loc["4-5", "value"] == pytest.approx((300 * 200 + 500 * 100) / 300)
    assert m.loc["4-5", "status"] == "estimated"
    assert "befolkningsviktat närmevärde" in m.loc["4-5", "note"]
    assert m.loc["skillnad", "value"] == pytest.approx(200 / ((300 * 200 + 500 * 100) / 300))
    assert m.loc["skillnad", "unit"] == "kvot"


def test_mean_with_its_own_denominator_is_not_an_approximation(toy):
    values, areas = toy
    values = values.copy()
    inc = values["indicator"] == "medelloneinkomst"
    values.loc[inc, "denominator"] = 10.0  # ten earners behind every mean
    out = by_omradestyp(values, areas, kinds=KINDS)
    m = _pick(out, "kommun", "0001", "medelloneinkomst", 2022)
    assert m.loc["4-5", "value"] == pytest.approx((300 + 500) / 2)
    assert m.loc["4-5", "status"] == "ok"


def test_single_type_kommun_has_no_gap(toy):
    out = by_omradestyp(*toy, kinds=KINDS)
    k = _pick(out, "kommun", "0002", "andel_utrikes_fodda", 2023)
    assert k.loc["3", "value"] == pytest.approx(20.0)
    assert (k.drop(index="3")["status"] == "not_applicable").all()
    assert k.drop(index="3")["value"].isna().all()
    assert k.loc["skillnad", "note"].startswith("jämförelsen är inte möjlig")


def test_suppressed_input_propagates(toy):
    out = by_omradestyp(*toy, kinds=KINDS)
    k = _pick(out, "kommun", "0301", "andel_utrikes_fodda", 2023)
    assert math.isnan(k.loc["1", "value"]) and k.loc["1", "status"] == "missing"
    assert math.isnan(k.loc["skillnad", "value"]) and k.loc["skillnad", "status"] == "missing"
    r = _pick(out, "riket", "00", "andel_utrikes_fodda", 2023)
    # type 1-2 in riket 2023: 0001R001 (type 2, 60/100) and the suppressed 0301R001 (type 1)
    assert r.loc["1-2", "value"] == pytest.approx(60.0)
    assert r.loc["1-2", "status"] == "estimated"
    assert "1 av 2 RegSO" in r.loc["1-2", "note"]
    assert r.loc["skillnad", "status"] == "estimated"
    # the population count itself is complete
    assert _pick(out, "riket", "00", "befolkning", 2023).loc["1", "status"] == "ok"


def test_bad_type_raises(toy):
    values, areas = toy
    values = values.copy()
    values.loc[(values["indicator"] == "omradestyp") & (values["area_code"] == "0002R001"), "value"] = 7
    with pytest.raises(MeasureInputError, match="1–5"):
        by_omradestyp(values, areas, kinds=KINDS)


def test_unknown_kind_and_level_raise(toy):
    with pytest.raises(MeasureInputError, match="share, count eller mean"):
        by_omradestyp(*toy, kinds={"befolkning": "median"})
    with pytest.raises(MeasureInputError, match="okänd nivå"):
        by_omradestyp(*toy, kinds=KINDS, levels=["regso"])


def test_docstring_example_and_module_job():
    import doctest

    from barometer.measures import by_omradestyp as module

    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
    assert module.__doc__.strip().splitlines()[0].endswith(".")
