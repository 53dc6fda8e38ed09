"""Reports for many kommuner: process pool, tqdm progress, resume by checksum, failures summary, index.html."""

from __future__ import annotations

import gc
import hashlib
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from papermill import PapermillExecutionError

from .. import config, store
from ..exceptions import InvalidArgumentError, ReportError
from ..filters import check_report_year
from ..geography import kommun as resolve_kommun
from ..text import kommun_label
from ..textutil import fold
from . import render
from .templating import render as render_template
from .execute import ENGINES, execute, notebook_path

def slug(name: str) -> str:
    """ASCII-folded lowercase file name part: ``"Malmö"`` → ``"malmo"``, ``"Upplands-Bro"`` → ``"upplands-bro"``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def default_year() -> int:
    """The store's latest report year (:func:`barometer.filters.latest_report_year`): a report's year
    when none is given, and the year whose reports keep the plain file name (``2460-vannas.pdf``)."""
    from ..filters import latest_report_year

    return latest_report_year()


def year_suffix(year) -> str:
    """``""`` for the default (latest) year, else ``"-<year>"``: an older year never overwrites the latest report."""
    return "" if year is None or int(year) == default_year() else f"-{int(year)}"


def output_stem(area, year=None) -> str:
    """``<code>-<slug>`` for the default year, ``<code>-<slug>-<year>`` for another (``2460-vannas-2020``)."""
    return f"{area.code}-{slug(area.name)}{year_suffix(year)}"


def input_checksum(year: int, notebook: Path) -> str:
    """What a report depends on: the store's checksum, the notebook, the report code and the year."""
    h = hashlib.sha256()
    h.update(str(store.meta().get("checksum", "")).encode())
    h.update(hashlib.sha256(Path(notebook).read_bytes()).hexdigest().encode())
    package = Path(__file__).resolve().parents[1]
    for src in sorted([*package.joinpath("report").glob("*.py"), package / "text.py", package / "maps.py"]):
        h.update(hashlib.sha256(src.read_bytes()).hexdigest().encode())
    h.update(str(int(year)).encode())
    return h.hexdigest()


def is_current(area, year: int, out_dir: Path, checksum: str) -> bool:
    stem = Path(out_dir) / output_stem(area, year)
    html_path, pdf_path = stem.with_suffix(".html"), stem.with_suffix(".pdf")
    return html_path.is_file() and pdf_path.is_file() and render.read_meta(html_path).get("checksum") == checksum


@dataclass
class Result:
    code: str
    name: str
    ok: bool
    skipped: bool = False
    seconds: float = 0.0
    html: str = ""
    pdf: str = ""
    cell_index: int | None = None
    cell: str = ""
    error: str = ""
    kept: str = ""
    timings: dict = field(default_factory=dict)


def render_one(kommun, year: int | None = None, out_dir=None, engine: str = "inprocess", notebook=None,
               pdf: bool = True, checksum: str | None = None) -> Result:
    """Execute the notebook for one kommun and write ``<code>-<slug>.html`` (and ``.pdf``) atomically.

    ``year`` defaults to :func:`default_year`. Raises :class:`~barometer.exceptions.UnknownAreaError`
    (or ``YearOutOfRangeError``) before anything is written. A failing cell becomes a :class:`Result`
    with ``ok=False``, the cell index/source, and the partly executed notebook kept in ``<out_dir>/failed/``.
    """
    area = resolve_kommun(kommun)
    year = check_report_year(year)
    notebook = Path(notebook or notebook_path())
    return render_notebook(area, {"kommun": area.code, "year": int(year)}, output_stem(area, year),
                            f"{area.label} – kommunrapport {year}", year, out_dir, engine, notebook, pdf,
                            checksum)


def render_lan(lan, year: int | None = None, out_dir=None, engine: str = "papermill", pdf: bool = True) -> Result:
    """The lighter län report (``notebooks/lansrapport.ipynb``) → ``lan-<code>-<slug>.html`` and ``.pdf``
    (``lan-<code>-<slug>-<year>.*`` for a year other than :func:`default_year`, the default)."""
    from ..geography import lan as resolve_lan

    area = resolve_lan(lan)
    year = check_report_year(year, "länsrapport")
    notebook = notebook_path("lansrapport")
    return render_notebook(area, {"lan": area.code, "year": int(year)}, f"lan-{area.code}-{slug(area.name)}{year_suffix(year)}",
                            f"{area.name} – länsrapport {year}", year, out_dir, engine, notebook, pdf, None)


