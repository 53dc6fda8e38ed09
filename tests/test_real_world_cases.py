"""Issue 12, real-world cases on the real store: official names, vintages, filters, messages.

Each case of the issue is a test with the right value; each kind is tested beyond the example
(all 290 kommuner, every shared valdistrikt code, every filter).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

import barometer
from barometer.exceptions import (
    BarometerError,
    FilterConflictError,
    UnknownAreaError,
    UnknownGroupError,
    UnknownIndicatorError,
    UnknownLevelError,
    YearOutOfRangeError,
)


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "barometer", *args], capture_output=True, text=True, timeout=180)
    return proc.returncode, proc.stdout, proc.stderr


# --- 2. official kommun names ----------------------------------------------------------------

@pytest.fixture(scope="module")
def scb_long_names(real_store):
    """SCB's kommun list, long form, read straight from the raw file (the reference)."""
    from barometer import config

    path = config.snapshot_dir() / "staffanbetner_kommun_lan_geo/sveriges_kommuner_sf_simple.gpkg"
    con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        df = pd.read_sql_query("SELECT municipality_code AS code, municipality_name AS name, "
                               "municipality_name_long AS official FROM sveriges_kommuner_sf_simple", con)
    finally:
        con.close()
    assert len(df) == 290
    return df


def test_falun_is_falu_kommun(real_store):
    falun = barometer.kommun("2080")
    assert falun.name == "Falun" and falun.label == "Falu kommun"
    assert barometer.kommun("Falu kommun").code == "2080"
    assert barometer.kommun("Kalmar kommun").label == "Kalmar kommun"  # not "Kalmars kommun"


def test_every_official_name_roundtrips(real_store, scb_long_names):
    """All 290: code → official name (SCB), official name → code, short name → code."""
    for code, name, official in scb_long_names.itertuples(index=False):
        area = barometer.kommun(code)
        assert area.label == official, code
        assert barometer.kommun(official).code == code, official
        assert barometer.kommun(name).code == code, name
        assert barometer.kommun(official.upper()).code == code  # case-insensitive


def test_self_designations_are_accepted(real_store):
    assert barometer.kommun("Region Gotland").code == "0980"
    assert barometer.kommun("Stockholms stad").code == "0180"
    assert barometer.kommun("Falun kommun").code == "2080"


def test_fact_sheet_and_report_use_the_official_name(real_store):
    from barometer.factsheet import render
    from barometer.report.context import KommunReport

    sheet = render("Falu kommun")
    assert sheet.splitlines()[0].startswith("Falu kommun (2080)")
    assert "Faluns" not in sheet
    heading = str(KommunReport("2080", 2023).heading().data)
    assert "Falu kommun" in heading and "Faluns" not in heading
    from barometer.app.model import KommunData

    assert KommunData("2080").label == "Falu kommun"  # Utforska's heading


def test_cli_show_accepts_official_name(real_store):
    code, out, err = run("show", "Falu kommun")
    assert code == 0, err
    assert out.startswith("Falu kommun (2080)")


def test_official_names_in_store_match_scb(real_store, scb_long_names):
    a = barometer.areas("kommun").set_index("code")["official_name"]
    ref = scb_long_names.set_index("code")["official"]
    assert a.sort_index().equals(ref.sort_index().rename("official_name"))


# --- 3. names across vintages ----------------------------------------------------------------

@pytest.fixture(scope="module")
def shared_codes(real_store):
    """Valdistrikt codes present in both vintages with different names (about 1,000)."""
    a = barometer.areas("valdistrikt")
    wide = a.pivot_table(index="code", columns="vintage", values="name", aggfunc="first")
    both = wide.dropna()
    differ = both[both["Valdistrikt 2018"] != both["Valdistrikt 2022"]]
    assert len(differ) > 500
    return differ


def test_malmo_district_named_from_its_year(real_store):
    df = barometer.data("valdeltagande_riksdag", level="valdistrikt", kommun="Malmö", years=[2018, 2022])
    names = df.set_index(["area_code", "year"])["area_name"]
    assert names[("12800116", 2022)] == "N Sorgenfri"
    assert names[("12800116", 2018)] == "Katrinelund"


def test_api_data_never_joins_two_vintages(real_store, shared_codes):
    df = barometer.data("valdeltagande_riksdag", level="valdistrikt", years=[2018, 2022])
    df = df[df["area_code"].isin(shared_codes.index)]
    assert len(df) > 1000
    want = [shared_codes.loc[c, f"Valdistrikt {y}"] for c, y in zip(df["area_code"], df["year"])]
    assert df["area_name"].tolist() == want


def test_area_names_by_year(real_store, shared_codes):
    from barometer import store

    code = shared_codes.index[0]
    assert store.area_names(2018)[("valdistrikt", code)] == shared_codes.loc[code, "Valdistrikt 2018"]
    assert store.area_names(2022)[("valdistrikt", code)] == shared_codes.loc[code, "Valdistrikt 2022"]
    # without a year, no valdistrikt name is guessed from one vintage
    assert ("valdistrikt", code) not in store.area_names().index


