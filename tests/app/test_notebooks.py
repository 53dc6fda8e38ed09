"""The app notebooks run top to bottom (papermill, real store)."""

from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
pytestmark = pytest.mark.usefixtures("real_store")


@pytest.mark.parametrize("name", ["analys.ipynb", "utforska.ipynb"])
def test_notebook_runs(name, tmp_path):
    pm = pytest.importorskip("papermill")
    out = tmp_path / name
    nb = pm.execute_notebook(str(NOTEBOOKS / name), str(out), kernel_name="python3", progress_bar=False,
                             parameters={"kommun": "1280"}, cwd=str(tmp_path))
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    text = out.read_text(encoding="utf-8")
    assert "Malmö" in text
