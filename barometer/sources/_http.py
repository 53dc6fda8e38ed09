"""Polite HTTP for the live sources: retries with backoff, Retry-After, a rate limit, clear errors.

One :class:`HttpClient` per upstream. It wraps a ``requests.Session`` whose adapter retries with
``urllib3.util.Retry``: on 429 (honouring ``Retry-After``), on 500/502/503/504, on connection
failures and on read timeouts, with exponential backoff. A sliding-window :class:`RateLimiter`
keeps us under the upstream's own limit (SCB: 30 calls per 10 s). Every failure becomes one of
barometer's errors and names the full address (with query) and the status:

- :class:`~barometer.exceptions.SourceUnavailableError` when no usable answer came (HTTP error
  after the retries, timeout, no connection);
- :class:`~barometer.exceptions.SourceFormatError` when an answer came but is not what it must
  be (broken or cut-off JSON, not UTF-8, a body shorter than announced).

Sleeping goes through ``time.sleep`` (urllib3's backoff and our limiter alike), so tests patch
that one function to run fast.
"""

from __future__ import annotations

import inspect
import json
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Mapping

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

from ..exceptions import SourceFormatError, SourceUnavailableError

USER_AGENT = "barometer/0.1 (+https://github.com/; open rebuild of Segregationsbarometern)"
RETRY_STATUSES = (429, 500, 502, 503, 504)


class RateLimiter:
    """At most ``max_calls`` calls in any ``window`` seconds (sliding window)."""

    def __init__(self, max_calls: int = 30, window: float = 10.0):
        self.max_calls = int(max_calls)
        self.window = float(window)
        self._stamps: deque[float] = deque()

    def wait(self) -> float:
        """Block until a call is allowed; return the seconds slept (0 when none)."""
        if self.max_calls <= 0 or self.window <= 0:
            return 0.0
        now = time.monotonic()
        self._drop_before(now)
        slept = 0.0
        if len(self._stamps) >= self.max_calls:
            slept = self.window - (now - self._stamps[0])
            if slept > 0:
                time.sleep(slept)
                now += slept  # count the wait even if sleep was patched away
            self._drop_before(now)
        self._stamps.append(now)
        return max(slept, 0.0)

    def _drop_before(self, now: float) -> None:
        while self._stamps and now - self._stamps[0] >= self.window:
            self._stamps.popleft()


@dataclass(frozen=True)
class Answer:
    """A successful (HTTP 200) answer: the final address, the body, and the attempts it took."""

    url: str
    content: bytes
    attempts: int
    headers: Mapping[str, str]


class HttpClient:
    """GET with retries, backoff, Retry-After, a rate limit and barometer errors.

    Parameters
    ----------
    timeout:
        Seconds to wait for a connection and for the answer (a number or a (connect, read) pair).
    retries:
        Retries after the first attempt (so ``retries + 1`` attempts at most).
    backoff_factor:
        urllib3 backoff: ``backoff_factor * 2 ** (n - 1)`` seconds before retry n (≥ 2), at most 60 s.
    max_calls, window:
        Rate limit: at most ``max_calls`` requests in any ``window`` seconds.
    """

    def __init__(
        self,
        *,
        timeout: float | tuple[float, float] = (10.0, 120.0),
        retries: int = 4,
        backoff_factor: float = 1.0,
        max_calls: int = 30,
        window: float = 10.0,
        retry_after_max: float = 120.0,
    ):
        self.timeout = timeout
        self.retries = int(retries)
        self.limiter = RateLimiter(max_calls, window)
        retry = Retry(
            total=self.retries,
            connect=self.retries,
            read=self.retries,
            status=self.retries,
            other=0,
            redirect=5,
            allowed_methods=frozenset({"GET"}),
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_factor,
            backoff_max=60.0,
            respect_retry_after_header=True,
            raise_on_status=False,
            **_retry_after_cap(retry_after_max),
        )
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})

    def set_rate_limit(self, max_calls: int, window: float) -> None:
        self.limiter = RateLimiter(max_calls, window)

    # -- requests ---------------------------------------------------------------------------

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> Answer:
        """GET ``url``; return the answer of status 200 or raise a barometer error naming the address."""
        full = full_url(url, params)
        self.limiter.wait()
        try:
            resp = self.session.get(url, params=params, timeout=self.timeout)
        except requests.exceptions.ChunkedEncodingError as err:
            raise SourceFormatError(full, f"svaret avbröts innan det var komplett ({_reason(err)})") from err
        except requests.exceptions.ContentDecodingError as err:
            raise SourceFormatError(full, f"svaret kunde inte avkodas ({_reason(err)})") from err
        except requests.exceptions.RetryError as err:
            raise SourceUnavailableError(full, _status_of(err), self.retries + 1,
                                         "servern svarade med fel även efter omförsök.") from err
        except requests.exceptions.RequestException as err:
            if _is_timeout(err):
                raise SourceUnavailableError(
                    full, "timeout", self.retries + 1,
                    f"inget svar inom {self._read_timeout():g} s. Försök igen senare.",
                ) from err
            raise SourceUnavailableError(
                full, "ingen anslutning", self.retries + 1,
                f"kontrollera nätverket och adressen ({_reason(err)}).",
            ) from err
        attempts = _attempts(resp)
        if resp.status_code != 200:
            raise SourceUnavailableError(resp.url or full, resp.status_code, attempts, _problem(resp))
        return Answer(url=resp.url or full, content=resp.content, attempts=attempts, headers=resp.headers)

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> tuple[Any, Answer]:
        """GET and parse JSON (strict UTF-8). Returns (document, answer)."""
        answer = self.get(url, params)
        return parse_json(answer.content, answer.url), answer

    def _read_timeout(self) -> float:
        return self.timeout[1] if isinstance(self.timeout, tuple) else float(self.timeout)


