"""Utforska panel "Skillnader mellan områdestyper": the chosen and the comparison kommun per type beside riket, a story lead, CSV rows.

Data come from :mod:`barometer.omradestyp_compare` (the published table); markup from
``templates/omradestyp_panel.html.j2``, styles in ``templates/explorer.css``. The explorer adds
:attr:`OmradestypPanel.widget` to its grid, calls :meth:`OmradestypPanel.show` when a kommun is chosen, and appends
:meth:`OmradestypPanel.csv_rows` to its download.
"""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from barometer import omradestyp_compare as oc
from barometer.app.templating import render
from barometer.text import compare_word, num

ROWS = [*oc.TYPES, *oc.GROUPS, "skillnad"]


def _cell(indicator: str, row: str, value) -> str:
    if row == "skillnad":
        if value != value:
            return "–"
        return num(value, 2) if indicator == "medelloneinkomst" else f"{num(value, 1)} p.e."
    return oc.fmt(indicator, value)


def lead(code: str, name: str, year: int, indicator: str | None = None) -> str:
    """A story lead for the kommun's largest gap between areas of type 1–2 and 4–5 (or why there is none).

    With ``indicator`` the lead is about that indicator instead of the largest gap.
    """
    single = oc.single_type_sentence("kommun", code, year, name, table=False)
    if single:
        return single
    gaps = oc.gaps("kommun", code, year)
    if indicator is not None:
        gaps = [g for g in gaps if g["indicator"] == indicator]
    g = max((g for g in gaps if g["size"] == g["size"]), key=lambda x: x["size"], default=None)
    if g is None:
        return ""
    ind = g["indicator"]
    if ind == "medelloneinkomst":
        times = g["v45"] / g["v12"]
        riket = g["riket_v45"] / g["riket_v12"]
        comp = compare_word(riket, times, 1, ("mindre än", "lika stor som", "större än"))
        return (f"I {name} är medellöneinkomsten i områden av typ 4–5 {num(times, 1)} gånger så hög som i typ 1–2 "
                f"({oc.fmt(ind, g['v45'])} mot {oc.fmt(ind, g['v12'])}); skillnaden är {comp} i riket "
                f"({num(riket, 1)} gånger).")
    comp = compare_word(abs(g["riket_gap"]), abs(g["gap"]), 2 if ind == "medelloneinkomst" else 1,
                        ("mindre än", "lika stor som", "större än"))
    return (f"I {name} är {g['what']} {oc.fmt(ind, g['v12'])} i områden av typ 1–2 mot {oc.fmt(ind, g['v45'])} "
            f"i typ 4–5, en skillnad på {oc.fmt_gap(ind, abs(g['gap']))}; den är {comp} i riket "
            f"({oc.fmt_gap(ind, abs(g['riket_gap']))}).")


def view(code: str, name: str, year: int, indicator: str, other: tuple[str, str] | None = None) -> dict:
    """The panel's data: ``columns``, ``rows`` (label, cells, group), ``leads``, ``note``, ``year``, ``label``."""
    yr = oc.type_year(year)
    def one(c):  # the cached rows of all shown indicators, then this one
        r = oc.rows("kommun", c, yr)
        return r[r["indicator"] == indicator].set_index("omradestyp")

    own = one(code)
    frames = [(name, own)]
    if other is not None and other[0] != code:
        frames.append((other[1], one(other[0])))
    columns = [f"RegSO i {name}"] + [n for n, _ in frames] + ["Riket"]
    rows = []
    for t in ROWS:
        label = "Skillnad 1–2 mot 4–5" if t == "skillnad" else oc.TYPE_SHORT[t]
        n = "" if t == "skillnad" else str(int(own.loc[t, "n_regso"])) if t in own.index else "–"
        cells = [n] + [_cell(indicator, t, f.loc[t, "value"]) if t in f.index else "–" for _, f in frames]
        cells.append(_cell(indicator, t, own.loc[t, "riket"]) if t in own.index else "–")
        rows.append({"label": label, "cells": cells, "group": t in ("1-2", "4-5", "skillnad")})
    leads = [lead(code, name, yr, indicator)]
    if other is not None and other[0] != code:
        leads.append(lead(other[0], other[1], yr, indicator))
    meta = oc.INDICATORS[indicator]
    note = (f"{meta['label']} ({meta['unit']}) summerat över kommunens RegSO-områden av varje områdestyp {yr} "
            "(SCB/Delmos områdestyper; SCB). ”–”: kommunen har inget område av typen. Skillnad: procentenheter "
            "(p.e.) för andelar, kvoten typ 1–2 / typ 4–5 för inkomst. RegSO: antal områden av typen i den valda kommunen.")
    if indicator == "medelloneinkomst":
        note += " Medellöneinkomsten per typ är ett befolkningsviktat närmevärde i fasta priser."
    return {"code": code, "year": yr, "label": meta["label"], "columns": columns, "rows": rows,
            "leads": [x for x in leads if x], "note": note}


def csv_rows(code: str, name: str, year: int, sources: dict | None = None) -> pd.DataFrame:
    """Every figure of the panel (all indicators, types, the kommun and riket) in the explorer's CSV layout."""
    yr = oc.type_year(year)
    r = oc.rows("kommun", code, yr)
    sources = sources or {}
    out = []
    for x in r.itertuples():
        what = f"{oc.INDICATORS[x.indicator]['label'].lower()} ({x.unit}), områdestyp {x.omradestyp}"
        src = sources.get(x.source_id, x.source_id) + "; " + sources.get(x.type_source_id, x.type_source_id)
        out.append(("områdestyper, skillnader", name, yr, what, x.value, code, src))
        out.append(("områdestyper, skillnader", "Riket", yr, what, x.riket, "00", src))
    df = pd.DataFrame(out, columns=["avsnitt", "område", "år", "mått", "värde", "områdeskod", "källa"])
    df.insert(0, "kommun", name)
    df.insert(0, "kommunkod", code)
    return df


class OmradestypPanel:
    """The panel as a widget: an indicator dropdown above the table; :meth:`show` re-renders it."""

    def __init__(self):
        self.indicator = w.Dropdown(options=[(m["label"], i) for i, m in oc.INDICATORS.items()],
                                    value="andel_utrikes_fodda", description="Indikator:",
                                    layout=w.Layout(width="300px"))
        self.html = w.HTML(layout=w.Layout(min_width="0"))
        self.widget = w.VBox([self.indicator, self.html], layout=w.Layout(min_width="0"))
        self._args = None
        self.indicator.observe(lambda _: self._render(), names="value")

    def show(self, code: str, name: str, year: int, other: tuple[str, str] | None = None) -> None:
        """Render for the kommun ``code`` (and the comparison kommun ``other`` = (code, name))."""
        changed = self._args is None or self._args[0] != code
        self._args = (code, name, year, other)
        if changed:  # open on the indicator with the kommun's largest gap (the story lead)
            g = oc.largest_gap("kommun", code, oc.type_year(year))
            if g is not None and g["indicator"] != self.indicator.value:
                self.indicator.value = g["indicator"]  # renders through the observer
                return
        self._render()

    def _render(self) -> None:
        if self._args is None:
            return
        code, name, year, other = self._args
        self.html.value = render("omradestyp_panel.html.j2", **view(code, name, year, self.indicator.value, other))
