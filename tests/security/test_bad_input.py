"""Bad input at the API and the UI: oversized, empty and control-character questions, unknown filter values and
huge requests and uploads get a clear 4xx from the API and a clear message in the UI; nothing crashes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.security.conftest import canary_settings_for


def _detail(r: Any) -> str:
    detail = r.json()["detail"]
    return detail if isinstance(detail, str) else json.dumps(detail)


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"question": ""}, 422, "at least 1 character"),
        ({"question": "   \n\t "}, 400, "type a question"),
        ({"question": "x" * 1001}, 422, "at most 1000 characters"),
        ({"question": "\x00\x01\x02\x1b\x7f"}, 400, "control characters"),
        ({"question": "\x1b[2J\x07What is the purchase price?"}, 200, ""),
        ({"question": "\u200b\u202e\u2066"}, 400, "question"),
        ({"question": "When?", "filters": {"bodies": ["No Such Committee"]}}, 400, "Unknown committee"),
        ({"question": "When?", "filters": {"councils": ["Atlantis"]}}, 400, "Unknown council"),
        ({"question": "When?", "filters": {"doc_types": ["secret memo"]}}, 422, "cabinet report"),
        ({"question": "When?", "filters": {"date_from": "2025-13-01"}}, 422, "month"),
        (
            {"question": "When?", "filters": {"date_from": "2026-01-01", "date_to": "2025-01-01"}},
            422,
            "date_to",
        ),
        ({"question": "When?", "filters": {"bodies": ["b" * 300]}}, 422, "1 to 200 characters"),
        ({"question": "When?", "audience": "exempt"}, 422, "public"),
        ({"question": "When?", "history": [{"question": "q", "answer": "a"}] * 11}, 422, "at most 10"),
        ({"question": "When?", "classification": "exempt"}, 422, "not permitted"),
        ({"question": 42}, 422, "string"),
    ],
)
def test_api_rejects_bad_questions_and_filters_clearly(
    canary_client: Any, body: dict[str, Any], status: int, says: str
) -> None:
    r = canary_client.post("/api/ask", json=body)
    assert r.status_code == status, r.text
    if status != 200:
        assert says.lower() in _detail(r).lower(), r.text
    else:  # control characters are stripped, the rest is answered
        assert "\x1b" not in r.json()["question"] and "\x07" not in r.json()["question"]


def test_api_rejects_malformed_json(canary_client: Any) -> None:
    r = canary_client.post("/api/ask", content=b'{"question": ', headers={"content-type": "application/json"})
    assert r.status_code == 422 and "json" in _detail(r).lower()


def test_a_huge_request_gets_a_short_clear_4xx(canary_client: Any) -> None:
    """A 5 MB question is refused (not answered, not a 500) with a short message: the error must not echo the
    whole request back (today FastAPI's 422 includes the 5 MB `input`, amplifying the request)."""
    huge = b'{"question": "' + b"x" * 5_000_000 + b'"}'
    r = canary_client.post("/api/ask", content=huge, headers={"content-type": "application/json"})
    assert r.status_code in (413, 422)
    assert "1000 characters" in r.text or "too large" in r.text.lower()
    assert len(r.content) < 16_000, f"the {len(r.content):,}-byte error echoes the request"


def test_public_mounts_refuse_uploads(canary_client: Any) -> None:
    for mount in ("", "/widget"):
        r = canary_client.post(
            f"{mount}/gradio_api/upload", files={"files": ("paper.md", b"# Title\n\ntext\n")}
        )
        assert r.status_code == 413, (mount, r.text)
        assert "maximum allowed size" in r.text


def test_officer_upload_over_the_limit_is_refused_clearly(tmp_path: Any) -> None:
    from fastapi.testclient import TestClient

    from tests.fakes import fake_store
    from web import create_app
    from web.services import Services

    settings = canary_settings_for(tmp_path, officer_password="pw-for-tests-123", max_upload_mb=1)
    app = create_app(settings, Services(settings, store=fake_store(settings)))
    with TestClient(app, headers={"origin": "http://testserver"}) as client:
        assert client.post("/officer/gradio_api/upload", files={"files": ("a.md", b"x")}).status_code == 401
        login = client.post("/officer/login", data={"username": "officer", "password": "pw-for-tests-123"})
        assert login.status_code == 200
        r = client.post("/officer/gradio_api/upload", files={"files": ("big.pdf", b"x" * 1_500_000)})
        assert r.status_code == 413 and "1000000 bytes" in r.text
        ok = client.post("/officer/gradio_api/upload", files={"files": ("small.md", b"# T\n\ntext\n")})
        assert ok.status_code == 200


# ---------------------------------------------------------------- the UI


def _reply(handlers: Any, question: str, **filters: Any) -> str:
    *_, last = handlers.respond(question, [], **filters)
    conversation, live = str(last[0]), str(last[1])
    return " ".join([conversation, live])


@pytest.mark.parametrize(
    ("question", "filters", "says"),
    [
        ("\x00\x01\x02", {}, "control characters"),
        ("x" * 1500, {}, "1,000 characters"),
        ("When?", {"date_from": "2025-13-01"}, "must be a date like"),
        ("When?", {"date_from": "2026-01-01", "date_to": "2025-01-01"}, "after the 'to' date"),
        ("When?", {"bodies": ["No Such Committee"]}, "Unknown committee"),
    ],
)
def test_the_chat_explains_bad_input(
    canary_services: Any, question: str, filters: dict[str, Any], says: str
) -> None:
    from web.chat import ChatHandlers

    reply = _reply(ChatHandlers(canary_services, "public", "chat"), question, **filters)
    assert says in reply, reply


def test_the_ui_says_something_about_an_empty_question(canary_services: Any) -> None:
    """Pressing Ask with nothing typed should tell the person to type a question (today: nothing happens)."""
    from web.chat import ChatHandlers

    for surface in ("widget", "chat"):
        h = ChatHandlers(canary_services, "public", surface, plain=surface == "widget")
        for question in ("", "   ", "\n\t"):
            shown = " ".join(json.dumps(update, default=str) for update in h.respond(question, []))
            assert "type a question" in shown.lower(), (surface, question, shown)
