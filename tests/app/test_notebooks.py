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



def test_utforska_shows_only_the_explorer():
    """Voilà shows every cell's value: only the cell displaying the explorer may end in an expression
    (a value such as the chosen kommun code would otherwise appear at the bottom of the page)."""
    import ast
    import json

    nb = json.loads((NOTEBOOKS / "utforska.ipynb").read_text(encoding="utf-8"))
    shown = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        body = ast.parse(src).body
        if not body or not isinstance(body[-1], ast.Expr):
            continue
        last_line = src.rstrip().splitlines()[-1].split("#", 1)[0].rstrip()
        if not last_line.endswith(";"):  # IPython's rule: a trailing semicolon hides the value
            shown.append(ast.unparse(body[-1]))
    assert shown == ["utforska"], shown
