"""Kommun and län reports: the notebook's section objects, rendering and batch runs.

``KommunReport``/``LanReport`` (context) hold one method per section; ``execute`` runs the
notebook (papermill or in-process); ``render`` turns outputs into HTML and PDF; ``batch`` runs many
kommuner; ``cli`` is the ``barometer report`` subcommand.
"""

from .context import KommunReport, LanReport

__all__ = ["KommunReport", "LanReport"]
