"""Fixtures of the source tests: a local stand-in for the upstream APIs on 127.0.0.1.

`upstream` is a ThreadingHTTPServer on a random port (see upstream_server.py for replies);
`sleeps` patches time.sleep and records it, so retries run instantly; `env` points barometer
at the server and at a temporary data folder (BAROMETER_DATA); `catalog` is a small catalogue.
"""

from __future__ import annotations

import copy
import threading
import time

from http.server import ThreadingHTTPServer

import pytest
from upstream_server import BISTAND, EMPLOYED, LOW, NO_KPI, OFFLINE, Upstream, _handler


@pytest.fixture
def upstream():
    state = Upstream()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def sleeps(monkeypatch):
    """Patch time.sleep (urllib3's backoff and our rate limiter use it); record the seconds."""
    calls: list[float] = []
    monkeypatch.setattr(time, "sleep", lambda s: calls.append(float(s)))
    return calls


@pytest.fixture
def env(upstream, tmp_path, monkeypatch, sleeps):
    """Point barometer at the local server and at a temporary data folder."""
    monkeypatch.setenv("BAROMETER_SCB_URL", upstream.scb)
    monkeypatch.setenv("BAROMETER_KOLADA_URL", upstream.kolada)
    monkeypatch.setenv("BAROMETER_WFS_URL", upstream.wfs)
    monkeypatch.setenv("BAROMETER_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def catalog():
    """A small catalogue in the shape of barometer/catalog/indicators.yml."""
    return copy.deepcopy([LOW, EMPLOYED, BISTAND, NO_KPI, OFFLINE])
