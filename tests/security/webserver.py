"""The served app for attacks over real HTTP: `create_app` under uvicorn on 127.0.0.1, configured exactly as
`council serve` runs it (`web.server.uvicorn_config`), with the real Gradio mounts; and Gradio's queue API as a
browser's page uses it (join, then read the event stream), so attacks use real cookies and headers."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from tests.system.appserver import free_port


@dataclass
class Served:
    url: str
    app: Any
    services: Any

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kwargs)


@contextmanager
def serve(settings: Any, services: Any) -> Iterator[Served]:
    import uvicorn

    from web import create_app
    from web.server import uvicorn_config

    app = create_app(settings, services=services)
    port = free_port()
    config = uvicorn_config(app, settings, "127.0.0.1", port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the app did not start")
        time.sleep(0.05)
    try:
        yield Served(url, app, services)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def fn_index(http: httpx.Client, mount: str, api_name: str) -> int:
    """The id of a mount's event by its API name (as its page finds it in the config)."""
    config = http.get(f"{mount}/config").json()
    for dep in config["dependencies"]:
        if dep.get("api_name") == api_name:
            return int(dep["id"])
    raise LookupError(f"{mount}: no event named {api_name!r}")


def join(
    http: httpx.Client,
    mount: str,
    fn: int,
    data: list[Any],
    session: str,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body = {"data": data, "fn_index": fn, "session_hash": session, "event_data": None, "trigger_id": None}
    return http.post(f"{mount}/gradio_api/queue/join", json=body, headers=headers or {})


def stream(
    http: httpx.Client, mount: str, session: str, headers: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The session's event stream until its event completes: every message, in order."""
    messages: list[dict[str, Any]] = []
    with http.stream(
        "GET", f"{mount}/gradio_api/queue/data", params={"session_hash": session}, headers=headers or {}
    ) as r:
        r.raise_for_status()
        for line in r.iter_lines():
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            messages.append(message)
            if message.get("msg") in ("process_completed", "close_stream", "unexpected_error"):
                break
    return messages


def event(
    http: httpx.Client,
    mount: str,
    fn: int,
    data: list[Any],
    session: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[httpx.Response, list[dict[str, Any]]]:
    """One event through Gradio's queue, as the page sends it: the join response and the stream's messages."""
    session = session or secrets.token_hex(8)
    joined = join(http, mount, fn, data, session, headers)
    if joined.status_code != 200:
        return joined, []
    return joined, stream(http, mount, session, headers)


def output(messages: list[dict[str, Any]]) -> list[Any]:
    done = [m for m in messages if m.get("msg") == "process_completed"]
    assert done and done[-1].get("success"), messages[-3:]
    return list(done[-1]["output"]["data"])
