"""Areas and codes: the hierarchy DeSO → RegSO → kommun → län → riket, and name/code lookup."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from . import store
from .exceptions import UnknownAreaError, UnknownLevelError
from .textutil import fold

LEVELS = store.LEVELS
LEVEL_LABELS = {"riket": "riket", "lan": "län", "kommun": "kommun", "regso": "RegSO", "deso": "DeSO",
                "valdistrikt": "valdistrikt"}
CODE_PATTERNS = {
    "riket": r"00", "lan": r"\d{2}", "kommun": r"\d{4}", "regso": r"\d{4}R\d{3}",
    "deso": r"\d{4}[ABC]\d{4}", "valdistrikt": r"\d{8}",
}
_SUFFIXES = re.compile(r"\s+(kommun|stad|län|lans?|municipality)$")


@dataclass(frozen=True)
class Area:
    """One area with its place in the hierarchy."""

    level: str
    code: str
    name: str
    parent_code: str = ""
    lan_code: str = ""
    lan_name: str = ""
    kommun_code: str = ""
    skr_grupp_kod: str = ""
    skr_grupp: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def label(self) -> str:
        """Swedish display name: 'Malmö kommun', 'Skåne län', 'Riket'."""
        from .text import kommun_label

        return kommun_label(self.name) if self.level == "kommun" else self.name


def areas(level: str | None = None) -> pd.DataFrame:
    """The areas table, optionally for one level (``riket``, ``lan``, ``kommun``, ``regso``, ``deso``, ``valdistrikt``)."""
    df = store.areas_table()
    if level is None:
        return df.copy()
    if level not in LEVELS:
        raise UnknownLevelError(level, list(LEVELS))
    return df[df["level"] == level].reset_index(drop=True)


def _to_area(row: pd.Series, table: pd.DataFrame) -> Area:
    lan_name = ""
    if row["lan_code"]:
        lan = table[(table["level"] == "lan") & (table["code"] == row["lan_code"])]
        lan_name = lan["name"].iloc[0] if len(lan) else ""
    return Area(level=row["level"], code=row["code"], name=row["name"], parent_code=row["parent_code"],
                lan_code=row["lan_code"], lan_name=lan_name, kommun_code=row["kommun_code"],
                skr_grupp_kod=row.get("skr_grupp_kod", "") or "", skr_grupp=row.get("skr_grupp", "") or "")


def suggestions(query: str, level: str = "kommun", n: int = 5) -> list[str]:
    """Closest names/codes to ``query`` among the areas of ``level``, as 'Name (code)'."""
    table = areas(level)
    names = table["name"].tolist()
    codes = table["code"].tolist()
    key = fold(query)
    folded = [fold(x) for x in names]
    hits: list[int] = []
    if key.isdigit():
        padded = key.zfill(len(codes[0])) if codes else key
        hits += [i for i, c in enumerate(codes) if c == padded or c.startswith(key)]
    hits += [i for i, f in enumerate(folded) if key and (f.startswith(key) or key in f)]
    for m in difflib.get_close_matches(key, folded, n=n, cutoff=0.6):
        hits += [i for i, f in enumerate(folded) if f == m]
    seen, out = set(), []
    for i in hits:
        if i not in seen:
            seen.add(i)
            out.append(f"{names[i]} ({codes[i]})")
    return out[:n]


def resolve(query, level: str = "kommun") -> Area:
    """Find one area by code or name (case- and diacritics-insensitive: ``malmo`` finds Malmö).

    Codes must be strings (``"0114"``); an int such as ``114`` is refused with a hint, since
    papermill/YAML turn codes into numbers. Exact names win over folded ones (``Habo`` vs ``Håbo``).
    """
    if level not in LEVELS:
        raise UnknownLevelError(level, list(LEVELS))
    table = store.areas_table()
    sub = table[table["level"] == level]
    if isinstance(query, Area):
        query = query.code
    if not isinstance(query, str):
        raise UnknownAreaError(repr(query), LEVEL_LABELS[level],
                               suggestions(str(query), level) + ["(koder anges som text, t.ex. \"0114\")"])
    q = query.strip()
    if re.fullmatch(CODE_PATTERNS[level], q):
        hit = sub[sub["code"] == q]
        if len(hit):
            return _to_area(hit.iloc[0], table)
        raise UnknownAreaError(query, LEVEL_LABELS[level], suggestions(q, level))
    exact = sub[sub["name"].str.casefold() == q.casefold()]
    if len(exact) == 1:
        return _to_area(exact.iloc[0], table)
    folded = sub["name"].map(fold)
    full = fold(q)
    stripped = _SUFFIXES.sub("", full)
    keys = [full, stripped] + ([stripped[:-1]] if stripped != full and stripped.endswith("s") else [])
    for key in keys:  # "Göteborgs kommun" → "goteborgs" → "goteborg"
        hit = sub[folded == key]
        if len(hit) == 1:
            return _to_area(hit.iloc[0], table)
        if len(hit) > 1:
            raise UnknownAreaError(query, LEVEL_LABELS[level], [f"{n} ({c})" for n, c in zip(hit["name"], hit["code"])])
    key = stripped
    if level == "lan":
        stem = folded.str.replace(r"\s+lans?$", "", regex=True)
        hit = sub[(stem == key) | (stem == key + "s")]  # "Gotland" → "Gotlands län"
        if len(hit) == 1:
            return _to_area(hit.iloc[0], table)
    raise UnknownAreaError(query, LEVEL_LABELS[level], suggestions(q, level))


def kommun(query) -> Area:
    """A kommun by code (``"1280"``) or name (``"Malmö"``, ``"malmo"``)."""
    return resolve(query, "kommun")


def lan(query) -> Area:
    """A län by code (``"12"``) or name (``"Skåne"``, ``"Skåne län"``)."""
    return resolve(query, "lan")


def children(code: str, level: str) -> pd.DataFrame:
    """Areas of ``level`` inside the area ``code`` (e.g. the RegSO of a kommun)."""
    df = areas(level)
    if len(code) == 2 and code != "00":
        return df[df["lan_code"] == code].reset_index(drop=True)
    if code == "00":
        return df
    if len(code) == 4:
        return df[df["kommun_code"] == code].reset_index(drop=True)
    return df[df["parent_code"] == code].reset_index(drop=True)
