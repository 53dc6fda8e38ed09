"""Helpers of the source tests: the local upstream server, its replies, and a tiny catalogue.

Tests queue replies per path (`upstream.add(path, Reply(...), ...)`); the last reply of a path
repeats, an unknown path answers 404. A reply is a status, headers and a body (inline, or a file
from tests/responses), with an optional delay (timeouts; the server waits with Event.wait, so
patching time.sleep does not shorten it) or a wrong Content-Length (cut-off bodies). A reply may
also be a function of the query string. Every request is recorded in `upstream.requests`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit


RESPONSES = Path(__file__).resolve().parents[1] / "responses"


@dataclass
class Reply:
    status: int = 200
    file: str | None = None
    body: bytes | str | dict | None = None
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    content_length: int | None = None  # announce this instead of the real length

    def payload(self, base: str) -> bytes:
        if self.file is not None:
            data = (RESPONSES / self.file).read_bytes()
        elif isinstance(self.body, dict):
            data = json.dumps(self.body).encode()
        elif isinstance(self.body, str):
            data = self.body.encode()
        else:
            data = self.body or b""
        return data.replace(b"{{BASE}}", base.encode())


@dataclass
class Request:
    path: str
    query: dict[str, str]
    raw: str


class Upstream:
    """Routes, replies and the record of requests of the local server."""

    def __init__(self):
        self.routes: dict[str, list[Reply | Callable[[dict], Reply]]] = {}
        self.requests: list[Request] = []
        self.release = threading.Event()
        self.base = ""

    def add(self, path: str, *replies) -> None:
        self.routes[path] = list(replies)

    def next_reply(self, path: str, query: dict) -> Reply:
        queue = self.routes.get(path)
        if not queue:
            return Reply(404, body={"title": "Not Found", "status": 404, "detail": f"no route {path}"})
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        return reply(query) if callable(reply) else reply

    def calls(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    # base addresses of the three upstreams
    @property
    def scb(self) -> str:
        return f"{self.base}/api/v2"

    @property
    def kolada(self) -> str:
        return f"{self.base}/v3"

    @property
    def wfs(self) -> str:
        return f"{self.base}/geoserver/stat/wfs"


def _handler(upstream: Upstream):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server API)
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            upstream.requests.append(Request(parts.path, query, self.path))
            reply = upstream.next_reply(parts.path, query)
            if reply.delay:
                upstream.release.wait(reply.delay)
            body = reply.payload(upstream.base)
            try:
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
                for k, v in headers.items():
                    self.send_header(k, str(v))
                self.send_header("Content-Length", str(reply.content_length if reply.content_length is not None else len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, *args):  # keep test output quiet
            pass

    return Handler


def scb_routes(upstream: Upstream, *, config: str = "scb/config.json") -> None:
    """The SCB answers most tests need: /config, TAB6685 metadata, the RegSO 2020 code list, data."""
    upstream.add("/api/v2/config", Reply(file=config))
    upstream.add("/api/v2/tables/TAB6685/metadata", Reply(file="scb/TAB6685_metadata.json"))
    upstream.add("/api/v2/tables/TAB6680/metadata", Reply(file="scb/TAB6680_metadata.json"))
    upstream.add("/api/v2/codeLists/vs_RegSO2020", Reply(file="scb/vs_RegSO2020.json"))
    upstream.add("/api/v2/tables/TAB6685/data", Reply(file="scb/TAB6685_data.json"))
    upstream.add("/api/v2/tables/TAB6680/data", Reply(file="scb/TAB6680_data.json"))


LOW = {
    "id": "andel_lag_ekonomisk_standard", "status": "live", "unit": "procent",
    "numerator": "personer med ekonomisk standard under 60 % av riksmedianen", "denominator": "folkbokförda",
    "live": {"api": "scb-pxweb-v2", "table": "TAB6685", "kpi": None,
             "query": {"ContentsCode": ["000008AC"], "Alder": ["tot"]},
             "region_codelist": "vs_RegSO2020", "group_map": {}},
}
EMPLOYED = {
    "id": "andel_forvarvsarbetande_20_64", "status": "live", "unit": "procent",
    "numerator": "förvärvsarbetande 20–64 år (0000089X)", "denominator": "befolkning 20–64 år (0000089Y)",
    "live": {"api": "scb-pxweb-v2", "table": "TAB6680 (ArRegDesoStatusN)", "kpi": None,
             "query": {"ContentsCode": ["0000089X", "0000089Y"], "Alder": ["20-64"], "Tid": ["2023"]},
             "region_codelist": "vs_RegSO2020", "group_map": {}},
}
BISTAND = {
    "id": "ekonomiskt_bistand", "status": "live", "unit": "procent",
    "live": {"api": "kolada", "table": None, "kpi": "N31807", "query": {"year": ["2022", "2023"]},
             "region_codelist": None, "group_map": {}},
}
NO_KPI = {
    "id": "gymnasiebehorighet", "status": "live", "unit": "procent",
    "live": {"api": "kolada", "table": None, "kpi": None, "query": {}, "region_codelist": None, "group_map": {}},
}
OFFLINE = {"id": "befolkning", "status": "offline", "live": None}
