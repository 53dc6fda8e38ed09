"""Check every live catalogue entry against the upstream's own metadata (needs a network).

For ``scb-pxweb-v2`` entries: ``/tables/{id}/metadata`` must exist; every variable and code in
``live.query`` must be in it; ``region_codelist`` must be one of the Region variable's code
lists; every ``group_map`` code must be a category; two ContentsCodes must be identifiable as
numerator and denominator. For ``kolada`` entries: ``live.kpi`` must be set and ``/kpi/{id}``
must know it. For ``scb-wfs`` entries: the layer (``live.table``) must answer one feature.

Each problem is a :class:`Mismatch`; network failures are reported as mismatches too, so one
run lists everything. ``barometer fetch --verify`` prints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from ..exceptions import BarometerError, SourceFormatError, SourceUnavailableError
from . import geodata, kolada, scb
from .fetch import load_catalog


@dataclass(frozen=True)
class Mismatch:
    """One disagreement between the catalogue and the upstream."""

    indicator: str
    api: str
    target: str
    problem: str

    def __str__(self) -> str:
        return f"{self.indicator} ({self.api} {self.target}): {self.problem}"


def _codelist_ids(dimension: dict) -> list[str]:
    ext = dimension.get("extension") or {}
    lists = ext.get("codelists") or ext.get("codeLists") or []
    return [str(c.get("id")) for c in lists if isinstance(c, dict) and c.get("id")]


def check_scb(entry: dict, client: scb.PxWebClient, cache: dict[str, dict]) -> list[Mismatch]:
    live = entry.get("live") or {}
    ident = entry["id"]

    def mm(target: str, problem: str) -> Mismatch:
        return Mismatch(ident, "scb-pxweb-v2", target, problem)

    try:
        table = scb.table_id(live.get("table"))
    except SourceFormatError as err:
        return [mm(str(live.get("table")), err.problem)]
    try:
        if table not in cache:
            cache[table] = client.metadata(table)
        meta = cache[table]
    except BarometerError as err:
        return [mm(table, str(err))]
    dims = meta.get("dimension") or {}
    problems = []
    for var, wanted in (live.get("query") or {}).items():
        if var not in dims:
            problems.append(mm(table, f"variabeln {var!r} finns inte; variabler: {', '.join(meta.get('id') or dims)}"))
            continue
        codes = scb.categories(dims[var], var, table)
        for code in wanted if isinstance(wanted, list) else [wanted]:
            code = str(code)
            if code == "*" or "*" in code or re.fullmatch(r"(?i)(top|bottom)\(\d+\)", code):
                continue
            if code not in codes:
                problems.append(mm(table, f"{var}={code!r} finns inte; giltiga: {', '.join(codes[:15])}"))
    region = scb._role(meta, "geo", "Region")
    wanted_lists = live.get("region_codelist")
    wanted_lists = [wanted_lists] if isinstance(wanted_lists, str) else list(wanted_lists or [])
    for cl in wanted_lists:
        if region is None:
            problems.append(mm(table, f"ingen regionvariabel för kodlistan {cl}"))
            continue
        available = _codelist_ids(dims[region])
        if cl not in available:
            problems.append(mm(table, f"kodlistan {cl} finns inte för {region}; finns: {', '.join(available) or 'inga'}"))
    all_codes = {c for name, d in dims.items() for c in scb.categories(d, name, table)}
    for code in (live.get("group_map") or {}):
        if str(code) not in all_codes:
            problems.append(mm(table, f"group_map-koden {code!r} finns inte i någon variabel"))
    contents = [str(c) for c in (live.get("query") or {}).get("ContentsCode", [])]
    if len(contents) > 1 and not any(c in (live.get("group_map") or {}) for c in contents):
        try:
            scb.measure_roles(contents, entry, table)
        except SourceFormatError as err:
            problems.append(mm(table, err.problem))
    return problems


def check_kolada(entry: dict, client: kolada.KoladaClient) -> list[Mismatch]:
    kpi = (entry.get("live") or {}).get("kpi")
    if not kpi:
        return [Mismatch(entry["id"], "kolada", "-", "live.kpi saknas (KPI-id ej verifierat)")]
    try:
        client.kpi(str(kpi))
    except BarometerError as err:
        return [Mismatch(entry["id"], "kolada", str(kpi), str(err))]
    return []


def check_wfs(entry: dict, client: geodata.WfsClient) -> list[Mismatch]:
    layer_name = str((entry.get("live") or {}).get("table") or "")
    layer = next((l for l in geodata.LAYERS.values() if l.type_name == layer_name), None)
    if layer is None:
        return [Mismatch(entry["id"], "scb-wfs", layer_name, f"okänt lager; kända: "
                         f"{', '.join(l.type_name for l in geodata.LAYERS.values())}")]
    try:
        params = dict(client.params(layer, 0, None), count="1")
        doc, _ = client.http.get_json(client.base_url, params)
        props = ((doc.get("features") or [{}])[0] or {}).get("properties") or {}
        missing = [a for a in (layer.code_attr, "kommunkod") if a not in props]
        if missing:
            return [Mismatch(entry["id"], "scb-wfs", layer_name, f"attribut saknas: {missing}")]
    except (BarometerError, AttributeError) as err:
        return [Mismatch(entry["id"], "scb-wfs", layer_name, str(err))]
    return []


def verify(catalog=None, *, indicators: Iterable[str] | None = None, scb_client: scb.PxWebClient | None = None,
           kolada_client: kolada.KoladaClient | None = None, wfs_client: geodata.WfsClient | None = None,
           progress: bool = False) -> list[Mismatch]:
    """Check live entries (all, or ``indicators``) against the upstream; return the mismatches."""
    entries = [e for e in load_catalog(catalog) if e.get("status") == "live"]
    if indicators is not None:
        wanted = set(indicators)
        entries = [e for e in entries if e["id"] in wanted]
    scb_client = scb_client or scb.PxWebClient()
    kolada_client = kolada_client or kolada.KoladaClient()
    wfs_client = wfs_client or geodata.WfsClient()
    cache: dict[str, dict] = {}
    out: list[Mismatch] = []
    iterator = entries
    if progress:
        from tqdm import tqdm

        iterator = tqdm(entries, desc="Kontrollerar", unit="indikator", disable=None)  # quiet in logs
    for entry in iterator:
        api = (entry.get("live") or {}).get("api")
        try:
            if api == "scb-pxweb-v2":
                out += check_scb(entry, scb_client, cache)
            elif api == "kolada":
                out += check_kolada(entry, kolada_client)
            elif api == "scb-wfs":
                out += check_wfs(entry, wfs_client)
            else:
                out.append(Mismatch(entry["id"], str(api), "-", "okänt live.api"))
        except (SourceUnavailableError, SourceFormatError) as err:  # pragma: no cover - defensive
            out.append(Mismatch(entry["id"], str(api), "-", str(err)))
    return out
