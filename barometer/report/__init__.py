"""Kommun and län reports: the notebook's section objects, rendering and batch runs.

``KommunReport``/``LanReport`` (context) hold one method per section, each returning data that
``templating`` renders through ``templates/``; ``execute`` runs a notebook with papermill (the
in-process engine ``barometer`` or a kernel); ``render`` turns outputs into HTML and tagged PDF;
``batch`` runs many kommuner; ``cli`` is the ``barometer report`` subcommand.
"""

# papermill's engine registry loads our entry point (barometer.report.execute) while papermill itself
# is being imported; importing papermill first here means that never meets a half-imported module.
import papermill.engines  # noqa: F401  (E402-safe: nothing of ours is imported before it)

__all__ = ["KommunReport", "LanReport"]


def __getattr__(name):
    # lazy: loading the papermill engine must not import pandas, matplotlib and the store
    if name in __all__:
        from . import context

        return getattr(context, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
