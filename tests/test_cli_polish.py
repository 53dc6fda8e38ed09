"""CLI help describes every option; `barometer data` without --level groups levels; themes in Swedish; errors name the Python way."""

from __future__ import annotations

import argparse

import pytest

from barometer.cli import main, make_parser


def _subparsers(parser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices
    return {}


def test_every_option_of_every_subcommand_has_a_description():
    undocumented = []
    for name, sub in _subparsers(make_parser()).items():
        for action in sub._actions:
            if action.option_strings and not (action.help and action.help.strip()):
                undocumented.append(f"{name} {'/'.join(action.option_strings)}")
    assert undocumented == []


def test_data_without_level_comes_in_level_blocks(real_store, capsys):
    assert main(["data", "andel_utrikes_fodda", "--kommun", "Malmö", "--year", "2023", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    levels = [r.split(",")[0] for r in rows]
    assert levels[0] == "kommun" and set(levels) == {"kommun", "regso"}
    assert levels == sorted(levels, key=["riket", "lan", "kommun", "regso", "deso", "valdistrikt"].index)


def test_indicators_show_swedish_theme_labels(real_store, capsys):
    from barometer.catalog import AREA_LABELS

    assert main(["indicators", "--format", "csv"]) == 0
    import io

    import pandas as pd

    themes = set(pd.read_csv(io.StringIO(capsys.readouterr().out))["tema"])
    assert "Boende" in themes and "bostad" not in themes and "omradestyp" not in themes
    assert themes <= set(AREA_LABELS.values())


def test_python_errors_name_the_python_way(real_store):
    import barometer
    from barometer.exceptions import BarometerError

    with pytest.raises(BarometerError, match=r"barometer\.areas\(level='kommun'\)"):
        barometer.kommun("Malmoe x")
    with pytest.raises(BarometerError, match=r"barometer\.indicators\(\)"):
        barometer.data("finns_inte")
