"""One small real fetch from SCB (needs internet; skipped unless BAROMETER_NETWORK=1)."""

from __future__ import annotations

import os

import pytest

pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(os.environ.get("BAROMETER_NETWORK") != "1", reason="needs internet: set BAROMETER_NETWORK=1"),
]


def test_real_scb_table_for_one_kommun(tmp_path, monkeypatch):
    from barometer.sources.fetch import fetch

    monkeypatch.delenv("BAROMETER_SCB_URL", raising=False)
    entry = {
        "id": "andel_lag_ekonomisk_standard", "status": "live", "unit": "procent",
        "live": {"api": "scb-pxweb-v2", "table": "TAB6685", "kpi": None,
                 "query": {"ContentsCode": ["000008AC"], "Alder": ["tot"], "Tid": ["2022"]},
                 "region_codelist": "vs_RegSO2020", "group_map": {}},
    }
    (path,) = fetch([entry["id"]], kommun="1780", catalog=[entry], dest=tmp_path)
    import pandas as pd

    df = pd.read_parquet(path)
    assert len(df) > 10 and set(df["level"]) == {"regso"}
    assert df["area_code"].str.match(r"^1780R\d{3}$").all()
    assert df["value"].between(0, 100).all()
