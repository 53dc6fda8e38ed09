"""Comparisons by områdestyp for the views: a unit's values per type beside riket's, gaps, rankings and sentences.

Reads only the published table (:mod:`barometer.omradestyp_table`); returns numbers, frames and
plain Swedish sentences, no markup. Used by the kommun, län and riket reports and by Utforska.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

from . import text
from .omradestyp_table import klassning_value, table, unit

#: The indicators shown per type, in order: label, how to format a value, the gap's wording.
INDICATORS = {
    "andel_utrikes_fodda": {"label": "Utrikes födda", "what": "andelen utrikes födda", "unit": "procent av befolkningen"},
    "andel_hyresratt": {"label": "Hyresrätter", "what": "andelen hyresrätter", "unit": "procent av lägenheterna"},
    "medelloneinkomst": {"label": "Medellöneinkomst", "what": "medellöneinkomsten", "unit": "tkr per person"},
}
TYPES = ("1", "2", "3", "4", "5")
GROUPS = ("1-2", "4-5")
TYPE_SHORT = {"1": "Typ 1", "2": "Typ 2", "3": "Typ 3", "4": "Typ 4", "5": "Typ 5", "1-2": "Typ 1–2", "4-5": "Typ 4–5"}
LEVEL_WORD = {"kommun": "kommunen", "lan": "länet", "riket": "riket"}


#: years with the same-year classification (SCB/Delmos områdestyper)
TYPE_YEARS = (2022, 2023)


def type_year(year: int) -> int:
    """The områdestyp year shown for ``year``: ``year`` itself, else the nearest of :data:`TYPE_YEARS`."""
    return max(TYPE_YEARS[0], min(int(year), TYPE_YEARS[-1]))


def fmt(indicator: str, value) -> str:
    """A value of ``indicator`` in Swedish (``54,7 %``, ``188 tkr``; ``–`` when missing)."""
    if indicator == "medelloneinkomst":
        return text.tkr(value)
    return text.pct(value)


def fmt_gap(indicator: str, value) -> str:
    """The gap between 1–2 and 4–5: percentage points for shares, a ratio for amounts."""
    if indicator == "medelloneinkomst":
        return "–" if _nan(value) else f"{text.num(value, 2)} gånger"
    return text.pp(value)


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def rows(level: str, code: str, year: int, klassning: str = "samma_ar", indicators=None) -> pd.DataFrame:
    """The unit's rows (and riket's beside them) for the shown indicators, one year, one classification.

    Columns: ``indicator, omradestyp, value, status, note, n_regso, riket, riket_status``. Raises
    nothing for a missing unit: the frame is then empty.
    """
    from . import store

    return _rows(store.stamp(), level, code, int(year), klassning_value(klassning), tuple(indicators or INDICATORS))


@lru_cache(maxsize=256)
def _rows(stamp, level: str, code: str, year: int, klassning: str, inds: tuple) -> pd.DataFrame:
    inds = list(inds)

    def pick(t):
        return t[(t["indicator"].isin(inds)) & (t["year"] == int(year)) & (t["klassning"] == klassning)
                 & (t["group"] == "totalt")]

    own = pick(unit(level, code))
    rik = pick(unit("riket", "00"))[["indicator", "omradestyp", "value", "status"]].rename(
        columns={"value": "riket", "status": "riket_status"})
    out = own[["indicator", "omradestyp", "value", "unit", "status", "note", "n_regso", "source_id", "type_source_id"]]
    out = out.merge(rik, on=["indicator", "omradestyp"], how="left")
    order = {i: k for k, i in enumerate(inds)}
    out = out.assign(_o=out["indicator"].map(order)).sort_values(["_o"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


def types_present(level: str, code: str, year: int) -> list[str]:
    """The områdestyper with at least one RegSO in the unit (same-year classification)."""
    from . import store

    return list(_types_present(store.stamp(), level, code, type_year(year)))


@lru_cache(maxsize=256)
def _types_present(stamp, level: str, code: str, year: int) -> tuple:
    t = unit(level, code)
    sel = t[(t["year"] == year) & (t["klassning"] == "samma_ar") & (t["indicator"] == "befolkning")
            & (t["group"] == "totalt") & t["omradestyp"].isin(TYPES) & (t["n_regso"] > 0)]
    return tuple(sorted(sel["omradestyp"].unique()))


def gaps(level: str, code: str, year: int, klassning: str = "samma_ar") -> list[dict]:
    """Per shown indicator: values of 1–2 and 4–5, the gap, riket's gap and a unit-free size.

    ``size`` = |v(1–2) − v(4–5)| / max(v(1–2), v(4–5)) (0–1), so a share and an income can be
    compared; NaN when the comparison is not possible (``reason`` says why).
    """
    from . import store

    return [dict(g) for g in _gaps(store.stamp(), level, code, int(year), klassning_value(klassning))]


@lru_cache(maxsize=256)
def _gaps(stamp, level: str, code: str, year: int, klassning: str) -> tuple:
    r = rows(level, code, year, klassning)
    out = []
    for ind, meta in INDICATORS.items():
        sub = r[r["indicator"] == ind]
        if sub.empty:
            continue
        x = sub.set_index("omradestyp")[["value", "riket", "status", "note"]].to_dict("index")  # plain lookups
        v12, v45 = float(x["1-2"]["value"]), float(x["4-5"]["value"])
        gap, rgap = float(x["skillnad"]["value"]), float(x["skillnad"]["riket"])
        size = abs(v12 - v45) / max(v12, v45) if not (_nan(v12) or _nan(v45)) and max(v12, v45) > 0 else float("nan")
        out.append({"indicator": ind, "label": meta["label"], "what": meta["what"], "v12": v12, "v45": v45,
                    "gap": gap, "riket_gap": rgap, "riket_v12": float(x["1-2"]["riket"]),
                    "riket_v45": float(x["4-5"]["riket"]), "size": size,
                    "status": str(x["skillnad"]["status"]), "reason": str(x["skillnad"]["note"])})
    return tuple(out)


def largest_gap(level: str, code: str, year: int, klassning: str = "samma_ar") -> dict | None:
    """The indicator with the largest relative gap between 1–2 and 4–5 (see :func:`gaps`), or None."""
    g = [x for x in gaps(level, code, year, klassning) if not _nan(x["size"])]
    return max(g, key=lambda x: x["size"]) if g else None


def single_type_sentence(level: str, code: str, year: int, name: str, table: bool = True) -> str:
    """'X har bara RegSO-områden av typ 4 …' when the unit has fewer than two of the groups, else ''."""
    present = types_present(level, code, year)
    has12 = any(t in present for t in ("1", "2"))
    has45 = any(t in present for t in ("4", "5"))
    if has12 and has45:
        return ""
    yr = type_year(year)
    if not present:
        return f"{name} har inga RegSO-områden med områdestyp {yr}; en jämförelse mellan områdestyper är inte möjlig."
    which = text.join_sv([f"typ {t}" for t in present])
    missing = "typ 1–2 (socioekonomiska utmaningar)" if not has12 else "typ 4–5 (goda förutsättningar)"
    after = f"; tabellen visar {LEVEL_WORD[level]}s värden för de typer som finns" if table else ""
    return (f"{name} har {yr} bara RegSO-områden av {which} och inga av {missing}, så skillnaden mellan "
            f"områdestyperna kan inte beräknas{after}.")


def gap_sentence(level: str, code: str, year: int, name: str) -> str:
    """One sentence naming the largest gap between areas of type 1–2 and 4–5 (or why there is none)."""
    single = single_type_sentence(level, code, year, name, table=False)
    if single:
        return single
    g = largest_gap(level, code, year)
    if g is None:
        return ""
    yr = type_year(year)
    ind = g["indicator"]
    riket = "" if level == "riket" else f" (riket: {fmt(ind, g['riket_v12'])} mot {fmt(ind, g['riket_v45'])})"
    if ind == "medelloneinkomst":
        diff = f"{text.num(g['v45'] / g['v12'], 1)} gånger så hög i typ 4–5" if g["v12"] > 0 else ""
        return (f"Störst skillnad mellan områdestyperna {yr} gäller {g['what']}: {fmt(ind, g['v12'])} i områden av "
                f"typ 1–2 mot {fmt(ind, g['v45'])} i typ 4–5, {diff}{riket}.")
    return (f"Störst skillnad mellan områdestyperna {yr} gäller {g['what']}: {fmt(ind, g['v12'])} i områden av "
            f"typ 1–2 mot {fmt(ind, g['v45'])} i typ 4–5, {fmt_gap(ind, abs(g['gap']))}{riket}.")


def ranking(level: str, indicator: str, year: int, n: int = 10, klassning: str = "samma_ar",
            min_regso: int = 1, lan: str | None = None) -> pd.DataFrame:
    """Units of ``level`` (``lan`` or ``kommun``) with the largest gap 1–2 vs 4–5 for ``indicator``.

    Columns ``area_code, area_name, gap, v12, v45, n12, n45``; only units where the comparison is
    possible and each group has at least ``min_regso`` RegSO (with ``lan``: only that län's
    kommuner); sorted by the gap's size, largest first (for a ratio, the smallest ratio first).
    """
    from . import store

    klassning = klassning_value(klassning)  # "samma-ar" too
    t = table()
    sel = t[(t["level"] == level) & (t["indicator"] == indicator) & (t["year"] == int(year))
            & (t["klassning"] == klassning) & (t["group"] == "totalt")]
    if lan is not None:
        sel = sel[sel["lan_code"] == lan]
    w = sel.pivot_table(index="area_code", columns="omradestyp", values="value", aggfunc="first", dropna=False)
    cnt = sel.pivot_table(index="area_code", columns="omradestyp", values="n_regso", aggfunc="first")
    out = pd.DataFrame({"gap": w.get("skillnad"), "v12": w.get("1-2"), "v45": w.get("4-5"),
                        "n12": cnt.get("1-2"), "n45": cnt.get("4-5")}).dropna(subset=["gap"])
    out = out[(out["n12"] >= min_regso) & (out["n45"] >= min_regso)]
    key = out["gap"].abs() if indicator != "medelloneinkomst" else -out["gap"]
    out = out.assign(_k=key).sort_values("_k", ascending=False).drop(columns="_k").head(n).reset_index()
    names = store.area_names()
    out.insert(1, "area_name", [names.get((level, c), c) for c in out["area_code"]])
    return out


def trend(level: str, code: str, indicator: str, types=("1-2", "3", "4-5", "skillnad")) -> pd.DataFrame:
    """Fixed classification (2023's types) over 2020–2023: one row per year, one column per type."""
    t = unit(level, code)
    sel = t[(t["indicator"] == indicator) & (t["klassning"] == "fast") & (t["group"] == "totalt") & t["omradestyp"].isin(list(types))]
    return sel.pivot_table(index="year", columns="omradestyp", values="value", aggfunc="first",
                           dropna=False).reindex(columns=list(types))
