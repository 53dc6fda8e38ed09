"""Store layer: aggregate the tidy tables up the hierarchy, derive shares, check integrity."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import IntegrityError
from ..store import LEVELS
from .tidy import AREA_COLUMNS, RIKET_CODE, VALUE_COLUMNS, share, values_frame

# Count indicators summed up the hierarchy from the level where they are published.
SUM_UP = {
    "befolkning": "regso",
    "lagenheter": "regso",
    "befolkning_alder_kon": "kommun",
    "utbildningsniva": "kommun",
    "arbetslosa": "kommun",
    "rostande_utan_distrikt_riksdag": "kommun",
    "rostande_utan_distrikt_region": "kommun",
    "rostande_utan_distrikt_kommun": "kommun",
}
# Share indicators whose numerator and denominator are summed up from kommun.
RATIO_UP = ("valdeltagande_riksdag", "valdeltagande_region", "valdeltagande_kommun")
PARENTS = {"regso": ("kommun", "kommun_code"), "kommun": ("lan", "lan_code"), "lan": ("riket", None)}


def _parent_map(areas: pd.DataFrame, level: str) -> pd.Series:
    parent_level, col = PARENTS[level]
    sub = areas[areas["level"] == level].drop_duplicates("code").set_index("code")
    if col is None:
        return pd.Series(RIKET_CODE, index=sub.index)
    return sub[col]


def _sum_level(df: pd.DataFrame, areas: pd.DataFrame, level: str, ratio: bool) -> pd.DataFrame:
    parent_level, _ = PARENTS[level]
    pm = _parent_map(areas, level)
    part = df[df["level"] == level].copy()
    part["parent"] = part["area_code"].map(pm)
    if part["parent"].isna().any():
        bad = part.loc[part["parent"].isna(), "area_code"].unique()[:5]
        raise IntegrityError("hierarki", f"{level}-koder utan förälder i områdestabellen: {list(bad)}")
    keys = ["parent", "year", "indicator", "group", "source_id"]
    # a child that is missing, or itself only an estimate, makes the parent's sum an estimate
    col = "numerator" if ratio else "value"
    part["incomplete"] = (part[col].isna() | part["status"].isin(["estimated", "missing", "suppressed"])).astype(int)
    if ratio:
        g = part.groupby(keys, observed=True).agg(numerator=("numerator", "sum"), denominator=("denominator", "sum"),
                                                  n_missing=("incomplete", "sum"))
        g["value"] = share(g["numerator"], g["denominator"])
    else:
        g = part.groupby(keys, observed=True).agg(value=("value", lambda s: s.sum(min_count=1)),
                                                  n_missing=("incomplete", "sum"))
    g = g.reset_index().rename(columns={"parent": "area_code"})
    g["level"] = parent_level
    est = g["n_missing"] > 0
    g["status"] = np.select([g["value"].isna(), est], ["missing", "estimated"], "ok")
    g["note"] = np.where(est, "summa av kända värden; " + g["n_missing"].astype(str) + f" {level}-värden saknas eller är uppskattade",
                         f"summerat från {level}")
    return g.drop(columns="n_missing")


ROLL_UP = ["regso", "kommun", "lan"]  # each level is summed into its parent, up to riket


def _roll_up(base: pd.DataFrame, areas: pd.DataFrame, level: str, ratio: bool, note: str | None = None) -> list:
    """``base`` (rows at ``level``) summed into every level above it: one frame per parent level.

    For a ratio, numerator and denominator are summed over the same areas (a row missing either
    counts in neither). ``note`` replaces the default note on complete sums.
    """
    out, cur = [], base
    for lvl in ROLL_UP[ROLL_UP.index(level):]:
        if ratio:
            cur = cur.copy()
            gap = cur["numerator"].isna() | cur["denominator"].isna()
            cur.loc[gap, ["numerator", "denominator"]] = np.nan
        up = _sum_level(cur, areas, lvl, ratio)
        if note is not None:
            up["note"] = np.where(up["status"] == "ok", note, up["note"])
        cur = values_frame(up)
        out.append(cur)
    return out


def aggregate(values: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Sum counts (and numerators/denominators of shares) up to kommun, län and riket."""
    out = [values]
    for indicator, base in list(SUM_UP.items()) + [(i, "kommun") for i in RATIO_UP]:
        cur = values[(values["indicator"] == indicator) & (values["level"] == base)]
        if len(cur):
            out += _roll_up(cur, areas, base, ratio=indicator in RATIO_UP)
    return values_frame(pd.concat(out, ignore_index=True))


