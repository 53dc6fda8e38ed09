"""SCB PxWebApi 2.0: query building, JSON-stat2 parsing, splitting, vintages, errors."""

from __future__ import annotations

import json
import math

import pytest
from upstream_server import EMPLOYED, LOW, RESPONSES, Reply, scb_routes

from barometer.exceptions import SourceFormatError, SourceUnavailableError, UnknownAreaError
from barometer.sources import scb
from barometer.sources._http import HttpClient
from barometer.sources.scb import PxWebClient, fetch_indicator, jsonstat_cells, plain_codes, split_selection

DATA = "/api/v2/tables/TAB6685/data"


def client(upstream, **http) -> PxWebClient:
    return PxWebClient(upstream.scb, http=HttpClient(**http) if http else None)


def test_fetch_one_kommun_to_long_table(upstream, sleeps):
    scb_routes(upstream)
    result = fetch_indicator(LOW, kommun="1780", client=client(upstream))
    df = result.values
    assert list(df.columns) == ["level", "area_code", "year", "indicator", "group", "value", "numerator",
                                "denominator", "status", "note", "source_id"]
    assert len(df) == 6  # 3 RegSO × 2 years
    assert set(df["level"]) == {"regso"} and set(df["group"]) == {"totalt"}
    assert set(df["source_id"]) == {"live:andel_lag_ekonomisk_standard"}
    row = df.set_index(["area_code", "year"])
    assert row.loc[("1780R001", 2022), "value"] == 8.1
    assert row.loc[("1780R003", 2023), "value"] == 23.9
    # the suppressed cell: NaN with a status and a note, never 0
    cell = row.loc[("1780R002", 2023)]
    assert math.isnan(cell["value"]) and cell["status"] == "suppressed" and "'..' i källan" in cell["note"]
    assert (df["value"] != 0).all()
    # the call: one comma list per variable, the code list, the kommun's RegSO only, Tid in full
    (call,) = upstream.calls(DATA)
    assert call.query["valueCodes[Region]"] == "1780R001,1780R002,1780R003"
    assert call.query["codelist[Region]"] == "vs_RegSO2020"
    assert call.query["valueCodes[ContentsCode]"] == "000008AC"
    assert call.query["valueCodes[Alder]"] == "tot"
    assert call.query["valueCodes[Tid]"] == "*"
    assert call.query["outputFormat"] == "json-stat2" and call.query["lang"] == "sv"
    assert "valueCodes%5BRegion%5D=1780R001%2C1780R002%2C1780R003" in result.meta["url"]
    assert result.meta["table_id"] == "TAB6685" and result.meta["publisher"] == "SCB"
    assert result.meta["reference_years"] == "2022, 2023"
    assert "CC0" in result.meta["licence"]


def test_whole_country_sends_star_for_full_variables(upstream, sleeps):
    scb_routes(upstream)
    upstream.add(DATA, Reply(file="scb/TAB6685_data.json"))
    # The hand-written answer covers only Karlstad; the check that the answer matches the
    # question must catch that the fourth RegSO (Kristinehamn) is missing.
    with pytest.raises(SourceFormatError) as info:
        fetch_indicator(LOW, client=client(upstream))
    assert "1781R001" in str(info.value)
    (call,) = upstream.calls(DATA)
    assert call.query["valueCodes[Region]"] == "*"


def test_cell_limit_splits_the_request(upstream, sleeps):
    scb_routes(upstream, config="scb/config_small.json")  # maxDataCells 4; 3 RegSO × 2 years = 6
    parts = {"1780R001,1780R002": "scb/TAB6685_data_part1.json", "1780R003": "scb/TAB6685_data_part2.json"}
    upstream.add(DATA, lambda q: Reply(file=parts[q["valueCodes[Region]"]]))
    result = fetch_indicator(LOW, kommun="1780", client=client(upstream))
    calls = upstream.calls(DATA)
    assert [c.query["valueCodes[Region]"] for c in calls] == ["1780R001,1780R002", "1780R003"]
    assert len(result.meta["urls"]) == 2
    whole = jsonstat_cells(json.loads((RESPONSES / "scb/TAB6685_data.json").read_text()), "x")
    assert len(result.values) == len(whole) == 6
    assert result.values["value"].sum() == pytest.approx(whole["value"].sum())


