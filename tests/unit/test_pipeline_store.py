"""The answer pipeline over a real embedded Chroma on tmp_path, with the hashing embedding and scripted chat
models."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.answer import Status
from assistant.candidates import clean
from assistant.errors import BadQuestionError
from assistant.followup import is_followup, resolve
from assistant.question import financial_years
from assistant.service import Assistant
from tests.conftest import TODAY
from tests.fakes import fake_assistant, fake_store, make_passage
from vectorstore.indexer import Indexer
from vectorstore.passage import Passage
from web.services import Services


@pytest.fixture()
def bot(unit_settings, small_corpus: Path) -> Assistant:
    Indexer(fake_store(unit_settings)).sync([small_corpus])
    return fake_assistant(unit_settings, today=TODAY)


def with_model(bot: Assistant, model: Any) -> Assistant:
    settings = bot.settings.model_copy(update={"llm_base_url": "http://127.0.0.1:1/v1"})
    clone = dataclasses.replace(bot, settings=settings, _extra={})
    clone._extra["chat_model"] = model
    return clone


def _p(text: str, n: int = 0, **kw: Any) -> Passage:
    fields = {"title": "T", "body": "", "doc_type": "", "council": "", "path": "", **kw}
    return make_passage(text, chunk_id=f"c{n}", doc_id=f"d{n}", **fields)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("in 2022/23", {"2022/23"}),
        ("2023-2024 Complaints", {"2023/24"}),
        ("2022 to 2023", {"2022/23"}),
        ("2020 to 2025", set()),
        ("2025", set()),
        ("1 April 2022 to 31 March 2023", {"2022/23"}),
    ],
)
def test_financial_years(text: str, years: set[str]) -> None:
    assert financial_years(text) == years


def test_footnote_numbers_are_not_mistaken_for_citations() -> None:
    assert clean("The Ofsted inspection found services improved [3].") == (
        "The Ofsted inspection found services improved ."
    )


@pytest.mark.parametrize(
    ("question", "history", "expected"),
    [
        ("And what was leadership judged?", [{"question": "What did Ofsted find in Bury?"}], True),
        ("What about 2023/24?", [{"question": "How many complaints in 2022/23?"}], True),
        ("How many complaints did Bury receive in 2022/23?", [{"question": "What did Ofsted find?"}], False),
        ("And what was leadership judged?", [], False),
    ],
)
def test_followup_detection(question: str, history: list[dict[str, str]], expected: bool) -> None:
    assert is_followup(question, history, own_terms=2) is expected


@pytest.mark.parametrize(
    ("follow_up", "asked_as"),
    [
        (
            "And the year after that?",
            "How many complaints did Bury children's social care receive in 2023/24?",
        ),
        (
            "What about the previous year?",
            "How many complaints did Bury children's social care receive in 2021/22?",
        ),
        ("What about 2024/25?", "How many complaints did Bury children's social care receive in 2024/25?"),
        (
            "What about Rochdale?",
            "How many complaints did Rochdale children's social care receive in 2022/23?",
        ),
        ("Why?", "Why how many complaints did Bury children's social care receive in 2022/23?"),
    ],
)
def test_follow_ups_are_rewritten_as_whole_questions(follow_up: str, asked_as: str) -> None:
    history = [{"question": "How many complaints did Bury children's social care receive in 2022/23?"}]
    resolved = resolve(follow_up, history, own_terms=0, places=["Rochdale", "Bury"], previous_places=["Bury"])
    assert resolved.question == asked_as
    assert history[0]["question"] in resolved.checked  # what it leans on is checked by the guardrails too


def test_a_pronoun_follow_up_borrows_the_previous_question() -> None:
    history = [{"question": "How many complaints did Lincolnshire receive in 2024/25?"}]
    resolved = resolve("How many of those were upheld?", history, own_terms=1)
    assert resolved.question == "How many of those were upheld?"
    assert resolved.carried == history[0]["question"]
    assert resolved.query.startswith(history[0]["question"])


def test_answers_with_verbatim_citations_and_as_at(bot: Assistant) -> None:
    answer = bot.ask("When is the next inspection window for Bury?")
    assert answer.status == Status.ANSWERED
    assert "December 2027" in answer.text and "[1]" in answer.text
    c = answer.citations[0]
    assert c.quote in c.passage_text and c.date is not None and c.title
    assert answer.as_at.startswith("As at ") and "10 September 2025" in answer.as_at, answer.as_at


def test_guardrail_routes_before_retrieval(bot: Assistant) -> None:
    answer = bot.ask("Is the Smith family on Bolton Road known to social services?")
    assert answer.status == Status.REFUSED and not answer.citations and "999" in answer.text


@pytest.mark.parametrize("question", ["", "   ", "\x00\x01", "x" * 5000])
def test_bad_questions_are_refused_at_the_edge(bot: Assistant, question: str) -> None:
    """The question is cleaned once, where it comes in (here the web layer's `Services.ask`)."""
    services = Services(bot.settings, bot=bot, today=TODAY)
    with pytest.raises(BadQuestionError) as err:
        services.ask(question)
    assert str(err.value)


def test_not_found_names_coverage_and_closest(bot: Assistant) -> None:
    answer = bot.ask("What is the capital budget for highways resurfacing?")
    assert answer.status == Status.NOT_FOUND
    assert (
        "do not answer" in answer.text and "2025" in answer.text and answer.closest and not answer.citations
    )


def test_generative_supported_answer_is_kept(bot: Assistant) -> None:
    model = FakeListChatModel(
        responses=["The next inspection window for Bury will be between December 2027 and December 2028 [1]."]
    )
    answer = with_model(bot, model).ask("When is the next inspection window for Bury?")
    assert answer.answerer.startswith("llm:") and answer.status == Status.ANSWERED
    assert "December 2027" in answer.text and answer.citations


def test_generative_hallucination_never_reaches_the_user(bot: Assistant) -> None:
    model = FakeListChatModel(
        responses=[
            "The next inspection window for Bury is March 2031 [1]. Bury employs 9,000 social workers [2]. "
            "The inspection was led by Ofsted [9]."
        ]
    )
    answer = with_model(bot, model).ask("When is the next inspection window for Bury?")
    for invented in ("2031", "9,000", "[9]"):
        assert invented not in answer.text
    assert any("Removed an unsupported sentence" in n for n in answer.notes)


def test_generative_sentinel_means_not_found_unless_quotes_answer(bot: Assistant) -> None:
    model = FakeListChatModel(responses=["NOT_FOUND_IN_PAPERS"])
    answer = with_model(bot, model).ask("What is the capital budget for highways resurfacing?")
    assert answer.status == Status.NOT_FOUND


class _Boom(FakeListChatModel):
    def _call(self, *args: Any, **kwargs: Any) -> str:
        raise ConnectionError("connection refused")


def test_generative_backend_down_falls_back(bot: Assistant) -> None:
    answer = with_model(bot, _Boom(responses=["x"])).ask("When is the next inspection window for Bury?")
    assert answer.answerer == "extractive (fallback)" and "December 2027" in answer.text
    assert any("did not answer" in n for n in answer.notes)


def test_the_year_after_is_answered_from_that_year(bot: Assistant) -> None:
    first = "How many complaints did Bury children's social care receive in 2022/23?"
    answer = bot.ask("And the year after that?", history=[{"question": first, "answer": ""}])
    assert answer.status == Status.ANSWERED, answer.to_dict()
    assert "117" in answer.text and "2023/24" in answer.text
    assert any("Answered as:" in n and "2023/24" in n for n in answer.notes)
