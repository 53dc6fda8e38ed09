"""Report markup: the Jinja2 environment over ``report/templates/`` and the data shapes its macros render.

A report section is data plus a template, the way nbconvert separates a notebook from its HTML:

* a function (usually a ``KommunReport`` method) returns a plain ``dict`` of numbers, sentences,
  :func:`table` rows and :func:`figure` drawings – no markup, so the facts can be tested without HTML;
* ``templates/sections/<name>.html.j2`` turns that dict into HTML, using the shared macros in
  ``templates/macros.html.j2`` (table, figure, note, source);
* :class:`Section` joins the two; a notebook cell that evaluates to a ``Section`` shows its HTML
  (``_repr_html_``), in a Jupyter kernel as well as in the in-process engine.

Templates autoescape: a value from the store can never inject markup. Chart SVG (drawn by
:mod:`barometer.report.charts`) is the one trusted fragment, inserted by the ``figure`` macro.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .. import markup

TEMPLATES = Path(__file__).resolve().parent / "templates"

__all__ = ["TEMPLATES", "Section", "environment", "figure", "render", "section", "table"]


@lru_cache(maxsize=1)
def environment():
    """The report's ``jinja2.Environment`` (:func:`barometer.markup.environment` over ``templates/``:
    autoescape on, undefined names are errors).

    Filters: ``num``, ``pct``, ``pp``, ``tkr`` from :mod:`barometer.text` (decimal comma, "–" for NaN),
    and :func:`nowrap_ranges`.
    """
    env = markup.environment(TEMPLATES)
    env.filters.update(nowrap_ranges=nowrap_ranges)
    return env


#: any numbers around an en dash; around a hyphen only short ones (never a date or a table id)
_RANGE = re.compile(r"(?<![\d,-])(\d+(?:,\d+)?)\s?–\s?(\d+(?:,\d+)?)(?![\d–])"
                    r"|(?<![\w,-])(\d{1,2})-(\d{1,2})(?![\w-])")


def nowrap_ranges(value) -> "markupsafe.Markup":
    """Escape ``value`` and keep number ranges whole: ``"typ 1–2 / 4–5"`` →
    ``typ <span class="nw">1–2</span> / <span class="nw">4–5</span>`` (CSS ``.nw{white-space:nowrap}``),
    so a table header never breaks as "4–" / "5". A hyphen between numbers becomes an en dash."""
    from markupsafe import Markup, escape

    s = str(escape(value))
    return Markup(_RANGE.sub(lambda m: f'<span class="nw">{m[1] or m[3]}–{m[2] or m[4]}</span>', s))


def render(template: str, **context) -> str:
    """Render ``templates/<template>`` with ``context``; raises ``jinja2.TemplateNotFound`` /
    ``jinja2.UndefinedError`` on a missing template or a name the data does not provide."""
    return environment().get_template(template).render(**context)


def table(header: list[str], rows: list[list], caption: str = "", num_cols=None, breakable: bool = False) -> dict:
    """A table as data: the first column of each row is its row header (``<th scope="row">``).

    ``num_cols``: indices of right-aligned numeric columns (default: every column but the first).
    A table with ``breakable`` or more than 25 rows may break between rows, repeating its header.
    Cells are shown as given (format numbers with :mod:`barometer.text` first).
    """
    num_cols = list(range(1, len(header))) if num_cols is None else list(num_cols)
    return {"header": [str(h) for h in header], "rows": [list(r) for r in rows], "caption": caption,
            "num_cols": num_cols, "breakable": bool(breakable or len(rows) > 25)}


def figure(svg: str, caption: str, source: str, alt: str = "", kind: str = "chart") -> dict:
    """A chart or map as data: the inline ``<svg>`` (from :mod:`charts`), its caption, source note and
    text alternative (what it shows with its key numbers; defaults to the caption). ``kind``: chart | map."""
    return {"svg": svg, "caption": caption, "source": source, "alt": alt or caption, "kind": kind}


class Section:
    """One report section: ``name`` (→ ``templates/sections/<name>.html.j2``) and its ``data`` dict.

    >>> s = Section("las_rapporten", {})
    >>> "<h2>Så läser du rapporten</h2>" in s.html()
    True
    """

    def __init__(self, name: str, data: dict):
        self.name, self.data = name, data

    @property
    def template(self) -> str:
        return f"sections/{self.name}.html.j2"

    def html(self) -> str:
        return render(self.template, **self.data)

    def _repr_html_(self) -> str:
        return self.html()

    def __getitem__(self, key):
        return self.data[key]

    def __repr__(self) -> str:
        return f"Section({self.name!r}, keys={sorted(self.data)})"


def section(fn=None, *, name: str | None = None):
    """Decorator: a function returning a section's data ``dict`` → a function returning a :class:`Section`
    named after the function (or ``name``), rendered by ``templates/sections/<name>.html.j2``."""
    import functools

    def wrap(f):
        @functools.wraps(f)
        def inner(*args, **kwargs) -> Section:
            return Section(name or f.__name__, f(*args, **kwargs))
        return inner

    return wrap(fn) if fn is not None else wrap
