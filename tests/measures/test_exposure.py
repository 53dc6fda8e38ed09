"""Isolation xPx, exposure xPy and share P: hand-computed values and degenerate cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from barometer.measures import exposure, isolation, share

from .conftest import kommun_frame


def test_hand_computed_values(toy):
    xpx = isolation(toy, group="a", total="t")
    xpy = exposure(toy, group="a", total="t")
    p = share(toy, group="a", total="t")
    # 0001: xPx = .1·.1 + .2·.2 + .7·.7 = 0.54; xPy = .1·.9 + .2·.8 + .7·.3 = 0.46; P = 100/300
    assert xpx[("0001", 2022)] == pytest.approx(0.54, abs=1e-12)
    assert xpy[("0001", 2022)] == pytest.approx(0.46, abs=1e-12)
    assert p[("0001", 2022)] == pytest.approx(1 / 3, abs=1e-12)
    # 0002 (A = 50): xPx = (5/50)(5/50) + 0 + (45/50)(45/150) = 0.01 + 0.27 = 0.28
    #                 xPy = 0.1·0.9 + 0 + 0.9·0.7 = 0.72; P = 50/300
    assert xpx[("0002", 2023)] == pytest.approx(0.28, abs=1e-12)
    assert xpy[("0002", 2023)] == pytest.approx(0.72, abs=1e-12)
    assert p[("0002", 2023)] == pytest.approx(1 / 6, abs=1e-12)


def test_isolation_plus_exposure_is_one(toy):
    total = isolation(toy, group="a", other="b") + exposure(toy, group="a", other="b")
    np.testing.assert_allclose(total.to_numpy(), 1.0, atol=1e-14)


def test_exposure_with_a_third_group():
    # x = 10, 40; y = 30, 10; t = 100, 100 (others 60, 50); X = 50
    # xPy = (10/50)(30/100) + (40/50)(10/100) = 0.06 + 0.08 = 0.14
    df = pd.DataFrame({"kommun_code": "0001", "year": 2023, "area_code": ["R1", "R2"],
                       "x": [10, 40], "y": [30, 10], "t": [100, 100]})
    assert exposure(df, group="x", other="y", total="t").iloc[0] == pytest.approx(0.14, abs=1e-12)


def test_one_area_isolation_is_share():
    df = kommun_frame([30], [120])
    assert isolation(df, group="a", total="t").iloc[0] == pytest.approx(0.25)
    assert exposure(df, group="a", total="t").iloc[0] == pytest.approx(0.75)
    assert share(df, group="a", total="t").iloc[0] == pytest.approx(0.25)


def test_empty_group():
    df = kommun_frame([0, 0], [100, 100])
    for fn in (isolation, exposure):
        out = fn(df, group="a", total="t", notes=True)
        assert np.isnan(out["value"].iloc[0])
        assert "gruppen är tom" in out["note"].iloc[0]
    assert share(df, group="a", total="t").iloc[0] == 0.0


def test_group_is_everyone():
    df = kommun_frame([100, 50], [100, 50])
    assert isolation(df, group="a", total="t").iloc[0] == pytest.approx(1.0)
    out = exposure(df, group="a", total="t", notes=True)
    assert out["value"].iloc[0] == 0.0
    assert "den andra gruppen saknas" in out["note"].iloc[0]


def test_all_of_group_in_one_area():
    # a = 0, 0, 30 in areas of 100: xPx = 1·0.3 = 0.3, xPy = 0.7
    df = kommun_frame([0, 0, 30], [100, 100, 100])
    assert isolation(df, group="a", total="t").iloc[0] == pytest.approx(0.3)
    assert exposure(df, group="a", total="t").iloc[0] == pytest.approx(0.7)


def test_zero_total_area_and_nan_area():
    ref = kommun_frame([10, 20, 70], [100, 100, 100])
    df = kommun_frame([10, 20, 70, 0, np.nan], [100, 100, 100, 0, 40])
    for fn in (isolation, exposure, share):
        out = fn(df, group="a", total="t", notes=True)
        assert out["value"].iloc[0] == pytest.approx(fn(ref, group="a", total="t").iloc[0], abs=1e-15)
        assert out["n_areas"].iloc[0] == 3
        assert out["n_excluded"].iloc[0] == 1


def test_share_no_population_is_nan():
    out = share(kommun_frame([0], [0]), group="a", total="t", notes=True)
    assert np.isnan(out["value"].iloc[0])
    assert "ingen befolkning" in out["note"].iloc[0]
