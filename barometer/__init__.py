"""barometer: an open, reproducible rebuild of Sweden's Segregationsbarometern.

Public API (imported lazily so that ``import barometer`` stays fast)::

    import barometer
    barometer.build()                          # raw snapshot → tidy → store
    barometer.areas(level="kommun")            # the areas table
    barometer.kommun("malmo")                  # Area(code="1280", name="Malmö", ...)
    barometer.data("andel_utrikes_fodda", level="regso", years=[2023], kommun="Malmö")
    barometer.indicators()                     # the catalogue
    barometer.provenance()                        # provenance of every source
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

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'barometer' has no attribute {name!r}")


def __dir__():
    return __all__
