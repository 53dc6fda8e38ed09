"""KommunReport / LanReport: one object per report, one method per section, each returning a section's data.

A section method returns a ``dict`` (numbers, sentences, tables, figures); ``@section`` wraps it in a
:class:`~barometer.report.templating.Section`, which ``templates/sections/<name>.html.j2`` renders.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import maps, store, text
from ..exceptions import StoreMissingError
from ..factsheet import TYPE_NAMES
from ..geography import kommun as resolve_kommun
from ..geography import lan as resolve_lan
from ..citation import cite, date_text, table_text
from ..omradestyp_compare import TYPE_YEARS, type_year  # noqa: F401  (one rule for the områdestyp year)
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
@lru_cache(maxsize=2)
def _upper_values(stamp) -> pd.DataFrame:
    """Län and riket rows of the store (small; read once per process)."""
    return store.as_text(store.read_values(filters=[("level", "in", ["lan", "riket"])]))


def _by_indicator_level(df: pd.DataFrame) -> dict:
    """(indicator, level) → that part of ``df`` (a report filters many times; each part is small)."""
    return {key: part for key, part in df.groupby(["indicator", "level"], sort=False, observed=True)}


@lru_cache(maxsize=2)
def _upper_parts(stamp) -> dict:
    return _by_indicator_level(_upper_values(stamp))


@lru_cache(maxsize=2)
def _kommun_level(stamp) -> pd.DataFrame:
    """Kommun-level rows of every kommun for the indicators the report ranks or weights."""
    return store.as_text(store.read_values(filters=[
        ("level", "=", "kommun"),
        ("indicator", "in", ["valdeltagande_alder", "valdeltagande_utbildning", "valdeltagande_riksdag"])]))


@lru_cache(maxsize=64)
def _riket_weighted(stamp, indicator: str, year: int, group: str) -> float:
    """Riket's share of ``indicator`` (group, year): the kommuner's values weighted by their denominators
    (kommuner with both); the same for every report, so computed once per process."""
    allk = _kommun_level(stamp)
    r = allk[(allk["indicator"] == indicator) & (allk["year"] == year) & (allk["group"] == group)
             & allk["value"].notna() & allk["denominator"].notna()]
    return float((r["value"] * r["denominator"]).sum() / r["denominator"].sum()) if len(r) else float("nan")


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
def _kommun_geometries(stamp):
    """The build's kommun outlines (``geometry/kommun``, SCB's generalised borders) in SWEREF 99 TM,
    simplified to 300 m, with ``kommun_kod``; OSError when the layer is not published."""
    g = maps.geometries("kommun")
    if g is None:
        raise FileNotFoundError("geometry/kommun.parquet")
    g = g.rename(columns={"code": "kommun_kod"}).to_crs(3006)
    g["geometry"] = g.geometry.simplify(300)
    return g


def _pct0(v) -> str:
    """A share as text; exactly zero (no RegSO of the type) reads "0 %", not "0,0 %"."""
    return "0\u00a0%" if v == 0 else text.pct(v)


def _n_areas(n: int) -> str:
    """``"1 RegSO-område"`` / ``"3 RegSO-områden"``."""
    return f"{n} RegSO-område" if n == 1 else f"{n} RegSO-områden"


def type_count_sentence(counts: dict, year: int) -> str:
    """How many of a kommun's RegSO have områdestyp 1–2 and 4–5, in plain Swedish without "0 av dem".

    ``counts``: områdestyp (1–5) → number of RegSO. For example ``{3: 1, 4: 2}`` →
    "Enligt områdestyperna 2023 har inget av kommunens 3 RegSO-områden typ 1 eller 2 (socioekonomiska
    utmaningar); 2 har typ 4 eller 5 (goda eller mycket goda förutsättningar)."
    """
    total = sum(int(v) for v in counts.values())
    utm = int(counts.get(1, 0)) + int(counts.get(2, 0))
    god = int(counts.get(4, 0)) + int(counts.get(5, 0))
    low, high = "typ 1 eller 2 (socioekonomiska utmaningar)", "typ 4 eller 5 (goda eller mycket goda förutsättningar)"
    lead = f"Enligt områdestyperna {year}"
    if total == 1:
        t = next(k for k, v in counts.items() if v)
        return f"{lead} har kommunens enda RegSO-område typ {t} ({TYPE_NAMES[t].lower()})."
    every = f"inget av kommunens {_n_areas(total)}" if total > 1 else "inget RegSO-område"

    def part(k: int, what: str) -> str:
        return f"alla {total} har {what}" if k == total else f"{k} har {what}"

    if utm == 0 and god == 0:
        return f"{lead} är alla kommunens {_n_areas(total)} av typ 3 ({TYPE_NAMES[3]})."
    if utm == 0:
        return f"{lead} har {every} {low}; {part(god, high)}."
    if god == 0:
        return f"{lead} har {every} {high}; {part(utm, low)}."
    return f"{lead} har {utm} av kommunens {_n_areas(total)} {low} och {god} {high}."


def _years_text(years) -> str:
    years = sorted({int(y) for y in years})
    if not years:
        return ""
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return text.join_sv([str(y) for y in years])


def sources_section(used: dict, sources: pd.DataFrame) -> dict:
    """The *Källor* table of a report: one row per source cited (``used``: source_id → years shown),
    with publisher, table, reference years, version date and licence, from ``sources`` (indexed by
    source_id; sources not in the store are left out)."""
    rows = []
    for sid in sorted(used):
        if sid not in sources.index:
            continue
        s = sources.loc[sid]
        rows.append([s["publisher"], table_text(s["title"], s["table_id"]),
                     _years_text(used[sid]) or s["reference_years"],
                     date_text(s["retrieved"], s.get("kind", "snapshot")).replace("kopia daterad ", ""),
                     s["licence"]])
    return {"table": table(["Utgivare", "Tabell", "Referensår", "Version", "Licens"], rows, caption="Källor",
                           num_cols=[], breakable=True)}


class KommunReport:
    """The content of one kommun's report; validate once, then one method per section.

    >>> r = KommunReport("1280", 2023)   # doctest: +SKIP
    >>> r.sammanfattning().data          # doctest: +SKIP
    {'facts': {...}, 'sentences': [...]}
    >>> r.sammanfattning().html()        # doctest: +SKIP
    '<h2>Sammanfattning</h2>...'         (templates/sections/sammanfattning.html.j2)
    """

    def __init__(self, kommun: str, year: int | None = None):
        self.area = resolve_kommun(kommun)          # codes must be str; unknown → UnknownAreaError
        from barometer.filters import check_report_year  # "2023" ok, "tjugo"/2019 → YearOutOfRangeError

        self.year = year = check_report_year(year, "kommunrapport")
        self.code = self.area.code
        self.lan_code = self.area.lan_code
        self.election = max(y for y in ELECTIONS if y <= year)
        self._stamp = store.stamp()
        self.df = store.as_text(store.kommun_values(self.code))
        self.upper = _upper_values(self._stamp)
        self._parts = {**_by_indicator_level(self.df), **_upper_parts(self._stamp)}  # (indicator, level) → rows
        self._columns: dict = {}  # (indicator, level) → numpy columns of that part (see _rows)
        self.sources = store.sources_table().set_index("source_id")
        self.used: dict[str, set] = {}

    # ---- data helpers -------------------------------------------------
    def use_source(self, source_id: str, years) -> None:
        """Record that this report cites ``source_id`` for ``years``; "Metod och källor" lists what was used."""
        self.used.setdefault(str(source_id), set()).update(int(y) for y in years)

    def _rows(self, indicator, level, years=None, group="totalt", code=None) -> pd.DataFrame:
        """Rows of one indicator at one level (optionally group, year(s), area); records their sources."""
        key = (indicator, level)
        df = self._parts.get(key)
        if df is None:
            return self.df.iloc[0:0]
        cols = self._columns.get(key)
        if cols is None:  # plain numpy columns: a report filters each part many times, a few rows each
            cols = self._columns[key] = tuple(df[c].to_numpy(dtype=object if c != "year" else None)
                                              for c in ("group", "year", "area_code", "source_id"))
        groups, yrs, areas, sources = cols
        m = np.ones(len(df), dtype=bool)
        if group is not None:
            m &= groups == group
        if years is not None:
            m &= np.isin(yrs, [years] if isinstance(years, int) else list(years))
        if code is not None:
            m &= areas == code
        if group is None and years is None and code is None:
            out, idx = df, slice(None)
        else:
            idx = np.flatnonzero(m)
            out = df.iloc[idx]
        for sid, yr in set(zip(sources[idx], yrs[idx])):
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
        typ = self._rows("omradestyp", "regso", type_year(y))
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
        n = f["n_regso"]
        where = (f", fördelade på {n} RegSO-områden" if n > 1 else ", i ett enda RegSO-område" if n == 1 else "")
        s = [f"{a.label} hade {text.num(f['befolkning'])} invånare {y}, varav {text.pct(f['andel_utrikes'])} "
             f"födda utomlands{where}."]
        if n:
            s.append(type_count_sentence(f["typ"], type_year(y)))
        utm, god = f["typ"].get(1, 0) + f["typ"].get(2, 0), f["typ"].get(4, 0) + f["typ"].get(5, 0)
        if n and (utm == 0 or god == 0):  # the gap sentence would repeat the counts just given
            s.append("Skillnaden mellan områdestyperna 1–2 och 4–5 kan därför inte beräknas.")
        else:
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
        """RegSO per områdestyp: ``counts``/``shares`` by type 1–5, a table and a chart.

        ``year`` is the områdestyp year shown (the report year, or the nearest of :data:`TYPE_YEARS`);
        ``previous`` the områdestyp year before it (None: no change column, no "bytte" sentence)."""
        y = self.year
        yr = type_year(y)
        typ = self._rows("omradestyp", "regso", list(TYPE_YEARS))
        pop = self._rows("befolkning", "regso", yr)
        out = {"year": yr, "requested_year": y, "empty": not len(typ), "previous": None,
               "type_years": text.join_sv([str(t) for t in TYPE_YEARS])}
        if not len(typ):
            return out
        earlier = sorted(int(v) for v in typ["year"].unique() if int(v) < yr)
        prev = earlier[-1] if earlier else None
        out["previous"] = prev
        t_now = typ[typ["year"] == yr].set_index("area_code")["value"]
        t_before = typ[typ["year"] == prev].set_index("area_code")["value"] if prev else t_now.iloc[0:0]
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
            change = [f"{diff:+d}".replace("+0", "±0").replace("-", "−")] if prev else []
            rows.append([f"{t} – {TYPE_NAMES[t]}", n_now, *change,
                         _pct0(share), _pct0(lan_sh), _pct0(rik_sh)])
        out["counts"] = counts
        out["shares"] = {"kommun": dict(zip(range(1, 6), k_sh)), "lan": dict(zip(range(1, 6), l_sh)),
                         "riket": dict(zip(range(1, 6), r_sh))}
        out["table"] = table(["Områdestyp", f"Antal RegSO {yr}", *([f"Förändring sedan {prev}"] if prev else []),
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
                                                sorted({prev or yr, yr})), alt)
        out["measures_missing"] = why if m is None else ""
        out["changed"] = int((t_now.reindex(t_before.index) != t_before).sum()) if prev and len(t_before) else 0
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
        return _riket_weighted(self._stamp, indicator, int(year), group)

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
                "table": table(["Riksdagsval", "Kommunen, alla röster", "Högst valdistrikt\u00a0*", "Lägst valdistrikt\u00a0*",
                                "Skillnad", "Antal distrikt"], rows,
                               caption="Valdeltagande i riksdagsvalen per valdistrikt. * Distriktens siffror saknar de "
                                       "förtidsröster och sena röster som räknas utanför distrikten; deras "
                                       "genomsnitt är därför lägre än kommunens siffra.",
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
            g = _kommun_geometries(store.stamp())
            lan = g[g["kommun_kod"].str[:2] == self.lan_code]
            alt = (f"Karta: {self.area.lan_name} med {len(lan)} "
                   f"{'kommun' if len(lan) == 1 else 'kommuner'}; {self.area.name} är ifylld.")
            svg = charts.lan_map(lan, self.code, f"{self.area.name} i {self.area.lan_name}", alt=alt)
            out["lan_map"] = figure(svg, f"{self.area.name} (fylld) bland kommunerna i {self.area.lan_name}.",
                                    "Källa: SCB, generaliserade kommungränser (Digitala gränser), förenklade.", alt, "map")
            self.use_source(g["source_id"].iloc[0], [])
        except OSError as err:  # the outline layer missing or unreadable: say so, keep the report
            out["lan_map_error"] = type(err).__name__
        return out

    @section
    def las_rapporten(self) -> dict:
        return {}

    @section
    def metod_och_kallor(self) -> dict:
        """The sources actually cited in this report (``used``), as a table."""
        return sources_section(self.used, self.sources)


class LanReport:
    """A lighter report for one län: a summary, its kommuner, their områdestyper and turnout, sources."""

    def __init__(self, lan: str, year: int | None = None):
        self.area = resolve_lan(lan)
        from barometer.filters import check_report_year

        self.year = check_report_year(year, "länsrapport")
        self.election = max(y for y in ELECTIONS if y <= self.year)
        self.code = self.area.code
        a = store.areas_table()
        self.kommuner = a[(a["level"] == "kommun") & (a["lan_code"] == self.code)].drop_duplicates("code").sort_values("code")
        self.sources = store.sources_table().set_index("source_id")
        self._stamp = store.stamp()
        self.used: dict[str, set] = {}
        self._facts: dict | None = None

    # the kommun report's helpers that only need ``sources`` and ``used``
    use_source = KommunReport.use_source
    source_note = KommunReport.source_note
    metod_och_kallor = KommunReport.metod_och_kallor

    def _value(self, indicator: str, level: str, year: int) -> float:
        """The län's (``level="lan"``) or riket's value of ``indicator`` (group totalt); records its source."""
        code = self.code if level == "lan" else "00"
        up = _upper_values(self._stamp)
        r = up[(up["indicator"] == indicator) & (up["level"] == level) & (up["area_code"] == code)
               & (up["year"] == int(year)) & (up["group"] == "totalt")]
        for sid in r["source_id"].unique():
            self.use_source(sid, [year])
        return float(r["value"].iloc[0]) if len(r) else float("nan")

    def kommun_facts(self) -> dict:
        """Code → :meth:`KommunReport.facts` for every kommun of the län (computed once; their sources are recorded)."""
        if self._facts is None:
            self._facts, self._kommun_used = {}, {}
            for code in self.kommuner["code"]:
                k = KommunReport(code, self.year)
                self._facts[code] = k.facts()
                for sid, yrs in k.used.items():
                    self.use_source(sid, yrs)
                    self._kommun_used.setdefault(sid, set()).update(yrs)
        return self._facts

    @section(name="lan_heading")
    def heading(self) -> dict:
        return {"title": self.area.name, "code": self.code, "n_kommuner": len(self.kommuner), "year": self.year,
                "created": date.today().isoformat()}

    @section
    def sammanfattning(self) -> dict:
        """Key figures of the län vs riket, the largest gap between områdestyper, the most and least
        segregated kommun by index D. ``facts`` (numbers) and ``sentences`` (plain text)."""
        y, e, name = self.year, self.election, self.area.name
        f = {lv: {"befolkning": self._value("befolkning", lv, y),
                  "andel_utrikes": self._value("andel_utrikes_fodda", lv, y),
                  "valdeltagande": self._value("valdeltagande_riksdag", lv, e),
                  "D": float(_measure_lookup(self._stamp).get((lv, self.code if lv == "lan" else "00",
                                                               "D_utrikes_fodda", y), float("nan")))}
             for lv in ("lan", "riket")}
        n = len(self.kommuner)
        s = [f"{name} hade {text.num(f['lan']['befolkning'])} invånare {y} i "
             f"{'en enda kommun' if n == 1 else f'{n} kommuner'}; {text.pct(f['lan']['andel_utrikes'])} var födda utomlands "
             f"(riket {text.pct(f['riket']['andel_utrikes'])})."]
        if f["lan"]["valdeltagande"] == f["lan"]["valdeltagande"]:
            s.append(f"I riksdagsvalet {e} röstade {text.pct(f['lan']['valdeltagande'])} av de röstberättigade "
                     f"(riket {text.pct(f['riket']['valdeltagande'])}).")
        from .omradestyp import summary_sentence  # the largest gap between områdestyper (its own module)

        s.append(summary_sentence(self))
        facts = self.kommun_facts()
        d = {c: x["D"] for c, x in facts.items() if x["D"] == x["D"] and x["n_regso"] >= 3}
        names = dict(zip(self.kommuner["code"], self.kommuner["name"]))
        f["D_kommuner"] = d
        if len(d) >= 2:
            hi, lo = max(d, key=d.get), min(d, key=d.get)
            s.append(f"Segregationsindex D för utrikes och inrikes födda var högst i {names[hi]} "
                     f"({text.num(d[hi], 2)}) och lägst i {names[lo]} ({text.num(d[lo], 2)}) av länets "
                     f"{len(d)} kommuner med minst tre RegSO-områden (länet {text.num(f['lan']['D'], 2)}, "
                     f"riket {text.num(f['riket']['D'], 2)}).")
            self.use_source("scb_regso_fodelseregion", [y])
        elif len(d) == 1:
            (only, v), = d.items()
            s.append(f"Segregationsindex D för utrikes och inrikes födda var {text.num(v, 2)} i {names[only]}, "
                     f"länets enda kommun med minst tre RegSO-områden (riket {text.num(f['riket']['D'], 2)}).")
        return {"facts": f, "sentences": s}

    @section
    def kommuner_table(self) -> dict:
        """One row of facts per kommun (``facts`` by code) and the table shown."""
        rows, facts = [], self.kommun_facts()
        for code, name in zip(self.kommuner["code"], self.kommuner["name"]):
            f = facts[code]
            rows.append([f"{name} ({code})", text.num(f["befolkning"]), f["n_regso"],
                         f["typ"].get(1, 0) + f["typ"].get(2, 0), f["typ"].get(3, 0), f["typ"].get(4, 0) + f["typ"].get(5, 0),
                         text.pct(f["valdeltagande"]), text.pp(f["spread"]).replace(" procentenheter", "")])
        ty = type_year(self.year)
        used = {sid: sorted(yrs) for sid, yrs in self._kommun_used.items()}
        return {"facts": facts, "type_year": ty, "requested_year": self.year,
                "source": self.source_note(list(used), used),
                "table": table(["Kommun", f"Invånare {self.year}", "RegSO", "Typ 1–2", "Typ 3", "Typ 4–5",
                                f"Valdeltagande {self.election}",
                                "Spridning mellan distrikt (p.e.)"],
                               rows, caption=f"Områdestyper {ty} och valdeltagande per kommun")}
