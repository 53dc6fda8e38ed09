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
_A = {"riket": "riket", "lan": "ett län", "kommun": "en kommun", "regso": "ett RegSO-område",
      "deso": "ett DeSO-område", "valdistrikt": "ett valdistrikt"}
_PREFIXES = re.compile(r"^(region|kommun)\s+")  # "Region Gotland"


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
    official_name: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def label(self) -> str:
        """Official Swedish name: 'Falu kommun', 'Malmö kommun', 'Skåne län', 'Riket'.

        For a kommun the long form from SCB's kommun list (``official_name`` in the areas table,
        see :mod:`barometer.pipeline.kommunnamn`); the genitive rule of
        :func:`barometer.text.kommun_label` only if the store has no official name.
        """
        from .text import kommun_label

        if self.level != "kommun":
            return self.name
        return self.official_name or kommun_label(self.name)


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
                skr_grupp_kod=row.get("skr_grupp_kod", "") or "", skr_grupp=row.get("skr_grupp", "") or "",
                official_name=row.get("official_name", "") or "")


def official_name(code: str) -> str:
    """A kommun's official name by code (``"2080"`` → ``"Falu kommun"``); UnknownAreaError if none."""
    return resolve(str(code), "kommun").label


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

    Accepted for a kommun: the code (``"2080"``), the short name (``"Falun"``), the official
    name (``"Falu kommun"``), and the common self-designations (``"Falun kommun"``,
    ``"Stockholms stad"``, ``"Region Gotland"``). Codes must be strings (``"0114"``); an int such
    as ``114`` is refused with a hint (papermill/YAML turn codes into numbers; notebooks call
    :func:`coerce_code_parameter` first). Exact names win over folded ones (``Habo`` vs ``Håbo``).

    Raises :class:`UnknownAreaError` with the close matches, or – when the query names an area of
    another level (``"Skåne"`` asked as a kommun) – says so and how to ask for it.
    """
    if level not in LEVELS:
        raise UnknownLevelError(level, list(LEVELS))
    table = store.areas_table()
    sub = table[table["level"] == level]
    if isinstance(query, Area):
        query = query.code
    if not isinstance(query, str):
        near = suggestions(str(query), level)
        raise UnknownAreaError(repr(query), LEVEL_LABELS[level], near,
                               hint=(f"Närmast: {', '.join(near)}. " if near else "")
                               + "Koder anges som text, t.ex. \"0114\" (coerce_code_parameter läser en "
                                 "papermill-parameter).")
    q = query.strip()
    if re.fullmatch(CODE_PATTERNS[level], q):
        hit = sub[sub["code"] == q]
        if len(hit):
            return _to_area(hit.iloc[0], table)
        raise UnknownAreaError(query, LEVEL_LABELS[level], suggestions(q, level), hint=_other_level_hint(q, level))
    hit = _match_name(sub, q, level)
    if hit is not None:
        if len(hit) == 1:
            return _to_area(hit.iloc[0], table)
        raise UnknownAreaError(query, LEVEL_LABELS[level], [f"{n} ({c})" for n, c in zip(hit["name"], hit["code"])])
    raise UnknownAreaError(query, LEVEL_LABELS[level], suggestions(q, level), hint=_other_level_hint(q, level))


def _match_name(sub: pd.DataFrame, q: str, level: str) -> pd.DataFrame | None:
    """Rows of ``sub`` whose name (or official name) matches ``q``; None if nothing matches."""
    exact = sub[sub["name"].str.casefold() == q.casefold()]
    if len(exact) == 1:
        return exact
    if "official_name" in sub.columns:  # "Falu kommun"; exact first ("Håbo kommun" vs "Habo kommun")
        exact = sub[sub["official_name"].fillna("").str.casefold() == q.casefold()]
        if len(exact) == 1:
            return exact
    folded = sub["name"].map(fold)
    full = fold(q)
    if "official_name" in sub.columns:
        official = sub["official_name"].fillna("").map(fold)
        hit = sub[(official == full) & (official != "")]
        if len(hit):
            return hit
    stripped = _SUFFIXES.sub("", _PREFIXES.sub("", full))
    keys = [full, stripped] + ([stripped[:-1]] if stripped != full and stripped.endswith("s") else [])
    raw = _SUFFIXES.sub("", _PREFIXES.sub("", q.strip().casefold()))
    for key in (raw, raw[:-1] if raw.endswith("s") else None):  # unfolded first: "Håbo stad" is not Habo
        hit = sub[sub["name"].str.casefold() == key] if key else sub.iloc[:0]
        if len(hit) == 1:
            return hit
    for key in keys:  # "Göteborgs kommun" → "goteborgs" → "goteborg"; "Region Gotland" → "gotland"
        hit = sub[folded == key]
        if len(hit):
            return hit
    if level == "lan":
        stem = folded.str.replace(r"\s+lans?$", "", regex=True)
        hit = sub[(stem == stripped) | (stem == stripped + "s")]  # "Gotland" → "Gotlands län"
        if len(hit) == 1:
            return hit
    return None


def _other_level_hint(q: str, level: str) -> str:
    """If ``q`` names an area of another level, say so and how to ask for it ("" otherwise)."""
    table = store.areas_table()
    for other in ("lan", "kommun", "regso"):
        if other == level:
            continue
        sub = table[table["level"] == other]
        if re.fullmatch(CODE_PATTERNS[other], q.strip()):
            hit = sub[sub["code"] == q.strip()]
        else:
            hit = _match_name(sub, q, other)
        if hit is None or len(hit) != 1:
            continue
        row = hit.iloc[0]
        arg = q.strip() if re.fullmatch(r"[^\W\d_][\w-]*", q.strip()) else row["code"]  # as typed, if one word
        if other == "lan":
            return (f"{q} är ett län ({row['name']}, {row['code']}), inte {_A[level]}. Länsrapport: "
                    f"`barometer report --lan {arg}`; värden: `barometer data INDIKATOR --lan {arg}`; "
                    f"kommunerna i länet: `barometer areas --level kommun --lan {arg}`.")
        if other == "kommun":
            return (f"{q} är en kommun ({row.get('official_name') or row['name']}, {row['code']}), inte {_A[level]}. "
                    f"Kommunrapport: `barometer report {arg}`; faktablad: `barometer show {arg}`; "
                    f"värden: `barometer data INDIKATOR --kommun {arg}`.")
        kommun_name = table[(table["level"] == "kommun") & (table["code"] == row["kommun_code"])]["name"]
        kn = kommun_name.iloc[0] if len(kommun_name) else row["kommun_code"]
        return (f"{q} är ett RegSO-område ({row['name']}, {row['code']}) i {kn}, inte {_A[level]}. "
                f"Värden per RegSO: `barometer data INDIKATOR --kommun {row['kommun_code']} --level regso`.")
    return ""


CODE_WIDTHS = {"riket": 2, "lan": 2, "kommun": 4, "valdistrikt": 8}


def coerce_code_parameter(value, level: str = "kommun", parameter: str | None = None):
    """A notebook parameter typed ``str`` that may arrive as a number, as the area code or name.

    papermill reads ``-p kommun 0114`` as the integer 114 and ``-p lan 1`` as 1 (YAML does the
    same). An integer (not a bool) that forms a code of ``level`` once zero-padded is accepted
    as that code ("0114", "2080", "01") with a :class:`~barometer.exceptions.ParameterCoercedWarning`
    note; any other number raises :class:`UnknownAreaError` saying how to pass text
    (``papermill ... -r kommun 0114``). Text and :class:`Area` pass through unchanged
    (stripped), to be resolved by :func:`resolve` as usual.

    Returns ``str``. Called by the first code cell of every report notebook.
    """
    import warnings

    import numpy as np

    from .exceptions import ParameterCoercedWarning

    name = parameter or level
    if isinstance(value, Area):
        return value.code
    if isinstance(value, str):
        return value.strip()
    how = (f"ange koden som text: `papermill ... -r {name} {{kod}}` (-r skickar texten oförändrad), "
           f"i YAML med citattecken ({name}: \"{{kod}}\")")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise UnknownAreaError(repr(value), LEVEL_LABELS[level],
                               hint=f"Parametern {name} ska vara text (kod eller namn), inte {type(value).__name__}; "
                                    + how.replace("{kod}", "0114" if level == "kommun" else "01") + ".")
    width = CODE_WIDTHS.get(level)
    code = str(int(value)).zfill(width) if width and int(value) >= 0 else ""
    known = set(store.areas_table().loc[lambda a: a["level"] == level, "code"].astype(str))
    if not code or len(code) != width or code not in known:
        raise UnknownAreaError(repr(value), LEVEL_LABELS[level],
                               hint=f"Parametern {name} kom som talet {int(value)}, som inte blir en giltig "
                                    f"{LEVEL_LABELS[level]}kod med inledande nollor; " + how.replace("{kod}", "0114" if level == "kommun" else "01") + ".")
    warnings.warn(ParameterCoercedWarning(
        f"Parametern {name} kom som talet {int(value)} (papermill/YAML gör om siffror till tal) och lästes som "
        f"koden \"{code}\". Skicka text för att slippa tolkningen: -r {name} {code}."), stacklevel=2)
    return code


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
