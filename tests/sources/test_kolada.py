"""Kolada v3: kommun-level KPI values into the long table; paging; missing values; errors."""

from __future__ import annotations

import math

import pytest
from upstream_server import BISTAND, NO_KPI, Reply

from barometer.exceptions import SourceFormatError, SourceUnavailableError
from barometer.sources.kolada import KoladaClient, fetch_indicator

NATIONAL = "/v3/data/kpi/N31807/year/2022,2023"


def kolada_routes(upstream):
    upstream.add("/v3/kpi/N31807", Reply(file="kolada/kpi_N31807.json"))
    pages = {"": "kolada/data_N31807_p1.json", "2": "kolada/data_N31807_p2.json"}
    upstream.add(NATIONAL, lambda q: Reply(file=pages[q.get("page", "")]))
    upstream.add("/v3/data/kpi/N31807/municipality/1780/year/2022,2023", Reply(file="kolada/data_N31807_1780.json"))


def test_all_kommuner_follow_pages_and_keep_kommuner_only(upstream, sleeps):
    kolada_routes(upstream)
    result = fetch_indicator(BISTAND, client=KoladaClient(upstream.kolada))
    df = result.values
    assert [c.query.get("page") for c in upstream.calls(NATIONAL)] == [None, "2"]
    assert set(df["level"]) == {"kommun"} and set(df["area_code"]) == {"1780", "1781"}  # 0017, 0000 left out
    assert set(df["group"]) == {"totalt"}  # default group_map: T only
    assert len(df) == 4  # the deleted 1781 value is dropped
    row = df.set_index(["area_code", "year"])
    assert row.loc[("1780", 2022), "value"] == 4.1
    assert row.loc[("1781", 2023), "value"] == 5.0
    missing = row.loc[("1780", 2023)]
    assert math.isnan(missing["value"]) and missing["status"] == "missing" and "Kolada" in missing["note"]
    assert result.meta["table_id"] == "N31807" and result.meta["title"].startswith("Invånare")
    assert "riket/regioner" in result.meta["caveats"]
    assert result.meta["url"].endswith("/v3/data/kpi/N31807/year/2022,2023?per_page=5000")


def test_one_kommun_with_gender_groups(upstream, sleeps):
    kolada_routes(upstream)
    entry = {**BISTAND, "live": {**BISTAND["live"], "group_map": {"T": "totalt", "K": "kvinnor", "M": "man"}}}
    df = fetch_indicator(entry, kommun="1780", client=KoladaClient(upstream.kolada)).values
    assert set(df["area_code"]) == {"1780"}
    assert sorted(df["group"].unique()) == ["kvinnor", "man", "totalt"]
    assert len(df) == 6


def test_kpi_not_set_is_refused_before_any_call(upstream):
    with pytest.raises(SourceFormatError, match="KPI-id ej verifierat"):
        fetch_indicator(NO_KPI, client=KoladaClient(upstream.kolada))
    assert not upstream.requests


def test_unknown_kpi(upstream, sleeps):
    upstream.add("/v3/kpi/N00000", Reply(file="kolada/kpi_empty.json"))
    entry = {**BISTAND, "live": {**BISTAND["live"], "kpi": "N00000"}}
    with pytest.raises(SourceFormatError, match="N00000 finns inte"):
        fetch_indicator(entry, client=KoladaClient(upstream.kolada))


def test_server_error_names_address(upstream, sleeps):
    upstream.add("/v3/kpi/N31807", Reply(file="kolada/kpi_N31807.json"))
    upstream.add(NATIONAL, Reply(503, body="Service Unavailable", headers={"Content-Type": "text/plain"}))
    with pytest.raises(SourceUnavailableError) as info:
        fetch_indicator(BISTAND, client=KoladaClient(upstream.kolada))
    assert info.value.status == 503 and NATIONAL in info.value.url and info.value.attempts == 5


def test_next_page_must_stay_on_the_host(upstream, sleeps):
    upstream.add("/v3/kpi/N31807", Reply(file="kolada/kpi_N31807.json"))
    upstream.add(NATIONAL, Reply(body={"values": [], "next_url": "http://example.org/v3/data"}))
    with pytest.raises(SourceFormatError, match="utanför"):
        fetch_indicator(BISTAND, client=KoladaClient(upstream.kolada))
