"""Paths of the project (raw snapshot, data store, reports); pure, no I/O at import.

Override with environment variables:

- ``BAROMETER_HOME``: the project root (default: the folder above the package).
- ``BAROMETER_SNAPSHOT``: the raw snapshot folder (default: ``<home>/../shared/data``).
- ``BAROMETER_DATA``: the data folder (default: ``<home>/data``).
- ``BAROMETER_REPORTS``: the reports folder (default: ``<home>/reports``).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def home() -> Path:
    return Path(os.environ.get("BAROMETER_HOME", PACKAGE_DIR.parent)).resolve()


def snapshot_dir() -> Path:
    env = os.environ.get("BAROMETER_SNAPSHOT")
    return Path(env).resolve() if env else (home().parent / "shared" / "data").resolve()


def data_dir() -> Path:
    env = os.environ.get("BAROMETER_DATA")
    return Path(env).resolve() if env else home() / "data"


def store_dir() -> Path:
    """Published tables (Parquet + meta JSON)."""
    return data_dir() / "store"


def tidy_dir() -> Path:
    """Cleaned intermediate tables, one per pipeline step."""
    return data_dir() / "tidy"


def fetched_dir() -> Path:
    """Raw files fetched live from the upstream APIs (see ``barometer fetch``)."""
    return data_dir() / "raw"


def manifest_path() -> Path:
    """The snapshot manifest: sha256 and origin of every raw file used."""
    env = os.environ.get("BAROMETER_MANIFEST")
    return Path(env).resolve() if env else home() / "data" / "manifest.yml"


def reports_dir() -> Path:
    env = os.environ.get("BAROMETER_REPORTS")
    return Path(env).resolve() if env else home() / "reports"


def notebooks_dir() -> Path:
    return home() / "notebooks"
