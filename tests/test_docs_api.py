"""Every ``barometer.<x>`` the README, docs and notebooks mention resolves after a plain ``import barometer``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Not attribute uses: a placeholder in a how-to and Voilà config strings (the app is imported by name).
NOT_ATTRIBUTES = ("barometer.measures.my_module", "barometer.app.")
REF = re.compile(r"\bbarometer(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
# A call (`barometer.x.y(`) is what a reader types after `import barometer`.
CALL = re.compile(r"\b(barometer(?:\.[A-Za-z_][A-Za-z0-9_]*)+)\(")


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]]
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            texts.append("".join(cell["source"]))
    return texts


def _references(pattern: re.Pattern) -> list[str]:
    refs = {r for text in _texts() for r in pattern.findall(text)}
    return sorted(r for r in refs if not r.startswith(NOT_ATTRIBUTES))


def test_documented_names_exist():
    """Every dotted name (module paths in `from … import`, prose) names a real module or attribute."""
    import importlib

    missing = []
    for ref in _references(REF):
        parts = ref.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ModuleNotFoundError:
                continue
            try:
                for attr in parts[cut:]:
                    obj = getattr(obj, attr)
            except AttributeError:
                missing.append(ref)
            break
    assert missing == []


def test_documented_calls_resolve_after_plain_import():
    refs = _references(CALL)
    assert "barometer.measures.published" in refs  # the README's example is covered
    script = (
        "import barometer, functools, sys\n"
        "bad = []\n"
        "for ref in sys.argv[1:]:\n"
        "    try:\n"
        "        functools.reduce(getattr, ref.split('.')[1:], barometer)\n"
        "    except AttributeError as exc:\n"
        "        bad.append(f'{ref}: {exc}')\n"
        "print('\\n'.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", script, *refs], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", out.stdout


def test_dir_lists_submodules():
    import barometer

    assert {"measures", "store", "data", "areas"} <= set(dir(barometer))
