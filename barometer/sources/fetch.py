"""Fetch live indicators (and optionally boundaries) named by the catalogue into ``data/raw``.

The catalogue (``barometer/catalog/indicators.yml``) drives everything; there is no code per
indicator. A ``status: live`` entry carries a ``live`` block::

    live:
      api: scb-pxweb-v2          # or kolada (scb-wfs: boundaries, see --geometries)
      table: TAB6685             # PxWebApi 2.0 id; text after the id is ignored ("TAB6684 (Tab3…)")
      kpi: null                  # Kolada KPI id (kolada only)
      query: {ContentsCode: ["000008AC"], Alder: ["tot"]}   # one list per variable; "*", "01*",
                                 # "top(3)" allowed. Region and Tid default to all; an eliminable
                                 # variable left out is summed by SCB.
      region_codelist: vs_RegSO2020   # or a list of code lists; null = the table's own Region
      group_map: {"1": hyresratt}     # code of any non-region/time variable → group; {} = totalt
      measure: {numerator: …, denominator: …}   # optional; else read from the entry's
                                 # numerator/denominator text ("förvärvsarbetande (0000089X)")

For Kolada, ``query`` may hold ``year: ["2022", "2023"]``; ``group_map`` maps gender ``T``/``K``/``M``
to groups (default ``T`` → ``totalt``).

Output (the contract with ``barometer build``): ``data/raw/live/<indicator>.parquet`` in the
long-table columns (``source_id`` = ``live:<indicator>``) and ``<indicator>.meta.json`` with
``source_id, publisher, title, table_id, url, urls, query, retrieved, licence, sha256, kind:
"live"``, plus ``reference_years``, ``caveats``, ``coverage`` and ``spec``. Each indicator is
fetched, parsed and validated in memory, then both files are renamed into place together
(``_output.write_atomic``): a failed or partial download never reaches ``data/raw/live`` and
leaves the existing files untouched.

With ``kommun``, only that kommun's areas are asked for; if a file from the same catalogue
spec exists, that kommun's rows in it are replaced and the rest kept (``coverage`` lists what
the file holds).

The first failing indicator stops the run with its error (address and status); indicators
already written stay (each is complete). When all live indicators are fetched, entries the
catalogue cannot yet fetch (no Kolada KPI, no PxWebApi 2.0 table id) are skipped with a
:class:`~barometer.exceptions.BarometerWarning`; naming such an entry explicitly is an error.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Iterable

import pandas as pd
import yaml

from .. import config
from ..exceptions import BarometerWarning, SourceFormatError, UnknownAreaError, UnknownIndicatorError
from . import geodata, kolada, scb
from ._output import KOMMUN_CODE, finish_values, merge_kommun, read_meta, sha256_file, spec_hash, write_values

APIS = ("scb-pxweb-v2", "kolada", "scb-wfs")


def load_catalog(catalog: str | Path | list[dict] | None = None) -> list[dict]:
    """Catalogue entries: the package's ``indicators.yml``, another YAML file, or a list of entries."""
    if isinstance(catalog, list):
        return [dict(e) for e in catalog]
    if catalog is None:
        from ..catalog import entries

        return entries()
    path = Path(catalog)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise SourceFormatError(str(path), f"kunde inte läsa katalogen: {err}") from err
    items = doc.get("indicators") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise SourceFormatError(str(path), "väntade en lista under nyckeln 'indicators'")
    return [dict(e) for e in items]


def not_fetchable(entry: dict) -> str | None:
    """Why a live entry cannot be fetched as the catalogue stands (None when it can)."""
    live = entry.get("live") or {}
    api = live.get("api")
    if api not in APIS:
        return f"okänt live.api {api!r} (giltiga: {', '.join(APIS)})"
    if api == "kolada" and not live.get("kpi"):
        return "live.kpi saknas (KPI-id ej verifierat)"
    if api == "scb-pxweb-v2" and not scb.TABLE_ID.match(str(live.get("table") or "")):
        return f"live.table {live.get('table')!r} är inget PxWebApi 2.0-id (TABnnnn)"
    if api == "scb-wfs":
        return "gränser hämtas med --geometries"
    return None


def select(entries: list[dict], indicators: Iterable[str] | None) -> list[dict]:
    live = [e for e in entries if e.get("status") == "live"]
    live_ids = [e["id"] for e in live]
    if indicators is None:
        chosen = []
        for e in live:
            why = not_fetchable(e)
            if why:
                warnings.warn(f"{e['id']} hoppas över: {why}", BarometerWarning, stacklevel=3)
            else:
                chosen.append(e)
        return chosen
    by_id = {e["id"]: e for e in live}
    chosen = []
    for ident in dict.fromkeys(indicators):
        if ident not in by_id:
            status = next((e.get("status") for e in entries if e["id"] == ident), None)
            if status == "offline":
                raise UnknownIndicatorError(ident, live_ids, hint="finns redan i ögonblicksbilden och hämtas inte "
                                            "live; hämtbara live-indikatorer")
            raise UnknownIndicatorError(ident, live_ids)  # valid choices: the live ones
        why = not_fetchable(by_id[ident])
        if why:
            raise SourceFormatError(f"katalogen ({ident})", f"kan inte hämtas: {why}")
        chosen.append(by_id[ident])
    return chosen


