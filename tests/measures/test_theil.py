"""Theil's H (two-group and multigroup): hand-computed values and degenerate cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from barometer.measures import multigroup_theil, theil
from barometer.measures.theil import entropy

from .conftest import kommun_frame


def E(p):
    return -(p * math.log(p) + (1 - p) * math.log(1 - p)) if 0 < p < 1 else 0.0


def test_hand_computed_values(toy):
    h = theil(toy, group="a", total="t")
    # 0001: P = 1/3; E(P) = 0.636514; Σ t_i E(p_i) = 100·(E(.1) + E(.2) + E(.7))
    #       = 100·(0.325083 + 0.500402 + 0.610864) = 143.6350; H = 1 − 143.6350/(300·0.636514) = 0.247804
    expected_1 = 1 - 100 * (E(0.1) + E(0.2) + E(0.7)) / (300 * E(1 / 3))
    assert expected_1 == pytest.approx(0.247804, abs=1e-6)
    assert h[("0001", 2022)] == pytest.approx(expected_1, abs=1e-12)
    # 0002: P = 1/6; E(P) = 0.450561; Σ t_i E(p_i) = 50·E(.1) + 100·E(0) + 150·E(.3)
    #       = 16.2541 + 0 + 91.6296 = 107.8838; H = 1 − 107.8838/(300·0.450561) = 0.201856
    expected_2 = 1 - (50 * E(0.1) + 150 * E(0.3)) / (300 * E(1 / 6))
    assert expected_2 == pytest.approx(0.201856, abs=1e-6)
    assert h[("0002", 2023)] == pytest.approx(expected_2, abs=1e-12)


def test_entropy_edges():
    np.testing.assert_allclose(entropy(np.array([0.0, 1.0, 0.5])), [0.0, 0.0, math.log(2)])


def test_symmetric(toy):
    np.testing.assert_allclose(theil(toy, group="a", other="b").to_numpy(),
                               theil(toy, group="b", other="a").to_numpy(), atol=1e-14)


def test_multigroup_with_two_groups_equals_two_group(toy):
    two = theil(toy, group="a", other="b")
    multi = multigroup_theil(toy, groups=["a", "b"])
    np.testing.assert_allclose(two.to_numpy(), multi.to_numpy(), atol=1e-14)


def test_multigroup_hand_computed():
    # hyr = 10, 10, 50; br = 20, 20, 0; ag = 70, 70, 0 (T = 250)
    # π_k = (70, 40, 140)/250 = (0.28, 0.16, 0.56); E = −Σ π ln π = 0.974342
    # areas 1, 2 (t = 100): 10 ln(0.1/0.28) + 20 ln(0.2/0.16) + 70 ln(0.7/0.56) = −10.2962 + 4.4629 + 15.6201 = 9.7868
    # area 3 (t = 50): 50 ln(1/0.28) = 63.6483; Σ = 2·9.7868 + 63.6483 = 83.2219
    # H = 83.2219 / (250 · 0.974342) = 0.341653
    df = pd.DataFrame({"kommun_code": "0001", "year": 2023, "area_code": ["R1", "R2", "R3"],
                       "hyr": [10, 10, 50], "br": [20, 20, 0], "ag": [70, 70, 0]})
    pi = np.array([70, 40, 140]) / 250
    E_ = -(pi * np.log(pi)).sum()
    s = 2 * (10 * math.log(0.1 / 0.28) + 20 * math.log(0.2 / 0.16) + 70 * math.log(0.7 / 0.56)) \
        + 50 * math.log(1 / 0.28)
    assert s / (250 * E_) == pytest.approx(0.341653, abs=1e-6)
    h = multigroup_theil(df, groups=["hyr", "br", "ag"])
    assert h.iloc[0] == pytest.approx(s / (250 * E_), abs=1e-12)


def test_complete_separation_is_one():
    assert theil(kommun_frame([50, 0], [50, 80]), group="a", total="t").iloc[0] == pytest.approx(1.0)


def test_one_area_zero():
    out = theil(kommun_frame([30], [100]), group="a", total="t", notes=True)
    assert out["value"].iloc[0] == pytest.approx(0.0, abs=1e-15)
    assert "bara ett område" in out["note"].iloc[0]


@pytest.mark.parametrize("a,t,reason", [
    ([0, 0, 0], [100, 100, 100], "gruppen är tom"),
    ([100, 100], [100, 100], "alla tillhör gruppen"),
    ([0, 0], [0, 0], "ingen befolkning"),
])
def test_undefined_cases(a, t, reason):
    out = theil(kommun_frame(a, t), group="a", total="t", notes=True)
    assert np.isnan(out["value"].iloc[0])
    assert reason in out["note"].iloc[0]


def test_multigroup_one_group_present_is_nan():
    df = pd.DataFrame({"kommun_code": "0001", "year": 2023, "area_code": ["R1", "R2"],
                       "x": [10, 20], "y": [0, 0], "z": [0, 0]})
    out = multigroup_theil(df, groups=["x", "y", "z"], notes=True)
    assert np.isnan(out["value"].iloc[0])
    assert "bara en grupp" in out["note"].iloc[0]


def test_multigroup_nan_row_excluded():
    df = pd.DataFrame({"kommun_code": "0001", "year": 2023, "area_code": ["R1", "R2", "R3"],
                       "x": [10, 20, np.nan], "y": [5, 30, 7]})
    out = multigroup_theil(df, groups=["x", "y"], notes=True)
    ref = multigroup_theil(df.iloc[:2], groups=["x", "y"])
    assert out["value"].iloc[0] == pytest.approx(ref.iloc[0], abs=1e-15)
    assert out["n_excluded"].iloc[0] == 1


def test_all_in_one_area():
    # a = 0, 0, 30; t = 100 each: P = 0.1; Σ t_i E(p_i) = 100·E(0.3); H = 1 − 100·E(.3)/(300·E(.1))
    h = theil(kommun_frame([0, 0, 30], [100, 100, 100]), group="a", total="t")
    assert h.iloc[0] == pytest.approx(1 - 100 * E(0.3) / (300 * E(0.1)), abs=1e-12)