def test_views_name_districts_from_their_year(real_store, shared_codes):
    """Fact sheet, report, explorer and measures: every district name from its election year."""
    from barometer import vintages
    from barometer.app.model import KommunData
    from barometer.factsheet import facts, render
    from barometer.measures.compute import compute_all
    from barometer.report.context import KommunReport

    # vintages: the single source of the rule
    for code in shared_codes.index[:50]:
        for year in (2018, 2022):
            assert vintages.name("valdistrikt", code, year) == shared_codes.loc[code, f"Valdistrikt {year}"]
    assert vintages.vintage_for("valdistrikt", 2017) is None  # never another year's districts
    # fact sheet
    f = facts("1280")
    sheet = render("1280")
    for year in (2018, 2022):
        codes, names = f[f"valdistrikt_max_{year}"][:2]
        want = [vintages.name("valdistrikt", c, year) for c in str(codes).split("; ")]
        assert str(names).split("; ") == want
        assert all(n in sheet for n in want)
    # report
    r = KommunReport("1280", 2023)
    code = "12800116"
    assert r._name("valdistrikt", code, 2018) == "Katrinelund"
    assert r._name("valdistrikt", code, 2022) == "N Sorgenfri"
    # explorer
    kd = KommunData("1280")
    for year in (2018, 2022):
        t = kd.turnout(year)
        want = [shared_codes.loc[c, f"Valdistrikt {year}"] if c in shared_codes.index else None for c in t["valdistrikt_kod"]]
        got = [n if w is not None else None for n, w in zip(t["valdistrikt"], want)]
        assert got == want
    # measures: the district behind max/min turnout
    m = compute_all(years=[2018, 2022], kommun="1280")
    ext = m[m["measure"].str.match(r"(max|min)_valdeltagande_riksdag$")]
    assert len(ext) == 4
    for kod, name, year in zip(ext["omrade_kod"], ext["omrade"], ext["year"]):
        for c, n in zip(kod.split("; "), name.split("; ")):
            assert n == vintages.name("valdistrikt", c, year)


def test_areas_cli_picks_the_vintage_of_a_year(real_store):
    code, out, err = run("areas", "--level", "valdistrikt", "--kommun", "1280", "--year", "2018", "--format", "csv")
    assert code == 0, err
    from io import StringIO

    df = pd.read_csv(StringIO(out), dtype=str)
    assert set(df["vintage"]) == {"Valdistrikt 2018"}
    assert df.set_index("code").loc["12800116", "name"] == "Katrinelund"


# --- 4. filters are validated ----------------------------------------------------------------

def test_unknown_group_names_the_groups(real_store):
    with pytest.raises(UnknownGroupError) as err:
        barometer.data("befolkning", level="kommun", years=[2023], kommun="Malmö", group="utrikes")
    assert err.value.valid == ["inrikes_fodda", "totalt", "utrikes_fodda"]
    assert "utrikes_fodda" in err.value.suggestions


@pytest.mark.parametrize("kwargs,error", [
    (dict(level="county"), UnknownLevelError),
    (dict(level="lan", kommun="Malmö"), FilterConflictError),
    (dict(level="riket", lan="Skåne"), FilterConflictError),
    (dict(kommun="Malmö", lan="Stockholm"), FilterConflictError),
    (dict(level="deso", years=[2023]), YearOutOfRangeError),
    (dict(years=["tjugo"]), YearOutOfRangeError),
    (dict(level="valdistrikt"), UnknownLevelError),
    (dict(group="kvinnor"), UnknownGroupError),
    (dict(kommun="Atlantis"), UnknownAreaError),
    (dict(lan="Atlantis"), UnknownAreaError),
])
def test_every_filter_is_validated(real_store, kwargs, error):
    with pytest.raises(error) as err:
        barometer.data("befolkning", **kwargs)
    assert isinstance(err.value, BarometerError)


def test_kommun_inside_lan_is_fine(real_store):
    df = barometer.data("befolkning", kommun="Malmö", lan="Skåne", level="kommun", years=[2023], group="totalt")
    assert len(df) == 1 and df["value"].iloc[0] > 300_000


def test_filters_on_a_hand_made_table():
    """The order of checks and the 'nothing at all' case, on a tiny long table."""
    from barometer.filters import select

    df = pd.DataFrame({"indicator": ["a", "a", "a", "b"], "level": ["kommun", "kommun", "regso", "kommun"],
                       "year": [2022, 2023, 2023, 2023], "group": ["totalt", "kvinnor", "totalt", "totalt"]})
    assert select(df, indicator="a", level="kommun", years=2023, group="kvinnor").tolist() == [False, True, False, False]
    with pytest.raises(FilterConflictError, match="'c' har inga värden i X"):
        select(df, indicator="c", where="i X")
    with pytest.raises(UnknownLevelError, match="Giltiga: kommun, regso"):
        select(df, indicator="a", level="deso")
    with pytest.raises(YearOutOfRangeError, match="Tillgängliga år: 2023"):
        select(df, indicator="a", level="regso", years=[2022])
    with pytest.raises(UnknownGroupError, match="Giltiga grupper: totalt"):  # kvinnor exists, but not in 2022
        select(df, indicator="a", level="kommun", years=[2022], group="kvinnor")


