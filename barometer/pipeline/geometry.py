"""Tidy step for area geometry: DeSO 2018 → RegSO 2020 (dissolved by the key file) and kommun/län borders.

Inputs, in order of precedence per kommun:

1. a national layer fetched with ``barometer fetch --geometries`` (``data/raw/geo/deso_2018.parquet``
   and/or ``regso_2020.parquet``, see :mod:`barometer.sources.geodata`), used for every kommun it
   covers completely;
2. the staged snapshot ``bjornsh_deso_uppsala/Deso_inomUppsalaLan.zip``: SCB's DeSO 2018 polygons
   of all 238 DeSO of Uppsala län (plus 24 DeSO of neighbouring kommuner, which are dropped because
   their kommuner are incomplete).

After loading, both paths go through :func:`prepare`: RegSO polygons are DeSO polygons dissolved on
the key file's ``RegSOkod_2020`` (``koppling-deso2018-regso2020.csv``), never a spatial join; the
build checks that every DeSO of a covered kommun is present, that the dissolve gives exactly the
key file's RegSO of those kommuner, and that every geometry is valid and non-empty. Polygons are
simplified for display as a coverage (shared borders stay shared, ``simplify_coverage`` in
SWEREF 99 TM), DeSO first and RegSO dissolved from the simplified DeSO, so the two layers line up.

Kommun and län borders come from SCB's generalised borders (``staffanbetner_kommun_lan_geo``).

Published tables (``data/store/geometry/``, GeoParquet in EPSG:4326, one row per area):

``deso``, ``regso``, ``kommun``, ``lan``
    ``level, code, name, kommun_code, lan_code, regso_code, vintage, source_id, geometry``
``geojson`` (plain Parquet)
    ``level, kommun_code, n_areas, source_id, minx, miny, maxx, maxy, geojson``: one FeatureCollection text
    per kommun and level (``regso``, ``deso``) with properties ``code, name`` (and ``regso_code``),
    so a view never simplifies or converts geometry itself; level ``outline`` is the kommun's
    RegSO dissolved into one feature (``code`` = kommun code), the outline that matches the
    small areas exactly (the generalised SCB kommun border does not).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .. import config
from ..exceptions import IntegrityError, SourceFormatError
from .regso import KOPPLING, read_koppling
from .snapshot import Manifest, sha256_file, verify
from .tidy import TidyResult

SNAPSHOT_DESO = "bjornsh_deso_uppsala/Deso_inomUppsalaLan.zip"
KOMMUN_GPKG = "staffanbetner_kommun_lan_geo/sveriges_kommuner_sf_simple.gpkg"
LAN_GPKG = "staffanbetner_kommun_lan_geo/sveriges_lan_sf_simple.gpkg"
FILES = (KOPPLING, SNAPSHOT_DESO, KOMMUN_GPKG, LAN_GPKG)

SNAPSHOT_SOURCE = "scb_deso_granser_uppsala"
BORDER_SOURCE = "scb_kommun_lan_granser"
#: Län the snapshot extract covers completely (MANIFEST: all 238 DeSO of Uppsala län).
SNAPSHOT_LAN = ("03",)
#: Display simplification tolerance in metres (SWEREF 99 TM), applied to the DeSO coverage.
SIMPLIFY_M = 20.0
#: Coordinate grid of the published layers in degrees (≈ 1 m).
GRID_DEG = 1e-5
CRS_METRIC = 3006
CRS_PUBLISHED = 4326
LAYER_COLUMNS = ["level", "code", "name", "kommun_code", "lan_code", "regso_code", "vintage", "source_id", "geometry"]
TABLES = ("geometry/deso", "geometry/regso", "geometry/kommun", "geometry/lan", "geometry/geojson")
VINTAGE = {"deso": "DeSO 2018", "regso": "RegSO 2020"}


# ------------------------------------------------------------------------------------------
# fetched national layers (optional; they take precedence where they cover a kommun)
# ------------------------------------------------------------------------------------------

def _fetched_paths() -> dict[str, tuple[Path, Path]]:
    from ..sources.geodata import LAYERS

    folder = config.fetched_dir() / "geo"
    return {level: (folder / f"{layer.name}.parquet", folder / f"{layer.name}.meta.json")
            for level, layer in LAYERS.items()}


def _read_meta(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def fetched_inputs() -> list[str]:
    """Identity of the fetched layers (name + recorded sha256), part of the step's checksum."""
    out = []
    for level, (pq, meta_path) in _fetched_paths().items():
        meta = _read_meta(meta_path) if pq.is_file() else None
        out.append(f"{level}:{(meta or {}).get('sha256', '')}")
    return out


