"""Indicators by områdestyp on the real store: totals add up, riket recomputed from the raw files, API and CLI."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

import barometer
from barometer.cli import main
from barometer.exceptions import (UnknownAreaError, UnknownChoiceError, UnknownIndicatorError,
                                  UnknownLevelError, YearOutOfRangeError)

TYPES = ["1", "2", "3", "4", "5"]


# --- an independent computation straight from the raw CSV files (no barometer code) -------------

def _label(s: pd.Series) -> pd.Series:
    """SCB's "Kommun (RegSO)" label, normalised as data-notes.md says (space before ')', en dash)."""
    return s.str.replace(r"\s+\)", ")", regex=True).str.replace("–", "-").str.strip()


def _raw_types(snapshot, year: int) -> pd.Series:
    raw = pd.read_csv(snapshot / f"addegezon_deso_index/regso_socioekonomisk_index_{year}.csv", dtype=str,
                      header=0, names=["label", "typ"])
    raw = raw[raw["typ"].isin(TYPES)]
    return raw.assign(label=_label(raw["label"])).set_index("label")["typ"]


def _raw_foreign_born(snapshot) -> pd.DataFrame:
    raw = pd.read_csv(snapshot / "mumbokatten_regso_demographics/deso_foreign_born.csv", encoding="utf-8-sig")
    raw["label"] = _label(raw["region"])
    long = raw.melt(id_vars=["label", "födelseregion"], value_vars=[c for c in raw.columns if c.startswith("Antal")],
                    var_name="year", value_name="n")
    long["year"] = long["year"].str[-4:].astype(int)
    wide = long.pivot_table(index=["label", "year"], columns="födelseregion", values="n", aggfunc="sum")
    return pd.DataFrame({"num": wide["totalt"] - wide["Sverige"], "den": wide["totalt"]}).reset_index()


def _raw_tenure(snapshot) -> pd.DataFrame:
    raw = pd.read_csv(snapshot / "mumbokatten_regso_demographics/deso_housing_tenure.csv", encoding="utf-8-sig")
    raw["label"] = _label(raw["region"])
    long = raw.melt(id_vars=["label", "upplåtelseform"], value_vars=[c for c in raw.columns if c.startswith("Antal")],
                    var_name="year", value_name="n")
    long["year"] = long["year"].str[-4:].astype(int)
    wide = long.pivot_table(index=["label", "year"], columns="upplåtelseform", values="n", aggfunc="sum")
    known = wide["hyresrätt"] + wide["bostadsrätt"] + wide["äganderätt"]
    return pd.DataFrame({"num": wide["hyresrätt"], "den": known}).reset_index()


def _raw_share_by_type(frame: pd.DataFrame, types: pd.Series, year: int) -> pd.Series:
    f = frame[frame["year"] == year].copy()
    f["typ"] = f["label"].map(types)
    assert f["typ"].notna().all(), "every RegSO label joins the type file"
    g = f.groupby("typ")[["num", "den"]].sum()
    g.loc["1-2"] = g.loc[["1", "2"]].sum()
    g.loc["4-5"] = g.loc[["4", "5"]].sum()
    return 100 * g["num"] / g["den"]


@pytest.fixture(scope="module")
def snapshot(real_store):
    from barometer import config

    return config.snapshot_dir()


@pytest.mark.parametrize("indicator,reader", [("andel_utrikes_fodda", _raw_foreign_born),
                                              ("andel_hyresratt", _raw_tenure)])
@pytest.mark.parametrize("year,klassning,type_year", [(2022, "samma_ar", 2022), (2023, "samma_ar", 2023),
                                                      (2020, "fast", 2023), (2022, "fast", 2023)])
def test_riket_shares_equal_an_independent_computation_from_raw_files(snapshot, indicator, reader, year,
                                                                       klassning, type_year):
    expected = _raw_share_by_type(reader(snapshot), _raw_types(snapshot, type_year), year)
    got = barometer.data(indicator, level="riket", years=[year], by="omradestyp", klassning=klassning)
    got = got.set_index("omradestyp")["value"]
    for t in TYPES + ["1-2", "4-5"]:
        assert got[t] == pytest.approx(expected[t], rel=1e-12), t
    assert got["skillnad"] == pytest.approx(expected["1-2"] - expected["4-5"], rel=1e-12)


@pytest.mark.parametrize("indicator,group", [("befolkning", "totalt"), ("befolkning", "utrikes_fodda"),
                                             ("lagenheter", "totalt"), ("lagenheter", "hyresratt")])
@pytest.mark.parametrize("klassning", ["samma_ar", "fast"])
def test_counts_per_type_add_up_to_the_units_total(real_store, indicator, group, klassning):
    by = barometer.data(indicator, group=group, by="omradestyp", klassning=klassning)
    by = by[by["omradestyp"].isin(TYPES)]
    sums = by.groupby(["level", "area_code", "year"])["value"].sum(min_count=1)
    own = barometer.data(indicator, group=group)
    own = own[own["level"].isin(["riket", "lan", "kommun"])].set_index(["level", "area_code", "year"])["value"]
    both = pd.concat({"sum": sums, "own": own}, axis=1, join="inner")
    assert len(both) == (290 + 21 + 1) * (2 if klassning == "samma_ar" else 4)
    np.testing.assert_allclose(both["sum"], both["own"])
    # groups are sums of their types
    wide = barometer.data(indicator, group=group, by="omradestyp", klassning=klassning)
    w = wide.pivot_table(index=["level", "area_code", "year"], columns="omradestyp", values="value", dropna=False)
    np.testing.assert_allclose(w["1-2"].fillna(0), w["1"].fillna(0) + w["2"].fillna(0))


