"""Data behind the explorer: national tables cached once per kernel, and one kommun's panels as frames and sentences."""

from __future__ import annotations

import functools
import json
import re

import numpy as np
import pandas as pd

from barometer import store
from barometer.text import compare_word, direction, num, pct, pp, tkr

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


def _official_names(names: dict[str, str]) -> dict[str, str]:
    """Kommun code → official name (SCB's long form, areas table ``official_name``)."""
    from barometer.text import kommun_label

    a = store.areas_table()
    k = a[a["level"] == "kommun"]
    official = dict(zip(k["code"], k["official_name"])) if "official_name" in k.columns else {}
    return {c: (official.get(c) or kommun_label(n)) for c, n in names.items()}


class National:
    """The small national tables every session shares: kommuner and their outlines, figures with ranks
    and map classes, sources, riket measures. Read from the store as published by ``barometer build``
    (``explorer_kommuner.parquet``, ``explorer_figures.parquet``, ``measures.parquet``): nothing
    national is computed here and ``values.parquet`` is never loaded whole (about 0.1 s, a few MB).
    """

    def __init__(self):
        k = store.read_published("explorer_kommuner.parquet")
        self.kommuner = k[["code", "name", "lan_code", "lan_name", "skr_grupp"]].reset_index(drop=True)
        self.names = dict(zip(k["code"], k["name"]))
        self.labels = _official_names(self.names)  # "Falu kommun": headings use the official name
        self.options = [option_label(n, c) for c, n in zip(k["code"], k["name"])]
        self.option_of = dict(zip(k["code"], self.options))
        self.features = {}
        for r in k.itertuples():
            if not r.geometry:
                continue
            self.features[r.code] = {
                "type": "Feature", "id": r.code, "geometry": json.loads(r.geometry),
                "properties": {"kommun_kod": r.code, "kommun_namn": r.name,
                               "bounds": [[r.south, r.west], [r.north, r.east]]},
            }

        f = store.read_published("explorer_figures.parquet", filters=[("level", "in", ["kommun", "riket"])])
        kv = f[f["level"] == "kommun"]
        self.latest = kv[kv["value"].notna()].groupby("indicator")["year"].max().astype(int).to_dict()
        self.wide = {(i, int(y)): g.set_index("code")["value"] for (i, y), g in kv.groupby(["indicator", "year"])}
        self.ranks = {(i, int(y)): g.set_index("code")[["rank", "n_ranked", "map_class"]]
                      for (i, y), g in kv.groupby(["indicator", "year"])}
        self.riket = {(r.indicator, int(r.year)): r.value for r in f[f["level"] == "riket"].itertuples()}
        self.source_of = {(r.indicator, int(r.year)): r.source_id for r in kv.drop_duplicates(["indicator", "year"]).itertuples()}
        from barometer.citation import cite

        sources = store.sources_table()
        self.sources = {row["source_id"]: cite(row) for row in sources.to_dict("records")}
        #: publisher of the kommun outlines (the build's ``geometry/kommun`` layer) without its "(via …)", e.g.
        #: "SCB", for the map's attribution
        outline_ids = set(k["source_id"]) - {""} if "source_id" in k.columns else set()
        self.outline_source = "; ".join(p.split(" (")[0] for p in sources.loc[sources["source_id"].isin(outline_ids), "publisher"].astype(str))

        self.measures_message = ""
        self.riket_measures = None
        self.omradestyp_year = None
        self.riket_typ_share = {}
        try:
            m = store.measures_table(level="riket")
        except Exception as err:  # noqa: BLE001 - e.g. a store built before measures were published
            self.measures_message = f"Segregationsmåtten saknas i datalagret (kör barometer build): {err}"
        else:
            self.riket_measures = m[m["measure"].isin(list(MEASURES_SHOWN))]
            typ = m[m["measure"].str.fullmatch(r"omradestyp_[1-5]_andel_befolkning") & m["value"].notna()]
            if len(typ):
                self.omradestyp_year = int(typ["year"].max())
                last = typ[typ["year"] == self.omradestyp_year]
                self.riket_typ_share = {float(s.split("_")[1]): v for s, v in zip(last["measure"], last["value"])}

    def rank(self, indicator: str, year: int, code: str) -> tuple[int | None, int]:
        r = self.ranks.get((indicator, year))
        if r is None:
            return None, 0
        n = int(r["n_ranked"].dropna().max()) if r["n_ranked"].notna().any() else 0
        if code not in r.index or pd.isna(r.at[code, "rank"]):
            return None, n
        return int(r.at[code, "rank"]), n

    def map_values(self, label: str) -> tuple[pd.Series, int]:
        indicator, year, _ = MAP_INDICATORS[label]
        year = year or self.latest.get(indicator)
        return self.wide.get((indicator, year), pd.Series(dtype=float)), year

    def map_classes(self, label: str) -> pd.Series:
        """Map class 1..5 (quantiles, published by the build) by kommun code for a map indicator."""
        indicator, year, _ = MAP_INDICATORS[label]
        year = year or self.latest.get(indicator)
        r = self.ranks.get((indicator, year))
        return r["map_class"] if r is not None else pd.Series(dtype="Int8")

    def kommun_measures(self, code: str) -> pd.DataFrame | None:
        """The shown measures of one kommun (every year), read with a Parquet filter."""
        if self.riket_measures is None:
            return None
        return store.measures_table(level="kommun", codes=code, measures=list(MEASURES_SHOWN))


