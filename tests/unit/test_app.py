"""The web app's handlers, called directly (no browser): the conversation (each answer with its own sources),
filters, audiences, feedback, the widget, rate limits, officer uploads and links to originals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr
import pytest

from assistant.answer import Status
from assistant.errors import BadFilterError
from tests.fakes import TODAY, ScriptedBot, fake_store, scripted_bot
from tests.unit.appcorpus import app_settings, indexed_corpus
from web.chat import ChatHandlers, build_chat, parse_filters
from web.officer import OfficerHandlers, build_officer
from web.services import Services
from web.widget import WidgetHandlers, build_widget

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
    turns: Any = None,
    request: Any = None,
) -> list[tuple[Any, ...]]:
    """All the steps of one streamed answer: (conversation HTML, live region, turns, question box) each.
    `filters` are (date_from, date_to, councils, bodies, doc_types)."""
    date_from, date_to, councils, bodies, doc_types = filters or ("", "", None, None, None)
    return list(
        handler.respond(question, turns or [], date_from, date_to, councils, bodies, doc_types, request)
    )


def final(handler: ChatHandlers, question: str, *filters: Any, **kw: Any) -> tuple[Any, ...]:
    return run(handler, question, *filters, **kw)[-1]


def client(host: str) -> Any:
    return SimpleNamespace(client=SimpleNamespace(host=host), username=None, headers={})


def last_turn(html: str) -> str:
    return html.rsplit('<article class="cqa-turn"', 1)[-1]


# ---------------------------------------------------------------------------------------------- chat


def test_chat_streams_the_answer_and_each_answer_keeps_its_sources(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    steps = run(h, CANONICAL)
    first = steps[0]
    assert CANONICAL.replace("'", "'") in first[0] and "Searching the papers" in first[0]
    assert first[3] == ""  # the question box is cleared at once
    # and left alone after: a next question typed while this answer streams is kept (asked when it is done)
    assert len(steps) >= 2 and all(step[3] == gr.skip() for step in steps[1:])
    conversation, live, turns, _ = steps[-1]
    assert "[1]" in conversation and 'href="#cqa-chat-t1-s1"' in conversation  # [n] links to its source
    assert 'role="tooltip"' in conversation  # with a preview
    assert "Ofsted Standard Inspection of Children" in conversation and "<mark>" in conversation
    assert "As at" in conversation and "Answer ready, with 2 sources" in live
    assert turns[-1]["ask_id"] and turns[-1]["question"] == CANONICAL
    # a second answer: the first one's sources are still there, numbered for their own answer
    conversation = final(h, "foster carer recruitment fostering households", turns=turns)[0]
    assert 'id="cqa-chat-t1-s1"' in conversation and 'id="cqa-chat-t2-s1"' in conversation
    assert conversation.count('class="cqa-sources"') == 2


def test_copy_puts_the_references_with_the_answer(services: Services) -> None:
    conversation = final(ChatHandlers(services, "public", "chat"), CANONICAL)[0]
    copy = conversation.split('data-copy="', 1)[1].split('"', 1)[0]
    assert "[1]" in copy and "Sources:" in copy and "[1] Ofsted Standard Inspection" in copy
    assert "10 September 2025" in copy


def test_follow_up_questions_carry_the_conversation_and_show_how_they_were_understood(
    services: Services, bot: ScriptedBot
) -> None:
    h = ChatHandlers(services, "public", "chat")
    turns = final(h, CANONICAL)[2]
    bot.notes = ["Answered as: When is Bury's next Ofsted standard inspection window after that one?"]
    conversation = final(h, "And the one after that?", turns=turns)[0]
    assert bot.calls[-1]["history"] == [{"question": CANONICAL, "answer": turns[0]["answer"]}]
    assert "Follow-up." in last_turn(conversation) and "Answered as: When is Bury" in last_turn(conversation)


def test_empty_question_does_nothing(services: Services, bot: ScriptedBot) -> None:
    h = ChatHandlers(services, "public", "chat")
    [step] = run(h, "   ")
    assert "Please type a question first" in step[1] and not bot.calls


def test_question_and_document_text_are_shown_as_text(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    conversation = final(
        h, "<script>alert(1)</script> {{value}} foster carer recruitment fostering households"
    )[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in conversation
    assert "<script" not in conversation and "<img" not in conversation
    assert "{{" not in conversation and "&#123;&#123;value&#125;&#125;" in conversation  # no template syntax
    assert 'href="javascript' not in conversation


def test_too_long_question_is_refused_with_the_limit_and_kept_for_editing(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    long_q = "x" * (services.settings.max_question_chars + 1)
    conversation, live, turns, box = final(h, long_q)
    assert "Sorry:" in conversation and "1,000 characters" in conversation and "1,000 characters" in live
    assert box == long_q and turns == []


# ---------------------------------------------------------------------------------------------- filters


def test_filters_reach_the_search(services: Services, bot: ScriptedBot) -> None:
    h = ChatHandlers(services, "public", "chat")
    run(h, CANONICAL, "2025-09-01", "2025-09-30 00:00:00", ["Bury Council"], ["Cabinet"], ["cabinet report"])
    f = bot.calls[-1]["filters"]
    assert (str(f.date_from), str(f.date_to), f.councils, f.bodies, f.doc_types) == (
        "2025-09-01",
        "2025-09-30",
        ("Bury Council",),
        ("Cabinet",),
        ("cabinet report",),
    )


def test_filters_that_exclude_everything_give_not_found(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    conversation = final(h, CANONICAL, "2030-01-01", "", [], [], [])[0]
    assert "do not answer" in conversation and 'class="cqa-sources"' not in conversation


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("16/09/2025", "", [], [], []), "must be a date like 2025-09-16"),
        (("2025-10-01", "2025-09-01", [], [], []), "'from' date is after the 'to' date"),
        (("", "", [], ["Imaginary Committee"], []), "Unknown committee or body: 'Imaginary Committee'"),
        (("", "", ["Atlantis Council"], [], []), "Unknown council: 'Atlantis Council'"),
    ],
)
def test_bad_filters_are_explained(services: Services, args: tuple[Any, ...], message: str) -> None:
    conversation = final(ChatHandlers(services, "public", "chat"), CANONICAL, *args)[0]
    assert message in conversation


def test_parse_filters_empty_is_none() -> None:
    assert parse_filters("", " ", [], None) is None
    with pytest.raises(BadFilterError):
        parse_filters("2025-13-01", "", [], [])


def test_on_load_names_the_councils_and_separates_council_committee_and_type(services: Services) -> None:
    coverage, councils, bodies, types = ChatHandlers(services, "public", "chat").on_load()
    assert "Answers from" in coverage and "Bury Council" in coverage
    names = [c[0] if isinstance(c, tuple) else c for c in councils.choices]
    committees = [c[0] if isinstance(c, tuple) else c for c in bodies.choices]
    assert "Bury Council" in names and "Bury Council" not in committees and "Cabinet" in committees
    assert "cabinet report" in [c[0] if isinstance(c, tuple) else c for c in types.choices]


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
        WidgetHandlers(services, "public", "widget", plain=True),
    ):
        assert "Part B" not in final(h, q)[0]
    assert {c["audience"] for c in bot.calls} == {"public"}


def test_officer_chat_sees_exempt_papers_with_signed_links_to_a_readable_page(services: Services) -> None:
    h = ChatHandlers(services, "officer", "officer")
    q = "placements budget overspend residential children's homes sufficiency strategy"
    conversation = final(h, q)[0]
    assert "Part B" in conversation
    assert (
        "/papers/private/placements-budget-part-b.md?passage=" in conversation and "&amp;exp=" in conversation
    )
    doc = services.catalog().get("private/placements-budget-part-b.md")
    assert doc is not None and doc.classification == "exempt"


def test_originals_open_at_a_readable_page_scrolled_to_the_passage(services: Services) -> None:
    conversation = final(ChatHandlers(services, "public", "chat"), CANONICAL)[0]
    href = conversation.split('class="cqa-open"><a href="', 1)[1].split('"', 1)[0]
    assert href.startswith("/papers/") and href.endswith("#cqa-cited") and "passage=" in href
    assert "/files/" not in conversation  # never the raw Markdown file


# ---------------------------------------------------------------------------------------------- feedback


def test_ratings_and_comments_are_stored_with_question_answer_and_citations(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    conversation, _, turns, _ = final(h, CANONICAL)
    token = services.rating_token(turns[0]["ask_id"])
    assert f'data-token="{token}"' in conversation
    assert "not helpful" in h.rate(token, -1)
    assert "saved" in h.comment(token, "The date is wrong")
    [rec] = services.feedback.asks(with_feedback_only=True)
    assert rec.question == CANONICAL
    assert rec.answer == turns[0]["answer"]
    assert rec.citations and rec.citations[0]["title"].startswith("Ofsted Standard Inspection")
    assert (rec.rating, rec.comment, rec.surface, rec.audience) == (-1, "The date is wrong", "chat", "public")


def test_a_rating_token_rates_only_its_own_answer(services: Services) -> None:
    h = ChatHandlers(services, "public", "chat")
    turns = final(h, CANONICAL)[2]
    turns = final(h, "foster carer recruitment", turns=turns)[2]
    first, second = (services.rating_token(t["ask_id"]) for t in turns)
    h.rate(second, 1)
    h.rate(first, -1)
    ratings = {r.question: r.rating for r in services.feedback.asks(with_feedback_only=True)}
    assert ratings == {"foster carer recruitment": 1, CANONICAL: -1}
    forged = f"{turns[0]['ask_id'] + 1}.{first.split('.')[1]}"
    assert "cannot be rated" in h.rate(forged, 1) and "cannot be rated" in h.rate("1", 1)
    assert "cannot be" in h.comment(forged, "hello")
    assert "Type a comment first" in h.comment(first, "  ")


# ---------------------------------------------------------------------------------------------- widget


def test_widget_leads_with_the_short_answer_then_the_quote(services: Services, bot: ScriptedBot) -> None:
    bot.short_answer = "Next inspection window: December 2027 to December 2028 [1]"
    conversation = final(WidgetHandlers(services, "public", "widget", plain=True), CANONICAL)[0]
    short = conversation.index('class="cqa-short"')
    assert short < conversation.index("What the papers say:") < conversation.index('class="cqa-sources"')
    assert "“" in conversation and "<mark>" not in conversation  # the quote, not the whole passage
    assert 'aria-label="Open the original document for source 1:' in conversation
    assert "A scripted note." not in conversation and "Helpful" not in conversation


def test_widget_never_shows_table_debris(services: Services, bot: ScriptedBot) -> None:
    from web.transcript import resident_lines

    text = (
        "Complaints: 135 [1]\n| Stage 1 | 120 | 98 |\n2023/24 2024/25 135 120 12%\n"
        "Most complaints were resolved at stage one [2]."
    )
    kept = resident_lines(text, "Complaints: 135 [1]")
    assert kept == "Most complaints were resolved at stage one [2]."


def test_widget_keeps_a_papers_label_and_value_line_and_drops_an_empty_heading() -> None:
    from web.transcript import resident_lines

    gap = "About 16 months passed between the two inspections [1][2]."
    text = (
        f"{gap}\nFrom “Report A” (2 May 2024):\n- Inspection dates: 12 to 16 February 2024 [1]\n"
        "From “Report B” (1 July 2025):\n- 2023/24 2024/25 135 120 12% [2]"
    )
    assert resident_lines(text.replace("- Inspection", "- 2024 12 16 Inspection"), gap) == ""
    kept = resident_lines(text, gap)
    assert kept == "From “Report A” (2 May 2024):\n- Inspection dates: 12 to 16 February 2024 [1]"


def test_widget_is_rate_limited_per_client_and_the_chat_has_its_own_higher_limit(
    settings: Any, bot: ScriptedBot
) -> None:
    limited = Services(
        settings.model_copy(update={"widget_rate_limit_per_min": 2, "chat_rate_limit_per_min": 4}),
        bot=bot,
        today=TODAY,
    )
    widget = WidgetHandlers(limited, "public", "widget", plain=True)
    chat = ChatHandlers(limited, "public", "chat")
    for _ in range(2):
        assert "Sorry" not in final(widget, CANONICAL, request=client("10.0.0.1"))[0]
    assert "Please wait" in final(widget, CANONICAL, request=client("10.0.0.1"))[0]
    assert "Sorry" not in final(widget, CANONICAL, request=client("10.0.0.2"))[0]
    for _ in range(4):  # the committee room behind 10.0.0.1 still asks in the chat
        assert "Sorry" not in final(chat, CANONICAL, request=client("10.0.0.1"))[0]
    assert "Please wait" in final(chat, CANONICAL, request=client("10.0.0.1"))[0]
    officer = ChatHandlers(limited, "officer", "officer")
    for _ in range(5):  # officers are not limited
        assert "Sorry" not in final(officer, CANONICAL, request=client("10.0.0.1"))[0]


def test_no_index_yet_says_how_to_fix_it(tmp_path: Path, small_corpus: Path) -> None:
    s = app_settings(tmp_path / "empty", small_corpus)
    services = Services(s, store=fake_store(s))
    h = ChatHandlers(services, "public", "chat")
    assert "Nothing is indexed yet" in h.on_load()[0]
    conversation = final(h, CANONICAL)[0]
    assert "No index yet" in conversation and "council ingest" in conversation


def test_refusals_are_shown_as_a_note_with_no_copy_or_rating(services: Services, bot: ScriptedBot) -> None:
    bot.status = Status.REFUSED
    for h in (
        ChatHandlers(services, "public", "chat"),
        WidgetHandlers(services, "public", "widget", plain=True),
    ):
        conversation, live, *_ = final(h, CANONICAL)
        assert 'class="cqa-answer cqa-refused" role="note"' in conversation
        assert "cqa-copy" not in conversation and "cqa-rate" not in conversation
        assert "where to get help" in live


# ---------------------------------------------------------------------------------------------- layouts


def test_layouts_build_with_named_api_endpoints(services: Services) -> None:
    for build in (build_chat, build_widget, build_officer):
        blocks = build(services)
        assert isinstance(blocks, gr.Blocks)
        names = {fn.api_name for fn in blocks.fns.values() if fn.api_visibility == "public"}
        assert "ask" in names
        # a question sent while an answer is on its way waits for it (Gradio's default, "once", dropped it)
        modes = {d["api_name"]: d["trigger_mode"] for d in blocks.config["dependencies"] if d.get("api_name")}
        assert modes["ask"] == "always_last"


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
    turns = final(h, CANONICAL)[2]
    h.rate(services.rating_token(turns[0]["ask_id"]), 1)
    final(h, "foster carer recruitment")
    o = OfficerHandlers(services)
    summary, rows = o.audit(feedback_only=True)
    assert summary.startswith("2 questions logged; 1 rated helpful")
    assert len(rows) == 1 and rows[0][3] == CANONICAL and rows[0][5] == "up"
    assert len(o.audit(feedback_only=False)[1]) == 2
    csv_text = Path(o.export(feedback_only=True)).read_text(encoding="utf-8-sig")
    assert CANONICAL in csv_text and "Ofsted Standard Inspection" in csv_text
