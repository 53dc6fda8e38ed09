"""Shared fixtures: the real store (built once per session) and a tiny hand-made snapshot."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


#: the Debian chromium every browser test drives (Playwright's own browsers are not installed)
CHROMIUM = Path("/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    """Skip ``network`` tests unless BAROMETER_NETWORK=1, and ``browser`` tests without :data:`CHROMIUM`."""
    import os

    skip_network = pytest.mark.skip(reason="needs internet: set BAROMETER_NETWORK=1")
    skip_browser = pytest.mark.skip(reason=f"{CHROMIUM} saknas (apt-get install -y chromium)")
    for item in items:
        if "network" in item.keywords and os.environ.get("BAROMETER_NETWORK") != "1":
            item.add_marker(skip_network)
        if "browser" in item.keywords and not CHROMIUM.exists():
            item.add_marker(skip_browser)


@pytest.fixture(scope="session")
def real_store():
    """Build (or reuse) the real store from ../shared/data once per test session."""
    from barometer import config
    from barometer.pipeline import build

    if not config.snapshot_dir().is_dir():
        pytest.skip(f"no raw snapshot at {config.snapshot_dir()}")
    build(progress=False)
    return config.store_dir()


# ---------------------------------------------------------------------------------------------
# A tiny snapshot: one kommun (Upplands Väsby, 0114) with three RegSO and one DeSO each.
# ---------------------------------------------------------------------------------------------
TINY_KOPPLING = [
    ("0114", "Upplands Väsby", "0114C1010", "Bollstanäs", "0114R001"),
    ("0114", "Upplands Väsby", "0114C1020", "Hammarby", "0114R002"),
    ("0114", "Upplands Väsby", "0114C1030", "Runby", "0114R003"),
]


def _write(path: Path, text: str, encoding="utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)


@pytest.fixture
def tiny_snapshot(tmp_path, monkeypatch):
    """Write hand-made raw files and return a Manifest over them (env points barometer at tmp)."""
    from barometer.pipeline.snapshot import Manifest, RawFile

    snap = tmp_path / "snapshot"
    rows = ["Kommun,Kommunnamn,DeSO_2018,RegSO_2020,RegSOkod_2020"] + [",".join(r) for r in TINY_KOPPLING]
    _write(snap / "addegezon_deso_index/koppling-deso2018-regso2020.csv", "\ufeff" + "\n".join(rows) + "\n")
    # områdestyp with an SCB-like footer
    for year, types in ((2022, (4, 2, 1)), (2023, (4, 3, 1))):
        body = [",%d" % year] + [f"Upplands Väsby ({r[3]}),{t}" for r, t in zip(TINY_KOPPLING, types)]
        body += ["", "Databas:,", "Statistikdatabasen ,", "Intern referenskod:,", "000005QX,"]
        _write(snap / f"addegezon_deso_index/regso_socioekonomisk_index_{year}.csv", "\n".join(body) + "\n")
    # population by födelseregion: label with a space before ')' on purpose (normalisation)
    pop = ['"region","födelseregion","kön","Antal 2020","Antal 2021","Antal 2022","Antal 2023"']
    data = {"Bollstanäs": ((900, 1000),) * 4, "Hammarby": ((300, 1000),) * 4, "Runby ": ((800, 1000),) * 4}
    for name, per_year in data.items():
        pop.append(f'"Upplands Väsby ({name})","Sverige","totalt",' + ",".join(str(a) for a, _ in per_year))
        pop.append(f'"Upplands Väsby ({name})","totalt","totalt",' + ",".join(str(b) for _, b in per_year))
    _write(snap / "mumbokatten_regso_demographics/deso_foreign_born.csv", "\ufeff" + "\r\n".join(pop) + "\r\n")
    # tenure with a suppressed cell
    ten = ['"region","upplåtelseform","Antal 2020","Antal 2021","Antal 2022","Antal 2023"']
    for name in ("Bollstanäs", "Hammarby", "Runby"):
        ten.append(f'"Upplands Väsby ({name})","hyresrätt",100,100,100,..' if name == "Runby"
                   else f'"Upplands Väsby ({name})","hyresrätt",100,100,100,100')
        ten.append(f'"Upplands Väsby ({name})","bostadsrätt",200,200,200,200')
        ten.append(f'"Upplands Väsby ({name})","äganderätt",300,300,300,300')
        ten.append(f'"Upplands Väsby ({name})","uppgift saknas",0,0,0,0')
    _write(snap / "mumbokatten_regso_demographics/deso_housing_tenure.csv", "\ufeff" + "\n".join(ten) + "\n")
    # election 2018: three districts and one uppsamlingsdistrikt
    head = "LÄNSKOD,KOMMUNKOD,VALKRETSKOD,VALDISTRIKTSKOD,LÄNSNAMN,KOMMUNNAMN,VALKRETSNAMN,VALDISTRIKTSNAMN,RÖSTANDE,RÖSTBERÄTTIGADE"
    el = [head, "1,14,2,101,Stockholms län,Upplands Väsby,X,Norra,800,1000", "1,14,2,102,Stockholms län,Upplands Väsby,X,Södra,600,1000",
          "1,14,2,103,Stockholms län,Upplands Väsby,X,Östra,900,1000", "1,14,2,9801,Stockholms län,Upplands Väsby,X,Uppsamlingsdistrikt,100,0"]
    p = snap / "hemphen_val2018/valresultat-2018.csv.gz"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(gzip.compress(("\n".join(el) + "\n").encode()))

    files = {}
    for f in snap.rglob("*"):
        if f.is_file():
            rel = f.relative_to(snap).as_posix()
            files[rel] = RawFile(rel, hashlib.sha256(f.read_bytes()).hexdigest(), "hand-written fixture", "2026-11-25")
    monkeypatch.setenv("BAROMETER_SNAPSHOT", str(snap))
    monkeypatch.setenv("BAROMETER_DATA", str(tmp_path / "data"))
    return Manifest(files=files, sources={})
