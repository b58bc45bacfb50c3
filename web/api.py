"""The JSON API: `POST /api/ask`, `GET /api/sources`, `GET /api/record`, `GET /healthz`, and `GET /files/<doc id>`
for originals.

The public audience needs nothing; the officer audience needs `Authorization: Bearer <COUNCIL_OFFICER_TOKEN>`.
Errors are JSON `{"detail": "..."}` with a message for people: 400 bad question or filter, 401/403 officer
token, 422 malformed request, 429 rate limited (with Retry-After), 503 nothing indexed yet.
"""

# No `from __future__ import annotations` here: FastAPI must see the request model built at run time.

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse

from assistant.errors import BackendUnavailableError, CouncilQAError, NoIndexError
from vectorstore.audience import Audience
from web.edge import client_address
from web.files import NotServable, file_url
from web.ratelimit import guess_message
from web.record_api import add_record_route
from web.schemas import (
    AnswerOut,
    AskRequest,
    ErrorOut,
    Health,
    SourceDocument,
    SourcesOut,
    ask_request_model,
)
from web.services import RateLimitedError, Services

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The question or a filter cannot be used as given."},
    401: {"model": ErrorOut, "description": "The officer audience needs a valid bearer token."},
    403: {"model": ErrorOut, "description": "The officer API is switched off."},
    413: {"model": ErrorOut, "description": "The request body is too large (over 64 KB)."},
    429: {
        "model": ErrorOut,
        "description": "Too many questions (or wrong tokens) from this client; see Retry-After.",
    },
    503: {"model": ErrorOut, "description": "Nothing is indexed yet, or a backend is down."},
}


def check_officer(services: Services, authorization: str | None, request: Request) -> None:
    """The officer bearer token, compared in constant time; wrong guesses from one client slow it down
    (`web.ratelimit.Backoff`): 429 with Retry-After, before the token is even compared."""
    token = services.settings.officer_token
    if not token:
        raise HTTPException(
            403, "The officer audience is switched off on this server (no COUNCIL_OFFICER_TOKEN)."
        )
    client = f"token\0{client_address(request)}"
    wait = services.guesses.wait(client)
    if wait:
        raise HTTPException(429, guess_message(wait), {"Retry-After": str(max(1, round(wait + 0.5)))})
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        services.guesses.succeeded(client)
        return
    if authorization:
        services.guesses.failed(client)
    raise HTTPException(
        401,
        "The officer audience needs `Authorization: Bearer <officer token>`.",
        {"WWW-Authenticate": "Bearer"},
    )


def _error(exc: CouncilQAError) -> JSONResponse:
    if isinstance(exc, RateLimitedError):
        retry = str(max(1, round(exc.retry_after_s + 0.5)))
        return JSONResponse({"detail": str(exc)}, 429, {"Retry-After": retry})
    status = 503 if isinstance(exc, NoIndexError | BackendUnavailableError) else 400
    return JSONResponse({"detail": str(exc)}, status)


def make_router(services: Services) -> APIRouter:
    router = APIRouter()
    ask_model = ask_request_model(services.settings.max_question_chars)

    def absolute(request: Request, url: str | None) -> str | None:
        """A link on this server as a full URL: from COUNCIL_PUBLIC_URL when set (never from a request's Host)."""
        if url and url.startswith("/"):
            base = services.settings.public_url or str(request.base_url).rstrip("/")
            return base + url
        return url

    @router.post(
        "/api/ask",
        response_model=AnswerOut,
        responses=_ERRORS,
        tags=["questions"],
        summary="Answer a question from the papers, with citations",
    )
    def ask(
        body: ask_model,  # type: ignore[valid-type]
        request: Request,
        authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> Any:
        """The answer has `[n]` markers; each citation quotes the passage it rests on. `as_at` says which papers
        (by date) it relies on. Public: open papers only, rate limited per client."""
        req: AskRequest = body
        if req.audience == "officer":
            check_officer(services, authorization, request)
        try:
            asked = services.ask(
                req.question,
                audience=req.audience,
                filters=req.filters.to_search(),
                history=req.history_dicts(),
                surface="api",
                client=client_address(request) if req.audience == "public" else None,
            )
        except CouncilQAError as exc:
            return _error(exc)
        link = services.link_for(req.audience)
        return AnswerOut.of(asked.answer, lambda c: absolute(request, link(c)))

    @router.get(
        "/api/sources",
        response_model=SourcesOut,
        responses=_ERRORS,
        tags=["questions"],
        summary="What is indexed: papers, dates, bodies, types",
    )
    def sources(
        request: Request,
        audience: Annotated[Audience, Query(description="Whose view of the library.")] = Audience.PUBLIC,
        authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> Any:
        if audience == "officer":
            check_officer(services, authorization, request)
        try:
            lib = services.library(audience)
        except CouncilQAError as exc:
            return _error(exc)
        docs = [
            SourceDocument(
                doc_id=d.doc_id,
                title=d.title,
                date=d.date.isoformat() if d.date else "",
                council=d.council,
                body=d.body,
                doc_type=d.doc_type,
                classification=d.classification,
                chunks=d.chunks,
                url=absolute(request, file_url(d.doc_id)),
            )
            for d in lib.documents
        ]
        return SourcesOut(
            coverage=lib.coverage_sentence(),
            documents=docs,
            by_type=lib.by_type,
            by_body=lib.by_body,
            by_classification=lib.by_classification,
            councils=services.councils(audience),
            earliest=lib.earliest,
            latest=lib.latest,
            chunks=lib.chunks,
        )

    add_record_route(router, services, check_officer, _error, _ERRORS)

    @router.get(
        "/healthz", response_model=Health, tags=["service"], summary="Is the server up, is there an index"
    )
    def healthz() -> Any:
        return services.health()

    @router.get(
        "/files/{doc_id:path}",
        tags=["service"],
        summary="The original of a cited paper",
        response_class=FileResponse,
        responses={
            200: {"description": "The file.", "content": {"application/pdf": {}, "text/plain": {}}},
            404: {"model": ErrorOut, "description": "No such document held here (or not one you may open)."},
        },
    )
    def original(
        doc_id: str,
        exp: Annotated[str | None, Query(max_length=20, description="Officer link expiry.")] = None,
        sig: Annotated[str | None, Query(max_length=64, description="Officer link signature.")] = None,
    ) -> Any:
        try:
            found = services.original(doc_id, exp, sig)
        except NotServable as exc:
            return JSONResponse({"detail": str(exc)}, exc.status)
        headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=300"}
        if found.media_type.startswith("text/html"):
            # A paper is data: its scripts never run on this origin.
            headers["Content-Security-Policy"] = (
                "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
            )
        disposition = "attachment" if found.path.suffix.lower() == ".docx" else "inline"
        return FileResponse(
            found.path,
            media_type=found.media_type,
            filename=found.filename,
            content_disposition_type=disposition,
            headers=headers,
        )

    return router
