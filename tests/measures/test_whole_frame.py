"""``by=None`` / ``by=()``: an analyst's own counts form one unit; checked against hand-computed values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import barometer
from barometer.exceptions import MeasureInputError

# three areas of 100 persons: 10, 20 and 70 foreign-born (utr), the rest native-born (inr)
OWN = pd.DataFrame({"omr": ["A", "B", "C"], "utr": [10, 20, 70], "inr": [90, 80, 30]})


def _entropy(p):
    return -sum(x * math.log(x) for x in (p, 1 - p) if x > 0)


@pytest.mark.parametrize("by", [None, ()])
def test_two_group_measures_on_the_whole_frame(by):
    m = barometer.measures
    kw = dict(group="utr", other="inr", by=by, area="omr")
    d = m.dissimilarity(OWN, **kw)
    assert list(d.index) == ["alla"] and d.index.name == "enhet"
    assert d.item() == pytest.approx(0.5 * (abs(0.1 - 0.45) + abs(0.2 - 0.4) + abs(0.7 - 0.15)))  # 0.55
    assert m.isolation(OWN, **kw).item() == pytest.approx(0.1 * 0.1 + 0.2 * 0.2 + 0.7 * 0.7)  # 0.54
    assert m.exposure(OWN, **kw).item() == pytest.approx(0.1 * 0.9 + 0.2 * 0.8 + 0.7 * 0.3)  # 0.46
    assert m.share(OWN, **kw).item() == pytest.approx(1 / 3)
    e = _entropy(1 / 3)
    h = sum(100 * (e - _entropy(p)) for p in (0.1, 0.2, 0.7)) / (300 * e)
    assert m.theil(OWN, **kw).item() == pytest.approx(h)
    assert m.multigroup_theil(OWN, groups=["utr", "inr"], by=by, area="omr").item() == pytest.approx(h)
    frame = m.dissimilarity(OWN, **kw, notes=True)
    assert frame.loc["alla", "n_areas"] == 3 and frame.loc["alla", "value"] == pytest.approx(0.55)


def test_missing_key_columns_say_to_pass_by():
    with pytest.raises(MeasureInputError, match="by=") as err:
        barometer.measures.dissimilarity(OWN, group="utr", other="inr", area="omr")
    assert "kommun_code" in str(err.value) and "by=None" in str(err.value)


def test_bad_by_is_a_measure_input_error():
    with pytest.raises(MeasureInputError, match="by"):
        barometer.measures.dissimilarity(OWN, group="utr", other="inr", by=3, area="omr")
