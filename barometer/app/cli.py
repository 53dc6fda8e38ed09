"""``barometer explore``: serve notebooks/utforska.ipynb with Voilà on localhost (sources stripped)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "utforska.ipynb"
#: Holds voila/templates/barometer: Voilà's lab template minus its Font Awesome CDN links (no external requests).
SHARE = Path(__file__).resolve().parent / "share" / "jupyter"


def voila_env(base: dict | None = None) -> dict:
    """Environment for Voilà: our template directory first on JUPYTER_PATH."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PATH"] = os.pathsep.join([str(SHARE)] + ([env["JUPYTER_PATH"]] if env.get("JUPYTER_PATH") else []))
    return env


def voila_command(port: int = 8866, no_browser: bool = False, preheat: bool = True) -> list[str]:
    """The Voilà command line (voila 0.5 options, checked with ``voila --help-all``)."""
    cmd = [sys.executable, "-m", "voila", str(NOTEBOOK), f"--port={port}", "--Voila.ip=127.0.0.1",
           "--strip_sources=True", "--template=barometer", "--Voila.port_retries=0"]
    if preheat:
        # a pool of kernels that have already run the notebook with its default kommun: fast first page
        cmd += ["--preheat_kernel=True", "--pool_size=2"]
    if no_browser:
        cmd.append("--no-browser")
    return cmd


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("explore", help="öppna utforskaren (Voilà) i webbläsaren")
    p.add_argument("--port", type=int, default=8866, help="port på localhost (standard 8866)")
    p.add_argument("--no-browser", action="store_true", help="öppna inte webbläsaren")
    p.add_argument("--no-preheat", action="store_true", help="starta inga förvärmda kärnor")
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        import voila  # noqa: F401
    except ImportError:
        print("Voilà saknas: installera med  .venv/bin/pip install voila ipyleaflet", file=sys.stderr)
        return 2
    if not NOTEBOOK.exists():
        print(f"Hittar inte {NOTEBOOK}", file=sys.stderr)
        return 2
    cmd = voila_command(args.port, args.no_browser, not getattr(args, "no_preheat", False))
    print(f"Utforskaren: http://127.0.0.1:{args.port}/  (avsluta med Ctrl+C)")
    try:
        return subprocess.call(cmd, env=voila_env())
    except KeyboardInterrupt:
        return 0
