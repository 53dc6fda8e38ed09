"""A kommun's fact sheet in plain Swedish (terminal text), built from the store's values and published measures."""

from __future__ import annotations

import pandas as pd

from . import store
from .geography import kommun as resolve_kommun
from .text import join_sv, num, pct, tkr

TYPE_NAMES = {
    1: "stora socioekonomiska utmaningar",
    2: "socioekonomiska utmaningar",
    3: "socioekonomiskt blandade",
    4: "goda socioekonomiska förutsättningar",
    5: "mycket goda socioekonomiska förutsättningar",
}


_EXTREMES = ("max_valdeltagande_riksdag", "min_valdeltagande_riksdag", "max_medelloneinkomst", "min_medelloneinkomst")


def _names(names: str) -> str:
    """ "A; B" (tied areas in a published max_/min_ row) → "A och B"."""
    return join_sv([n for n in str(names).split("; ") if n])


def _one(df: pd.DataFrame, indicator: str, level: str, code: str, year: int, group: str = "totalt"):
    row = df[(df["indicator"] == indicator) & (df["level"] == level) & (df["area_code"] == code)
             & (df["year"] == year) & (df["group"] == group)]
    return row["value"].iloc[0] if len(row) else float("nan")


def facts(kommun) -> dict:
    """The numbers behind the fact sheet, as a dict (used by the CLI and tests)."""
    area = resolve_kommun(kommun)
    df = store.kommun_values(area.code)
    for col in ("level", "indicator", "group"):
        df[col] = df[col].astype(str)
    out = {"kommun": area}
    out["befolkning_2023"] = _one(df, "befolkning", "kommun", area.code, 2023)
    out["andel_utrikes_2023"] = _one(df, "andel_utrikes_fodda", "kommun", area.code, 2023)
    out["andel_hyresratt_2023"] = _one(df, "andel_hyresratt", "kommun", area.code, 2023)
    out["n_regso"] = int(((df["level"] == "regso") & (df["indicator"] == "omradestyp") & (df["year"] == 2023)).sum())
    typ = df[(df["level"] == "regso") & (df["indicator"] == "omradestyp") & (df["year"] == 2023)]
    out["omradestyp_2023"] = typ["value"].astype(int).value_counts().reindex(range(1, 6), fill_value=0).to_dict()
    # highest/lowest district and RegSO: the measures the build published (names from the row's vintage)
    m = store.measures_table(level="kommun", codes=area.code, years=[2018, 2022, 2023], measures=list(_EXTREMES))
    ext = {(r.measure, int(r.year)): r for r in m.itertuples()}
    for year in (2018, 2022):
        out[f"valdeltagande_{year}"] = _one(df, "valdeltagande_riksdag", "kommun", area.code, year)
        hi, lo = ext.get(("max_valdeltagande_riksdag", year)), ext.get(("min_valdeltagande_riksdag", year))
        out[f"valdistrikt_{year}"] = int(hi.n_areas) if hi is not None else 0
        if hi is not None and lo is not None and hi.value == hi.value:
            out[f"valdistrikt_max_{year}"] = (hi.omrade_kod, hi.omrade, hi.value)
            out[f"valdistrikt_min_{year}"] = (lo.omrade_kod, lo.omrade, lo.value)
    hi, lo = ext.get(("max_medelloneinkomst", 2023)), ext.get(("min_medelloneinkomst", 2023))
    if hi is not None and lo is not None and hi.value == hi.value:
        out["inkomst_max"] = (hi.omrade_kod, hi.omrade, hi.value)
        out["inkomst_min"] = (lo.omrade_kod, lo.omrade, lo.value)
    out["andel_eftergymnasial_2022"] = _one(df, "andel_eftergymnasial", "kommun", area.code, 2022)
    out["arbetslosa_2022"] = _one(df, "arbetslosa_andel_16_64", "kommun", area.code, 2022)
    r = store.kommun_values("")  # riket and län rows carry an empty kommun_code
    r = r[r["level"] == "riket"]
    for key, ind, year in (("riket_utrikes_2023", "andel_utrikes_fodda", 2023),
                           ("riket_valdeltagande_2022", "valdeltagande_riksdag", 2022),
                           ("riket_eftergymnasial_2022", "andel_eftergymnasial", 2022),
                           ("riket_arbetslosa_2022", "arbetslosa_andel_16_64", 2022)):
        row = r[(r["indicator"] == ind) & (r["year"] == year) & (r["group"] == "totalt")]
        out[key] = row["value"].iloc[0] if len(row) else float("nan")
    return out


