"""Kolada v3 client: kommun-level KPI values (per year and gender) into barometer's long table.

Why a thin client of our own and not koladapy
---------------------------------------------
We read koladapy 1.0.1 (``koladapy/api.py``, ``utils.py``, ``exceptions.py``). Its
``KoladaAPI(base_url=...)`` can be pointed at our local test server (requirement (a) holds), but
it cannot be trusted to fail loudly, and its errors lack the facts we must report (b):

- ``_batch_request`` catches every exception of a batch, logs it and *continues*: a failed call
  silently becomes missing rows — exactly the partial download we must never write;
- a 500, a timeout or a dropped connection is turned into ``KoladaAPIError`` inside
  ``_make_request``, which its ``backoff`` decorator does not retry (it retries only
  ``RequestException``/``KoladaRateLimitError``); the status code is only inside the message;
- on 429 it sleeps ``int(Retry-After)`` (an HTTP-date breaks it) and then backs off again;
- it always draws tqdm bars and needs the extra ``backoff`` package, and it uses
  ``urljoin``, so a base URL without a trailing slash drops its last path segment.

So this module is a thin client on ``requests`` + ``urllib3.util.Retry`` (``_http.py``), with the
same retries, rate limit and errors as the SCB client. Calls:
``GET /data/kpi/{kpi}/year/{y1,y2}`` (all kommuner), ``/data/kpi/{kpi}/municipality/{m}[/year/…]``
(one kommun, or batches of at most 20 when no years are given: Kolada v3 limits the list) and
``/kpi/{kpi}`` (title; also proves the KPI exists). Pages are followed through ``next_url`` /
``next_page`` (``per_page=5000``), only on the same host.

Output: level ``kommun``, ``area_code`` the 4-digit kommun code. Kolada's region (``00XX``) and
riket (``0000``) rows are left out. Gender ``T``/``K``/``M`` → groups via ``live.group_map``
(default: ``T`` → ``totalt`` only). A null value is NaN with status ``missing`` and a note;
values marked ``isdeleted`` are dropped. A value sent as text is read by :mod:`barometer.parsing`
("1 234", "12,5"; ``-`` → 0 with a note, ``..`` → suppressed); other text stops with the kommun,
year and gender of the cell.

Verified only against a hand-written response in the v3 shape (``tests/responses/kolada/``);
no network here.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import pandas as pd

from ..exceptions import SourceFormatError, UnknownAreaError
from ..parsing import parse_cells
from ._http import HttpClient
from ._output import KOMMUN_CODE, finish_values, now_iso, reference_years
from .scb import LiveResult

DEFAULT_URL = "https://api.kolada.se/v3"
ENV_URL = "BAROMETER_KOLADA_URL"
PER_PAGE = 5000
MAX_MUNICIPALITIES = 20
MAX_PAGES = 200
LICENCE = "Kolada (RKA): fri användning med källangivelse 'Källa: Kolada' (https://www.kolada.se/om-oss/api/)"
DEFAULT_GROUPS = {"T": "totalt"}


def base_url() -> str:
    return os.environ.get(ENV_URL, DEFAULT_URL).rstrip("/")


class KoladaClient:
    """A small Kolada v3 client (GET only)."""

    def __init__(self, url: str | None = None, *, http: HttpClient | None = None):
        self.base_url = (url or base_url()).rstrip("/")
        # Kolada publishes no rate limit; stay polite (5 calls per second).
        self.http = http or HttpClient(max_calls=5, window=1.0)

    def _pages(self, url: str, params: dict | None = None) -> tuple[list[dict], list[str]]:
        """All items of a paged answer, and the addresses called."""
        items, urls = [], []
        host = urlsplit(self.base_url)[:2]
        for _ in range(MAX_PAGES):
            doc, answer = self.http.get_json(url, params)
            urls.append(answer.url)
            if not isinstance(doc, dict) or not isinstance(doc.get("values"), list):
                raise SourceFormatError(answer.url, "väntade ett JSON-objekt med listan 'values'")
            items.extend(doc["values"])
            nxt = doc.get("next_url") or doc.get("next_page")
            if not nxt:
                return items, urls
            if not isinstance(nxt, str) or urlsplit(nxt)[:2] != host:
                raise SourceFormatError(answer.url, f"nästa sida pekar utanför {self.base_url}: {nxt!r}")
            url, params = nxt, None
        raise SourceFormatError(url, f"fler än {MAX_PAGES} sidor; avbröt")

    def kpi(self, kpi: str) -> dict:
        items, urls = self._pages(f"{self.base_url}/kpi/{kpi}")
        match = [i for i in items if isinstance(i, dict) and i.get("id") == kpi]
        if not match:
            raise SourceFormatError(urls[0], f"KPI {kpi} finns inte i Kolada (tomt svar). Kontrollera live.kpi.")
        return match[0]

    def municipalities(self) -> list[str]:
        """All kommun codes Kolada knows (type K)."""
        items, _ = self._pages(f"{self.base_url}/municipality", {"per_page": PER_PAGE})
        return sorted(str(i["id"]) for i in items
                      if isinstance(i, dict) and i.get("type") == "K" and KOMMUN_CODE.match(str(i.get("id", ""))))

    def data(self, kpi: str, *, municipalities: list[str] | None = None,
             years: list[str] | None = None) -> tuple[list[dict], list[str]]:
        """Data items of one KPI; returns (items, addresses)."""
        path = f"{self.base_url}/data/kpi/{kpi}"
        year_part = f"/year/{','.join(years)}" if years else ""
        if not municipalities:
            if not years:
                raise SourceFormatError(path, "ange år eller kommuner för Kolada-data")
            return self._pages(path + year_part, {"per_page": PER_PAGE})
        items, urls = [], []
        for i in range(0, len(municipalities), MAX_MUNICIPALITIES):
            batch = ",".join(municipalities[i:i + MAX_MUNICIPALITIES])
            got, called = self._pages(f"{path}/municipality/{batch}{year_part}", {"per_page": PER_PAGE})
            items += got
            urls += called
        return items, urls


def items_to_long(items: list[dict], *, indicator: str, group_map: dict[str, str], where: str) -> tuple[pd.DataFrame, int]:
    """Kolada data items → long-table rows (kommun level). Returns (rows, dropped non-kommun items)."""
    rows, dropped = [], 0
    for item in items:
        if not isinstance(item, dict) or "municipality" not in item or "period" not in item:
            raise SourceFormatError(where, f"post utan municipality/period: {str(item)[:80]}")
        code = str(item["municipality"])
        if not KOMMUN_CODE.match(code):
            raise SourceFormatError(where, f"ogiltig kommunkod {code!r}")
        if code.startswith("00"):
            dropped += 1  # riket (0000) or a region (00XX)
            continue
        period = str(item["period"])
        if not re.fullmatch(r"\d{4}", period):
            raise SourceFormatError(where, f"period {period!r} är inget årtal")
        values = item.get("values")
        if not isinstance(values, list):
            raise SourceFormatError(where, f"post för {code} {period} saknar listan 'values'")
        for v in values:
            if not isinstance(v, dict) or v.get("isdeleted"):
                continue
            group = group_map.get(str(v.get("gender")))
            if group is None:
                continue
            value = v.get("value")
            if isinstance(value, bool) or not (value is None or isinstance(value, (int, float, str))):
                raise SourceFormatError(where, f"icke-numeriskt värde {value!r} för {code} {period}")
            flag = str(v.get("status") or "").strip()
            rows.append({"level": "kommun", "area_code": code, "year": int(period), "indicator": indicator,
                         "group": group, "value": value, "status": flag, "note": "",
                         "source_id": f"live:{indicator}"})
    frame = pd.DataFrame(rows, columns=["level", "area_code", "year", "indicator", "group", "value",
                                        "status", "note", "source_id"])
    # one parser for every source: numbers sent as text ("1 234", "12,5") and PX symbols ("-" = 0
    # with a note, ".." suppressed); anything else stops naming the kommun, year and gender
    labels = [f"{c} {y} {g}" for c, y, g in zip(frame["area_code"], frame["year"], frame["group"])]
    cell = parse_cells(frame["value"], where=where, labels=labels)
    notes = []
    for raw, flag, parsed_note in zip(frame["value"].tolist(), frame["status"].astype(str), cell["note"].tolist()):
        if raw is None or (isinstance(raw, float) and raw != raw):
            notes.append("Kolada: värde saknas" + (f" (status {flag!r})" if flag else ""))
            continue
        parts = [f"Kolada: {parsed_note}"] if parsed_note else []
        if flag:
            parts.append(f"Kolada-status {flag!r}")
        notes.append("; ".join(parts))
    frame["note"] = notes
    frame["status"] = cell["status"].to_numpy()
    frame["value"] = cell["value"].to_numpy(dtype="float64")
    return frame, dropped


def fetch_indicator(entry: dict, *, kommun: str | None = None, client: KoladaClient | None = None) -> LiveResult:
    """Fetch one ``kolada`` catalogue entry into a validated long table (nothing written)."""
    indicator = entry["id"]
    live = entry.get("live") or {}
    kpi = live.get("kpi")
    if not kpi or not isinstance(kpi, str):
        raise SourceFormatError(
            f"katalogen ({indicator})",
            "live.kpi saknas (KPI-id ej verifierat). Ange Kolada-KPI:n, t.ex. N31807, innan hämtning.")
    if kommun is not None and not KOMMUN_CODE.match(str(kommun)):
        raise UnknownAreaError(str(kommun), "kommun", [])
    query = live.get("query") or {}
    years = [str(y) for y in (query.get("year") or query.get("years") or live.get("years") or [])]
    group_map = {str(k): str(v) for k, v in (live.get("group_map") or {}).items()} or dict(DEFAULT_GROUPS)

    client = client or KoladaClient()
    info = client.kpi(kpi)
    if kommun:
        municipalities = [kommun]
    elif years:
        municipalities = None
    else:
        municipalities = client.municipalities()
    items, urls = client.data(kpi, municipalities=municipalities, years=years or None)
    rows, dropped = items_to_long(items, indicator=indicator, group_map=group_map, where=urls[0])
    if rows.empty:
        raise SourceFormatError(urls[0], f"inga kommunvärden för {kpi}" + (f" i {kommun}" if kommun else ""))
    if kommun and set(rows["area_code"]) != {kommun}:
        raise SourceFormatError(urls[0], f"svaret innehåller andra kommuner än {kommun}")
    values = finish_values(rows, urls[0])
    caveats = []
    if dropped:
        caveats.append(f"{dropped} poster för riket/regioner (00XX) togs inte med; bara kommuner.")
    meta = {
        "source_id": f"live:{indicator}",
        "indicator": indicator,
        "kind": "live",
        "api": "kolada",
        "publisher": "RKA (Kolada)",
        "title": str(info.get("title") or kpi),
        "table_id": kpi,
        "url": urls[0],
        "urls": urls,
        "query": {"kpi": kpi, "years": years, "kommun": kommun, "group_map": group_map},
        "retrieved": now_iso(),
        "licence": LICENCE,
        "reference_years": reference_years(values),
        "levels": ["kommun"],
        "rows": int(len(values)),
        "caveats": " ".join(caveats),
    }
    return LiveResult(indicator, values, meta)
