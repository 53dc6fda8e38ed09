"""Jinja2 environments for barometer's HTML (report and explorer): autoescape on, undefined names are errors.

One environment per template folder, made here so that the report (``barometer.report.templating``)
and the explorer (``barometer.app.templating``) configure Jinja2 the same way without importing
each other: ``environment(folder)`` is cached, so each folder has exactly one.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import text

__all__ = ["environment"]


@lru_cache(maxsize=None)
def environment(folder: str | Path):
    """The ``jinja2.Environment`` over the templates in ``folder`` (a directory path).

    Autoescape on (a value from the store can never inject markup), ``StrictUndefined`` (a name the
    data does not provide raises ``jinja2.UndefinedError``), ``trim_blocks``/``lstrip_blocks``.
    Filters: ``num``, ``pct``, ``pp``, ``tkr`` from :mod:`barometer.text` (decimal comma, "–" for NaN).
    Callers may add their own filters to the returned environment once, when they first get it.
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters.update(num=text.num, pct=text.pct, pp=text.pp, tkr=text.tkr)
    return env
