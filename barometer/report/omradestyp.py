"""Report section "Skillnader mellan områdestyper" (kommun and län) and its chart: data from the published table.

``skillnader(report)`` returns a :class:`~barometer.report.templating.Section` rendered by
``templates/sections/skillnader_omradestyper.html.j2``; ``summary_sentence(report)`` is the
sentence the Sammanfattning adds. Numbers come from :mod:`barometer.omradestyp_compare`.
"""

from __future__ import annotations

import math

from .. import store, text
from .. import omradestyp_compare as oc
from ..citation import cite
from . import charts
from .templating import Section, figure, table

__all__ = ["skillnader", "summary_sentence", "dot_plot", "source_note"]


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def dot_plot(panels: list[dict], title: str, names: tuple[str, str], alt: str) -> str:
    """One small panel per indicator: områdestyp 1–5 down the side, the unit's value (filled dot)
    beside riket's (open diamond). ``panels``: ``{"label", "unit", "unit_values", "riket_values"}``
    with five values each (NaN where a type has no RegSO)."""
    n = len(panels)
    fig = charts.new_figure(6.3, 2.5)
    axes = fig.subplots(1, n, sharey=True)
    axes = [axes] if n == 1 else list(axes)
    ys = list(range(5))
    for ax, p in zip(axes, panels):
        own = [float("nan") if _nan(v) else v for v in p["unit_values"]]
        rik = [float("nan") if _nan(v) else v for v in p["riket_values"]]
        both = [(y, a, b) for y, a, b in zip(ys, own, rik) if not (_nan(a) or _nan(b))]
        if both:  # one line collection per panel (cheaper to lay out and draw than a line per type)
            ax.hlines(*zip(*both), color=charts.GREY, linewidth=1, zorder=1)
        ax.scatter(rik, ys, marker="D", s=28, facecolors="white", edgecolors=charts.RIKET, linewidths=1.2,
                   zorder=2, label=names[1])
        if names[0] != names[1]:
            ax.scatter(own, ys, marker="o", s=36, color=charts.KOMMUN, zorder=3, label=names[0])
        ax.set_title(p["label"], loc="left", fontsize=9, y=1.0)
        ax.set_xlabel(p["unit"], fontsize=8)
        ax.xaxis.set_major_formatter(charts.comma_formatter())
        ax.tick_params(axis="x", labelsize=7)
        ax.tick_params(axis="y", length=0)  # the types are categories: labels only, no tick marks
        ax.grid(axis="x", color="#EEEEEE", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.margins(x=0.15)
    axes[0].set_yticks(ys, [f"Typ {t}" for t in oc.TYPES])
    axes[0].invert_yaxis()
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles[::-1], labels[::-1], frameon=False, fontsize=8, loc="lower center", ncol=2,
               bbox_to_anchor=(0.5, -0.08))
    fig.suptitle(title, x=0.01, ha="left", fontsize=10, fontweight="bold")
    # fixed margins instead of tight_layout (which draws the figure once more); savefig's tight bbox
    # trims the outside, these only keep titles, panels and axis labels apart
    fig.subplots_adjust(left=0.1, right=0.98, top=0.8, bottom=0.24, wspace=0.14)
    return charts.to_svg(fig, alt)


def source_note(source_ids, years) -> str:
    """'Källa: …' for the sources behind the section (indicator sources and the områdestyp source)."""
    src = store.sources_table().set_index("source_id")
    yrs = sorted({int(y) for y in years})
    parts = [cite(src.loc[s], text.join_sv([str(y) for y in yrs])) for s in sorted(set(source_ids)) if s in src.index]
    return ("Källa: " + "; ".join(parts) + ". Summerat per områdestyp av barometern.") if parts else ""


def gap_cell(indicator: str, value) -> str:
    """A short gap for a table cell: ``31,8 p.e.`` for shares, the ratio ``0,49`` for income."""
    if _nan(value):
        return "–"
    return text.num(value, 2) if indicator == "medelloneinkomst" else f"{text.num(value, 1)} p.e."


def _unit(report):
    """(level, code, name, year) of a KommunReport or LanReport."""
    area = report.area
    return area.level, area.code, (area.name if area.level == "kommun" else area.name), report.year


