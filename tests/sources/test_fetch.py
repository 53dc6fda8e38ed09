"""fetch(): the catalogue drives the fetch; files reach data/raw/live whole or not at all; the CLI."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest
from upstream_server import Reply, scb_routes

from barometer.cli import main
from barometer.exceptions import (BarometerWarning, SourceFormatError, SourceUnavailableError,
                                  UnknownAreaError, UnknownIndicatorError)
from barometer.sources._output import sha256_file
from barometer.sources.fetch import fetch

IND = "andel_lag_ekonomisk_standard"
DATA = "/api/v2/tables/TAB6685/data"
META_KEYS = {"source_id", "publisher", "title", "table_id", "url", "query", "retrieved", "licence", "sha256", "kind"}


def live_files(folder):
    return sorted(p.name for p in (folder / "raw" / "live").iterdir()) if (folder / "raw" / "live").exists() else []


def snapshot(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (folder / "raw" / "live").iterdir()}


def test_fetch_writes_parquet_and_meta(env, upstream, catalog):
    scb_routes(upstream)
    paths = fetch([IND], kommun="1780", catalog=catalog)
    target = env / "raw" / "live" / f"{IND}.parquet"
    assert paths == [target]
    assert live_files(env) == [f"{IND}.meta.json", f"{IND}.parquet"]
    df = pd.read_parquet(target)
    assert len(df) == 6 and set(df["source_id"]) == {f"live:{IND}"}
    assert df["area_code"].map(type).eq(str).all() and df["year"].dtype == "int64"
    meta = json.loads((env / "raw" / "live" / f"{IND}.meta.json").read_text(encoding="utf-8"))
    assert META_KEYS <= set(meta)
    assert meta["kind"] == "live" and meta["source_id"] == f"live:{IND}" and meta["table_id"] == "TAB6685"
    assert meta["sha256"] == sha256_file(target)
    assert meta["url"].startswith(f"{upstream.scb}/tables/TAB6685/data?") and "codelist%5BRegion%5D=vs_RegSO2020" in meta["url"]
    assert meta["query"]["valueCodes"] == {"ContentsCode": ["000008AC"], "Alder": ["tot"]}
    assert meta["retrieved"].endswith("+00:00") and meta["coverage"] == ["1780"]


def test_failed_fetch_leaves_existing_files_untouched(env, upstream, catalog, sleeps):
    scb_routes(upstream)
    fetch([IND], kommun="1780", catalog=catalog)
    before = snapshot(env)
    upstream.add(DATA, Reply(500, body={"title": "Internal Server Error"}))
    with pytest.raises(SourceUnavailableError) as info:
        fetch([IND], kommun="1780", catalog=catalog)
    assert info.value.status == 500 and info.value.attempts == 5
    assert f"{upstream.scb}/tables/TAB6685/data?" in str(info.value)
    assert snapshot(env) == before  # same files, same bytes, no .part left behind
    assert len(upstream.calls(DATA)) == 1 + 5


def test_truncated_answer_writes_nothing(env, upstream, catalog):
    scb_routes(upstream)
    body = b'{"version": "2.0", "class": "dataset", "id": ["Region"], "size": [3], "value": [8.1, 8.4'
    upstream.add(DATA, Reply(body=body))
    with pytest.raises(SourceFormatError, match="avkortad JSON"):
        fetch([IND], kommun="1780", catalog=catalog)
    assert live_files(env) == []


def test_cut_off_body_keeps_the_old_files(env, upstream, catalog):
    scb_routes(upstream)
    fetch([IND], kommun="1780", catalog=catalog)
    before = snapshot(env)
    upstream.add(DATA, Reply(file="scb/TAB6685_data.json", content_length=100_000))
    with pytest.raises(SourceFormatError, match="avbröts"):
        fetch([IND], kommun="1780", catalog=catalog)
    assert snapshot(env) == before


def test_kommun_fetch_merges_into_an_earlier_file(env, upstream, catalog):
    scb_routes(upstream)
    fetch([IND], kommun="1780", catalog=catalog)
    upstream.add(DATA, Reply(file="scb/TAB6685_data_kristinehamn.json"))
    fetch([IND], kommun="1781", catalog=catalog)
    df = pd.read_parquet(env / "raw" / "live" / f"{IND}.parquet")
    assert sorted(df["area_code"].unique()) == ["1780R001", "1780R002", "1780R003", "1781R001"]
    meta = json.loads((env / "raw" / "live" / f"{IND}.meta.json").read_text(encoding="utf-8"))
    assert meta["coverage"] == ["1780", "1781"] and meta["rows"] == 8
    assert meta["sha256"] == sha256_file(env / "raw" / "live" / f"{IND}.parquet")


def test_dest_overrides_the_data_folder(env, upstream, catalog, tmp_path):
    scb_routes(upstream)
    (path,) = fetch([IND], kommun="1780", catalog=catalog, dest=tmp_path / "elsewhere")
    assert path == tmp_path / "elsewhere" / "live" / f"{IND}.parquet"
    assert live_files(env) == []


def test_all_live_skips_what_cannot_be_fetched(env, upstream, catalog):
    scb_routes(upstream)
    upstream.add("/v3/kpi/N31807", Reply(file="kolada/kpi_N31807.json"))
    upstream.add("/v3/data/kpi/N31807/municipality/1780/year/2022,2023", Reply(file="kolada/data_N31807_1780.json"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = fetch(kommun="1780", catalog=catalog)
    assert [p.stem for p in paths] == [IND, "andel_forvarvsarbetande_20_64", "ekonomiskt_bistand"]
    skipped = [str(w.message) for w in caught if issubclass(w.category, BarometerWarning)]
    assert len(skipped) == 1 and "gymnasiebehorighet" in skipped[0] and "KPI" in skipped[0]


def test_unknown_or_offline_indicator(env, catalog):
    with pytest.raises(UnknownIndicatorError) as info:
        fetch(["nope"], catalog=catalog)
    assert IND in str(info.value)
    with pytest.raises(UnknownIndicatorError):
        fetch(["befolkning"], catalog=catalog)  # offline: not fetchable live
    with pytest.raises(SourceFormatError, match="KPI"):
        fetch(["gymnasiebehorighet"], catalog=catalog)


@pytest.mark.parametrize("kommun", ["178", "abcd", "0017", ""])
def test_bad_kommun(env, catalog, kommun):
    with pytest.raises(UnknownAreaError):
        fetch([IND], kommun=kommun, catalog=catalog)


def test_catalogue_from_yaml(env, upstream, catalog, tmp_path):
    import yaml

    path = tmp_path / "indicators.yml"
    path.write_text(yaml.safe_dump({"indicators": catalog}, allow_unicode=True), encoding="utf-8")
    scb_routes(upstream)
    assert [p.stem for p in fetch([IND], kommun="1780", catalog=path)] == [IND]


def test_geometries_only(env, upstream, catalog):
    pytest.importorskip("geopandas")
    upstream.add("/geoserver/stat/wfs", lambda q: Reply(
        file="wfs/regso_2020_1780.json" if q["typeNames"] == "stat:RegSO_2020" else "wfs/exception.xml"))
    with pytest.raises(SourceFormatError, match="unknown"):  # DeSO is not served here
        fetch([], kommun="1780", geometries=True, catalog=catalog)
    assert (env / "raw" / "geo" / "regso_2020.parquet").is_file()
    assert not (env / "raw" / "geo" / "deso_2018.parquet").exists()


def test_real_catalogue_selects_with_warnings_not_errors():
    from barometer.sources.fetch import load_catalog, not_fetchable, select

    entries = load_catalog()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chosen = select(entries, None)
    live = [e for e in entries if e.get("status") == "live"]
    assert len(chosen) + len(caught) == len(live)
    assert all(not_fetchable(e) is None for e in chosen)


# -- CLI (against the real catalogue's entry, served by the local server) ------------------------

def _real_entry_or_skip():
    from barometer.sources.fetch import load_catalog

    entry = next((e for e in load_catalog() if e["id"] == IND), None)
    live = (entry or {}).get("live") or {}
    if entry is None or entry.get("status") != "live" or not str(live.get("table", "")).startswith("TAB6685") \
            or live.get("query") != {"ContentsCode": ["000008AC"], "Alder": ["tot"]}:
        pytest.skip(f"the catalogue's {IND} entry no longer matches the recorded TAB6685 answers")


def test_cli_fetch(env, upstream, capsys):
    _real_entry_or_skip()
    scb_routes(upstream)
    assert main(["fetch", "--kommun", "1780", "--indicator", IND, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"raw/live/{IND}.parquet" in out
    assert live_files(env) == [f"{IND}.meta.json", f"{IND}.parquet"]


def test_cli_failure_is_one_swedish_line_with_address_and_status(env, upstream, capsys):
    _real_entry_or_skip()
    scb_routes(upstream)
    upstream.add(DATA, Reply(503, body={"title": "Service Unavailable"}))
    assert main(["fetch", "--kommun", "1780", "--indicator", IND, "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("barometer: fel: Kunde inte hämta http://127.0.0.1:")
    assert "/tables/TAB6685/data?" in err[0] and "status 503" in err[0] and "5 försök" in err[0]
    assert live_files(env) == []


def test_cli_unknown_indicator(env, capsys):
    assert main(["fetch", "--indicator", "finns_inte", "--quiet"]) == 2
    assert "finns_inte" in capsys.readouterr().err


def test_fetched_values_are_published_by_build_as_live(env, upstream, catalog, real_store):
    """fetch → raw layer → `barometer build` → store: values carry a live source, snapshot ones stay."""
    import shutil

    from barometer import store
    from barometer.pipeline import build

    scb_routes(upstream)
    fetch([IND], kommun="1780", catalog=catalog)
    shutil.copytree(real_store.parent / "tidy", env / "tidy")  # reuse the tidy steps: only publish reruns
    report = build(progress=False)
    assert report.published and not report.rebuilt
    v = store.values_table()
    live = v[v["indicator"] == IND]
    assert len(live) == 6 and set(live["source_id"].astype(str)) == {f"live:{IND}"}
    src = store.sources_table().set_index("source_id")
    assert src.loc[f"live:{IND}", "kind"] == "live" and src.loc["scb_omradestyp", "kind"] == "snapshot"
    assert src.loc[f"live:{IND}", "url"].startswith(upstream.scb)
    # a tampered fetch never reaches the store
    (env / "raw" / "live" / f"{IND}.parquet").write_bytes(b"broken")
    build(progress=False)
    assert (store.values_table()["indicator"] == IND).sum() == 0
