"""Issue 15, the web side: each attack the outside tester reproduced, against the served app on 127.0.0.1 (uvicorn
configured as `council serve` runs it, the real Gradio mounts, real cookies and headers). Each test failed before
its fix; `docs/security.md` (section 8) lists them with the figures the attack found.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.security import canary
from tests.security.conftest import OFFICER_TOKEN, TODAY
from tests.security.webserver import Served, event, fn_index, output, serve

PASSWORD = "officer-password-for-attacks"
EVIL = "https://evil.example"
COUNCIL_SITE = "https://www.council.example"  # allowed to embed the widget (COUNCIL_CORS_ORIGINS)
WIDGET_PER_MINUTE = 10
SAFEGUARDING = "My son was taken into care in 2024, how do I get him back?"
FOLLOW_UP = "and the year after that?"
CHAT_FILTERS = [
    "",
    "",
    [],
    [],
    [],
]  # the chat's inputs after the question and its state: dates, councils, ...


def _settings(canary_settings: Any, **overrides: Any) -> Any:
    values = {
        "officer_password": PASSWORD,
        "widget_rate_limit_per_min": WIDGET_PER_MINUTE,
        "chat_rate_limit_per_min": 60,
        "cors_origins": COUNCIL_SITE,
        **overrides,
    }
    return canary_settings.model_copy(update=values)


@pytest.fixture()
def served(canary_settings: Any, canary_bot: Any) -> Iterator[Served]:
    """The app as deployed on one machine: no trusted proxy, so X-Forwarded-For means nothing."""
    from web.services import Services

    settings = _settings(canary_settings)
    with serve(settings, Services(settings, bot=canary_bot, today=TODAY)) as app:
        yield app


@pytest.fixture()
def proxied(canary_settings: Any, canary_bot: Any) -> Iterator[Served]:
    """The app behind a reverse proxy on 127.0.0.1 (COUNCIL_TRUSTED_PROXIES): the proxy's X-Forwarded-For counts."""
    from web.services import Services

    settings = _settings(canary_settings, trusted_proxies="127.0.0.1")
    with serve(settings, Services(settings, bot=canary_bot, today=TODAY)) as app:
        yield app


def _signed_in(app: Served) -> httpx.Client:
    http = app.client()
    r = http.post(
        "/officer/login", data={"username": "officer", "password": PASSWORD}, headers={"Origin": app.url}
    )
    assert r.status_code == 303 and "cqa_officer" in http.cookies, r.text
    return http


# ------------------------------------------------------------------------ 1. cross-site officer access


