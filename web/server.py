"""The server: the JSON API (`/api/...`, documented at `/docs`), originals (`/files/...`) and readable papers
(`/papers/...`), the notices (`/accessibility`, `/privacy`), the officer sign-in, static files, and the Gradio chat
(`/`), residents' widget (`/widget/`) and officer area (`/officer/`), all on one FastAPI app. `council serve` runs
`create_app`. What every request passes through is in `web.edge`; who is an officer in `web.officer_auth`.
"""

# No `from __future__ import annotations`: FastAPI reads the route hints at run time.

import logging
import shutil
import tempfile
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import gradio as gr
from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.routing import Mount

from assistant.errors import CouncilQAError
from assistant.settings import Settings, load_settings
from web import edge, pages
from web.api import make_router
from web.chat import TITLE, build_chat
from web.edge import client_address
from web.files import NotServable
from web.officer import build_officer
from web.officer_auth import OfficerAuth, safe_next
from web.ratelimit import Backoff, guess_message
from web.reader import paper_html
from web.render import safe_href
from web.services import Services
from web.sources import at_page
from web.theme import Brand
from web.uploads import MAX_FILES_PER_JOB
from web.widget import build_widget

log = logging.getLogger("council_qa.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
GRADIO_JS = Path(gr.__file__).resolve().parent / "templates" / "frontend" / "gradio.js"


def _mount(
    app: FastAPI, blocks: gr.Blocks, path: str, brand: Brand, files: Path, others: list[Path], **kwargs: Any
) -> None:
    """One Gradio app under `path`, in the council's theme, with nothing sent or loaded elsewhere.

    Its uploads and outputs live in its own folder `files` (Gradio's cache and upload folder, which its
    `/gradio_api/file=` route serves), and the other mounts' folders are blocked: no mount serves another's files
    (by default every mount shares one temp folder, so the widget would serve the officer area's uploads)."""
    files.mkdir(parents=True, exist_ok=True, mode=0o700)
    blocks.queue(default_concurrency_limit=4, max_size=edge.QUEUE_MAX)
    blocks.GRADIO_CACHE = str(files)
    gr.mount_gradio_app(
        app,
        blocks,
        path=path,
        theme=brand.theme(),
        css=brand.css(),
        css_paths=[STATIC_DIR / "app.css"],
        footer_links=[],
        run_history=False,
        ssr_mode=False,
        show_error=False,
        mcp_server=False,
        enable_monitoring=False,
        pwa=False,
        allowed_paths=[],
        blocked_paths=[str(o) for o in others],
        **kwargs,
    )
    mounted = app.routes[-1]
    assert isinstance(mounted, Mount) and mounted.path == path.rstrip("/"), mounted
    mounted.app.uploaded_file_dir = str(files)  # type: ignore[attr-defined]


def _officer_routes(app: FastAPI, officer: OfficerAuth, brand: Brand, guesses: Backoff) -> None:
    """The officer sign-in and sign-out pages (before the Gradio mount, so they take precedence). Wrong passwords
    from one client slow it down (`guesses`): after a few, it must wait, and the password is not even checked."""

    @app.get("/officer/login", include_in_schema=False)
    def sign_in_page(request: Request, next: str = "") -> Response:
        if officer.user(request):
            return RedirectResponse(safe_next(next), status_code=303)
        return pages.sign_in(brand, next_path=safe_next(next))

    @app.post("/officer/login", include_in_schema=False)
    def sign_in(
        request: Request,
        username: Annotated[str, Form(max_length=200)] = "",
        password: Annotated[str, Form(max_length=500)] = "",
        next: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        client = f"login\0{client_address(request)}"
        wait = guesses.wait(client)
        if wait:
            page = pages.sign_in(brand, guess_message(wait), safe_next(next), username)
            page.status_code = 429
            page.headers["Retry-After"] = str(max(1, round(wait + 0.5)))
            return page
        if not officer.check(username, password):
            guesses.failed(client)
            return pages.sign_in(brand, "That username and password do not match.", safe_next(next), username)
        guesses.succeeded(client)
        response = RedirectResponse(safe_next(next), status_code=303)
        officer.sign_in(response, request, username.strip())
        return response

    @app.get("/officer/logout", include_in_schema=False)
    def sign_out() -> Response:
        response = RedirectResponse("/officer/login", status_code=303)
        officer.sign_out(response)
        return response


def _page_routes(app: FastAPI, services: Services, brand: Brand) -> None:
    @app.get("/accessibility", include_in_schema=False, response_class=HTMLResponse)
    def accessibility() -> Response:
        return pages.accessibility(brand)

    @app.get("/privacy", include_in_schema=False, response_class=HTMLResponse)
    def privacy() -> Response:
        return pages.privacy(brand, services.settings.log_retention_days)

    @app.get("/papers/{doc_id:path}", include_in_schema=False, response_class=HTMLResponse)
    def paper(
        doc_id: str,
        passage: Annotated[str, Query(max_length=200)] = "",
        quote: Annotated[str, Query(max_length=400)] = "",
        exp: Annotated[str | None, Query(max_length=20)] = None,
        sig: Annotated[str | None, Query(max_length=64)] = None,
    ) -> Response:
        """A paper as a readable page, the cited passage marked (open papers; exempt ones by signed link)."""
        try:
            doc = services.paper(doc_id, exp, sig)
            parts = services.paper_parts(doc)
        except NotServable as exc:
            return pages.page("Paper not found", f"<h1>Paper not found</h1><p>{exc}</p>", brand, status=404)
        except CouncilQAError as exc:
            return pages.page("Paper not available", f"<h1>Not available</h1><p>{exc}</p>", brand, status=503)
        published = safe_href(doc.source_url) or ""
        published = at_page(published, None) if published.startswith("http") else ""
        return pages.paper(brand, doc, paper_html(doc, parts, passage, quote), published)


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """The whole server: JSON API, originals, pages, static files, and the Gradio chat, widget and officer area."""
    settings = settings or load_settings()
    services = services or Services(settings)
    brand = Brand.of(settings)
    officer = OfficerAuth(settings, secret=services.signer.secret if settings.officer_password else None)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        threading.Thread(target=_warm, args=(services,), daemon=True, name="warm").start()
        from assistant.sync import start_scheduled_sync

        # COUNCIL_SYNC_URL and COUNCIL_SYNC_INTERVAL_H: papers synced from the council's site in the background
        app.state.sync = start_scheduled_sync(settings, services.store)
        yield
        if app.state.sync is not None:
            app.state.sync.stop()
        shutil.rmtree(app.state.gradio_files, ignore_errors=True)

    app = FastAPIOffline(
        title=TITLE,
        version="0.1.0",
        description="Answers about a council's children's services papers, with citations a person can check. "
        "The public audience searches published (open) papers only.",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = services
    public_limits = {
        "/widget": edge.admission_limiter(settings.widget_rate_limit_per_min),
        "": edge.admission_limiter(settings.chat_rate_limit_per_min),
    }
    policy = edge.EdgePolicy(
        officer,
        trusted_proxies=edge.parse_networks(settings.trusted_proxies),
        public_origin=edge.origin_of(settings.public_url),
        upload_cap=int(settings.max_upload_mb * 1_000_000) * MAX_FILES_PER_JOB + edge.MAX_BODY_BYTES,
        admission=public_limits,
    )
    cors = [o for o in (edge.origin_of(x) for x in settings.cors_origins.split(",")) if o]
    edge.install(app, policy, cors)
    app.include_router(make_router(services))
    app.mount("/web", StaticFiles(directory=STATIC_DIR), name="web")
    _page_routes(app, services, brand)

    @app.get("/demo-host.html", include_in_schema=False)
    def demo_host() -> FileResponse:
        """An example council page embedding the widget (iframe and web component), served beside the app."""
        return FileResponse(STATIC_DIR / "demo-host.html", media_type="text/html")

    @app.get("/widget/gradio.js", include_in_schema=False)
    def widget_web_component() -> FileResponse:
        """Gradio's web-component loader, served here so an embedding page loads nothing from elsewhere."""
        return FileResponse(GRADIO_JS, media_type="text/javascript")

    files = Path(tempfile.mkdtemp(prefix="council-qa-gradio-"))  # removed when the server stops (lifespan)
    app.state.gradio_files = files
    folders = {name: files / name for name in ("officer", "widget", "chat")}

    def others(name: str) -> list[Path]:
        return [folder for other, folder in folders.items() if other != name]

    if officer.enabled:
        if officer.own_sign_in:
            _officer_routes(app, officer, brand, services.guesses)
        _mount(
            app,
            build_officer(
                services, brand, sign_out=officer.own_sign_in, exports=folders["officer"] / "exports"
            ),
            "/officer",
            brand,
            folders["officer"],
            others("officer"),
            max_file_size=int(settings.max_upload_mb * 1_000_000),
            auth_dependency=officer.user,
        )
    else:

        @app.get("/officer/{rest:path}", include_in_schema=False)
        def officer_off(rest: str = "") -> HTMLResponse:
            return pages.officer_off(brand)

    _mount(
        app,
        build_widget(services, brand),
        "/widget",
        brand,
        folders["widget"],
        others("widget"),
        max_file_size=0,
    )
    _mount(app, build_chat(services, brand), "/", brand, folders["chat"], others("chat"), max_file_size=0)
    return app


def _warm(services: Services) -> None:
    """Load the embedding model and index in the background so the first question is quick; purge old log rows."""
    try:
        services.purge_old_log(force=True)
        services.bot()
    except CouncilQAError as exc:
        log.warning("%s", exc)
    except Exception:  # pragma: no cover - logged, the first question will report it
        log.exception("warming up failed")


def uvicorn_config(
    app: Any, settings: Settings, host: str | None = None, port: int | None = None, log_level: str = "info"
) -> Any:
    """How `council serve` runs the app: uvicorn's own forwarded-header handling is off (`web.edge` decides who
    the client is, trusting only `COUNCIL_TRUSTED_PROXIES`), and no Server header."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_level=log_level,
        proxy_headers=False,
        server_header=False,
    )


def run(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    import uvicorn

    uvicorn.Server(uvicorn_config(create_app(settings), settings, host, port)).run()
