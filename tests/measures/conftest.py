"""Fixtures for the measures tests: tiny hand-made kommuner and the real store (if built)."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def toy() -> pd.DataFrame:
    """Two toy kommuner, three RegSO each, two years (counts identical across years).

    Kommun 0001: a = 10, 20, 70 and b = 90, 80, 30 (t = 100 each).
    Kommun 0002: a = 5, 0, 45 and t = 50, 100, 150 (b = 45, 100, 105).
    """
    rows = []
    for year in (2022, 2023):
        for area, a, t in (("0001R001", 10, 100), ("0001R002", 20, 100), ("0001R003", 70, 100),
                           ("0002R001", 5, 50), ("0002R002", 0, 100), ("0002R003", 45, 150)):
            rows.append({"kommun_code": area[:4], "lan_code": "00", "year": year, "area_code": area,
                         "a": float(a), "b": float(t - a), "t": float(t)})
    return pd.DataFrame(rows)


def kommun_frame(a, t, *, kommun="0001", year=2023) -> pd.DataFrame:
    """One kommun, one year: areas with group counts ``a`` and totals ``t``."""
    n = len(a)
    return pd.DataFrame({
        "kommun_code": [kommun] * n,
        "year": [year] * n,
        "area_code": [f"{kommun}R{i + 1:03d}" for i in range(n)],
        "a": pd.array(a, dtype="float64"),
        "t": pd.array(t, dtype="float64"),
    })


def _full_store_ready() -> bool:
    from barometer import config

    path = config.store_dir() / "areas.parquet"
    if not (config.store_dir() / "values.parquet").is_file() or not path.is_file():
        return False
    areas = pd.read_parquet(path, columns=["level"])
    return int((areas["level"] == "kommun").sum()) == 290


@pytest.fixture(scope="session")
def store(request):
    """The full real store: reuse data/store if built, else build it through ``real_store``."""
    if not _full_store_ready():
        request.getfixturevalue("real_store")
        if not _full_store_ready():
            pytest.skip("the full store (290 kommuner) is not built; run `barometer build`")
    from barometer import config

    return config.store_dir()


@pytest.fixture(scope="session")
def all_measures(store) -> pd.DataFrame:
    """compute_all() on the real store, computed once per session."""
    from barometer.measures.compute import compute_all

    return compute_all()
