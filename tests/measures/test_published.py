"""The measures table published by `barometer build`: equal to the pure functions, filterable, read by the views."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from barometer.measures.compute import COLUMNS, compute_all


def _same(ours: pd.DataFrame, ref: pd.DataFrame) -> None:
    """Equal row for row: values to 1e-12 with NaN in the same places, text fields exactly."""
    ours, ref = ours.reset_index(drop=True), ref.reset_index(drop=True)
    assert len(ours) == len(ref)
    for col in COLUMNS:
        if col == "value":
            a, b = ours[col].to_numpy(float), ref[col].to_numpy(float)
            assert (np.isnan(a) == np.isnan(b)).all()
            assert np.nanmax(np.abs(a - b)) <= 1e-12
        else:
            assert ours[col].astype(str).tolist() == ref[col].astype(str).tolist(), col


def test_published_equals_compute_all_on_the_real_store(store, all_measures):
    from barometer import store as st

    _same(st.measures_table(), all_measures)


def test_selection_equals_compute_all_selection(store):
    from barometer.measures import published

    args = dict(years=[2022], kommun="Malmö", levels=["kommun", "lan", "riket"])
    _same(published(**args), compute_all(**args))
    _same(published(years=2018, kommun="1280"), compute_all(years=2018, kommun="1280"))


def test_provenance_in_rows_and_meta(store):
    from barometer import store as st
    from barometer.pipeline.derived import code_version
    from barometer.pipeline.snapshot import sha256_file

    m = st.measures_table()
    sources = set(st.sources_table()["source_id"])
    ids = {s for row in m["source_ids"].unique() for s in row.split("; ")}
    assert (m["source_ids"] != "").all() and ids <= sources
    d = m[(m["measure"] == "D_valdeltagande_region")]
    assert set(d["source_ids"]) == {"val_region_2022"}
    meta = json.loads((store / "meta.json").read_text(encoding="utf-8"))["tables"]["measures.parquet"]
    assert meta["code_version"] == code_version() and meta["rows"] == len(m)
    assert meta["inputs"]["values.parquet"] == sha256_file(store / "values.parquet")


def test_layout_filters_by_level_code_and_year(store):
    from barometer import store as st

    f = pq.ParquetFile(store / "measures.parquet")
    assert f.metadata.num_row_groups > 1
    assert str(f.schema_arrow.field("kommun_kod").type) in ("string", "large_string")
    t = f.read(columns=["level", "kommun_kod", "year"]).to_pandas()
    assert t.equals(t.sort_values(["level", "kommun_kod", "year"], kind="stable"))
    one = st.measures_table(level="kommun", codes="1280", years=2023)
    full = st.measures_table()
    assert len(one) and set(one["kommun_kod"]) == {"1280"} and set(one["year"]) == {2023}
    assert len(one) == ((full["level"] == "kommun") & (full["kommun_kod"] == "1280") & (full["year"] == 2023)).sum()
    # a filter on one kommun reads one row group, not the file
    groups = [i for i in range(f.metadata.num_row_groups)
              if f.metadata.row_group(i).column(1).statistics.min <= "1280" <= f.metadata.row_group(i).column(1).statistics.max
              and f.metadata.row_group(i).column(0).statistics.min <= "kommun"]
    assert len(groups) <= 2


def test_bad_level_is_a_barometer_error(store):
    from barometer import store as st
    from barometer.exceptions import UnknownLevelError

    with pytest.raises(UnknownLevelError):
        st.measures_table(level="regso")


def test_views_read_the_table_and_never_recompute(store, monkeypatch):
    """Every view's data functions run with the measure computation switched off."""
    import barometer.measures
    import barometer.measures.compute
    from barometer import factsheet
    from barometer.app import model
    from barometer.measures.cli import add_parser, run
    from barometer.report import context

    def forbidden(*args, **kwargs):
        raise AssertionError("a view recomputed the measures")

    for mod, name in ((barometer.measures, "compute_all"), (barometer.measures.compute, "compute_all"),
                      (barometer.measures.compute, "compute_frame")):
        monkeypatch.setattr(mod, name, forbidden)
    for cached in (context._measures, context._measure_lookup, context._ranking, model.national):
        cached.cache_clear()

    r = context.KommunReport("1280", 2023)
    f = r.facts()
    assert f["D"] == f["D"] and f["D_rank"]
    assert "Rang" in r.segregation().html() and "Länet" in r.omradestyper().html()
    nat = model.National()
    assert nat.riket_measures is not None and not nat.measures_message
    assert model.KommunData("1280", nat).measures() is not None
    assert "Valdeltagande riksdagsvalet 2022" in factsheet.render("1280")
    import argparse

    p = argparse.ArgumentParser()
    add_parser(p.add_subparsers())
    buf = io.StringIO()
    assert run(p.parse_args(["measures", "--year", "2023", "--kommun", "Malmö"]), buf) == 0
    assert buf.getvalue().startswith(",".join(COLUMNS))
    model.national.cache_clear()


def test_no_view_source_mentions_the_computation():
    """Views (report, explorer, fact sheet, CLI, their notebooks) read the table; none imports the computation."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    views = [*sorted((root / "barometer/report").rglob("*.py")), *sorted((root / "barometer/app").rglob("*.py")),
             root / "barometer/factsheet.py", root / "barometer/measures/cli.py", root / "barometer/cli.py",
             *[p for p in sorted((root / "notebooks").glob("*.ipynb")) if p.name != "analys.ipynb"]]
    offenders = [p.relative_to(root).as_posix() for p in views
                 if any(word in p.read_text(encoding="utf-8") for word in ("compute_all", "compute_frame"))]
    assert offenders == []


def test_published_validates_like_compute_all(store):
    from barometer.exceptions import UnknownAreaError, UnknownLevelError, YearOutOfRangeError
    from barometer.measures import published

    for kwargs, error in (({"years": 2019.5}, YearOutOfRangeError), ({"years": [2017]}, YearOutOfRangeError),
                          ({"kommun": "Atlantis"}, UnknownAreaError), ({"levels": ["regso"]}, UnknownLevelError),
                          ({"levels": "lan"}, None)):
        if error is None:
            assert set(published(**kwargs)["level"]) == {"lan"}
            continue
        with pytest.raises(error):
            published(**kwargs)
        with pytest.raises(error):
            compute_all(**kwargs)
