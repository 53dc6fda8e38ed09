"""How a source is cited to users: one short Swedish line per source (publisher, table, years, date)."""

from __future__ import annotations

import re


def table_text(title: str, table_id: str) -> str:
    """The title, with the table id in brackets unless the title already names it."""
    title, table_id = str(title or "").strip(), str(table_id or "").strip()
    if not table_id or table_id in title:
        return title
    return f"{title} ({table_id})"


def date_text(retrieved: str, kind: str = "snapshot") -> str:
    """``"hämtad 2026-11-25"`` for a live fetch; the staged copies are dated by their upstream version."""
    retrieved = str(retrieved or "").strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", retrieved):
        retrieved = retrieved[:10]  # a date, or an ISO time stamp shown as its date
    elif retrieved:
        return f"version {retrieved}"  # e.g. a package version for files shipped in a package
    else:
        retrieved = "okänt datum"
    return f"hämtad {retrieved}" if kind == "live" else f"kopia daterad {retrieved}"


def cite(row, years: str = "") -> str:
    """``"SCB, Folkmängd … (BE0101Y/…), 2020–2023, kopia daterad 2025-12-01"`` for a sources row."""
    parts = [str(row["publisher"]), table_text(row["title"], row["table_id"])]
    if years:
        parts.append(years)
    parts.append(date_text(row.get("retrieved", ""), row.get("kind", "snapshot")))
    return ", ".join(p for p in parts if p)