def fetched_source_rows() -> list[dict]:
    """Rows for ``sources.parquet`` describing the fetched layers that are present and intact."""
    rows = []
    for level, (pq, meta_path) in _fetched_paths().items():
        meta = _read_meta(meta_path) if pq.is_file() else None
        if not meta or sha256_file(pq) != meta.get("sha256"):
            continue
        rows.append({"source_id": meta.get("source_id", f"geo:{pq.stem}"), "publisher": meta.get("publisher", "SCB"),
                     "title": meta.get("title", ""), "table_id": str(meta.get("table_id", "")),
                     "url": meta.get("url", ""), "file": str(pq.relative_to(config.data_dir())),
                     "origin": meta.get("url", ""), "reference_years": VINTAGE[level],
                     "retrieved": meta.get("retrieved", ""), "licence": meta.get("licence", ""),
                     "sha256": meta.get("sha256", ""), "caveats": meta.get("caveats", ""), "kind": "live"})
    return rows


def _load_fetched(checks: list[dict]) -> dict[str, "object"]:
    """Fetched layers that passed their checksum, in SWEREF 99 TM with ``code``, ``source_id``."""
    import geopandas as gpd

    out = {}
    for level, (pq, meta_path) in _fetched_paths().items():
        if not pq.is_file():
            continue
        meta = _read_meta(meta_path)
        if not meta or sha256_file(pq) != meta.get("sha256"):
            checks.append({"check": f"geometri_hamtad_{level}", "ok": False,
                           "detail": f"{pq.name} stämmer inte med sin kontrollsumma; används inte"})
            continue
        g = gpd.read_parquet(pq)
        if "code" not in g.columns:
            raise SourceFormatError(str(pq), "kolumnen code saknas")
        g = g[["code", "geometry"]].copy()
        g["code"] = g["code"].astype(str)
        g["source_id"] = meta.get("source_id", f"geo:{pq.stem}")
        out[level] = g.to_crs(CRS_METRIC)
    return out


# ------------------------------------------------------------------------------------------
# the staged snapshot (Uppsala län)
# ------------------------------------------------------------------------------------------

def read_snapshot_deso(manifest: Manifest):
    """The staged DeSO polygons (GeoDataFrame ``code, geometry``, EPSG:3006), codes checked."""
    import geopandas as gpd

    raw = manifest.file(SNAPSHOT_DESO)
    path = verify(raw)
    g = gpd.read_file(f"zip://{path}")
    if "Deso" not in g.columns:
        raise SourceFormatError(raw.path, f"kolumnen Deso saknas; fanns: {', '.join(map(str, g.columns))}")
    g = gpd.GeoDataFrame({"code": g["Deso"].astype(str).str.strip()}, geometry=g.geometry, crs=g.crs)
    if g.crs is None:
        raise SourceFormatError(raw.path, "koordinatsystem saknas (.prj)")
    bad = g.loc[~g["code"].str.fullmatch(r"\d{4}[ABC]\d{4}"), "code"]
    if len(bad):
        raise SourceFormatError(raw.path, f"ogiltiga DeSO-koder: {list(bad[:5])}")
    if g["code"].duplicated().any():
        raise SourceFormatError(raw.path, f"dubbletter: {list(g.loc[g['code'].duplicated(), 'code'][:5])}")
    g["source_id"] = SNAPSHOT_SOURCE
    return g.to_crs(CRS_METRIC)


# ------------------------------------------------------------------------------------------
# the shared path after loading
# ------------------------------------------------------------------------------------------

def complete_kommuner(codes, key: pd.DataFrame, level: str) -> set[str]:
    """Kommuner whose every DeSO (``level="deso"``) or RegSO of the key file is in ``codes``."""
    col = "DeSO_2018" if level == "deso" else "RegSOkod_2020"
    have = set(codes)
    per = key.drop_duplicates(col).groupby("Kommun")[col].apply(lambda s: set(s) <= have)
    return set(per[per].index)