def render_notebook(area, params: dict, stem: str, title: str, year: int, out_dir, engine: str, notebook: Path,
                     pdf: bool, checksum: str | None) -> Result:
    """Execute ``notebook`` (papermill, ``engine`` inprocess | papermill) with ``params`` and write
    ``<out_dir>/<stem>.html`` (and ``.pdf``) atomically, HTML last. ``area`` (``.level``, ``.code``,
    ``.name``) names the report in its meta tags; ``checksum`` defaults to :func:`input_checksum`.
    A failing cell → ``Result(ok=False)`` with the cell and ``<out_dir>/failed/<stem>.txt``."""
    if engine not in ENGINES:
        raise InvalidArgumentError("engine", engine, list(ENGINES))
    check_report_year(year, {"lan": "länsrapport", "riket": "riksrapport"}.get(area.level, "kommunrapport"))  # before any kernel
    out_dir = Path(out_dir or config.reports_dir())
    checksum = checksum or input_checksum(year, notebook)
    t0 = time.perf_counter()
    timings = {}
    try:
        nb = execute(notebook, params, engine)
    except PapermillExecutionError as err:
        kept = Path(out_dir) / "failed" / f"{stem}.txt"
        render.atomic_write(kept, f"{area.level} {area.code} year {year}\ncell {err.cell_index}\n{err.source}\n\n"
                                  f"{err.ename}: {err.evalue}\n{err}")
        return Result(area.code, area.name, False, seconds=time.perf_counter() - t0, cell_index=err.cell_index,
                      cell=err.source, error=f"{err.ename}: {err.evalue}", kept=str(kept))
    timings["execute"] = time.perf_counter() - t0
    nb.metadata["barometer"] = {**params, "checksum": checksum}
    page = render.notebook_to_html(nb, title, meta={area.level: area.code, "year": year, "checksum": checksum,
                                                     "engine": engine})
    t1 = time.perf_counter()
    pdf_path = out_dir / f"{stem}.pdf"
    if pdf:
        render.html_to_pdf(page, pdf_path)
    timings["pdf"] = time.perf_counter() - t1
    html_path = render.atomic_write(out_dir / f"{stem}.html", page)   # last: marks the pair complete
    failed = Path(out_dir) / "failed" / f"{stem}.txt"
    if failed.exists():
        failed.unlink()
    return Result(area.code, area.name, True, seconds=time.perf_counter() - t0, html=str(html_path),
                  pdf=str(pdf_path) if pdf else "", timings=timings)


def _worker(args) -> Result:
    code, year, out_dir, engine, notebook, pdf, checksum = args
    try:
        return render_one(code, year, out_dir, engine, notebook, pdf, checksum)
    except Exception as err:  # never let one kommun stop the batch
        return Result(code, code, False, error=f"{type(err).__name__}: {err}")


def run_batch(kommuner=None, year: int | None = None, workers: int = 2, out_dir=None, resume: bool = True,
              engine: str = "inprocess", notebook=None, pdf: bool = True, progress: bool = True) -> list[Result]:
    """Reports for ``kommuner`` (default all 290) in a process pool; returns one :class:`Result` each.

    With ``resume`` a kommun is skipped when its HTML and PDF exist and the HTML records the same
    input checksum (store checksum + notebook hash + year). Writes ``<out_dir>/index.html``.
    """
    from tqdm.auto import tqdm

    year = check_report_year(year)  # fail fast, before the pool starts; None → the store's latest year
    out_dir = Path(out_dir or config.reports_dir())
    notebook = Path(notebook or notebook_path())
    if kommuner is None:
        a = store.areas_table()
        kommuner = sorted(a.loc[a["level"] == "kommun", "code"].unique())
    areas = [resolve_kommun(k) for k in kommuner]          # fail fast on an unknown kommun
    checksum = input_checksum(year, notebook)
    results, todo = [], []
    for area in areas:
        if resume and is_current(area, year, out_dir, checksum):
            results.append(Result(area.code, area.name, True, skipped=True))
        else:
            todo.append((area.code, int(year), str(out_dir), engine, str(notebook), pdf, checksum))
    # disable=None: tqdm shows the bar in a terminal and a notebook, and stays quiet when the output is a
    # log file (no line per update)
    bar = tqdm(total=len(todo), desc="Kommunrapporter", unit="kommun", disable=None if progress else True)
    if todo:
        # The first report runs here: it imports matplotlib, WeasyPrint and geopandas and reads the
        # national tables every report shares (lru-cached per process). gc.freeze() then takes that
        # long-lived heap out of the garbage collector's passes (a full pass over it cost ~0.15 CPU s
        # per report), and workers forked after it inherit it instead of loading it again.
        results.append(_worker(todo[0]))
        bar.update()
        gc.freeze()
    try:
        rest = todo[1:]
        if workers <= 1 or len(rest) <= 1:
            for job in rest:
                results.append(_worker(job))
                bar.update()
        else:
            with ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context()) as pool:
                futures = [pool.submit(_worker, job) for job in rest]
                for fut in as_completed(futures):
                    results.append(fut.result())
                    bar.update()
    finally:
        gc.unfreeze()
    bar.close()
    order = {a.code: i for i, a in enumerate(areas)}
    results.sort(key=lambda r: order.get(r.code, 0))
    write_index(out_dir)
    return results


