"""The indicator catalogue (``indicators.yml``): what each indicator is, its unit, source and status."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from ..exceptions import SourceFormatError, UnknownIndicatorError

CATALOG_PATH = Path(__file__).with_name("indicators.yml")
AREAS = ("inkomst", "arbete", "utbildning", "bostad", "demokrati", "halsa", "befolkning", "omradestyp")
AREA_LABELS = {"inkomst": "Inkomst", "arbete": "Arbete", "utbildning": "Utbildning", "bostad": "Boende",
               "demokrati": "Demokrati", "halsa": "Hälsa", "befolkning": "Befolkning", "omradestyp": "Områdestyp"}


@lru_cache(maxsize=1)
def _load(path: str) -> tuple[dict, ...]:
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise SourceFormatError(path, f"ogiltig YAML: {err}") from err
    if not isinstance(doc, dict) or not isinstance(doc.get("indicators"), list):
        raise SourceFormatError(path, "väntade en lista under nyckeln 'indicators'")
    return tuple(doc["indicators"])


def entries() -> list[dict]:
    return [dict(e) for e in _load(str(CATALOG_PATH))]


def get(indicator_id: str) -> dict:
    for e in _load(str(CATALOG_PATH)):
        if e["id"] == indicator_id:
            return dict(e)
    raise UnknownIndicatorError(indicator_id, [e["id"] for e in _load(str(CATALOG_PATH))])


def ids(status: str | None = None) -> list[str]:
    return [e["id"] for e in _load(str(CATALOG_PATH)) if status is None or e.get("status") == status]


def table() -> pd.DataFrame:
    """The catalogue as a flat DataFrame (one row per indicator)."""
    rows = []
    for e in _load(str(CATALOG_PATH)):
        src = e.get("source") or {}
        rows.append({"id": e["id"], "label_sv": e.get("label_sv", ""), "label_en": e.get("label_en", ""),
                     "area": e.get("area", ""), "unit": e.get("unit", ""), "status": e.get("status", ""),
                     "levels": ", ".join(e.get("levels") or []),
                     "years": ", ".join(str(y) for y in e.get("years") or []),
                     "publisher": src.get("publisher", ""), "table": src.get("table", ""),
                     "address": src.get("address", ""), "definition": (e.get("definition") or "").strip(),
                     "barometer": bool(e.get("barometer", False))})
    return pd.DataFrame(rows)


def label(indicator_id: str) -> str:
    try:
        return get(indicator_id)["label_sv"]
    except UnknownIndicatorError:
        return indicator_id