# -- helpers ----------------------------------------------------------------------------------

def full_url(url: str, params: Mapping[str, Any] | None = None) -> str:
    """The address requests will call, query included (for messages and metadata)."""
    return requests.Request("GET", url, params=dict(params or {})).prepare().url or url


def parse_json(content: bytes, where: str) -> Any:
    """Decode a JSON body strictly (UTF-8, optional BOM); broken or cut-off JSON is a SourceFormatError."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SourceFormatError(
            where, f"svaret är inte UTF-8 (ogiltig byte vid position {err.start}); väntade JSON."
        ) from err
    if not text.strip():
        raise SourceFormatError(where, "tomt svar; väntade JSON.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise SourceFormatError(
            where,
            f"ogiltig eller avkortad JSON ({err.msg} vid tecken {err.pos} av {len(text)}). "
            "Svaret kan ha avbrutits; inget sparades.",
        ) from err


def _retry_after_cap(seconds: float) -> dict:
    """``retry_after_max`` for urllib3 versions that have it (newer 2.x); older ones honour any value."""
    if "retry_after_max" in inspect.signature(Retry.__init__).parameters:
        return {"retry_after_max": int(seconds)}
    return {}


def _attempts(resp: requests.Response) -> int:
    retries = getattr(getattr(resp, "raw", None), "retries", None)
    history = getattr(retries, "history", None) or ()
    return len(history) + 1


def _problem(resp: requests.Response) -> str:
    """A short reason from the body (RFC 7807 problem+json or plain text), in one line."""
    text = ""
    try:
        body = resp.json()
        if isinstance(body, dict):
            parts = [str(body.get(k)) for k in ("title", "detail", "message", "error") if body.get(k)]
            text = " – ".join(dict.fromkeys(parts))
    except ValueError:
        text = (resp.text or "")[:200]
    text = " ".join(text.split())[:300]
    hint = {
        404: "Adressen finns inte (okänt tabell-id, KPI eller lager?).",
        400: "Servern godtog inte frågan (okänd variabel eller kod?).",
        403: "Åtkomst nekad.",
        429: "För många anrop; servern bad oss vänta även efter omförsök.",
    }.get(resp.status_code, "Servern svarade med fel även efter omförsök." if resp.status_code >= 500 else "")
    return " ".join(p for p in (hint, f"Svar: {text}" if text else "") if p)


def _is_timeout(err: BaseException) -> bool:
    if isinstance(err, requests.exceptions.Timeout):
        return True
    for arg in getattr(err, "args", ()):
        reason = arg.reason if isinstance(arg, MaxRetryError) else arg
        if isinstance(reason, NewConnectionError):  # a subclass of ConnectTimeoutError, but refused
            return False
        if isinstance(reason, (ReadTimeoutError, ConnectTimeoutError)):
            return True
    return False


def _status_of(err: BaseException) -> str | int:
    text = str(err)
    for code in RETRY_STATUSES:
        if f"{code} error" in text:
            return code
    return "fel"


def _reason(err: BaseException) -> str:
    reason = err
    for arg in getattr(err, "args", ()):
        if isinstance(arg, MaxRetryError) and arg.reason is not None:
            reason = arg.reason
    return " ".join(str(reason).split())[:200]