def _derive_share(values: pd.DataFrame, indicator: str, base: str, num_groups: list[str], den_groups: list[str],
                  note: str, den_subtract: list[str] | None = None) -> pd.DataFrame:
    needed = list(dict.fromkeys(num_groups + den_groups + (den_subtract or [])))
    src = values[(values["indicator"] == base) & values["group"].isin(needed)]
    keyed = src.set_index(["level", "area_code", "year", "source_id", "group"])["value"]
    piv = keyed.unstack("group").reindex(columns=needed)
    # only areas that have a row for every group needed (suppressed rows, NaN, count as present)
    has_row = pd.Series(1, index=keyed.index).unstack("group").reindex(columns=needed).notna().all(axis=1)
    piv = piv[has_row]
    num = piv[num_groups].sum(axis=1, min_count=len(num_groups))
    den = piv[den_groups].sum(axis=1, min_count=len(den_groups))
    if den_subtract:
        den = den - piv[den_subtract].sum(axis=1, min_count=1).fillna(0)
    out = pd.DataFrame({"numerator": num, "denominator": den}).reset_index()
    out["value"] = share(out["numerator"], out["denominator"])
    out["indicator"] = indicator
    out["group"] = "totalt"
    gap = out["numerator"].isna() | out["denominator"].isna()
    out["status"] = np.select([gap, out["value"].isna()], ["missing", "not_applicable"], "ok")
    out["note"] = np.select([gap, out["value"].isna()], ["täljare eller nämnare saknas i källan", "nämnaren är 0"], note)
    # a share built on an estimated count is itself an estimate
    est_keys = set(zip(*[values.loc[(values["indicator"] == base) & (values["status"] == "estimated"), c]
                         for c in ("level", "area_code", "year")]))
    if est_keys:
        is_est = [(lv, a, y) in est_keys for lv, a, y in zip(out["level"], out["area_code"], out["year"])]
        out.loc[np.array(is_est) & (out["status"] == "ok"), "status"] = "estimated"
    return values_frame(out)


# Shares: (base count indicator, level they are computed at, numerator groups, denominator groups,
# groups subtracted from the denominator, note). Above that level the share's own numerator and
# denominator are summed, over the areas where both are known, so a gap never skews the ratio.
SHARES = {
    "andel_utrikes_fodda": ("befolkning", "regso", ["utrikes_fodda"], ["totalt"], None, "utrikes födda / folkmängd"),
    "andel_hyresratt": ("lagenheter", "regso", ["hyresratt"], ["totalt"], ["uppgift_saknas"],
                        "hyresrätter / lägenheter med känd upplåtelseform"),
    "andel_eftergymnasial": ("utbildningsniva", "kommun",
                             ["totalt/eftergymnasial_kort", "totalt/eftergymnasial_lang", "totalt/forskarutbildning"],
                             ["totalt/totalt"], None, "eftergymnasialt utbildade / befolkning 16–74 år"),
    "andel_forgymnasial": ("utbildningsniva", "kommun", ["totalt/forgymnasial_kort", "totalt/forgymnasial_9"],
                           ["totalt/totalt"], None, "förgymnasialt utbildade / befolkning 16–74 år"),
}


