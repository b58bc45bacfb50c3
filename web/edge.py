"""What every request passes through before it reaches a page, the API or Gradio: one place for the client's
address, body-size caps, validation errors that never echo a request, the slash redirects and the officer gate.

(Cross-origin policy, trusted proxies and further caps belong here too, so each is decided once.)
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse

from web.officer_auth import OfficerAuth

MAX_API_BODY_BYTES = 64_000
OFFICER_PAGES = ("/officer", "/officer/")
SLASH_REDIRECTS = {"/widget": "/widget/", "/officer": "/officer/"}


def client_address(request: Any) -> str:
    """The address a request came from, as the rate limits key it (a FastAPI or a Gradio request)."""
    client = getattr(request, "client", None)
    return str(getattr(client, "host", "") or "unknown")


def install(app: FastAPI, officer: OfficerAuth) -> None:
    """Add the middleware and error handlers to `app`."""

    @app.middleware("http")
    async def edge(request: Request, call_next: Any) -> Any:
        path = request.url.path
        if path in SLASH_REDIRECTS:
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(SLASH_REDIRECTS[path] + query, status_code=308)
        length = request.headers.get("content-length", "")
        if path.startswith("/api/") and length.isdigit() and int(length) > MAX_API_BODY_BYTES:
            return JSONResponse(
                {"detail": f"Request too large: at most {MAX_API_BODY_BYTES // 1000} KB."}, status_code=413
            )
        if path in OFFICER_PAGES and officer.own_sign_in and officer.user(request) is None:
            return RedirectResponse("/officer/login", status_code=303)
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{k: v for k, v in e.items() if k in ("type", "loc", "msg")} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)