def test_malmo_by_type_through_the_api(real_store):
    df = barometer.data("andel_utrikes_fodda", level="kommun", kommun="Malmö", by="omradestyp")
    assert set(df["area_code"]) == {"1280"} and set(df["area_name"]) == {"Malmö"}
    assert set(df["klassning"]) == {"samma_ar"} and sorted(df["year"].unique()) == [2022, 2023]
    row = df[(df["year"] == 2023)].set_index("omradestyp")
    assert row.loc["1", "value"] == pytest.approx(100 * row.loc["1", "numerator"] / row.loc["1", "denominator"])
    assert row.loc["1", "value"] > row.loc["5", "value"]
    assert row.loc["skillnad", "unit"] == "procentenheter"
    ids = {p["source_id"] for p in df.attrs["provenance"]}
    assert {"scb_omradestyp", "scb_regso_fodelseregion"} <= ids
    fast = barometer.data("andel_utrikes_fodda", kommun="1280", by="omradestyp", klassning="fast")
    assert sorted(fast["year"].unique()) == [2020, 2021, 2022, 2023]


def test_a_kommun_with_a_single_type_says_the_comparison_is_impossible(real_store):
    df = barometer.data("andel_utrikes_fodda", by="omradestyp", level="kommun", years=[2023])
    present = df[df["omradestyp"].isin(TYPES) & (df["n_regso"] > 0)].groupby("area_code").size()
    single = present[present == 1].index
    assert len(single) > 0
    gap = df[df["area_code"].isin(single) & (df["omradestyp"] == "skillnad")]
    assert gap["value"].isna().all() and (gap["status"] == "not_applicable").all()
    assert gap["note"].str.startswith("jämförelsen är inte möjlig").all()
    empty = df[df["area_code"].isin(single) & (df["n_regso"] == 0)]
    assert empty["value"].isna().all()  # never 0


def test_mean_income_is_labelled_as_an_approximation(real_store):
    df = barometer.data("medelloneinkomst", level="riket", by="omradestyp", years=[2023])
    types = df[df["omradestyp"].isin(TYPES)]
    assert (types["status"] == "estimated").all()
    assert types["note"].str.contains("befolkningsviktat närmevärde").all()
    assert df.set_index("omradestyp").loc["skillnad", "unit"] == "kvot"


@pytest.mark.parametrize("kwargs,error,needle", [
    ({"by": "omradestyp", "klassning": "rörlig"}, UnknownChoiceError, "samma_ar, fast"),
    ({"klassning": "fast"}, UnknownChoiceError, "--by omradestyp"),
    ({"by": "kommun"}, UnknownChoiceError, "omradestyp"),
    ({"by": "omradestyp", "level": "regso"}, UnknownLevelError, "riket, lan, kommun"),
    ({"by": "omradestyp", "years": [2021]}, YearOutOfRangeError, "2022, 2023"),
    ({"by": "omradestyp", "kommun": "Atlantis"}, UnknownAreaError, "Okänd kommun"),
    ({"by": "omradestyp", "group": "hyresratt"}, UnknownChoiceError, "totalt"),
])
def test_bad_input_names_the_valid_choices(real_store, kwargs, error, needle):
    with pytest.raises(error) as err:
        barometer.data("andel_utrikes_fodda", **kwargs)
    assert needle in str(err.value)


def test_indicator_not_held_by_type(real_store):
    with pytest.raises(UnknownIndicatorError, match="andel_utrikes_fodda"):
        barometer.data("valdeltagande_riksdag", by="omradestyp")


def test_cli_csv(real_store, capsys):
    assert main(["data", "andel_hyresratt", "--by", "omradestyp", "--level", "lan", "--lan", "Skåne",
                 "--year", "2023", "--klassning", "fast", "--format", "csv"]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"area_code": str})
    for col in ("level", "area_code", "year", "omradestyp", "klassning", "value", "numerator", "denominator",
                "status", "note", "area_name", "source_id"):
        assert col in df.columns
    assert set(df["area_code"]) == {"12"} and set(df["klassning"]) == {"fast"}
    assert list(df["omradestyp"].astype(str)) == ["1", "2", "3", "4", "5", "1-2", "4-5", "skillnad"]


@pytest.mark.parametrize("args,needle", [
    (["--klassning", "rorlig"], "ogiltigt val"),
    (["--by", "kommun"], "ogiltigt val"),
    (["--klassning", "fast"], "giltiga: omradestyp"),
    (["--by", "omradestyp", "--year", "2019"], "Tillgängliga år: 2022, 2023"),
    (["--by", "omradestyp", "--level", "valdistrikt"], "Giltiga: riket, lan, kommun"),
    (["--by", "omradestyp", "--kommun", "Atlantis"], "Okänd kommun"),
])
def test_cli_bad_input_exits_2(real_store, capsys, args, needle):
    with pytest.raises(SystemExit) if "ogiltigt val" in needle else _no_raise() as exc:
        code = main(["data", "andel_utrikes_fodda", *args])
    if exc is not None and hasattr(exc, "value"):
        code = exc.value.code
    assert code == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


class _no_raise:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
