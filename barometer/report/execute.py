"""Run the report notebook for one set of parameters: papermill (a kernel) or in-process (no kernel).

Both read the same ``notebooks/kommunrapport.ipynb``, so the notebook stays the single definition of
the report's content and order. The in-process engine mirrors papermill: it inserts an
``injected-parameters`` cell after the cell tagged ``parameters``, runs every code cell in one
namespace, and stores the value of each cell's last expression as an ``execute_result`` output.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import nbformat

from .. import config


class CellExecutionError(Exception):
    """A notebook cell that raised; keeps the cell index and source (like papermill's error)."""

    def __init__(self, cell_index: int, source: str, ename: str, evalue: str):
        super().__init__(f"cell {cell_index}: {ename}: {evalue}")
        self.cell_index, self.source, self.ename, self.evalue = cell_index, source, ename, evalue

    def __reduce__(self):
        return (CellExecutionError, (self.cell_index, self.source, self.ename, self.evalue))


def notebook_path(name: str = "kommunrapport") -> Path:
    return config.notebooks_dir() / f"{name}.ipynb"


def parameterize(nb, parameters: dict):
    """A copy of ``nb`` with an ``injected-parameters`` cell after the ``parameters`` cell."""
    nb = copy.deepcopy(nb)
    src = "# Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in parameters.items())
    cell = nbformat.v4.new_code_cell(src, metadata={"tags": ["injected-parameters"]})
    idx = next((i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])), -1)
    nb.cells.insert(idx + 1, cell)
    return nb


def _mimebundle(obj) -> dict:
    if hasattr(obj, "_repr_html_"):
        out = obj._repr_html_()
        if out is not None:
            return {"text/html": out, "text/plain": repr(obj)}
    if hasattr(obj, "_repr_markdown_"):
        return {"text/markdown": obj._repr_markdown_(), "text/plain": repr(obj)}
    return {"text/plain": repr(obj)}


def execute_inprocess(nb, parameters: dict):
    """Execute a parameterised copy of ``nb`` in this process; raises :class:`CellExecutionError`."""
    nb = parameterize(nb, parameters)
    ns: dict = {"__name__": "__main__"}
    count = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        count += 1
        cell.outputs, cell.execution_count = [], count
        try:
            tree = ast.parse(cell.source)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, f"<cell {i}>", "exec"), ns)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), f"<cell {i}>", "eval"), ns)
                if value is not None:
                    cell.outputs.append(nbformat.v4.new_output("execute_result", data=_mimebundle(value),
                                                               execution_count=count))
        except Exception as err:
            raise CellExecutionError(i, cell.source, type(err).__name__, str(err)) from err
    return nb


def execute_papermill(input_path, output_path, parameters: dict, kernel_name: str = "python3"):
    """Execute with papermill (a Jupyter kernel); returns the executed notebook node."""
    import papermill as pm

    try:
        # the kernel's own start-up warnings (e.g. about its local TCP transport) are noise for a
        # report run; cell errors still arrive as messages and raise below
        return pm.execute_notebook(str(input_path), str(output_path), parameters=parameters,
                                   kernel_name=kernel_name, progress_bar=False, log_output=False,
                                   extra_arguments=["--IPKernelApp.log_level=ERROR"])
    except pm.PapermillExecutionError as err:
        raise CellExecutionError(err.cell_index, err.source, err.ename, err.evalue) from None
