"""Issue 12.7: one parser for source numbers and PX symbols (hand-made cells and recorded responses)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from barometer.exceptions import SourceFormatError
from barometer.parsing import PX_SYMBOLS, parse_cells, parse_column, parse_counts

RESPONSES = Path(__file__).parent / "responses"


@pytest.mark.parametrize("text,value", [
    ("1234", 1234.0), ("1 234", 1234.0), ("1\u00a0234", 1234.0), ("12\u202f345", 12345.0),
    ("1 234 567,89", 1234567.89), ("12,5", 12.5), ("12.5", 12.5), ("\u22125", -5.0), ("-5", -5.0),
    (" 7 ", 7.0), ("1e3", 1000.0), (",5", 0.5),
])
def test_number_formats(text, value):
    out = parse_cells([text], where="fil.csv")
    assert out["value"][0] == pytest.approx(value) and out["status"][0] == "ok" and out["note"][0] == ""


@pytest.mark.parametrize("symbol,status", [("..", "suppressed"), ("...", "suppressed"), (".", "not_applicable"),
                                           ("....", "missing"), ("......", "missing"), (":", "suppressed"),
                                           ('".."', "suppressed")])
def test_px_missing_symbols_are_nan_with_status(symbol, status):
    out = parse_cells([symbol], where="fil.csv")
    assert math.isnan(out["value"][0]) and out["status"][0] == status and "i källan" in out["note"][0]


@pytest.mark.parametrize("dash", ["-", "\u2013", '"-"'])
def test_dash_is_zero_with_a_note_not_missing(dash):
    out = parse_cells([dash], where="fil.csv")
    assert out["value"][0] == 0.0 and out["status"][0] == "ok"
    assert out["note"][0] == PX_SYMBOLS["-"][2] and "'-' i källan" in out["note"][0]


def test_empty_and_null_cells_are_missing_with_a_reason():
    out = parse_cells(["", None, float("nan")], where="fil.csv")
    assert out["value"].isna().all() and (out["status"] == "missing").all() and (out["note"] != "").all()


@pytest.mark.parametrize("text", ["1.234,5", "12 34", "n/a", "12 345.6", "1,2,3", "5 st"])
def test_unreadable_text_names_file_and_cell(text):
    df = pd.DataFrame({"Antal 2023": ["10", text]})
    with pytest.raises(SourceFormatError) as err:
        parse_column(df, "Antal 2023", where="källa/fil.csv")
    msg = str(err.value)
    assert "källa/fil.csv" in msg and "rad 3, kolumn 'Antal 2023'" in msg and repr(text) in msg


def test_never_nan_with_status_ok():
    cells = ["1 234", "-", "..", "", None, 5, float("nan"), ".", "3,5"]
    out = parse_cells(cells, where="x")
    assert not (out["value"].isna() & (out["status"] == "ok")).any()


def test_counts_must_be_present():
    df = pd.DataFrame({"n": ["10", "1 200", "-"]})
    assert parse_counts(df, "n", where="x").tolist() == [10.0, 1200.0, 0.0]
    with pytest.raises(SourceFormatError, match="rad 3"):
        parse_counts(pd.DataFrame({"n": ["10", ".."]}), "n", where="x")


def test_scb_jsonstat_symbols_and_text_values():
    from barometer.sources import scb

    doc = json.loads((RESPONSES / "scb/TAB6685_data_symbols.json").read_text(encoding="utf-8"))
    cells = scb.jsonstat_cells(doc, "TAB6685")
    got = [scb.cell_value(v, s) for v, s in zip(cells["value"], cells["symbol"])]
    values = [g[0] for g in got]
    assert values[0] == 8.1 and values[1] == 0.0 and values[2] == 15.2 and values[4] == 1022.7
    assert math.isnan(values[3]) and math.isnan(values[5])
    assert [g[1] for g in got] == ["ok", "ok", "ok", "suppressed", "ok", "not_applicable"]
    assert "'-' i källan" in got[1][2]


def test_scb_text_that_is_not_a_number_names_the_cell():
    from barometer.sources import scb

    doc = json.loads((RESPONSES / "scb/TAB6685_data_symbols.json").read_text(encoding="utf-8"))
    doc["value"][2] = "ca 15"
    with pytest.raises(SourceFormatError, match=r"cell 2 i 'value': 'ca 15'"):
        scb.jsonstat_cells(doc, "https://api.scb.se/x")


def test_kolada_symbols_and_text_values():
    from barometer.sources.kolada import items_to_long

    doc = json.loads((RESPONSES / "kolada/data_symbols.json").read_text(encoding="utf-8"))
    df, _ = items_to_long(doc["values"], indicator="i", group_map={"T": "totalt", "K": "kvinnor", "M": "man"},
                          where="kolada")
    row = df.set_index("group")
    assert row.loc["totalt", "value"] == 1234.5 and row.loc["totalt", "status"] == "ok"
    assert row.loc["kvinnor", "value"] == 0.0 and "'-' i källan" in row.loc["kvinnor", "note"]
    assert math.isnan(row.loc["man", "value"]) and row.loc["man", "status"] == "missing"
    bad = json.loads((RESPONSES / "kolada/data_bad_text.json").read_text(encoding="utf-8"))
    with pytest.raises(SourceFormatError, match="1780 2023 totalt: 'ca 12'"):
        items_to_long(bad["values"], indicator="i", group_map={"T": "totalt"}, where="kolada")


def test_pipeline_csv_with_symbols_and_swedish_numbers(tiny_snapshot):
    """The snapshot parsers use the same helper: '-' is 0 with a note, "1 000" is read, text stops the build."""
    import hashlib

    from barometer.pipeline import regso
    from barometer.pipeline.snapshot import RawFile

    raw = tiny_snapshot.files[regso.TENURE]
    text = raw.full_path.read_text(encoding="utf-8-sig")
    text = text.replace('"Upplands Väsby (Bollstanäs)","hyresrätt",100,100,100,100',
                        '"Upplands Väsby (Bollstanäs)","hyresrätt",100,100,"1\u00a0000",-')
    raw.full_path.write_text("\ufeff" + text, encoding="utf-8")
    tiny_snapshot.files[raw.path] = RawFile(raw.path, hashlib.sha256(raw.full_path.read_bytes()).hexdigest(), "", "")
    v = regso.tenure_step(tiny_snapshot).values
    cell = v[(v["area_code"] == "0114R001") & (v["group"] == "hyresratt")].set_index("year")
    assert cell.loc[2022, "value"] == 1000.0
    assert cell.loc[2023, "value"] == 0.0 and cell.loc[2023, "status"] == "ok" and "'-' i källan" in cell.loc[2023, "note"]
    runby = v[(v["area_code"] == "0114R003") & (v["group"] == "hyresratt") & (v["year"] == 2023)].iloc[0]
    assert math.isnan(runby["value"]) and runby["status"] == "suppressed"

    raw.full_path.write_text("\ufeff" + text.replace('"1\u00a0000"', '"ca 1000"'), encoding="utf-8")
    tiny_snapshot.files[raw.path] = RawFile(raw.path, hashlib.sha256(raw.full_path.read_bytes()).hexdigest(), "", "")
    with pytest.raises(SourceFormatError, match="deso_housing_tenure.csv.*rad 2, kolumn 'Antal 2022'.*'ca 1000'"):
        regso.tenure_step(tiny_snapshot)
