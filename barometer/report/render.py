"""Executed notebook → self-contained HTML page (``templates/page.html.j2``, no code) → A4 PDF with WeasyPrint; atomic writes."""

from __future__ import annotations

import base64
import html
import os
import re
import tempfile
from datetime import date
from pathlib import Path

CSS = (Path(__file__).resolve().parent / "templates" / "report.css").read_text(encoding="utf-8")


def page(body: str, title: str, meta: dict | None = None, extra_css: str = "") -> str:
    """A complete HTML page (``templates/page.html.j2``): ``lang="sv"``, ``<title>``, the report CSS
    inline, ``barometer-<key>`` meta tags from ``meta``, and ``body`` (trusted HTML) inside ``<main>``."""
    from .templating import render

    return render("page.html.j2", body=body, title=title, meta={k: str(v) for k, v in (meta or {}).items()},
                  css=CSS + extra_css)


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
    return page(body, title, meta)


def svg_as_images(page: str) -> str:
    """Inline ``<svg>`` → ``<img src="data:image/svg+xml;base64,…">`` (same drawing, ~2× faster in
    WeasyPrint, which otherwise computes CSS for every SVG node); the aria-label becomes the alt text."""
    def repl(m):
        svg = m.group(0)
        alt = re.search(r'aria-label="([^"]*)"', svg)  # the root's, first (a map's can run to 1 000 characters)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img class="svg" alt="{alt.group(1) if alt else ""}" src="data:image/svg+xml;base64,{data}">'
    return _SVG.sub(repl, page)


_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def html_to_pdf(page: str, path, base_url: str | None = None) -> Path:
    """Render the page to a tagged A4 PDF (PDF/UA-1) and write it atomically.

    WeasyPrint's ``pdf/ua-1`` variant writes the structure tree (headings, lists, tables with header
    cells, figures with the ``alt`` text), ``/Lang`` from ``<html lang>``, the ``<title>`` as document
    title with ``DisplayDocTitle``, and marks page numbers as artifacts.
    """
    from weasyprint import HTML

    page = svg_as_images(page)
    data = HTML(string=page, base_url=base_url or ".").write_pdf(pdf_variant=PDF_VARIANT, font_config=font_config())
    return atomic_write(path, data)


PDF_VARIANT = "pdf/ua-1"
_FONTS: dict = {}


def font_config():
    """One WeasyPrint ``FontConfiguration`` per process, shared by its reports: Pango's font map and
    its caches stay warm from one PDF to the next (a new one per document costs ~5 % of the PDF time).
    A forked worker makes its own."""
    pid = os.getpid()
    if pid not in _FONTS:
        from weasyprint.text.fonts import FontConfiguration

        _FONTS.clear()
        _FONTS[pid] = FontConfiguration()
    return _FONTS[pid]


def read_meta(path) -> dict:
    """The ``barometer-*`` meta tags of a report written by :func:`notebook_to_html`."""
    try:
        head = Path(path).read_text(encoding="utf-8")[:4000]
    except OSError:
        return {}
    return {k: html.unescape(v) for k, v in re.findall(r'<meta name="barometer-([\w-]+)" content="([^"]*)">', head)}


def today() -> str:
    return date.today().isoformat()
