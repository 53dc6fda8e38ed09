"""A Voilà server for tests and benchmarks: start on a free port, wait until it answers, always stop it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request

from barometer.app.cli import voila_command, voila_env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def voila_server(port: int | None = None, timeout: float = 60.0, preheat: bool = True, log_path=None):
    """Yield the base URL of a running Voilà on utforska.ipynb; the process group is killed on exit."""
    port = port or free_port()
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(voila_command(port, no_browser=True, preheat=preheat), stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True, env=voila_env())
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"Voilà avslutades direkt (kod {proc.returncode})")
            try:
                with urllib.request.urlopen(url + "voila/static/voila.js", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"Voilà svarade inte på {url} inom {timeout} s") from None
                time.sleep(0.3)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        if log_path:
            log.close()
