"""The server: the JSON API (`/api/...`, documented at `/docs`), originals (`/files/...`), static files, and the
Gradio chat (`/`), residents' widget (`/widget/`) and officer area (`/officer/`), all on one FastAPI app.
`council serve` runs `create_app`.
"""

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from assistant.errors import CouncilQAError
from assistant.settings import Settings, load_settings
from web.api import make_router
from web.chat import TITLE, build_chat, build_widget
from web.officer import build_officer
from web.services import Services

log = logging.getLogger("council_qa.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
GRADIO_JS = Path(gr.__file__).resolve().parent / "templates" / "frontend" / "gradio.js"
THEME = gr.themes.Default(primary_hue=gr.themes.colors.blue).set(
    body_text_color_subdued="*neutral_600",
    body_text_color_subdued_dark="*neutral_300",
    block_info_text_color="*neutral_600",
    block_info_text_color_dark="*neutral_300",
    block_label_text_color="*neutral_700",
    block_label_text_color_dark="*neutral_200",
    input_placeholder_color="*neutral_500",
    input_placeholder_color_dark="*neutral_400",
    button_primary_background_fill="*primary_700",
    button_primary_background_fill_hover="*primary_800",
    button_primary_background_fill_dark="*primary_700",
    button_primary_background_fill_hover_dark="*primary_800",
    button_primary_text_color="white",
    button_primary_text_color_dark="white",
)


def _mount(app: FastAPI, blocks: gr.Blocks, path: str, **kwargs: Any) -> None:
    blocks.queue(default_concurrency_limit=4, max_size=64)
    gr.mount_gradio_app(
        app,
        blocks,
        path=path,
        theme=THEME,
        css_paths=[STATIC_DIR / "app.css"],
        footer_links=[],
        run_history=False,
        ssr_mode=False,
        show_error=False,
        mcp_server=False,
        enable_monitoring=False,
        pwa=False,
        **kwargs,
    )


def _officer_auth(settings: Settings) -> dict[str, Any] | None:
    header = str(getattr(settings, "officer_auth_header", "") or "")
    if header:
        return {"auth_dependency": lambda request: request.headers.get(header) or None}
    if settings.officer_password:
        return {
            "auth": (settings.officer_username, settings.officer_password),
            "auth_message": "Council Q&A officer area: log in with the officer account.",
        }
    return None


MAX_API_BODY_BYTES = 64_000


def _limit_api_requests(app: FastAPI) -> None:
    """Refuse oversized API bodies before reading them, and never echo a request back in a validation error."""
    from fastapi import Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Any) -> Any:
        length = request.headers.get("content-length", "")
        if request.url.path.startswith("/api/") and length.isdigit() and int(length) > MAX_API_BODY_BYTES:
            return JSONResponse(
                {"detail": f"Request too large: at most {MAX_API_BODY_BYTES // 1000} KB."}, status_code=413
            )
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{k: v for k, v in e.items() if k in ("type", "loc", "msg")} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """The whole server: JSON API, originals, static files, and the Gradio chat, widget and officer area."""
    settings = settings or load_settings()
    services = services or Services(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        import threading

        threading.Thread(target=_warm, args=(services,), daemon=True, name="warm").start()
        yield

    app = FastAPIOffline(
        title=TITLE,
        version="0.1.0",
        description="Answers about a council's children's services papers, with citations a person can check. "
        "The public audience searches published (open) papers only.",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = services
    _limit_api_requests(app)
    app.include_router(make_router(services))
    app.mount("/web", StaticFiles(directory=STATIC_DIR), name="web")

    @app.get("/demo-host.html", include_in_schema=False)
    def demo_host() -> FileResponse:
        """An example council page embedding the widget (iframe and web component), served beside the app."""
        return FileResponse(STATIC_DIR / "demo-host.html", media_type="text/html")

    @app.get("/widget/gradio.js", include_in_schema=False)
    def widget_web_component() -> FileResponse:
        """Gradio's web-component loader, served here so an embedding page loads nothing from elsewhere."""
        return FileResponse(GRADIO_JS, media_type="text/javascript")

    auth = _officer_auth(settings)
    if auth:
        _mount(
            app,
            build_officer(services, logout="auth" in auth),
            "/officer",
            max_file_size=int(settings.max_upload_mb * 1_000_000),
            **auth,
        )
    else:

        @app.get("/officer", include_in_schema=False)
        @app.get("/officer/{rest:path}", include_in_schema=False)
        def officer_off(rest: str = "") -> HTMLResponse:
            return HTMLResponse(
                "<!doctype html><html lang='en'><title>Officer area switched off</title><main><h1>The officer area "
                "is switched off</h1><p>Set COUNCIL_OFFICER_PASSWORD (or a reverse-proxy header) to enable it."
                "</p></main></html>",
                status_code=404,
            )

    _mount(app, build_widget(services), "/widget", max_file_size=0)
    _mount(app, build_chat(services), "/", max_file_size=0)
    return app


def _warm(services: Services) -> None:
    """Load the embedding model and index in the background so the first question is quick."""
    try:
        services.bot()
    except CouncilQAError as exc:
        log.warning("%s", exc)
    except Exception:  # pragma: no cover - logged, the first question will report it
        log.exception("warming up failed")