def _valid(geoms):
    import shapely

    geoms = geoms.copy()
    bad = ~geoms.is_valid
    if bad.any():
        geoms[bad] = shapely.make_valid(geoms[bad].values)
    return geoms


def _simplify_coverage(g, tolerance: float):
    """Simplify a polygon coverage keeping shared borders; fall back per polygon where invalid."""
    out = g.copy()
    try:
        out["geometry"] = g.geometry.simplify_coverage(tolerance)
    except Exception:  # not a clean coverage (e.g. a fetched layer simplified per polygon)
        out["geometry"] = g.geometry.simplify(tolerance, preserve_topology=True)
    broken = ~out.geometry.is_valid | out.geometry.is_empty
    if broken.any():
        out.loc[broken, "geometry"] = g.geometry[broken].simplify(tolerance, preserve_topology=True)
    out["geometry"] = _valid(out.geometry)
    return out


def _check_geometries(g, label: str, checks: list[dict]) -> None:
    """Raise unless every geometry is a valid, non-empty polygon; else record an OK check."""
    slug = label.lower().replace(" ", "_").replace("ä", "a").replace("å", "a").replace("ö", "o")
    empty = g.geometry.is_empty | g.geometry.isna()
    invalid = ~g.geometry.is_valid
    poly = g.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    if empty.any() or invalid.any() or not poly.all():
        raise IntegrityError(f"geometri_{slug}",
                             f"{int(empty.sum())} tomma, {int(invalid.sum())} ogiltiga, {int((~poly).sum())} inte ytor; "
                             f"t.ex. {list(g.loc[empty | invalid | ~poly, 'code'][:5])}")
    checks.append({"check": f"geometri_{slug}_giltig", "ok": True,
                   "detail": f"{len(g)} {label}: alla giltiga och icke-tomma ytor"})


def _names(key: pd.DataFrame) -> tuple[dict, dict]:
    regso_name = key.drop_duplicates("RegSOkod_2020").set_index("RegSOkod_2020")["RegSO_2020"]
    regso_name = regso_name.str.replace(r"^RegSO-", "", regex=True)
    deso = key.set_index("DeSO_2018")
    deso_name = "DeSO " + deso.index.to_series() + " (" + deso["RegSOkod_2020"].map(regso_name) + ")"
    return regso_name.to_dict(), deso_name.to_dict()