def test_split_selection_stays_under_the_limit():
    sel = {"Region": [f"R{i}" for i in range(3363)], "ContentsCode": ["a", "b"], "Tid": [str(y) for y in range(2011, 2025)]}
    parts = split_selection(sel, 150_000)
    assert all(math.prod(len(v) for v in p.values()) <= 150_000 for p in parts)
    assert sum(len(p["Region"]) for p in parts) == 3363
    assert len(parts) == 1  # 94,164 cells fit in one call
    parts = split_selection(sel, 10_000)
    assert all(math.prod(len(v) for v in p.values()) <= 10_000 for p in parts)
    assert sorted(r for p in parts for r in p["Region"]) == sorted(sel["Region"])


def test_unknown_table_is_a_clear_404(upstream, sleeps):
    scb_routes(upstream)
    upstream.add("/api/v2/tables/TAB9999/metadata", Reply(404, file="scb/not_found.json"))
    entry = {**LOW, "live": {**LOW["live"], "table": "TAB9999"}}
    with pytest.raises(SourceUnavailableError) as info:
        fetch_indicator(entry, client=client(upstream))
    err = info.value
    assert err.status == 404 and "TAB9999" in str(err) and "/tables/TAB9999/metadata" in err.url
    assert "finns inte" in str(err)
    assert len(upstream.calls("/api/v2/tables/TAB9999/metadata")) == 1  # 404 is not retried


def test_unknown_code_lists_the_valid_ones(upstream, sleeps):
    scb_routes(upstream)
    entry = {**LOW, "live": {**LOW["live"], "query": {"ContentsCode": ["000008XX"], "Alder": ["tot"]}}}
    with pytest.raises(SourceFormatError) as info:
        fetch_indicator(entry, client=client(upstream))
    assert "000008XX" in str(info.value) and "000008AC" in str(info.value)
    assert not upstream.calls(DATA)


def test_unknown_variable_is_named(upstream, sleeps):
    scb_routes(upstream)
    entry = {**LOW, "live": {**LOW["live"], "query": {"ContentsCode": ["000008AC"], "Kon": ["1+2"]}}}
    with pytest.raises(SourceFormatError, match="Kon"):
        fetch_indicator(entry, client=client(upstream))


@pytest.mark.parametrize("table", ["HushallT33Deso", None, "tab6685"])
def test_not_a_pxweb_v2_table_id(table):
    with pytest.raises(SourceFormatError, match="TABnnnn"):
        fetch_indicator({**LOW, "live": {**LOW["live"], "table": table}})


def test_kommun_must_be_four_digits():
    with pytest.raises(UnknownAreaError):
        fetch_indicator(LOW, kommun="178")


def test_newer_vintage_codes_are_refused(upstream, sleeps):
    scb_routes(upstream)
    upstream.add(DATA, Reply(file="scb/TAB6685_data_regso2025.json"))
    with pytest.raises(SourceFormatError) as info:
        fetch_indicator(LOW, kommun="1780", client=client(upstream))
    assert "RegSO 2025" in str(info.value)


def test_suffixes_are_stripped_and_vintages_not_mixed():
    assert plain_codes(["0114R001_RegSO2020", "0114R002_RegSO2020"], "vs_RegSO2020", "x") == (
        ["0114R001", "0114R002"], "RegSO 2020")
    assert plain_codes(["0114R001"], "vs_RegSO2020", "x") == (["0114R001"], "RegSO 2020")
    assert plain_codes(["0114", "01", "00"], None, "x") == (["0114", "01", "00"], None)
    with pytest.raises(SourceFormatError, match="blandar"):
        plain_codes(["0114R001_RegSO2020", "0114R002_RegSO2025"], None, "x")
    with pytest.raises(SourceFormatError, match="RegSO 2025"):
        plain_codes(["0114R001_RegSO2025"], "vs_RegSO2020", "x")


def test_share_from_numerator_and_denominator(upstream, sleeps):
    scb_routes(upstream)
    result = fetch_indicator(EMPLOYED, kommun="1780", client=client(upstream))
    df = result.values.set_index("area_code")
    assert len(df) == 3 and set(df["year"]) == {2023}
    assert df.loc["1780R001", "value"] == pytest.approx(80.0)  # 100 * 800 / 1000
    assert df.loc["1780R001", ["numerator", "denominator"]].tolist() == [800.0, 1000.0]
    assert df.loc["1780R002", "status"] == "suppressed" and "täljare" in df.loc["1780R002", "note"]
    assert math.isnan(df.loc["1780R002", "value"]) and df.loc["1780R002", "denominator"] == 500.0
    assert df.loc["1780R003", "status"] == "missing" and df.loc["1780R003", "note"] == "nämnaren är 0"
    (call,) = upstream.calls("/api/v2/tables/TAB6680/data")
    assert call.query["valueCodes[ContentsCode]"] == "0000089X,0000089Y"
    assert call.query["valueCodes[Tid]"] == "2023"


