"""Kommunrapport's small-area maps and DeSO income: data (figures with text alternatives, sentences), no markup.

:func:`area_maps` returns what ``templates/sections/_omradeskartor.html.j2`` renders inside the Karta
section:

* where the build published RegSO geometry for the kommun (``barometer.maps``): a map of the RegSO
  coloured by områdestyp (legend, the type 1–2 areas numbered on the map and named beside it) and a
  map coloured by the share of foreign-born residents, each a figure with a text alternative and a
  sentence giving the same key facts; plus, with DeSO geometry, DeSO coloured by median net income;
* everywhere: DeSO median net income (≈2019) – highest and lowest DeSO, their ratio and the weighted
  spread from the published measures – when the kommun has more DeSO than RegSO (a finer picture);
* elsewhere ``hint``: how to get the maps.

Maps are drawn with geopandas/matplotlib in SWEREF 99 TM from the published layer; nothing is
simplified here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import maps, store, text
from . import charts
from .templating import figure

HINT = ("En karta över kommunens RegSO- och DeSO-områden visas när gränserna finns i datalagret. "
        "Den här datamängden har gränser för Uppsala läns kommuner; hämta övriga från SCB:s öppna geodata "
        "med barometer fetch --geometries och kör barometer build.")
#: Colour-blind-safe sequential classes (ColorBrewer YlGnBu, light → dark), up to six.
SEQ = ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"]
DESO_MEASURES = ("max_mediannettoinkomst_deso", "min_mediannettoinkomst_deso",
                 "inkomstkvot_max_min_deso_ej_oji", "inkomstspridning_cv_deso_ej_oji")


def _geo_source(r, g) -> str:
    """'gränser: <publisher> <title>' for the source rows behind the polygons (and cite them)."""
    ids = sorted(set(g["source_id"].astype(str)))
    parts = []
    for sid in ids:
        if sid in r.sources.index:
            s = r.sources.loc[sid]
            r.use_source(sid, [])
            parts.append(f"{s['publisher']}, {s['title']}")
    return "Gränser: " + "; ".join(parts) + " (förenklade för visning)." if parts else ""


def _classes(r, indicator: str, year: int, decimals: int = 0) -> list[float]:
    """Class edges of the kommun's map of ``indicator`` in ``year``, rounded for the legend, unique.

    The breaks are the build's (Fisher–Jenks natural breaks, :func:`barometer.maps.class_breaks`);
    ``[0, 1]`` when the kommun has no value.
    """
    found = maps.class_breaks(r.code, indicator, year)
    if found is None:
        return [0.0, 1.0]
    lowest, breaks = found
    step = 10 ** -decimals
    edges = [np.floor(lowest / step) * step] + [round(b, decimals) for b in breaks[:-1]] + [np.ceil(breaks[-1] / step) * step]
    out: list[float] = []
    for e in edges:
        if not out or e > out[-1]:
            out.append(float(e))
    return out if len(out) > 1 else [out[0], out[0] + step]


def _class_of(v: float, edges: list[float]) -> int:
    if v != v:
        return -1
    return int(min(max(np.searchsorted(edges, v, side="right") - 1, 0), len(edges) - 2))


def _zoom_box(g):
    """Bounds of the dense part (areas smaller than the median) when it is a small part of the kommun."""
    if len(g) < 6:
        return None
    area = g.area
    small = g[area <= area.median()]
    x0, y0, x1, y1 = small.total_bounds
    X0, Y0, X1, Y1 = g.total_bounds
    if (x1 - x0) * (y1 - y0) > 0.15 * (X1 - X0) * (Y1 - Y0):
        return None
    half = 0.56 * max(x1 - x0, y1 - y0)  # a square around the dense part (the zoom panel is about square)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return (cx - half, cy - half, cx + half, cy + half)


def _draw(g, colours, title: str, handles, alt: str, labels=None, key_lines=None) -> str:
    """A choropleth of ``g`` (EPSG:3006); with a zoom on the dense part when the kommun needs one."""
    from matplotlib import patheffects
    from matplotlib.patches import Rectangle

    colours = list(colours)
    outline = g.dissolve().boundary
    zoom = _zoom_box(g)

    def paint(ax):
        g.plot(ax=ax, color=colours, edgecolor="#4d4d4d", linewidth=0.35)
        outline.plot(ax=ax, color="#1a1a1a", linewidth=0.8)
        ax.set_axis_off()
        ax.set_aspect("equal")

    if zoom is None:
        fig = charts.new_figure(7.0, 5.6)
        ax = fig.subplots()
        paint(ax)
        side, label_axes = ax, [(ax, None)]
        legend_at, key_at = (1.0, 1.0), (1.02, 0.45)
    else:
        # the zoom is the main panel (left); the whole kommun with the zoomed box top right, key below it
        fig = charts.new_figure(7.4, 5.6)
        gs = fig.add_gridspec(2, 2, height_ratios=[1.0, 1.3], width_ratios=[1.75, 1.0], hspace=0.06, wspace=0.04)
        ax1 = fig.add_subplot(gs[:, 0])
        ax0 = fig.add_subplot(gs[0, 1])
        side = fig.add_subplot(gs[1, 1])
        side.set_axis_off()
        paint(ax0)
        paint(ax1)
        ax1.set_xlim(zoom[0], zoom[2])
        ax1.set_ylim(zoom[1], zoom[3])
        ax0.add_patch(Rectangle((zoom[0], zoom[1]), zoom[2] - zoom[0], zoom[3] - zoom[1], fill=False,
                                edgecolor="#000000", linewidth=1.0, linestyle="--"))
        ax0.annotate("Hela kommunen; streckad ruta = förstoringen", (0.0, -0.02), xycoords="axes fraction",
                     fontsize=6.8, va="top", ha="left")
        label_axes = [(ax1, zoom), (ax0, None)]
        legend_at, key_at = (0.0, 0.88), (0.02, 0.42)
        ax = ax1
    ax.set_title(title, loc="left")
    for x, y, s in labels or []:
        for a, box in label_axes:  # in the zoom when it lies there, else on the overview
            if box is None or (box[0] <= x <= box[2] and box[1] <= y <= box[3]):
                a.annotate(s, (x, y), ha="center", va="center", fontsize=7, fontweight="bold", color="#000000",
                           path_effects=[patheffects.withStroke(linewidth=2.2, foreground="#ffffff")])
                break
    side.legend(handles=handles, frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=legend_at,
                handlelength=1.2)
    if key_lines:
        side.text(*key_at, "\n".join(key_lines), transform=side.transAxes, fontsize=6.8, va="top", ha="left",
                  linespacing=1.35)
    return _fit(charts.to_svg(fig, alt))


def _fit(svg: str, max_height_mm: float = 125.0, max_width_mm: float = 170.0) -> str:
    """Give the SVG a printed width so that its height stays ≤ ``max_height_mm`` (the map, its heading
    and sentence then fit on one page together)."""
    import re

    m = re.search(r'viewBox="[\d.\-]+ [\d.\-]+ ([\d.]+) ([\d.]+)"', svg)
    if not m:
        return svg
    w, h = float(m.group(1)), float(m.group(2))
    width = min(max_width_mm, max_height_mm * w / h)
    return svg.replace("<svg ", f'<svg style="width: {width:.0f}mm; max-width: 100%" ', 1)


def _type_map(r, g, year: int) -> tuple[dict, str, list[dict]]:
    from matplotlib.patches import Patch

    typ = r._rows("omradestyp", "regso", [year])
    types = dict(zip(typ["area_code"], typ["value"]))
    g = g.assign(typ=g["code"].map(types))
    colours = g["typ"].map(lambda t: maps.TYPE_COLOURS.get(int(t), charts.GREY) if t == t else charts.GREY)
    counts = g["typ"].dropna().astype(int).value_counts()
    handles = [Patch(facecolor=c, edgecolor="#4d4d4d", label=f"{t} {maps.TYPE_LABELS[t]} ({int(counts.get(t, 0))})")
               for t, c in maps.TYPE_COLOURS.items()]
    if g["typ"].isna().any():
        handles.append(Patch(facecolor=charts.GREY, edgecolor="#4d4d4d", label=f"utan typ ({int(g['typ'].isna().sum())})"))
    chall = g[g["typ"].isin([1, 2])].sort_values(["typ", "name"])
    named = [{"nr": i + 1, "name": n, "typ": int(t)} for i, (n, t) in enumerate(zip(chall["name"], chall["typ"]))]
    pts = chall.geometry.representative_point()
    labels = [(p.x, p.y, str(i + 1)) for i, p in enumerate(pts)]
    key = ["Områden med socioekonomiska", "utmaningar (typ 1–2):"] + [f"{d['nr']}  {d['name']} (typ {d['typ']})" for d in named]
    if not named:
        key = ["Inga områden av typ 1–2."]
    n = len(g)
    counts_txt = ", ".join(f"{int(counts.get(t, 0))} av typ {t}" for t in range(1, 6))
    names_txt = text.join_sv([f"{d['name']} (typ {d['typ']})" for d in named]) if named else ""
    sentence = (f"Av kommunens {n} RegSO-områden var {counts_txt} år {year}."
                + (f" Områden med socioekonomiska utmaningar (typ 1–2): {names_txt}." if named
                   else " Inget område hade typ 1 eller 2."))
    alt = f"Karta: {n} RegSO-områden i {r.area.name} färgade efter områdestyp {year}. " + sentence
    title = f"RegSO-områden i {r.area.name} efter områdestyp {year}"
    svg = _draw(g, colours, title, handles, alt, labels=labels, key_lines=key)
    source = r.source_note(typ["source_id"].unique(), [year]) + " " + _geo_source(r, g)
    fig = figure(svg, f"RegSO-områdena i {r.area.name}, färgade efter områdestyp {year}; områden av typ 1–2 är numrerade.",
                 source.strip(), alt, "areamap")
    return fig, sentence, named


def _value_map(r, g, values: pd.Series, *, indicator: str, year: int, title: str, caption: str, unit: str, fmt, source: str,
               what: str, level_word: str, decimals: int = 0) -> tuple[dict, str]:
    from matplotlib.patches import Patch

    g = g.assign(v=g["code"].map(values))
    edges = _classes(r, indicator, year, decimals)
    k = len(edges) - 1
    pal = [SEQ[int(round(i * (len(SEQ) - 1) / max(k - 1, 1)))] for i in range(k)]
    colours = [pal[_class_of(v, edges)] if v == v else charts.GREY for v in g["v"]]
    handles = [Patch(facecolor=pal[i], edgecolor="#4d4d4d", label=f"{fmt(edges[i])}–{fmt(edges[i + 1])} {unit}".strip())
               for i in range(k)]
    if g["v"].isna().any():
        handles.append(Patch(facecolor=charts.GREY, edgecolor="#4d4d4d", label=f"uppgift saknas ({int(g['v'].isna().sum())})"))
    s = g.dropna(subset=["v"]).sort_values("v")
    if s.empty:
        sentence = f"{what} saknas för kommunens {level_word}."
    else:
        lo, hi = s.iloc[0], s.iloc[-1]
        sentence = (f"{what} var högst i {hi['name']} ({fmt(hi['v'])} {unit}) och lägst i {lo['name']} "
                    f"({fmt(lo['v'])} {unit}), bland {len(s)} {level_word}.").replace("  ", " ").replace(" )", ")")
    alt = f"Karta: {len(g)} {level_word} i {r.area.name} färgade i {k} klasser efter {what[0].lower() + what[1:]}. " + sentence
    svg = _draw(g, colours, title, handles, alt)
    caption = f"{caption}, i {k} klasser (naturliga brytpunkter)."
    return figure(svg, caption, source, alt, "areamap"), sentence


def _deso_income(r, n_regso: int) -> dict | None:
    """The DeSO income measures of the kommun (≈2019) and sentences; None without data."""
    try:
        m = store.measures_table(level="kommun", codes=[r.code], years=[2019], measures=list(DESO_MEASURES))
    except Exception:  # no measures table published
        return None
    if m is None or m.empty:
        return None
    row = {k: m[m["measure"] == k].iloc[0] for k in DESO_MEASURES if (m["measure"] == k).any()}
    if len(row) < 4 or not np.isfinite(row["max_mediannettoinkomst_deso"]["value"]):
        return None
    n_deso = int(row["max_mediannettoinkomst_deso"]["n_areas"])
    hi, lo = row["max_mediannettoinkomst_deso"], row["min_mediannettoinkomst_deso"]
    src = [s for s in str(hi.get("source_ids", "")).split("; ") if s]
    for s in src:
        r.use_source(s, [2019])
    strip = lambda n: str(n).split(" (", 1)[-1].rstrip(")") if str(n).startswith("DeSO ") else str(n)  # noqa: E731
    sentence = (f"Medianvärdet av nettoinkomst (omkring 2019) var högst i DeSO {hi['omrade_kod']} i {strip(hi['omrade'])} "
                f"({text.tkr(hi['value'])}) och lägst i DeSO {lo['omrade_kod']} i {strip(lo['omrade'])} "
                f"({text.tkr(lo['value'])}): {text.num(row['inkomstkvot_max_min_deso_ej_oji']['value'], 1)} gånger så högt. "
                f"Den befolkningsviktade spridningen (variationskoefficient) mellan kommunens {n_deso} DeSO var "
                f"{text.num(row['inkomstspridning_cv_deso_ej_oji']['value'], 2)}.")
    note = ("Året är ungefärligt (källan anger det inte) och siffrorna är ett forskningsprojekts (MobiSegInsights) "
            "kopia av SCB-data. Måtten jämför områdenas medianer; de är inte det officiella ojämlikhetsindexet, "
            "som bygger på hur personer i de lägsta och högsta inkomstgrupperna fördelar sig.")
    return {"n_deso": n_deso, "n_regso": n_regso, "finer": n_deso > n_regso, "sentence": sentence, "note": note,
            "source": r.source_note(src, [2019]) if src else ""}


def area_maps(r) -> dict:
    """Small-area maps and DeSO income for a :class:`~barometer.report.context.KommunReport`.

    Returns
    -------
    dict
        ``available`` (RegSO geometry published), ``hint`` (sentence when not), ``type_map`` /
        ``type_sentence`` / ``type_named`` (list of ``{nr, name, typ}``), ``share_map`` /
        ``share_sentence``, ``deso_map`` / ``deso_sentence`` (None without DeSO geometry) and
        ``deso_income`` (dict with ``sentence``, ``note``, ``source``, ``finer``; or None).
    """
    out = {"available": False, "hint": HINT, "type_map": None, "type_sentence": "", "type_named": [],
           "share_map": None, "share_sentence": "", "deso_map": None, "deso_sentence": "", "deso_income": None}
    g = maps.regso_geometries(r.code)
    a = store.areas_table()
    n_regso = int(((a["level"] == "regso") & (a["kommun_code"] == r.code)).sum())
    out["deso_income"] = _deso_income(r, n_regso)
    if g is None:
        return out
    out["available"] = True
    g = g.to_crs(3006)
    from ..omradestyp_compare import type_year  # the report's own rule for the områdestyp year

    out["type_map"], out["type_sentence"], out["type_named"] = _type_map(r, g, type_year(r.year))

    share_year = r.year  # a report year: RegSO shares exist for every one
    sh = r._rows("andel_utrikes_fodda", "regso", [share_year])
    out["share_map"], out["share_sentence"] = _value_map(
        r, g, sh.set_index("area_code")["value"], indicator="andel_utrikes_fodda", year=share_year,
        title=f"Andel utrikes födda per RegSO {share_year}",
        caption=f"RegSO-områdena i {r.area.name} efter andel utrikes födda {share_year} (procent av befolkningen)",
        unit="%", fmt=lambda v: text.num(v, 0), what=f"Andelen utrikes födda {share_year}", level_word="RegSO-områden",
        source=(r.source_note(sh["source_id"].unique(), [share_year]) + " " + _geo_source(r, g)).strip())

    d = maps.deso_geometries(r.code)
    inc = r._rows("mediannettoinkomst_deso", "deso", [2019])
    if d is not None and len(inc):
        d = d.to_crs(3006)
        d["name"] = d["code"] + " " + d["name"].str.extract(r"\((.*)\)$", expand=False).fillna("")
        out["deso_map"], out["deso_sentence"] = _value_map(
            r, d, inc.set_index("area_code")["value"], indicator="mediannettoinkomst_deso", year=2019,
            title="Medianvärde nettoinkomst per DeSO, omkring 2019",
            caption=(f"DeSO-områdena i {r.area.name} efter medianvärdet av nettoinkomst (tkr), omkring 2019 (året är "
                     "ungefärligt; forskningsprojektets kopia av SCB-data)"),
            unit="tkr", fmt=lambda v: text.num(v, 0), what="Medianvärdet av nettoinkomst (omkring 2019)",
            level_word="DeSO-områden",
            source=(r.source_note(inc["source_id"].unique(), [2019]) + " " + _geo_source(r, d)).strip())
    return out
