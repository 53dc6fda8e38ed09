"""A step's checksum covers its module and every barometer module it imports (shared parsers included)."""

from __future__ import annotations

from pathlib import Path

from barometer.pipeline import codeclosure
from barometer.pipeline.steps import STEPS

PKG = Path(codeclosure.__file__).resolve().parents[1]


def _rel(paths):
    return {str(Path(p).relative_to(PKG)) for p in paths}


def test_every_step_covers_its_shared_helpers():
    for step in STEPS:
        files = _rel(codeclosure.closure(step.module_file))
        assert str(Path(step.module_file).resolve().relative_to(PKG)) in files
        assert {"pipeline/tidy.py", "pipeline/snapshot.py"} <= files, step.id


def test_parsers_and_text_helpers_are_followed():
    regso = _rel(codeclosure.closure(str(PKG / "pipeline" / "regso.py")))
    assert "parsing.py" in regso  # an edit to the shared number parser reruns the RegSO steps
    val = _rel(codeclosure.closure(str(PKG / "pipeline" / "val.py")))
    assert "parsing.py" in val


def test_views_are_not_dependencies_of_steps(tmp_path):
    for step in STEPS:
        files = _rel(codeclosure.closure(step.module_file))
        assert not any(f.startswith(("report/", "app/")) for f in files), step.id


def test_relative_and_nested_imports(tmp_path, monkeypatch):
    pkg = tmp_path / "barometer"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "helper.py").write_text("import json\n")
    (pkg / "lazy.py").write_text("")
    (pkg / "only_lazy.py").write_text("")
    (pkg / "deep.py").write_text("def f():\n    from . import only_lazy\n")
    (pkg / "sub" / "step.py").write_text(
        "from .. import helper\nfrom ..deep import f\n\ndef run():\n    from barometer import lazy\n")
    monkeypatch.setattr(codeclosure, "PACKAGE_DIR", pkg)
    codeclosure.closure.cache_clear()
    try:
        got = {Path(p).relative_to(pkg).as_posix() for p in codeclosure.closure(str(pkg / "sub" / "step.py"))}
    finally:
        codeclosure.closure.cache_clear()
    # a nested import in the step itself counts; one inside a function of a reached module does not
    assert got == {"sub/step.py", "helper.py", "deep.py", "lazy.py"}
