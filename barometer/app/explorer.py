"""Utforska: the Voilà explorer for journalists (kommun picker, offline map, panels, story leads, downloads)."""

from __future__ import annotations

import html
import math
import re
import time

import ipywidgets as w
import numpy as np
import pandas as pd
import traitlets

from barometer.app import downloads, panels
from barometer.app.model import MAP_INDICATORS, KommunData, code_from_option, national
from barometer.app.omradestyp_panel import OmradestypPanel, csv_rows, lead
from barometer.app.templating import render
from barometer.exceptions import BarometerError
from barometer.text import with_year

PALETTE = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
MISSING = "#d9d9d9"

#: How many kommuner's frames a session keeps (see :meth:`Explorer._kommun_data`).
KOMMUN_CACHE = 6

#: The map's size in CSS pixels that zooming plans for (width, height): its smallest usual box. Beside the
#: panels it is at least 400 px wide and as tall as they are; above them (narrow windows) full width and
#: 480 px tall (``.bm-map`` in ``templates/explorer.css``).
MAP_PIXELS = (400, 480)


def view_for_bounds(south: float, west: float, north: float, east: float, width: int, height: int,
                    margin: float = 1.4, zoom_range=(4.0, 10.0), snap: float = 0.25) -> tuple[tuple[float, float], float]:
    """Centre (lat, lon) and Leaflet zoom that show the box [[south, west], [north, east]] (degrees,
    WGS 84) in a ``width`` × ``height`` pixel map (Web Mercator, 256-pixel tiles), with ``margin``
    (1.4 = the box takes 70 % of the limiting side, leaving room for the legend); zoom rounded down to
    ``snap`` and at most 10 (the outlines are simplified to ~1 km, coarse closer in)."""
    merc = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    y0, y1 = merc(south), merc(north)
    span_x = max(east - west, 1e-3) / 360.0
    span_y = max(y1 - y0, 1e-5) / (2 * math.pi)
    zoom = math.log2(min(width / (256 * span_x), height / (256 * span_y)) / margin)
    zoom = min(max(math.floor(zoom / snap) * snap, zoom_range[0]), zoom_range[1])
    lat = math.degrees(math.atan(math.sinh((y0 + y1) / 2)))
    return (round(lat, 4), round((west + east) / 2, 4)), zoom


def kommun_class(code: str) -> str:
    """The CSS class of a kommun's polygon on the map (Leaflet's ``className`` path option): ``"bm-k0381"``."""
    return f"bm-k{code}"


def _slug(text: str) -> str:
    import unicodedata
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_") or "kommun"


