"""``barometer explore``: serve notebooks/utforska.ipynb with Voilà on localhost; announce it when the first page is fast."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "utforska.ipynb"
#: Holds voila/templates/barometer: Voilà's lab template minus its Font Awesome CDN links (no external requests).
SHARE = Path(__file__).resolve().parent / "share" / "jupyter"
#: Holds voila.json: template, preheated kernel pool, kernel culling, XSRF cookie (see README, "Utforska").
CONFIG = Path(__file__).resolve().parent / "config"
#: Seconds before a kernel taken from a pool larger than voila.json's is replaced (``VoilaKernelManager.fill_delay``;
#: voila.json: 1 s): starting 20 replacements (~1.3 CPU-s each) while 20 pages load would slow every page.
ROOM_FILL_DELAY = 60.0
#: Voilà's log line when the preheated pool has started its kernels.
POOL_FILLED = re.compile(r"Kernel pool of .* is filled with (\d+) kernel")


def voila_env(base: dict | None = None) -> dict:
    """Environment for Voilà and its kernels: our template first on JUPYTER_PATH, our voila.json on
    JUPYTER_CONFIG_PATH, and pyarrow on the system allocator (a kernel keeps ~60 MiB less resident)."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PATH"] = os.pathsep.join([str(SHARE)] + ([env["JUPYTER_PATH"]] if env.get("JUPYTER_PATH") else []))
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(CONFIG)] + ([env["JUPYTER_CONFIG_PATH"]] if env.get("JUPYTER_CONFIG_PATH") else []))
    env.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    return env


def voila_command(port: int = 8866, no_browser: bool = True, preheat: bool = True, base_url: str = "/",
                  ip: str | None = None, pool: int | None = None) -> list[str]:
    """The Voilà command line; everything else is in ``barometer/app/config/voila.json``.

    ``base_url``: path prefix the server answers under (``/v1/`` behind a reverse proxy, see deploy/);
    ``ip``: address to listen on (voila.json: 127.0.0.1; ``0.0.0.0`` for a proxy on another machine);
    ``pool``: preheated kernels kept ready (``VoilaConfiguration.default_pool_size``; voila.json: 2).
    """
    cmd = [sys.executable, "-m", "voila", str(NOTEBOOK), f"--port={port}"]
    if base_url != "/":
        cmd.append(f"--Voila.base_url={base_url}")
    if ip:
        cmd.append(f"--Voila.ip={ip}")
    if not preheat:
        cmd.append("--VoilaConfiguration.preheat_kernel=False")
    elif pool is not None:
        cmd.append(f"--VoilaConfiguration.default_pool_size={pool}")
        if pool > 2:  # a pool sized for a room refills after the room has loaded, not while its pages load
            cmd.append(f"--VoilaKernelManager.fill_delay={ROOM_FILL_DELAY}")
    if no_browser:
        cmd.append("--no-browser")
    return cmd


def _base_url(text: str) -> str:
    text = "/" + text.strip("/") + "/" if text.strip("/") else "/"
    if not re.fullmatch(r"/([A-Za-z0-9_.~-]+/)*", text):
        import argparse

        raise argparse.ArgumentTypeError(f"ogiltig sökväg {text!r}: använd t.ex. /v1/")
    return text


def _pool_size(text: str) -> int:
    import argparse

    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"ogiltig poolstorlek {text!r}: ange ett heltal från 1, t.ex. 20")
    return n


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("explore", help="öppna utforskaren (Voilà) i webbläsaren")
    p.add_argument("--port", type=int, default=8866, help="port på localhost (standard 8866)")
    p.add_argument("--no-browser", action="store_true", help="öppna inte webbläsaren")
    p.add_argument("--no-preheat", action="store_true", help="starta inga förvärmda kärnor")
    p.add_argument("--pool", type=_pool_size, default=None, metavar="N",
                   help="antal förvärmda kärnor som väntar på besökare (standard 2; för ett webbinarium ungefär "
                        "antalet deltagare, varje kärna tar cirka 200 MiB minne, se README)")
    p.add_argument("--base-url", type=_base_url, default="/",
                   help="sökväg som servern svarar under, t.ex. /v1/ bakom en omvänd proxy (se deploy/)")
    p.add_argument("--ip", default=None, help="adress att lyssna på (standard 127.0.0.1; 0.0.0.0 för en proxy på en annan maskin)")
    p.add_argument("--verbose", action="store_true",
                   help="visa Voilàs egen logg i terminalen (annars skrivs den till en loggfil som klarraden nämner)")
    p.set_defaults(func=run)


def log_path(port: int) -> Path:
    """Where ``barometer explore`` writes Voilà's log unless ``--verbose``: Jupyter's runtime directory."""
    from jupyter_core.paths import jupyter_runtime_dir

    path = Path(jupyter_runtime_dir()) / f"barometer-explore-{port}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _since_start() -> float:
    """Seconds since this process (the ``barometer explore`` command) started."""
    import psutil

    return max(0.0, time.time() - psutil.Process().create_time())


def kernel_processes(pid: int) -> list:
    """The ipykernel processes (psutil ``Process``) below process ``pid``; [] once it has ended."""
    import psutil

    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for c in children:
        try:
            if any("ipykernel" in part for part in c.cmdline()):
                out.append(c)
        except psutil.Error:
            pass
    return out


