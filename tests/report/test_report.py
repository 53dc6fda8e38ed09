"""Kommunrapport: notebook execution, HTML/PDF content against the store, errors, batch failures, resume."""

from __future__ import annotations

import shutil
import subprocess

import nbformat
import pytest

import barometer
from barometer import store, text
from barometer.exceptions import UnknownAreaError, YearOutOfRangeError
from barometer.report import KommunReport
from barometer.report import batch
from barometer.report.execute import execute, notebook_path

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _turnout(code: str, year: int = 2022) -> float:
    df = barometer.data("valdeltagande_riksdag", level="kommun", years=[year], kommun=code)
    return float(df["value"].iloc[0])


def _pdf_text(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext saknas (poppler-utils)")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_notebook_runs_with_papermill(tmp_path):
    pm = pytest.importorskip("papermill")
    out = tmp_path / "out.ipynb"
    nb = pm.execute_notebook(str(notebook_path()), str(out), parameters={"kommun": "2403", "year": 2023},
                             progress_bar=False, kernel_name="python3")
    html_outputs = [o for c in nb.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    assert len(html_outputs) == 11  # one per section
    assert "Bjurholm" in "".join(html_outputs[0]["data"]["text/html"])


def test_notebook_is_thin():
    nb = nbformat.read(notebook_path(), as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and 'kommun: str = "0180"' in params[0].source
    assert all(len(c.source.splitlines()) <= 3 for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("code", ["0180", "2403"])
def test_render_html_and_pdf_match_store(tmp_path, code):
    area = barometer.kommun(code)
    result = batch.render_one(code, 2023, tmp_path)
    assert result.ok, result.error
    assert (tmp_path / f"{code}-{batch.slug(area.name)}.html").is_file()
    page = (tmp_path / f"{code}-{batch.slug(area.name)}.html").read_text(encoding="utf-8")
    assert "KommunReport(" not in page and "r.sammanfattning()" not in page  # no code cells
    expected = text.pct(_turnout(code))
    assert expected in page
    pdf = _pdf_text(result.pdf).replace("\u00a0", " ")
    assert area.name in pdf
    assert expected.replace("\u00a0", " ") in pdf
    pop = store.kommun_values(code)
    pop = pop[(pop["indicator"] == "befolkning") & (pop["level"] == "kommun") & (pop["year"] == 2023)
              & (pop["group"] == "totalt")]["value"].iloc[0]
    assert text.num(pop).replace("\u00a0", " ") in pdf


def test_small_kommun_single_district():
    r = KommunReport("2403", 2023)
    v = r.valdeltagande()
    assert v["elections"][2022]["districts"]["n"] == 1      # the fact, without HTML
    assert "endast ett valdistrikt" in v.html()
    assert r.facts()["D_rank"] is None  # two RegSO: no rank in the summary


def test_unknown_kommun_raises_and_writes_nothing(tmp_path):
    with pytest.raises(UnknownAreaError):
        batch.render_one("9999", 2023, tmp_path / "out")
    with pytest.raises(UnknownAreaError):
        KommunReport(180, 2023)  # codes must be strings
    assert not (tmp_path / "out").exists()


def test_year_out_of_range():
    with pytest.raises(YearOutOfRangeError):
        KommunReport("0180", 2019)


def test_slug():
    assert batch.slug("Malmö") == "malmo"
    assert batch.slug("Upplands-Bro") == "upplands-bro"
    assert batch.slug("Åre") == "are"


def _broken_notebook(tmp_path):
    nb = nbformat.read(notebook_path(), as_version=4)
    cell = nbformat.v4.new_code_cell('if kommun == "2403":\n    raise RuntimeError("avsiktligt fel")')
    nb.cells.insert(4, cell)
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    return path


def test_batch_reports_failing_cell_and_resumes(tmp_path):
    nb = _broken_notebook(tmp_path)
    out = tmp_path / "reports"
    results = batch.run_batch(["2403", "2480"], 2023, workers=2, out_dir=out, notebook=nb, pdf=False,
                              progress=False)
    by = {r.code: r for r in results}
    assert by["2480"].ok and not by["2403"].ok
    assert "avsiktligt fel" in by["2403"].error and "raise RuntimeError" in by["2403"].cell
    assert by["2403"].cell_index == 5  # index in the executed notebook (after the injected parameters)
    assert (out / "failed" / "2403-bjurholm.txt").is_file() and not (out / "2403-bjurholm.html").exists()
    s = batch.summary(results)
    assert "2403 Bjurholm" in s and "cell 5" in s
    assert "2480-umea.html" in (out / "index.html").read_text(encoding="utf-8")


def test_resume_skips_current_reports(tmp_path):
    first = batch.run_batch(["2403"], 2023, workers=1, out_dir=tmp_path, progress=False)
    assert first[0].ok and not first[0].skipped
    again = batch.run_batch(["2403"], 2023, workers=1, out_dir=tmp_path, progress=False)
    assert again[0].skipped
    forced = batch.run_batch(["2403"], 2023, workers=1, out_dir=tmp_path, resume=False, progress=False)
    assert not forced[0].skipped
    other_year = batch.run_batch(["2403"], 2022, workers=1, out_dir=tmp_path, progress=False)
    assert not other_year[0].skipped  # year is part of the checksum


def test_inprocess_matches_cell_count():
    nb = execute(notebook_path(), {"kommun": "2403", "year": 2023})
    assert sum(1 for c in nb.cells for o in c.get("outputs", [])) == 11
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and 'kommun = "2403"' in injected[0].source  # papermill's own injection
    assert nb.metadata.papermill["parameters"] == {"kommun": "2403", "year": 2023}


def test_papermill_cli_with_barometer_engine(tmp_path):
    """The plain papermill CLI finds the in-process engine through its entry point."""
    import sys
    from pathlib import Path

    out = tmp_path / "out.ipynb"
    papermill = Path(sys.executable).with_name("papermill")
    run = subprocess.run([str(papermill), str(notebook_path()), str(out), "-r", "kommun", "2403", "-p", "year", "2023",
                          "--engine", "barometer", "--no-progress-bar"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    nb = nbformat.read(out, as_version=4)
    html = "".join(o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", []) if "data" in o)
    assert "Bjurholms kommun" in html and nb.metadata.papermill["parameters"]["kommun"] == "2403"


def test_failing_cell_is_a_papermill_execution_error(tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        execute(_broken_notebook(tmp_path), {"kommun": "2403", "year": 2023})
    assert err.value.cell_index == 5 and err.value.ename == "RuntimeError" and "avsiktligt fel" in err.value.evalue
    assert any("avsiktligt fel" in line for line in err.value.traceback)


def test_cli_unknown_kommun(tmp_path):
    from barometer.cli import main

    assert main(["report", "9999", "--out", str(tmp_path / "x")]) == 2
    assert not (tmp_path / "x").exists()


def test_lansrapport_runs():
    nb = execute(notebook_path("lansrapport"), {"lan": "25", "year": 2023})
    html = "".join(o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", []))
    assert "Norrbottens län" in html and "Kiruna" in html


def test_regso_map_where_the_store_has_geometry(real_store):
    """Where the build published RegSO boundaries (Uppsala län offline) the Karta section draws RegSO by
    områdestyp; elsewhere it says how to get the map."""
    from barometer.report.context import KommunReport

    karta = KommunReport("1780", 2023).karta()
    assert karta["regso_map"] is None and "SCB:s öppna geodata" in karta.html()
    karta = KommunReport("0381", 2023).karta()
    assert karta["regso_map"]["alt"].startswith("Karta: ") and "typ 1" in karta["regso_map"]["alt"]
    html = karta.html()
    assert "RegSO-områden i Enköping efter områdestyp 2023" in html and "<svg" in html


def test_lan_report_cli(tmp_path):
    import subprocess
    import sys

    ok = subprocess.run([sys.executable, "-m", "barometer", "report", "--lan", "Gotland", "--out", str(tmp_path)],
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "lan-09-gotlands-lan.html").is_file() and (tmp_path / "lan-09-gotlands-lan.pdf").is_file()
    bad = subprocess.run([sys.executable, "-m", "barometer", "report", "--lan", "Atlantis", "--out", str(tmp_path / "x")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Okänt län: 'Atlantis'" in bad.stderr
    assert not (tmp_path / "x").exists()
