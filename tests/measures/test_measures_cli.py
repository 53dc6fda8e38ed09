"""The `measures` subcommand module: options, CSV/table output, errors as barometer errors."""

from __future__ import annotations

import argparse
import io

import pandas as pd
import pytest

from barometer.exceptions import UnknownAreaError, YearOutOfRangeError
from barometer.measures.cli import add_parser, parse_years, run


@pytest.fixture
def parser():
    p = argparse.ArgumentParser(prog="barometer")
    add_parser(p.add_subparsers(dest="command"))
    return p


def test_parse_years():
    assert parse_years(None) is None
    assert parse_years(["2023,2022", "2020", "2022"]) == [2020, 2022, 2023]
    with pytest.raises(YearOutOfRangeError):
        parse_years(["20x2"])


def test_csv_to_stdout(parser, store):
    args = parser.parse_args(["measures", "--kommun", "Upplands Väsby", "--year", "2022,2023"])
    assert args.func is run
    buf = io.StringIO()
    assert run(args, buf) == 0
    df = pd.read_csv(io.StringIO(buf.getvalue()), dtype={"kommun_kod": str})
    assert list(df.columns)[:8] == ["level", "kommun_kod", "kommun", "year", "measure", "value", "n_areas", "note"]
    assert set(df.kommun_kod) == {"0114"} and set(df.year) == {2022, 2023}
    assert "D_utrikes_fodda" in set(df.measure)


def test_table_format(parser, store):
    buf = io.StringIO()
    run(parser.parse_args(["measures", "--kommun", "0114", "--year", "2018", "--format", "table"]), buf)
    assert "D_valdeltagande_riksdag" in buf.getvalue()


def test_levels(parser, store):
    buf = io.StringIO()
    run(parser.parse_args(["measures", "--year", "2023", "--level", "riket"]), buf)
    df = pd.read_csv(io.StringIO(buf.getvalue()), dtype={"kommun_kod": str})
    assert set(df.level) == {"riket"} and set(df.kommun_kod) == {"00"}


@pytest.mark.parametrize("argv,error", [
    (["measures", "--kommun", "Atlantis"], UnknownAreaError),
    (["measures", "--year", "2017"], YearOutOfRangeError),
    (["measures", "--year", "2022,abc"], YearOutOfRangeError),
])
def test_bad_input_raises_barometer_errors(parser, store, argv, error):
    with pytest.raises(error):
        run(parser.parse_args(argv), io.StringIO())


def test_bad_format_is_an_argparse_error(parser):
    with pytest.raises(SystemExit):
        parser.parse_args(["measures", "--format", "xlsx"])
