"""The data pipeline: raw snapshot → tidy tables → published store (see docs/architecture.md)."""

from .run import BuildReport, build

__all__ = ["build", "BuildReport"]
