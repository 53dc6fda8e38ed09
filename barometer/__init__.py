"""barometer: an open, reproducible rebuild of Sweden's Segregationsbarometern.

Public API (imported lazily so that ``import barometer`` stays fast)::

    import barometer
    barometer.build()                          # raw snapshot → tidy → store
    barometer.areas(level="kommun")            # the areas table
    barometer.kommun("malmo")                  # Area(code="1280", name="Malmö", ...)
    barometer.data("andel_utrikes_fodda", level="regso", years=[2023], kommun="Malmö")
    barometer.indicators()                     # the catalogue
    barometer.provenance()                        # provenance of every source
    barometer.measures.published(years=[2023])  # any subpackage, e.g. measures/store

Submodules (``barometer.measures``, ``barometer.store``, ``barometer.geography``, ...)
are imported on first attribute access too, so ``import barometer`` alone is enough.
"""

from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "areas": ("barometer.geography", "areas"),
    "kommun": ("barometer.geography", "kommun"),
    "lan": ("barometer.geography", "lan"),
    "resolve": ("barometer.geography", "resolve"),
    "Area": ("barometer.geography", "Area"),
    "data": ("barometer.api", "data"),
    "indicators": ("barometer.api", "indicators"),
    "provenance": ("barometer.api", "provenance"),
    "build": ("barometer.pipeline", "build"),
}

#: Subpackages/modules reachable as ``barometer.<name>`` after a plain ``import barometer``.
_SUBMODULES = (
    "api",
    "citation",
    "exceptions",
    "factsheet",
    "geography",
    "maps",
    "measures",
    "pipeline",
    "report",
    "store",
    "text",
    "vintages",
)

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        import importlib

        # import_module binds the submodule as an attribute of this package
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'barometer' has no attribute {name!r}")


def __dir__():
    return sorted(set(__all__) | set(_SUBMODULES))