@pytest.mark.parametrize("args,needle", [
    (["data", "befolkning", "--level", "kommun", "--year", "2023", "--kommun", "Malmö", "--group", "utrikes"],
     "inrikes_fodda, totalt, utrikes_fodda"),
    (["data", "befolkning", "--kommun", "Malmö", "--level", "lan"], "ovanför kommunen"),
    (["data", "befolkning", "--kommun", "Malmö", "--lan", "Stockholm"], "ligger i Skåne län"),
    (["areas", "--level", "lan", "--kommun", "Malmö"], "ovanför kommunen"),
    (["areas", "--level", "county"], "ogiltigt val"),
    (["data", "andel utrikes födda"], 'andel_utrikes_fodda ("Andel utrikes födda")'),
    (["data", "Andel hyresratter"], "andel_hyresratt"),
    (["show", "Skåne"], "Skåne är ett län"),
    (["show", "Skåne"], "barometer report --lan Skåne"),
    (["report", "--lan", "Malmö"], "Malmö är en kommun"),
    (["report", "0180", "--year", "2024"], "Tillgängliga år: 2020, 2021, 2022, 2023"),
    (["measures", "--kommun", "Skåne"], "är ett län"),
])
def test_cli_bad_input_exits_2_on_one_line(real_store, args, needle):
    code, out, err = run(*args)
    assert code == 2, (out, err)
    assert needle in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""


def test_report_year_is_checked_before_any_kernel(real_store, tmp_path):
    from barometer.report import batch

    with pytest.raises(YearOutOfRangeError) as err:
        batch.render_one("0180", 2024, tmp_path, engine="papermill")
    assert err.value.available == [2020, 2021, 2022, 2023]
    assert not any(tmp_path.iterdir())


def test_indicator_label_suggestion(real_store):
    with pytest.raises(UnknownIndicatorError) as err:
        barometer.data("andel utrikes födda")
    assert err.value.suggestions[0].startswith("andel_utrikes_fodda")


# --- 5. papermill parameters -----------------------------------------------------------------

@pytest.mark.parametrize("value,level,code", [(114, "kommun", "0114"), (2080, "kommun", "2080"), (1, "lan", "01"),
                                              (12, "lan", "12")])
def test_integer_parameter_forming_a_code_is_accepted_with_a_note(real_store, value, level, code):
    from barometer.exceptions import ParameterCoercedWarning
    from barometer.geography import coerce_code_parameter

    with pytest.warns(ParameterCoercedWarning, match=f'"{code}"'):
        assert coerce_code_parameter(value, level) == code


@pytest.mark.parametrize("value,level", [(76, "kommun"), (99, "lan"), (True, "kommun"), (1.0, "lan"), (-114, "kommun")])
def test_other_numbers_are_refused_saying_how_to_pass_text(real_store, value, level):
    from barometer.geography import coerce_code_parameter

    with pytest.raises(UnknownAreaError, match="-r "):
        coerce_code_parameter(value, level)


def test_text_parameters_pass_unchanged(real_store, recwarn):
    from barometer.geography import coerce_code_parameter

    assert coerce_code_parameter("0114") == "0114" and coerce_code_parameter("Falu kommun") == "Falu kommun"
    assert not recwarn.list


def test_papermill_cli_with_integer_codes(real_store, tmp_path):
    """`papermill notebooks/kommunrapport.ipynb out.ipynb -p kommun 0114` (and lan 1) run through."""
    import shutil

    import nbformat

    from barometer.report.execute import notebook_path

    exe = shutil.which("papermill", path=str(__import__("pathlib").Path(sys.executable).parent))
    if exe is None:
        pytest.skip("papermill saknas")
    cases = [(notebook_path(), "kommun", "0114", "Upplands Väsby kommun"),
             (notebook_path().with_name("lansrapport.ipynb"), "lan", "1", "Stockholms län")]
    for nb_path, name, raw, expect in cases:
        out = tmp_path / f"{name}.ipynb"
        proc = subprocess.run([exe, str(nb_path), str(out), "-p", name, raw, "--no-progress-bar", "-k", "python3"],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        nb = nbformat.read(out, as_version=4)
        html = "".join("".join(o.get("data", {}).get("text/html", "")) for c in nb.cells for o in c.get("outputs", []))
        assert expect in html
        notes = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr")
        assert "lästes som koden" in notes


def test_report_classes_read_the_year_like_the_cli(real_store):
    """A year as text (papermill -r, YAML "2022") is read; a bad one is a BarometerError, not ValueError."""
    from barometer.report.context import KommunReport, LanReport
    from barometer.report.riket import RiketReport

    assert KommunReport("0180", "2022").year == 2022
    for make in (lambda y: KommunReport("0180", y), lambda y: LanReport("12", y), lambda y: RiketReport(y)):
        with pytest.raises(YearOutOfRangeError, match="Tillgängliga år: 2020, 2021, 2022, 2023"):
            make("tjugo")
