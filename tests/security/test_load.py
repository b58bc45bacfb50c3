"""Load: with the public rate limit on, a burst from one client is throttled while other clients are served."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

import pytest

from tests.security.conftest import TODAY

PER_MINUTE = 5
BURST = 40
OTHERS = 8


@pytest.fixture()
def limited(canary_settings: Any, canary_bot: Any) -> Any:
    """The app over the canary index with the public limit at its production-like value."""
    from web import create_app
    from web.services import Services

    settings = canary_settings.model_copy(update={"widget_rate_limit_per_min": PER_MINUTE})
    services = Services(settings, bot=canary_bot, today=TODAY)
    return create_app(settings, services=services), services


def test_a_burst_from_one_client_is_throttled_while_others_are_served(limited: Any) -> None:
    from fastapi.testclient import TestClient

    app, _ = limited

    def ask(host: str) -> tuple[str, int, str, str]:
        client = TestClient(app, client=(host, 40000))
        r = client.post("/api/ask", json={"question": "What did Cabinet agree about Redwood House?"})
        return host, r.status_code, r.headers.get("retry-after", ""), r.text

    hosts = ["203.0.113.7"] * BURST + [f"198.51.100.{i}" for i in range(1, OTHERS + 1) for _ in range(2)]
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(ask, hosts))
    burst = Counter(code for host, code, _, _ in results if host == "203.0.113.7")
    others = Counter(code for host, code, _, _ in results if host != "203.0.113.7")
    print(f"\nburst of {BURST} from one client: {dict(burst)}; {OTHERS} other clients x 2: {dict(others)}")
    assert burst[200] <= PER_MINUTE + 1 and burst[429] >= BURST - PER_MINUTE - 1
    assert others == {200: 2 * OTHERS}, others
    throttled = [(retry, text) for host, code, retry, text in results if code == 429]
    for retry, text in throttled:
        assert retry.isdigit() and 1 <= int(retry) <= 60
        assert "Please wait" in text


def test_the_widget_is_throttled_per_client_too(limited: Any) -> None:
    from web.chat import ChatHandlers

    _, services = limited
    widget = ChatHandlers(services, "public", "widget", plain=True)

    def ask(host: str) -> str:
        request = SimpleNamespace(client=SimpleNamespace(host=host), headers={}, username=None)
        *_, last = widget.respond("What did Cabinet agree about Redwood House?", [], request=request)
        return str(last[0])

    burst = [ask("203.0.113.9") for _ in range(PER_MINUTE + 5)]
    assert sum("Please wait" in b for b in burst) >= 5
    assert "Please wait" not in ask("198.51.100.99")  # someone else is still served