def render(kommun) -> str:
    """The fact sheet as terminal text (Swedish)."""
    f = facts(kommun)
    a = f["kommun"]
    head = f"{a.label} ({a.code}), {a.lan_name}"
    lines = [head, "=" * len(head)]
    if a.skr_grupp:
        lines.append(f"Kommungrupp (SKR): {a.skr_grupp_kod} {a.skr_grupp}")
    lines.append(f"Folkmängd 2023: {num(f['befolkning_2023'])} invånare i {f['n_regso']} RegSO-områden.")
    lines.append(f"Utrikes födda 2023: {pct(f['andel_utrikes_2023'])} (riket {pct(f['riket_utrikes_2023'])}).")
    lines.append(f"Hyresrätter 2023: {pct(f['andel_hyresratt_2023'])} av lägenheterna med känd upplåtelseform.")
    typ = f["omradestyp_2023"]
    parts = [f"{n} med {TYPE_NAMES[t]} (typ {t})" for t, n in typ.items() if n]
    lines.append("")
    lines.append("Områdestyper 2023: " + join_sv(parts) + ".")
    lines.append("")
    for year in (2018, 2022):
        if f.get(f"valdistrikt_max_{year}") and f[f"valdistrikt_{year}"] == 1:
            _, hn, hv = f[f"valdistrikt_max_{year}"]
            lines.append(f"Valdeltagande riksdagsvalet {year}: {pct(f[f'valdeltagande_{year}'])}. Kommunen har ett enda "
                         f"valdistrikt ({_names(hn)}, {pct(hv)}), så det finns ingen spridning mellan distrikt.")
        elif f.get(f"valdistrikt_max_{year}"):
            (_, hn, hv), (_, ln, lv) = f[f"valdistrikt_max_{year}"], f[f"valdistrikt_min_{year}"]
            lines.append(f"Valdeltagande riksdagsvalet {year}: {pct(f[f'valdeltagande_{year}'])}. "
                         f"Högst i valdistriktet {_names(hn)} ({pct(hv)}), lägst i "
                         f"{_names(ln)} ({pct(lv)}); skillnad {num(hv - lv, 1)} procentenheter "
                         f"({f[f'valdistrikt_{year}']} distrikt).")
    lines.append(f"(Riket 2022: {pct(f['riket_valdeltagande_2022'])}. Distriktens siffror räknar inte förtidsröster "
                 "som inte fördelats på distrikt.)")
    if f.get("inkomst_max"):
        (_, hn, hv), (_, ln, lv) = f["inkomst_max"], f["inkomst_min"]
        lines.append("")
        lines.append(f"Medellöneinkomst 2023 (fasta priser): högst i {_names(hn)} ({tkr(hv)}), lägst i "
                     f"{_names(ln)} ({tkr(lv)}), {num(hv / lv, 1)} gånger så hög.")
    lines.append(f"Eftergymnasialt utbildade 16–74 år 2022: {pct(f['andel_eftergymnasial_2022'], missing='uppgift saknas i källan')} "
                 f"(riket {pct(f['riket_eftergymnasial_2022'])}).")
    lines.append(f"Inskrivna arbetslösa 2022, årsmedel som andel av befolkningen 16–64 år: "
                 f"{pct(f['arbetslosa_2022'])} (riket {pct(f['riket_arbetslosa_2022'])}).")
    lines.append("")
    lines.append("Källor: SCB (RegSO-statistik, områdestyper, befolkning, utbildning), Valmyndigheten (valresultat), "
                 "Arbetsförmedlingen (arbetslösa), SKR (kommungrupper). Varje siffras källa, tabell och datum: "
                 "`barometer data INDIKATOR --kommun KOD`.")
    return "\n".join(lines)
