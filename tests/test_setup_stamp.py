"""scripts/setup.sh reinstalls Python packages only when pyproject.toml's content changes (not its
mtime), and ``barometer build --quiet`` prints one summary line plus failed checks only."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from barometer.pipeline.run import BuildReport

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def fake_repo(tmp_path):
    """A copy of setup.sh and pyproject.toml with a fake .venv/bin/python that logs pip calls."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    bin_ = tmp_path / ".venv" / "bin"
    bin_.mkdir(parents=True)
    log = tmp_path / "pip.log"
    (bin_ / "python").write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = -m ] && [ "$2" = pip ]; then echo "$@" >> {log}; exit 0; fi\n'
        'if [ "$1" = -c ]; then echo "3.11.7 (fake)"; exit 0; fi\n'
        "exit 0\n")
    (bin_ / "python").chmod(0o755)
    return tmp_path, log


def _setup(repo):
    subprocess.run(["bash", "scripts/setup.sh"], cwd=repo, check=True, capture_output=True, timeout=60)


def _pip_calls(log):
    return log.read_text().count("install -q -e") if log.exists() else 0


def test_second_setup_without_change_does_not_run_pip(fake_repo):
    repo, log = fake_repo
    _setup(repo)
    assert _pip_calls(log) == 1
    _setup(repo)
    assert _pip_calls(log) == 1
    # a fresh clone / checkout / merge gives pyproject.toml a new mtime, same content: no reinstall
    os.utime(repo / "pyproject.toml", (4_000_000_000, 4_000_000_000))
    _setup(repo)
    assert _pip_calls(log) == 1
    # a real change reinstalls, once
    with open(repo / "pyproject.toml", "a") as f:
        f.write("\n# changed\n")
    _setup(repo)
    _setup(repo)
    assert _pip_calls(log) == 2


def test_stamp_of_older_setup_is_accepted_without_pip(fake_repo):
    repo, log = fake_repo
    stamp = repo / ".venv" / ".barometer-installed"
    stamp.write_text("")  # what the former setup.sh left: an empty file newer than pyproject.toml
    os.utime(repo / "pyproject.toml", (1_000_000_000, 1_000_000_000))
    _setup(repo)
    assert _pip_calls(log) == 0 and stamp.read_text().strip()


def _report(checks):
    return BuildReport(rebuilt=["a"], reused=["b"], published=True, checks=checks, seconds=1.0,
                       store=Path("data/store"), n_values=1234)


def test_build_quiet_summary_is_one_line_plus_failed_checks():
    ok = [{"check": f"c{i}", "ok": True, "detail": "fint"} for i in range(60)]
    quiet = _report(ok).summary(quiet=True)
    assert len(quiet.splitlines()) == 1 and "60 av 60 OK" in quiet
    bad = {"check": "summor", "ok": False, "detail": "3 skiljer"}
    quiet = _report(ok + [bad]).summary(quiet=True).splitlines()
    assert len(quiet) == 2 and quiet[1] == "  [OBS] summor: 3 skiljer" and "60 av 61 OK" in quiet[0]
    assert len(_report(ok).summary().splitlines()) == 61  # without --quiet: every check