def prepare(deso, regso, key: pd.DataFrame, checks: list[dict], label: str):
    """Checked, display-simplified DeSO and RegSO layers of the kommuner the inputs cover.

    Parameters
    ----------
    deso, regso : geopandas.GeoDataFrame or None
        ``code, source_id, geometry`` in EPSG:3006, already limited to complete kommuner. RegSO is
        used only for kommuner without DeSO; elsewhere it is the dissolve of the DeSO.
    key : pandas.DataFrame
        The key file (:func:`barometer.pipeline.regso.read_koppling`).
    checks : list of dict
        Build checks are appended here.
    label : str
        Names the input in checks ("ögonblicksbild", "hämtad").

    Returns
    -------
    tuple of GeoDataFrame
        (deso, regso) in EPSG:3006 with the columns of :data:`LAYER_COLUMNS`.

    Raises
    ------
    barometer.exceptions.IntegrityError
        A DeSO missing in a covered kommun, a dissolve that does not give exactly the key file's
        RegSO, or an invalid or empty geometry.
    """
    import geopandas as gpd

    k = key.drop_duplicates("DeSO_2018").set_index("DeSO_2018")
    parts_d, parts_r = [], []
    if deso is not None and len(deso):
        deso = deso.copy()
        deso["geometry"] = _valid(deso.geometry)
        kommuner = sorted(set(deso["code"].str[:4]))
        want = set(k.index[k["Kommun"].isin(kommuner)])
        missing = sorted(want - set(deso["code"]))
        if missing:
            raise IntegrityError("deso_kompletta", f"{len(missing)} DeSO saknas i täckta kommuner: {missing[:5]}")
        _check_geometries(deso, "DeSO", checks)
        deso["regso_code"] = deso["code"].map(k["RegSOkod_2020"])
        # dissolve on the key file's codes (the raw polygons): the RegSO set must be exactly the key's
        raw_regso = deso.dissolve("regso_code", as_index=False)[["regso_code", "geometry"]]
        key_regso = set(key.loc[key["Kommun"].isin(kommuner), "RegSOkod_2020"])
        got = set(raw_regso["regso_code"])
        if got != key_regso:
            raise IntegrityError("regso_sammanslagning",
                                 f"sammanslagningen gav {len(got)} RegSO, nyckelfilen har {len(key_regso)} "
                                 f"(skillnad {sorted(got ^ key_regso)[:5]})")
        checks.append({"check": f"regso_sammanslagning_{label}", "ok": True,
                       "detail": f"{len(want)} DeSO i {len(kommuner)} kommuner gav exakt nyckelfilens "
                                 f"{len(key_regso)} RegSO (sammanslagning efter kod)"})
        simple = _simplify_coverage(deso, SIMPLIFY_M)
        _check_geometries(simple, "DeSO förenklade", checks)
        regso_simple = simple.dissolve("regso_code", as_index=False, aggfunc="first")
        regso_simple = regso_simple[["regso_code", "source_id", "geometry"]].rename(columns={"regso_code": "code"})
        regso_simple["geometry"] = _valid(regso_simple.geometry)
        parts_d.append(simple[["code", "source_id", "geometry"]])
        parts_r.append(regso_simple)
    covered = set(deso["code"].str[:4]) if deso is not None and len(deso) else set()
    if regso is not None and len(regso):
        regso = regso[~regso["code"].str[:4].isin(covered)].copy()
        if len(regso):
            regso["geometry"] = _valid(regso.geometry)
            _check_geometries(regso, "RegSO", checks)
            parts_r.append(_simplify_coverage(regso, SIMPLIFY_M)[["code", "source_id", "geometry"]])
    out = []
    for level, parts in (("deso", parts_d), ("regso", parts_r)):
        if parts:
            g = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=CRS_METRIC)
        else:
            g = gpd.GeoDataFrame({"code": pd.Series([], dtype=object), "source_id": pd.Series([], dtype=object)},
                                 geometry=gpd.GeoSeries([], crs=CRS_METRIC))
        out.append(_finish(g, level, key))
    return tuple(out)


def _finish(g, level: str, key: pd.DataFrame):
    """Attach names and hierarchy from the key file; column order of :data:`LAYER_COLUMNS`."""
    regso_name, deso_name = _names(key)
    g = g.copy()
    g["level"] = level
    g["kommun_code"] = g["code"].str[:4]
    g["lan_code"] = g["code"].str[:2]
    if level == "deso":
        g["regso_code"] = g["code"].map(key.drop_duplicates("DeSO_2018").set_index("DeSO_2018")["RegSOkod_2020"])
        g["name"] = g["code"].map(deso_name)
    else:
        g["regso_code"] = g["code"]
        g["name"] = g["code"].map(regso_name)
    g["vintage"] = VINTAGE[level]
    return g[LAYER_COLUMNS].sort_values("code").reset_index(drop=True)


def _published(g):
    """EPSG:4326 on a ≈ 1 m grid (small GeoJSON), still valid."""
    import shapely

    g = g.to_crs(CRS_PUBLISHED)
    g["geometry"] = shapely.set_precision(g.geometry.values, GRID_DEG)
    return g


