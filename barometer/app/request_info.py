"""The page request's query string inside a Voilà kernel (``?kommun=malmo``), without importing Voilà's server.

``voila.utils.get_query_string`` does the same, but importing it imports ``voila`` and with it
jupyter_server and jupyter_events, which compiles a Lark grammar: about 3 s of CPU in every
session kernel, three quarters of a session's cost. This speaks the same protocol as that helper
(Voilà 0.5): a preheated kernel (``VOILA_PREHEAT=True``) connects to Voilà's request-info websocket
``{VOILA_WS_PROTOCOL}://{VOILA_APP_IP}:{VOILA_APP_PORT}{VOILA_WS_BASE_URL or VOILA_SERVER_URL}voila/query/{VOILA_KERNEL_ID}``
and blocks until the page request that takes the kernel arrives; the JSON it receives
(``QUERY_STRING``, ``SCRIPT_NAME``, ...) goes into ``os.environ``. A kernel started for a request
has ``QUERY_STRING`` in its environment already.
"""

from __future__ import annotations

import json
import os
import warnings


def request_url() -> str:
    """Voilà's request-info websocket address for this kernel (as ``voila.utils.wait_for_request`` builds it)."""
    env = os.environ
    protocol = env.get("VOILA_WS_PROTOCOL", "ws")
    ip = env.get("VOILA_APP_IP", "127.0.0.1")
    port = env.get("VOILA_APP_PORT", "8866")
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{ip}:{port}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}"


def wait_for_request(open_timeout: float = 5.0) -> None:
    """In a preheated kernel, block until Voilà hands it to a page request, then put that request's
    CGI variables into ``os.environ``. Elsewhere (no Voilà, or a kernel started per request) return at once."""
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    from websockets.sync.client import connect

    try:
        with connect(request_url(), open_timeout=open_timeout) as ws:
            info = ws.recv()
    except (TimeoutError, OSError) as err:
        warnings.warn(f"Kunde inte nå Voilàs förfrågningsinformation ({request_url()}): {err}", stacklevel=2)
        return
    for key, value in json.loads(info).items():
        os.environ[key] = str(value)


def query_string() -> str:
    """The query string of the page request this kernel serves (after waiting for it when preheated)."""
    wait_for_request()
    return os.environ.get("QUERY_STRING", "")
