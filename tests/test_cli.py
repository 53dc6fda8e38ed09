"""The command line: output, and exit status 2 with a clear message for bad input."""

import io
import subprocess
import sys

import pandas as pd
import pytest

from barometer.cli import main


def run(args):
    proc = subprocess.run([sys.executable, "-m", "barometer", *args], capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def test_areas_csv_on_stdout(real_store, capsys):
    assert main(["areas", "--level", "kommun", "--format", "csv"]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert len(df) == 290 and df["code"].str.fullmatch(r"\d{4}").all()
    assert "0114" in set(df["code"])  # leading zero kept


def test_regso_of_a_kommun(real_store, capsys):
    assert main(["areas", "--level", "regso", "--kommun", "malmo", "--format", "csv"]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert len(df) == 91 and (df["kommun_code"] == "1280").all()


def test_indicators_lists_catalogue(real_store, capsys):
    assert main(["indicators"]) == 0
    out = capsys.readouterr().out
    assert "valdeltagande_riksdag" in out and "omradestyp" in out


def test_show_fact_sheet_in_swedish(real_store, capsys):
    assert main(["show", "Malmö"]) == 0
    out = capsys.readouterr().out
    assert "Malmö kommun (1280)" in out and "Skåne län" in out
    assert "Valdeltagande riksdagsvalet 2022: 77,2" in out
    assert "Områdestyper 2023" in out


@pytest.mark.parametrize("args,needle", [
    (["show", "Atlantis"], "Okänd kommun"),
    (["show", "malmoe"], "Malmö (1280)"),
    (["data", "foo"], "Okänd indikator"),
    (["data", "valdeltagande_riksdag", "--year", "2019"], "Tillgängliga år: 2018, 2022"),
    (["data", "valdeltagande_riksdag", "--year", "tjugo"], "ogiltigt år"),
    (["areas", "--level", "county"], "ogiltigt val"),
    (["fetch", "--kommun", "Atlantis"], "Okänd kommun"),
    (["measures", "--year", "2017"], "2017"),
    (["report", "Atlantis"], "Okänd kommun"),
    (["report", "--lan", "Atlantis"], "Okänt län"),
])
def test_bad_input_exits_2_with_message(real_store, args, needle):
    code, out, err = run(args)
    assert code == 2
    assert needle in err
    assert "Traceback" not in err


def test_build_noop_via_cli(real_store):
    code, out, err = run(["build", "--quiet"])
    assert code == 0 and "inget att göra" in out
