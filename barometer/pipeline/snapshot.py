"""Raw layer: the snapshot manifest, sha256 verification and opening raw files."""

from __future__ import annotations

import gzip
import hashlib
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .. import config
from ..exceptions import ChecksumMismatchError, MissingSourceError, SourceFormatError


@dataclass(frozen=True)
class RawFile:
    """One file of the raw snapshot as the manifest records it."""

    path: str
    sha256: str
    origin: str
    snapshot_date: str

    @property
    def full_path(self) -> Path:
        return config.snapshot_dir() / self.path


@dataclass(frozen=True)
class Source:
    """One published source (a row of ``sources.parquet``)."""

    source_id: str
    publisher: str
    title: str
    table_id: str
    url: str
    files: tuple[str, ...]
    reference_years: str
    licence: str
    caveats: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    files: dict[str, RawFile]
    sources: dict[str, Source]

    def file(self, path: str) -> RawFile:
        try:
            return self.files[path]
        except KeyError:
            raise SourceFormatError(str(config.manifest_path()), f"filen {path} saknas i manifestet") from None


def load_manifest(path: Path | None = None) -> Manifest:
    path = Path(path or config.manifest_path())
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MissingSourceError(str(path), "Manifestet för ögonblicksbilden saknas.") from None
    except yaml.YAMLError as err:
        raise SourceFormatError(str(path), f"ogiltig YAML: {err}") from err
    if not isinstance(doc, dict) or "files" not in doc or "sources" not in doc:
        raise SourceFormatError(str(path), "väntade nycklarna 'files' och 'sources'")
    files = {}
    for entry in doc["files"]:
        files[entry["path"]] = RawFile(
            path=entry["path"],
            sha256=str(entry["sha256"]).lower(),
            origin=str(entry.get("origin", "")),
            snapshot_date=str(entry.get("snapshot_date", "")),
        )
    sources = {}
    for entry in doc["sources"]:
        sources[entry["source_id"]] = Source(
            source_id=entry["source_id"],
            publisher=entry.get("publisher", ""),
            title=entry.get("title", ""),
            table_id=str(entry.get("table_id", "")),
            url=entry.get("url", ""),
            files=tuple(entry.get("files") or ()),
            reference_years=str(entry.get("reference_years", "")),
            licence=entry.get("licence", ""),
            caveats=entry.get("caveats") or "",
        )
    return Manifest(files=files, sources=sources)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@lru_cache(maxsize=256)
def _cached_sha(path: str, size: int, mtime_ns: int) -> str:
    return sha256_file(Path(path))


def verify(raw: RawFile) -> Path:
    """Return the file's path after checking it exists and matches the manifest's sha256."""
    path = raw.full_path
    if not path.is_file():
        raise MissingSourceError(
            str(path),
            f"Ögonblicksbilden väntas i {config.snapshot_dir()} (ändra med BAROMETER_SNAPSHOT).",
        )
    stat = path.stat()
    found = _cached_sha(str(path), stat.st_size, stat.st_mtime_ns)
    if found != raw.sha256:
        raise ChecksumMismatchError(str(path), raw.sha256, found)
    return path


def read_bytes(raw: RawFile) -> bytes:
    """Verified content of a raw file, gunzipped when it ends in ``.gz``."""
    path = verify(raw)
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except OSError as err:
            raise SourceFormatError(str(path), f"kan inte packa upp gzip: {err}") from err
    return data


def open_text(raw: RawFile, encoding: str = "utf-8-sig") -> io.StringIO:
    try:
        return io.StringIO(read_bytes(raw).decode(encoding))
    except UnicodeDecodeError as err:
        raise SourceFormatError(str(raw.full_path), f"inte {encoding}: {err}") from err