def borders(manifest: Manifest, key: pd.DataFrame, checks: list[dict]):
    """Kommun and län layers from SCB's generalised borders, codes checked against the key file."""
    import geopandas as gpd

    km = gpd.read_file(verify(manifest.file(KOMMUN_GPKG)))
    ln = gpd.read_file(verify(manifest.file(LAN_GPKG)))
    for df, cols, path in ((km, ["municipality_code", "municipality_name"], KOMMUN_GPKG),
                           (ln, ["county_code", "county_name_long"], LAN_GPKG)):
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise SourceFormatError(path, f"kolumner saknas: {missing}")
    want = set(key["Kommun"])
    got = set(km["municipality_code"].astype(str))
    checks.append({"check": "kommungranser", "ok": got == want,
                   "detail": f"{len(got)} kommunytor; saknas {sorted(want - got)[:5]}, okända {sorted(got - want)[:5]}"})
    want_lan = {c[:2] for c in want}
    got_lan = set(ln["county_code"].astype(str))
    checks.append({"check": "lansgranser", "ok": got_lan == want_lan, "detail": f"{len(got_lan)} länsytor"})
    kommun = gpd.GeoDataFrame({
        "level": "kommun", "code": km["municipality_code"].astype(str), "name": km["municipality_name"].astype(str),
        "kommun_code": km["municipality_code"].astype(str), "lan_code": km["municipality_code"].astype(str).str[:2],
        "regso_code": "", "vintage": "Kommun (generaliserad)", "source_id": BORDER_SOURCE}, geometry=km.geometry)
    lan = gpd.GeoDataFrame({
        "level": "lan", "code": ln["county_code"].astype(str), "name": ln["county_name_long"].astype(str),
        "kommun_code": "", "lan_code": ln["county_code"].astype(str), "regso_code": "",
        "vintage": "Län (generaliserad)", "source_id": BORDER_SOURCE}, geometry=ln.geometry)
    out = []
    for g, label in ((kommun, "kommuner"), (lan, "län")):
        g = g.set_crs(km.crs if g is kommun else ln.crs).to_crs(CRS_METRIC)
        g["geometry"] = _valid(g.geometry)
        _check_geometries(g, label, checks)
        out.append(g[LAYER_COLUMNS].sort_values("code").reset_index(drop=True))
    return tuple(out)


def geojson_table(layers: dict) -> pd.DataFrame:
    """One FeatureCollection text per (level, kommun) for the explorer (EPSG:4326)."""
    rows = []
    for level in ("regso", "deso"):
        g = layers[level]
        for kommun_code, sub in g.groupby("kommun_code", sort=True):
            cols = ["code", "name"] + (["regso_code"] if level == "deso" else [])
            doc = json.loads(sub[cols + ["geometry"]].to_json(drop_id=True))
            for f, code in zip(doc["features"], sub["code"]):
                f["id"] = code
            minx, miny, maxx, maxy = sub.total_bounds
            rows.append({"level": level, "kommun_code": kommun_code, "n_areas": len(sub),
                         "source_id": "; ".join(sorted(set(sub["source_id"].astype(str)))),
                         "minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy,
                         "geojson": json.dumps(doc, ensure_ascii=False, separators=(",", ":"))})
    from shapely import union_all
    from shapely.geometry import Polygon, mapping

    # the kommun outline that fits its small areas: the RegSO coverage dissolved (one vectorised call)
    g = layers["regso"]
    outline = g[["kommun_code", "source_id", "geometry"]].dissolve(by="kommun_code", aggfunc="first", method="coverage")
    n = g.groupby("kommun_code").size()
    for kommun_code, row in outline.iterrows():
        # an outline is the outer border: holes (gaps in the simplified coverage, enclosed lakes) dropped
        # (the union swallows small parts lying inside another part's outer border)
        geom = union_all([Polygon(p.exterior) for p in getattr(row.geometry, "geoms", [row.geometry])])
        doc = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": kommun_code, "properties": {"code": kommun_code}, "geometry": mapping(geom)}]}
        minx, miny, maxx, maxy = geom.bounds
        rows.append({"level": "outline", "kommun_code": kommun_code, "n_areas": int(n[kommun_code]),
                     "source_id": str(row["source_id"]), "minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy,
                     "geojson": json.dumps(doc, ensure_ascii=False, separators=(",", ":"))})
    cols = ["level", "kommun_code", "n_areas", "source_id", "minx", "miny", "maxx", "maxy", "geojson"]
    return pd.DataFrame(rows, columns=cols)


