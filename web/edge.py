"""What every request passes through before it reaches a page, the API or Gradio, decided once here:

- **the client's address**: the connecting address, or, when that is one of `COUNCIL_TRUSTED_PROXIES`, the last
  address in `X-Forwarded-For` that is not a trusted proxy. Written into the request's scope, so FastAPI, Gradio and
  the rate limits all see the same one; `X-Forwarded-Proto` from a trusted proxy likewise sets the scheme. Nothing
  else trusts a forwarded header (uvicorn's own handling is switched off in `web.server.run`).
- **body-size caps on every route**: 64 KB everywhere, except officer uploads (`COUNCIL_MAX_UPLOAD_MB` a file);
  `Content-Length` is checked first, and a chunked body is counted as it is read and cut off at the cap (413).
- **the officer area**: only from its own origin (a foreign `Origin`, a cross-site `Sec-Fetch-Site` or a
  state-changing request with neither `Origin` nor `Referer` of this site is refused with 403: the CSRF defence),
  and nothing under `/officer/` but the sign-in page answers anyone not signed in (401, or the sign-in page).
- **admission before Gradio's queue**: each client may put only so many events into a public mount's queue a
  minute (twice its question budget, at most a quarter of the queue), so a flood from one client is refused with
  429 before it can fill the queue that everyone else waits in. The question budget itself, with its message for
  people, is `web.services.Services.ask`.
- the slash redirects, and validation errors that never echo a request.

Cross-origin reads (CORS) are Starlette's `CORSMiddleware` with `COUNCIL_CORS_ORIGINS` as the allow-list (empty: same
origin only); Gradio's own CORS handling, which reflects any origin, stands aside when the app has one.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.officer_auth import OfficerAuth
from web.ratelimit import RateLimiter, wait_message

MAX_BODY_BYTES = 64_000
MAX_API_BODY_BYTES = MAX_BODY_BYTES  # the JSON API's cap (named in its OpenAPI errors)
OFFICER = "/officer"
OFFICER_PAGES = ("/officer", "/officer/")
OFFICER_OPEN = ("/officer/login", "/officer/logout")  # answered to anyone (the sign-in page and its form)
OFFICER_UPLOAD = "/officer/gradio_api/upload"
SLASH_REDIRECTS = {"/widget": "/widget/", "/officer": "/officer/"}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
QUEUE_MAX = 64  # events waiting in one mount's Gradio queue
# Gradio routes that put an event into a mount's queue (or run one at once)
QUEUE_ROUTES = ("/gradio_api/queue/join", "/gradio_api/call/", "/gradio_api/run/", "/gradio_api/api/")


def client_address(request: Any) -> str:
    """The address a request came from, as the rate limits key it (a FastAPI or a Gradio request): the edge has
    already put the real client's address in its scope."""
    client = getattr(request, "client", None)
    return str(getattr(client, "host", "") or "unknown")


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> list[Network]:
    return [ipaddress.ip_network(p.strip(), strict=False) for p in text.split(",") if p.strip()]


def _in(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in n for n in networks)


