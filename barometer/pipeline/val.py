"""Tidy steps for Valmyndigheten's election results per valdistrikt (2018 and 2022)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from ..exceptions import IntegrityError, SourceFormatError
from ..parsing import parse_counts
from .snapshot import Manifest, read_bytes
from .tidy import TidyResult, values_frame

RIKSDAG_2018 = "hemphen_val2018/valresultat-2018.csv.gz"
XLSX_2022 = {
    "riksdag": ("sidebo_val2022/ri_tab4_2022.xlsx", "sidebo_val2022/riksdag_2022.csv.gz"),
    "region": ("sidebo_val2022/re_tab3_2022.xlsx", "sidebo_val2022/region_2022.csv.gz"),
    "kommun": ("sidebo_val2022/ko_tab3_2022.xlsx", "sidebo_val2022/kommun_2022.csv.gz"),
}
# Published riket totals of eligible voters (Valmyndigheten), checked in the build.
OFFICIAL_ELIGIBLE = {("riksdag", 2018): 7_495_936, ("riksdag", 2022): 7_775_390}


def _is_outside_district(code: pd.Series, name: pd.Series) -> pd.Series:
    """Rows that hold votes counted in no district (uppsamlingsdistrikt, 'ej fördelade')."""
    # By code and exact name only: Höör's district names in the 2022 regionval file are corrupted and
    # contain the phrase "ej fördelade", so a substring match would drop real districts.
    exact = name.str.strip().isin(["Uppsamlingsdistrikt", "Förtidsröster ej fördelade efter valdistrikt"])
    return (code.str[4:6] == "98") | exact


def _election_values(df: pd.DataFrame, election: str, year: int, source_id: str, vintage: str) -> TidyResult:
    """df: code (8-digit str), name, eligible, voters (numbers). Returns district + kommun values and areas."""
    indicator = f"valdeltagande_{election}"
    df = df.copy()
    df["kommun_code"] = df["code"].str[:4]
    df["outside"] = _is_outside_district(df["code"], df["name"])
    if (df[["eligible", "voters"]] < 0).any().any():
        raise IntegrityError("negativa_antal", f"negativa röstantal i {source_id}")
    districts = df[~df["outside"]]
    dup = districts["code"].duplicated()
    if dup.any():
        raise SourceFormatError(source_id, f"valdistriktskoder förekommer flera gånger: {districts.loc[dup, 'code'].head(3).tolist()}")
    dist_vals = pd.DataFrame({
        "level": "valdistrikt", "area_code": districts["code"], "year": year, "indicator": indicator,
        "group": "totalt", "numerator": districts["voters"], "denominator": districts["eligible"],
        "source_id": source_id,
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        dist_vals["value"] = np.where(dist_vals["denominator"] > 0, 100 * dist_vals["numerator"] / dist_vals["denominator"], np.nan)
    dist_vals["note"] = np.where(dist_vals["denominator"] > 0,
                                 "förtids- och sena röster utan distrikt ingår inte", "inga röstberättigade i distriktet")
    dist_vals["status"] = np.where(dist_vals["denominator"] > 0, "ok", "not_applicable")

    kommun = df.groupby("kommun_code").agg(voters=("voters", "sum"), eligible=("eligible", "sum"))
    outside = df[df["outside"]].groupby("kommun_code")["voters"].sum().reindex(kommun.index, fill_value=0)
    kom_vals = pd.DataFrame({"level": "kommun", "area_code": kommun.index, "year": year, "indicator": indicator,
                             "group": "totalt", "numerator": kommun["voters"].values,
                             "denominator": kommun["eligible"].values,
                             "value": 100 * kommun["voters"].values / kommun["eligible"].values,
                             "note": "inklusive röster som inte fördelats på valdistrikt", "source_id": source_id})
    out_vals = pd.DataFrame({"level": "kommun", "area_code": kommun.index, "year": year,
                             "indicator": f"rostande_utan_distrikt_{election}", "group": "totalt",
                             "value": outside.values, "numerator": outside.values,
                             "denominator": kommun["voters"].values, "source_id": source_id})
    areas = pd.DataFrame({"level": "valdistrikt", "code": districts["code"], "name": districts["name"],
                          "parent_code": districts["kommun_code"], "lan_code": districts["code"].str[:2],
                          "kommun_code": districts["kommun_code"], "regso_code": "", "vintage": vintage})
    share_outside = outside.sum() / kommun["voters"].sum()
    checks = [{"check": f"{indicator}_{year}_utanfor_distrikt", "ok": True,
               "detail": f"{share_outside:.1%} av de röstande räknas i inget distrikt"}]
    return TidyResult(values=values_frame(pd.concat([dist_vals, kom_vals, out_vals])), areas=areas, checks=checks)


def _check_total(result: TidyResult, election: str, year: int) -> None:
    expected = OFFICIAL_ELIGIBLE.get((election, year))
    kom = result.values[(result.values["level"] == "kommun") & (result.values["indicator"] == f"valdeltagande_{election}")]
    total = int(kom["denominator"].sum())
    if expected is not None:
        if total != expected:
            raise IntegrityError("riket_rostberattigade", f"{election} {year}: {total:,} röstberättigade, publicerat {expected:,}")
        result.checks.append({"check": f"riket_rostberattigade_{election}_{year}", "ok": True,
                              "detail": f"{total:,} = publicerat {expected:,}".replace(",", " ")})
    n_kommun = kom["area_code"].nunique()
    # Gotland (0980) holds no regionval: the kommun has the region's tasks.
    expected_n = 289 if election == "region" else 290
    if n_kommun != expected_n:
        raise IntegrityError("val_kommuner", f"{election} {year}: {n_kommun} kommuner, väntade {expected_n}")


def riksdag_2018_step(manifest: Manifest) -> TidyResult:
    """Riksdagsval 2018 per valdistrikt; codes rebuilt with zero padding (LLKKDDDD)."""
    raw = manifest.file(RIKSDAG_2018)
    df = pd.read_csv(io.BytesIO(read_bytes(raw)), dtype=str, keep_default_na=False)
    need = ["LÄNSKOD", "KOMMUNKOD", "VALDISTRIKTSKOD", "VALDISTRIKTSNAMN", "RÖSTANDE", "RÖSTBERÄTTIGADE"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise SourceFormatError(raw.path, f"kolumner saknas: {missing}")
    try:
        code = (df["LÄNSKOD"].astype(int).map("{:02d}".format) + df["KOMMUNKOD"].astype(int).map("{:02d}".format)
                + df["VALDISTRIKTSKOD"].astype(int).map("{:04d}".format))
        # Valmyndigheten leaves count cells blank for 0 in this file (party columns too): blank = 0 here
        eligible = df["RÖSTBERÄTTIGADE"].replace("", "0").astype(int)
        voters = df["RÖSTANDE"].replace("", "0").astype(int)
    except ValueError as err:
        raise SourceFormatError(raw.path, f"icke-numerisk kod eller röstantal: {err}") from err
    tidy = pd.DataFrame({"code": code, "name": df["VALDISTRIKTSNAMN"].str.strip(), "eligible": eligible, "voters": voters})
    result = _election_values(tidy, "riksdag", 2018, "val_riksdag_2018", "Valdistrikt 2018")
    _check_total(result, "riksdag", 2018)
    return result


def _read_2022(manifest: Manifest, election: str) -> TidyResult:
    xlsx_path, csv_path = XLSX_2022[election]
    raw = manifest.file(xlsx_path)
    try:
        df = pd.read_excel(io.BytesIO(read_bytes(raw)), dtype=str, engine="calamine")
    except Exception as err:  # calamine raises its own error types for broken workbooks
        raise SourceFormatError(raw.path, f"kan inte läsa arbetsboken: {err}") from err
    need = ["Valdistriktskod", "Valdistriktsnamn", "Antal röstberättigade", "Antal röstande"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise SourceFormatError(raw.path, f"kolumner saknas: {missing}")
    code = df["Valdistriktskod"].str.strip()
    if not code.str.fullmatch(r"\d{8}").all():
        raise SourceFormatError(raw.path, "valdistriktskoder är inte åtta siffror")
    tidy = pd.DataFrame({"code": code, "name": df["Valdistriktsnamn"].str.strip(),
                         "eligible": parse_counts(df, "Antal röstberättigade", where=raw.path).astype(int),
                         "voters": parse_counts(df, "Antal röstande", where=raw.path).astype(int)})
    result = _election_values(tidy, election, 2022, f"val_{election}_2022", "Valdistrikt 2022")
    # cross-check against the CSV conversion (which lost the leading zeros)
    c = pd.read_csv(io.BytesIO(read_bytes(manifest.file(csv_path))), dtype=str)
    ccode = c["VALDISTRIKTSKOD"].str.strip().str.zfill(8)
    same = (sorted(zip(ccode, parse_counts(c, "ANTAL RÖSTANDE", where=csv_path).astype(int)))
            == sorted(zip(tidy["code"], tidy["voters"])))
    result.checks.append({"check": f"val_{election}_2022_xlsx_mot_csv", "ok": bool(same),
                          "detail": "xlsx och csv-konverteringen har samma distrikt och röstantal" if same
                          else "xlsx och csv skiljer sig"})
    _check_total(result, election, 2022)
    return result


def riksdag_2022_step(manifest: Manifest) -> TidyResult:
    """Riksdagsval 2022 per valdistrikt (RI_tab4, zero-padded codes)."""
    return _read_2022(manifest, "riksdag")


def region_2022_step(manifest: Manifest) -> TidyResult:
    """Regionval 2022 per valdistrikt (RE_tab3)."""
    return _read_2022(manifest, "region")


def kommunval_2022_step(manifest: Manifest) -> TidyResult:
    """Kommunval 2022 per valdistrikt (KO_tab3)."""
    return _read_2022(manifest, "kommun")