class _Clients:
    """One client per upstream for a whole run (SCB's /config is read once)."""

    def __init__(self):
        self._scb = self._kolada = self._wfs = None

    @property
    def scb(self) -> scb.PxWebClient:
        self._scb = self._scb or scb.PxWebClient()
        return self._scb

    @property
    def kolada(self) -> kolada.KoladaClient:
        self._kolada = self._kolada or kolada.KoladaClient()
        return self._kolada

    @property
    def wfs(self) -> geodata.WfsClient:
        self._wfs = self._wfs or geodata.WfsClient()
        return self._wfs


def fetch_entry(entry: dict, *, kommun: str | None = None, clients: _Clients | None = None) -> scb.LiveResult:
    """Download, parse and validate one live entry; nothing is written."""
    clients = clients or _Clients()
    api = (entry.get("live") or {}).get("api")
    if api == "scb-pxweb-v2":
        return scb.fetch_indicator(entry, kommun=kommun, client=clients.scb)
    if api == "kolada":
        return kolada.fetch_indicator(entry, kommun=kommun, client=clients.kolada)
    raise SourceFormatError(f"katalogen ({entry.get('id')})", f"live.api {api!r} hämtas inte här")


def write_result(result: scb.LiveResult, entry: dict, *, kommun: str | None, dest: Path) -> Path:
    """Write one fetched indicator to ``<dest>/live`` atomically (merging a kommun into an earlier file)."""
    target = Path(dest) / "live" / f"{result.indicator}.parquet"
    meta_path = target.with_name(f"{result.indicator}.meta.json")
    spec = spec_hash({k: entry.get(k) for k in ("live", "unit", "numerator", "denominator")})
    values = result.values
    coverage: str | list[str] = [kommun] if kommun else "hela landet"
    if kommun and target.is_file():
        old = read_meta(meta_path)
        if old and old.get("spec") == spec and old.get("sha256") == sha256_file(target):
            values = finish_values(merge_kommun(pd.read_parquet(target), values, kommun), str(target))
            prev = old.get("coverage")
            coverage = "hela landet" if prev == "hela landet" else sorted(set(prev or []) | {kommun})
    meta = dict(result.meta, spec=spec, coverage=coverage, rows=int(len(values)))
    return write_values(values, target, meta)


def fetch(indicators: Iterable[str] | None = None, kommun: str | None = None, geometries: bool = False,
          dest: str | Path | None = None, *, catalog: str | Path | list[dict] | None = None,
          progress: bool = False) -> list[Path]:
    """Fetch live indicators (all live ones when ``indicators`` is None) and optionally boundaries.

    Parameters
    ----------
    indicators:
        Catalogue ids; ``None`` = every live entry that can be fetched; ``[]`` = none.
    kommun:
        A 4-digit kommun code: fetch only its areas (merged into earlier national files).
    geometries:
        Also fetch RegSO 2020 and DeSO 2018 boundaries into ``<dest>/geo``.
    dest:
        The raw folder (default ``barometer.config.fetched_dir()``, i.e. ``data/raw``).
    catalog:
        Another catalogue (YAML path or list of entries), for tests and experiments.
    progress:
        Show a tqdm progress bar.

    Returns
    -------
    list[Path]
        The Parquet files written (each with its ``.meta.json``).

    Raises
    ------
    SourceUnavailableError, SourceFormatError, UnknownIndicatorError, UnknownAreaError
    """
    if kommun is not None:
        kommun = str(kommun).strip()
        if not KOMMUN_CODE.match(kommun) or kommun.startswith("00"):
            raise UnknownAreaError(kommun, "kommun", [])
    chosen = select(load_catalog(catalog), indicators)
    dest = Path(dest) if dest is not None else config.fetched_dir()
    clients = _Clients()
    jobs: list[tuple[str, object]] = [("indicator", e) for e in chosen]
    if geometries:
        jobs += [("geo", level) for level in geodata.LAYERS]
    written: list[Path] = []
    bar = None
    if progress and jobs:
        from tqdm import tqdm

        bar = tqdm(total=len(jobs), desc="Hämtar", unit="källa", disable=None)  # quiet in logs
    try:
        for kind, job in jobs:
            if bar is not None:
                bar.set_postfix_str(job["id"] if kind == "indicator" else f"gränser {job}")
            if kind == "indicator":
                result = fetch_entry(job, kommun=kommun, clients=clients)
                written.append(write_result(result, job, kommun=kommun, dest=dest))
            else:
                written.append(geodata.fetch_layer(job, kommun=kommun, dest=dest, client=clients.wfs))
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return written
