"""The JSON API and the server around it, in process (FastAPI's TestClient): /api/ask, /api/sources, /healthz,
/files, the officer token, limits, rate limiting, the OpenAPI spec and the offline docs page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fakes import TODAY, ScriptedBot, fake_store, scripted_bot
from tests.unit.appcorpus import app_settings, indexed_corpus
from vectorstore.indexer import Indexer
from web import create_app
from web.services import Services

CANONICAL = "When is Bury's next Ofsted standard inspection window?"
OFFICER = {"Authorization": "Bearer officer-secret-token-0123456"}
EXEMPT_ID = "private/placements-budget-part-b.md"


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One index for the read-only tests of this module."""
    return indexed_corpus(tmp_path_factory.mktemp("api"))


@pytest.fixture()
def settings(shared: Any) -> Any:
    return shared


@pytest.fixture()
def own_settings(tmp_path: Path) -> Any:
    """A private index for tests that add papers."""
    return indexed_corpus(tmp_path)


@pytest.fixture(scope="module")
def bot(shared: Any) -> ScriptedBot:
    return scripted_bot(shared)


def make_client(settings: Any, bot: Any = None) -> TestClient:
    services = Services(settings, bot=bot, today=TODAY, store=None if bot else fake_store(settings))
    return TestClient(create_app(settings, services))


@pytest.fixture(scope="module")
def api(shared: Any, bot: ScriptedBot) -> Iterator[TestClient]:
    """One server for the tests that only read (building the Gradio apps takes seconds)."""
    with make_client(shared, bot) as client:
        yield client


def test_ask_returns_the_answer_with_citations_and_links(api: TestClient) -> None:
    r = api.post("/api/ask", json={"question": CANONICAL})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "answered" and body["as_at"].startswith("As at")
    c = body["citations"][0]
    assert c["quote"] in c["passage_text"]
    assert c["url"].startswith("http://testserver/papers/seeds/")  # the paper as a page, at the passage
    assert c["url"].endswith("#cqa-cited")
    assert api.get(c["url"]).status_code == 200


def test_ask_with_the_real_answer_chain(settings: Any) -> None:
    """Not scripted: the lead's chain with the hashing embedding; only the shape is checked here."""
    with make_client(settings) as api:
        r = api.post("/api/ask", json={"question": CANONICAL})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] in {"answered", "partial", "not_found", "refused"}
    for c in body["citations"]:
        assert c["quote"] in c["passage_text"]


def test_filters_and_history_are_passed_on(api: TestClient, bot: ScriptedBot) -> None:
    payload = {
        "question": "And the one before?",
        "filters": {"date_from": "2025-01-01", "bodies": ["Cabinet"], "doc_types": ["cabinet report"]},
        "history": [{"question": CANONICAL, "answer": "Between December 2027 and December 2028."}],
    }
    assert api.post("/api/ask", json=payload).status_code == 200
    call = bot.calls[-1]
    assert call["filters"].bodies == ("Cabinet",) and str(call["filters"].date_from) == "2025-01-01"
    assert call["history"] == [{"question": CANONICAL, "answer": "Between December 2027 and December 2028."}]


@pytest.mark.parametrize(
    ("payload", "status", "says"),
    [
        ({"question": "x" * 1001}, 422, "at most 1000 characters"),
        ({"question": ""}, 422, "at least 1 character"),
        ({"question": "   "}, 400, "Please type a question"),
        ({"question": "q", "audience": "everyone"}, 422, "'public' or 'officer'"),
        ({"question": "q", "filters": {"doc_types": ["memo"]}}, 422, "cabinet report"),
        ({"question": "q", "filters": {"bodies": ["Imaginary Committee"]}}, 400, "Unknown committee or body"),
        ({"question": "q", "filters": {"councils": ["Atlantis"]}}, 400, "Unknown council: 'Atlantis'"),
        (
            {"question": "q", "filters": {"date_from": "2025-10-01", "date_to": "2025-01-01"}},
            422,
            "date_from",
        ),
        ({"question": "q", "filters": {"date_from": "yesterday"}}, 422, "date"),
        ({"question": "q", "filters": {"date_to": 0.0}}, 422, "date"),
        ({"question": "q", "filters": {"date_from": 1764547200}}, 422, "date"),
        ({"question": "q", "colour": "red"}, 422, "Extra inputs are not permitted"),
        ({"question": "q", "history": [{"question": "a"}] * 11}, 422, "at most 10 items"),
    ],
)
def test_bad_requests_get_clear_messages(
    api: TestClient, payload: dict[str, Any], status: int, says: str
) -> None:
    r = api.post("/api/ask", json=payload)
    assert r.status_code == status, r.text
    assert says in r.text


