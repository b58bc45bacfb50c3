"""The API over real HTTP against `council serve` on 127.0.0.1: `/api/ask` for both audiences, the Gradio
endpoints through `gradio_client`, the offline OpenAPI page, and schemathesis against the published spec."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.core.result import Ok

from tests.system.appserver import (
    EXEMPT_DOC,
    EXEMPT_QUESTION,
    OFFICER_TOKEN,
    Server,
    prepare_index,
    running_server,
)

pytestmark = pytest.mark.integration

CANONICAL = "When is Bury's next Ofsted standard inspection window?"


@pytest.fixture(scope="module")
def server(minilm_settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("api")
    with running_server(prepare_index(minilm_settings, root), root) as s:
        yield s


def post(server: Server, path: str, payload: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    req = urllib.request.Request(
        server.url + path,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def test_ask_over_http(server: Server) -> None:
    status, body = post(server, "/api/ask", {"question": CANONICAL})
    assert status == 200, body
    assert body["status"] == "answered"
    assert "December 2027" in body["answer"] and "December 2028" in body["answer"]
    assert body["as_at"].startswith("As at")
    cited = {c["doc_id"] for c in body["citations"]}
    # the Cabinet report, or the Ofsted report it summarises (answered from the inspection record)
    assert any(
        stem in d
        for d in cited
        for stem in ("bury-cabinet-2025-09-10-ofsted", "bury-ofsted-ilacs-2025-07-29")
    )
    for c in body["citations"]:
        assert c["quote"] and c["quote"] in c["passage_text"]
        # the published paper where its address is known (the Ofsted reports), else the paper as a page here
        assert c["url"] and c["url"].startswith((server.url + "/papers/", "https://")), c["url"]
        if c["url"].startswith(server.url):
            with urllib.request.urlopen(c["url"].split("#")[0], timeout=30) as resp:
                assert resp.status == 200 and 'id="cqa-cited"' in resp.read().decode()


def test_exempt_papers_need_the_officer_audience(server: Server) -> None:
    status, public = post(server, "/api/ask", {"question": EXEMPT_QUESTION})
    assert status == 200
    assert EXEMPT_DOC not in {c["doc_id"] for c in public["citations"] + public["closest"]}
    assert "2.4 million" not in public["answer"]

    assert post(server, "/api/ask", {"question": EXEMPT_QUESTION, "audience": "officer"})[0] == 401
    status, officer = post(
        server,
        "/api/ask",
        {"question": EXEMPT_QUESTION, "audience": "officer"},
        {"Authorization": f"Bearer {OFFICER_TOKEN}"},
    )
    assert status == 200
    assert EXEMPT_DOC in {c["doc_id"] for c in officer["citations"] + officer["closest"]}

    public_docs = {d["doc_id"] for d in server.get_json("/api/sources")["documents"]}
    officer_docs = {
        d["doc_id"]
        for d in server.get_json(
            "/api/sources?audience=officer", {"Authorization": f"Bearer {OFFICER_TOKEN}"}
        )["documents"]
    }
    assert EXEMPT_DOC not in public_docs and EXEMPT_DOC in officer_docs


def test_limits_over_http(server: Server) -> None:
    status, body = post(server, "/api/ask", {"question": "q" * (server.settings.max_question_chars + 1)})
    assert status == 422 and "at most" in json.dumps(body)
    status, body = post(server, "/api/ask", {"question": "q", "filters": {"bodies": ["No Such Committee"]}})
    assert status == 400 and "Unknown committee or body" in body["detail"]


def test_openapi_and_docs_are_served_offline(server: Server) -> None:
    spec = server.get_json("/openapi.json")
    assert spec["paths"]["/api/ask"]["post"]["responses"]["429"]
    with urllib.request.urlopen(server.url + "/docs", timeout=30) as resp:
        page = resp.read().decode()
    assert "swagger-ui-bundle.js" in page and "cdn." not in page


def test_gradio_client_asks_the_chat_and_the_widget(server: Server) -> None:
    from gradio_client import Client

    chat = Client(server.url + "/", verbose=False)
    conversation, live, question_box = chat.predict(  # the conversation's state stays on the server
        CANONICAL, None, None, [], [], [], api_name="/ask"
    )
    assert "December 2027" in conversation and "Answer ready" in live
    assert "Inspection of Bury local authority children" in conversation and "As at" in conversation
    # the box is emptied when the answer starts; the last step leaves it alone ("no change" to a client), so a
    # question typed in the browser while the answer streams is kept
    assert question_box == {"__type__": "update"}

    widget = Client(server.url + "/widget/", verbose=False)
    conversation, *_ = widget.predict(EXEMPT_QUESTION, api_name="/ask")
    assert "2.4 million" not in conversation and "Part B" not in conversation


@schemathesis.check
def rejects_invalid_data(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis's negative-data check, also counting 413 (a body over the size limit is refused unread)."""
    if response.status_code == 413:
        return True
    result: bool | None = checks.negative_data_rejection(ctx, response, case)
    return result


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    rejects_invalid_data,
]


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=lambda m: m.value)
def test_api_schema_has_no_server_errors(server: Server, mode: Any) -> None:
    """Requests generated from the published spec (valid ones, then invalid ones) for every operation get
    documented answers and never a 5xx. (Schemathesis's pytest loader needs pytest internals pytest 9 dropped,
    so each operation's Hypothesis strategy is driven here directly.)"""
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # the spec itself is valid
        operations.append(result.ok())
    assert {op.path for op in operations} >= {"/api/ask", "/api/sources", "/healthz"}
    for operation in operations:
        has_input = list(operation.iter_parameters()) or operation.get_request_payload_content_types()
        if mode == schemathesis.GenerationMode.NEGATIVE and not has_input:
            continue  # nothing to make invalid (GET /healthz)

        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case: Any) -> None:
            case.call_and_validate(base_url=server.url, checks=CHECKS, timeout=120)

        check()
