"""The riket overview report by områdestyp (``barometer report --riket``): one method per section, each returning data.

``notebooks/riksrapport.ipynb`` calls the sections in order; ``templates/sections/riket_*.html.j2``
render them. Everything is read from the published table (:mod:`barometer.omradestyp_compare`).
"""

from __future__ import annotations

from datetime import date

from .. import store, text
from .. import omradestyp_compare as oc
from . import charts
from .context import sources_section
from .omradestyp import dot_plot, gap_cell, source_note
from .templating import figure, section, table

__all__ = ["RiketReport", "render"]

YEARS = (2020, 2021, 2022, 2023)
LINE_TYPES = {"1-2": "Typ 1–2", "3": "Typ 3", "4-5": "Typ 4–5"}


def trend_panels(years, panels: list[dict], title: str, alt: str) -> str:
    """Small multiples: one panel per indicator, one line per group of types (fixed classification)."""
    fig = charts.new_figure(6.3, 2.4)
    axes = fig.subplots(1, len(panels))
    axes = list(axes) if len(panels) > 1 else [axes]
    colours = {"1-2": charts.LOW, "3": charts.GREY, "4-5": charts.HIGH}
    for ax, p in zip(axes, panels):
        for key, label in LINE_TYPES.items():
            ax.plot(years, p["series"][key], marker="o", markersize=3, color=colours[key], label=label)
        ax.set_title(p["label"], loc="left", fontsize=9, y=1.0)
        ax.set_xticks(list(years), [str(y) for y in years], fontsize=7)
        ax.yaxis.set_major_formatter(charts.comma_formatter())
        ax.tick_params(axis="y", labelsize=7)
        ax.set_ylabel(p["unit"], fontsize=7)
        ax.margins(y=0.15)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, frameon=False, fontsize=8, loc="lower center", ncol=3, bbox_to_anchor=(0.5, -0.08))
    fig.suptitle(title, x=0.01, ha="left", fontsize=10, fontweight="bold")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return charts.to_svg(fig, alt)


