"""Static report figures: matplotlib → inline SVG strings, Swedish labels, decimal comma, Okabe–Ito colours."""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from .. import text  # noqa: E402

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
KOMMUN, LAN, RIKET, GREY = "#0072B2", "#E69F00", "#595959", "#BBBBBB"
LOW, HIGH = "#D55E00", "#0072B2"
SERIES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]

matplotlib.rcParams.update({
    "svg.fonttype": "none",          # real text in the SVG: small, searchable, scales
    "svg.hashsalt": "barometer",     # stable ids → identical SVG for identical data
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
})


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` × ``height`` inches outside pyplot, as matplotlib advises for servers and
    batch jobs: no global figure registry (nothing to close) and a canvas that does not draw on
    ``draw_idle``. geopandas' ``GeoDataFrame.plot`` asks for one after every layer; on a pyplot
    (Agg) figure that was a full raster drawing each time, most of a map's cost."""
    return Figure(figsize=(width, height))


def comma_formatter(decimals: int = 0):
    """A matplotlib tick formatter in Swedish style (``12 345,6``), for report charts."""
    return FuncFormatter(lambda x, _pos: text.num(x, decimals))


def to_svg(fig, alt: str) -> str:
    """The figure as an inline ``<svg>`` with ``role="img"`` and ``aria-label`` = ``alt`` (the text
    alternative; it becomes the ``alt`` of the image in the PDF and the PDF's ``/Alt``).

    The drawing is cropped to its tight bounding box plus ``savefig.pad_inches``, as
    ``bbox_inches="tight"`` would, but measured in the one draw that writes the SVG: a ``draw_event``
    callback asks :meth:`~matplotlib.figure.Figure.get_tightbbox` on the same renderer (whose text
    metrics are then cached) and the box becomes the SVG's ``viewBox``. ``bbox_inches="tight"``
    lays the figure out twice; this saves about a third of the savefig time per chart.
    """
    boxes = []
    fig.patch.set_visible(False)  # no white figure background beyond the cropped box (WeasyPrint does not clip it)
    fig.canvas.mpl_connect("draw_event", lambda event: boxes.append(fig.get_tightbbox(event.renderer)))
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})  # same data → same SVG
    height = fig.get_size_inches()[1]
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    if boxes:  # inches, y up → points, y down (the SVG is drawn at 72 dpi)
        pad = matplotlib.rcParams["savefig.pad_inches"]
        b = boxes[-1].padded(pad)
        box = f"{72 * b.x0:.2f} {72 * (height - b.y1):.2f} {72 * b.width:.2f} {72 * b.height:.2f}"
        svg = re.sub(r'viewBox="[^"]*"', f'viewBox="{box}"', svg, count=1)
    svg = _lean(svg)
    svg = _unique_ids(svg)
    esc = alt.replace("&", "&amp;").replace("<", "&lt;")
    svg = re.sub(r"<svg ", '<svg role="img" aria-label="' + esc.replace('"', "&quot;") + '" ', svg, count=1)
    # fixed pixel size → responsive: keep the viewBox, let CSS set the width
    svg = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", svg, count=1)
    return svg


_SVGNS = "http://www.w3.org/2000/svg"
_NO_ROTATION = re.compile(r' transform="rotate\(-?0 [-\d.e]+ [-\d.e]+\)"')


def _lean(svg: str) -> str:
    """Drop matplotlib's RDF metadata and identity rotations, and unwrap ``<g id=…>`` groups that carry
    nothing but an unused id.

    The drawing is unchanged (same pixels); the SVG has about half the elements, which roughly
    halves the time WeasyPrint needs to draw it into the PDF.
    """
    import xml.etree.ElementTree as ET

    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, count=1, flags=re.S)
    svg = _NO_ROTATION.sub("", svg)  # matplotlib writes rotate(-0 x y) on every horizontal text
    referenced = set(re.findall(r'(?:url\(#|href="#)([^")]+)', svg))
    ET.register_namespace("", _SVGNS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ET.fromstring(svg)
    g = f"{{{_SVGNS}}}g"

    def unwrap(el):
        kids = []
        for ch in el:
            unwrap(ch)
            if ch.tag == g and set(ch.attrib) <= {"id"} and ch.get("id") not in referenced and not (ch.text or "").strip():
                kids.extend(ch)
            else:
                kids.append(ch)
        el[:] = kids

    unwrap(root)
    return ET.tostring(root, encoding="unicode")


def _unique_ids(svg: str) -> str:
    """Prefix every id (and its references) so several SVGs can live in one HTML page."""
    import hashlib

    prefix = "f" + hashlib.sha1(svg.encode()).hexdigest()[:8] + "-"
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    if not ids:
        return svg
    pattern = re.compile(r'(\bid="|url\(#|href="#)(' + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r')(?=[")])')
    return pattern.sub(lambda m: m.group(1) + prefix + m.group(2), svg)


def ranked_barh(labels, values, title: str, unit: str, decimals: int = 0, split: int | None = None,
                alt: str = "") -> str:
    """Horizontal bars sorted high → low (top bar highest). With ``split`` = k, the first k
    (highest) and the rest (lowest) are drawn in two colours with a gap between them."""
    pairs = sorted(zip(labels, values), key=lambda p: -p[1])
    n = len(pairs)
    ys = [i + (0.8 if split and i >= split else 0) for i in range(n)]
    colours = [HIGH if not split or i < split else LOW for i in range(n)]
    fig = new_figure(6.3, 0.9 + 0.24 * n)
    ax = fig.subplots()
    ax.barh(ys, [v for _, v in pairs], color=colours)
    ax.set_yticks(ys, [lab for lab, _ in pairs])
    ax.tick_params(axis="y", length=0)  # a category axis: the labels name the bars, no tick marks
    ax.invert_yaxis()
    for y, (_, v) in zip(ys, pairs):
        ax.text(v, y, " " + text.num(v, decimals), va="center", fontsize=8)
    ax.xaxis.set_major_formatter(comma_formatter())
    ax.set_xlabel(unit)
    ax.set_title(title, loc="left", y=1.0)
    ax.margins(x=0.12)
    return to_svg(fig, alt or title)


def grouped_barh(categories, series: dict, title: str, unit: str, decimals: int = 1, alt: str = "") -> str:
    """One group of horizontal bars per category, one bar per series (e.g. kommun, län, riket)."""
    names = list(series)
    k, n = len(names), len(categories)
    h = 0.8 / k
    fig = new_figure(6.3, 1.0 + 0.2 * n * k + 0.1 * n)
    ax = fig.subplots()
    colours = [KOMMUN, LAN, RIKET, *SERIES[3:]]
    for j, name in enumerate(names):
        ys = [i + j * h - 0.4 + h / 2 for i in range(n)]  # first series on top, as in the legend
        vals = [float("nan") if v is None else v for v in series[name]]
        ax.barh(ys, [0 if v != v else v for v in vals], height=h * 0.92, color=colours[j % len(colours)], label=name)
        for y, v in zip(ys, vals):
            ax.text(0 if v != v else v, y, " " + text.num(v, decimals), va="center", fontsize=7)
    ax.set_yticks(range(n), categories)
    ax.tick_params(axis="y", length=0)  # a category axis: the labels name the groups, no tick marks
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(comma_formatter())
    ax.set_xlabel(unit)
    ax.set_title(title, loc="left", y=1.0)
    ax.margins(x=0.12)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 1.2 / (n * k + 4)), ncol=k)
    return to_svg(fig, alt or title)


def lines(years, series: dict, title: str, unit: str, decimals: int = 2, alt: str = "") -> str:
    """A small trend chart, one line per series, with markers and Swedish tick labels."""
    fig = new_figure(6.3, 2.6)
    ax = fig.subplots()
    for j, (name, vals) in enumerate(series.items()):
        ax.plot(years, vals, marker="o", color=SERIES[j % len(SERIES)], label=name)
    ax.set_xticks(list(years), [str(y) for y in years])
    ax.yaxis.set_major_formatter(comma_formatter(decimals))
    ax.set_ylabel(unit)
    ax.set_title(title, loc="left", y=1.0)
    ax.legend(frameon=False, fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return to_svg(fig, alt or title)


def lan_map(gdf, highlight_code: str, title: str, alt: str = "") -> str:
    """The kommuner of one län, the report's kommun filled, the others outlined."""
    fig = new_figure(4.2, 4.2)
    ax = fig.subplots()
    other = gdf[gdf["kommun_kod"] != highlight_code]
    own = gdf[gdf["kommun_kod"] == highlight_code]
    if len(other):  # Gotland is the only kommun of its län
        other.plot(ax=ax, color="#EEEEEE", edgecolor="#777777", linewidth=0.4)
    own.plot(ax=ax, color=KOMMUN, edgecolor="#000000", linewidth=0.8)
    ax.set_axis_off()
    ax.set_title(title, loc="left")
    return to_svg(fig, alt or title)


def regso_map(gdf, title: str, alt: str = "") -> str:
    """A kommun's RegSO filled by områdestyp (column ``omradestyp``, 1–5), with a legend."""
    from matplotlib.patches import Patch

    from ..maps import TYPE_COLOURS

    fig = new_figure(5.0, 5.0)
    ax = fig.subplots()
    colours = gdf["omradestyp"].map(lambda t: TYPE_COLOURS.get(int(t), GREY) if t == t else GREY)
    gdf.plot(ax=ax, color=list(colours), edgecolor="#333333", linewidth=0.4)
    ax.set_axis_off()
    ax.set_title(title, loc="left")
    handles = [Patch(facecolor=c, edgecolor="#333333", label=f"Typ {t}") for t, c in TYPE_COLOURS.items()]
    ax.legend(handles=handles, frameon=False, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=5)
    return to_svg(fig, alt or title)
