"""The web app's handlers, called directly (no browser): chat streaming, filters, audiences, feedback, widget,
rate limit, officer uploads and links to originals."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr
import pytest

from assistant.answer import Status
from assistant.errors import BadFilterError
from tests.fakes import TODAY, ScriptedBot, fake_store, scripted_bot
from tests.unit.appcorpus import app_settings, indexed_corpus
from web.chat import ChatHandlers, build_chat, build_widget, parse_filters
from web.officer import OfficerHandlers, build_officer
from web.services import Services

CANONICAL = "When is Bury's next Ofsted standard inspection window?"


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One index for the read-only tests of this module."""
    return indexed_corpus(tmp_path_factory.mktemp("app"))


@pytest.fixture()
def settings(shared: Any, tmp_path: Path) -> Any:
    return shared.model_copy(update={"feedback_db": tmp_path / "feedback.sqlite3"})


@pytest.fixture()
def own_settings(tmp_path: Path) -> Any:
    """A private index for tests that add papers."""
    return indexed_corpus(tmp_path)


@pytest.fixture()
def bot(settings: Any) -> ScriptedBot:
    return scripted_bot(settings)


@pytest.fixture()
def services(settings: Any, bot: ScriptedBot) -> Services:
    return Services(settings, bot=bot, today=TODAY)


def run(
    handler: ChatHandlers,
    question: str,
    *filters: Any,
    history: Any = None,
    turns: Any = None,
    request: Any = None,
) -> list[tuple[Any, ...]]:
    """All the steps of one streamed answer; `filters` are (date_from, date_to, bodies, doc_types)."""
    date_from, date_to, bodies, doc_types = filters or ("", "", None, None)
    steps = handler.respond(
        question, history or [], turns or [], date_from, date_to, bodies, doc_types, request
    )
    return list(steps)


def client(host: str) -> Any:
    return SimpleNamespace(client=SimpleNamespace(host=host), username=None, headers={})


def text_of(message: dict[str, Any]) -> str:
    return str(message["content"])


# ---------------------------------------------------------------------------------------------- chat


