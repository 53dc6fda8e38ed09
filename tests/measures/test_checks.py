"""Shared input checks: bad inputs raise MeasureInputError naming the areas; keys and vectorisation."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from barometer.exceptions import BarometerError, MeasureInputError
from barometer.measures import (
    dissimilarity,
    exposure,
    isolation,
    multigroup_theil,
    ojamlikhetsindex,
    share,
    theil,
)
from barometer.measures._groups import make_groups

from .conftest import kommun_frame

TWO_GROUP = [dissimilarity, theil, isolation, exposure, share]


@pytest.mark.parametrize("fn", TWO_GROUP)
@pytest.mark.parametrize("a,t,problem", [
    ([10, -1, 5], [100, 100, 100], "negativa"),
    ([10, 5, 5], [100, -100, 100], "negativa"),
    ([10, 150, 5], [100, 100, 100], "större än totalen"),
    ([10, np.inf, 5], [100, 100, 100], "oändliga"),
])
def test_bad_counts_raise(fn, a, t, problem):
    with pytest.raises(MeasureInputError) as err:
        fn(kommun_frame(a, t), group="a", total="t")
    assert problem in str(err.value)
    assert err.value.areas == ["0001R002"]  # the message and the attribute name the bad area


@pytest.mark.parametrize("fn", TWO_GROUP)
def test_missing_column(fn):
    with pytest.raises(MeasureInputError, match="'nope' saknas"):
        fn(kommun_frame([1], [2]), group="nope", total="t")


@pytest.mark.parametrize("fn", TWO_GROUP)
def test_missing_key(fn):
    with pytest.raises(MeasureInputError, match="nyckelkolumnerna"):
        fn(kommun_frame([1], [2]), group="a", total="t", by=("lan_code", "year"))


@pytest.mark.parametrize("fn", TWO_GROUP)
def test_needs_total_or_other(fn):
    with pytest.raises(MeasureInputError, match="total"):
        fn(kommun_frame([1], [2]), group="a")


def test_non_numeric_column():
    df = kommun_frame([1, 2], [3, 4]).assign(a=["1", "x"])
    with pytest.raises(MeasureInputError, match="annat än tal"):
        dissimilarity(df, group="a", total="t")


def test_negative_in_multigroup_and_oji():
    df = pd.DataFrame({"kommun_code": "0001", "year": 2023, "area_code": ["R1", "R2"],
                       "x": [1, -2], "y": [3, 4]})
    with pytest.raises(MeasureInputError):
        multigroup_theil(df, groups=["x", "y"])
    with pytest.raises(MeasureInputError):
        ojamlikhetsindex(df, low="x", high="y")
    with pytest.raises(MeasureInputError, match="minst två"):
        multigroup_theil(df, groups=["x"])


def test_other_plus_group_above_total():
    df = pd.DataFrame({"kommun_code": "0001", "year": 2023, "area_code": ["R1"],
                       "x": [60], "y": [50], "t": [100]})
    with pytest.raises(MeasureInputError, match="större än totalen"):
        exposure(df, group="x", other="y", total="t")


def test_missing_key_value_raises():
    df = kommun_frame([1, 2], [3, 4]).assign(kommun_code=["0001", None])
    with pytest.raises(MeasureInputError, match="saknade värden"):
        dissimilarity(df, group="a", total="t")


def test_error_is_barometer_and_value_error_and_pickles():
    with pytest.raises(ValueError) as err:
        dissimilarity(kommun_frame([5, -1], [10, 10]), group="a", total="t")
    assert isinstance(err.value, BarometerError)
    again = pickle.loads(pickle.dumps(err.value))
    assert str(again) == str(err.value) and again.areas == err.value.areas


def test_vectorised_equals_per_unit(toy):
    # One call over all kommuner × years equals separate calls on each subset.
    for fn in (*TWO_GROUP,):
        together = fn(toy, group="a", total="t")
        for (kommun, year), value in together.items():
            alone = fn(toy[(toy.kommun_code == kommun) & (toy.year == year)], group="a", total="t")
            assert alone.iloc[0] == pytest.approx(value, abs=1e-15)


def test_row_order_does_not_matter(toy):
    shuffled = toy.sample(frac=1.0, random_state=3)
    for fn in TWO_GROUP:
        pd.testing.assert_series_equal(fn(toy, group="a", total="t"), fn(shuffled, group="a", total="t"))


def test_groups_keys_sorted_and_decoded():
    df = pd.DataFrame({"k": ["b", "a", "b", "c"], "y": [2, 1, 1, 2]})
    g = make_groups(df, ("k", "y"))
    assert list(g.keys) == [("a", 1), ("b", 1), ("b", 2), ("c", 2)]
    assert [g.keys[c] for c in g.codes] == list(zip(df.k, df.y))
    np.testing.assert_array_equal(g.sum([1, 2, 3, 4]), [2, 3, 1, 4])


def test_single_key_string():
    out = dissimilarity(kommun_frame([10, 20, 70], [100, 100, 100]), group="a", total="t", by="kommun_code")
    assert out.index.name == "kommun_code"


def test_no_global_numpy_state_change():
    before = np.geterr()
    dissimilarity(kommun_frame([0, 0], [0, 0]), group="a", total="t")
    theil(kommun_frame([0, 0], [0, 0]), group="a", total="t")
    assert np.geterr() == before


# --- issue 12: every stated precondition is checked, naming the unit and the area -------------

def _abcc():
    """Areas A, B, C and C again: group 10, 20, 70, 70; totals 100 each."""
    return pd.DataFrame({"kommun_code": "0001", "year": 2023, "area_code": ["A", "B", "C", "C"],
                         "a": [10.0, 20.0, 70.0, 70.0], "t": [100.0] * 4})


def test_repeated_area_is_refused_not_counted_twice():
    df = _abcc()
    with pytest.raises(MeasureInputError) as err:
        dissimilarity(df, group="a", total="t")
    assert err.value.areas == ["C"]
    assert err.value.units == ["kommun_code=0001, year=2023"]
    assert "C" in str(err.value) and "year=2023" in str(err.value)
    # Without the repeated row: D = 0.5 * (|10/100 - 90/200| + |20/100 - 80/200| + |70/100 - 30/200|)
    # = 0.5 * (0.35 + 0.20 + 0.55) = 0.55 over 3 areas.
    d = dissimilarity(df.drop_duplicates("area_code"), group="a", total="t")
    assert d.iloc[0] == pytest.approx(0.55)


@pytest.mark.parametrize("fn", TWO_GROUP)
def test_repeated_area_refused_by_every_two_group_measure(fn):
    with pytest.raises(MeasureInputError, match="flera gånger"):
        fn(_abcc(), group="a", total="t")


def test_repeated_area_refused_by_multigroup_contrasts_types_income():
    from barometer.measures import extremes, inkomstspridning, omradestyp_summary, spread

    df = _abcc().assign(b=lambda d: d["t"] - d["a"], typ=[1, 2, 3, 3], m=[200.0, 300.0, 400.0, 400.0])
    calls = [
        lambda: multigroup_theil(df, groups=["a", "b"]),
        lambda: ojamlikhetsindex(df, low="a", high="b"),
        lambda: extremes(df, value="a"),
        lambda: spread(df, value="a"),
        lambda: omradestyp_summary(df, typ="typ", population="t"),
        lambda: inkomstspridning(df, mean="m", weight="t"),
    ]
    for call in calls:
        with pytest.raises(MeasureInputError) as err:
            call()
        assert err.value.areas == ["C"] and err.value.units == ["kommun_code=0001, year=2023"]


def test_same_area_in_two_units_is_fine():
    """One row per area *and unit*: the same RegSO in 2022 and 2023 is two units, not a repeat."""
    df = pd.concat([_abcc().iloc[:3], _abcc().iloc[:3].assign(year=2022)])
    d = dissimilarity(df, group="a", total="t")
    assert d.tolist() == pytest.approx([0.55, 0.55])


def test_repeated_index_without_area_column():
    df = _abcc().set_index("area_code")
    with pytest.raises(MeasureInputError, match="flera gånger"):
        dissimilarity(df, group="a", total="t", area=None)


@pytest.mark.parametrize("values", [["10", "20", "70"], [True, False, True]])
def test_text_and_booleans_are_not_counts(values):
    df = kommun_frame([1, 2, 3], [100, 100, 100]).assign(a=values)
    with pytest.raises(MeasureInputError, match="annat än tal"):
        dissimilarity(df, group="a", total="t")


def test_object_column_names_the_unit_and_area_of_the_text():
    df = kommun_frame([1, 2, 3], [100, 100, 100]).assign(a=pd.Series([1.0, "2,5", None], dtype=object))
    with pytest.raises(MeasureInputError) as err:
        theil(df, group="a", total="t")
    assert err.value.areas == ["0001R002"] and err.value.units == ["kommun_code=0001, year=2023"]


def test_object_column_of_numbers_and_none_is_accepted():
    df = kommun_frame([1, 2, 3], [100, 100, 100]).assign(a=pd.Series([10, 20.0, None], dtype=object))
    assert dissimilarity(df, group="a", total="t").notna().all()


def test_negative_and_over_total_name_the_unit():
    df = pd.concat([kommun_frame([10, 20], [100, 100]), kommun_frame([5, -1], [50, 50], kommun="0002")])
    with pytest.raises(MeasureInputError) as err:
        dissimilarity(df, group="a", total="t")
    assert err.value.areas == ["0002R002"] and err.value.units == ["kommun_code=0002, year=2023"]
    df = kommun_frame([10, 200], [100, 100])
    with pytest.raises(MeasureInputError) as err:
        share(df, group="a", total="t")
    assert "kommun_code=0001, year=2023" in str(err.value)


def test_measure_input_error_pickles_with_units():
    err = MeasureInputError("x", areas=["A"], units=["kommun_code=0001"])
    back = pickle.loads(pickle.dumps(err))
    assert back.units == ["kommun_code=0001"] and str(back) == str(err)


def test_spatial_indices_share_the_preconditions():
    gpd = pytest.importorskip("geopandas")
    pytest.importorskip("segregation")
    from shapely.geometry import box

    from barometer.measures.spatial import spatial_indices_frame

    squares = [box(i * 1000, 0, (i + 1) * 1000, 1000) for i in (0, 1, 2, 2)]
    gdf = gpd.GeoDataFrame({"code": ["A", "B", "C", "C"], "a": [10, 20, 70, 70], "t": [100] * 4},
                           geometry=squares, crs=3006)
    with pytest.raises(MeasureInputError) as err:
        spatial_indices_frame(gdf, "a", "t", indices=["SpatialDissim"])
    assert err.value.areas == ["C"]
    with pytest.raises(MeasureInputError, match="annat än tal"):
        spatial_indices_frame(gdf.iloc[:3].assign(a=["10", "20", "70"]), "a", "t", indices=["SpatialDissim"])
