"""The docstring examples (three-area toy kommuner) run as tests, so they cannot rot."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["dissimilarity", "theil", "exposure", "share", "omradestyp", "ojamlikhet", "contrasts"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"barometer.measures.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("name", MODULES + ["compute", "inputs", "cli", "_checks", "_groups"])
def test_every_module_states_its_job(name):
    module = importlib.import_module(f"barometer.measures.{name}")
    assert module.__doc__ and module.__doc__.strip().splitlines()[0].endswith(".")


@pytest.mark.parametrize("name", ["dissimilarity", "theil", "multigroup_theil", "isolation", "exposure", "share",
                                  "ojamlikhetsindex", "inkomstspridning", "omradestyp_summary",
                                  "omradestyp_change", "extremes", "spread"])
def test_numpydoc_sections(name):
    import barometer.measures as m

    doc = getattr(m, name).__doc__
    for section in ("Parameters", "Returns", "Raises", "Notes", "References", "Examples"):
        assert f"\n    {section}\n    ---" in doc, (name, section)