def unemployment_share(values: pd.DataFrame) -> pd.DataFrame:
    """Registered unemployed (mean of the 12 monthly counts) as a share of the population 16–64, per kommun.

    Only years with all 12 months and a population table (2018, 2022). Arbetsförmedlingen's own
    rate uses a different denominator (the registerbased labour force): this is not that rate.
    """
    a = values[(values["indicator"] == "arbetslosa") & (values["level"] == "kommun")
               & values["group"].str.match(r"^totalt/totalt/\d{4}-\d{2}$")]
    if a.empty:
        return values_frame(pd.DataFrame({c: [] for c in VALUE_COLUMNS}))
    g = a.groupby(["area_code", "year"]).agg(mean=("value", "mean"), months=("value", "count"))
    pop = values[(values["indicator"] == "befolkning_alder_kon") & (values["level"] == "kommun")]
    ages = pop["group"].str.extract(r"^totalt/(\d+)$")[0]
    pop = pop[ages.notna()].assign(age=ages[ages.notna()].astype(int))
    pop = pop[(pop["age"] >= 16) & (pop["age"] <= 64)].groupby(["area_code", "year"])["value"].sum(min_count=49)
    df = g.join(pop.rename("pop"), how="inner").reset_index()
    complete = (df["months"] == 12) & df["pop"].notna()
    out = pd.DataFrame({
        "level": "kommun", "area_code": df["area_code"], "year": df["year"], "indicator": "arbetslosa_andel_16_64",
        "group": "totalt", "numerator": df["mean"].where(complete), "denominator": df["pop"].where(complete),
        "source_id": "af_arbetslosa_2018_2022",
    })
    out["value"] = share(out["numerator"], out["denominator"])
    out["status"] = np.where(complete, "ok", "missing")
    out["note"] = np.where(complete, "årsmedel av inskrivna arbetslösa / folkmängd 16–64 år (SCB)",
                           "månader eller folkmängd saknas")
    return values_frame(out)


