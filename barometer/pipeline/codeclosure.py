"""The source files a pipeline step depends on: its module and every barometer module it imports, transitively.

A step's checksum hashes these files, so an edit to a shared helper (``barometer/parsing.py``,
``barometer/textutil.py``, ``pipeline/regso.py``, ...) reruns exactly the steps that import it.
Imports are read statically with :mod:`ast` (nothing is executed). In the step's own module every
import counts, also one inside a function; in the modules it reaches, only module-level imports
are followed (imports inside their functions are lazy extras such as error suggestions). Only
modules inside the ``barometer`` package are followed.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _module_file(dotted: str) -> Path | None:
    """``barometer.pipeline.regso`` → its file (module or package ``__init__``), or None."""
    parts = dotted.split(".")
    if not parts or parts[0] != "barometer":
        return None
    base = PACKAGE_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _dotted(path: Path) -> list[str]:
    rel = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return parts


def _imports(path: Path, nested: bool) -> set[Path]:
    """Files of the barometer modules that ``path`` imports directly (``nested``: also inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _dotted(path) if path.name == "__init__.py" else _dotted(path)[:-1]
    found: set[Path] = set()
    for node in (ast.walk(tree) if nested else tree.body):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # `from . import regso` names a module; `from .tidy import TidyResult` an attribute of one
            submodules = [_module_file(f"{stem}.{a.name}") for a in node.names]
            found.update(f for f in submodules if f is not None)
            if any(f is None for f in submodules):
                names = [stem]
        for name in names:
            f = _module_file(name)
            if f is not None:
                found.add(f)
    return found


@lru_cache(maxsize=64)
def closure(module_file: str) -> tuple[str, ...]:
    """Sorted paths of ``module_file`` and every barometer module it imports, transitively."""
    start = Path(module_file).resolve()
    seen: set[Path] = {start}
    todo = list(_imports(start, nested=True) - seen)
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        todo.extend(_imports(f, nested=False) - seen)
    return tuple(sorted(str(p) for p in seen))
