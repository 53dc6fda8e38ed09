"""Ojämlikhetsindex (official definition on quintile counts) and the labelled stand-in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from barometer.measures import dissimilarity, inkomstspridning, ojamlikhetsindex
from barometer.measures.ojamlikhet import STAND_IN_NOTE


def _quintiles():
    # Kommun 0001 (three RegSO): L = 50, 30, 20 (L = 100); H = 10, 30, 60 (H = 100)
    # Kommun 0002 (three RegSO): L = 40, 40, 20 (L = 100); H = 40, 40, 20 (same spread)
    # Län 01 holds both kommuner.
    return pd.DataFrame({
        "kommun_code": ["0001"] * 3 + ["0002"] * 3, "lan_code": "01", "year": 2023,
        "area_code": ["0001R001", "0001R002", "0001R003", "0002R001", "0002R002", "0002R003"],
        "q1": [50, 30, 20, 40, 40, 20], "q5": [10, 30, 60, 40, 40, 20],
    })


def test_official_definition_by_hand():
    oji = ojamlikhetsindex(_quintiles(), low="q1", high="q5")
    # 0001: 100·½(|.5 − .1| + |.3 − .3| + |.2 − .6|) = 100·½·0.8 = 40
    assert oji[("0001", 2023)] == pytest.approx(40.0, abs=1e-12)
    # 0002: identical distributions → 0
    assert oji[("0002", 2023)] == pytest.approx(0.0, abs=1e-12)
    assert oji.name == "ojamlikhetsindex"


def test_lan_level_by_hand():
    oji = ojamlikhetsindex(_quintiles(), low="q1", high="q5", by=("lan_code", "year"))
    # Län: L = 200, H = 200 over six areas:
    # ½(|.25−.05| + |.15−.15| + |.10−.30| + |.20−.20| + |.20−.20| + |.10−.10|)·100 = ½·0.4·100 = 20
    assert oji[("01", 2023)] == pytest.approx(20.0, abs=1e-12)


def test_oji_is_d_times_100():
    q = _quintiles()
    np.testing.assert_allclose(ojamlikhetsindex(q, low="q1", high="q5").to_numpy(),
                               100 * dissimilarity(q, group="q1", other="q5").to_numpy(), atol=1e-12)


def test_oji_degenerate():
    q = _quintiles().assign(q5=0)
    out = ojamlikhetsindex(q, low="q1", high="q5", notes=True)
    assert out["value"].isna().all()
    one = ojamlikhetsindex(_quintiles().iloc[[0]], low="q1", high="q5")
    assert one.iloc[0] == 0.0


def test_stand_in_by_hand():
    df = pd.DataFrame({"kommun_code": "0001", "year": 2023,
                       "area_code": ["R1", "R2", "R3"], "m": [200.0, 300.0, 500.0], "w": [100, 300, 100]})
    out = inkomstspridning(df, mean="m", weight="w").iloc[0]
    # m̄ = (200·100 + 300·300 + 500·100)/500 = 320
    # var = (100·120² + 300·20² + 100·180²)/500 = (1,440,000 + 120,000 + 3,240,000)/500 = 9,600
    # cv = sqrt(9600)/320 = 97.980/320 = 0.306186; kvot = 500/200 = 2.5
    assert out["inkomstspridning_cv_ej_oji"] == pytest.approx(np.sqrt(9600) / 320, abs=1e-12)
    assert out["inkomstkvot_max_min_ej_oji"] == pytest.approx(2.5)
    assert out["note"].startswith(STAND_IN_NOTE)
    assert "inte det officiella" in out["note"]


def test_stand_in_degenerate():
    one = pd.DataFrame({"kommun_code": "0001", "year": 2023, "area_code": ["R1"], "m": [250.0], "w": [900]})
    out = inkomstspridning(one, mean="m", weight="w").iloc[0]
    assert out["inkomstspridning_cv_ej_oji"] == 0.0 and out["inkomstkvot_max_min_ej_oji"] == 1.0
    assert "färre än 3" in out["note"]
    nan = pd.DataFrame({"kommun_code": "0001", "year": 2023, "area_code": ["R1", "R2", "R3"],
                        "m": [250.0, np.nan, 500.0], "w": [900, 900, 900]})
    out = inkomstspridning(nan, mean="m", weight="w").iloc[0]
    assert out["inkomstkvot_max_min_ej_oji"] == 2.0 and out["n_excluded"] == 1
    assert "1 område uteslutet" in out["note"]


def test_stand_in_is_labelled_on_real_data(all_measures):
    rows = all_measures[all_measures.measure.str.contains("inkomst") & all_measures.measure.str.endswith("_ej_oji")]
    assert len(rows) > 0
    assert rows["note"].str.contains("inte det officiella ojämlikhetsindexet").all()
    assert not all_measures.measure.str.contains("ojamlikhetsindex").any()
