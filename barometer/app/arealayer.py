"""Utforska's small-area layer: a kommun's RegSO or DeSO (GeoJSON published by the build) coloured by
områdestyp, by the map's indicator or by DeSO median income (≈2019), with name and value on hover or click.

The polygons come ready from the store (``data/store/geometry/geojson.parquet``, one FeatureCollection
text per kommun and level, read with a Parquet filter by :func:`barometer.maps.kommun_geojson_text`);
a session only adds colours and values from the kommun's own rows. No geopandas, no simplification
per session. Kommuner without published geometry get a one-line hint instead.
"""

from __future__ import annotations

import json

import ipywidgets as w
import numpy as np
import pandas as pd

from barometer import maps
from barometer.app.templating import render
from barometer.text import num, pct, tkr, with_year

#: ColorBrewer RdPu: a different hue from the kommun map (YlGnBu) underneath, so the two never blend.
PALETTE = ["#feebe2", "#fbb4b9", "#f768a1", "#c51b8a", "#7a0177"]
MISSING = "#d9d9d9"
EMPTY = {"type": "FeatureCollection", "features": []}
TYPE_MODE, INDICATOR_MODE, DESO_MODE, OFF = ("Områdestyp (RegSO)", "Kartans indikator (RegSO)",
                                             "Medianinkomst ca 2019 (DeSO)", "Dölj områden")
MODES = (TYPE_MODE, INDICATOR_MODE, DESO_MODE, OFF)
#: Store indicators that exist per RegSO, with their formatter (others fall back to områdestyp).
REGSO_FORMAT = {"andel_utrikes_fodda": pct, "andel_hyresratt": pct, "befolkning": num, "medelloneinkomst": tkr}
DESO_INDICATOR = "mediannettoinkomst_deso"
DESO_NOTE = ("Medianvärde av nettoinkomst per DeSO, omkring 2019: året är ungefärligt och siffrorna är ett "
             "forskningsprojekts kopia av SCB-data.")
SHORT_TYPE_LABELS = {1: "stora utmaningar", 2: "utmaningar", 3: "blandade", 4: "goda förutsättningar",
                     5: "mycket goda förutsättningar"}


def _published_classes(values: pd.Series, kommun: str, indicator: str, year: int) -> tuple[pd.Series, list[float]]:
    """Class (0-based) of each value by the breaks the build published for this kommun's map
    (:func:`barometer.maps.class_breaks`, Fisher–Jenks, as in the kommunrapport), and the class edges
    ``[minimum, break 1, …]``. No published breaks (no value): no classes."""
    found = maps.class_breaks(kommun, indicator, year)
    v = values.dropna()
    if found is None or v.empty:
        return pd.Series(dtype="Int8"), []
    lowest, breaks = found
    cls = np.minimum(np.searchsorted(breaks, v.to_numpy(float), side="left"), len(breaks) - 1)  # a break is its class's upper bound
    return pd.Series(cls, index=v.index), [lowest, *breaks]



def _area_phrase(omrade) -> str:
    """``"DeSO 1280C2210 (Bellevue-Nya Bellevue)"`` → ``"DeSO 1280C2210 i Bellevue-Nya Bellevue"``, so a
    value can follow in brackets-free text (no ``(…) (…)``)."""
    import re

    return re.sub(r"(DeSO \S+) \(([^()]+)\)", r"\1 i \2", str(omrade))