def data(level: str, code: str, name: str, year: int) -> dict:
    """The section's data: sentence(s), a table per type, the dot plot, notes and sources.

    Keys: ``name, level_word, year, sentence, single, table, figure, notes, source, gaps``.
    """
    yr = oc.type_year(year)
    rows = oc.rows(level, code, yr)
    present = oc.types_present(level, code, yr)
    single = oc.single_type_sentence(level, code, yr, name)
    sentence = "" if single else oc.gap_sentence(level, code, yr, name)
    out = {"name": name, "level_word": oc.LEVEL_WORD[level], "year": yr, "requested_year": int(year),
           "sentence": sentence, "single": single, "table": None, "figure": None, "notes": [], "source": "",
           "gaps": oc.gaps(level, code, yr), "present": present}
    if rows.empty:
        return out
    by = {ind: rows[rows["indicator"] == ind].set_index("omradestyp") for ind in oc.INDICATORS}
    shown = [t for t in oc.TYPES if t in present] + [g for g in oc.GROUPS
                                                     if any(t in present for t in ({"1-2": "12", "4-5": "45"}[g]))]
    word = oc.LEVEL_WORD[level].capitalize()
    header = ["Områdestyp", "RegSO"]
    for ind, meta in oc.INDICATORS.items():
        header += [f"{meta['label']}, {word.lower()}", "riket"]
    body = []
    for t in shown + ["skillnad"]:
        first = by["andel_utrikes_fodda"]
        if t == "skillnad":
            if single:
                continue
            row = ["Skillnad typ 1–2 mot 4–5", ""]
            for ind in oc.INDICATORS:
                x = by[ind]
                row += [gap_cell(ind, x.loc[t, "value"]), gap_cell(ind, x.loc[t, "riket"])]
        else:
            row = [oc.TYPE_SHORT[t], str(int(first.loc[t, "n_regso"]))]
            for ind in oc.INDICATORS:
                x = by[ind]
                star = " *" if x.loc[t, "status"] == "estimated" and ind != "medelloneinkomst" else ""
                row += [oc.fmt(ind, x.loc[t, "value"]) + star, oc.fmt(ind, x.loc[t, "riket"])]
        body.append(row)
    out["table"] = table(header, body, caption=f"Värden per områdestyp {yr} ({oc.LEVEL_WORD[level]} och riket)")
    panels = [{"label": meta["label"], "unit": meta["unit"],
               "unit_values": [float(by[ind].loc[t, "value"]) for t in oc.TYPES],
               "riket_values": [float(by[ind].loc[t, "riket"]) for t in oc.TYPES]} for ind, meta in oc.INDICATORS.items()]
    alt = (f"Punktdiagram per områdestyp {yr}, {name} jämfört med riket. "
           + " ".join(f"{p['label']}: " + "; ".join(
               f"typ {t} {oc.fmt(ind, a)} (riket {oc.fmt(ind, b)})"
               for t, a, b in zip(oc.TYPES, p["unit_values"], p["riket_values"]))
               + "." for ind, p in zip(oc.INDICATORS, panels)))
    names = (name, "Riket")
    svg = dot_plot(panels, f"{name} och riket per områdestyp {yr}", names, alt)
    out["source"] = source_note(set(rows["source_id"]) | set(rows["type_source_id"]), [yr])
    out["figure"] = figure(svg, f"Värden per områdestyp {yr}: {name} (fylld punkt) och riket (romb). "
                                "Typer utan RegSO-område saknar punkt.", out["source"], alt)
    thin = [oc.TYPE_SHORT[t].lower() for t in present if int(by["andel_utrikes_fodda"].loc[t, "n_regso"]) == 1]
    notes = ["Värdena är summerade över områdestypens RegSO-områden: täljare och nämnare var för sig, aldrig "
             "medelvärden av andelar. Medellöneinkomsten per typ är ett befolkningsviktat närmevärde (antalet "
             "inkomsttagare finns inte i källan) och är i fasta priser."]
    if not single:
        notes.append("Skillnad: för andelar typ 1–2 minus typ 4–5 i procentenheter (p.e.); för medellöneinkomsten "
                     "kvoten typ 1–2 / typ 4–5 (under 1 betyder lägre inkomst i typ 1–2). Den största skillnaden "
                     "i texten är den där typ 1–2 och typ 4–5 skiljer sig mest i förhållande till det högre av de "
                     "två värdena, så att andelar och inkomster kan jämföras.")
    if thin:
        notes.append(f"{text.join_sv(thin).capitalize()} bygger på ett enda RegSO-område.")
    if any(s == "estimated" for ind in ("andel_utrikes_fodda", "andel_hyresratt") for s in by[ind]["status"]):
        notes.append("* Uppskattat: värden saknas för något RegSO-område av typen.")
    if yr != int(year):
        notes.append(f"Områdestyper finns för 2022 och 2023; avsnittet visar {yr}.")
    out["notes"] = notes
    if level == "lan":
        out["kommuner"] = _lan_kommuner(code, yr)
    return out


def _lan_kommuner(lan: str, year: int) -> dict:
    """The län's kommuner by their gap in the share of foreign-born (those where a comparison is possible)."""
    r = {ind: oc.ranking("kommun", ind, year, n=400, lan=lan) for ind in oc.INDICATORS}
    base = r["andel_utrikes_fodda"]
    ten = r["andel_hyresratt"].set_index("area_code")["gap"]
    inc = r["medelloneinkomst"].set_index("area_code")["gap"]
    rows = [[x.area_name, f"{int(x.n12)} / {int(x.n45)}", gap_cell("andel_utrikes_fodda", x.gap),
             gap_cell("andel_hyresratt", ten.get(x.area_code)), gap_cell("medelloneinkomst", inc.get(x.area_code))]
            for x in base.itertuples()]
    n_all = int((store.areas_table().query("level == 'kommun'")["lan_code"] == lan).sum())
    return {"table": table(["Kommun", "RegSO typ 1–2 / 4–5", "Skillnad utrikes födda", "Skillnad hyresrätter",
                            "Kvot medellöneinkomst"], rows,
                           caption=f"Kommunerna i länet efter skillnaden i andelen utrikes födda {year}"),
            "n": len(rows), "missing": n_all - len(rows)}


def skillnader(report) -> Section:
    """The section for a :class:`KommunReport` or :class:`LanReport` (its sources are cited in Metod och källor)."""
    level, code, name, year = _unit(report)
    d = data(level, code, name, year)
    if hasattr(report, "use_source") and d["table"] is not None:
        t = oc.rows(level, code, d["year"])
        for sid in set(t["source_id"]) | set(t["type_source_id"]):
            report.use_source(sid, [d["year"]])
    return Section("skillnader_omradestyper", d)


def summary_sentence(report) -> str:
    """The Sammanfattning's sentence on the largest gap between områdestyper (or why there is none)."""
    level, code, name, year = _unit(report)
    from ..exceptions import StoreMissingError

    try:
        return oc.gap_sentence(level, code, oc.type_year(year), name)
    except StoreMissingError:  # a store built before the table existed: the summary goes without
        return ""
