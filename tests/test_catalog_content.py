"""Content checks of the indicator catalogue, barometer/catalog/indicators.yml.

The catalogue is data, so these tests check its shape (keys, allowed values), its links to the
staged snapshot (every offline file exists) and its agreement with the project documents
(docs/architecture.md's offline table, shared/docs/methodology.md's table ids and codes).
Checks that need a file outside the repository skip when that file is absent.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "barometer" / "catalog" / "indicators.yml"
ARCHITECTURE = REPO / "docs" / "architecture.md"
SNAPSHOT_MANIFEST = REPO / "data" / "manifest.yml"
METHODOLOGY = REPO.parent / "shared" / "docs" / "methodology.md"

ENTRY_KEYS = {
    "id", "label_sv", "label_en", "area", "unit", "numerator", "denominator", "levels", "years",
    "source", "definition", "status", "barometer", "note", "live",
}
SOURCE_KEYS = {"publisher", "table", "address", "snapshot_file"}
LIVE_KEYS = {"api", "query", "region_codelist", "group_map"}  # plus "table" and/or "kpi"

AREAS = {"inkomst", "arbete", "utbildning", "bostad", "demokrati", "halsa", "befolkning",
         "omradestyp"}
STATISTICAL_AREAS = {"inkomst", "arbete", "utbildning", "bostad", "demokrati", "halsa"}
UNITS = {"procent", "antal", "tkr", "typ", "index"}
STATUSES = {"offline", "live", "unavailable"}
LEVELS = {"riket", "lan", "kommun", "regso", "deso", "valdistrikt"}
APIS = {"scb-pxweb-v2", "kolada", "scb-wfs"}

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
# A certainty marker of methodology.md: [verified: S1], [third-party: S20], [inferred], [not found].
MARKER = re.compile(r"\[(verified|third-party|inferred|not found)(: [^\]]+)?\]")
# File paths under shared/data named in notes ("dir/file.ext").
SNAPSHOT_PATH = re.compile(r"\b[\w-]+/[\w.-]+\.(?:csv\.gz|csv|xlsx|sqlite3|sqlite|db|dbf\.gz)\b")
# ASCII-folded spellings of Swedish words that must carry å, ä or ö in Swedish text.
FOLDED = re.compile(
    r"\b(omrade\w*|folkmangd|lagenhet\w*|upplatelse\w*|aganderatt|hyresratt\w*|forvarvs\w*|"
    r"forskola\w*|forgymnasial|fodda|utlandsk|bistand|halsa|ohalsotal|ojamlik\w*|trangbodd\w*|"
    r"behorig\w*|loneinkomst|rostande|rostberattigade|arbetslos\w*|lan)\b",
    re.IGNORECASE,
)


def _catalog() -> list[dict]:
    with CATALOG.open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    assert isinstance(doc, dict) and set(doc) == {"indicators"}, "top level must be `indicators:`"
    assert isinstance(doc["indicators"], list) and doc["indicators"]
    return doc["indicators"]


ENTRIES = _catalog()
IDS = [e.get("id", f"<entry {i}>") for i, e in enumerate(ENTRIES)]


def _snapshot_dir() -> Path:
    env = os.environ.get("BAROMETER_SNAPSHOT")
    return Path(env).resolve() if env else (REPO.parent / "shared" / "data").resolve()


def _strings(value):
    """Every string inside a nested YAML value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _years(text: str) -> set[int]:
    """'2020–2023' or '2018, 2022' -> set of years."""
    years: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        span = re.fullmatch(r"(\d{4})\s*[–-]\s*(\d{4})", part)
        if span:
            years.update(range(int(span.group(1)), int(span.group(2)) + 1))
        elif re.fullmatch(r"\d{4}", part):
            years.add(int(part))
    return years


def _architecture_offline() -> dict[str, tuple[set[str], set[int]]]:
    """docs/architecture.md's offline table: id -> (levels, years), rows of one id merged."""
    table: dict[str, tuple[set[str], set[int]]] = {}
    section = ARCHITECTURE.read_text(encoding="utf-8").split("### Indicator ids with offline data")[1]
    section = section.split("\n## ")[0]
    for row in re.finditer(r"^\| `(\w+)` \| ([^|]+) \| ([^|]+) \|", section, re.MULTILINE):
        ident, levels, years = row.group(1), row.group(2), row.group(3)
        old_levels, old_years = table.get(ident, (set(), set()))
        table[ident] = (old_levels | {x.strip() for x in levels.split(",")},
                        old_years | _years(years))
    return table


# -------------------------------------------------------------------------------------------
# Shape
# -------------------------------------------------------------------------------------------