class AreaLayer:
    """Manages the explorer's RegSO/DeSO GeoJSON layer, its key, the mode picker and the hover text.

    ``AreaLayer(map, layer, hover)``: ``map`` is the ipyleaflet Map, ``layer`` its GeoJSON layer for
    small areas, ``hover`` the HTML widget that shows the hovered area. Call :meth:`show` with the
    kommun code, its :class:`~barometer.app.model.KommunData` and the map indicator id.
    """

    def __init__(self, map_, layer, hover):
        self.map, self.layer, self.hover = map_, layer, hover
        self.layer.hover_style = {"weight": 2.5, "color": "#000000", "fillOpacity": 0.9}
        self.mode = w.Dropdown(options=list(MODES), value=TYPE_MODE, description="Områden:",
                               layout=w.Layout(width="300px"))
        self.info = w.HTML(layout=w.Layout(min_width="0"))
        self.widget = w.HBox([self.mode, self.info], layout=w.Layout(flex_flow="row wrap", align_items="center", width="100%"))
        self.legend_title, self.legend = "", {}  # shown as a compact HTML key beside the picker (not over the map)
        self.layer.on_hover(self._on_hover)
        self.layer.on_click(self._on_hover)
        self.mode.observe(lambda _: self.refresh(), names="value")
        self.code, self.data, self.indicator = None, None, None
        self.values: dict[str, str] = {}
        #: called with the kommun's published outline (a FeatureCollection dict that fits its small
        #: areas) when the layer is shown, or None when it is not: the explorer frames the kommun with it
        self.on_outline = None

    # -- public --------------------------------------------------------------------------------------
    def show(self, code: str, data, indicator: str | None) -> bool:
        """Show the small areas of kommun ``code``; True when it has published geometry."""
        self.code, self.data, self.indicator = code, data, indicator
        return self.refresh()

    def refresh(self, indicator: str | None = None) -> bool:
        if indicator is not None:
            self.indicator = indicator
        if self.code is None or self.mode.value == OFF:
            return self._clear()
        level = "deso" if self.mode.value == DESO_MODE else "regso"
        # the published index (read once per store version) says whether there is a layer to read
        found = maps.kommun_geojson_text(self.code, level) if self.code in maps.kommuner_with_geometry(level) else None
        if found is None:  # no boundaries: still the DeSO income gaps, where DeSO are finer than RegSO
            spread = self._deso_spread()
            return self._clear(hint=True, spread=spread)
        doc = json.loads(found[0])
        if self.mode.value == DESO_MODE:
            title, legend, note = self._colour_by_value(doc, DESO_INDICATOR, "deso", tkr)
            note = note or DESO_NOTE + self._deso_spread()
        elif self.mode.value == INDICATOR_MODE and self.indicator in REGSO_FORMAT:
            title, legend, note = self._colour_by_value(doc, self.indicator, "regso", REGSO_FORMAT[self.indicator])
        else:
            title, legend, note = self._colour_by_type(doc)
            if self.mode.value == INDICATOR_MODE:
                note = "Kartans indikator finns inte per RegSO; områdena visas efter områdestyp."
        self.layer.data = doc
        self.legend_title, self.legend = title, legend
        self.info.value = render("area_key.html.j2", title=title, legend=legend, note=note)
        outline = maps.kommun_geojson_text(self.code, "outline")
        self._outline(json.loads(outline[0]) if outline else None)
        return True

    def _outline(self, doc: dict | None) -> None:
        if self.on_outline is not None:
            self.on_outline(doc)

    # -- colouring -----------------------------------------------------------------------------------
    def _rows(self, indicator: str, level: str) -> pd.DataFrame:
        if self.data is None:
            return pd.DataFrame(columns=["level", "indicator", "group", "year", "area_code", "value"])
        return self.data.rows(level, indicator, "totalt")

    def _colour_by_type(self, doc: dict) -> tuple[str, dict, str]:
        year = getattr(self.data, "omradestyp_year", None)
        types = self.data.regso_types() if self.data is not None else {}
        names = self.data.regso_names() if self.data is not None else {}
        self.values = {}
        for f in doc["features"]:
            code = f["properties"]["code"]
            typ = types.get(code)
            f["properties"]["name"] = names.get(code, f["properties"].get("name", code))
            f["properties"]["omradestyp"] = typ
            f["properties"]["style"] = {"fillColor": maps.TYPE_COLOURS.get(typ, MISSING), "color": "#333333",
                                        "weight": 0.8, "fillOpacity": 0.92}
            self.values[code] = f"typ {typ} – {maps.TYPE_LABELS[typ]}" if typ else "områdestyp saknas"
        legend = {f"{t} {label}": maps.TYPE_COLOURS[t] for t, label in SHORT_TYPE_LABELS.items()}
        return f"Områdestyp {year or ''}".strip(), legend, ""

    def _colour_by_value(self, doc: dict, indicator: str, level: str, fmt) -> tuple[str, dict, str]:
        rows = self._rows(indicator, level)
        if rows.empty:
            for f in doc["features"]:
                f["properties"]["style"] = {"fillColor": MISSING, "color": "#333333", "weight": 0.6, "fillOpacity": 0.6}
            self.values = {f["properties"]["code"]: "uppgift saknas" for f in doc["features"]}
            return "", {"uppgift saknas": MISSING}, "Värden saknas för kommunens områden."
        year = int(rows["year"].max())
        vals = rows[rows["year"] == year].set_index("area_code")["value"]
        cls, edges = _published_classes(vals, self.code, indicator, year)
        self.values = {}
        for f in doc["features"]:
            code = f["properties"]["code"]
            v = vals.get(code, np.nan)
            c = cls.get(code)
            colour = MISSING if pd.isna(v) or c is None or pd.isna(c) else PALETTE[int(c)]
            f["properties"]["value"] = None if pd.isna(v) else float(v)
            f["properties"]["style"] = {"fillColor": colour, "color": "#333333", "weight": 0.6, "fillOpacity": 0.92}
            self.values[code] = fmt(v) + (" (omkring 2019)" if level == "deso" else f" ({year})")
        legend = {f"{fmt(edges[i])} – {fmt(edges[i + 1])}": PALETTE[i] for i in range(len(edges) - 1)}
        legend["uppgift saknas"] = MISSING
        from barometer import catalog

        label = catalog.label(indicator)
        return (label if level == "deso" else with_year(label, year)), legend, ""

    def _deso_spread(self) -> str:
        """' Högst … lägst …, kvot …' (plain text) from the published DeSO measures (not the official index)."""
        from barometer import store

        try:
            m = store.measures_table(level="kommun", codes=self.code, years=[2019],
                                     measures=["max_mediannettoinkomst_deso", "min_mediannettoinkomst_deso",
                                               "inkomstkvot_max_min_deso_ej_oji"])
        except Exception:  # no measures published
            return ""
        if m is None or len(m) < 3:
            return ""
        r = m.set_index("measure")
        n_regso = len(self.data.regso_names()) if self.data is not None else 0
        if int(r.loc["max_mediannettoinkomst_deso", "n_areas"]) <= n_regso:
            return ""  # as many DeSO as RegSO: no finer picture
        hi, lo, q = r.loc["max_mediannettoinkomst_deso"], r.loc["min_mediannettoinkomst_deso"], r.loc["inkomstkvot_max_min_deso_ej_oji"]
        return (f" Högst {_area_phrase(hi['omrade'])}: {tkr(hi['value'])}, lägst {_area_phrase(lo['omrade'])}: "
                f"{tkr(lo['value'])}; kvot {num(q['value'], 1)}. Kvoten är inte det officiella ojämlikhetsindexet.")

    # -- events --------------------------------------------------------------------------------------
    def _on_hover(self, feature=None, properties=None, **_):
        props = (feature or {}).get("properties", properties or {})
        code = props.get("code", "")
        if not code:
            return
        self.hover.value = render("hover.html.j2", name=str(props.get("name", code)), value=self.values.get(code, ""))

    def _clear(self, hint: bool = False, spread: str = "") -> bool:
        """Empty the layer; with ``hint``, say how to get boundaries (and show the DeSO income ``spread``)."""
        self.layer.data = EMPTY
        self.values = {}
        self.legend_title, self.legend = "", {}
        self.info.value = render("area_note.html.j2", hint=hint, spread=spread, deso_note=DESO_NOTE)
        self._outline(None)
        return False
