"""The polite HTTP client: names the product, asks conditionally, waits between requests, retries with back-off
(honouring Retry-After), gives up with a reason, and caps downloads. httpx's MockTransport stands in for the site;
a fake clock records the waits instead of sleeping."""

from __future__ import annotations

import httpx
import pytest

from ingest.moderngov.fetch import FetchError, PoliteClient, Validators, user_agent


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def sleep(self, s: float) -> None:
        self.waits.append(round(s, 3))
        self.now += s

    def time(self) -> float:
        return self.now


def client(handler, clock: Clock, **kw) -> PoliteClient:
    opts = {"interval_s": 0.0, "timeout_s": 5.0, "attempts": 3, "backoff_s": 1.0, **kw}
    return PoliteClient(transport=httpx.MockTransport(handler), sleep=clock.sleep, clock=clock.time, **opts)


def test_user_agent_names_the_product_and_contact() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"ok")

    with client(handler, Clock(), contact="democracy@example.gov.uk") as c:
        c.get("https://site.example/a")
    agent = seen[0].headers["User-Agent"]
    assert agent.startswith("CouncilQA/") and "Modern.Gov paper sync" in agent
    assert "democracy@example.gov.uk" in agent and agent == user_agent("democracy@example.gov.uk")


def test_conditional_request_and_304() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(
            200, content=b"body", headers={"ETag": '"v1"', "Last-Modified": "Wed, 10 Sep 2025"}
        )

    with client(handler, Clock()) as c:
        first = c.get("https://site.example/a")
        again = c.get("https://site.example/a", first.validators)
    assert (
        first.status == 200
        and first.body == b"body"
        and first.validators == Validators('"v1"', "Wed, 10 Sep 2025")
    )
    assert again.not_modified and again.body == b""


def test_requests_are_spaced_by_the_interval() -> None:
    clock = Clock()
    with client(lambda r: httpx.Response(200), clock, interval_s=1.5) as c:
        for _ in range(3):
            c.get("https://site.example/a")
    assert clock.waits == [1.5, 1.5] and c.requests == 3


def test_retries_with_back_off_then_succeeds() -> None:
    answers = iter([httpx.Response(503), httpx.Response(502), httpx.Response(200, content=b"at last")])
    clock = Clock()
    with client(lambda r: next(answers), clock) as c:
        got = c.get("https://site.example/a")
    assert got.body == b"at last" and clock.waits == [1.0, 2.0] and c.requests == 3


def test_retry_after_is_honoured() -> None:
    answers = iter([httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200)])
    clock = Clock()
    with client(lambda r: next(answers), clock) as c:
        c.get("https://site.example/a")
    assert clock.waits == [7.0]


def test_gives_up_with_the_reason_after_every_attempt() -> None:
    clock = Clock()
    with client(lambda r: httpx.Response(500), clock) as c, pytest.raises(FetchError) as caught:
        c.get("https://site.example/a")
    assert str(caught.value) == "HTTP 500 Internal Server Error (3 attempts)" and caught.value.status == 500
    assert clock.waits == [1.0, 2.0]


def test_timeouts_are_retried_and_reported() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with (
        client(handler, Clock(), attempts=2) as c,
        pytest.raises(FetchError, match=r"timed out after 5 s \(2 attempts\)"),
    ):
        c.get("https://site.example/a")


def test_an_answer_that_will_not_change_is_not_retried() -> None:
    clock = Clock()
    with (
        client(lambda r: httpx.Response(404), clock) as c,
        pytest.raises(FetchError, match="HTTP 404") as caught,
    ):
        c.get("https://site.example/a")
    assert caught.value.status == 404 and c.requests == 1 and clock.waits == []


def test_downloads_are_capped() -> None:
    big = httpx.Response(200, content=b"x" * 5000)
    with client(lambda r: big, Clock()) as c, pytest.raises(FetchError, match="limit"):
        c.get("https://site.example/a", max_bytes=1000)
