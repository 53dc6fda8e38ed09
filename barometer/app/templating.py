"""Utforska's markup: render a panel's data with its Jinja2 template from ``app/templates/``.

Each panel is a function returning data (numbers, sentences, table rows; :mod:`barometer.app.panels`)
plus a template ``templates/<name>.html.j2`` that turns the data into HTML, using the shared macros in
``templates/macros.html.j2`` (panel, table, note, download link). One environment
(:func:`barometer.markup.environment`: autoescape on, undefined names are errors, the Swedish number
filters ``num``, ``pct``, ``pp``, ``tkr``) serves the whole explorer.
"""

from __future__ import annotations

from pathlib import Path

from barometer import markup

TEMPLATES = Path(__file__).resolve().parent / "templates"

__all__ = ["TEMPLATES", "render"]


def render(template: str, **context) -> str:
    """HTML of ``templates/<template>`` with ``context``; raises ``jinja2.TemplateNotFound`` /
    ``jinja2.UndefinedError`` on a missing template or a name the data does not provide."""
    return markup.environment(TEMPLATES).get_template(template).render(**context)
