"""Utforska's panels as data: the numbers, sentences and table rows each panel shows, without markup.

One function per panel; ``templates/<panel>.html.j2`` turns its dict into HTML (see
:mod:`barometer.app.templating`), so the facts can be tested without HTML and the look changed in
one place. Inputs are :class:`~barometer.app.model.KommunData` objects and their frames; numbers
stay numbers (the templates format them with :mod:`barometer.text`), table cells are shown text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometer.text import join_sv, num, pct, pp

#: The income panel shows every RegSO up to this many, else the highest and lowest half of it each.
INCOME_BARS = 24

__all__ = ["INCOME_BARS", "compare", "head", "income", "key_figures", "measures", "not_found", "share", "table",
           "tips", "turnout", "types"]


def table(frame: pd.DataFrame, numeric=()) -> dict:
    """A table as data: ``columns`` (str), ``numeric`` (one bool per column: right-aligned number
    column), ``rows`` (one list of str per row; cells are shown as given)."""
    columns = [str(c) for c in frame.columns]
    numeric = {str(c) for c in numeric}
    return {"columns": columns, "numeric": [c in numeric for c in columns],
            "rows": [[str(v) for v in row] for row in frame.itertuples(index=False, name=None)]}


def head(d) -> dict:
    """The heading: ``code``, ``label`` ("Malmö kommun"), ``lan_name``, ``skr_grupp`` ("" when unknown)."""
    return {"code": d.code, "label": d.label, "lan_name": d.lan_name, "skr_grupp": d.skr_grupp or ""}


def key_figures(d) -> dict:
    """Nyckeltal: ``table`` (measure, year, kommun, riket, rank "n av N", source number) and
    ``sources`` (the citation of each numbered source, in order)."""
    kf = d.key_figures()
    tab = pd.DataFrame({"Mått": kf["mått"], "År": kf["år"], d.name: kf["visas"], "Riket": kf["riket_visas"],
                        "Rang (högst = 1)": [f"{int(r)} av {n}" if r == r and r is not None else "–"
                                             for r, n in zip(kf["rang"], kf["antal_kommuner"])],
                        "Källa": [f"[{i}]" for i in range(1, len(kf) + 1)]})
    return {"table": table(tab, {d.name, "Riket", "År", "Rang (högst = 1)"}), "sources": list(kf["källa"])}


def tips(sentences: list[str]) -> dict:
    """Tips till redaktionen: ``tips``, the story leads (empty sentences left out)."""
    return {"tips": [t for t in sentences if t]}


def types(d) -> dict:
    """Områdestyper: ``year`` and ``table`` (type, number of RegSO, inhabitants, share, riket's share)."""
    o = d.omradestyper()
    tab = pd.DataFrame({"Områdestyp": [f"{t}. {lbl}" for t, lbl in zip(o["typ"], o["områdestyp"])],
                        "Antal RegSO": o["antal_regso"], "Invånare": [num(v) for v in o["befolkning"]],
                        "Andel av invånarna": [pct(v) for v in o["andel_befolkning"]],
                        "Riket": [pct(v) for v in o["riket_andel"]]})
    return {"year": o["år"].iloc[0], "table": table(tab, {"Antal RegSO", "Invånare", "Andel av invånarna", "Riket"})}


def income(inc: pd.DataFrame) -> dict:
    """Inkomstskillnader mellan RegSO from ``KommunData.income()`` (sorted highest first, ``tkr``).

    ``empty`` (no rows); else ``year``, ``highest``/``lowest`` ({"name", "tkr"}), ``difference`` (tkr),
    ``times`` (highest / lowest), ``median`` (tkr), ``bars`` ({"name", "tkr", "width": % of the
    highest}), ``gap_after`` (index of the bar after which ``hidden`` RegSO are left out, or None).
    """
    if not len(inc):
        return {"empty": True}
    hi, lo = inc.iloc[0], inc.iloc[-1]
    many = len(inc) > INCOME_BARS
    show = pd.concat([inc.head(INCOME_BARS // 2), inc.tail(INCOME_BARS // 2)]) if many else inc
    top = inc["tkr"].max()
    return {"empty": False, "year": int(hi["år"]),
            "highest": {"name": hi["regso"], "tkr": float(hi["tkr"])},
            "lowest": {"name": lo["regso"], "tkr": float(lo["tkr"])},
            "difference": float(hi["tkr"] - lo["tkr"]), "times": float(hi["tkr"] / lo["tkr"]),
            "median": float(inc["tkr"].median()),
            "bars": [{"name": r.regso, "tkr": float(r.tkr), "width": float(r.tkr / top * 100)} for r in show.itertuples()],
            "gap_after": INCOME_BARS // 2 if many else None, "hidden": len(inc) - INCOME_BARS if many else 0}


def turnout(t: pd.DataFrame) -> dict:
    """Valdeltagande per valdistrikt from ``KommunData.turnout()`` (sorted highest first).

    ``empty`` (fewer than two districts); else ``n`` (districts), ``spread`` (highest − lowest, a
    percentage points) and ``table`` (the five highest and five lowest, or all when at most ten).
    """
    if len(t) < 2:
        return {"empty": True}
    spread = t["valdeltagande"].iloc[0] - t["valdeltagande"].iloc[-1]
    show = pd.concat([t.head(5).assign(grupp="Högst"), t.tail(5).iloc[::-1].assign(grupp="Lägst")]) if len(t) > 10 \
        else t.assign(grupp="")
    tab = pd.DataFrame({"": show["grupp"], "Valdistrikt": show["valdistrikt"],
                        "Valdeltagande": [pct(v) for v in show["valdeltagande"]],
                        "Röstberättigade": [num(v) for v in show["röstberättigade"]]})
    return {"empty": False, "n": len(t), "spread": float(spread), "table": table(tab, {"Valdeltagande", "Röstberättigade"})}


def measures(m: pd.DataFrame | None, message: str) -> dict:
    """Segregationsmått över tid: ``table`` (measure × year, three decimals) or, when the build published
    none (``m`` is None), ``message`` saying why."""
    if m is None:
        return {"table": None, "message": message}
    tab = m.reset_index().rename(columns={"index": "Mått"})
    tab.columns = [str(c) for c in tab.columns]
    for c in tab.columns[1:]:
        tab[c] = [num(v, 3) for v in tab[c]]
    return {"table": table(tab, tab.columns[1:]), "message": ""}


def _spread(frame: pd.DataFrame, column: str, ratio: bool = False) -> float:
    if len(frame) < 2:
        return np.nan
    first, last = frame[column].iloc[0], frame[column].iloc[-1]
    return first / last if ratio else first - last


def compare(a, b) -> dict:
    """Jämförelse of two kommuner (``KommunData``): ``a``, ``b`` (names) and ``table`` (each key figure,
    the turnout spread between districts and the income ratio between RegSO; one kommun column when
    ``a`` and ``b`` are the same kommun)."""
    ka, kb = a.key_figures().set_index("indikator"), b.key_figures().set_index("indikator")
    rows = []
    for ind in ka.index:
        ra = ka.loc[ind]
        rb = kb.loc[ind] if ind in kb.index else None
        rows.append({"Mått": f"{ra['mått']} ({ra['år']})", a.name: ra["visas"], b.name: rb["visas"] if rb is not None else "–",
                     "Riket": ra["riket_visas"]})
    sa, sb = _spread(a.turnout(), "valdeltagande"), _spread(b.turnout(), "valdeltagande")
    rows.append({"Mått": "Skillnad i valdeltagande mellan valdistrikt 2022", a.name: pp(sa), b.name: pp(sb), "Riket": "–"})
    qa, qb = _spread(a.income(), "tkr", ratio=True), _spread(b.income(), "tkr", ratio=True)
    rows.append({"Mått": "Inkomst, högsta RegSO / lägsta RegSO (gånger)", a.name: num(qa, 1), b.name: num(qb, 1), "Riket": "–"})
    tab = pd.DataFrame(rows)
    if a.code == b.code:
        tab = tab.iloc[:, [0, 1, -1]]
    return {"a": a.name, "b": b.name, "table": table(tab, tab.columns[1:])}


def not_found(text: str, hits: list[str]) -> dict:
    """The status line for a name that matches no kommun: ``text`` as typed, ``suggestions`` ("" or "A, B eller C")."""
    return {"text": text, "suggestions": join_sv(hits) if hits else ""}


def share(code: str, name: str, other: tuple[str, str] | None = None) -> dict:
    """Länk till den här vyn: ``query`` (``"?kommun=1280"``, with ``&jamfor=1281`` when a comparison kommun
    ``other`` = (code, name) is chosen; codes, which the page's ``?kommun=`` accepts like names),
    ``kommun``, ``jamfor`` (code or "") and ``label`` ("Malmö" or "Malmö jämfört med Lund")."""
    from urllib.parse import urlencode

    params = {"kommun": code}
    if other is not None:
        params["jamfor"] = other[0]
    return {"query": "?" + urlencode(params), "kommun": code, "jamfor": other[0] if other else "",
            "label": f"{name} jämfört med {other[1]}" if other else name}