def test_chat_streams_the_answer_sentence_by_sentence_with_sources(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    steps = run(h, CANONICAL)
    first = steps[0]
    assert [m["role"] for m in first[0]] == ["user"]
    assert first[4] == ""  # the question box is cleared at once
    answers = [text_of(s[0][-1]) for s in steps[1:]]
    assert len(answers) >= 2
    assert all(b.startswith(a) for a, b in itertools.pairwise(answers))
    history, sources, as_at, turns, _ = steps[-1]
    assert "[1]" in text_of(history[-1])
    assert "Ofsted Standard Inspection of Children" in sources
    assert 'href="/files/seeds/bury-cabinet-2025-09-10-ofsted-standard-inspection-report.md"' in sources
    assert "<mark>" in sources
    assert "As at" in as_at
    assert turns[-1]["ask_id"] and turns[-1]["question"] == CANONICAL


def test_follow_up_questions_carry_the_conversation(services: Services, bot: ScriptedBot) -> None:
    h = ChatHandlers(services, "public", "chat")
    history, _, _, turns, _ = run(h, CANONICAL)[-1]
    run(h, "And the one before?", history=history, turns=turns)
    assert bot.calls[-1]["history"] == [{"question": CANONICAL, "answer": turns[0]["answer"]}]


def test_empty_question_does_nothing(services: Services, bot: ScriptedBot) -> None:
    h = ChatHandlers(services, "public", "chat")
    [step] = run(h, "   ")
    assert step[0] == [] and not bot.calls


def test_question_and_document_text_are_shown_as_text(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    history, sources, *_ = run(h, "<script>alert(1)</script> foster carer recruitment fostering households")[
        -1
    ]
    assert (
        text_of(history[0])
        == "&lt;script&gt;alert(1)&lt;/script&gt; foster carer recruitment fostering households"
    )
    assert "<script>" not in text_of(history[-1]) and "<script" not in sources and "<img" not in sources
    assert "&lt;script&gt;" in sources
    assert 'href="javascript' not in sources


def test_too_long_question_is_refused_with_the_limit_and_kept_for_editing(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    long_q = "x" * (services.settings.max_question_chars + 1)
    history, _, _, turns, box = run(h, long_q)[-1]
    assert "Sorry:" in text_of(history[-1]) and "1,000 characters" in text_of(history[-1])
    assert box == long_q and turns[-1]["ask_id"] is None


# ---------------------------------------------------------------------------------------------- filters


def test_filters_reach_the_search(services: Services, bot: ScriptedBot) -> None:
    h = ChatHandlers(services, "public", "chat")
    run(h, CANONICAL, "2025-09-01", "2025-09-30", ["Cabinet"], ["cabinet report"])
    f = bot.calls[-1]["filters"]
    assert (str(f.date_from), str(f.date_to), f.bodies, f.doc_types) == (
        "2025-09-01",
        "2025-09-30",
        ("Cabinet",),
        ("cabinet report",),
    )


def test_filters_that_exclude_everything_give_not_found(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    history, sources, *_ = run(h, CANONICAL, "2030-01-01", "", [], [])[-1]
    assert "do not answer" in text_of(history[-1])
    assert "No sources for this answer." in sources


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("16/09/2025", "", [], []), "must be a date like 2025-09-16"),
        (("2025-10-01", "2025-09-01", [], []), "'from' date is after the 'to' date"),
        (("", "", ["Imaginary Committee"], []), "Unknown committee or body: 'Imaginary Committee'"),
    ],
)
def test_bad_filters_are_explained(services: Services, args: tuple[Any, ...], message: str) -> None:
    history = run(ChatHandlers(services, "public", "chat"), CANONICAL, *args)[-1][0]
    assert message in text_of(history[-1])


def test_parse_filters_empty_is_none() -> None:
    assert parse_filters("", " ", [], None) is None
    with pytest.raises(BadFilterError):
        parse_filters("2025-13-01", "", [], [])


def test_public_committee_list_hides_exempt_only_bodies(services: Services) -> None:
    public = services.library("public")
    officer = services.library("officer")
    assert officer.by_classification.get("exempt") == 1
    assert "exempt" not in public.by_classification
    assert len(officer.documents) == len(public.documents) + 1


# ---------------------------------------------------------------------------------------------- audiences


def test_public_chat_and_widget_never_see_exempt_papers(services: Services, bot: ScriptedBot) -> None:
    q = "placements budget overspend residential children's homes sufficiency strategy"
    for h in (
        ChatHandlers(services, "public", "chat"),
        ChatHandlers(services, "public", "widget", widget=True),
    ):
        _, sources, *_ = run(h, q)[-1]
        assert "Part B" not in sources
    assert {c["audience"] for c in bot.calls} == {"public"}


def test_officer_chat_sees_exempt_papers_with_signed_links(services: Services) -> None:
    h = ChatHandlers(services, "officer", "officer")
    q = "placements budget overspend residential children's homes sufficiency strategy"
    _, sources, *_ = run(h, q)[-1]
    assert "Part B" in sources
    assert "/files/private/placements-budget-part-b.md?exp=" in sources
    doc = services.catalog().get("private/placements-budget-part-b.md")
    assert doc is not None and doc.classification == "exempt"


# ---------------------------------------------------------------------------------------------- feedback


def like(h: ChatHandlers, history: Any, turns: Any, index: int, liked: Any) -> tuple[str, int | None]:
    return h.like(history, turns, gr.LikeData(None, {"index": index, "value": "", "liked": liked}))


def test_thumbs_and_comment_are_stored_with_question_answer_and_citations(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    history, _, _, turns, _ = run(h, CANONICAL)[-1]
    status, rated = like(h, history, turns, 1, False)
    assert "not helpful" in status and rated == turns[0]["ask_id"]
    status, box = h.comment("The date is wrong", turns, rated)
    assert "saved" in status and box == ""
    [rec] = services.feedback.asks(with_feedback_only=True)
    assert rec.question == CANONICAL
    assert rec.answer == turns[0]["answer"]
    assert rec.citations and rec.citations[0]["title"].startswith("Ofsted Standard Inspection")
    assert (rec.rating, rec.comment, rec.surface, rec.audience) == (-1, "The date is wrong", "chat", "public")


def test_second_answer_is_rated_separately_and_unlike_clears(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    history, _, _, turns, _ = run(h, CANONICAL)[-1]
    history, _, _, turns, _ = run(h, "foster carer recruitment", history=history, turns=turns)[-1]
    like(h, history, turns, 3, True)
    like(h, history, turns, 1, "Dislike")
    ratings = {r.question: r.rating for r in services.feedback.asks(with_feedback_only=True)}
    assert ratings == {"foster carer recruitment": 1, CANONICAL: -1}
    status, _ = like(h, history, turns, 3, None)
    assert "removed" in status
    assert {r.question: r.rating for r in services.feedback.asks()}["foster carer recruitment"] == 0


def test_error_messages_cannot_be_rated_and_comment_needs_an_answer(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    history, _, _, turns, _ = run(h, "x" * 5000)[-1]
    status, rated = like(h, history, turns, 1, True)
    assert "cannot be rated" in status and rated is None
    assert "Ask a question first" in h.comment("hello", turns, None)[0]
    history, _, _, turns, _ = run(h, CANONICAL, history=history, turns=turns)[-1]
    assert "Type a comment first" in h.comment("  ", turns, None)[0]
    assert "saved" in h.comment("Useful", turns, None)[0]  # no rating yet: the latest answer


# ---------------------------------------------------------------------------------------------- widget


def test_widget_answers_in_plain_words_with_compact_sources(services: Services) -> None:
    h = ChatHandlers(services, "public", "widget", widget=True)
    history, sources, as_at, *_ = run(h, CANONICAL)[-1]
    assert text_of(history[-1]).startswith("From the council's published papers: ")
    assert "“" in sources and "<mark>" not in sources  # the quote, not the whole passage
    assert 'aria-label="Open the original document for source 1:' in sources
    assert "A scripted note." not in as_at


def test_widget_is_rate_limited_per_client(tmp_path: Path, settings: Any, bot: ScriptedBot) -> None:
    limited = Services(settings.model_copy(update={"widget_rate_limit_per_min": 2}), bot=bot, today=TODAY)
    h = ChatHandlers(limited, "public", "widget", widget=True)
    for _ in range(2):
        assert "Sorry" not in text_of(run(h, CANONICAL, request=client("10.0.0.1"))[-1][0][-1])
    blocked = text_of(run(h, CANONICAL, request=client("10.0.0.1"))[-1][0][-1])
    assert "Please wait" in blocked
    assert "Sorry" not in text_of(run(h, CANONICAL, request=client("10.0.0.2"))[-1][0][-1])
    officer = ChatHandlers(limited, "officer", "officer")
    for _ in range(3):  # officers are not limited
        assert "Sorry" not in text_of(run(officer, CANONICAL, request=client("10.0.0.1"))[-1][0][-1])


def test_no_index_yet_says_how_to_fix_it(tmp_path: Path, small_corpus: Path) -> None:
    s = app_settings(tmp_path / "empty", small_corpus)
    h = ChatHandlers(Services(s, store=fake_store(s)), "public", "chat")
    assert "Nothing is indexed yet" in h.coverage()
    history = run(h, CANONICAL)[-1][0]
    assert "No index yet" in text_of(history[-1]) and "council ingest" in text_of(history[-1])


def test_refusals_show_no_as_at_but_keep_the_answer(services: Services, bot: ScriptedBot) -> None:
    bot.status = Status.REFUSED
    h = ChatHandlers(services, "public", "widget", widget=True)
    history, *_ = run(h, CANONICAL)[-1]
    assert not text_of(history[-1]).startswith("From the council")


# ---------------------------------------------------------------------------------------------- layouts


def test_layouts_build_with_named_api_endpoints(services: Services) -> None:
    for build in (build_chat, build_widget, build_officer):
        blocks = build(services)
        assert isinstance(blocks, gr.Blocks)
        names = {fn.api_name for fn in blocks.fns.values() if fn.api_visibility == "public"}
        assert "ask" in names


def test_on_load_lists_public_committees(services: Services) -> None:
    coverage, dropdown = ChatHandlers(services, "public", "chat").on_load()
    assert "2 papers" not in coverage and "papers from" in coverage
    assert "Cabinet" in dropdown.choices[0] or ("Cabinet", "Cabinet") in dropdown.choices


# ---------------------------------------------------------------------------------------------- officer


def test_upload_checks_stages_and_ingests_in_the_background(own_settings: Any, tmp_path: Path) -> None:
    services = Services(own_settings, bot=scripted_bot(own_settings), today=TODAY)
    good = tmp_path / "Looked After Children Report.md"
    good.write_text("# Looked after children\n\nThe number of looked after children fell to 412 in 2025.\n")
    fake_pdf = tmp_path / "not-really.pdf"
    fake_pdf.write_text("hello")
    script = tmp_path / "run.sh"
    script.write_text("echo hi")
    o = OfficerHandlers(services)
    steps = list(o.upload([str(good), str(fake_pdf), str(script)], "open", "", "Cabinet", "2025-11-01", None))
    final = steps[-1]
    assert "Finished: 1 of 3" in final
    assert "`Looked After Children Report.md`: added" in final
    assert "not-really.pdf`: rejected — the content is not a PDF file" in final
    assert "run.sh`: rejected — type '.sh' is not accepted" in final
    doc = services.catalog().get("uploads/Looked-After-Children-Report.md")
    assert doc is not None
    assert (doc.body, doc.date, doc.classification) == ("Cabinet", dt.date(2025, 11, 1), "open")
    assert not list((services.settings.corpus_dir / "uploads" / ".staging").glob("*"))
    summary, rows = o.library()
    assert any(r[-1] == "uploads/Looked-After-Children-Report.md" for r in rows)
    assert "open: " in summary and "exempt: 1" in summary


def test_upload_needs_files_and_a_real_date(services: Services, tmp_path: Path) -> None:
    o = OfficerHandlers(services)
    assert list(o.upload([], "exempt", "", "", "", None)) == ["Choose one or more files first."]
    f = tmp_path / "a.txt"
    f.write_text("text")
    assert "must be a date" in list(o.upload([str(f)], "exempt", "", "", "next week", None))[-1]


def test_audit_view_and_csv_export(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    history, _, _, turns, _ = run(h, CANONICAL)[-1]
    like(h, history, turns, 1, True)
    run(h, "foster carer recruitment")
    o = OfficerHandlers(services)
    summary, rows = o.audit(feedback_only=True)
    assert summary.startswith("2 questions logged; 1 rated helpful")
    assert len(rows) == 1 and rows[0][3] == CANONICAL and rows[0][5] == "up"
    assert len(o.audit(feedback_only=False)[1]) == 2
    csv_text = Path(o.export(feedback_only=True)).read_text(encoding="utf-8-sig")
    assert CANONICAL in csv_text and "Ofsted Standard Inspection" in csv_text
