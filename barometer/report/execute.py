"""Run a report notebook through papermill: in this process (engine ``barometer``) or in a Jupyter kernel.

Both engines go through ``papermill.execute_notebook``, so parameter injection (the
``injected-parameters`` cell after the cell tagged ``parameters``), notebook/cell metadata and error
reporting (:class:`papermill.PapermillExecutionError` with cell index, source and traceback) are
papermill's own. The engines differ only in where the cells run:

* ``barometer`` (:class:`InProcessEngine`) runs every code cell in one namespace of the calling
  process, with no kernel start-up; a cell's last expression becomes an ``execute_result`` output
  (its ``_repr_html_``), ``print`` output a ``stream`` output. Registered with papermill's engine
  registry under the entry point group ``papermill.engine`` (pyproject) and here on import, so
  ``papermill notebooks/kommunrapport.ipynb out.ipynb -r kommun 0114 --engine barometer`` works.
* ``nbclient`` (papermill's default) starts a ``python3`` kernel per notebook.
"""

from __future__ import annotations

import ast
import contextlib
import io
import traceback
from pathlib import Path

import nbformat
from papermill.engines import Engine, papermill_engines

from .. import config

ENGINE_NAME = "barometer"
#: ``barometer report --engine`` choice → papermill engine name
ENGINES = {"inprocess": ENGINE_NAME, "papermill": "nbclient"}

__all__ = ["ENGINES", "ENGINE_NAME", "InProcessEngine", "execute", "notebook_path"]


def notebook_path(name: str = "kommunrapport") -> Path:
    """``notebooks/<name>.ipynb`` (``kommunrapport`` or ``lansrapport``)."""
    return config.notebooks_dir() / f"{name}.ipynb"


def _mimebundle(obj) -> dict:
    if hasattr(obj, "_repr_html_"):
        out = obj._repr_html_()
        if out is not None:
            return {"text/html": out, "text/plain": repr(obj)}
    if hasattr(obj, "_repr_markdown_"):
        return {"text/markdown": obj._repr_markdown_(), "text/plain": repr(obj)}
    return {"text/plain": repr(obj)}


def _run_cell(source: str, ns: dict, filename: str, count: int) -> list:
    """Execute one cell's source in ``ns``; the outputs a kernel would record (stream, execute_result)."""
    outputs = []
    tree = ast.parse(source, filename)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(tree, filename, "exec"), ns)
        value = eval(compile(ast.Expression(last.value), filename, "eval"), ns) if last is not None else None
    if out.getvalue():
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text=out.getvalue()))
    if value is not None:
        outputs.append(nbformat.v4.new_output("execute_result", data=_mimebundle(value), execution_count=count))
    return outputs


class InProcessEngine(Engine):
    """A papermill engine that executes the (already parameterised) notebook in the calling process.

    Like nbclient, it stops at the first failing cell and records the error as an ``error`` output,
    which ``papermill.execute_notebook`` turns into a ``PapermillExecutionError``. Cells share one
    namespace per notebook (``__name__ == "__main__"``); nothing leaks between notebooks.
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        ns: dict = {"__name__": "__main__"}
        count = 0
        for index, cell in enumerate(nb_man.nb.cells):
            if cell.cell_type != "code":
                continue
            count += 1
            nb_man.cell_start(cell, index)
            cell.outputs, cell.execution_count = [], count
            try:
                cell.outputs = _run_cell(cell.source, ns, f"<cell {index}>", count)
            except Exception as err:
                tb = traceback.format_exception(type(err), err, err.__traceback__)
                cell.outputs.append(nbformat.v4.new_output("error", ename=type(err).__name__, evalue=str(err),
                                                           traceback=[line.rstrip("\n") for line in tb]))
                nb_man.cell_exception(cell, cell_index=index, exception=err)
                break
            finally:
                nb_man.cell_complete(cell, cell_index=index)

    @classmethod
    def nb_kernel_name(cls, nb, name=None):
        return name or "python3"  # no kernel is started; papermill still records a name


papermill_engines.register(ENGINE_NAME, InProcessEngine)  # also when the entry point isn't installed


def execute(notebook, parameters: dict, engine: str = ENGINE_NAME, output_path=None):
    """Execute ``notebook`` (path or NotebookNode) with ``parameters`` via ``papermill.execute_notebook``.

    ``engine``: a papermill engine name (``barometer``, ``nbclient``) or a ``barometer report --engine``
    choice (``inprocess``, ``papermill``). Returns the executed NotebookNode; a failing cell raises
    ``papermill.PapermillExecutionError`` (``cell_index`` counts the injected parameters cell).
    """
    import papermill as pm

    engine = ENGINES.get(engine, engine)
    extra = {}
    if engine == "nbclient":
        # the kernel's own start-up warnings (e.g. about its local TCP transport) are noise for a
        # report run; cell errors still arrive as messages and raise
        extra["extra_arguments"] = ["--IPKernelApp.log_level=ERROR"]
    return pm.execute_notebook(notebook, None if output_path is None else str(output_path), parameters=parameters,
                               engine_name=engine, kernel_name="python3", progress_bar=False, log_output=False,
                               **extra)