class Explorer(w.VBox):
    """The whole explorer as one widget. ``Explorer(kommun="0180")``; set ``picker.value`` to switch."""

    kommun_code = traitlets.Unicode("").tag(sync=False)

    def __init__(self, kommun: str = "0180", map_indicator: str = "Andel utrikes födda", **kwargs):
        self.nat = national()
        self.data: KommunData | None = None
        self.other: KommunData | None = None
        self.last_update_ms = float("nan")
        self._kommun_cache: dict[str, KommunData] = {}

        self.picker = w.Combobox(options=self.nat.options, placeholder="Skriv kommunens namn eller kod, t.ex. malmo eller 1280",
                                 description="Kommun:", ensure_option=False, continuous_update=False,
                                 layout=w.Layout(width="360px"))
        self.compare_picker = w.Combobox(options=self.nat.options, placeholder="Jämför med … (valfritt)",
                                         description="Jämför med:", ensure_option=False, continuous_update=False,
                                         layout=w.Layout(width="330px"), style={"description_width": "90px"})
        self.indicator = w.Dropdown(options=list(MAP_INDICATORS), value=map_indicator, description="Karta:",
                                    layout=w.Layout(width="300px"))
        self.basemap_toggle = w.Checkbox(value=False, description="Bakgrundskarta (kräver internet)", indent=False,
                                         layout=w.Layout(width="260px"))
        self.status = w.HTML(layout=w.Layout(min_height="20px"))
        # a widget fills its column by stretching (flex), not by width 100 %: that and the widgets' own 2 px
        # margins made each panel 4 px wider than its column, which scrolled sideways
        full = dict(min_width="0")
        self.header = w.HTML(layout=w.Layout(**full))
        self.share = w.HTML(layout=w.Layout(**full))  # "Länk till den här vyn", updated on every switch
        self.key_panel = w.HTML(layout=w.Layout(**full))
        self.tips_panel = w.HTML(layout=w.Layout(**full))
        self.typ_panel = w.HTML(layout=w.Layout(**full))
        self.income_panel = w.HTML(layout=w.Layout(**full))
        self.png_button = w.Button(description="Skapa diagram (PNG)", layout=w.Layout(width="200px"))
        self.png_button.on_click(self.make_png)
        self.png_link = w.HTML()
        income_box = w.VBox([self.income_panel, w.HBox([self.png_button, self.png_link], layout=w.Layout(align_items="center"))], layout=w.Layout(min_width="0"))
        self.turnout_panel = w.HTML(layout=w.Layout(**full))
        self.measures_panel = w.HTML(layout=w.Layout(**full))
        self.compare_panel = w.HTML(layout=w.Layout(display="none", **full))  # takes room only when it says something
        self.compare_panel.observe(lambda ch: setattr(self.compare_panel.layout, "display", None if ch["new"] else "none"),
                                   names="value")
        self.typgap = OmradestypPanel()  # skillnader mellan områdestyper (its own module)
        self.downloads = w.HTML(layout=w.Layout(**full))
        # the CSV is built when asked for (like the PNG): a data: link in every session's widgets cost
        # the page ~260 kB and every kommun switch a CSV build
        self.csv_button = w.Button(description="Skapa CSV-fil", layout=w.Layout(width="200px"))
        self.csv_button.on_click(self.make_csv)
        self.csv_link = w.HTML()
        downloads_box = w.VBox([self.downloads, w.HBox([self.csv_button, self.csv_link], layout=w.Layout(align_items="center"))],
                               layout=w.Layout(min_width="0"))
        self.map = self._build_map()
        from barometer.app.arealayer import AreaLayer  # RegSO/DeSO of the chosen kommun (its own module)

        self.areas = AreaLayer(self.map, self.regso_layer, self.hover)
        self.areas.on_outline = self._frame_kommun

        controls = w.HBox([self.picker, self.compare_picker, self.indicator, self.basemap_toggle, self.areas.widget],
                          layout=w.Layout(flex_flow="row wrap", align_items="center"))
        controls.add_class("bm-row")
        # the layout is CSS (templates/explorer.css), so that it follows the window: beside the map the
        # kommun's head, key figures and downloads, the map as tall as they are; on narrow windows the map
        # above them. The other panels flow in balanced columns underneath (no empty block under a short one).
        right = w.VBox([self.header, self.share, self.key_panel, downloads_box])
        right.add_class("bm-col")  # its panels shrink with the column (wide tables scroll inside them)
        mapbox = w.VBox([self.map])
        mapbox.add_class("bm-mapcol")
        top = w.HBox([mapbox, right])
        top.add_class("bm-top")
        flow = w.Box([self.tips_panel, self.typ_panel, self.typgap.widget, income_box, self.turnout_panel, self.measures_panel])
        flow.add_class("bm-flow")
        # the stylesheet and the map's per-kommun rule take no room (a <style> applies wherever it is)
        stylesheet = w.HTML(render("style.html.j2"), layout=w.Layout(display="none"))
        super().__init__([stylesheet, self.map_style, controls, self.status, top, self.compare_panel, flow], **kwargs)
        self.add_class("bm-root")
        
        self.picker.observe(self._on_pick, names="value")
        self.compare_picker.observe(self._on_compare, names="value")
        self.indicator.observe(lambda _: self._paint_map(), names="value")
        self.indicator.observe(lambda _: self.areas.refresh(MAP_INDICATORS[self.indicator.value][0]), names="value")
        self.basemap_toggle.observe(self._on_basemap, names="value")
        self.observe(self._on_kommun, names="kommun_code")
        self._paint_map()
        self.picker.value = self.nat.option_of.get(self._resolve(kommun) or "0180")

    # -- map ---------------------------------------------------------------------------------------
    def _build_map(self):
        import ipyleaflet as L

        self._features = self.nat.features
        # the style all kommuner share is the layer's; each feature carries only its fill colour and code
        # (jupyter-leaflet merges the two), which keeps the 290 outlines in the page's widget state lean
        self.choropleth = L.GeoJSON(data={"type": "FeatureCollection", "features": []},
                                    style={"color": "#ffffff", "weight": 0.5, "fillOpacity": 0.85},
                                    hover_style={"weight": 2, "color": "#1b2a41", "fillOpacity": 0.9}, name="kommuner")
        self.selected_layer = L.GeoJSON(data={"type": "FeatureCollection", "features": []},
                                        style={"color": "#d7301f", "weight": 3, "fillOpacity": 0}, name="vald kommun")
        # RegSO/DeSO of the chosen kommun where the build published geometry (filled by self.areas)
        self.regso_layer = L.GeoJSON(data={"type": "FeatureCollection", "features": []}, name="RegSO/DeSO")
        # with the small areas shown, the chosen kommun's generalised polygon is hidden (a CSS rule on its path's
        # class, see _frame_kommun), so neither its fill nor anything painted over it shows outside their outline:
        # there the map shows what lies under every kommun (its empty colour, or the background map)
        self.map_style = w.HTML(layout=w.Layout(display="none"))
        m = L.Map(center=(63.4, 19.5), zoom=4.5, zoom_snap=0.25,
                  layers=[self.choropleth, self.regso_layer, self.selected_layer],
                  scroll_wheel_zoom=True, attribution_control=False, zoom_control=False)
        # its size is the page layout's (.bm-map in templates/explorer.css), like every box's width below
        m.add_class("bm-map")
        # Leaflet's own buttons say "Zoom in"/"Zoom out" (title and aria-label): Swedish instead
        m.add(L.ZoomControl(position="topleft", zoom_in_title="Zooma in", zoom_out_title="Zooma ut"))
        m.add(L.AttributionControl(position="bottomleft", prefix="Kartgränser: " + html.escape(self.nat.outline_source)))
        self.hover = w.HTML("Klicka på en kommun för att välja den")
        m.add(L.WidgetControl(widget=self.hover, position="topright"))
        self.legend = L.LegendControl({}, title="", position="bottomright")
        m.add(self.legend)
        self.choropleth.on_click(self._on_map_click)
        self.choropleth.on_hover(self._on_map_hover)
        self._tiles = None
        return m

    def _paint_map(self):
        """Colour the kommuner by the published map classes (quantiles) of the chosen indicator."""
        values, year = self.nat.map_values(self.indicator.value)
        classes = self.nat.map_classes(self.indicator.value)
        fmt = MAP_INDICATORS[self.indicator.value][2]
        features = []
        for code, f in self._features.items():
            v = values.get(code, np.nan)
            c = classes.get(code, pd.NA)
            color = MISSING if pd.isna(v) or pd.isna(c) else PALETTE[min(int(c), len(PALETTE)) - 1]
            props = {"kommun_kod": code, "style": {"fillColor": color, "className": kommun_class(code)}}
            features.append({"type": "Feature", "id": code, "geometry": f["geometry"], "properties": props})
        self.choropleth.data = {"type": "FeatureCollection", "features": features}
        # legend: the range of the values in each class
        frame = pd.DataFrame({"v": values, "c": classes.reindex(values.index)}).dropna()
        legend = {}
        for c, g in frame.groupby("c"):
            legend[f"{fmt(g['v'].min())} – {fmt(g['v'].max())}"] = PALETTE[min(int(c), len(PALETTE)) - 1]
        legend["uppgift saknas"] = MISSING
        self.legend.title = with_year(self.indicator.value, year)
        self.legend.legend = legend

    def _frame_kommun(self, outline: dict | None) -> None:
        """Outline the chosen kommun: with its small areas shown, by the published outline of those areas
        (and its generalised polygon hidden); otherwise by the generalised SCB border."""
        code = self.data.code if self.data is not None else None
        feature = self._features.get(code) if code else None
        if outline is not None and feature is not None:
            self.map_style.value = render("map_style.html.j2", hidden=kommun_class(code))
            self.selected_layer.data = outline
        else:
            self.map_style.value = ""
            self.selected_layer.data = {"type": "FeatureCollection", "features": [feature] if feature else []}

    def _paint_regso(self, code: str) -> None:
        """RegSO/DeSO of the chosen kommun from the published geometry (barometer.app.arealayer)."""
        self.has_regso_map = self.areas.show(code, self.data, MAP_INDICATORS[self.indicator.value][0])

    def _on_map_click(self, event=None, feature=None, properties=None, id=None, **_):
        code = (feature or {}).get("id") or (properties or {}).get("kommun_kod")
        if code in self.nat.option_of:
            self.picker.value = self.nat.option_of[code]

    def _on_map_hover(self, feature=None, properties=None, **_):
        props = (feature or {}).get("properties", properties or {})
        code = props.get("kommun_kod", "")
        values, year = self.nat.map_values(self.indicator.value)
        fmt = MAP_INDICATORS[self.indicator.value][2]
        self.hover.value = render("hover.html.j2", name=self.nat.names.get(code, code), value=fmt(values.get(code, np.nan)))

    def zoom_to(self, code: str) -> None:
        """Centre the map on a kommun and zoom so that its bounding box (published with its outline) fills it.

        One update of ``center`` and ``zoom`` (see :func:`view_for_bounds`), so that it works in a
        preheated kernel before any page is attached; ipyleaflet's ``fit_bounds`` instead steps
        the zoom through round trips with the browser.
        """
        (south, west), (north, east) = self._features[code]["properties"]["bounds"]
        if any(pd.isna(x) for x in (south, west, north, east)):
            return
        center, zoom = view_for_bounds(south, west, north, east, *MAP_PIXELS)
        with self.map.hold_sync():  # one message: the page sets centre and zoom together (no pan animation racing)
            self.map.zoom = zoom
            self.map.center = center

    def _on_basemap(self, change):
        import ipyleaflet as L

        if change["new"] and self._tiles is None:
            self._tiles = L.TileLayer(url="https://tile.openstreetmap.org/{z}/{x}/{y}.png", name="OpenStreetMap",
                                      attribution="© OpenStreetMap-bidragsgivare", base=True)
            self.map.layers = (self._tiles,) + tuple(self.map.layers)
        elif not change["new"] and self._tiles is not None:
            self.map.layers = tuple(layer for layer in self.map.layers if layer is not self._tiles)
            self._tiles = None

    # -- selection -------------------------------------------------------------------------------------
    def _resolve(self, text: str, target: w.HTML | None = None) -> str | None:
        from barometer.geography import resolve, suggestions

        text = (text or "").strip()
        if not text:
            return None
        code = code_from_option(text)
        if code in self.nat.names:
            return code
        try:
            return resolve(text, "kommun").code
        except BarometerError:
            (target or self.status).value = render("status.html.j2", **panels.not_found(text, suggestions(text)))
            return None

    def _on_pick(self, change):
        code = self._resolve(change["new"])
        if code is None:
            return
        option = self.nat.option_of[code]
        if self.picker.value != option:
            self.picker.value = option  # canonical "Namn (kod)"; re-enters with the same code
            return
        self.kommun_code = code

    def select(self, kommun: str):
        """Switch to a kommun by code or name."""
        code = self._resolve(kommun)
        if code:
            self.picker.value = self.nat.option_of[code]

    def select_from_query(self, query_string: str | None = None) -> str | None:
        """Preselect from the page address: ``?kommun=malmo`` (and ``&jamfor=lund``).

        Under Voilà with preheated kernels this waits for the request that takes the kernel, so the
        page is already built when it returns. Values go through the same validation as the picker
        (an unknown kommun shows the Swedish message with suggestions); they never reach HTML
        unescaped. Returns the selected code, or None.
        """
        from urllib.parse import parse_qs

        if query_string is None:
            from barometer.app.request_info import query_string as page_query

            query_string = page_query()
        params = parse_qs(query_string or "")
        code = None
        if params.get("kommun"):
            code = self._resolve(params["kommun"][0], self.status)
            if code:
                self.picker.value = self.nat.option_of[code]
        if params.get("jamfor"):
            other = self._resolve(params["jamfor"][0], self.status)
            if other:
                self.compare_picker.value = self.nat.option_of[other]
        return code

    def _on_compare(self, change):
        text = (change["new"] or "").strip()
        if not text:
            self.other = None
            self.compare_panel.value = ""
            if self.data is not None:
                self._render_typgap()
                self._render_downloads()
                self._render_share()
            return
        code = self._resolve(text, self.compare_panel)
        if code is None:
            return
        if self.compare_picker.value != self.nat.option_of[code]:
            self.compare_picker.value = self.nat.option_of[code]
            return
        self.other = self._kommun_data(code)
        self._render_compare()
        if self.data is not None:
            self._render_typgap()
            self._render_downloads()
            self._render_share()

    def _kommun_data(self, code: str) -> KommunData:
        """The kommun's frames, kept for the last few kommuner of this session (back-and-forth and the
        comparison kommun reuse them; each is a few MB at most)."""
        cache = self._kommun_cache
        data = cache.pop(code, None) or KommunData(code, self.nat)
        cache[code] = data  # most recently used last
        while len(cache) > KOMMUN_CACHE:
            cache.pop(next(iter(cache)))
        return data

    def _on_kommun(self, change):
        t0 = time.perf_counter()
        self.status.value = ""
        self.data = self._kommun_data(change["new"])
        self._render()
        feature = self._features.get(change["new"])
        self.selected_layer.data = {"type": "FeatureCollection", "features": [feature] if feature else []}
        if feature:
            self.zoom_to(change["new"])
        self._paint_regso(change["new"])
        self.last_update_ms = (time.perf_counter() - t0) * 1000

    # -- rendering -----------------------------------------------------------------------------------
    def _render(self):
        d = self.data
        self.key_panel.value = render("key_figures.html.j2", **panels.key_figures(d))
        self.tips_panel.value = render("tips.html.j2", **panels.tips(d.tips() + [lead(d.code, d.name, self._type_year())]))
        self._render_types()
        self._render_typgap()
        self._render_income()
        self._render_turnout()
        self._render_measures()
        self._render_downloads()
        if self.other is not None:
            self._render_compare()
        self._render_share()
        # last, so that a new heading in the page means every panel above is already updated
        self.header.value = render("head.html.j2", **panels.head(d))

    def _render_share(self):
        other = (self.other.code, self.other.name) if self.other is not None else None
        self.share.value = render("share.html.j2", **panels.share(self.data.code, self.data.name, other))

    def _render_types(self):
        self.typ_panel.value = render("types.html.j2", **panels.types(self.data))

    def _render_typgap(self):
        other = (self.other.code, self.other.name) if self.other is not None else None
        self.typgap.show(self.data.code, self.data.name, self._type_year(), other)

    def _render_income(self):
        view = panels.income(self.data.income())
        self.png_link.value = ""
        self.png_button.disabled = view["empty"]
        self.income_panel.value = render("income.html.j2", **view)

    def make_png(self, _=None) -> bytes:
        """Draw the income chart with matplotlib and offer it as a PNG download link."""
        d = self.data
        inc = d.income()
        if not len(inc):
            return b""
        from barometer.app import charts  # matplotlib only when a chart is asked for

        png = downloads.figure_png(charts.income_chart(inc, d.name), dpi=110)
        self.png_link.value = downloads.download_link(png, f"inkomster_{_slug(d.name)}.png", "image/png",
                                                      "Spara diagrammet (PNG)")
        return png

    def _render_turnout(self):
        self.turnout_panel.value = render("turnout.html.j2", **panels.turnout(self.data.turnout()))

    def _render_measures(self):
        self.measures_panel.value = render("measures.html.j2", **panels.measures(self.data.measures(), self.nat.measures_message))

    def _render_downloads(self):
        self.csv_link.value = ""  # a file made for the previous kommun (or comparison) is not offered
        self.downloads.value = render("downloads.html.j2")

    def make_csv(self, _=None) -> bytes:
        """Build the CSV of what is shown (:meth:`shown_table`) and offer it as a download link."""
        csv = downloads.csv_bytes(self.shown_table())
        self.csv_link.value = downloads.download_link(csv, f"segregationsbarometern_{_slug(self.data.name)}.csv",
                                                      "text/csv", "Spara siffrorna (CSV)")
        return csv

    def shown_table(self) -> pd.DataFrame:
        t = self.data.shown_table()
        year = self._type_year()
        t = pd.concat([t, csv_rows(self.data.code, self.data.name, year, self.nat.sources)], ignore_index=True)
        if self.other is not None:
            t = pd.concat([t, self.other.shown_table()[lambda x: x["avsnitt"] == "nyckeltal"],
                           csv_rows(self.other.code, self.other.name, year, self.nat.sources)], ignore_index=True)
        return t

    def _type_year(self) -> int:
        """The year of the områdestyp panels, lead and CSV rows: the latest year the store has områdestyper
        for (riket's published shares), else the store's latest report year. Never a fixed year."""
        if self.data.omradestyp_year:
            return int(self.data.omradestyp_year)
        from barometer.filters import latest_report_year

        return latest_report_year()

    def _render_compare(self):
        self.compare_panel.value = render("compare.html.j2", **panels.compare(self.data, self.other))
