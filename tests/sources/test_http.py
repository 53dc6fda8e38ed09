"""The shared HTTP layer: retries, Retry-After, timeouts, broken answers, rate limit, errors."""

from __future__ import annotations

import pickle

import pytest

from barometer.exceptions import BarometerError, SourceFormatError, SourceUnavailableError
from barometer.sources._http import HttpClient, RateLimiter

from upstream_server import Reply


def test_429_then_200_honours_retry_after(upstream, sleeps):
    upstream.add("/x", Reply(429, body={"title": "Too Many Requests"}, headers={"Retry-After": "2"}),
                 Reply(body={"ok": True}))
    doc, answer = HttpClient().get_json(f"{upstream.base}/x")
    assert doc == {"ok": True}
    assert answer.attempts == 2
    assert 2.0 in sleeps  # waited what the server asked for
    assert len(upstream.calls("/x")) == 2


def test_500_retries_then_names_address_and_status(upstream, sleeps):
    upstream.add("/api/v2/tables/TAB1/data", Reply(500, body={"title": "Internal Server Error"}))
    client = HttpClient(retries=3)
    with pytest.raises(SourceUnavailableError) as info:
        client.get(f"{upstream.base}/api/v2/tables/TAB1/data", {"lang": "sv", "valueCodes[Tid]": "2023"})
    err = info.value
    assert err.status == 500 and err.attempts == 4
    assert err.url.startswith(f"{upstream.base}/api/v2/tables/TAB1/data?lang=sv")
    assert "valueCodes%5BTid%5D=2023" in err.url
    assert "500" in str(err) and err.url in str(err)
    assert len(upstream.calls("/api/v2/tables/TAB1/data")) == 4
    assert len(sleeps) >= 2  # backed off between attempts


def test_404_is_not_retried(upstream, sleeps):
    upstream.add("/missing", Reply(404, body={"title": "Not Found", "detail": "no such table"}))
    with pytest.raises(SourceUnavailableError) as info:
        HttpClient().get(f"{upstream.base}/missing")
    assert info.value.status == 404 and info.value.attempts == 1
    assert "no such table" in str(info.value)


def test_timeout_becomes_source_unavailable(upstream, sleeps):
    upstream.add("/slow", Reply(body={"late": True}, delay=5.0))
    client = HttpClient(timeout=0.2, retries=1)
    with pytest.raises(SourceUnavailableError) as info:
        client.get(f"{upstream.base}/slow")
    assert info.value.status == "timeout"
    assert info.value.attempts == 2
    assert "/slow" in str(info.value)
    assert len(upstream.calls("/slow")) == 2  # the read timeout was retried


def test_no_server_is_named(sleeps):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SourceUnavailableError) as info:
        HttpClient(retries=1, timeout=1).get(f"http://127.0.0.1:{port}/config")
    assert info.value.status == "ingen anslutning"
    assert f"127.0.0.1:{port}/config" in str(info.value)


@pytest.mark.parametrize("body, words", [
    (b'{"version": "2.0", "class": "dataset", "value": [1, 2', "avkortad JSON"),
    (b"", "tomt svar"),
    ('{"label": "Malmö"}'.encode("latin-1"), "inte UTF-8"),
])
def test_broken_json_is_a_format_error(upstream, body, words):
    upstream.add("/doc", Reply(body=body))
    with pytest.raises(SourceFormatError) as info:
        HttpClient().get_json(f"{upstream.base}/doc")
    assert words in str(info.value)
    assert f"{upstream.base}/doc" in str(info.value)


def test_body_shorter_than_announced_is_a_format_error(upstream):
    upstream.add("/cut", Reply(body=b'{"value": [1, 2, 3]}', content_length=500))
    with pytest.raises(SourceFormatError) as info:
        HttpClient(retries=0).get_json(f"{upstream.base}/cut")
    assert "avbröts" in str(info.value)


def test_bom_is_accepted(upstream):
    upstream.add("/bom", Reply(body=b'\xef\xbb\xbf{"a": 1}'))
    assert HttpClient().get_json(f"{upstream.base}/bom")[0] == {"a": 1}


def test_rate_limiter_waits_when_the_window_is_full(sleeps):
    limiter = RateLimiter(max_calls=2, window=10)
    assert limiter.wait() == 0 and limiter.wait() == 0
    waited = limiter.wait()
    assert 9.0 < waited <= 10.0
    assert sleeps == [pytest.approx(waited)]


def test_client_respects_rate_limit(upstream, sleeps):
    upstream.add("/r", Reply(body={}))
    client = HttpClient(max_calls=2, window=10)
    for _ in range(3):
        client.get(f"{upstream.base}/r")
    assert len(sleeps) == 1 and sleeps[0] > 9


@pytest.mark.parametrize("err", [
    SourceUnavailableError("http://x/y?a=1", 500, 5, "detalj"),
    SourceFormatError("http://x/y", "avkortad JSON"),
])
def test_errors_pickle_and_are_barometer_errors(err):
    back = pickle.loads(pickle.dumps(err))
    assert isinstance(back, BarometerError) and str(back) == str(err)
    assert back._kwargs == err._kwargs