def geometry_step(manifest: Manifest) -> TidyResult:
    """DeSO/RegSO display geometry (fetched national layer first, else the snapshot) and borders."""
    checks: list[dict] = []
    key = read_koppling(manifest)
    fetched = _load_fetched(checks)
    f_deso, f_regso = fetched.get("deso"), fetched.get("regso")
    done: set[str] = set()
    parts = {"deso": [], "regso": []}
    if f_deso is not None or f_regso is not None:
        kd = complete_kommuner(f_deso["code"], key, "deso") if f_deso is not None else set()
        kr = complete_kommuner(f_regso["code"], key, "regso") if f_regso is not None else set()
        d = f_deso[f_deso["code"].str[:4].isin(kd)] if f_deso is not None else None
        r = f_regso[f_regso["code"].str[:4].isin(kr)] if f_regso is not None else None
        dd, rr = prepare(d, r, key, checks, "hamtad")
        parts["deso"].append(dd)
        parts["regso"].append(rr)
        done = kd | kr
        checks.append({"check": "geometri_hamtad", "ok": True,
                       "detail": f"hämtade gränser används för {len(done)} kommuner (DeSO {len(kd)}, RegSO {len(kr)})"})

    snap = read_snapshot_deso(manifest)
    lan_deso = set(key.loc[key["Kommun"].str[:2].isin(SNAPSHOT_LAN), "DeSO_2018"])
    missing = sorted(lan_deso - set(snap["code"]))
    if missing:
        raise IntegrityError("deso_uppsala_lan", f"{len(missing)} DeSO i län {', '.join(SNAPSHOT_LAN)} saknas: {missing[:5]}")
    unknown = sorted(set(snap["code"]) - set(key["DeSO_2018"]))
    if unknown:
        raise IntegrityError("deso_okanda", f"{len(unknown)} DeSO-koder finns inte i nyckelfilen: {unknown[:5]}")
    complete = complete_kommuner(snap["code"], key, "deso")
    keep = snap["code"].str[:4].isin(complete - done)
    checks.append({"check": "deso_uppsala_lan", "ok": True,
                   "detail": f"alla {len(lan_deso)} DeSO i län {', '.join(SNAPSHOT_LAN)} finns; {len(complete)} kompletta "
                             f"kommuner; {int((~snap['code'].str[:4].isin(complete)).sum())} DeSO i ofullständiga "
                             f"grannkommuner används inte"})
    dd, rr = prepare(snap[keep], None, key, checks, "ogonblicksbild")
    parts["deso"].append(dd)
    parts["regso"].append(rr)

    import geopandas as gpd

    layers = {}
    for level in ("deso", "regso"):
        g = gpd.GeoDataFrame(pd.concat(parts[level], ignore_index=True), geometry="geometry", crs=CRS_METRIC)
        layers[level] = _published(g.sort_values("code").reset_index(drop=True))
        _check_geometries(layers[level], f"{level} publicerade", checks)
    kommun, lan = borders(manifest, key, checks)
    layers["kommun"], layers["lan"] = _published(kommun), _published(lan)
    n_kommun = layers["regso"]["kommun_code"].nunique()
    checks.append({"check": "geometri_tackning", "ok": True,
                   "detail": f"RegSO-gränser för {n_kommun} kommuner ({len(layers['regso'])} RegSO, "
                             f"{len(layers['deso'])} DeSO); förenklade {SIMPLIFY_M:g} m"})
    tables = {f"geometry/{level}": g for level, g in layers.items()}
    tables["geometry/geojson"] = geojson_table(layers)
    return TidyResult(checks=checks, tables=tables)


# ------------------------------------------------------------------------------------------
# saving, loading and publishing extra tables (used by pipeline.run)
# ------------------------------------------------------------------------------------------

def _is_geo(path: Path) -> bool:
    import pyarrow.parquet as pq

    return b"geo" in (pq.read_schema(path).metadata or {})


def read_table(path: Path) -> pd.DataFrame:
    """A saved table: GeoParquet → GeoDataFrame, plain Parquet → DataFrame."""
    if _is_geo(path):
        import geopandas as gpd

        return gpd.read_parquet(path)
    return pd.read_parquet(path)


def table_path(folder: Path, name: str) -> Path:
    return folder / f"{name}.parquet"


def write_table(df: pd.DataFrame, path: Path, step: str = "", checksum: str = "") -> dict:
    """Write a step's table into the new store folder; return its ``meta.json`` entry (provenance)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(path, index=False)
    ids = sorted(set(df["source_id"].astype(str))) if "source_id" in df.columns else []
    return {"rows": len(df), "sha256": sha256_file(path), "step": step, "step_checksum": checksum,
            "crs": "EPSG:4326" if hasattr(df, "crs") and df.crs is not None else "", "source_ids": ids}
