"""The published store built from the real snapshot: integrity, provenance and the Python API."""

import json
import shutil

import pytest

import barometer
from barometer.exceptions import (ChecksumMismatchError, MissingSourceError, UnknownAreaError,
                                  UnknownIndicatorError, UnknownLevelError, YearOutOfRangeError)


def test_area_counts(real_store):
    a = barometer.areas()
    counts = a.groupby("level").size().to_dict()
    assert counts["riket"] == 1 and counts["lan"] == 21 and counts["kommun"] == 290
    assert counts["regso"] == 3363 and counts["deso"] == 5984
    assert a["code"].map(type).eq(str).all()
    k = barometer.areas("kommun")
    assert (k["skr_grupp_kod"] != "").all()  # every kommun has its SKR group


def test_every_regso_in_exactly_one_kommun(real_store):
    r = barometer.areas("regso")
    assert r["code"].is_unique
    assert (r["code"].str[:4] == r["parent_code"]).all()
    assert set(r["parent_code"]) == set(barometer.areas("kommun")["code"])


@pytest.mark.parametrize("query,code", [("Malmö", "1280"), ("malmo", "1280"), ("MALMÖ", "1280"), ("0180", "0180"),
                                        ("Habo", "0643"), ("Håbo", "0305"), ("upplands-bro", "0139"),
                                        ("Malung-Sälen", "2023"), ("Göteborgs kommun", "1480")])
def test_kommun_lookup(real_store, query, code):
    assert barometer.kommun(query).code == code


@pytest.mark.parametrize("query", ["Malmoe", "Atlantis", "9999", 114, "", "0114R001"])
def test_unknown_kommun_lists_closest(real_store, query):
    with pytest.raises(UnknownAreaError) as err:
        barometer.kommun(query)
    assert "barometer areas --level kommun" in str(err.value)
    if query == "Malmoe":
        assert "Malmö (1280)" in err.value.suggestions


def test_lan_lookup(real_store):
    assert barometer.lan("Skåne").code == "12"
    assert barometer.lan("skane lan").code == "12"
    assert barometer.lan("01").name == "Stockholms län"
    assert barometer.lan("Gotland").code == "09" and barometer.lan("östergötland").code == "05"


def test_omradestyp_counts_equal_the_official_file(real_store):
    v = barometer.data("omradestyp", level="regso")
    counts = v.groupby("year")["value"].value_counts().unstack().astype(int)
    assert counts.loc[2022].tolist() == [160, 289, 855, 1770, 289]
    assert counts.loc[2023].tolist() == [162, 293, 835, 1781, 292]


def test_riket_vote_totals_equal_published(real_store):
    v = barometer.data("valdeltagande_riksdag", level="riket")
    by_year = v.set_index("year")
    assert by_year.loc[2018, "denominator"] == 7_495_936
    assert by_year.loc[2022, "denominator"] == 7_775_390
    assert by_year.loc[2022, "numerator"] == 6_547_801
    assert by_year.loc[2022, "value"] == pytest.approx(84.21, abs=0.005)
    assert by_year.loc[2018, "value"] == pytest.approx(87.18, abs=0.005)


def test_counts_sum_regso_kommun_riket(real_store):
    v = barometer.data("befolkning", group="totalt", years=[2023])
    regso = v[v["level"] == "regso"]["value"].sum()
    kommun = v[v["level"] == "kommun"]["value"].sum()
    riket = v[v["level"] == "riket"]["value"].item()
    assert regso == kommun == riket == 10_551_707


def test_missing_values_are_nan_with_reason(real_store):
    v = barometer.store.values_table() if hasattr(barometer, "store") else None
    from barometer import store
    v = store.values_table()
    nan = v[v["value"].isna()]
    assert len(nan) > 0
    assert (nan["status"].astype(str) != "ok").all()
    assert (nan["note"].astype(str) != "").all()
    # suppressed 2023 unemployment ('..') is NaN, and the source's 0 averages of fully suppressed rows too
    a = v[(v["indicator"] == "arbetslosa") & (v["status"] == "suppressed")]
    assert a["value"].isna().all() and len(a) > 1000


def test_no_negative_counts_and_unique_keys(real_store):
    from barometer import store
    v = store.values_table()
    assert not (v["value"] < 0).any()
    assert not v.duplicated(["level", "area_code", "year", "indicator", "group"]).any()


def test_every_value_has_a_source_with_provenance(real_store):
    from barometer import store
    v = store.values_table()
    src = barometer.provenance()
    assert set(v["source_id"].astype(str)) <= set(src["source_id"])
    for col in ("publisher", "title", "table_id", "retrieved", "licence"):
        assert (src[col].astype(str) != "").all(), col
    df = barometer.data("valdeltagande_riksdag", kommun="Malmö", level="valdistrikt", years=[2022])
    prov = df.attrs["provenance"]
    assert prov and prov[0]["publisher"] == "Valmyndigheten" and prov[0]["retrieved"]
    assert df["area_code"].str.len().eq(8).all() and df["area_code"].str.startswith("1280").all()


def test_data_api_errors(real_store):
    with pytest.raises(UnknownIndicatorError, match="foo"):
        barometer.data("foo")
    with pytest.raises(YearOutOfRangeError, match="2018, 2022"):
        barometer.data("valdeltagande_riksdag", years=[2019])
    with pytest.raises(UnknownLevelError):
        barometer.data("medelloneinkomst", level="kommun")
    with pytest.raises(UnknownAreaError):
        barometer.data("befolkning", kommun="Atlantis")


