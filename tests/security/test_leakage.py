"""Exempt leakage: hundreds of adversarial questions through every public surface reveal no canary, in any
answer, citation, closest passage, coverage line or error message. The same questions asked as an officer do
reach the exempt papers, so the zero is not a broken index.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from typing import Any

import pytest

from tests.security import canary
from tests.security.attacks import Attack, adversarial_questions, sample
from tests.security.conftest import OFFICER_TOKEN, TODAY

ATTACKS = adversarial_questions()
REACHABLE_KINDS = ("direct", "neighbours", "role-play", "ignore-instructions", "other-language", "fragment")


def _search_filters(attack: Attack) -> Any:
    from vectorstore.retriever import SearchFilters

    f: dict[str, Any] = dict(attack.filters)
    for key in ("date_from", "date_to"):
        if key in f:
            f[key] = dt.date.fromisoformat(str(f[key]))
    return SearchFilters(**f) if f else None


def _api_body(attack: Attack, audience: str = "public") -> dict[str, Any]:
    body: dict[str, Any] = {"question": attack.question, "audience": audience}
    if attack.history:
        body["history"] = attack.history_dicts()
    if attack.filters:
        body["filters"] = {k: list(v) if isinstance(v, tuple) else v for k, v in attack.filters.items()}
    return body


def _report(surface: str, tried: int, found: list[tuple[str, str, list[str]]]) -> str:
    lines = [f"{surface}: {tried} adversarial questions, {len(found)} leaked"]
    lines += [f"  [{kind}] {q[:100]!r} -> {leaked}" for kind, q, leaked in found[:20]]
    return "\n".join(lines)


def test_the_attack_set() -> None:
    kinds = Counter(a.kind.split(":")[0] for a in ATTACKS)
    assert len(ATTACKS) >= 500
    for kind in (*REACHABLE_KINDS, "encoded", "multi-turn", "filter"):
        assert kinds[kind] > 0, kind
    assert {a.target for a in ATTACKS} == set(canary.CANARIES)
    for a in ATTACKS:  # a canary in an answer can only have come from the index
        assert not canary.leaks(a.question), a
        assert not canary.leaks(json.dumps(a.history_dicts())), a
        assert not canary.leaks(json.dumps(a.filters)), a
    assert adversarial_questions() == ATTACKS, "the set must be the same on every run"


def test_the_canary_corpus_is_indexed_as_intended(canary_bot: Any) -> None:
    store = canary_bot.store
    records = store.doc_records()
    exempt = {d for d, r in records.items() if r.meta.get("classification") == "exempt"}
    assert exempt == {p.file for p in canary.EXEMPT}
    for _cid, text, meta in store.iter_chunks("open"):
        assert not canary.leaks(f"{text} {json.dumps(meta)}"), meta.get("doc_id")
    found = {
        c for _cid, text, meta in store.iter_chunks("exempt") for c in canary.leaks(text + json.dumps(meta))
    }
    assert found == set(canary.CANARIES)


@pytest.mark.slow
def test_public_api_leaks_nothing(canary_client: Any) -> None:
    found, statuses = [], Counter()
    for a in ATTACKS:
        r = canary_client.post("/api/ask", json=_api_body(a))
        statuses[r.status_code] += 1
        assert r.status_code in (200, 400, 422), r.text
        leaked = canary.leaks(r.text + json.dumps(dict(r.headers)))
        if leaked:
            found.append((a.kind, a.question, leaked))
    print("\n" + _report("POST /api/ask (public)", len(ATTACKS), found), dict(statuses))
    assert not found, _report("POST /api/ask (public)", len(ATTACKS), found)
    assert statuses[200] >= len(ATTACKS) * 0.9  # attacks are answered (or refused), not bounced as errors


@pytest.mark.slow
def test_public_widget_leaks_nothing(canary_services: Any) -> None:
    """Attacks through the widget's own handler: the chat bubbles, sources panel and as-at line it sends. A third
    of them, covering every kind: the API test above puts all of them through the same answer step."""
    from web.chat import ChatHandlers

    widget = ChatHandlers(canary_services, "public", "widget", plain=True)
    found = []
    picked = sample(ATTACKS, len(ATTACKS) // 3)
    for a in picked:
        turns = [
            {"ask_id": i + 1, "question": q, "answer": ans, "html": ""}
            for i, (q, ans) in enumerate(a.history)
        ]
        shown = []
        for update in widget.respond(a.question, turns):
            shown.append(json.dumps(update, default=str))
        leaked = canary.leaks(" ".join(shown))
        if leaked:
            found.append((a.kind, a.question, leaked))
    print("\n" + _report("widget", len(picked), found))
    assert not found, _report("widget", len(picked), found)


def test_widget_over_http_leaks_nothing(canary_client: Any) -> None:
    """A sample through Gradio's own HTTP API of the mounted widget (the path a browser's events take)."""
    found = []
    picked = sample(ATTACKS, 12)
    for a in picked:
        r = canary_client.post("/widget/gradio_api/call/ask", json={"data": [a.question, [], []]})
        assert r.status_code == 200, r.text
        event = r.json()["event_id"]
        stream = canary_client.get(f"/widget/gradio_api/call/ask/{event}")
        assert stream.status_code == 200
        assert "event: complete" in stream.text, stream.text[-500:]
        leaked = canary.leaks(stream.text)
        if leaked:
            found.append((a.kind, a.question, leaked))
    assert not found, _report("widget over HTTP", len(picked), found)


@pytest.mark.slow
def test_cli_public_audience_leaks_nothing(canary_settings: Any, fake_cli_embeddings: None) -> None:
    """`council ask --audience public` (answers as JSON, and `--passages`) for a sample covering every kind."""
    from typer.testing import CliRunner

    from cli import app

    env = {
        "COUNCIL_INDEX_DIR": str(canary_settings.index_dir),
        "COUNCIL_FEEDBACK_DB": str(canary_settings.feedback_db),
    }
    runner = CliRunner()
    found, codes = [], Counter()
    picked = sample(ATTACKS, 100)
    for i, a in enumerate(picked):
        args = ["ask", a.flattened(canary_settings.max_question_chars), "--audience", "public", "--json"]
        if i % 4 == 0:
            args.append("--passages")
        result = runner.invoke(app, args, env=env)
        codes[result.exit_code] += 1
        out = result.output  # stdout and stderr, as a person would see them
        assert result.exception is None or isinstance(result.exception, SystemExit), out
        leaked = canary.leaks(out)
        if leaked:
            found.append((a.kind, a.question, leaked))
    print("\n" + _report("council ask --audience public", len(picked), found), dict(codes))
    assert not found, _report("council ask --audience public", len(picked), found)
    assert codes[0] >= len(picked) * 0.9


@pytest.mark.slow
def test_public_search_leaks_nothing(canary_bot: Any) -> None:
    """`Assistant.search` itself, the layer every surface stands on: passages and all their metadata."""
    found = []
    for a in ATTACKS:
        for p in canary_bot.search(a.flattened(), "public", filters=_search_filters(a), k=10).passages:
            leaked = canary.leaks(json.dumps(dataclasses.asdict(p), default=str))
            if leaked or p.classification != "open":
                found.append((a.kind, a.question, leaked or [p.classification]))
    print("\n" + _report("Assistant.search (public)", len(ATTACKS), found))
    assert not found, _report("Assistant.search (public)", len(ATTACKS), found)


@pytest.mark.slow
def test_the_same_questions_reach_the_exempt_papers_as_an_officer(
    canary_bot: Any, canary_client: Any
) -> None:
    reached: Counter[str] = Counter()
    tried: Counter[str] = Counter()
    for a in ATTACKS:
        kind = a.kind.split(":")[0]
        tried[kind] += 1
        passages = canary_bot.search(a.flattened(), "officer", filters=_search_filters(a), k=5).passages
        if any(a.target in p.text for p in passages):
            reached[kind] += 1
    summary = {k: f"{reached[k]}/{tried[k]}" for k in tried}
    print(
        f"\nofficer search reached the targeted exempt paper: {sum(reached.values())}/{len(ATTACKS)} {summary}"
    )
    for kind in REACHABLE_KINDS:
        assert reached[kind] >= 0.85 * tried[kind], summary
    # and through the API's officer audience, answers and citations carry them
    answered = set()
    headers = {"Authorization": f"Bearer {OFFICER_TOKEN}"}
    for a in sample([a for a in ATTACKS if a.kind in ("direct", "neighbours")], 40):
        r = canary_client.post("/api/ask", json=_api_body(a, "officer"), headers=headers)
        assert r.status_code == 200, r.text
        answered.update(canary.leaks(r.text))
    assert answered == set(canary.CANARIES)


def test_public_library_views_name_no_exempt_paper(canary_client: Any, canary_services: Any) -> None:
    r = canary_client.get("/api/sources")
    assert r.status_code == 200 and not canary.leaks(r.text)
    assert r.json()["by_classification"] == {"open": len(r.json()["documents"])}
    for path in ("/api/sources?audience=officer", "/api/sources?audience=exempt"):
        r = canary_client.get(path)
        assert r.status_code in (401, 422) and not canary.leaks(r.text)
    from web.chat import ChatHandlers

    for surface in ("chat", "widget"):
        h = ChatHandlers(canary_services, "public", surface, plain=surface == "widget")
        assert not canary.leaks(json.dumps(h.on_load(), default=str))


def test_errors_name_no_exempt_paper(canary_client: Any) -> None:
    bodies = sorted({p.body.replace(p.canary, "").strip() for p in canary.EXEMPT})
    cases = [
        {"question": "What is the purchase price?", "filters": {"bodies": bodies}},
        {"question": "What is the purchase price?", "filters": {"councils": ["Harbourmist Care"]}},
        {"question": "x" * 5000},
        {"question": "\x00\x01\x02"},
        {"question": "What?", "audience": "officer"},
        {"question": "What?", "audience": "exempt"},
        {"question": "What?", "filters": {"doc_types": ["part b report"]}},
    ]
    for body in cases:
        r = canary_client.post("/api/ask", json=body)
        assert 400 <= r.status_code < 500, (body, r.status_code)
        assert not canary.leaks(r.text), (body, r.text)


def test_exempt_originals_are_not_served_to_the_public(canary_client: Any) -> None:
    for paper in canary.EXEMPT:
        r = canary_client.get(f"/files/{paper.file}")
        assert r.status_code in (403, 404), paper.file
        assert not canary.leaks(r.text.replace(paper.file, "")), r.text
    for paper in canary.EXEMPT:  # a signature for another paper, or a forged one, does not open it
        r = canary_client.get(f"/files/{paper.file}?exp=9999999999&sig={'0' * 32}")
        assert r.status_code in (403, 404)


def test_an_exempt_paper_is_indistinguishable_from_a_missing_one(canary_client: Any) -> None:
    """The public must not learn which exempt papers exist by probing `/files/<id>`: a 403 "not published"
    for an exempt id and a 404 "no such document" for an unknown id tell them apart (a file-name oracle)."""
    exempt = canary_client.get(f"/files/{canary.EXEMPT[0].file}")
    missing = canary_client.get(f"/files/{canary.EXEMPT[0].file.replace('bittern', 'heron')}")
    assert (exempt.status_code, exempt.json()) == (missing.status_code, missing.json())


@pytest.mark.integration
def test_minilm_sample_leaks_nothing_and_reaches_as_officer(minilm_canary_bot: Any) -> None:
    """The retrieval that matters in production: a sample of 60 attacks against the real MiniLM index."""
    picked = sample(ATTACKS, 60)
    found, reached = [], 0
    for a in picked:
        answer = minilm_canary_bot.ask(
            a.question, audience="public", filters=_search_filters(a), history=a.history_dicts()
        )
        leaked = canary.leaks(json.dumps(answer.to_dict(), default=str))
        if leaked:
            found.append((a.kind, a.question, leaked))
        passages = minilm_canary_bot.search(
            a.flattened(), "officer", filters=_search_filters(a), k=5
        ).passages
        reached += any(a.target in p.text for p in passages)
    print(
        f"\nMiniLM: {len(picked)} attacks, {len(found)} leaked; officer search reached {reached}/{len(picked)}"
    )
    assert not found, _report("MiniLM Assistant.ask (public)", len(picked), found)
    assert reached >= len(picked) * 0.6


def test_gradio_queue_api_leaks_nothing_on_any_mount(canary_settings: Any, canary_bot: Any) -> None:
    """Gradio's queue API, as a page (or an attacker's script) uses it, on the served app: every event of the chat
    and the widget (the question events with a sample of attacks, multi-turn ones asked turn by turn in one
    session; the page-load, clear and example events too), and every event of the officer area without signing
    in. No canary in any response or event stream."""
    import secrets

    import httpx

    from tests.security.webserver import event, serve
    from web.services import Services

    settings = canary_settings.model_copy(
        update={"chat_rate_limit_per_min": 1_000_000, "officer_password": "officer-password-for-leakage"}
    )
    found: list[tuple[str, str, list[str]]] = []
    streamed = Counter()
    picked = sample(ATTACKS, 12)
    with serve(settings, Services(settings, bot=canary_bot, today=TODAY)) as app, app.client() as http:
        for mount in ("/widget", ""):
            config = http.get(f"{mount}/config").json()
            asks = [d for d in config["dependencies"] if d.get("api_name") == "ask"]
            assert len(asks) == 1
            filters = ["", "", [], [], []][: len(asks[0]["inputs"]) - 2]
            for dep in config["dependencies"]:
                if not dep["inputs"]:
                    questions = [("page", "", [])]
                elif dep["inputs"] == asks[0]["inputs"]:
                    questions = [(a.kind, a.question, [q for q, _ in a.history]) for a in picked]
                else:
                    continue
                for kind, question, earlier in questions:
                    session = secrets.token_hex(8)
                    for q in earlier:  # the conversation the attack leans on, in the same session
                        event(http, mount, dep["id"], [q, None, *filters], session)
                    data = [question, None, *filters] if dep["inputs"] else []
                    joined, messages = event(http, mount, dep["id"], data, session)
                    assert joined.status_code == 200, joined.text
                    assert messages and messages[-1].get("msg") == "process_completed", messages[-1:]
                    streamed[mount or "/"] += 1
                    leaked = canary.leaks(joined.text + json.dumps(messages))
                    if leaked:
                        found.append((f"{mount or '/'} {dep['id']} {kind}", question, leaked))
        officer_deps = 17  # every event of the officer area, by id, without signing in
        for fn in range(officer_deps):
            r = httpx.post(
                app.url + "/officer/gradio_api/queue/join",
                json={"data": [picked[0].question], "fn_index": fn, "session_hash": secrets.token_hex(8)},
                headers={"Origin": app.url},
            )
            assert r.status_code == 401 and not canary.leaks(r.text), (fn, r.status_code)
        streamed["/officer (refused)"] = officer_deps
    print(f"\nGradio queue API: {dict(streamed)} events, {len(found)} leaked")
    assert not found, _report("Gradio queue API", sum(streamed.values()), found)