def test_public_api_never_sees_exempt_papers(api: TestClient, bot: ScriptedBot) -> None:
    q = "placements budget overspend residential children's homes sufficiency strategy"
    body = api.post("/api/ask", json={"question": q}).json()
    assert all(c["doc_id"] != EXEMPT_ID for c in body["citations"])
    sources = api.get("/api/sources").json()
    assert EXEMPT_ID not in {d["doc_id"] for d in sources["documents"]}
    assert "exempt" not in sources["by_classification"]


def test_officer_audience_needs_the_token(api: TestClient) -> None:
    q = {"question": "placements budget overspend sufficiency strategy", "audience": "officer"}
    assert api.post("/api/ask", json=q).status_code == 401
    assert api.post("/api/ask", json=q, headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = api.post("/api/ask", json=q, headers=OFFICER)
    assert r.status_code == 200
    exempt = [c for c in r.json()["citations"] if c["doc_id"] == EXEMPT_ID]
    assert exempt and "&exp=" in exempt[0]["url"] and exempt[0]["url"].startswith("http://testserver/papers/")
    page = api.get(exempt[0]["url"].split("#")[0])  # the signed link opens it, as a page, the quote marked
    assert page.status_code == 200 and "Exempt: not for publication" in page.text and "<mark>" in page.text
    unsigned_page = api.get(f"/papers/{EXEMPT_ID}")
    assert (unsigned_page.status_code, "Placements" in unsigned_page.text) == (404, False)
    unsigned = api.get(f"/files/{EXEMPT_ID}")  # unsigned does not, and looks like an unknown id
    assert (unsigned.status_code, unsigned.json()) == (404, api.get("/files/private/no-such-paper.md").json())
    assert api.get(f"/files/{EXEMPT_ID}?exp=9999999999&sig=00").status_code == 404
    sources = api.get("/api/sources", params={"audience": "officer"}, headers=OFFICER).json()
    assert EXEMPT_ID in {d["doc_id"] for d in sources["documents"]}
    assert api.get("/api/sources", params={"audience": "officer"}).status_code == 401


def test_officer_audience_is_off_without_a_token(settings: Any, bot: ScriptedBot) -> None:
    with make_client(settings.model_copy(update={"officer_token": ""}), bot) as api:
        r = api.post("/api/ask", json={"question": "q", "audience": "officer"}, headers=OFFICER)
    assert r.status_code == 403 and "COUNCIL_OFFICER_TOKEN" in r.text


def test_public_api_is_rate_limited_per_client(settings: Any, bot: ScriptedBot) -> None:
    with make_client(settings.model_copy(update={"widget_rate_limit_per_min": 2}), bot) as api:
        codes = [api.post("/api/ask", json={"question": CANONICAL}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        r = api.post("/api/ask", json={"question": CANONICAL})
        assert int(r.headers["Retry-After"]) >= 1 and "Please wait" in r.json()["detail"]
        assert api.post(
            "/api/ask", json={"question": CANONICAL, "audience": "officer"}, headers=OFFICER
        ).is_success


def test_questions_asked_on_the_api_are_in_the_audit(api: TestClient, settings: Any) -> None:
    question = "How many foster carers were recruited? (audit check)"
    api.post("/api/ask", json={"question": question})
    from web.feedback import FeedbackStore

    [rec] = [r for r in FeedbackStore(settings.feedback_db).asks() if r.question == question]
    assert (rec.surface, rec.audience) == ("api", "public")


@pytest.mark.parametrize(
    "path",
    [
        "/files/../../../../etc/passwd",
        "/files/..%2F..%2F..%2Fetc%2Fpasswd",
        "/files//etc/passwd",
        "/files/seeds/../metadata.yaml",
        "/files/metadata.yaml",
        "/files/seeds/not-indexed.md",
        "/files/%00",
    ],
)
def test_files_only_serves_indexed_papers_inside_the_corpus(api: TestClient, path: str) -> None:
    r = api.get(path)
    assert r.status_code in (403, 404), (path, r.status_code)
    assert "root:" not in r.text


def test_files_are_served_safely(api: TestClient, own_settings: Any) -> None:
    settings = own_settings
    r = api.get("/files/public/hostile-paper.md")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    assert r.headers["x-content-type-options"] == "nosniff"
    html_paper = settings.corpus_dir / "public" / "page.html"
    html_paper.write_text(
        "<html><body><h1>Paper</h1><p>Fostering text.</p><script>alert(1)</script></body></html>"
    )
    Indexer(fake_store(settings)).sync([settings.corpus_dir])
    with make_client(settings) as fresh:
        r = fresh.get("/files/public/page.html")
    assert r.status_code == 200 and "sandbox" in r.headers["content-security-policy"]


def test_a_symlink_out_of_the_corpus_is_not_served(own_settings: Any, tmp_path: Path) -> None:
    settings = own_settings
    outside = tmp_path / "secret.md"
    outside.write_text("# Secret\n\nA secret paper about fostering allowances and secrets.\n")
    (settings.corpus_dir / "public" / "link.md").symlink_to(outside)
    Indexer(fake_store(settings)).sync([settings.corpus_dir])
    with make_client(settings) as fresh:
        assert fresh.get("/files/public/link.md").status_code == 404


def test_healthz(api: TestClient, tmp_path: Path) -> None:
    assert api.get("/healthz").json() == {"status": "ok", "documents": 4, "detail": ""}
    with make_client(app_settings(tmp_path / "none", tmp_path / "no-corpus")) as empty:
        body = empty.get("/healthz").json()
        assert body["status"] == "no_index" and "council ingest" in body["detail"]
        r = empty.post("/api/ask", json={"question": CANONICAL})
        assert r.status_code == 503 and "council ingest" in r.json()["detail"]


def test_openapi_publishes_the_limits_and_docs_are_offline(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    assert {"/api/ask", "/api/sources", "/healthz"} <= set(spec["paths"])
    schema = spec["components"]["schemas"]["AskRequest"]["properties"]["question"]
    assert schema["maxLength"] == 1000
    docs = api.get("/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.text and "https://" not in docs.text
    assert api.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200


def test_pages_and_officer_area(api: TestClient, settings: Any, bot: ScriptedBot) -> None:
    for path in ("/", "/widget/"):
        r = api.get(path)
        assert r.status_code == 200 and "<gradio-app" in r.text, path
    r = api.get("/widget", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (308, "/widget/")
    assert api.get("/widget").url.path == "/widget/"
    assert api.get("/widget/gradio.js").text.startswith('import("./assets/')
    assert "<gradio-app" in api.get("/demo-host.html").text or "gradio-app" in api.get("/demo-host.html").text
    for path in ("/accessibility", "/privacy"):
        r = api.get(path)
        assert r.status_code == 200 and '<a class="cqa-skip" href="#main">' in r.text, path
    assert f"<strong>{settings.log_retention_days} days</strong>" in api.get("/privacy").text
    assert "EHRC" in api.get("/accessibility").text


def test_officer_sign_in_page_signs_in_and_out(api: TestClient, settings: Any, bot: ScriptedBot) -> None:
    r = api.get("/officer/", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/officer/login")
    page = api.get("/officer/")
    assert page.status_code == 200 and "<h1>Sign in to the officer area</h1>" in page.text
    assert 'autocomplete="current-password"' in page.text and 'href="/"' in page.text
    assert api.get("/officer/config").status_code == 401
    same_site = {"origin": "http://testserver"}  # as a browser sends with a form on this site
    wrong = api.post("/officer/login", data={"username": "officer", "password": "nope"}, headers=same_site)
    assert wrong.status_code == 401 and 'role="alert"' in wrong.text and "do not match" in wrong.text
    ok = api.post(
        "/officer/login",
        data={"username": settings.officer_username, "password": settings.officer_password, "next": "//evil"},
        headers=same_site,
        follow_redirects=False,
    )
    assert (ok.status_code, ok.headers["location"]) == (303, "/officer/")  # never another site
    cookie = ok.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/officer" in cookie
    assert "<gradio-app" in api.get("/officer/").text and api.get("/officer/config").status_code == 200
    api.get("/officer/logout")
    assert api.get("/officer/config").status_code == 401
    with make_client(settings.model_copy(update={"officer_password": ""}), bot) as off:
        for path in ("/officer", "/officer/", "/officer/login"):
            r = off.get(path)
            assert r.status_code == 404 and "The officer area is switched off" in r.text, path
            assert 'href="/"' in r.text and "<main" in r.text


def test_officer_area_behind_a_proxy_header(settings: Any, bot: ScriptedBot) -> None:
    s = settings.model_copy(update={"officer_auth_header": "X-Forwarded-User", "officer_password": ""})
    with make_client(s, bot) as api:
        assert api.get("/officer/config").status_code == 401
        assert api.get("/officer/config", headers={"X-Forwarded-User": "jo"}).status_code == 200
