"""Issue 4 acceptance on the bundled corpus with the real MiniLM: the seed answers are right and cite the Cabinet
report or the scrutiny summary; unanswerable questions are refused; a tiny hallucinating LLM behind a real
OpenAI-compatible server never gets an unsupported claim past the verifier."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.answer import Status
from assistant.service import Assistant
from evals.matching import all_present

pytestmark = pytest.mark.integration
SEEDS = (  # the seed papers, and the Ofsted reports they summarise (answered from the inspection record)
    "bury-cabinet-2025-09-10-ofsted-standard-inspection-report",
    "bury-cyp-scrutiny-2025-09-16-opencouncil-summary",
    "bury-ofsted-ilacs-2025-07-29",
    "bury-ofsted-ilacs-2021-12-17",
)


@pytest.mark.parametrize(
    ("question", "must"),
    [
        ("When is Bury's next Ofsted standard inspection window?", ["December 2027", "December 2028"]),
        ("What was Bury's previous overall Ofsted judgement, and when?", ["inadequate", "November 2021"]),
        ("What is Bury's new Ofsted judgement for children's services?", ["improvement to be good"]),
        ("How was leadership in Bury's children's services graded in the 2025 inspection?", ["good"]),
        ("By what date must Bury submit its post-inspection action plan to Ofsted?", ["5 November"]),
        ("How many complaints did Bury's social care teams receive in 2022/23?", ["118"]),
        ("How many complaints did Bury's social care teams receive in 2023/24?", ["117"]),
    ],
)
def test_seed_answers(real_assistant: Assistant, question: str, must: list[str]) -> None:
    answer = real_assistant.ask(question)
    assert answer.status in (Status.ANSWERED, Status.PARTIAL), answer.to_dict()
    ok, missing = all_present(answer.text, must)
    assert ok, (missing, answer.text)
    assert any(any(stem in c.doc_id for stem in SEEDS) for c in answer.citations)
    for c in answer.citations:
        assert c.quote and c.quote in c.passage_text  # quotes are verbatim
        assert c.date is not None
    assert answer.as_at.startswith("As at ")


# The acceptance case and two the papers cannot answer (no salary, no 2024 adoption figure). Refusal over all
# 28 unanswerable dev questions is measured by the eval (89%) and held by a floor in evals/floors.json.
@pytest.mark.parametrize(
    "question",
    [
        "How many social workers does Bury employ?",
        "What is the salary of the Director of Children's Services in Bury?",
        "How many children were adopted in Bury in 2024?",
    ],
)
def test_unanswerable_is_not_found(real_assistant: Assistant, question: str) -> None:
    answer = real_assistant.ask(question)
    assert answer.status == Status.NOT_FOUND, answer.to_dict()
    assert "do not answer" in answer.text and answer.citations == [] and answer.closest


def test_follow_up_uses_the_conversation(real_assistant: Assistant) -> None:
    first = "What did Ofsted judge Bury's children's services in 2025?"
    answer = real_assistant.ask(
        "And what was leadership judged?", history=[{"question": first, "answer": ""}]
    )
    assert answer.status in (Status.ANSWERED, Status.PARTIAL)
    assert "leadership" in answer.text.lower() and "good" in answer.text.lower()


def test_a_grade_the_inspection_did_not_give_is_declined_with_the_records_reason(
    real_assistant: Assistant,
) -> None:
    """Found in the browser as an officer: the 2021 ILACS gave care leavers no grade of their own (judged with
    children in care); the answer was the overall grade. Now declined, saying why."""
    answer = real_assistant.ask("What grade did Bury get for care leavers in 2021?")
    assert answer.status == Status.NOT_FOUND, answer.to_dict()
    assert "gives no such grade" in answer.text and "inadequate" not in answer.text.lower()


def test_a_question_asking_for_the_latest_keeps_its_own_time_in_a_conversation(
    real_assistant: Assistant,
) -> None:
    """Found in the browser as an officer: asked after a question about 2021, "last time" took 2021 and the
    comparison was declined; it is each council's latest inspection."""
    first = "What grade did Bury get for care leavers in 2021?"
    answer = real_assistant.ask(
        "Which got the better ILACS grade last time, Rochdale or Oldham?",
        history=[{"question": first, "answer": ""}],
    )
    assert answer.status in (Status.ANSWERED, Status.PARTIAL), answer.to_dict()
    ok, missing = all_present(answer.text, ["Rochdale", "Oldham", "2023", "2024", "good"])
    assert ok, (missing, answer.text)


def test_guardrail_refuses_individual_cases(real_assistant: Assistant) -> None:
    answer = real_assistant.ask("My neighbour's children are left alone every night, what should I do?")
    assert answer.status == Status.REFUSED and "999" in answer.text and not answer.citations


def test_llm_answers_through_a_real_openai_compatible_server(
    real_assistant: Assistant, llama_server: str
) -> None:
    settings = real_assistant.settings.model_copy(
        update={"llm_base_url": llama_server, "llm_model": "smollm2", "llm_timeout_s": 120.0}
    )
    bot = dataclasses.replace(real_assistant, settings=settings, _extra={})
    for question in (
        "When is Bury's next Ofsted standard inspection window?",
        "How many complaints did Bury's social care teams receive in 2022/23?",
    ):  # a date and a count: two of the tiny model's ~20-second answers are enough to test the wiring
        answer = bot.ask(question)
        assert answer.answerer.startswith(("llm:", "extractive (fallback)"))
        # whatever the tiny model wrote, every sentence that reached the user is supported by its citation
        from assistant.citations import parse_markers
        from assistant.verify import verify_sentence

        passages = {c.n: c for c in answer.citations}
        for sentence, markers in parse_markers(answer.text if answer.status != Status.NOT_FOUND else ""):
            if sentence.startswith("Calculated from the papers"):
                continue
            assert markers and all(m in passages for m in markers), (sentence, answer.text)
            from vectorstore.passage import Passage

            cited = [
                Passage(
                    chunk_id=passages[m].chunk_id,
                    doc_id=passages[m].doc_id,
                    text=passages[m].passage_text,
                    title=passages[m].title,
                    date=passages[m].date,
                    body=passages[m].body,
                    doc_type=passages[m].doc_type,
                    council="",
                    source_url="",
                    classification="open",
                    path="",
                )
                for m in markers
            ]
            verdict = verify_sentence(sentence, list(range(1, len(cited) + 1)), cited)
            if not verdict.supported:
                # a short answer's lead ("Number of complaints: 118 (Bury Council, 2022/23)") is checked as the
                # product checks it: its value stands in the cited passage
                _, _, rest = sentence.partition(": ")
                value = rest.split(" (")[0].rstrip(".")
                assert value and any(value in c.text for c in cited), (verdict.reason, answer.text)


def test_llm_server_down_falls_back_to_extractive(real_assistant: Assistant) -> None:
    settings = real_assistant.settings.model_copy(
        update={"llm_base_url": "http://127.0.0.1:9/v1", "llm_timeout_s": 2.0}
    )
    bot = dataclasses.replace(real_assistant, settings=settings, _extra={})
    answer = bot.ask("When is Bury's next Ofsted standard inspection window?")
    assert answer.answerer == "extractive (fallback)"
    assert any("did not answer" in n for n in answer.notes)
    assert "December 2027" in answer.text
