"""Reading ease (Flesch, syllables from pyphen) and the prose check that keeps table debris from residents."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.answer import Answer, Status
from assistant.readability import is_labelled, is_prose, reading_ease, resident_text, syllables
from evals.metrics import score_question


@pytest.mark.parametrize(("word", "n"), [("care", 1), ("council", 2), ("inspection", 3), ("children", 2)])
def test_syllables(word: str, n: int) -> None:
    assert syllables(word) == n


def test_plain_words_read_easier_than_an_extract() -> None:
    plain = reading_ease("The council got 135 complaints in 2024/25. Most were about social care.")
    extract = reading_ease(
        "The proportionate inspection pathways for ILACS The standard or short inspections will usually happen "
        "once every 3 years, plus or minus 6 months – so the next inspection window for Bury will be between "
        "December 2027 and December 2028 [1]."
    )
    assert plain is not None and extract is not None and plain > 60 > extract
    assert reading_ease("[1] 135 2024") is None  # no words: no score


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        ("The council received 135 complaints in 2024/25, up from 120.", True),
        ("Most complaints were resolved at stage one.", True),
        ("| 2023/24 | 135 | 12% |", False),
        ("Stage 1 135 120 98 Stage 2 4 3", False),
        ("Total\t135\t120", False),
        ("Overall effectiveness: Good", False),
    ],
)
def test_is_prose(text: str, prose: bool) -> None:
    assert is_prose(text) is prose


@pytest.mark.parametrize(
    ("text", "labelled"),
    [
        ("Inspection dates: 12 to 16 February 2024 [1]", True),
        ("Date of the visit: 3 March 2023", True),
        ("Lead inspector: Jane Example, His Majesty's Inspector", True),
        ("Stage 1: 120 98 12%", False),  # a table row's label
        ("| Overall effectiveness | Good |", False),
        ("2023/24 2024/25 135 120 12%", False),
        ("Actions: review the plan; report: in May", False),  # two colons: not one fact
        ("The council received 135 complaints", False),
        ("A label that runs on for far too many words to be one: x", False),
    ],
)
def test_is_labelled(text: str, labelled: bool) -> None:
    assert is_labelled(text) is labelled


def test_resident_text_is_the_short_answer_else_the_answer_without_markers() -> None:
    a = Answer("q", "Complaints: 135 [1]\nThe council received 135 complaints [1].", Status.ANSWERED)
    assert resident_text(a) == "Complaints: 135\nThe council received 135 complaints."
    a.short_answer = "Number of complaints: 135 (Bury Council, 2024/25)"  # type: ignore[attr-defined,unused-ignore]
    assert resident_text(a) == "Number of complaints: 135 (Bury Council, 2024/25)"


def test_the_eval_scores_reading_ease_of_answered_questions_only() -> None:
    def score(kind: str, status: str, text: str, resident: str = "") -> Any:
        return score_question(
            id="q1", kind=kind, must_contain=[], expected_sources=[], status=status, text=text, citations=[],
            retrieved_doc_ids=None, latency_ms=1.0, resident_text=resident,
        )  # fmt: skip

    answered = score("factoid", "answered", "It was Good [1].", "It was good.")
    assert answered.reading_ease is not None and answered.to_dict()["reading_ease"] == answered.reading_ease
    assert score("guardrail", "refused", "Sorry.").reading_ease is None
