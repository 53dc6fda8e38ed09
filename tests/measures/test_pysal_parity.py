"""Parity with PySAL `segregation` to 1e-9, on random fixtures and on real kommuner.

PySAL computes one region per call; we loop over regions here (test side only) and compare with
our one-call results. Dissim = D, Entropy = Theil's H (not the entropy E), Isolation = xPx,
Interaction = xPy with y = t − x, MultiInfoTheory = multigroup H.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from barometer.measures import dissimilarity, exposure, isolation, multigroup_theil, theil

segregation = pytest.importorskip("segregation")
from segregation.multigroup import MultiInfoTheory  # noqa: E402
from segregation.singlegroup import Dissim, Entropy, Interaction, Isolation  # noqa: E402

PAIRS = [(dissimilarity, Dissim), (theil, Entropy), (isolation, Isolation), (exposure, Interaction)]


def _pysal(cls, frame, group, total):
    with warnings.catch_warnings():  # local: PySAL warns about its own internals
        warnings.simplefilter("ignore")
        return cls(frame[[group, total]].reset_index(drop=True), group, total).statistic


def _random_counts(seed=7, n_kommuner=40):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 25, n_kommuner)
    kommun = np.repeat([f"{i:04d}" for i in range(n_kommuner)], sizes)
    t = rng.integers(0, 5000, len(kommun)).astype(float)
    t[rng.random(len(t)) < 0.05] = 0  # some empty areas
    share = rng.beta(0.8, 3.0, len(kommun))
    a = np.floor(t * share)
    return pd.DataFrame({"kommun_code": kommun, "year": 2023, "area_code": np.arange(len(kommun)).astype(str),
                         "a": a, "t": t})


@pytest.mark.parametrize("ours,theirs", PAIRS, ids=[p[1].__name__ for p in PAIRS])
def test_parity_random_fixtures(ours, theirs):
    df = _random_counts()
    result = ours(df, group="a", total="t")
    for (kommun, year), value in result.items():
        part = df[df.kommun_code == kommun]
        assert value == pytest.approx(_pysal(theirs, part, "a", "t"), abs=1e-9), kommun


def test_parity_multigroup_random():
    rng = np.random.default_rng(11)
    n = 60
    df = pd.DataFrame({"kommun_code": np.repeat(["0001", "0002", "0003"], n // 3), "year": 2023,
                       "area_code": np.arange(n).astype(str),
                       "x": rng.integers(1, 900, n), "y": rng.integers(1, 900, n), "z": rng.integers(1, 900, n)})
    ours = multigroup_theil(df, groups=["x", "y", "z"])
    for (kommun, _), value in ours.items():
        part = df[df.kommun_code == kommun].reset_index(drop=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = MultiInfoTheory(part, ["x", "y", "z"]).statistic
        assert value == pytest.approx(ref, abs=1e-9)


REAL_KOMMUNER = ["0180", "1280", "1480", "0114", "2403", "0380", "2584"]


@pytest.fixture(scope="module")
def foreign_born(store):
    from barometer.measures.inputs import wide_counts

    wide = wide_counts("befolkning", level="regso", groups=["utrikes_fodda", "inrikes_fodda", "totalt"])
    return wide.assign(t=wide["utrikes_fodda"] + wide["inrikes_fodda"])


@pytest.mark.parametrize("ours,theirs", PAIRS, ids=[p[1].__name__ for p in PAIRS])
def test_parity_real_foreign_born(foreign_born, ours, theirs):
    result = ours(foreign_born, group="utrikes_fodda", total="t")
    for kommun in REAL_KOMMUNER:
        for year in (2020, 2023):
            part = foreign_born[(foreign_born.kommun_code == kommun) & (foreign_born.year == year)]
            assert result[(kommun, year)] == pytest.approx(_pysal(theirs, part, "utrikes_fodda", "t"), abs=1e-9)


def test_parity_real_tenure_multigroup(store):
    from barometer.measures.inputs import wide_counts

    forms = ["hyresratt", "bostadsratt", "aganderatt"]
    wide = wide_counts("lagenheter", level="regso", groups=forms, years=[2023])
    ours = multigroup_theil(wide, groups=forms)
    for kommun in REAL_KOMMUNER:
        part = wide[wide.kommun_code == kommun][forms].reset_index(drop=True)
        if (part.sum() == 0).any():
            # A form absent from the whole kommun (Bjurholm has no bostadsrätt): PySAL's
            # E = Σ π_k ln(1/π_k) turns 0·inf into NaN; we use 0·ln 0 = 0, so the form drops out
            # and H equals H over the forms present (checked in the next test).
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = MultiInfoTheory(part, forms).statistic
        assert ours[(kommun, 2023)] == pytest.approx(ref, abs=1e-9)


def test_real_totals_are_consistent(foreign_born):
    # utrikes + inrikes = totalt in every RegSO (so the two-group form and total form agree)
    assert (foreign_born["t"] == foreign_born["totalt"]).all()


def test_absent_group_drops_out(store):
    from barometer.measures.inputs import wide_counts

    forms = ["hyresratt", "bostadsratt", "aganderatt"]
    wide = wide_counts("lagenheter", level="regso", groups=forms, years=[2023], kommun="2403")
    assert wide["bostadsratt"].sum() == 0  # Bjurholm: no bostadsrätt
    three = multigroup_theil(wide, groups=forms).iloc[0]
    two = multigroup_theil(wide, groups=["hyresratt", "aganderatt"]).iloc[0]
    assert three == pytest.approx(two, abs=1e-12)
    assert three == pytest.approx(_pysal(Entropy, wide.assign(t=wide.hyresratt + wide.aganderatt),
                                         "hyresratt", "t"), abs=1e-9)