def test_store_holds_all_staged_sources(real_store):
    from barometer import store
    ind = set(store.meta()["indicators"])
    for needed in ["omradestyp", "befolkning", "andel_utrikes_fodda", "lagenheter", "andel_hyresratt",
                   "medelloneinkomst", "valdeltagande_riksdag", "valdeltagande_region", "valdeltagande_kommun",
                   "valdeltagande_alder", "valdeltagande_utbildning", "befolkning_alder_kon", "utbildningsniva",
                   "arbetslosa"]:
        assert needed in ind
    # every store indicator is described in the catalogue
    assert ind <= set(barometer.indicators()["id"])


def test_checks_report_written(real_store):
    checks = json.loads((real_store / "checks.json").read_text(encoding="utf-8"))
    names = {c["check"] for c in checks}
    assert {"riket_rostberattigade_riksdag_2018", "riket_rostberattigade_riksdag_2022",
            "regso_i_exakt_en_kommun", "befolkning_regso_mot_kommuntabell"} <= names
    assert all(c["ok"] for c in checks)


def test_second_build_is_a_noop(real_store):
    from barometer.pipeline import build
    r = build(progress=False)
    assert not r.published and not r.rebuilt


@pytest.fixture
def copied_snapshot(tmp_path, monkeypatch, real_store):
    from barometer import config
    snap = tmp_path / "snap"
    shutil.copytree(config.snapshot_dir(), snap)
    for p in snap.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    data = tmp_path / "data"
    shutil.copytree(config.store_dir(), data / "store")
    monkeypatch.setenv("BAROMETER_SNAPSHOT", str(snap))
    monkeypatch.setenv("BAROMETER_DATA", str(data))
    return snap, data


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corrupt_file_stops_build_and_leaves_store_untouched(copied_snapshot):
    from barometer.pipeline import build
    snap, data = copied_snapshot
    before = _tree(data)
    target = snap / "mumbokatten_regso_demographics/deso_income.csv"
    target.write_bytes(target.read_bytes()[:-100])
    with pytest.raises(ChecksumMismatchError, match="deso_income.csv"):
        build(progress=False)
    assert _tree(data) == before


def test_missing_file_is_named(copied_snapshot):
    from barometer.pipeline import build
    snap, data = copied_snapshot
    (snap / "sidebo_val2022/ri_tab4_2022.xlsx").unlink()
    with pytest.raises(MissingSourceError, match="ri_tab4_2022.xlsx"):
        build(progress=False)


def test_interrupted_swap_is_recovered(copied_snapshot):
    from barometer.pipeline import build
    from barometer import store
    snap, data = copied_snapshot
    (data / "store").rename(data / "store.old")  # as if killed between the two renames
    build(progress=False)
    assert (data / "store" / "values.parquet").is_file() and not (data / "store.old").exists()
    assert len(store.values_table()) > 500_000


def test_cli_build_with_corrupt_file_exits_2_and_names_it(copied_snapshot):
    import os
    import subprocess
    import sys

    snap, data = copied_snapshot
    before = _tree(data)
    target = snap / "jonas_kommun_sqlite/Kommun_Statistik.db"
    target.write_bytes(b"not a database")
    proc = subprocess.run([sys.executable, "-m", "barometer", "build", "--quiet"], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)
    assert proc.returncode == 2
    assert "Kommun_Statistik.db" in proc.stderr and "Traceback" not in proc.stderr
    assert _tree(data) == before


def test_gap_in_source_is_missing_not_a_partial_sum(real_store):
    # the education extract lacks "förgymnasial kortare än 9 år" for Upplands Väsby: the kommun's
    # total and shares are NaN with a reason, and the sums above it are flagged as estimates
    k = barometer.data("utbildningsniva", kommun="0114", level="kommun", group="totalt/totalt")
    assert k["value"].isna().all() and (k["status"] == "missing").all()
    share = barometer.data("andel_forgymnasial", kommun="0114", level="kommun")
    assert share["value"].isna().all() and share["note"].str.contains("saknas").all()
    lan = barometer.data("utbildningsniva", level="lan", group="totalt/totalt")
    assert set(lan.loc[lan["area_code"] == "01", "status"]) == {"estimated"}
    assert set(lan.loc[lan["area_code"] == "12", "status"]) == {"ok"}


def test_unemployment_share_16_64(real_store):
    d = barometer.data("arbetslosa_andel_16_64", level="riket").set_index("year")
    # yearly mean of the 12 monthly counts over the population 16–64 of the same year
    assert set(d.index) == {2018, 2022}
    assert 4 < d.loc[2022, "value"] < 8 and d.loc[2022, "denominator"] > 6_000_000
    k = barometer.data("arbetslosa_andel_16_64", kommun="1280", level="kommun").set_index("year")
    months = barometer.data("arbetslosa", kommun="1280", level="kommun", years=[2022])
    months = months[months["group"].str.match(r"^totalt/totalt/2022-\d\d$")]
    assert len(months) == 12 and k.loc[2022, "numerator"] == pytest.approx(months["value"].mean())