class RiketReport:
    """Riket per områdestyp: the national picture, its development 2020–2023, the largest gaps."""

    def __init__(self, year: int | None = None):
        from barometer.filters import check_report_year  # "2023" ok, "tjugo"/2019 → YearOutOfRangeError

        year = check_report_year(year, "riksrapport")
        self.year = year
        self.type_year = oc.type_year(year)
        self.sources = store.sources_table().set_index("source_id")
        self.used: dict[str, set] = {}

    def _use(self, source_ids, years) -> None:
        for sid in source_ids:
            self.used.setdefault(str(sid), set()).update(int(y) for y in years)

    @section(name="riket_heading")
    def heading(self) -> dict:
        return {"title": "Riket", "year": self.year, "type_year": self.type_year, "created": date.today().isoformat()}

    @section(name="riket_bild")
    def bild(self) -> dict:
        """The national picture per type: ``rows`` (frame), ``population`` shares, a table and a dot plot."""
        yr = self.type_year
        rows = oc.rows("riket", "00", yr)
        pop = oc.rows("riket", "00", yr, indicators=["befolkning"])
        pop_tot = pop[pop["omradestyp"].isin(oc.TYPES)]["value"].sum()
        by = {ind: rows[rows["indicator"] == ind].set_index("omradestyp") for ind in oc.INDICATORS}
        p = pop.set_index("omradestyp")
        body = []
        for t in [*oc.TYPES, *oc.GROUPS, "skillnad"]:
            if t == "skillnad":
                row = ["Skillnad typ 1–2 mot 4–5", "", ""]
                row += [gap_cell(ind, by[ind].loc[t, "value"]) for ind in oc.INDICATORS]
            else:
                row = [oc.TYPE_SHORT[t], text.num(p.loc[t, "n_regso"]), text.pct(100 * p.loc[t, "value"] / pop_tot)]
                row += [oc.fmt(ind, by[ind].loc[t, "value"]) for ind in oc.INDICATORS]
            body.append(row)
        header = ["Områdestyp", "RegSO", "Andel av befolkningen"] + [m["label"] for m in oc.INDICATORS.values()]
        panels = [{"label": m["label"], "unit": m["unit"], "unit_values": [by[i].loc[t, "value"] for t in oc.TYPES],
                   "riket_values": [by[i].loc[t, "value"] for t in oc.TYPES]} for i, m in oc.INDICATORS.items()]
        alt = (f"Punktdiagram: riket per områdestyp {yr}. "
               + " ".join(f"{m['label']}: " + "; ".join(f"typ {t} {oc.fmt(i, by[i].loc[t, 'value'])}" for t in oc.TYPES)
                          + "." for i, m in oc.INDICATORS.items()))
        svg = dot_plot(panels, f"Riket per områdestyp {yr}", ("Riket", "Riket"), alt)
        ids = set(rows["source_id"]) | set(rows["type_source_id"]) | set(pop["source_id"])
        self._use(ids, [yr])
        src = source_note(ids, [yr])
        return {"year": yr, "sentence": oc.gap_sentence("riket", "00", yr, "Riket"),
                "population": {t: float(p.loc[t, "value"] / pop_tot) for t in oc.TYPES},
                "values": {i: {t: float(by[i].loc[t, "value"]) for t in [*oc.TYPES, *oc.GROUPS, "skillnad"]}
                           for i in oc.INDICATORS},
                "table": table(header, body, caption=f"Riket per områdestyp {yr}"),
                "figure": figure(svg, f"Riket per områdestyp {yr}.", src, alt), "source": src}

    @section(name="riket_utveckling")
    def utveckling(self) -> dict:
        """2020–2023 with 2023's types for every year: ``series`` per indicator and group, gap table, chart."""
        years = [y for y in YEARS if y <= self.year]
        series, body = {}, []
        for ind in oc.INDICATORS:
            tr = oc.trend("riket", "00", ind).reindex(years)
            series[ind] = {k: [float(v) for v in tr[k]] for k in [*LINE_TYPES, "skillnad"]}
        for i, y in enumerate(years):
            body.append([str(y)] + [gap_cell(ind, series[ind]["skillnad"][i]) for ind in oc.INDICATORS])
        same = [oc.rows("riket", "00", y) for y in oc.TYPE_YEARS if y <= self.year]
        for y, r in zip(oc.TYPE_YEARS, same):
            g = r[r["omradestyp"] == "skillnad"].set_index("indicator")["value"]
            body.append([f"{y}, samma års typer"] + [gap_cell(ind, g.get(ind)) for ind in oc.INDICATORS])
        panels = [{"label": m["label"], "unit": m["unit"], "series": series[i]} for i, m in oc.INDICATORS.items()]
        alt = (f"Linjediagram {years[0]}–{years[-1]} med {oc.TYPE_YEARS[-1]} års områdestyper: "
               + " ".join(f"{m['label']}: " + "; ".join(
                   f"{LINE_TYPES[k]} från {oc.fmt(i, series[i][k][0])} till {oc.fmt(i, series[i][k][-1])}"
                   for k in LINE_TYPES) + "." for i, m in oc.INDICATORS.items()))
        svg = trend_panels(years, panels, f"Utveckling {years[0]}–{years[-1]} per områdestyp (fast indelning)", alt)
        t = store.sources_table()
        ids = set(oc.rows("riket", "00", years[-1])["source_id"]) | {"scb_omradestyp"}
        ids &= set(t["source_id"])
        self._use(ids, years)
        src = source_note(ids, years)
        g0, g1 = series["andel_utrikes_fodda"]["skillnad"][0], series["andel_utrikes_fodda"]["skillnad"][-1]
        sentence = (f"Med {oc.TYPE_YEARS[-1]} års områdestyper för alla år var skillnaden i andelen utrikes födda "
                    f"mellan typ 1–2 och typ 4–5 {text.pp(g0)} {years[0]} och {text.pp(g1)} {years[-1]}.")
        return {"years": years, "series": series, "sentence": sentence,
                "table": table(["År"] + [f"Skillnad, {m['label'].lower()}" for m in oc.INDICATORS.values()], body,
                               caption="Skillnad mellan typ 1–2 och typ 4–5 per år"),
                "figure": figure(svg, f"Utveckling {years[0]}–{years[-1]} per områdestyp, med {oc.TYPE_YEARS[-1]} "
                                      "års områdestyper för alla år.", src, alt)}

    @section(name="riket_skillnader")
    def skillnader(self) -> dict:
        """Län (all 21) and kommuner (the 10 largest gaps per indicator) ranked by the gap 1–2 vs 4–5."""
        yr = self.type_year
        lan = {i: oc.ranking("lan", i, yr, n=21) for i in oc.INDICATORS}
        base = lan["andel_utrikes_fodda"]
        inc = lan["medelloneinkomst"].set_index("area_code")["gap"]
        ten = lan["andel_hyresratt"].set_index("area_code")["gap"]
        lan_rows = [[f"{r.area_name}", f"{int(r.n12)} / {int(r.n45)}", text.pct(r.v12), text.pct(r.v45),
                     gap_cell("andel_utrikes_fodda", r.gap), gap_cell("andel_hyresratt", ten.get(r.area_code)),
                     gap_cell("medelloneinkomst", inc.get(r.area_code))] for r in base.itertuples()]
        all_lan = store.areas_table()
        n_lan = int((all_lan["level"] == "lan").sum())
        missing = n_lan - len(base)
        kom = {}
        for ind, meta in oc.INDICATORS.items():
            r = oc.ranking("kommun", ind, yr, n=10, min_regso=2)
            kom[ind] = r
        kommun_tables = []
        for ind, meta in oc.INDICATORS.items():
            r = kom[ind]
            kommun_tables.append(table(
                ["Kommun", "RegSO typ 1–2 / 4–5", "Typ 1–2", "Typ 4–5",
                 "Kvot 1–2 / 4–5" if ind == "medelloneinkomst" else "Skillnad"],
                [[r_.area_name, f"{int(r_.n12)} / {int(r_.n45)}", oc.fmt(ind, r_.v12), oc.fmt(ind, r_.v45),
                  gap_cell(ind, r_.gap)] for r_ in r.itertuples()],
                caption=f"{meta['label']}: de 10 kommuner med störst skillnad {yr}"))
        top = kom["andel_utrikes_fodda"].iloc[0] if len(kom["andel_utrikes_fodda"]) else None
        sentence = ""
        if top is not None:
            sentence = (f"Störst skillnad i andelen utrikes födda mellan typ 1–2 och typ 4–5 {yr} hade {top.area_name}: "
                        f"{text.pct(top.v12)} mot {text.pct(top.v45)}, {text.pp(top.gap)}.")
        src = source_note(set(oc.rows("riket", "00", yr)["source_id"]) | {"scb_omradestyp"}, [yr])
        return {"year": yr, "lan": {i: d.to_dict("records") for i, d in lan.items()},
                "kommuner": {i: d.to_dict("records") for i, d in kom.items()}, "sentence": sentence,
                "lan_missing": missing,
                "lan_table": table(["Län", "RegSO typ 1–2 / 4–5", "Utrikes födda, typ 1–2", "typ 4–5",
                                    "Skillnad utrikes födda", "Skillnad hyresrätter", "Kvot medellöneinkomst"],
                                   lan_rows, caption=f"Länen efter skillnaden i andelen utrikes födda {yr}"),
                "kommun_tables": kommun_tables, "source": src}

    @section(name="metod_och_kallor")
    def metod_och_kallor(self) -> dict:
        return sources_section(self.used, self.sources)


def render(year: int | None = None, out_dir=None, engine: str = "papermill", pdf: bool = True):
    """``notebooks/riksrapport.ipynb`` → ``riket-<year>.html`` and ``.pdf`` (a :class:`batch.Result`);
    ``year`` defaults to the store's latest report year."""
    from ..filters import check_report_year
    from ..geography import resolve
    from . import batch

    year = check_report_year(year, "riksrapport")

    area = resolve("00", "riket")
    notebook = batch.notebook_path("riksrapport")
    return batch.render_notebook(area, {"year": int(year)}, f"riket-{int(year)}",
                                  f"Riket – områdestyper {year}", year, out_dir, engine, notebook, pdf, None)


def run_cli(args) -> int:
    """``barometer report --riket [--year Y] [--out DIR] [--no-pdf]``."""
    from . import batch

    result = render(args.year, args.out, engine=args.engine or "papermill", pdf=not args.no_pdf)
    if not result.ok:
        raise batch.as_error(result)
    print(result.html)
    if result.pdf:
        print(result.pdf)
    return 0