def forwarded_client(peer: str, forwarded_for: str, trusted: list[Network]) -> str:
    """The client's address: `peer` unless it is a trusted proxy, then the nearest address in `X-Forwarded-For`
    (read from the right, where each proxy appends) that is not itself a trusted proxy."""
    if not trusted or not _in(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _in(hop, trusted):
            return hop[:64]
    return hops[0][:64] if hops else peer


def origin_of(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


class BodyTooLarge(HTTPException):
    def __init__(self, cap: int) -> None:
        super().__init__(413, f"Request too large: at most {cap // 1000:,} KB.")


@dataclass
class EdgePolicy:
    officer: OfficerAuth
    trusted_proxies: list[Network] = field(default_factory=list)
    public_origin: str = ""  # "https://qa.example.gov.uk"; empty: the request's own Host
    upload_cap: int = MAX_BODY_BYTES
    admission: dict[str, RateLimiter] = field(
        default_factory=dict
    )  # public mount path ("/widget", "") -> limit

    def cap(self, path: str) -> int:
        return self.upload_cap if path == OFFICER_UPLOAD else MAX_BODY_BYTES

    def same_origin(self, origin: str, headers: Headers) -> bool:
        origin = origin_of(origin)
        if not origin:
            return False
        if self.public_origin:
            return origin == self.public_origin
        return urlsplit(origin).netloc == headers.get("host", "").lower()

    def officer_refusal(self, method: str, headers: Headers) -> str:
        """Why a request to the officer area is refused as cross-site, or ""."""
        origin = headers.get("origin")
        if origin is not None and not self.same_origin(origin, headers):
            return "Requests to the officer area from another site are refused."
        site = headers.get("sec-fetch-site", "")
        navigation = method == "GET" and headers.get("sec-fetch-mode", "") == "navigate"
        if site in ("cross-site", "same-site") and not navigation:
            return "Requests to the officer area from another site are refused."
        if method not in SAFE_METHODS and origin is None:
            referer = headers.get("referer", "")
            if not (referer and self.same_origin(referer, headers)):
                return "This request to the officer area does not say it came from this site (no Origin or Referer)."
        return ""

    def admission_limit(self, path: str) -> tuple[str, RateLimiter] | None:
        for mount, limiter in self.admission.items():
            if path.startswith(mount + "/gradio_api/") and any(
                path.startswith(mount + route) for route in QUEUE_ROUTES
            ):
                return mount, limiter
        return None


def _json(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


class Edge:
    """The ASGI middleware (outermost): see the module's docstring."""

    def __init__(self, app: ASGIApp, policy: EdgePolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        p = self.policy
        headers = Headers(scope=scope)
        peer = (scope.get("client") or ("unknown", 0))[0]
        client = forwarded_client(peer, headers.get("x-forwarded-for", ""), p.trusted_proxies)
        scope["client"] = (client, (scope.get("client") or ("", 0))[1])
        proto = headers.get("x-forwarded-proto", "").strip().lower()
        if proto in ("http", "https") and _in(peer, p.trusted_proxies):
            scope["scheme"] = {"http": proto, "websocket": "wss" if proto == "https" else "ws"}[scope["type"]]
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET")
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return

        response = self._refusal(scope, headers, path, method, client)
        if response is not None:
            await response(scope, receive, send)
            return

        cap = p.cap(path)
        length = headers.get("content-length", "")
        if length and (not length.isdigit() or int(length) > cap):
            await _json(413, BodyTooLarge(cap).detail)(scope, receive, send)
            return
        received = 0
        started = False

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    raise BodyTooLarge(cap)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, capped_receive, watching_send)
        except BodyTooLarge as exc:
            if not started:
                await _json(413, str(exc.detail))(scope, receive, send)

    def _refusal(self, scope: Scope, headers: Headers, path: str, method: str, client: str) -> Any:
        p = self.policy
        if path in SLASH_REDIRECTS:
            query = scope.get("query_string", b"").decode("latin-1")
            return RedirectResponse(SLASH_REDIRECTS[path] + (f"?{query}" if query else ""), status_code=308)
        if path == OFFICER or path.startswith(OFFICER + "/"):
            why = p.officer_refusal(method, headers)
            if why:
                return _json(403, why)
            if p.officer.enabled and path not in OFFICER_OPEN and p.officer.user(Request(scope)) is None:
                if path in OFFICER_PAGES and p.officer.own_sign_in:
                    return RedirectResponse("/officer/login", status_code=303)
                return _json(401, "Sign in to the officer area first.")
            return None
        if method == "POST":
            found = p.admission_limit(path)
            if found is not None:
                mount, limiter = found
                wait = limiter.retry_after(f"{mount}\0{client}")
                if wait:
                    retry = str(max(1, round(wait + 0.5)))
                    return _json(429, wait_message(wait), {"Retry-After": retry})
        return None


def install(app: FastAPI, policy: EdgePolicy, cors_origins: list[str]) -> None:
    """Add the middleware and error handlers to `app` (before the Gradio mounts, so Gradio sees our CORS)."""
    app.add_middleware(
        CORSMiddleware,
        allow_origins=cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["content-type"],
        allow_credentials=False,
    )
    app.add_middleware(Edge, policy=policy)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{k: v for k, v in e.items() if k in ("type", "loc", "msg")} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)


def admission_limiter(per_minute: int) -> RateLimiter:
    """Events one client may put into a public mount's queue: twice its question budget a minute, in bursts of at
    most a quarter of the queue."""
    return RateLimiter(2 * per_minute, burst=min(2 * per_minute, QUEUE_MAX // 4))
