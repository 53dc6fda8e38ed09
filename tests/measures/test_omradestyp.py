"""Områdestyper summaries and change: fixtures by hand, real data against the official file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from barometer.exceptions import MeasureInputError
from barometer.measures import omradestyp_change, omradestyp_summary


def _toy():
    # Kommun 0001: types 1, 4, 4 (2022) → 2, 4, 3 (2023); kommun 0002: 5, NaN (2022) → 5, 5 (2023)
    rows = [
        ("0001R001", 2022, 1, 900), ("0001R002", 2022, 4, 2000), ("0001R003", 2022, 4, 3100),
        ("0001R001", 2023, 2, 1000), ("0001R002", 2023, 4, 2000), ("0001R003", 2023, 3, 3000),
        ("0002R001", 2022, 5, 700), ("0002R002", 2022, np.nan, 50),
        ("0002R001", 2023, 5, 700), ("0002R002", 2023, 5, 60),
    ]
    df = pd.DataFrame(rows, columns=["area_code", "year", "omradestyp", "befolkning"])
    df["kommun_code"] = df["area_code"].str[:4]
    df["riket_code"] = "00"
    return df


def test_summary_by_hand():
    s = omradestyp_summary(_toy())
    k1 = s.loc[("0001", 2023)]
    # 2023 in 0001: one RegSO each of types 2, 3, 4; populations 1000, 3000, 2000 of 6000
    assert [k1[f"antal_{k}"] for k in range(1, 6)] == [0, 1, 1, 1, 0]
    assert k1["befolkning_3"] == 3000
    assert k1["andel_befolkning_3"] == pytest.approx(0.5)
    assert k1["antal_1_2"] == 1 and k1["andel_befolkning_1_2"] == pytest.approx(1000 / 6000)
    assert sum(k1[f"andel_befolkning_{k}"] for k in range(1, 6)) == pytest.approx(1.0)
    k2 = s.loc[("0002", 2022)]
    assert k2["antal_5"] == 1 and k2["n_excluded"] == 1
    assert "utan områdestyp" in k2["note"]


def test_summary_riket_key():
    s = omradestyp_summary(_toy(), by=("riket_code", "year"))
    assert s.loc[("00", 2023), "antal_5"] == 2
    assert s.loc[("00", 2023), "n_areas"] == 5


def test_change_by_hand():
    c = omradestyp_change(_toy(), from_year=2022, to_year=2023)
    k1 = c.loc["0001"]
    # 1 → 2 (up, 1000 persons in 2023), 4 → 4, 4 → 3 (down, 3000)
    assert (k1["bytt_antal"], k1["hogre_antal"], k1["lagre_antal"]) == (2, 1, 1)
    assert (k1["hogre_befolkning"], k1["lagre_befolkning"], k1["bytt_befolkning"]) == (1000, 3000, 4000)
    k2 = c.loc["0002"]
    assert k2["bytt_antal"] == 0 and k2["n_excluded"] == 1  # R002 had no type in 2022


@pytest.mark.parametrize("bad", [0, 6, 2.5])
def test_bad_type_raises(bad):
    df = _toy()
    df.loc[0, "omradestyp"] = bad
    with pytest.raises(MeasureInputError, match="1–5"):
        omradestyp_summary(df)


def test_duplicate_regso_in_change_raises():
    df = pd.concat([_toy(), _toy().iloc[[0]]])
    with pytest.raises(MeasureInputError, match="flera gånger"):
        omradestyp_change(df, from_year=2022, to_year=2023)


# ---------------------------------------------------------------------------------------------
# Real data: counts must equal the official SCB/Delmos files exactly.
# ---------------------------------------------------------------------------------------------
OFFICIAL = {2022: [160, 289, 855, 1770, 289], 2023: [162, 293, 835, 1781, 292]}


def test_riket_counts_equal_official(all_measures):
    riket = all_measures[all_measures["level"] == "riket"]
    for year, counts in OFFICIAL.items():
        got = [riket.loc[(riket.year == year) & (riket.measure == f"omradestyp_{k}_antal"), "value"].item()
               for k in range(1, 6)]
        assert got == counts
    # Type 1 held 5.4 % of the population in 2022 (data notes).
    share = riket.loc[(riket.year == 2022) & (riket.measure == "omradestyp_1_andel_befolkning"), "value"].item()
    assert round(share, 1) == 5.4
    moved = riket.loc[(riket.year == 2023) & (riket.measure == "omradestyp_bytt_antal"), "value"].item()
    assert moved == 253  # data notes: 253 RegSO change type 2022 → 2023


def test_kommun_counts_equal_raw_source_file(all_measures):
    """Every kommun's type counts equal the official export, read independently of the pipeline."""
    from barometer import config

    snap = config.snapshot_dir() / "addegezon_deso_index"
    if not (snap / "regso_socioekonomisk_index_2023.csv").is_file():
        pytest.skip("raw snapshot not available")
    key = pd.read_csv(snap / "koppling-deso2018-regso2020.csv", dtype=str, encoding="utf-8-sig")
    key = key.drop_duplicates("RegSOkod_2020")
    key["label"] = key["Kommunnamn"] + " (" + key["RegSO_2020"] + ")"
    kommun = all_measures[all_measures["level"] == "kommun"]
    for year in (2022, 2023):
        raw = pd.read_csv(snap / f"regso_socioekonomisk_index_{year}.csv", header=0, names=["label", "typ"],
                          dtype=str, encoding="utf-8-sig")
        raw = raw[raw["typ"].isin(list("12345"))]
        assert len(raw) == 3363
        merged = raw.merge(key, on="label", how="inner")
        assert len(merged) == 3363
        expected = merged.groupby(["Kommun", "typ"]).size().unstack(fill_value=0)
        assert expected.sum().tolist() == OFFICIAL[year]
        got = (kommun[(kommun.year == year) & kommun.measure.str.fullmatch(r"omradestyp_[1-5]_antal")]
               .assign(typ=lambda d: d.measure.str[11])
               .pivot(index="kommun_kod", columns="typ", values="value").astype(int))
        got.index.name, got.columns.name = "Kommun", "typ"
        pd.testing.assert_frame_equal(got.sort_index(), expected.sort_index(), check_dtype=False)


def test_change_sums_match_counts(all_measures):
    riket = all_measures[(all_measures.level == "riket") & (all_measures.year == 2023)].set_index("measure")["value"]
    assert riket["omradestyp_bytt_antal"] == riket["omradestyp_hogre_antal"] + riket["omradestyp_lagre_antal"]
    for k in range(1, 6):
        assert riket[f"omradestyp_{k}_antal_forandring"] == OFFICIAL[2023][k - 1] - OFFICIAL[2022][k - 1]