def test_two_contents_codes_without_roles_are_refused(upstream, sleeps):
    scb_routes(upstream)
    entry = {**EMPLOYED, "numerator": "förvärvsarbetande", "denominator": "befolkning"}
    with pytest.raises(SourceFormatError, match="täljare"):
        fetch_indicator(entry, kommun="1780", client=client(upstream))
    assert not upstream.calls("/api/v2/tables/TAB6680/data")  # refused before downloading


def test_group_map_names_groups(upstream, sleeps):
    scb_routes(upstream)
    entry = {**LOW, "live": {**LOW["live"], "group_map": {"tot": "alla_aldrar"}}}
    df = fetch_indicator(entry, kommun="1780", client=client(upstream)).values
    assert set(df["group"]) == {"alla_aldrar"}


def _doc(values, status=None, years=("2022", "2023")):
    d = {"version": "2.0", "class": "dataset", "id": ["Region", "ContentsCode", "Tid"], "size": [2, 1, len(years)],
         "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
         "dimension": {"Region": {"category": {"index": {"0114R001": 0, "0114R002": 1}}},
                       "ContentsCode": {"category": {"label": {"c": "c"}}},
                       "Tid": {"category": {"index": list(years)}}},
         "value": values}
    if status is not None:
        d["status"] = status
    return d


def test_jsonstat_status_forms_and_sparse_values():
    cells = jsonstat_cells(_doc({"0": 1.5, "3": 2.0}, status=[None, "..", ".", None]), "x")
    assert cells["value"].isna().tolist() == [False, True, True, False]
    got = [scb.cell_status(v, s) for v, s in zip(cells["value"], cells["symbol"])]
    assert [s for s, _ in got] == ["ok", "suppressed", "not_applicable", "ok"]
    cells = jsonstat_cells(_doc([1, None, 3, 4], status={"1": "-"}), "x")
    # PX "-" = magnitude zero: 0 with a note, distinct from missing (issue 12.7)
    assert scb.cell_value(cells["value"][1], cells["symbol"][1]) == (0.0, "ok", "SCB: '-' i källan: inget finns att redovisa (värdet är 0)")
    assert scb.cell_status(cells["value"][1], cells["symbol"][1])[0] == "ok"
    assert scb.cell_status(float("nan"), None) == ("missing", "SCB: värde saknas i svaret (null)")


@pytest.mark.parametrize("doc, words", [
    (_doc([1, 2, 3]), "3 värden"),
    (_doc([1, 2, 3, "x"]), "cell 3 i 'value': 'x'"),
    (_doc([1, 2, 3, True]), "icke-numeriska"),
    ({"class": "collection"}, "JSON-stat2"),
    ({**_doc([1, 2, 3, 4]), "size": [2, 1]}, "id/size"),
])
def test_broken_jsonstat_is_a_format_error(doc, words):
    with pytest.raises(SourceFormatError, match=words):
        jsonstat_cells(doc, "http://x")


def test_a_year_without_any_value_is_dropped():
    cells = jsonstat_cells(_doc([1.0, None, 2.0, None]), "x")
    plan = scb.Plan("TAB1", {}, {}, {"Region": "vs_RegSO2020"}, "Region", "Tid", "ContentsCode")
    rows, caveats = scb.to_long(cells, plan, {"id": "i", "live": {"group_map": {}}}, "x")
    assert set(rows["year"]) == {2022}
    assert "2023" in caveats[0]


def test_answer_must_hold_what_was_asked(upstream, sleeps):
    scb_routes(upstream)
    upstream.add(DATA, Reply(file="scb/TAB6685_data_kristinehamn.json"))
    with pytest.raises(SourceFormatError, match="stämmer inte"):
        fetch_indicator(LOW, kommun="1780", client=client(upstream))


def test_config_sets_rate_limit_and_cell_limit(upstream, sleeps):
    scb_routes(upstream, config="scb/config_small.json")
    c = client(upstream)
    assert c.max_cells == 4
    assert (c.http.limiter.max_calls, c.http.limiter.window) == (30, 10.0)
