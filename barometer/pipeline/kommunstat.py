"""Tidy steps for kommun-level statistics keyed by kommun name (SQLite extracts).

The extracts carry kommun names only; names are joined to codes through the SCB key file
(exact name first, then a unique diacritics- and case-insensitive match). Names that match no
kommun (e.g. "Uppgift saknas") are dropped and reported in the build's checks.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

from ..exceptions import SourceFormatError
from ..textutil import fold
from ..parsing import parse_cells
from .regso import read_koppling
from .snapshot import Manifest, verify
from .tidy import TidyResult, values_frame

AGE_DB = "lompish_kommun_val_sqlite/eligibleVotersAge.sqlite3"
EDU_DB = "lompish_kommun_val_sqlite/eligibleVotersEducation.sqlite3"
POP_DB = "lompish_kommun_val_sqlite/population.sqlite3"
UNEMP_DB = "lompish_kommun_val_sqlite/unemployed.sqlite3"
KOMMUN_DB = "jonas_kommun_sqlite/Kommun_Statistik.db"
UTB_DB = "jonas_kommun_sqlite/utbildning-ren.sqlite"

SEX = {"män": "man", "men": "man", "kvinnor": "kvinnor", "women": "kvinnor", "totalt": "totalt"}
EDU_LEVEL = {
    "förgymnasial utbildning": "forgymnasial",
    "gymnasial utbildning": "gymnasial",
    "eftergymnasial utbildning": "eftergymnasial",
    "samtliga utbildningsnivåer": "samtliga",
}
SUN = {
    "förgymnasial utbildning kortare än 9 år": "forgymnasial_kort",
    "förgymnasial utbildning, 9 (10) år": "forgymnasial_9",
    "gymnasial utbildning, högst 2 år": "gymnasial_kort",
    "gymnasial utbildning, 3 år": "gymnasial_3",
    "eftergymnasial utbildning, mindre än 3 år": "eftergymnasial_kort",
    "eftergymnasial utbildning, 3 år eller mer": "eftergymnasial_lang",
    "forskarutbildning": "forskarutbildning",
}


def _query(manifest: Manifest, path: str, sql: str) -> pd.DataFrame:
    raw = manifest.file(path)
    file = verify(raw)
    try:
        # open read-only: the snapshot folder is not writable
        con = sqlite3.connect(f"file:{file}?mode=ro&immutable=1", uri=True)
        try:
            return pd.read_sql_query(sql, con)
        finally:
            con.close()
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as err:
        raise SourceFormatError(raw.path, f"SQLite-fel: {err}") from err


# Corrupted names in the population extract, each the only unmatched name left for the only
# kommun left without data; the build checks their totals against the RegSO population.
NAME_FIXES = {POP_DB: {"Skamlösa": "Åre", "äng": "Årjäng"}}


class NameMatcher:
    """Kommun name → code, exact first, then unique folded match, then documented fixes."""

    def __init__(self, manifest: Manifest, fixes: dict[str, str] | None = None):
        self.fixes = dict(fixes or {})
        self.fixed: dict[str, str] = {}
        k = read_koppling(manifest)[["Kommun", "Kommunnamn"]].drop_duplicates()
        self.exact = dict(zip(k["Kommunnamn"], k["Kommun"]))
        folded: dict[str, list[str]] = {}
        for name, code in self.exact.items():
            folded.setdefault(fold(name), []).append(code)
        self.folded = folded
        self.unmatched: set[str] = set()

    def code(self, name: str) -> str | None:
        name = (name or "").strip()
        if name in self.exact:
            return self.exact[name]
        hits = self.folded.get(fold(name), [])
        if len(hits) == 1:
            return hits[0]
        if name in self.fixes and self.fixes[name] in self.exact:
            self.fixed[name] = self.fixes[name]
            return self.exact[self.fixes[name]]
        self.unmatched.add(name)
        return None

    def map(self, names: pd.Series) -> pd.Series:
        uniq = {n: self.code(n) for n in names.dropna().unique()}
        return names.map(uniq)

    def check(self, name: str, expected: int = 290, matched: int | None = None) -> dict:
        shown = sorted(self.unmatched)[:5]
        fixed = f"; rättade namn: {self.fixed}" if self.fixed else ""
        return {"check": f"kommunnamn_{name}", "ok": matched is None or matched == expected,
                "detail": f"{matched} kommuner matchade; utan kommun (utelämnade): {shown}{fixed}"}


def _turnout(manifest: Manifest, path: str, table: str, cat_col: str, cat_map, indicator: str, source_id: str) -> TidyResult:
    df = _query(manifest, path, f'SELECT * FROM "{table}"')
    matcher = NameMatcher(manifest)
    df["area_code"] = matcher.map(df["municipality"])
    df = df[df["area_code"].notna()]
    kon = df["gender"].map(SEX)
    cat = df[cat_col].map(cat_map)
    if kon.isna().any() or cat.isna().any():
        raise SourceFormatError(path, f"okända kategorier: {set(df.loc[kon.isna(), 'gender']) | set(df.loc[cat.isna(), cat_col])}")
    frames = []
    for year in (2018, 2022):
        frames.append(pd.DataFrame({"level": "kommun", "area_code": df["area_code"], "year": year,
                                    "indicator": indicator, "group": kon + "/" + cat,
                                    "value": df[f"votersPercent{year}"], "denominator": df[f"eligibleVoters{year}"],
                                    "note": "procent avrundad till heltal", "source_id": source_id}))
    values = values_frame(pd.concat(frames))
    return TidyResult(values=values, checks=[matcher.check(indicator, matched=values["area_code"].nunique())])


def turnout_age_step(manifest: Manifest) -> TidyResult:
    """Valdeltagande i riksdagsval per kommun, kön och ålder (SCB ME0105), 2018 and 2022."""
    ages = lambda s: s.replace(" år", "").replace("samtliga åldrar", "samtliga")  # noqa: E731
    df_map = {a: ages(a) for a in ["18-29 år", "30-49 år", "50-64 år", "65+ år", "samtliga åldrar"]}
    return _turnout(manifest, AGE_DB, "eligibleVotersAge", "age", df_map, "valdeltagande_alder", "scb_valdeltagande_alder")


def turnout_education_step(manifest: Manifest) -> TidyResult:
    """Valdeltagande i riksdagsval per kommun, kön och utbildningsnivå (SCB ME0105), 2018 and 2022."""
    return _turnout(manifest, EDU_DB, "eligibleVotersEducation", "educationLevel", EDU_LEVEL,
                    "valdeltagande_utbildning", "scb_valdeltagande_utbildning")


def population_age_sex_step(manifest: Manifest) -> TidyResult:
    """Population per kommun by single year of age and sex, 2018 and 2022 (SCB BE0101)."""
    df = _query(manifest, POP_DB, "SELECT municipality, age, gender, population2018, population2022 FROM population")
    matcher = NameMatcher(manifest, NAME_FIXES[POP_DB])
    df["area_code"] = matcher.map(df["municipality"])
    df = df[df["area_code"].notna()]
    df["kon"] = df["gender"].map(SEX)
    if df["kon"].isna().any():
        raise SourceFormatError(POP_DB, "okänt kön")
    frames = []
    for year in (2018, 2022):
        long = df[["area_code", "kon", "age"]].assign(
            value=parse_cells(df[f"population{year}"], where=f"{POP_DB} (kolumn population{year})")["value"].to_numpy())
        both = long.groupby(["area_code", "age"], as_index=False)["value"].sum().assign(kon="totalt")
        long = pd.concat([long, both])
        tot = long.groupby(["area_code", "kon"], as_index=False)["value"].sum().assign(age="totalt")
        long = pd.concat([long, tot])
        frames.append(pd.DataFrame({"level": "kommun", "area_code": long["area_code"], "year": year,
                                    "indicator": "befolkning_alder_kon",
                                    "group": long["kon"] + "/" + long["age"].astype(str),
                                    "value": long["value"], "source_id": "scb_befolkning_alder_kon"}))
    values = values_frame(pd.concat(frames))
    return TidyResult(values=values, checks=[matcher.check("befolkning_alder_kon", matched=values["area_code"].nunique())])


def education_step(manifest: Manifest) -> TidyResult:
    """Population 16–74 per kommun by SUN education level and sex, 2018 and 2022 (SCB UF0506)."""
    df = _query(manifest, UTB_DB, "SELECT * FROM utbildningsdataRen")
    matcher = NameMatcher(manifest)
    df["area_code"] = matcher.map(df["kommun"])
    df = df[df["area_code"].notna()]
    df["kon"] = df["kön"].map(SEX)
    df["sun"] = df["utbildningsnivå"].map(SUN)
    if df["sun"].isna().any() or df["kon"].isna().any():
        raise SourceFormatError(UTB_DB, f"okänd utbildningsnivå: {df.loc[df['sun'].isna(), 'utbildningsnivå'].unique()[:3]}")
    long = df[["area_code", "år", "kon", "sun"]].assign(value=parse_cells(df["antal"], where=UTB_DB)["value"].to_numpy())
    # complete the grid: a level missing from the extract is NaN with a reason, and every total that
    # would need it is NaN too (a silent partial sum would understate the population)
    full = pd.MultiIndex.from_product([sorted(long["area_code"].unique()), sorted(long["år"].unique()),
                                       ["man", "kvinnor"], list(SUN.values())], names=["area_code", "år", "kon", "sun"])
    long = long.set_index(["area_code", "år", "kon", "sun"])["value"].reindex(full).reset_index()
    gaps = long[long["value"].isna()]
    both = long.groupby(["area_code", "år", "sun"], as_index=False)["value"].sum(min_count=2).assign(kon="totalt")
    long = pd.concat([long, both])
    tot = long.groupby(["area_code", "år", "kon"], as_index=False)["value"].sum(min_count=len(SUN)).assign(sun="totalt")
    long = pd.concat([long, tot])
    values = values_frame(pd.DataFrame({"level": "kommun", "area_code": long["area_code"], "year": long["år"],
                                        "indicator": "utbildningsniva", "group": long["kon"] + "/" + long["sun"],
                                        "value": long["value"], "source_id": "scb_utbildningsniva",
                                        "note": np.where(long["value"].isna(),
                                                         "saknas i källan (hela eller delar av raden)", "")}))
    shown = sorted({f"{a} {y}" for a, y in zip(gaps["area_code"], gaps["år"])})[:5]
    return TidyResult(values=values, checks=[
        matcher.check("utbildningsniva", matched=values["area_code"].nunique()),
        {"check": "utbildningsniva_luckor", "ok": True,
         "detail": f"{len(gaps)} kombinationer saknas i källan ({shown}); summor som behöver dem är NaN"}])


def unemployment_step(manifest: Manifest) -> TidyResult:
    """Registered unemployed per kommun and month: 2018 and 2022 (all), 2023 by sex and age."""
    df = _query(manifest, UNEMP_DB, "SELECT period, municipality, unemployedTotal FROM unemployed")
    matcher = NameMatcher(manifest)
    df["area_code"] = matcher.map(df["municipality"])
    dropped = int(df["area_code"].isna().sum())
    df = df[df["area_code"].notna()]
    raw_val = df["unemployedTotal"].astype(str).str.strip()
    below = {v: ("suppressed", np.nan, f"skyddat värde ({v}) i källan")  # "<5": too few to publish
             for v in pd.unique(raw_val[raw_val.str.startswith("<")])}
    cell = parse_cells(raw_val, where=UNEMP_DB, extra_symbols=below)
    a = pd.DataFrame({"level": "kommun", "area_code": df["area_code"], "year": df["period"].str[:4].astype(int),
                      "indicator": "arbetslosa", "group": "totalt/totalt/" + df["period"],
                      "value": cell["value"].to_numpy(), "status": cell["status"].to_numpy(),
                      "note": cell["note"].to_numpy(), "source_id": "af_arbetslosa_2018_2022"})
    if a.duplicated(["area_code", "group"]).any():
        raise SourceFormatError(UNEMP_DB, "samma kommun och månad förekommer flera gånger")
    checks = [matcher.check("arbetslosa_2018_2022", matched=a["area_code"].nunique()),
              {"check": "arbetslosa_utan_kommun", "ok": True, "detail": f"{dropped} rader utan kommun utelämnade"}]

    # 2023: by sex × age group, monthly plus annual mean; '..' is suppressed (NaN), never 0
    m = _query(manifest, KOMMUN_DB, 'SELECT * FROM "Kommunarbetslöshet"')
    matcher2 = NameMatcher(manifest)
    m["area_code"] = matcher2.map(m["Kommunnamn"])
    m = m[m["area_code"].notna() & m["Kön"].isin(["män", "kvinnor"])].copy()
    m["alder"] = m["Åldersgrupp"].str.strip().str.replace(r"^0(\d)", r"\1", regex=True)
    month_cols = [c for c in m.columns if c.startswith("2023M")]
    if len(month_cols) != 12 or "2023Genomsnitt" not in m.columns:
        raise SourceFormatError(KOMMUN_DB, "väntade kolumnerna 2023M01…2023M12 och 2023Genomsnitt")
    frames = []
    all_suppressed = m[month_cols].apply(lambda s: s.astype(str).str.strip() == "..").all(axis=1)
    for col in month_cols + ["2023Genomsnitt"]:
        cell = parse_cells(m[col], where=f"{KOMMUN_DB} (Kommunarbetslöshet, kolumn {col})")
        value, status, note = cell["value"].to_numpy(), cell["status"].to_numpy(), cell["note"].to_numpy()
        if col == "2023Genomsnitt":  # the source writes 0 where every month is suppressed
            flag = all_suppressed.to_numpy()
            value = np.where(flag, np.nan, value)
            status = np.where(flag, "suppressed", status)
            note = np.where(flag, "alla månader skyddade (..) i källan; källans 0 är inte ett värde", note)
        period = "medel" if col == "2023Genomsnitt" else f"2023-{col[-2:]}"
        frames.append(pd.DataFrame({"level": "kommun", "area_code": m["area_code"], "year": 2023,
                                    "indicator": "arbetslosa",
                                    "group": m["Kön"].map(SEX) + "/" + m["alder"] + "/" + period,
                                    "value": value, "status": status, "note": note,
                                    "source_id": "af_arbetslosa_2023"}))
    b = pd.concat(frames)
    b = b.drop_duplicates(["area_code", "group"])
    checks.append(matcher2.check("arbetslosa_2023", matched=b["area_code"].nunique()))
    return TidyResult(values=values_frame(pd.concat([a, b])), checks=checks)


def kommungrupp_step(manifest: Manifest) -> TidyResult:
    """SKR kommungruppsindelning as kommun attributes (codes zero-padded)."""
    df = _query(manifest, KOMMUN_DB, 'SELECT * FROM "Kommungruppsindelning"')
    df.columns = [c.strip() for c in df.columns]
    need = {"Gruppkod", "Kommunkod", "Kommungrupp", "Huvudgrupp"}
    if not need <= set(df.columns):
        raise SourceFormatError(KOMMUN_DB, f"kolumner saknas: {need - set(df.columns)}")
    code = df["Kommunkod"].astype(str).str.strip().str.zfill(4)
    attrs = pd.DataFrame({"code": code, "skr_grupp_kod": df["Gruppkod"].str.strip(),
                          "skr_grupp": df["Kommungrupp"].str.strip(), "skr_huvudgrupp": df["Huvudgrupp"].str.strip()})
    known = set(read_koppling(manifest)["Kommun"])
    unknown = sorted(set(code) - known)
    return TidyResult(attributes=attrs, checks=[{"check": "kommungrupp", "ok": not unknown and len(attrs) == 290,
                                                 "detail": f"{len(attrs)} kommuner; okända koder {unknown[:5]}"}])