def cpu_seconds(processes) -> float:
    """User + system CPU seconds used so far by ``processes`` (psutil ``Process``); ended ones count 0."""
    import psutil

    total = 0.0
    for p in processes:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


class VoilaProcess:
    """A Voilà server started with :func:`voila_command`; its log is copied to ``log`` line by line
    while we watch it for the pool of preheated kernels."""

    def __init__(self, port: int, preheat: bool = True, log=None, base_url: str = "/", ip: str | None = None,
                 pool: int | None = None):
        self.port, self.preheat, self.pool = port, preheat, pool
        self.url = f"http://127.0.0.1:{port}{base_url}"
        self.pool_filled = threading.Event()
        self.proc = subprocess.Popen(voila_command(port, True, preheat, base_url, ip, pool), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, env=voila_env(), start_new_session=True)
        self._log = log
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()

    def _pump(self) -> None:
        for raw in iter(self.proc.stdout.readline, b""):
            if POOL_FILLED.search(raw.decode("utf-8", "replace")):
                self.pool_filled.set()
            if self._log is not None:
                try:
                    self._log.write(raw)
                    self._log.flush()
                except (ValueError, OSError):
                    pass

    def kernels(self) -> list:
        """The kernel processes (psutil) under this server."""
        return kernel_processes(self.proc.pid)

    def wait_ready(self, timeout: float = 180.0, quiet_for: float = 0.6) -> float:
        """Block until the server answers, the preheated pool is started and its kernels have run the
        notebook (their CPU use has gone quiet), so the first page renders from a warm kernel.
        Returns the seconds waited. Raises RuntimeError if Voilà exits, TimeoutError after ``timeout``."""
        t0 = time.monotonic()
        deadline = t0 + timeout
        while True:
            self._check_alive()
            try:
                with urllib.request.urlopen(self.url + "voila/static/voila.js", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"Voilà svarade inte på {self.url} inom {timeout:.0f} s") from None
                time.sleep(0.2)
        if self.preheat:
            while not self.pool_filled.wait(0.2):
                self._check_alive()
                if time.monotonic() > deadline:
                    raise TimeoutError(f"Voilàs förvärmda kärnor startade inte inom {timeout:.0f} s")
            self._wait_kernels_quiet(deadline, quiet_for)
        return time.monotonic() - t0

    def _wait_kernels_quiet(self, deadline: float, quiet_for: float) -> None:
        while time.monotonic() < deadline:
            ps = self.kernels()
            before = cpu_seconds(ps)
            time.sleep(quiet_for)
            self._check_alive()
            if ps and cpu_seconds(ps) - before < 0.02 * quiet_for * len(ps):
                return
        raise TimeoutError("Voilàs förvärmda kärnor blev inte klara i tid")

    def _check_alive(self) -> None:
        if self.proc.poll() is not None:
            raise RuntimeError(f"Voilà avslutades (kod {self.proc.returncode})")

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM to the server (Voilà shuts its kernels down); if it hangs, SIGKILL, and then its
        kernels (they run in sessions of their own) are terminated too."""
        import contextlib
        import signal

        import psutil

        kernels = self.kernels()
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        for k in kernels:
            with contextlib.suppress(psutil.Error):
                if k.is_running():
                    k.terminate()
        self._reader.join(timeout=2)


def run(args) -> int:
    try:
        import voila  # noqa: F401
    except ImportError:
        print("Voilà saknas: installera med  .venv/bin/pip install voila ipyleaflet", file=sys.stderr)
        return 2
    if not NOTEBOOK.exists():
        print(f"Hittar inte {NOTEBOOK}", file=sys.stderr)
        return 2
    import signal

    verbose = getattr(args, "verbose", False)
    logfile = None if verbose else log_path(args.port)
    log = sys.stderr.buffer if verbose else open(logfile, "wb")  # Voilà's own (English) log stays out of sight
    server = VoilaProcess(args.port, preheat=not getattr(args, "no_preheat", False), log=log,
                          base_url=getattr(args, "base_url", "/"), ip=getattr(args, "ip", None),
                          pool=getattr(args, "pool", None))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # `kill`, systemd: stop Voilà and its kernels too
    try:
        warm = f"förvärmer {server.pool} kärn{'a' if server.pool == 1 else 'or'}" if server.pool else "förvärmer kärnor"
        print("Startar utforskaren" + (f" ({warm})" if server.preheat else "") + " …", file=sys.stderr,
              flush=True)
        try:
            server.wait_ready(timeout=max(180.0, 10.0 * (server.pool or 0)))  # a large pool takes longer to start
        except (RuntimeError, TimeoutError) as err:
            where = f"; Voilàs logg: {logfile}" if logfile else ""
            print(f"Utforskaren kunde inte starta: {err}{where}", file=sys.stderr)
            if logfile:
                log.flush()
                tail = logfile.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
                print("\n".join(tail), file=sys.stderr)
            return 2
        where = f"; logg: {logfile}" if logfile else ""
        print(f"Utforskaren: {server.url}  (klar efter {_since_start():.0f} s{where}; avsluta med Ctrl+C)",
              flush=True)
        if not args.no_browser:
            import webbrowser

            webbrowser.open(server.url)
        return server.proc.wait() or 0
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()
        if log is not sys.stderr.buffer:
            log.close()
