"""Within-kommun contrasts: extremes with ties, spread, single-district kommuner."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from barometer.measures import extremes, spread


def _districts():
    # Kommun 0001: turnout 711/858 and 948/1144 are the same fraction (a true tie at the bottom),
    # 90.0 at the top. Kommun 0002: a single district. Kommun 0003: a NaN district.
    return pd.DataFrame({
        "kommun_code": ["0001", "0001", "0001", "0002", "0003", "0003"], "year": 2022,
        "area_code": ["00010101", "00010102", "00010103", "00020101", "00030101", "00030102"],
        "name": ["Norr", "Syd", "Väst", "Enda", "A", "B"],
        "turnout": [100 * 711 / 858, 100 * 948 / 1144, 90.0, 75.0, 80.0, np.nan],
    })


def test_ties_all_returned_in_code_order():
    ext = extremes(_districts(), value="turnout")
    low = ext[(ext.kommun_code == "0001") & (ext.end == "lagst")]
    assert low["area_code"].tolist() == ["00010101", "00010102"]
    assert low["n_tied"].tolist() == [2, 2]
    assert low["note"].str.contains("delad plats").all()
    high = ext[(ext.kommun_code == "0001") & (ext.end == "hogst")]
    assert high["name"].tolist() == ["Väst"]


def test_single_district():
    ext = extremes(_districts(), value="turnout")
    one = ext[ext.kommun_code == "0002"]
    assert one["end"].tolist() == ["hogst", "lagst"] and (one["area_code"] == "00020101").all()
    s = spread(_districts(), value="turnout", unit_word="valdistrikt")
    assert s.loc[("0002", 2022), "spread"] == 0.0
    assert s.loc[("0002", 2022), "note"] == "bara ett valdistrikt: spridningen är 0"


def test_spread_by_hand_and_nan():
    s = spread(_districts(), value="turnout")
    # 0001: 90 − 82.867133 = 7.132867 pp; ratio 90 / 82.867133
    assert s.loc[("0001", 2022), "spread"] == pytest.approx(90 - 100 * 711 / 858, abs=1e-9)
    assert s.loc[("0001", 2022), "ratio"] == pytest.approx(90 / (100 * 711 / 858), abs=1e-9)
    assert s.loc[("0003", 2022), "n_excluded"] == 1
    assert "utan värde" in s.loc[("0003", 2022), "note"]


def test_extremes_on_real_data(all_measures):
    k = all_measures[(all_measures.level == "kommun") & (all_measures.year == 2022)]
    vellinge = k[(k.kommun_kod == "1233") & (k.measure == "min_valdeltagande_riksdag")].iloc[0]
    assert vellinge["omrade_kod"] == "12330403; 12330601"  # both tied districts, code order
    assert "delad plats" in vellinge["note"]
    for code in ("2403", "2506"):  # Bjurholm, Arjeplog: one district each
        row = k[(k.kommun_kod == code) & (k.measure == "spread_valdeltagande_riksdag_pp")].iloc[0]
        assert row["value"] == 0.0 and row["n_areas"] == 1
        assert "bara ett valdistrikt" in row["note"]
    spreads = k[k.measure == "spread_valdeltagande_riksdag_pp"]
    assert (spreads["value"] >= 0).all() and len(spreads) == 290
    ratio = k[k.measure == "inkomstkvot_max_min_ej_oji"]
    hi = k[k.measure == "max_medelloneinkomst"].set_index("kommun_kod")["value"]
    lo = k[k.measure == "min_medelloneinkomst"].set_index("kommun_kod")["value"]
    np.testing.assert_allclose(ratio.set_index("kommun_kod")["value"].sort_index(),
                               (hi / lo).sort_index(), rtol=1e-12)
