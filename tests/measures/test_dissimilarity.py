"""Dissimilarity D: hand-computed values, degenerate cases, vectorisation over kommun × year."""

from __future__ import annotations

import numpy as np
import pytest

from barometer.measures import dissimilarity

from .conftest import kommun_frame


def test_hand_computed_values(toy):
    d = dissimilarity(toy, group="a", total="t")
    # 0001: A = 100, B = 200: ½(|0.10 − 0.45| + |0.20 − 0.40| + |0.70 − 0.15|) = ½·1.10 = 0.55
    assert d[("0001", 2022)] == pytest.approx(0.55, abs=1e-12)
    # 0002: A = 50, B = 250: ½(|0.1 − 0.18| + |0 − 0.4| + |0.9 − 0.42|) = ½·0.96 = 0.48
    assert d[("0002", 2023)] == pytest.approx(0.48, abs=1e-12)
    assert d.name == "D"
    assert list(d.index.names) == ["kommun_code", "year"]
    assert len(d) == 4  # 2 kommuner × 2 years in one call


def test_two_group_form_equals_total_form(toy):
    by_total = dissimilarity(toy, group="a", total="t")
    by_other = dissimilarity(toy, group="a", other="b")
    np.testing.assert_allclose(by_total.to_numpy(), by_other.to_numpy(), rtol=0, atol=1e-15)


def test_symmetric_in_the_two_groups(toy):
    np.testing.assert_allclose(dissimilarity(toy, group="a", other="b").to_numpy(),
                               dissimilarity(toy, group="b", other="a").to_numpy(), atol=1e-15)


def test_textbook_form_agrees(toy):
    # D = Σ t_i |p_i − P| / (2 T P (1 − P)) on kommun 0002: P = 1/6,
    # Σ t_i|p_i − P| = 50·|0.1 − 1/6| + 100·(1/6) + 150·|0.3 − 1/6| = 3.333 + 16.667 + 20 = 40
    # 2·300·(1/6)·(5/6) = 83.333 → 0.48
    d = dissimilarity(toy, group="a", total="t")
    assert d[("0002", 2022)] == pytest.approx(40 / (2 * 300 * (1 / 6) * (5 / 6)), abs=1e-12)


def test_scale_100():
    d = dissimilarity(kommun_frame([10, 20, 70], [100, 100, 100]), group="a", total="t", scale=100)
    assert d.iloc[0] == pytest.approx(55.0)


def test_one_area_is_zero_with_note():
    out = dissimilarity(kommun_frame([30], [100]), group="a", total="t", notes=True)
    assert out["value"].iloc[0] == 0.0
    assert out["n_areas"].iloc[0] == 1
    assert "bara ett område" in out["note"].iloc[0]
    assert "färre än 3" in out["note"].iloc[0]


def test_empty_group_is_nan_with_reason():
    out = dissimilarity(kommun_frame([0, 0, 0], [100, 200, 300]), group="a", total="t", notes=True)
    assert np.isnan(out["value"].iloc[0])
    assert "gruppen är tom" in out["note"].iloc[0]


def test_group_equals_total_is_nan_with_reason():
    out = dissimilarity(kommun_frame([100, 200], [100, 200]), group="a", total="t", notes=True)
    assert np.isnan(out["value"].iloc[0])
    assert "alla tillhör gruppen" in out["note"].iloc[0]


def test_all_of_group_in_one_area():
    # a = 0, 0, 30; b = 100, 100, 70 (B = 270): ½(100/270 + 100/270 + |1 − 70/270|) = 1 − 70/270
    d = dissimilarity(kommun_frame([0, 0, 30], [100, 100, 100]), group="a", total="t")
    assert d.iloc[0] == pytest.approx(1 - 70 / 270, abs=1e-12)


def test_complete_separation_is_one():
    assert dissimilarity(kommun_frame([50, 0], [50, 80]), group="a", total="t").iloc[0] == pytest.approx(1.0)


def test_zero_total_area_contributes_nothing():
    base = dissimilarity(kommun_frame([10, 20, 70], [100, 100, 100]), group="a", total="t")
    out = dissimilarity(kommun_frame([10, 20, 70, 0], [100, 100, 100, 0]), group="a", total="t", notes=True)
    assert out["value"].iloc[0] == pytest.approx(base.iloc[0], abs=1e-15)
    assert out["n_areas"].iloc[0] == 3
    assert "total 0" in out["note"].iloc[0]


def test_nan_area_is_excluded_not_zero():
    base = dissimilarity(kommun_frame([10, 20, 70], [100, 100, 100]), group="a", total="t")
    with_nan = kommun_frame([10, 20, 70, np.nan], [100, 100, 100, 500])
    out = dissimilarity(with_nan, group="a", total="t", notes=True)
    # Treating the NaN as 0 would give a different D (an area of 500 with no group members).
    as_zero = dissimilarity(kommun_frame([10, 20, 70, 0], [100, 100, 100, 500]), group="a", total="t")
    assert out["value"].iloc[0] == pytest.approx(base.iloc[0], abs=1e-15)
    assert out["value"].iloc[0] != pytest.approx(as_zero.iloc[0])
    assert out["n_excluded"].iloc[0] == 1
    assert "1 område uteslutet" in out["note"].iloc[0]


def test_series_carries_notes_in_attrs():
    d = dissimilarity(kommun_frame([10, np.nan, 70], [100, 100, 100]), group="a", total="t")
    (note,) = d.attrs["notes"].values()
    assert "saknade antal" in note


def test_small_area_note():
    out = dissimilarity(kommun_frame([10, 20, 30, 5], [100, 200, 300, 50]), group="a", total="t", notes=True)
    assert "1 område med färre än 100 personer" in out["note"].iloc[0]


def test_unit_with_no_population_is_nan():
    out = dissimilarity(kommun_frame([0, 0], [0, 0]), group="a", total="t", notes=True)
    assert np.isnan(out["value"].iloc[0])
    assert "ingen befolkning" in out["note"].iloc[0]
