"""A Voilà server for tests and benchmarks: started as ``barometer explore`` starts it, on a free port, always stopped."""

from __future__ import annotations

import contextlib
import socket

from barometer.app.cli import VoilaProcess


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def voila_server(port: int | None = None, timeout: float = 180.0, preheat: bool = True, log_path=None, handle: bool = False,
                 base_url: str = "/", pool: int | None = None):
    """Yield the base URL (or, with ``handle=True``, the :class:`VoilaProcess`) of a running Voilà on
    utforska.ipynb, ready as ``barometer explore`` announces it; the process group is stopped on exit."""
    log = open(log_path, "wb") if log_path else None
    server = VoilaProcess(port or free_port(), preheat=preheat, log=log, base_url=base_url, pool=pool)
    try:
        server.wait_ready(timeout=timeout)
        yield server if handle else server.url
    finally:
        server.stop()
        if log is not None:
            log.close()
