"""Executed notebook → self-contained HTML (no code) → A4 PDF with WeasyPrint; every write is atomic."""

from __future__ import annotations

import base64
import html
import os
import re
import tempfile
from datetime import date
from pathlib import Path

CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-center { content: counter(page); font-size: 8pt; color: #555; }
        @bottom-left { content: string(doctitle); font-size: 8pt; color: #555; } }
@page :first { @bottom-center { content: none; } @bottom-left { content: none; } }
html { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 10pt; line-height: 1.45; color: #1a1a1a; }
body { max-width: 60em; margin: 0 auto; padding: 1em; }
h1 { font-size: 24pt; margin: 0 0 .3em; string-set: doctitle content(); }
h2 { font-size: 14pt; margin: 1.4em 0 .4em; border-bottom: 1px solid #ccc; padding-bottom: .15em;
     break-after: avoid; page-break-after: avoid; }
.title-page { margin: 0 0 2em; }
.kicker { text-transform: uppercase; letter-spacing: .08em; color: #0072B2; font-weight: bold; font-size: 9pt; }
.meta { color: #444; margin: .2em 0; }
table.data { border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: 8.5pt;
             break-inside: avoid; page-break-inside: avoid; }
.tbl { break-inside: avoid; page-break-inside: avoid; }
.tbl.long, .tbl.long table.data { break-inside: auto; page-break-inside: auto; }
table.data thead { display: table-header-group; }
table.data tr { break-inside: avoid; page-break-inside: avoid; }
figure.chart.map svg, figure.chart.map img.svg { width: 55%; }
table.data caption { break-after: avoid; text-align: left; font-weight: bold; margin-bottom: .3em; }
table.data th, table.data td { border-bottom: 1px solid #ddd; padding: 3px 5px; text-align: left; vertical-align: top; }
table.data thead th { border-bottom: 2px solid #555; }
table.data .num { text-align: right; white-space: nowrap; }
table.data thead th, table.data thead th.num { white-space: normal; hyphens: manual; }
figure.chart { margin: .6em 0 1.2em; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg, figure.chart img.svg { width: 100%; height: auto; max-height: 200mm; }
figcaption { font-size: 8.5pt; color: #333; }
.source, figcaption .source { display: block; font-size: 7.5pt; color: #555; margin-top: .2em; }
.note { font-size: 8.5pt; color: #444; }
code { font-size: 8.5pt; }
@media print {
  .title-page { break-after: page; page-break-after: always; padding-top: 70mm; }
  .title-page h1 { font-size: 32pt; }
  body { max-width: none; padding: 0; }
}
"""

PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="barometer.report">
{meta}<title>{title}</title><style>{css}</style></head>
<body><main>
{body}
</main></body></html>
"""


def atomic_write(path, data: bytes | str) -> Path:
    """Write ``data`` to a temp file in the same folder, then ``os.replace`` it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # mkstemp creates 0600; reports are meant to be shared
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def outputs_html(nb) -> str:
    """The HTML of every output of an executed notebook, in cell order, without inputs or prompts."""
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code":  # the notebook's own title/intro is for notebook readers
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:
                parts.append(_join(data["text/html"]))
            elif "image/svg+xml" in data:
                parts.append(_join(data["image/svg+xml"]))
            elif "text/markdown" in data:
                parts.append(_markdown(_join(data["text/markdown"])))
    return "\n".join(parts)


def _join(x) -> str:
    return "".join(x) if isinstance(x, list) else str(x)


def _markdown(src: str) -> str:
    from nbconvert.filters.markdown import markdown2html_mistune

    return markdown2html_mistune(src)


def notebook_to_html(nb, title: str, meta: dict | None = None, use_nbconvert: bool = False) -> str:
    """A self-contained page (inline CSS and SVG, no code cells) from an executed notebook.

    ``use_nbconvert=True`` runs nbconvert's ``HTMLExporter(template_name="basic", exclude_input=True)``;
    the default reads the outputs directly, which gives the same body for our notebooks
    (HTML outputs only) in a fraction of the time.
    """
    if use_nbconvert:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_markdown=True,
                                exclude_input_prompt=True,
                                exclude_output_prompt=True)
        body, _ = exporter.from_notebook_node(nb)
    else:
        body = outputs_html(nb)
    tags = "".join(f'<meta name="barometer-{html.escape(k)}" content="{html.escape(str(v))}">\n'
                   for k, v in (meta or {}).items())
    return PAGE.format(meta=tags, title=html.escape(title), css=CSS, body=body)


def svg_as_images(page: str) -> str:
    """Inline ``<svg>`` → ``<img src="data:image/svg+xml;base64,…">`` (same drawing, ~2× faster in
    WeasyPrint, which otherwise computes CSS for every SVG node); the aria-label becomes the alt text."""
    def repl(m):
        svg = m.group(0)
        alt = re.search(r'aria-label="([^"]*)"', svg[:600])
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img class="svg" alt="{alt.group(1) if alt else ""}" src="data:image/svg+xml;base64,{data}">'
    return _SVG.sub(repl, page)


_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def html_to_pdf(page: str, path, base_url: str | None = None) -> Path:
    """Render the page to an A4 PDF (title page, page numbers) and write it atomically."""
    from weasyprint import HTML

    page = svg_as_images(page)
    data = HTML(string=page, base_url=base_url or ".").write_pdf()
    return atomic_write(path, data)


def read_meta(path) -> dict:
    """The ``barometer-*`` meta tags of a report written by :func:`notebook_to_html`."""
    try:
        head = Path(path).read_text(encoding="utf-8")[:4000]
    except OSError:
        return {}
    return {k: html.unescape(v) for k, v in re.findall(r'<meta name="barometer-([\w-]+)" content="([^"]*)">', head)}


def today() -> str:
    return date.today().isoformat()