def _fork_context():
    """``fork`` where it is safe and available (Linux), so workers inherit the warm parent; else the default."""
    import multiprocessing
    import sys

    return multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None


def summary(results: list[Result]) -> str:
    ok = sum(r.ok and not r.skipped for r in results)
    skipped = sum(r.skipped for r in results)
    failed = [r for r in results if not r.ok]
    lines = [f"{ok} rapporter skrivna, {skipped} oförändrade (hoppades över), {len(failed)} misslyckades."]
    for r in failed:
        first = (r.cell or "").strip().splitlines()[:1]
        where = f"cell {r.cell_index} ({first[0] if first else ''})" if r.cell_index is not None else "före körningen"
        lines.append(f"  {r.code} {r.name}: {where}: {r.error}" + (f" [sparad: {r.kept}]" if r.kept else ""))
    return "\n".join(lines)


def as_error(result: Result) -> ReportError:
    return ReportError(result.code, f"{result.cell_index}: {(result.cell or '').strip()}", result.kept)


_REPORT_FILE = re.compile(r"^(?:(?P<riket>riket)-(?P<ryear>\d{4})|lan-(?P<lan>\d{2})-[a-z0-9-]*?(?:-(?P<lyear>\d{4}))?"
                          r"|(?P<kommun>\d{4})-[a-z0-9-]*?(?:-(?P<kyear>\d{4}))?)\.html$")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def write_index(out_dir) -> Path:
    """``<out_dir>/index.html``: every report present in the folder (riket, län, kommun, any year),
    kommun reports grouped by län, with a count per kind."""
    out_dir = Path(out_dir)
    a = store.areas_table()
    k = a[a["level"] == "kommun"].drop_duplicates("code").sort_values(["lan_code", "code"])
    lan_names = dict(zip(a.loc[a["level"] == "lan", "code"], a.loc[a["level"] == "lan", "name"]))
    kommun_info = {code: (lan, long_name or kommun_label(name)) for code, lan, name, long_name in zip(
        k["code"], k["lan_code"], k["name"], k["official_name"] if "official_name" in k.columns else [""] * len(k))}

    latest = default_year()  # a file name without a year is the latest year's report

    def item(p: Path, name: str, yr) -> dict:
        y = int(yr) if yr else latest
        return {"href": p.name, "name": name, "year": y,
                "pdf": f"{p.stem}.pdf" if p.with_suffix(".pdf").is_file() else ""}

    riket, lans, by_lan = [], [], {}
    for p in sorted(out_dir.glob("*.html")):
        m = _REPORT_FILE.match(p.name)
        if not m:
            continue
        if m["riket"]:
            riket.append(item(p, "Riket", m["ryear"]))
        elif m["lan"]:
            lans.append(item(p, lan_names.get(m["lan"], m["lan"]), m["lyear"]))
        elif m["kommun"] in kommun_info:
            lan_code, name = kommun_info[m["kommun"]]
            by_lan.setdefault(lan_code, []).append({**item(p, name, m["kyear"]), "code": m["kommun"]})
    for items in (riket, lans):
        items.sort(key=lambda r: (r["name"], -r["year"]))
    groups = [{"name": lan_names.get(lan, lan), "items": sorted(items, key=lambda r: (r["code"], -r["year"]))}
              for lan, items in sorted(by_lan.items())]
    n_kommun = sum(len(g["items"]) for g in groups)
    counts = [c for c in (_count(n_kommun, "kommunrapport", "kommunrapporter") if n_kommun else "",
                          _count(len(lans), "länsrapport", "länsrapporter") if lans else "",
                          _count(len(riket), "riksrapport", "riksrapporter") if riket else "") if c]
    from ..text import join_sv

    body = render_template("index.html.j2", n=n_kommun, counts=join_sv(counts) if counts else "Inga rapporter ännu",
                           groups=groups, lan_reports=lans, riket_reports=riket, default_year=latest)
    page = render.page(body, "Rapporter", extra_css="ul{columns:2}")
    return render.atomic_write(out_dir / "index.html", page)


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