@functools.lru_cache(maxsize=1)
def national() -> National:
    return National()


@functools.lru_cache(maxsize=1)
def _area_lookup() -> pd.DataFrame:
    a = store.areas_table()
    a = a[a["level"].isin(["regso", "valdistrikt"])]
    return pd.DataFrame({c: a[c].astype(str).to_numpy() for c in ("level", "code", "name", "kommun_code", "vintage")})


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
        self.label = self.nat.labels.get(code, self.name)
        row = self.nat.kommuner.set_index("code").loc[code]
        self.lan_name, self.skr_grupp = row["lan_name"], row["skr_grupp"]
        v = store.kommun_values(code)
        # row positions per (level, indicator), grouped once on the Parquet categories: every panel then
        # takes its few rows instead of filtering the kommun's whole frame (10 000 rows for Stockholm)
        self._positions = v.groupby(["level", "indicator"], observed=True, sort=False).indices
        for c in ("level", "indicator", "group", "source_id", "status", "note"):
            v[c] = v[c].astype(str)
        self.values = v
        a = _area_lookup()
        a = a[a["kommun_code"] == code]
        self._regso_names = dict(zip(a.loc[a["level"] == "regso", "code"], a.loc[a["level"] == "regso", "name"]))
        self._districts = a[a["level"] == "valdistrikt"]
        typ = self.rows("regso", "omradestyp")
        typ_years = typ.loc[typ["value"].notna(), "year"]
        self.omradestyp_year = self.nat.omradestyp_year or (int(typ_years.max()) if len(typ_years) else None)

    def rows(self, level: str, indicator: str, group: str | None = None) -> pd.DataFrame:
        """The kommun's rows of one level and indicator (optionally one group): a slice of :attr:`values`."""
        pos = self._positions.get((level, indicator))
        out = self.values.iloc[pos] if pos is not None else self.values.iloc[:0]
        return out[out["group"] == group] if group is not None else out

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
        year = self.omradestyp_year
        typ = self.rows("regso", "omradestyp")
        typ = typ[typ["year"] == year].set_index("area_code")["value"]
        pop = self.rows("regso", "befolkning", "totalt")
        pop = pop[pop["year"] == min(year, pop["year"].max())].set_index("area_code")["value"] if len(pop) else pd.Series(dtype=float)
        t = pd.DataFrame({"typ": typ, "pop": pop.reindex(typ.index)}).dropna(subset=["typ"])
        total = t["pop"].sum()
        rows = []
        for k, label in OMRADESTYPER.items():
            sub = t[t["typ"] == k]
            rows.append({"typ": k, "områdestyp": label, "år": year, "antal_regso": len(sub),
                         "befolkning": sub["pop"].sum(), "andel_befolkning": sub["pop"].sum() / total * 100 if total else np.nan,
                         "riket_andel": self.nat.riket_typ_share.get(float(k), np.nan)})
        return pd.DataFrame(rows)

    def regso_types(self) -> dict[str, int]:
        """RegSO code → områdestyp (1–5) in the latest year, for the RegSO map layer."""
        typ = self.rows("regso", "omradestyp")
        typ = typ[typ["year"] == self.omradestyp_year]
        return {c: int(t) for c, t in zip(typ["area_code"], typ["value"]) if t == t}

    def regso_names(self) -> dict[str, str]:
        """RegSO code → name for this kommun's RegSO."""
        return dict(self._regso_names)

    @_memo
    def income(self) -> pd.DataFrame:
        inc = self.rows("regso", "medelloneinkomst", "totalt")
        if not len(inc):
            return pd.DataFrame(columns=["regso_kod", "regso", "år", "tkr", "source_id"])
        year = int(inc["year"].max())
        inc = inc[(inc["year"] == year) & inc["value"].notna()]
        out = pd.DataFrame({"regso_kod": inc["area_code"].values,
                            "regso": inc["area_code"].map(self._regso_names).fillna(inc["area_code"]).values,
                            "år": year, "tkr": inc["value"].values, "source_id": inc["source_id"].values})
        return out.sort_values("tkr", ascending=False).reset_index(drop=True)

    @_memo
    def turnout(self, year: int = 2022) -> pd.DataFrame:
        t = self.rows("valdistrikt", "valdeltagande_riksdag")
        t = t[(t["year"] == year) & t["value"].notna()]
        from barometer.vintages import vintage_for  # names from the election year's districts

        d = self._districts[self._districts["vintage"] == vintage_for("valdistrikt", year)]
        names = dict(zip(d["code"], d["name"]))
        out = pd.DataFrame({"valdistrikt_kod": t["area_code"].values,
                            "valdistrikt": t["area_code"].map(names).fillna(t["area_code"]).values,
                            "år": year, "valdeltagande": t["value"].values,
                            "röstberättigade": t["denominator"].values, "source_id": t["source_id"].values})
        return out.sort_values("valdeltagande", ascending=False).reset_index(drop=True)

    @_memo
    def measures(self) -> pd.DataFrame | None:
        """Shown measures by year (columns) for this kommun, plus riket's latest year; None without a measures table."""
        mine = self.nat.kommun_measures(self.code)
        if mine is None:
            return None
        riket = self.nat.riket_measures
        out = mine.pivot_table(index="measure", columns="year", values="value", aggfunc="first", dropna=False)
        out = out.reindex([k for k in MEASURES_SHOWN if k in out.index])
        riket_latest = riket.dropna(subset=["value"]).sort_values("year").groupby("measure")["value"].last()
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
            spread = round(hi["valdeltagande"], 1) - round(lo["valdeltagande"], 1)  # of the printed values
            out.append(f"I riksdagsvalet 2022 var valdeltagandet i {self.name} högst i valdistriktet "
                       f"{hi['valdistrikt']} ({pct(hi['valdeltagande'])}) och lägst i {lo['valdistrikt']} "
                       f"({pct(lo['valdeltagande'])}), en skillnad på {pp(spread)}.")
        k = self.key_figures().set_index("indikator")
        if "valdeltagande_riksdag" in k.index:
            r = k.loc["valdeltagande_riksdag"]
            if r["rang"] is not None and not pd.isna(r["rang"]):
                cmp = compare_word(r["riket"], r["värde"], 1, ("lägre än", "lika högt som", "högre än"))
                out.append(f"Valdeltagandet i hela kommunen var {r['visas']} år {r['år']}, {cmp} i riket "
                           f"({r['riket_visas']}): plats {int(r['rang'])} av {r['antal_kommuner']} kommuner.")
        before = self.nat.wide.get(("valdeltagande_riksdag", 2018), pd.Series(dtype=float)).get(self.code, np.nan)
        after = self.nat.wide.get(("valdeltagande_riksdag", 2022), pd.Series(dtype=float)).get(self.code, np.nan)
        if not (pd.isna(before) or pd.isna(after)):
            rb, ra = self.nat.riket.get(("valdeltagande_riksdag", 2018)), self.nat.riket.get(("valdeltagande_riksdag", 2022))
            riket = f" (riket: {pct(rb)} → {pct(ra)})" if rb is not None and ra is not None else ""
            if direction(before, after, 1) == 0:
                out.append(f"Valdeltagandet i {self.name} var i stort sett oförändrat från riksdagsvalet 2018 till 2022: "
                           f"{pct(before)} båda åren{riket}.")
            else:
                verb = compare_word(before, after, 1, ("minskade", "", "ökade"))
                change = round(after, 1) - round(before, 1)  # the difference of the printed values
                out.append(f"Från riksdagsvalet 2018 till 2022 {verb} valdeltagandet i {self.name} med {pp(abs(change))}, "
                           f"från {pct(before)} till {pct(after)}{riket}.")
        inc = self.income()
        if len(inc) >= 2:
            hi, lo = inc.iloc[0], inc.iloc[-1]
            ratio = round(hi["tkr"]) / round(lo["tkr"]) if round(lo["tkr"]) else np.nan  # of the printed values
            out.append(f"Medellöneinkomsten {hi['år']} var högst i {hi['regso']} ({tkr(hi['tkr'])}) och lägst i "
                       f"{lo['regso']} ({tkr(lo['tkr'])}): en skillnad på {num(round(hi['tkr']) - round(lo['tkr']))} tkr, "
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
            riket = ch["riket_andel"].sum(min_count=len(ch))
            versus = f", jämfört med {pct(riket)} i riket" if not pd.isna(riket) else ""
            out.append(f"{int(ch['antal_regso'].sum())} av kommunens {int(o['antal_regso'].sum())} RegSO räknas "
                       f"{o['år'].iloc[0]} som områden med socioekonomiska utmaningar (typ 1–2); där bor "
                       f"{pct(share)} av invånarna{versus}.")
        m = self.measures()
        if m is not None and MEASURES_SHOWN["D_utrikes_fodda"] in m.index:
            row = m.loc[MEASURES_SHOWN["D_utrikes_fodda"]].drop("riket (senaste år)").dropna()
            if len(row) >= 2:
                first, last = row.index[0], row.index[-1]
                a, b = row.iloc[0], row.iloc[-1]
                lead = "Boendesegregationen mellan utrikes och inrikes födda (olikhetsindex D)"
                if direction(a, b, 2) == 0:
                    out.append(f"{lead} är i stort sett oförändrad: {num(a, 3)} år {first} och {num(b, 3)} år {last}.")
                else:
                    verb = compare_word(a, b, 2, ("minskat", "", "ökat"))
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
