"""SCB PxWebApi 2.0 client: table metadata and JSON-stat2 data, parsed into barometer's long table.

Why a thin client of our own and not pxwebpy
--------------------------------------------
We read pxwebpy 0.6.0 (``pxweb/api.py``, ``pxweb/_internal/client.py``, ``functions.py``). It
does several things well, and we copy those ideas: it reads ``/config`` first and rate-limits to
the server's own ``maxCallsPerTimeWindow``/``timeWindow``; it splits a selection over
``maxDataCells`` on the largest variable; it retries 429 honouring ``Retry-After``; and it accepts
any base URL (so it could be pointed at our local test server: requirement (a) holds).
Requirement (b) fails, and so do other things we need:

- errors are bare ``requests.HTTPError("Error 500: ...")`` (or ``ApiConfigurationError``, a
  private ``Exception`` subclass) that do not carry the address, and after the retries only
  "Reached max amount of retries." is left;
- only 429 is retried: a 500/502/503 or a dropped connection fails at once;
- the ``timeout`` argument is stored but never passed to ``session.send``: a hung server hangs
  the fetch for ever;
- ``unpack_table_data`` keeps only ``value`` and drops JSON-stat ``status``, so a suppressed
  cell (``..``) cannot be told from a missing one; unless ``show="code"`` is passed, category
  columns hold labels (or "code: label"), keyed by the dimension's label, not its id;
- data go by POST with a JSON body, so the address alone does not say what was asked
  (we record the full GET address of each call in ``.meta.json``); and the constructor makes two
  calls (``/config`` and ``/tables``) before any work.

So this module is a thin client on ``requests`` + ``urllib3.util.Retry`` (see ``_http.py``):
GET ``/config``, ``/tables/{id}/metadata``, ``/codeLists/{id}`` and
``/tables/{id}/data?outputFormat=json-stat2&valueCodes[Var]=a,b&codelist[Region]=vs_RegSO2020``
(one comma list per variable: repeated ``valueCodes[X]`` parameters silently drop values). A
selection over the server's ``maxDataCells`` (150,000 at SCB) is split on its largest variable;
a variable that is asked in full is sent as ``*`` so addresses stay short.

Region codes and vintages
-------------------------
``vs_RegSO2020``/``vs_DeSO2018`` give plain codes (``0114R001``); ``vs_RegSO2025``/``vs_DeSO2025``
(and some older tables) add a suffix (``0114R001_RegSO2025``). We strip the suffix, check every
code's shape (RegSO ``\\d{4}R\\d{3}``, DeSO ``\\d{4}[A-C]\\d{4}``, kommun 4 digits, län 2, riket
``00``), and refuse an answer that mixes vintages or whose vintage differs from the store's
(RegSO 2020, DeSO 2018): codes of different vintages must never be joined.

Missing cells
-------------
A null value becomes NaN with a status and a note, never 0, following the PX symbols of
:mod:`barometer.parsing`: JSON-stat ``status`` ``..`` and ``...`` → ``suppressed``; ``.`` →
``not_applicable``; ``-`` ("magnitude zero", nothing to report) → value 0, status ``ok``, with a
note saying ``-`` stood in the source; no symbol or any other symbol → ``missing`` (the symbol
is quoted in the note). A value sent as text ("1 234", "12,5", "..") is read by the same parser;
text that is neither a number nor a symbol stops with the address and the cell. A year in which every cell is empty (e.g. years
after 2023 asked through the 2020 code list) is dropped and named in the caveats.

Verified how
------------
This machine has no internet. Table ids and variable codes (TAB6685 ``000008AC``/``000008AD``,
``Alder`` ``tot``, …) were checked only against hand-written metadata in the documented
PxWebApi 2.0 format (``tests/responses/scb/``), not against SCB. ``barometer fetch --verify``
(:mod:`barometer.sources.verify`) checks every live catalogue entry against the real
``/tables/{id}/metadata`` when a network is there.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import SourceFormatError, SourceUnavailableError, UnknownAreaError
from ..parsing import PX_SYMBOLS, parse_cells
from ._http import HttpClient
from ._output import KOMMUN_CODE, finish_values, level_of, now_iso, reference_years

DEFAULT_URL = "https://statistikdatabasen.scb.se/api/v2"
ENV_URL = "BAROMETER_SCB_URL"
DEFAULT_MAX_CELLS = 150_000
MAX_CODES_PER_PARAM = 300  # keeps one GET address well under common server limits

TABLE_ID = re.compile(r"^\s*(TAB\d+)\b")
SUFFIX = re.compile(r"^(?P<code>.+?)_(?P<kind>RegSO|DeSO)(?P<year>\d{4})$")
CODELIST_VINTAGE = {
    "vs_RegSO2020": ("regso", "RegSO 2020"),
    "vs_RegSO2025": ("regso", "RegSO 2025"),
    "vs_DeSO2018": ("deso", "DeSO 2018"),
    "vs_DeSO2025": ("deso", "DeSO 2025"),
}
STORE_VINTAGES = {"regso": "RegSO 2020", "deso": "DeSO 2018"}
LICENCE = "CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/)"


def base_url() -> str:
    return os.environ.get(ENV_URL, DEFAULT_URL).rstrip("/")


def table_id(text: str | None, where: str = "katalogen") -> str:
    """The PxWebApi 2.0 id (``TAB6685``) at the start of a catalogue ``table`` field."""
    m = TABLE_ID.match(text or "")
    if not m:
        raise SourceFormatError(
            where, f"{text!r} är inget PxWebApi 2.0-tabell-id (TABnnnn). Ange live.table som t.ex. TAB6685.")
    return m.group(1)


# -- region codes -----------------------------------------------------------------------------

def split_region_code(code: str) -> tuple[str, str | None]:
    """``"0114R001_RegSO2025"`` → ``("0114R001", "RegSO 2025")``; a plain code → ``(code, None)``."""
    m = SUFFIX.match(code)
    if m:
        return m.group("code"), f"{m.group('kind')} {m.group('year')}"
    return code, None


def plain_codes(codes, codelist: str | None, where: str) -> tuple[list[str], str | None]:
    """Strip vintage suffixes; check that all codes share one vintage (and the code list's).

    Returns the plain codes and the vintage (None for kommun/län/riket codes without one).
    """
    expected = CODELIST_VINTAGE.get(codelist or "", (None, None))[1]
    plain, vintages = [], set()
    for code in codes:
        bare, vintage = split_region_code(str(code))
        plain.append(bare)
        level = level_of(bare)
        if level in ("regso", "deso"):
            vintages.add(vintage or expected or "okänd")
    if len(vintages) > 1:
        raise SourceFormatError(
            where, f"svaret blandar indelningar ({', '.join(sorted(vintages))}); koder från olika "
            "indelningar får inte blandas. Hämta en kodlista i taget.")
    vintage = vintages.pop() if vintages else None
    if vintage and expected and vintage != expected:
        raise SourceFormatError(where, f"bad om kodlistan {codelist} ({expected}) men fick koder för {vintage}")
    return plain, vintage


# -- JSON-stat2 -------------------------------------------------------------------------------

def categories(dimension: dict, name: str = "", where: str = "") -> list[str]:
    """Category codes of a JSON-stat dimension, in index order."""
    cat = (dimension or {}).get("category") or {}
    index = cat.get("index")
    if isinstance(index, dict):
        return [str(c) for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
    if isinstance(index, list):
        return [str(c) for c in index]
    label = cat.get("label")
    if isinstance(label, dict):
        return [str(c) for c in label]
    raise SourceFormatError(where, f"dimensionen {name!r} saknar category.index och category.label")


def jsonstat_cells(doc: Any, where: str) -> pd.DataFrame:
    """One row per cell of a JSON-stat2 dataset: a column per dimension (codes), ``value``, ``symbol``."""
    if not isinstance(doc, dict) or doc.get("class", "dataset") != "dataset":
        raise SourceFormatError(where, "väntade ett JSON-stat2-dataset (class: dataset)")
    ids, size, dims = doc.get("id"), doc.get("size"), doc.get("dimension")
    if not (isinstance(ids, list) and isinstance(size, list) and isinstance(dims, dict)) or len(ids) != len(size):
        raise SourceFormatError(where, "JSON-stat2 saknar id/size/dimension eller så stämmer de inte överens")
    cats = []
    for name, n in zip(ids, size):
        if name not in dims:
            raise SourceFormatError(where, f"dimensionen {name!r} saknas under 'dimension'")
        codes = categories(dims[name], name, where)
        if len(codes) != n:
            raise SourceFormatError(where, f"dimensionen {name!r} har {len(codes)} kategorier men size säger {n}")
        cats.append(codes)
    n_cells = math.prod(size) if size else 0

    raw = doc.get("value")
    if isinstance(raw, list):
        if len(raw) != n_cells:
            raise SourceFormatError(where, f"{len(raw)} värden men dimensionerna ger {n_cells} celler (avkortat svar?)")
        values = raw
    elif isinstance(raw, dict):
        values = [None] * n_cells
        for k, v in raw.items():
            i = int(k)
            if not 0 <= i < n_cells:
                raise SourceFormatError(where, f"värdeindex {k} utanför 0–{n_cells - 1}")
            values[i] = v
    else:
        raise SourceFormatError(where, "JSON-stat2 saknar 'value'")
    bad = [i for i, v in enumerate(values) if isinstance(v, bool) or not (v is None or isinstance(v, (int, float, str)))]
    if bad:
        raise SourceFormatError(where, f"icke-numeriska värden i 'value' (cell {bad[0]}: {values[bad[0]]!r})")
    texts = [i for i, v in enumerate(values) if isinstance(v, str)]
    text_symbols: dict[int, str] = {}
    if texts:  # numbers sent as text: Swedish formats and PX symbols, or an error naming the cell
        values = list(values)
        parsed = parse_cells([values[i] for i in texts], where=where, labels=[f"cell {i} i 'value'" for i in texts])
        for i, raw_text, v in zip(texts, (values[i] for i in texts), parsed["value"].tolist()):
            key = raw_text.strip().strip('"')
            if key in PX_SYMBOLS:
                values[i] = None
                text_symbols[i] = key
            else:
                values[i] = v

    status = doc.get("status")
    symbols: list[str | None] = [None] * n_cells
    if isinstance(status, str):
        symbols = [status] * n_cells
    elif isinstance(status, list):
        if len(status) == 1:
            symbols = [status[0]] * n_cells
        elif len(status) == n_cells:
            symbols = list(status)
        else:
            raise SourceFormatError(where, f"'status' har {len(status)} poster, väntade 1 eller {n_cells}")
    elif isinstance(status, dict):
        for k, s in status.items():
            i = int(k)
            if 0 <= i < n_cells:
                symbols[i] = s
    elif status is not None:
        raise SourceFormatError(where, "'status' har okänd form")
    for i, key in text_symbols.items():
        if not symbols[i]:
            symbols[i] = key

    if n_cells == 0:
        frame = pd.DataFrame({name: pd.Series(dtype=str) for name in ids})
    else:
        frame = pd.MultiIndex.from_product(cats, names=ids).to_frame(index=False)
    frame["value"] = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").astype("float64")
    frame["symbol"] = pd.Series(symbols, dtype="object").values if n_cells else pd.Series(dtype=object)
    return frame


def cell_value(value: float, symbol: str | None) -> tuple[float, str, str]:
    """(value, status, note) of one cell. A missing value is never 0; a ``-`` cell is 0 with a note.

    The symbols and their meaning are those of :data:`barometer.parsing.PX_SYMBOLS`.
    """
    sym = symbol.strip().strip('"') or None if isinstance(symbol, str) else None
    if sym in ("\u2013", "\u2212"):
        sym = "-"
    if not (isinstance(value, float) and math.isnan(value)) and value is not None:
        return (float(value), "ok", f"SCB-symbol {sym!r}") if sym else (float(value), "ok", "")
    if sym in PX_SYMBOLS:
        status, v, note = PX_SYMBOLS[sym]
        return v, status, f"SCB: {note}"
    if sym:
        return math.nan, "missing", f"SCB: värde saknas (symbol {sym!r})"
    return math.nan, "missing", "SCB: värde saknas i svaret (null)"


def cell_status(value: float, symbol: str | None) -> tuple[str, str]:
    """(status, note) of one cell (see :func:`cell_value`, which also gives the value)."""
    _, status, note = cell_value(value, symbol)
    return status, note


# -- selection planning ---------------------------------------------------------------------

def _expand(wanted: list[str], available: list[str], *, var: str, is_time: bool, where: str) -> list[str]:
    plain = {split_region_code(c)[0]: c for c in available}
    chosen: list[str] = []
    for w in wanted:
        w = str(w)
        m = re.fullmatch(r"(?i)(top|bottom)\((\d+)\)", w.strip())
        if w == "*":
            picked = available
        elif m:
            n = int(m.group(2))
            first = m.group(1).lower() == "top"
            # our reading (resolved here, not sent): top(n) on time = the n latest periods
            if is_time:
                picked = available[-n:] if first else available[:n]
            else:
                picked = available[:n] if first else available[-n:]
        elif w.endswith("*") and not w.startswith("*"):
            picked = [c for c in available if split_region_code(c)[0].startswith(w[:-1])]
        elif w.startswith("*") and not w.endswith("*"):
            picked = [c for c in available if split_region_code(c)[0].endswith(w[1:])]
        elif w in available:
            picked = [w]
        elif w in plain:
            picked = [plain[w]]
        else:
            shown = ", ".join(available[:15]) + (" …" if len(available) > 15 else "")
            raise SourceFormatError(where, f"koden {w!r} finns inte för variabeln {var}. Giltiga: {shown}")
        chosen.extend(picked)
    seen = set(chosen)
    return [c for c in available if c in seen]  # metadata order, no duplicates


def split_selection(sel: dict[str, list[str]], max_cells: int) -> list[dict[str, list[str]]]:
    """Split a selection into parts of at most ``max_cells`` cells, on the largest variable first."""
    sizes = {k: len(v) for k, v in sel.items()}
    total = math.prod(sizes.values()) if sizes else 1
    if total <= max_cells:
        return [sel]
    splittable = [k for k in sel if sizes[k] > 1]
    if not splittable:
        return [sel]
    var = max(splittable, key=lambda k: sizes[k])
    other = total // sizes[var]
    chunk = max(1, max_cells // other)
    parts = []
    for i in range(0, sizes[var], chunk):
        sub = dict(sel)
        sub[var] = sel[var][i:i + chunk]
        parts.extend(split_selection(sub, max_cells))
    return parts


def _cap_lists(parts: list[dict[str, list[str]]], full: dict[str, list[str]], cap: int) -> list[dict[str, list[str]]]:
    """Also split explicit code lists longer than ``cap`` (a full list is sent as ``*``)."""
    out = []
    for part in parts:
        long = [k for k, v in part.items() if len(v) > cap and v != full.get(k)]
        if not long:
            out.append(part)
            continue
        var = long[0]
        for i in range(0, len(part[var]), cap):
            sub = dict(part)
            sub[var] = part[var][i:i + cap]
            out.extend(_cap_lists([sub], full, cap))
    return out


@dataclass
class Plan:
    """What to ask one table for: explicit codes per variable, and the code lists used."""

    table: str
    selection: dict[str, list[str]]
    full: dict[str, list[str]]
    codelists: dict[str, str] = field(default_factory=dict)
    region_var: str | None = None
    time_var: str | None = None
    contents_var: str | None = None

    @property
    def cells(self) -> int:
        return math.prod(len(v) for v in self.selection.values())

    def params(self, part: dict[str, list[str]], lang: str = "sv") -> dict[str, str]:
        params = {"lang": lang, "outputFormat": "json-stat2"}
        for var, codes in part.items():
            params[f"valueCodes[{var}]"] = "*" if codes == self.full[var] else ",".join(codes)
        for var, cl in self.codelists.items():
            params[f"codelist[{var}]"] = cl
        return params


def _role(meta: dict, role: str, fallback: str) -> str | None:
    names = (meta.get("role") or {}).get(role) or []
    if names:
        return names[0]
    return fallback if fallback in (meta.get("id") or []) else None


def make_plan(meta: dict, query: dict, *, table: str, codelist: str | None, codelist_codes: list[str] | None,
              kommun: str | None, where: str) -> Plan:
    """Resolve a catalogue query against a table's metadata into explicit codes per variable."""
    ids = meta.get("id")
    dims = meta.get("dimension")
    if not isinstance(ids, list) or not isinstance(dims, dict):
        raise SourceFormatError(where, "metadata saknar 'id' eller 'dimension'")
    unknown = [v for v in query if v not in ids]
    if unknown:
        raise SourceFormatError(where, f"variabeln {unknown[0]!r} finns inte i {table}. Variabler: {', '.join(ids)}")
    region_var = _role(meta, "geo", "Region")
    time_var = _role(meta, "time", "Tid")
    contents_var = _role(meta, "metric", "ContentsCode")
    if codelist and region_var is None:
        raise SourceFormatError(where, f"{table} har ingen regionvariabel men katalogen anger kodlistan {codelist}")

    selection: dict[str, list[str]] = {}
    full: dict[str, list[str]] = {}
    for var in ids:
        available = codelist_codes if (var == region_var and codelist_codes is not None) else categories(dims[var], var, where)
        wanted = query.get(var)
        if wanted is None:
            ext = dims[var].get("extension") or {}
            if var in (region_var, time_var):
                wanted = ["*"]
            elif ext.get("elimination"):
                continue  # left out: the server sums over it
            elif len(available) == 1:
                wanted = available
            else:
                shown = ", ".join(available[:15])
                raise SourceFormatError(
                    where, f"variabeln {var} i {table} måste väljas i live.query (kan inte elimineras). Koder: {shown}")
        if isinstance(wanted, str):
            wanted = [wanted]
        codes = _expand(list(wanted), available, var=var, is_time=var == time_var, where=where)
        if var == region_var and kommun:
            codes = [c for c in codes if split_region_code(c)[0].startswith(kommun)]
            if not codes:
                raise UnknownAreaError(kommun, "kommun", [])
        if not codes:
            raise SourceFormatError(where, f"urvalet för {var} blev tomt")
        selection[var] = codes
        full[var] = list(available)
    codelists = {region_var: codelist} if codelist else {}
    return Plan(table, selection, full, codelists, region_var, time_var, contents_var)


# -- client -----------------------------------------------------------------------------------

class PxWebClient:
    """A small PxWebApi 2.0 client (GET only) on :class:`~barometer.sources._http.HttpClient`."""

    def __init__(self, url: str | None = None, *, http: HttpClient | None = None, lang: str = "sv"):
        self.base_url = (url or base_url()).rstrip("/")
        self.http = http or HttpClient()
        self.lang = lang
        self._config: dict | None = None

    def config(self) -> dict:
        """``/config``; sets the cell limit and the rate limit from the server's own values."""
        if self._config is None:
            doc, answer = self.http.get_json(f"{self.base_url}/config")
            if not isinstance(doc, dict):
                raise SourceFormatError(answer.url, "väntade ett JSON-objekt från /config")
            version = str(doc.get("apiVersion", "2"))
            if not version.split(".")[0].isdigit() or int(version.split(".")[0]) < 2:
                raise SourceFormatError(answer.url, f"apiVersion {version!r}; barometer kräver PxWebApi 2.0")
            calls, window = doc.get("maxCallsPerTimeWindow"), doc.get("timeWindow")
            if isinstance(calls, int) and isinstance(window, (int, float)) and calls > 0 and window > 0:
                self.http.set_rate_limit(calls, window)
            self._config = doc
        return self._config

    @property
    def max_cells(self) -> int:
        value = self.config().get("maxDataCells")
        return int(value) if isinstance(value, int) and value > 0 else DEFAULT_MAX_CELLS

    def metadata(self, table: str) -> dict:
        url = f"{self.base_url}/tables/{table}/metadata"
        try:
            doc, answer = self.http.get_json(url, {"lang": self.lang})
        except SourceUnavailableError as err:
            if err.status == 404:
                raise SourceUnavailableError(
                    err.url, 404, err.attempts,
                    f"Tabellen {table} finns inte hos SCB (okänt tabell-id?). Kontrollera live.table i katalogen "
                    "eller sök med /tables?query=…",
                ) from err
            raise
        if not isinstance(doc, dict) or "dimension" not in doc:
            raise SourceFormatError(answer.url, "metadata saknar 'dimension'")
        return doc

    def codelist(self, codelist: str) -> list[str]:
        """Codes of a code list (``/codeLists/{id}``), in the server's order."""
        doc, answer = self.http.get_json(f"{self.base_url}/codeLists/{codelist}", {"lang": self.lang})
        values = doc.get("values") if isinstance(doc, dict) else None
        if not isinstance(values, list) or not values:
            raise SourceFormatError(answer.url, f"kodlistan {codelist} saknar 'values'")
        codes = [str(v.get("code")) for v in values if isinstance(v, dict) and v.get("code") is not None]
        if len(codes) != len(values):
            raise SourceFormatError(answer.url, f"kodlistan {codelist} har poster utan 'code'")
        return codes

    def data(self, table: str, params: dict[str, str]) -> tuple[dict, str]:
        """One data call; returns (JSON-stat2 document, full address)."""
        doc, answer = self.http.get_json(f"{self.base_url}/tables/{table}/data", params)
        return doc, answer.url

    def fetch_cells(self, plan: Plan) -> tuple[pd.DataFrame, list[str], dict]:
        """All cells of a plan, split under the cell limit. Returns (cells, addresses, first document)."""
        parts = split_selection(plan.selection, self.max_cells)
        parts = _cap_lists(parts, plan.full, MAX_CODES_PER_PARAM)
        frames, urls, first = [], [], None
        for part in parts:
            params = plan.params(part, self.lang)
            doc, url = self.data(plan.table, params)
            cells = jsonstat_cells(doc, url)
            _check_answer(cells, part, plan, url)
            frames.append(cells)
            urls.append(url)
            first = first if first is not None else doc
        return pd.concat(frames, ignore_index=True), urls, first or {}


def _check_answer(cells: pd.DataFrame, part: dict[str, list[str]], plan: Plan, url: str) -> None:
    """The answer must hold exactly the codes asked for (the API may drop values silently)."""
    for var, codes in part.items():
        if var not in cells.columns:
            raise SourceFormatError(url, f"svaret saknar variabeln {var}")
        got = {split_region_code(str(c))[0] for c in cells[var].unique()}
        asked = {split_region_code(c)[0] for c in codes}
        if got != asked:
            missing = sorted(asked - got)[:5]
            extra = sorted(got - asked)[:5]
            raise SourceFormatError(
                url, f"svaret för {var} stämmer inte med frågan (saknas: {missing}, oväntade: {extra})")


# -- long table -------------------------------------------------------------------------------

def measure_roles(codes: list[str], entry: dict, where: str) -> dict[str, str]:
    """Which ContentsCode is the value, or the numerator and denominator of a share."""
    live = entry.get("live") or {}
    explicit = live.get("measure")
    if isinstance(explicit, dict) and explicit:
        roles = {k: str(v) for k, v in explicit.items() if k in ("value", "numerator", "denominator")}
        if set(roles.values()) - set(codes):
            raise SourceFormatError(where, f"live.measure nämner koder som inte hämtas: {roles}")
        return roles
    if len(codes) == 1:
        return {"value": codes[0]}
    if len(codes) == 2:
        num_text, den_text = str(entry.get("numerator") or ""), str(entry.get("denominator") or "")
        num = [c for c in codes if c in num_text]
        den = [c for c in codes if c in den_text]
        if len(num) == 1 and len(den) == 1 and num != den:
            return {"numerator": num[0], "denominator": den[0]}
    raise SourceFormatError(
        where, f"ContentsCode {codes}: ange vilken kod som är täljare och nämnare "
        "(koden inom parentes i numerator/denominator, eller live.measure).")


def to_long(cells: pd.DataFrame, plan: Plan, entry: dict, where: str) -> tuple[pd.DataFrame, list[str]]:
    """Cells → long table rows of one indicator. Returns (rows, caveats)."""
    indicator = entry["id"]
    live = entry.get("live") or {}
    group_map = {str(k): str(v) for k, v in (live.get("group_map") or {}).items()}
    codelist = plan.codelists.get(plan.region_var or "", None)
    caveats: list[str] = []
    if cells.empty:
        raise SourceFormatError(where, "svaret innehåller inga celler")

    df = pd.DataFrame(index=cells.index)
    # areas
    if plan.region_var:
        raw_codes = cells[plan.region_var].astype(str)
        uniq = list(dict.fromkeys(raw_codes))
        plain, vintage = plain_codes(uniq, codelist, where)
        mapping = dict(zip(uniq, plain))
        df["area_code"] = raw_codes.map(mapping)
    else:
        df["area_code"] = "00"
        vintage = None
    levels = {c: level_of(c) for c in df["area_code"].unique()}
    bad = sorted(c for c, lv in levels.items() if lv is None)
    if bad:
        raise SourceFormatError(where, f"okända regionkoder: {', '.join(bad[:5])}")
    df["level"] = df["area_code"].map(levels)
    for level in set(levels.values()) & set(STORE_VINTAGES):
        if vintage and vintage != STORE_VINTAGES[level]:
            raise SourceFormatError(
                where, f"koderna gäller {vintage}, men datalagret använder {STORE_VINTAGES[level]}. "
                f"Använd kodlistan för {STORE_VINTAGES[level]} (t.ex. vs_RegSO2020 / vs_DeSO2018).")
    # years
    if plan.time_var is None:
        raise SourceFormatError(where, "tabellen saknar tidsvariabel")
    periods = cells[plan.time_var].astype(str)
    wrong = sorted({p for p in periods.unique() if not re.fullmatch(r"\d{4}", p)})
    if wrong:
        raise SourceFormatError(where, f"tidsperioder {wrong[:3]} är inte årtal; bara årstabeller stöds")
    df["year"] = periods.astype(int)

    # groups
    contents_var = plan.contents_var if plan.contents_var in cells.columns else None
    group_dims = [c for c in cells.columns if c not in (plan.region_var, plan.time_var, "value", "symbol")]
    if contents_var and not any(str(c) in group_map for c in cells[contents_var].unique()):
        group_dims.remove(contents_var)
        measure_codes = list(dict.fromkeys(cells[contents_var].astype(str)))
    else:
        contents_var, measure_codes = None, []
    parts = []
    for dim in group_dims:
        codes = [str(c) for c in dict.fromkeys(cells[dim])]
        mapped = [c for c in codes if c in group_map]
        if mapped and len(mapped) != len(codes):
            raise SourceFormatError(
                where, f"group_map saknar grupp för {dim} = {sorted(set(codes) - set(mapped))}")
        if mapped:
            parts.append(cells[dim].astype(str).map(group_map))
        elif len(codes) > 1:
            raise SourceFormatError(
                where, f"variabeln {dim} har flera värden ({', '.join(codes[:5])}) men group_map anger inga grupper")
    if parts:
        group = parts[0]
        for p in parts[1:]:
            group = group + "/" + p
        df["group"] = group.values
    else:
        df["group"] = "totalt"

    vsn = [cell_value(v, s) for v, s in zip(cells["value"].tolist(), cells["symbol"].tolist())]
    df["value"] = np.array([v for v, _, _ in vsn], dtype=float)
    df["status"] = [s for _, s, _ in vsn]
    df["note"] = [n for _, _, n in vsn]

    key = ["level", "area_code", "year", "group"]
    if contents_var is None:
        out = df
    else:
        df["_measure"] = cells[contents_var].astype(str).values
        roles = measure_roles(measure_codes, entry, where)
        if "value" in roles:
            out = df[df["_measure"] == roles["value"]].drop(columns="_measure")
        else:
            out = _share(df, roles, key, entry, where)
    out = out.assign(indicator=indicator, source_id=f"live:{indicator}")

    # a year with no values at all for a code list that does not cover it
    empty_years = sorted(y for y, v in out.groupby("year")["value"] if v.isna().all())
    if empty_years and len(empty_years) < out["year"].nunique():
        out = out[~out["year"].isin(empty_years)]
        caveats.append(f"År {', '.join(map(str, empty_years))} saknar värden i svaret"
                       f"{' för kodlistan ' + codelist if codelist else ''} och togs inte med.")
    if vintage:
        caveats.append(f"Områdeskoder enligt {vintage}.")
    return out, caveats


def _share(df: pd.DataFrame, roles: dict[str, str], key: list[str], entry: dict, where: str) -> pd.DataFrame:
    if str(entry.get("unit", "procent")) != "procent":
        raise SourceFormatError(where, f"täljare/nämnare ger en andel, men enheten är {entry.get('unit')!r}")
    cols = ["value", "status", "note"]
    num = df[df["_measure"] == roles["numerator"]].set_index(key)[cols]
    den = df[df["_measure"] == roles["denominator"]].set_index(key)[cols]
    j = num.add_suffix("_num").join(den.add_suffix("_den"), how="outer")
    n, d = j["value_num"].astype(float), j["value_den"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where((d > 0) & n.notna(), 100.0 * n / d, np.nan)
    status, note = [], []
    for v, sn, sd, nn, nd, dv in zip(value, j["status_num"], j["status_den"], j["note_num"], j["note_den"], d):
        if not np.isnan(v):
            status.append("ok")
            note.append("; ".join(x for x in (nn, nd) if isinstance(x, str) and x))
            continue
        if "suppressed" in (sn, sd):
            status.append("suppressed")
        elif "not_applicable" in (sn, sd):
            status.append("not_applicable")
        else:
            status.append("missing")
        reasons = []
        if isinstance(nn, str) and nn:
            reasons.append(f"täljare: {nn}")
        if isinstance(nd, str) and nd:
            reasons.append(f"nämnare: {nd}")
        if not reasons:
            reasons = ["nämnaren är 0" if dv == 0 else "täljare eller nämnare saknas"]
        note.append("; ".join(reasons))
    out = pd.DataFrame({"value": value, "numerator": n.values, "denominator": d.values,
                        "status": status, "note": note}, index=j.index).reset_index()
    return out


@dataclass
class LiveResult:
    """A fetched indicator: its long table and the metadata for ``<indicator>.meta.json``."""

    indicator: str
    values: pd.DataFrame
    meta: dict


def fetch_indicator(entry: dict, *, kommun: str | None = None, client: PxWebClient | None = None) -> LiveResult:
    """Fetch one ``scb-pxweb-v2`` catalogue entry into a validated long table (nothing written)."""
    indicator = entry["id"]
    live = entry.get("live") or {}
    where = f"katalogen ({indicator})"
    table = table_id(live.get("table"), where)
    if kommun is not None and not KOMMUN_CODE.match(str(kommun)):
        raise UnknownAreaError(str(kommun), "kommun", [])
    client = client or PxWebClient()
    config = client.config()
    meta_doc = client.metadata(table)
    query = {str(k): [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in (live.get("query") or {}).items()}
    codelists = live.get("region_codelist")
    codelists = [codelists] if isinstance(codelists, str) or codelists is None else list(codelists)

    frames, caveats, urls, first_doc = [], [], [], None
    for codelist in codelists:
        codes = client.codelist(codelist) if codelist else None
        plan = make_plan(meta_doc, query, table=table, codelist=codelist, codelist_codes=codes,
                         kommun=kommun, where=f"{client.base_url}/tables/{table}/metadata")
        contents = plan.selection.get(plan.contents_var or "", [])
        group_map = live.get("group_map") or {}
        if contents and not any(c in group_map for c in contents):
            measure_roles(contents, entry, where)  # fail before downloading
        cells, part_urls, doc = client.fetch_cells(plan)
        where_data = part_urls[0] if part_urls else table
        rows, notes = to_long(cells, plan, entry, where_data)
        frames.append(rows)
        caveats += notes
        urls += part_urls
        first_doc = first_doc or doc
    values = finish_values(pd.concat(frames, ignore_index=True), urls[0] if urls else where)
    meta = {
        "source_id": f"live:{indicator}",
        "indicator": indicator,
        "kind": "live",
        "api": "scb-pxweb-v2",
        "publisher": "SCB",
        "title": str((first_doc or {}).get("label") or meta_doc.get("label") or table),
        "table_id": table,
        "url": urls[0],
        "urls": urls,
        "query": {"valueCodes": query, "codelist": [c for c in codelists if c], "kommun": kommun},
        "retrieved": now_iso(),
        "updated": (first_doc or {}).get("updated") or meta_doc.get("updated"),
        "licence": _licence(config),
        "reference_years": reference_years(values),
        "levels": sorted(values["level"].unique().tolist()),
        "rows": int(len(values)),
        "caveats": " ".join(caveats),
    }
    return LiveResult(indicator, values, meta)


def _licence(config: dict) -> str:
    lic = str(config.get("license") or "")
    if "cc0" in lic.lower() or "publicdomain/zero" in lic.lower():
        return LICENCE
    return lic or LICENCE