def derive(values: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Shares from counts at their base level, then summed (numerator and denominator) up the hierarchy."""
    parts = [values]
    cur = unemployment_share(values)
    if len(cur):
        parts += [cur] + _roll_up(cur, areas, "kommun", ratio=True,
                                  note="årsmedel av inskrivna arbetslösa / folkmängd 16–64 år")
    for indicator, (base, level, num, den, subtract, note) in SHARES.items():
        src = values[(values["indicator"] == base) & (values["level"] == level)]
        if len(src):
            cur = _derive_share(src, indicator, base, num, den, note, den_subtract=subtract)
            parts += [cur] + _roll_up(cur, areas, level, ratio=True, note=note)
    return values_frame(pd.concat(parts, ignore_index=True))


def _pair(both: pd.DataFrame, code: str) -> str:
    row = both[both["area_code"] == code]
    if row.empty:
        return "saknas"
    return f"{int(row['value_regso'].iloc[0])} mot {int(row['value_age'].iloc[0])}"


def integrity_checks(values: pd.DataFrame, areas: pd.DataFrame) -> list[dict]:
    """Checks that stop the build (raise) or are reported (differences between sources)."""
    checks = []
    counts = values["indicator"].isin(list(SUM_UP)) | values["indicator"].eq("omradestyp")
    neg = values[(values["value"] < 0) | (values["numerator"] < 0) | (values["denominator"] < 0)]
    if len(neg):
        raise IntegrityError("negativa_antal", f"{len(neg)} negativa värden, t.ex. {neg.iloc[0].to_dict()}")
    checks.append({"check": "inga_negativa_antal", "ok": True, "detail": f"{int(counts.sum()):,} antal kontrollerade".replace(",", " ")})
    bad_nan = values[values["value"].isna() & ((values["status"] == "ok") | (values["note"] == ""))]
    if len(bad_nan):
        raise IntegrityError("nan_utan_orsak", f"{len(bad_nan)} saknade värden utan status/orsak")
    n_nan = int(values["value"].isna().sum())
    checks.append({"check": "saknade_varden_har_orsak", "ok": True,
                   "detail": f"{n_nan} saknade värden, alla med status och orsak: "
                             f"{values.loc[values['value'].isna(), 'status'].value_counts().to_dict()}"})
    dups = values.duplicated(["level", "area_code", "year", "indicator", "group"])
    if dups.any():
        ex = values[dups].iloc[0].to_dict()
        raise IntegrityError("unik_nyckel", f"{int(dups.sum())} dubbletter av (nivå, kod, år, indikator, grupp), t.ex. {ex}")
    keys = set(zip(areas["level"], areas["code"]))
    vk = values[["level", "area_code"]].drop_duplicates()
    orphans = [k for k in zip(vk["level"], vk["area_code"]) if k not in keys]
    if orphans:
        raise IntegrityError("okanda_omraden", f"{len(orphans)} värden för områden som saknas i områdestabellen: {orphans[:5]}")

    # RegSO sums vs the kommun population table (two SCB sources; report the difference)
    pop = values[(values["indicator"] == "befolkning") & (values["group"] == "totalt") & (values["level"] == "kommun")]
    age = values[(values["indicator"] == "befolkning_alder_kon") & (values["group"] == "totalt/totalt") & (values["level"] == "kommun")]
    both = pop.merge(age, on=["area_code", "year"], suffixes=("_regso", "_age"))
    if len(both):
        diff = both["value_regso"] - both["value_age"]
        worst = both.loc[diff.abs().idxmax()]
        checks.append({"check": "befolkning_regso_mot_kommuntabell", "ok": True,
                       "detail": f"{len(both)} kommun-år jämförda ({', '.join(str(int(y)) for y in sorted(both['year'].unique()))}); "
                                 f"{int((diff != 0).sum())} skiljer, största skillnad {int(diff.abs().max())} personer "
                                 f"({worst['area_code']} {int(worst['year'])}); riket {int(both['value_regso'].sum())} mot "
                                 f"{int(both['value_age'].sum())}; Åre {_pair(both, '2321')}, Årjäng {_pair(both, '1765')}"})
    deso = values[(values["level"] == "deso") & (values["indicator"] == "befolkning")]
    if len(deso):
        total = int(deso["value"].sum())
        checks.append({"check": "deso_befolkning_2019", "ok": total == 10_327_589,
                       "detail": f"Σ DeSO = {total:,} (folkmängden 31 dec 2019: 10 327 589)".replace(",", " ")})
    # kommun sums equal riket for the summed indicators
    for ind in ("befolkning", "lagenheter"):
        sub = values[(values["indicator"] == ind) & (values["group"] == "totalt")]
        k = sub[sub["level"] == "kommun"].groupby("year")["value"].sum()
        r = sub[sub["level"] == "riket"].set_index("year")["value"]
        rg = sub[sub["level"] == "regso"].groupby("year")["value"].sum()
        ok = bool(np.allclose(k.reindex(r.index), r) and np.allclose(rg.reindex(r.index), r))
        checks.append({"check": f"{ind}_regso_kommun_riket", "ok": ok,
                       "detail": "RegSO → kommun → riket summerar lika: " + ", ".join(f"{y}: {int(v):,}".replace(",", " ") for y, v in r.items())})
        if not ok:
            raise IntegrityError(f"{ind}_summering", "summorna RegSO → kommun → riket stämmer inte")
    return checks


def attach_hierarchy(values: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Add denormalised ``kommun_code`` and ``lan_code`` (fast filtering by kommun)."""
    look = areas.drop_duplicates(["level", "code"]).set_index(["level", "code"])[["kommun_code", "lan_code"]]
    idx = pd.MultiIndex.from_arrays([values["level"], values["area_code"]])
    got = look.reindex(idx)
    values = values.copy()
    values["kommun_code"] = got["kommun_code"].fillna("").to_numpy()
    values["lan_code"] = got["lan_code"].fillna("").to_numpy()
    return values


def assemble_areas(area_frames: list[pd.DataFrame], attributes: list[pd.DataFrame]) -> pd.DataFrame:
    areas = pd.concat(area_frames, ignore_index=True)[AREA_COLUMNS]
    for col in AREA_COLUMNS:
        areas[col] = areas[col].fillna("").astype(str)
    if attributes:
        attrs = None  # each step adds its own columns: join them by code (not stacked rows)
        for frame in attributes:
            frame = frame.drop_duplicates("code")
            attrs = frame if attrs is None else attrs.merge(frame, on="code", how="outer")
        areas = areas.merge(attrs, on="code", how="left")
        is_k = areas["level"] == "kommun"
        for col in attrs.columns.drop("code"):
            areas[col] = areas[col].where(is_k, "").fillna("").astype(str)
    # the three 2022 elections share one set of districts: keep one row per district, the name from
    # the first file (riksdagsval; the regionval file has corrupted names for Höör)
    same = areas.duplicated(["level", "code", "vintage"]) & (areas["level"] == "valdistrikt")
    areas = areas[~same]
    dup = areas.duplicated(["level", "code", "vintage"])
    if dup.any():
        raise IntegrityError("omraden_unika", f"dubbletter i områdestabellen: {areas[dup].head(3).to_dict('records')}")
    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    areas = areas.sort_values(["level", "code", "vintage"], key=lambda s: s.map(order) if s.name == "level" else s)
    return areas.reset_index(drop=True)


__all__ = ["aggregate", "derive", "integrity_checks", "attach_hierarchy", "assemble_areas", "VALUE_COLUMNS"]