def test_ids_are_unique_and_snake_case():
    dupes = sorted({i for i in IDS if IDS.count(i) > 1})
    assert not dupes, f"duplicate ids: {dupes}"
    bad = [i for i in IDS if not (isinstance(i, str) and SNAKE_CASE.match(i))]
    assert not bad, f"ids not snake_case ASCII: {bad}"


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_entry_has_exactly_the_keys(entry):
    assert set(entry) == ENTRY_KEYS, (
        f"missing {sorted(ENTRY_KEYS - set(entry))}, extra {sorted(set(entry) - ENTRY_KEYS)}")
    assert isinstance(entry["source"], dict) and set(entry["source"]) == SOURCE_KEYS, (
        f"source keys {sorted(entry['source'])}, expected {sorted(SOURCE_KEYS)}")


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_entry_values_are_in_the_allowed_sets(entry):
    assert entry["area"] in AREAS, f"area {entry['area']!r} not in {sorted(AREAS)}"
    assert entry["unit"] in UNITS, f"unit {entry['unit']!r} not in {sorted(UNITS)}"
    assert entry["status"] in STATUSES, f"status {entry['status']!r} not in {sorted(STATUSES)}"
    assert isinstance(entry["barometer"], bool)
    assert isinstance(entry["levels"], list) and entry["levels"], "levels must be a non-empty list"
    assert set(entry["levels"]) <= LEVELS, f"unknown levels {set(entry['levels']) - LEVELS}"
    assert len(set(entry["levels"])) == len(entry["levels"]), "repeated level"
    years = entry["years"]
    assert isinstance(years, list) and all(isinstance(y, int) for y in years), "years: list of int"
    assert years == sorted(set(years)), "years must be sorted and unique"
    for key in ("numerator", "denominator", "note"):
        assert entry[key] is None or isinstance(entry[key], str), f"{key} must be text or null"


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_texts_are_present_and_swedish(entry):
    for key in ("label_sv", "label_en", "definition"):
        assert isinstance(entry[key], str) and entry[key].strip(), f"{key} is empty"
    assert isinstance(entry["source"]["publisher"], str) and entry["source"]["publisher"].strip()
    for text in _strings(entry):
        assert "Ã" not in text and "\ufffd" not in text, f"mojibake in {text!r}"
    # Snake_case ids and group ids may be ASCII; Swedish prose may not.
    for key in ("label_sv", "definition"):
        prose = " ".join(w for w in entry[key].split() if "_" not in w)
        folded = FOLDED.findall(prose)
        assert not folded, f"{key} has Swedish words without å/ä/ö: {folded}"


def test_all_six_statistical_areas_are_represented():
    missing = STATISTICAL_AREAS - {e["area"] for e in ENTRIES}
    assert not missing, f"no indicator in {sorted(missing)}"


# -------------------------------------------------------------------------------------------
# Status rules
# -------------------------------------------------------------------------------------------

OFFLINE = [e for e in ENTRIES if e["status"] == "offline"]
LIVE = [e for e in ENTRIES if e["status"] == "live"]
NOT_LIVE = [e for e in ENTRIES if e["status"] != "live"]


@pytest.mark.parametrize("entry", OFFLINE, ids=[e["id"] for e in OFFLINE])
def test_offline_entry_names_an_existing_snapshot_file(entry):
    path = entry["source"]["snapshot_file"]
    assert isinstance(path, str) and path.strip(), "offline entries need source.snapshot_file"
    assert entry["years"], "offline entries hold at least one year"
    snapshot = _snapshot_dir()
    if not snapshot.is_dir():
        pytest.skip(f"snapshot folder {snapshot} not present")
    assert (snapshot / path).is_file(), f"{path} not found under {snapshot}"
    for extra in SNAPSHOT_PATH.findall(entry["note"] or ""):
        assert (snapshot / extra).is_file(), f"note names {extra}, not found under {snapshot}"


@pytest.mark.parametrize("entry", OFFLINE, ids=[e["id"] for e in OFFLINE])
def test_offline_snapshot_file_is_in_the_manifest(entry):
    if not SNAPSHOT_MANIFEST.is_file():
        pytest.skip("data/manifest.yml not present")
    manifest = yaml.safe_load(SNAPSHOT_MANIFEST.read_text(encoding="utf-8"))
    listed = {f["path"] for f in manifest.get("files", [])}
    named = [entry["source"]["snapshot_file"], *SNAPSHOT_PATH.findall(entry["note"] or "")]
    missing = [p for p in named if p not in listed]
    assert not missing, f"not in data/manifest.yml: {missing}"


