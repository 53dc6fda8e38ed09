"""Packaging: pyproject and environment.yml agree; README and CI use the same test command."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _names(reqs):
    return sorted(re.sub(r"\s+", "", r) for r in reqs)


def test_environment_yml_lists_the_same_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert _names([p for p in pip if p != "-e ."]) == _names(wanted)


def test_readme_starts_with_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", readme, flags=re.S)
    first = [line for line in blocks[0].splitlines() if line.strip() and not line.startswith("#")]
    assert len(first) == 2, first
    test_cmd = first[1].strip()
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_cmd in ci


def test_errors_pickle():
    import pickle

    from barometer import exceptions as ex

    samples = [ex.UnknownAreaError("x", "kommun", ["Malmö (1280)"]), ex.UnknownIndicatorError("x", ["a"]),
               ex.YearOutOfRangeError(2019, "v", [2018]), ex.SourceFormatError("p", "bad"),
               ex.ChecksumMismatchError("p", "a" * 64, "b" * 64), ex.IntegrityError("c", "d"),
               ex.StepFailedError("s", "c"), ex.MissingSourceError("p"), ex.StoreMissingError("p"),
               ex.SourceUnavailableError("http://x", 500, 3), ex.ReportError("0114", "cell"),
               ex.MeasureInputError("neg", ["a"]), ex.UnknownLevelError("x", ["kommun"])]
    for err in samples:
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err) and str(back) == str(err)
        assert isinstance(err, ex.BarometerError)


def test_import_is_light():
    import subprocess
    import sys

    code = "import sys, barometer; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
    assert out == "False"


def test_public_api_names_are_not_shadowed_by_submodules():
    # importing a submodule sets it as an attribute of the package: a module named like a public
    # function (e.g. barometer/areas.py vs barometer.areas()) would replace the function
    import pkgutil

    import barometer

    modules = {m.name for m in pkgutil.iter_modules(barometer.__path__)}
    assert not modules & set(barometer._LAZY), modules & set(barometer._LAZY)