def test_another_site_cannot_read_or_write_the_officer_area(served: Served) -> None:
    http = _signed_in(served)
    cookie = next(c for c in http.cookies.jar if c.name == "cqa_officer")
    assert cookie.get_nonstandard_attr("SameSite", "").lower() == "strict" and cookie.path == "/officer"
    evil = {"Origin": EVIL}
    ask = fn_index(http, "/officer", "ask")
    question = [canary.EXEMPT[0].secret, None, *CHAT_FILTERS]
    # the attack: the officer's browser, with its cookie, sends what another site's page asks it to
    attempts = {
        "queue/join (ask)": lambda h: event(http, "/officer", ask, question, headers=h)[0],
        "gradio info": lambda h: http.get("/officer/gradio_api/info", headers=h),
        "config": lambda h: http.get("/officer/config", headers=h),
        "upload": lambda h: http.post(
            "/officer/gradio_api/upload", files={"files": ("open.md", b"# Planted\n\ntext\n")}, headers=h
        ),
        "preflight": lambda h: http.options(
            "/officer/gradio_api/queue/join", headers={**h, "Access-Control-Request-Method": "POST"}
        ),
    }
    for name, attempt in attempts.items():
        r = attempt(evil)
        assert r.status_code == 403, (name, r.status_code, r.text[:200])
        assert "access-control-allow-origin" not in r.headers, name
        assert not canary.leaks(r.text), name
        r = attempt({**evil, "Sec-Fetch-Site": "cross-site"})
        assert r.status_code == 403, name
    # a form posted from another site carries no Origin in old browsers, or a Referer of that site: refused too
    r = http.post("/officer/gradio_api/upload", files={"files": ("a.md", b"# A\n\nx\n")})
    assert r.status_code == 403 and "Origin" in r.text
    r = http.post(
        "/officer/gradio_api/upload", files={"files": ("a.md", b"# A\n\nx\n")}, headers={"Referer": EVIL}
    )
    assert r.status_code == 403
    # the same requests from the officer area's own pages work: the refusal is about the origin
    joined, messages = event(http, "/officer", ask, question, headers={"Origin": served.url})
    assert joined.status_code == 200 and canary.EXEMPT[0].canary in json.dumps(output(messages))
    r = http.get("/officer/gradio_api/info", headers={"Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 200
    # an allow-listed site (COUNCIL_CORS_ORIGINS) may read the public widget, never the officer area
    public = httpx.get(served.url + "/widget/config", headers={"Origin": COUNCIL_SITE})
    assert public.headers.get("access-control-allow-origin") == COUNCIL_SITE
    assert "access-control-allow-credentials" not in public.headers
    assert "access-control-allow-origin" not in httpx.get(served.url + "/widget/config", headers=evil).headers
    r = http.get("/officer/config", headers={"Origin": COUNCIL_SITE})
    assert r.status_code == 403 and "access-control-allow-origin" not in r.headers


def test_the_officer_area_answers_nothing_before_sign_in(served: Served) -> None:
    """The suspicions: the endpoint list and the heartbeat stream answered anonymous visitors."""
    http = served.client()
    for path in (
        "/officer/gradio_api/info",
        "/officer/config",
        f"/officer/gradio_api/heartbeat/{secrets.token_hex(8)}",
        f"/officer/gradio_api/queue/data?session_hash={secrets.token_hex(8)}",
        "/officer/gradio_api/file=/etc/hostname",
        "/officer/theme.css",
    ):
        r = http.get(path, headers={"Origin": served.url})
        assert r.status_code == 401, (path, r.status_code)
    assert http.get("/officer/", follow_redirects=False).headers["location"] == "/officer/login"
    assert http.get("/officer/login").status_code == 200


# ------------------------------------------------------------------------ 2. files across mounts


def test_public_mounts_serve_no_officer_file(served: Served) -> None:
    http = _signed_in(served)
    same = {"Origin": served.url}
    r = http.post(
        "/officer/gradio_api/upload",
        files={"files": ("exempt-upload.md", f"# Part B\n\n{canary.EXEMPT[1].canary}\n".encode())},
        headers=same,
    )
    assert r.status_code == 200, r.text
    uploaded = r.json()[0]
    export = Path(served.app.state.gradio_files) / "officer" / "exports" / "council-qa-questions.csv"
    export.parent.mkdir(parents=True, exist_ok=True)
    export.write_text(f"question,answer\nx,{canary.EXEMPT[2].canary}\n", encoding="utf-8")
    for path in (uploaded, str(export)):
        r = http.get(f"/officer/gradio_api/file={path}")
        assert r.status_code == 200 and canary.leaks(r.text), path  # the officer area serves its own files
        for mount in ("/widget", ""):
            r = httpx.get(f"{served.url}{mount}/gradio_api/file={path}")
            assert r.status_code == 403, (mount, path, r.status_code)
            assert not canary.leaks(r.text)


# ------------------------------------------------------------------------ 3. forwarded addresses, the queue


def _ask(app: Served, headers: dict[str, str]) -> int:
    r = httpx.post(
        app.url + "/api/ask", json={"question": "What did Cabinet agree?"}, headers=headers, timeout=60
    )
    return r.status_code


def test_rotating_x_forwarded_for_does_not_escape_the_limit(served: Served) -> None:
    codes = [_ask(served, {"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(WIDGET_PER_MINUTE + 4)]
    assert Counter(codes) == {200: WIDGET_PER_MINUTE, 429: 4}, codes


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(proxied: Served) -> None:
    # what nginx sends with `proxy_set_header X-Forwarded-For $remote_addr`: the client's address alone
    first = [_ask(proxied, {"X-Forwarded-For": "203.0.113.5"}) for _ in range(WIDGET_PER_MINUTE + 1)]
    assert first[-1] == 429 and first.count(200) == WIDGET_PER_MINUTE
    assert _ask(proxied, {"X-Forwarded-For": "203.0.113.6"}) == 200  # another resident is not throttled
    # a client's own X-Forwarded-For before the proxy's appended address changes nothing
    spoofed = [_ask(proxied, {"X-Forwarded-For": f"10.9.8.{i}, 203.0.113.5"}) for i in range(3)]
    assert spoofed == [429, 429, 429]


def test_a_flood_cannot_fill_the_queue_for_genuine_users(proxied: Served) -> None:
    http = proxied.client()
    ask = fn_index(http, "/widget", "ask")
    attacker = {"X-Forwarded-For": "203.0.113.66"}
    start = threading.Barrier(100)

    def flood(i: int) -> int:
        with proxied.client() as h:
            start.wait()
            body = {
                "data": [f"What did Cabinet agree {i}?", None],
                "fn_index": ask,
                "session_hash": f"flood{i}",
            }
            return h.post("/widget/gradio_api/queue/join", json=body, headers=attacker).status_code

    with ThreadPoolExecutor(100) as pool:
        codes = Counter(pool.map(flood, range(100)))
    print(f"\n100 concurrent joins from one client: {dict(codes)}")
    assert codes[503] == 0, codes  # the queue never filled
    assert codes[200] <= 16 and codes[429] >= 84, codes
    r = http.post(
        "/widget/gradio_api/queue/join",
        json={"data": ["x"], "fn_index": ask, "session_hash": "f"},
        headers=attacker,
    )
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1 and "Please wait" in r.json()["detail"]
    genuine = {"X-Forwarded-For": "198.51.100.7"}
    joined, messages = event(
        http, "/widget", ask, ["What did Cabinet agree about Redwood House?", None], headers=genuine
    )
    assert joined.status_code == 200
    shown = json.dumps(output(messages))
    assert "Please wait" not in shown and "Sorry" not in shown


# ------------------------------------------------------------------------ 4. follow-ups on every surface


def _refused_with_signposting(text: str) -> bool:
    return "999" in text and "children's services" in text


def test_follow_ups_are_checked_on_every_surface(served: Served) -> None:
    api = httpx.post(
        served.url + "/api/ask",
        json={"question": FOLLOW_UP, "history": [{"question": SAFEGUARDING, "answer": ""}]},
        timeout=60,
    )
    assert api.status_code == 200 and api.json()["status"] == "refused", api.text
    assert _refused_with_signposting(api.json()["answer"]), api.json()["answer"]
    long = httpx.post(
        served.url + "/api/ask",
        json={"question": FOLLOW_UP, "history": [{"question": "x" * 5000}]},
        timeout=60,
    )
    assert long.status_code in (400, 422) and "x" * 200 not in long.text
    http = _signed_in(served)
    same = {"Origin": served.url}
    for mount, extra in (("/widget", []), ("", CHAT_FILTERS), ("/officer", CHAT_FILTERS)):
        ask = fn_index(http, mount, "ask")
        session = secrets.token_hex(8)
        event(http, mount, ask, [SAFEGUARDING, None, *extra], session, same)
        _, messages = event(http, mount, ask, [FOLLOW_UP, None, *extra], session, same)
        shown = " ".join(str(x) for x in output(messages))
        assert _refused_with_signposting(shown.replace("&#x27;", "'")), (mount, shown[-600:])
        assert "Answered as" not in shown, mount
        _, alone = event(http, mount, ask, [FOLLOW_UP, None, *extra], secrets.token_hex(8), same)
        assert not _refused_with_signposting(json.dumps(output(alone))), (
            mount
        )  # the history is what refuses it
        # a question over the limit is refused, so it never becomes history either
        _, messages = event(http, mount, ask, ["x" * 5000, None, *extra], session, same)
        shown = json.dumps(output(messages))
        assert "please shorten it to 1,000 characters" in shown, (mount, shown[:300], shown[-300:])


# ------------------------------------------------------------------------ 8. guessing


LOCK_LEFT_S = 3  # Retry-After of at least this: two seconds or more of a lock left
LOCK_TRIES = 500


def test_guessing_the_password_or_the_token_is_slowed_down(served: Served) -> None:
    http = served.client()
    same = {"Origin": served.url}
    codes = [
        http.post(
            "/officer/login", data={"username": "officer", "password": f"guess-{i}"}, headers=same
        ).status_code
        for i in range(60)
    ]
    # as for the token below: the right password is sent while a lock has seconds to run
    for _ in range(LOCK_TRIES):
        wrong = http.post(
            "/officer/login", data={"username": "officer", "password": "guess-again"}, headers=same
        )
        if wrong.status_code == 429 and int(wrong.headers["Retry-After"]) >= LOCK_LEFT_S:
            break
    right = http.post("/officer/login", data={"username": "officer", "password": PASSWORD}, headers=same)
    print(f"\n60 wrong sign-ins: {dict(Counter(codes))}; then the right one: {right.status_code}")
    assert codes[:5] == [401] * 5 and codes.count(429) >= 50
    assert (
        right.status_code == 429
        and "cqa_officer" not in http.cookies
        and int(right.headers["Retry-After"]) >= 1
    )
    body = {"question": "What?", "audience": "officer"}
    tokens = [
        httpx.post(
            served.url + "/api/ask", json=body, headers={"Authorization": f"Bearer wrong-{i}"}
        ).status_code
        for i in range(200)
    ]
    # the backoff's lock runs out now and then (1, 2, 4, 8 ... s): the right token is sent while one has seconds
    # to run, as the 429's Retry-After says, so that a slow run cannot send it just after a lock ended (bounded:
    # without a backoff there is no lock to find, and the assertions below fail)
    for _ in range(LOCK_TRIES):
        wrong = httpx.post(
            served.url + "/api/ask", json=body, headers={"Authorization": "Bearer wrong-again"}
        )
        if wrong.status_code == 429 and int(wrong.headers["Retry-After"]) >= LOCK_LEFT_S:
            break
    ok = httpx.post(served.url + "/api/ask", json=body, headers={"Authorization": f"Bearer {OFFICER_TOKEN}"})
    print(f"200 wrong tokens: {dict(Counter(tokens))}; then the right one: {ok.status_code}")
    assert tokens[:5] == [401] * 5 and tokens.count(429) >= 190 and ok.status_code == 429


def test_short_passwords_and_tokens_are_refused_at_start() -> None:
    from pydantic import ValidationError

    from assistant.settings import MIN_PASSWORD_CHARS, MIN_TOKEN_CHARS, load_settings

    with pytest.raises(ValidationError, match="at least"):
        load_settings(officer_password="x" * (MIN_PASSWORD_CHARS - 1))
    with pytest.raises(ValidationError, match="at least"):
        load_settings(officer_token="x" * (MIN_TOKEN_CHARS - 1))
    assert load_settings(officer_password="x" * MIN_PASSWORD_CHARS, officer_token="y" * MIN_TOKEN_CHARS)


# ------------------------------------------------------------------------ 9. uploads and sizes


def test_body_sizes_are_capped_on_every_route(served: Served) -> None:
    http = served.client()
    ask = fn_index(http, "/widget", "ask")
    huge = json.dumps({"data": ["x" * 30_000_000, None], "fn_index": ask, "session_hash": "big"})
    for path in (
        "/widget/gradio_api/queue/join",
        "/gradio_api/queue/join",
        "/widget/gradio_api/call/ask",
        "/api/ask",
    ):
        r = http.post(path, content=huge, headers={"Content-Type": "application/json"})
        assert r.status_code == 413 and len(r.content) < 200, (path, r.status_code)
    sent = 0

    def chunks() -> Iterator[bytes]:  # a chunked body (no Content-Length) of 20 MB
        nonlocal sent
        yield b'{"question": "'
        for _ in range(20 * 16):
            sent += 65_536
            yield b"x" * 65_536
        yield b'"}'

    r = http.post("/api/ask", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "at most 64 KB" in r.text


def test_uploads_fail_closed_and_refused_files_are_quarantined(tmp_path: Path, canary_bot: Any) -> None:
    from tests.fakes import fake_store
    from tests.security.conftest import canary_settings_for
    from tests.security.samples import pdf_bomb
    from web.services import Services

    settings = canary_settings_for(tmp_path, officer_password=PASSWORD)
    settings.corpus_dir.mkdir(parents=True)
    services = Services(settings, store=fake_store(settings), today=TODAY)
    with serve(settings, services) as app:
        http = _signed_in(app)
        same = {"Origin": app.url}
        upload = fn_index(http, "/officer", "upload")

        def send(name: str, data: bytes, classification: Any) -> str:
            r = http.post("/officer/gradio_api/upload", files={"files": (name, data)}, headers=same)
            assert r.status_code == 200, r.text
            file = {"path": r.json()[0], "orig_name": name, "meta": {"_type": "gradio.FileData"}}
            _, messages = event(
                http, "/officer", upload, [[file], classification, "", "", "", None], headers=same
            )
            return str(output(messages)[0])

        said = send("null.md", b"# Budget\n\nThe budget is 5 million pounds.\n", None)
        assert "Choose whether" in said  # null: refused, nothing staged
        assert not (settings.corpus_dir / "uploads" / "null.md").exists()
        said = send("bomb.pdf", pdf_bomb(), "exempt")
        assert "skipped" in said and ".quarantine" in said, said
        assert not (settings.corpus_dir / "uploads" / "bomb.pdf").exists()
        assert list((settings.corpus_dir / "uploads" / ".quarantine").rglob("bomb.pdf"))
    # a missing classification below the UI (the upload API the handler calls) is filed as exempt
    job = services.uploads.submit(
        [(_write(tmp_path / "x.md", "# X\n\nSecret text.\n"), "x.md")], {}, wait=True
    )
    assert job.state == "done", job.message
    assert services.catalog().get("uploads/x.md").classification == "exempt"
    from vectorstore.indexer import Indexer

    again = Indexer(services.store(), settings.ingest()).sync([settings.corpus_dir])
    assert not again.skipped  # the quarantined bomb is not parsed again


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------ 7. places, over HTTP


def test_a_place_known_only_from_an_exempt_paper_answers_like_an_invented_one_over_http(
    tmp_path: Path,
) -> None:
    from tests.fakes import fake_assistant, fake_store
    from tests.security import safeguarding as sg
    from tests.security.conftest import canary_settings_for
    from vectorstore.indexer import Indexer
    from web.services import Services

    sg.build(tmp_path)
    settings = canary_settings_for(tmp_path)
    Indexer(fake_store(settings)).sync([settings.corpus_dir])
    services = Services(settings, bot=fake_assistant(settings, today=TODAY), today=TODAY)
    with serve(settings, services) as app:
        answers = {}
        for place in ("Wexbridge", "Quarnford"):
            r = httpx.post(
                app.url + "/api/ask",
                json={"question": f"How many children are in care in {place}?"},
                timeout=60,
            )
            assert r.status_code == 200
            answers[place] = r.text.replace(place, "<place>")
        assert answers["Wexbridge"] == answers["Quarnford"]