@pytest.mark.parametrize("entry", LIVE, ids=[e["id"] for e in LIVE])
def test_live_entry_says_how_to_fetch(entry):
    live = entry["live"]
    assert isinstance(live, dict), "live entries need a `live` mapping"
    assert LIVE_KEYS <= set(live), f"live lacks {sorted(LIVE_KEYS - set(live))}"
    assert "table" in live or "kpi" in live, "live needs a `table` or a `kpi` key"
    assert live["api"] in APIS, f"live.api {live['api']!r} not in {sorted(APIS)}"
    assert entry["source"]["snapshot_file"] is None
    assert entry["years"] == [], "years lists offline years only; a live entry holds none"
    assert isinstance(live["query"], dict) and isinstance(live["group_map"], dict)
    for var, values in live["query"].items():
        assert isinstance(values, list) and all(isinstance(v, str) for v in values), (
            f"query[{var}] must be a list of quoted strings, got {values!r}")
    for code, group in live["group_map"].items():
        assert isinstance(code, str) and isinstance(group, str), "group_map: str -> str"
    if live["api"].startswith("scb"):
        assert live.get("table"), "SCB live entries need live.table"
    if live["api"] == "kolada":
        assert "kpi" in live
        if live["kpi"] is None:
            assert "KPI-id ej verifierat" in (entry["note"] or ""), (
                "a null Kolada KPI must be flagged with 'KPI-id ej verifierat' in the note")


@pytest.mark.parametrize("entry", NOT_LIVE, ids=[e["id"] for e in NOT_LIVE])
def test_only_live_entries_have_a_live_block(entry):
    assert entry["live"] is None, "`live` is only for status live"


def test_unavailable_entries_have_no_data():
    for entry in ENTRIES:
        if entry["status"] == "unavailable":
            assert entry["source"]["snapshot_file"] is None, entry["id"]
            assert entry["years"] == [], entry["id"]


# -------------------------------------------------------------------------------------------
# Certainty markers
# -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_brackets_in_notes_are_certainty_markers(entry):
    note = entry["note"] or ""
    for start in [m.start() for m in re.finditer(r"\[", note)]:
        assert MARKER.match(note, start), f"unknown bracket marker at: {note[start:start + 40]!r}"


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["barometer"]],
                         ids=[e["id"] for e in ENTRIES if e["barometer"]])
def test_barometer_entries_say_how_sure_we_are(entry):
    assert MARKER.search(entry["note"] or ""), "a barometer indicator needs a certainty marker"


# -------------------------------------------------------------------------------------------
# Agreement with the project documents
# -------------------------------------------------------------------------------------------

def test_offline_ids_match_architecture():
    if not ARCHITECTURE.is_file():
        pytest.skip("docs/architecture.md not present")
    table = _architecture_offline()
    assert table, "could not parse the offline table of docs/architecture.md"
    by_id = {e["id"]: e for e in ENTRIES}
    problems = []
    for ident, (levels, years) in table.items():
        entry = by_id.get(ident)
        if entry is None:
            problems.append(f"{ident}: missing from the catalogue")
            continue
        if entry["status"] != "offline":
            problems.append(f"{ident}: status {entry['status']}, architecture lists it offline")
        if set(entry["levels"]) != levels:
            problems.append(f"{ident}: levels {entry['levels']} != {sorted(levels)}")
        # The catalogue lists years actually held; architecture.md may state a wider range.
        if not set(entry["years"]) <= years:
            problems.append(f"{ident}: years {entry['years']} not within {sorted(years)}")
    extra = {e["id"] for e in OFFLINE} - set(table)
    problems += [f"{ident}: offline in the catalogue, not in architecture.md" for ident in extra]
    assert not problems, "\n".join(problems)


def test_table_ids_and_codes_come_from_methodology():
    if not METHODOLOGY.is_file():
        pytest.skip("shared/docs/methodology.md not present")
    text = METHODOLOGY.read_text(encoding="utf-8")
    unknown = []
    for entry in ENTRIES:
        for s in _strings({k: entry[k] for k in ("source", "note", "live")}):
            unknown += [(entry["id"], t) for t in re.findall(r"\bTAB\d{4}\b", s) if t not in text]
        live = entry["live"] or {}
        for values in (live.get("query") or {}).values():
            unknown += [(entry["id"], v) for v in values if v not in text]
        for code in (live.get("group_map") or {}):
            if f"`{code}`" not in text:
                unknown.append((entry["id"], code))
    assert not unknown, f"ids or codes not given in methodology.md: {unknown}"
