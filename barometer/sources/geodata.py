"""SCB geodata WFS: RegSO 2020 and DeSO 2018 boundaries, checked, written as GeoParquet (EPSG:4326).

Endpoint ``https://geodata.scb.se/geoserver/stat/wfs`` (override with ``BAROMETER_WFS_URL``),
``service=WFS&version=2.0.0&request=GetFeature&typeNames=…&outputFormat=application/json``,
paged with ``count``/``startIndex`` (sorted on the area code so pages are stable), optionally
``cql_filter=kommunkod='1780'``.

Layers are the vintages of the store's codes: ``stat:RegSO_2020`` (3,363 areas) and
``stat:DeSO_2018`` (5,984 areas). Code from 2020–21 used the older names ``stat:RegSO.2018`` and
``stat:DeSO.2018``; the 2025 vintages are ``stat:RegSO_2025``/``stat:DeSO_2025`` (other codes:
never mix them with the store).

Checks before anything is written: GeoJSON (GeoServer answers an unknown layer with an XML
exception report and status 200: that is an error here), every feature has the code attribute
(``regsokod``/``desokod``) and ``kommunkod``, codes have the right shape, are unique and lie in
their kommun, and the count is the layer's full count (or, with a kommun filter, at least one
area, all in that kommun). Geometries arrive in SWEREF 99 TM (EPSG:3006), are simplified a
little there (5 m, topology kept) and written in EPSG:4326 to
``data/raw/geo/<name>.parquet`` with ``<name>.meta.json``. A kommun fetch replaces that kommun's
areas in an existing file.

Verified only against a hand-written FeatureCollection (``tests/responses/wfs/``); no network here.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..exceptions import SourceFormatError, UnknownAreaError
from ._http import HttpClient, parse_json
from ._output import CODE_PATTERNS, KOMMUN_CODE, now_iso, read_meta, sha256_file, write_atomic

DEFAULT_URL = "https://geodata.scb.se/geoserver/stat/wfs"
ENV_URL = "BAROMETER_WFS_URL"
PAGE_SIZE = 1000
SIMPLIFY_M = 5.0
LICENCE = "CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/)"


@dataclass(frozen=True)
class Layer:
    level: str
    type_name: str
    name: str
    code_attr: str
    expected: int
    vintage: str


LAYERS = {
    "regso": Layer("regso", "stat:RegSO_2020", "regso_2020", "regsokod", 3363, "RegSO 2020"),
    "deso": Layer("deso", "stat:DeSO_2018", "deso_2018", "desokod", 5984, "DeSO 2018"),
}


def base_url() -> str:
    return os.environ.get(ENV_URL, DEFAULT_URL).rstrip("/")


class WfsClient:
    """GetFeature as GeoJSON, page by page."""

    def __init__(self, url: str | None = None, *, http: HttpClient | None = None, page_size: int = PAGE_SIZE):
        self.base_url = (url or base_url()).rstrip("/")
        self.http = http or HttpClient(max_calls=10, window=10.0)
        self.page_size = int(page_size)

    def params(self, layer: Layer, start: int, kommun: str | None) -> dict[str, str]:
        params = {"service": "WFS", "version": "2.0.0", "request": "GetFeature",
                  "typeNames": layer.type_name, "outputFormat": "application/json",
                  "sortBy": layer.code_attr, "count": str(self.page_size), "startIndex": str(start)}
        if kommun:
            params["cql_filter"] = f"kommunkod='{kommun}'"
        return params

    def features(self, layer: Layer, kommun: str | None = None) -> tuple[list[dict], list[str], str | None]:
        """All features of a layer (optionally one kommun). Returns (features, addresses, crs name)."""
        features, urls, crs = [], [], None
        max_pages = layer.expected // max(self.page_size, 1) + 3
        for _ in range(max_pages):
            answer = self.http.get(self.base_url, self.params(layer, len(features), kommun))
            urls.append(answer.url)
            body = answer.content.lstrip()
            if body.startswith(b"<"):
                raise SourceFormatError(
                    answer.url, f"WFS svarade med ett felmeddelande i stället för GeoJSON: {_exception_text(body)}")
            doc = parse_json(answer.content, answer.url)
            if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
                raise SourceFormatError(answer.url, "väntade en GeoJSON FeatureCollection")
            crs = crs or ((doc.get("crs") or {}).get("properties") or {}).get("name")
            batch = doc["features"]
            features.extend(batch)
            total = doc.get("numberMatched", doc.get("totalFeatures"))
            total = total if isinstance(total, int) else None
            if len(batch) < self.page_size or (total is not None and len(features) >= total):
                if total is not None and len(features) != total:
                    raise SourceFormatError(answer.url, f"fick {len(features)} objekt men servern anger {total}")
                return features, urls, crs
        raise SourceFormatError(urls[-1], f"fler sidor än väntat ({max_pages}); avbröt")


def _exception_text(body: bytes) -> str:
    """The ExceptionText of an OGC exception report (or the start of the body)."""
    found = re.findall(rb"<(?:ows:)?ExceptionText>(.*?)</", body, re.S)
    text = b" ".join(found) if found else body[:200]
    return " ".join(text.decode("utf-8", "replace").split())


def _epsg(crs_name: str | None, features: list[dict]) -> int:
    if crs_name:
        m = re.search(r"EPSG:{1,2}(\d+)", crs_name)
        if m:
            return int(m.group(1))
    # GeoJSON without a crs member: SCB serves SWEREF 99 TM; plain lon/lat would be small numbers.
    for f in features:
        coords = json.dumps((f.get("geometry") or {}).get("coordinates"))[:200]
        nums = [abs(float(x)) for x in re.findall(r"-?\d+(?:\.\d+)?", coords)[:4]]
        if nums:
            return 3006 if max(nums) > 1000 else 4326
    return 3006


def to_frame(features: list[dict], layer: Layer, *, kommun: str | None, crs_name: str | None, where: str):
    """Validate features and return a GeoDataFrame in EPSG:4326 (simplified a little)."""
    import geopandas as gpd  # heavy; only when geometries are fetched

    if not features:
        raise SourceFormatError(where, f"inga objekt i {layer.type_name}" + (f" för kommun {kommun}" if kommun else ""))
    for f in features:
        props = f.get("properties") if isinstance(f, dict) else None
        if not isinstance(props, dict) or layer.code_attr not in props or "kommunkod" not in props:
            raise SourceFormatError(where, f"objekt saknar attributen {layer.code_attr}/kommunkod: {str(props)[:120]}")
        if not f.get("geometry"):
            raise SourceFormatError(where, f"{props.get(layer.code_attr)} saknar geometri")
    gdf = gpd.GeoDataFrame.from_features(features, crs=f"EPSG:{_epsg(crs_name, features)}")
    codes = gdf[layer.code_attr].astype(str)
    kommuner = gdf["kommunkod"].astype(str)
    wrong = sorted(c for c in codes.unique() if not CODE_PATTERNS[layer.level].match(c))
    if wrong:
        raise SourceFormatError(where, f"ogiltiga {layer.code_attr}: {', '.join(wrong[:5])}")
    if codes.duplicated().any():
        raise SourceFormatError(where, f"dubbletter av {layer.code_attr}: {', '.join(codes[codes.duplicated()].unique()[:5])}")
    outside = codes.str[:4] != kommuner
    if outside.any():
        raise SourceFormatError(where, f"{int(outside.sum())} områden ligger inte i sin kommunkod")
    if kommun:
        if set(kommuner) != {kommun}:
            raise SourceFormatError(where, f"filtret på kommun {kommun} gav även {sorted(set(kommuner) - {kommun})[:5]}")
    elif len(gdf) != layer.expected:
        raise SourceFormatError(where, f"{layer.type_name} ska ha {layer.expected} områden, fick {len(gdf)}")
    gdf[layer.code_attr] = codes
    gdf["kommunkod"] = kommuner
    gdf.insert(0, "code", codes)
    gdf.insert(1, "level", layer.level)
    gdf.insert(2, "kommun_code", kommuner)
    gdf.insert(3, "vintage", layer.vintage)
    metric = gdf.to_crs(3006)
    metric["geometry"] = metric.geometry.simplify(SIMPLIFY_M, preserve_topology=True).make_valid()
    return metric.to_crs(4326)


def fetch_layer(level: str, *, kommun: str | None = None, dest: Path, client: WfsClient | None = None) -> Path:
    """Fetch, check and write one boundary layer; returns the GeoParquet path."""
    if level not in LAYERS:
        raise SourceFormatError("geodata", f"okänd nivå {level!r}; giltiga: {', '.join(LAYERS)}")
    if kommun is not None and not KOMMUN_CODE.match(str(kommun)):
        raise UnknownAreaError(str(kommun), "kommun", [])
    layer = LAYERS[level]
    client = client or WfsClient()
    features, urls, crs_name = client.features(layer, kommun)
    gdf = to_frame(features, layer, kommun=kommun, crs_name=crs_name, where=urls[0])

    folder = Path(dest) / "geo"
    target = folder / f"{layer.name}.parquet"
    meta_target = folder / f"{layer.name}.meta.json"
    coverage: str | list[str] = sorted({kommun}) if kommun else "hela landet"
    old = read_meta(meta_target) if target.is_file() else None
    if kommun and old is not None and old.get("sha256") == sha256_file(target):
        import geopandas as gpd

        previous = gpd.read_parquet(target)
        if "kommun_code" in previous.columns:
            gdf = pd.concat([previous[previous["kommun_code"] != kommun], gdf], ignore_index=True)
            gdf = gpd.GeoDataFrame(gdf, geometry="geometry", crs=4326).sort_values("code").reset_index(drop=True)
            prev = old.get("coverage")
            coverage = "hela landet" if prev == "hela landet" else sorted(set(prev or []) | {kommun})
    meta = {
        "source_id": f"geo:{layer.name}",
        "kind": "live",
        "api": "scb-wfs",
        "publisher": "SCB",
        "title": f"{layer.vintage}, gränser (WFS {layer.type_name})",
        "table_id": layer.type_name,
        "layer": layer.type_name,
        "url": urls[0],
        "urls": urls,
        "query": {"typeNames": layer.type_name, "kommun": kommun},
        "retrieved": now_iso(),
        "licence": LICENCE,
        "crs": "EPSG:4326",
        "source_crs": crs_name or "",
        "simplified_m": SIMPLIFY_M,
        "features": int(len(gdf)),
        "coverage": coverage,
        "caveats": f"{layer.vintage}; förenklade {SIMPLIFY_M:g} m (SWEREF 99 TM) före omprojicering.",
    }
    return write_atomic(target, meta_target, lambda p: gdf.to_parquet(p, index=False), meta)
