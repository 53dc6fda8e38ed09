"""The build's small-area map classes: Fisher–Jenks breaks per kommun, indicator and year; views never import mapclassify."""

import subprocess
import sys

import numpy as np
import pandas as pd

from barometer.pipeline.area_classes import area_map_classes, natural_breaks


def _values(rows):
    return pd.DataFrame(rows, columns=["level", "area_code", "year", "indicator", "group", "value", "source_id",
                                       "kommun_code"])


def test_natural_breaks_by_hand():
    # two clear groups: the optimum split (least squared deviation) is between 3 and 10
    assert natural_breaks([1, 2, 3, 10, 11, 12], k=2).tolist() == [3.0, 12.0]
    # three: {1, 2} {6, 7} {20}
    assert natural_breaks([1, 2, 6, 7, 20, np.nan], k=3).tolist() == [2.0, 7.0, 20.0]
    # fewer distinct values than classes: one class per value; one value: one class; none: empty
    assert natural_breaks([5, 5, 8], k=5).tolist() == [5.0, 8.0]
    assert natural_breaks([4.0], k=5).tolist() == [4.0]
    assert natural_breaks([np.nan], k=5).size == 0


def test_area_map_classes_rows_per_kommun_indicator_year():
    rows = [("regso", f"0114R00{i}", 2023, "andel_utrikes_fodda", "totalt", v, "scb_x", "0114")
            for i, v in enumerate([10.0, 12.0, 40.0, 42.0, np.nan])]
    rows += [("regso", "0115R001", 2023, "andel_utrikes_fodda", "totalt", np.nan, "scb_x", "0115"),   # no value: no row
             ("kommun", "0114", 2023, "andel_utrikes_fodda", "totalt", 20.0, "scb_x", "0114"),        # not a small area
             ("regso", "0114R001", 2023, "omradestyp", "totalt", 3.0, "scb_y", "0114"),               # not a value map
             ("deso", "0114A0010", 2019, "mediannettoinkomst_deso", "totalt", 250.0, "mobiseg", "0114"),
             ("deso", "0114A0020", 2019, "mediannettoinkomst_deso", "totalt", 300.0, "mobiseg", "0114")]
    t = area_map_classes(_values(rows))
    assert t[["indicator", "level", "kommun_code", "year"]].values.tolist() == [
        ["andel_utrikes_fodda", "regso", "0114", 2023], ["mediannettoinkomst_deso", "deso", "0114", 2019]]
    share = t.iloc[0]
    assert share["n_areas"] == 4 and share["k"] == 4 and share["minimum"] == 10.0
    assert list(share["breaks"]) == [10.0, 12.0, 40.0, 42.0] and share["source_id"] == "scb_x"
    deso = t.iloc[1]
    assert deso["k"] == 2 and list(deso["breaks"]) == [250.0, 300.0]


def test_published_breaks_are_mapclassify_fisher_jenks(real_store):
    import mapclassify

    from barometer import store

    t = store.read_published("area_map_classes.parquet", filters=[("kommun_code", "=", "0380")])
    v = store.kommun_values("0380")
    row = t[(t["indicator"] == "andel_utrikes_fodda") & (t["year"] == 2023)].iloc[0]
    x = v[(v["indicator"] == "andel_utrikes_fodda") & (v["level"] == "regso") & (v["year"] == 2023)]["value"].dropna()
    assert row["n_areas"] == len(x) == 61
    np.testing.assert_allclose(list(row["breaks"]), mapclassify.FisherJenks(x.to_numpy(float), k=5).bins)


def test_a_report_with_maps_never_imports_mapclassify(real_store, tmp_path):
    code = ("import sys\nfrom barometer.report.areamaps import area_maps\nfrom barometer.report.context import KommunReport\n"
            "m = area_maps(KommunReport('0380', 2023))\nassert m['share_map'] and m['deso_map']\n"
            "print(sorted(k for k in ('mapclassify', 'numba') if k in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_report_and_utforska_colour_by_the_same_published_breaks(real_store):
    from barometer import maps, store
    from barometer.app.arealayer import _published_classes
    from barometer.report.areamaps import _classes
    from barometer.report.context import KommunReport

    v = store.kommun_values("0380")
    x = v[(v["indicator"] == "andel_utrikes_fodda") & (v["level"] == "regso") & (v["year"] == 2023)]
    vals = x.set_index("area_code")["value"]
    lowest, breaks = maps.class_breaks("0380", "andel_utrikes_fodda", 2023)
    cls, edges = _published_classes(vals, "0380", "andel_utrikes_fodda", 2023)
    assert edges == [lowest, *breaks] and len(breaks) == 5 and sorted(cls.unique()) == [0, 1, 2, 3, 4]
    for code, c in cls.items():  # each value within its class: above the previous break, at most its own
        assert vals[code] <= breaks[c] and (c == 0 or vals[code] > breaks[c - 1])
    # the report's legend edges are the same breaks, rounded to whole per cent
    assert _classes(KommunReport("0380", 2023), "andel_utrikes_fodda", 2023) == [
        float(np.floor(lowest)), *[round(b) for b in breaks[:-1]], float(np.ceil(breaks[-1]))]


def test_class_breaks_take_a_name_and_say_what_is_wrong(real_store):
    import pytest

    from barometer import maps
    from barometer.exceptions import UnknownAreaError, UnknownIndicatorError, YearOutOfRangeError

    assert maps.class_breaks("Uppsala", "andel_utrikes_fodda", 2023) == maps.class_breaks("0380", "andel_utrikes_fodda", 2023)
    assert maps.class_breaks("Malmö", "mediannettoinkomst_deso", 2019) is not None  # also without published polygons
    with pytest.raises(UnknownAreaError, match="Uppsala \\(0380\\)"):
        maps.class_breaks(380, "andel_utrikes_fodda", 2023)          # a code as a number: the closest match named
    with pytest.raises(UnknownIndicatorError, match="andel_utrikes_fodda"):
        maps.class_breaks("0380", "andel utrikes födda", 2023)       # a label, not an id: the valid ids listed
    with pytest.raises(YearOutOfRangeError, match="2020, 2021, 2022, 2023"):
        maps.class_breaks("0380", "andel_utrikes_fodda", 1999)
    with pytest.raises(UnknownAreaError, match="Närmast: Uppsala"):
        maps.regso_geometries("Upsala")                              # the kind: every kommun argument of barometer.maps
    assert len(maps.regso_geometries("Uppsala")) == 61 and maps.regso_geometries("1280") is None
