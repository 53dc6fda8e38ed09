"""compute_all on the real store: shape, levels, consistency with the store, notes, errors."""

from __future__ import annotations

import re

import numpy as np
import pytest

from barometer.exceptions import UnknownAreaError, YearOutOfRangeError
from barometer.measures import compute as compute_mod
from barometer.measures.compute import COLUMNS, MEASURE_NAMES, compute_all, measure_table_markdown


def test_columns_and_one_row_per_unit_year_measure(all_measures):
    assert list(all_measures.columns) == COLUMNS
    assert not all_measures.duplicated(["level", "kommun_kod", "year", "measure"]).any()
    assert set(all_measures.level) == {"kommun", "lan", "riket"}
    assert all_measures.loc[all_measures.level == "kommun", "kommun_kod"].nunique() == 290
    assert all_measures.loc[all_measures.level == "lan", "kommun_kod"].nunique() == 21


def test_every_documented_measure_is_produced_and_nothing_else(all_measures):
    assert set(all_measures.measure) == {m.name for m in MEASURE_NAMES}
    for m in MEASURE_NAMES:
        rows = all_measures[all_measures.measure == m.name]
        assert set(rows.level) == set(m.levels), m.name


def test_module_table_is_in_sync():
    doc = compute_mod.__doc__
    table = re.search(r"MEASURE_TABLE_START\n(.*)\nMEASURE_TABLE_END", doc, re.S).group(1)
    assert table == measure_table_markdown()


@pytest.mark.parametrize("level", ["kommun", "lan", "riket"])
@pytest.mark.parametrize("indicator", ["andel_utrikes_fodda", "andel_hyresratt"])
def test_share_equals_published_share(all_measures, store, level, indicator):
    """P summed over RegSO equals the store's own kommun/län/riket share (same counts)."""
    from barometer.measures.inputs import long_values

    published = long_values(indicator, level).set_index(["area_code", "year"])["value"]
    ours = all_measures[(all_measures.level == level) & (all_measures.measure == indicator)]
    ours = ours.set_index(["kommun_kod", "year"])["value"]
    assert len(ours) > 0
    np.testing.assert_allclose(ours.to_numpy(), published.reindex(ours.index).to_numpy(), atol=1e-9)


def test_turnout_excludes_uppsamlingsdistrikt(all_measures, store):
    from barometer.measures.inputs import wide_counts

    wide = wide_counts("valdeltagande_riksdag", level="valdistrikt", field=["value", "numerator", "denominator"],
                       years=[2022])
    used = wide[(wide["area_code"].str[4:6] != "98") & (wide["denominator"] > 0)]
    riket = all_measures[(all_measures.level == "riket") & (all_measures.year == 2022)
                         & (all_measures.measure == "D_valdeltagande_riksdag")].iloc[0]
    assert riket["n_areas"] == len(used)
    assert "röster utan distrikt ingår inte" in riket["note"]


def test_values_in_range(all_measures):
    for prefix in ("D_", "H_", "xPx_", "xPy_"):
        v = all_measures.loc[all_measures.measure.str.startswith(prefix), "value"].dropna()
        assert ((v >= -1e-12) & (v <= 1 + 1e-12)).all(), prefix
    andel = all_measures.loc[all_measures.measure.str.contains("andel"), "value"].dropna()
    assert ((andel >= 0) & (andel <= 100)).all()


def test_isolation_at_least_share(all_measures):
    k = all_measures[all_measures.level == "kommun"].pivot_table(
        index=["kommun_kod", "year"], columns="measure", values="value")
    k = k[["xPx_utrikes_fodda", "andel_utrikes_fodda"]].dropna()
    assert len(k) == 290 * 4
    assert (k["xPx_utrikes_fodda"] >= k["andel_utrikes_fodda"] / 100 - 1e-12).all()


def test_small_kommun_is_noted(all_measures):
    d = all_measures[(all_measures.level == "kommun") & (all_measures.measure == "D_utrikes_fodda")]
    few = d[d.n_areas < 3]
    assert len(few) > 0 and few["note"].str.contains("färre än 3").all()


def test_tenure_rows_say_dwellings(all_measures):
    rows = all_measures[all_measures.measure.str.endswith("hyresratt") | (all_measures.measure == "H_upplatelseform")]
    assert rows["note"].str.contains("lägenheter, inte personer").all()


def test_one_kommun_by_name_with_lan_and_riket(store):
    out = compute_all(years=[2022], kommun="Malmö", levels=["kommun", "lan", "riket"])
    assert set(out.level) == {"kommun", "lan", "riket"}
    assert set(out.loc[out.level == "kommun", "kommun_kod"]) == {"1280"}
    assert set(out.loc[out.level == "lan", "kommun_kod"]) == {"12"}
    assert set(out.year) == {2022}
    only = compute_all(years=2018, kommun="1280")
    assert set(only.level) == {"kommun"} and set(only.year) == {2018}
    assert set(only.measure) <= {m.name for m in MEASURE_NAMES if "valdeltagande" in m.name}


@pytest.mark.parametrize("years", [[2017], [2024], ["tjugo"], [2022, 1999]])
def test_bad_year_raises(years, store):
    with pytest.raises(YearOutOfRangeError) as err:
        compute_all(years=years)
    assert 2022 in err.value.available


def test_unknown_kommun_raises(store):
    with pytest.raises(UnknownAreaError):
        compute_all(kommun="Atlantis")
