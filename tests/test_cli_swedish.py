"""The command line speaks Swedish: help of every subcommand, error messages that point to the
right subcommand and say what is wrong, and both spellings of ``--klassning``."""

import re

import pytest

import barometer
from barometer.cli import main, make_parser
from barometer.exceptions import UnknownAreaError, YearOutOfRangeError

ENGLISH = re.compile(r"usage:|positional arguments|optional arguments|options:|show this help|"
                     r"\bdefault\b|\bexit\b", re.IGNORECASE)


def _subcommands():
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return list(sub.choices)


@pytest.mark.parametrize("command", [None] + _subcommands())
def test_help_has_no_english_argparse_words(command, capsys):
    with pytest.raises(SystemExit) as ex:
        main(([command] if command else []) + ["--help"])
    assert ex.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("användning: barometer")
    assert "visa denna hjälptext och avsluta" in out
    assert not ENGLISH.search(out), ENGLISH.search(out)
    # metavars too: no English upper-case placeholders such as YEAR or OUT
    assert not re.search(r"\b(YEAR|OUT|WORKERS|GROUP|LAN|INDICATOR|BASE_URL)\b", out)


def test_unknown_option_points_to_subcommand_and_suggests(capsys):
    with pytest.raises(SystemExit) as ex:
        main(["report", "0180", "--yera", "2023"])
    assert ex.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "`barometer report --help`" in err and "--year" in err and "okända argument: --yera 2023" in err


def test_report_two_targets_say_they_cannot_be_combined(capsys):
    assert main(["report", "--lan", "12", "--riket"]) == 2
    err = capsys.readouterr().err
    assert "--lan och --riket kan inte kombineras" in err
    assert main(["report"]) == 2
    assert "ange en kommun, --all, --lan LÄN eller --riket" in capsys.readouterr().err


def test_int_kommun_message_has_no_stray_comma(real_store):
    with pytest.raises(UnknownAreaError) as ex:
        barometer.kommun(180)
    msg = str(ex.value)
    assert "Närmast: Stockholm (0180)." in msg and ", (" not in msg and "Koder anges som text" in msg


def test_year_out_of_range_hint_outside_quoted_name():
    msg = str(YearOutOfRangeError(2021, "andel_utrikes_fodda", [2022, 2023], context="samma års områdestyper",
                                  hint="Klassning fast täcker 2020–2023."))
    assert msg == ("År 2021 saknas för 'andel_utrikes_fodda' (samma års områdestyper). Tillgängliga år: "
                   "2022, 2023. Klassning fast täcker 2020–2023.")


@pytest.mark.parametrize("spelling", ["samma_ar", "samma-ar"])
def test_klassning_both_spellings(real_store, capsys, spelling):
    assert main(["data", "andel_utrikes_fodda", "--by", "omradestyp", "--kommun", "Malmö",
                 "--klassning", spelling, "--year", "2023", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "samma_ar" in out and "samma-ar" not in out


def test_klassning_year_message_composed(real_store, capsys):
    assert main(["data", "andel_utrikes_fodda", "--by", "omradestyp", "--kommun", "Malmö",
                 "--klassning", "samma-ar", "--year", "2021"]) == 2
    err = capsys.readouterr().err
    assert "'andel_utrikes_fodda' (samma års områdestyper)" in err and "Klassning fast täcker 2020–2023." in err


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_indicators_columns_in_swedish(real_store, capsys, fmt):
    assert main(["indicators", "--format", fmt]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    for english in ("label_sv", "levels", "years", "unit", "area"):
        assert english not in re.split(r"[\s,]+", header)
    for swedish in ("namn", "nivåer", "år", "i_datalagret"):
        assert swedish in re.split(r"[\s,]+", header)


def test_api_indicators_keeps_english_columns(real_store):
    df = barometer.indicators()
    assert {"label_sv", "levels", "years", "i_datalagret"} <= set(df.columns)


def test_klassning_both_spellings_in_the_comparison_helpers(real_store):
    from barometer import omradestyp_compare as oc

    a = oc.rows("kommun", "1280", 2023, "samma_ar")
    b = oc.rows("kommun", "1280", 2023, "samma-ar")
    assert len(a) > 0 and a.equals(b)
    assert oc.gaps("kommun", "1280", 2023, "samma-ar") == oc.gaps("kommun", "1280", 2023, "samma_ar")
    assert oc.ranking("kommun", "andel_utrikes_fodda", 2023, klassning="samma-ar").equals(
        oc.ranking("kommun", "andel_utrikes_fodda", 2023, klassning="samma_ar"))


def test_bad_int_option_in_swedish(capsys):
    with pytest.raises(SystemExit) as ex:
        main(["report", "0180", "--year", "x"])
    assert ex.value.code == 2
    err = capsys.readouterr().err
    assert "ogiltigt heltal: 'x'" in err and "invalid" not in err and "`barometer report --help`" in err
