"""`make report` runs `barometer report` or fails (no silent fallback); without YEAR the store's latest year is used."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _dry_run(*assignments: str) -> list[str]:
    out = subprocess.run(["make", "-n", "-C", str(ROOT), "report", *assignments], capture_output=True,
                         text=True, check=True)
    return [line for line in out.stdout.splitlines() if "barometer report" in line or " show " in line]


@pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")
def test_make_report_has_no_fallback_and_passes_year_only_when_given():
    lines = _dry_run("KOMMUN=1280")
    assert lines == ['.venv/bin/barometer report "1280"']  # one command: its exit status is make's
    assert _dry_run("KOMMUN=1280", "YEAR=2022") == ['.venv/bin/barometer report "1280" --year "2022"']
    assert "show" not in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_report_cli_defaults_to_the_stores_latest_report_year(real_store):
    from barometer import store
    from barometer.filters import latest_report_year
    from barometer.report import cli
    from barometer.report.context import YEARS

    parser = argparse.ArgumentParser()
    cli.add_parser(parser.add_subparsers())
    assert parser.parse_args(["report", "0180"]).year is None
    held = set(store.read_values(columns=["year"])["year"].astype(int))
    assert latest_report_year() == max(y for y in YEARS if y in held)


def test_one_default_year_rule_for_reports_notebooks_and_file_names(real_store):
    """No year given anywhere → the store's latest report year, the year whose files keep the plain name."""
    import papermill as pm

    from barometer.filters import latest_report_year
    from barometer.report import KommunReport, batch
    from barometer.report.execute import notebook_path

    latest = latest_report_year()
    assert KommunReport("0114").year == latest == batch.default_year()
    area = batch.resolve_kommun("0114")
    assert batch.output_stem(area, latest) == batch.output_stem(area) == "0114-upplands-vasby"
    assert batch.output_stem(area, latest - 1) == f"0114-upplands-vasby-{latest - 1}"
    for name in ("kommunrapport", "lansrapport", "riksrapport"):
        params = pm.inspect_notebook(str(notebook_path(name)))
        assert params["year"]["default"] == "None", name  # papermill still infers (and documents) the parameter
