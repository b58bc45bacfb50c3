"""General causes found on the tuning sets and in the browser on 2026-12-07 (twenty-first pass): the later parts of
a multi-part counting question, each on wording no eval set uses."""

from __future__ import annotations

from assistant.candidates import collect
from assistant.pipeline import _label
from assistant.question import analyse
from assistant.shortanswer import _verbs_of, distinct, find
from tests.unit.test_answer_pass17 import PLACES, _passage


def _shorts(question: str, *texts: str) -> list[str | None]:
    """Each part's answer as the pipeline takes them: two parts never share one span."""
    a = analyse(question, PLACES)
    passages = [_passage(t) for t in texts]
    cands = collect(a, passages, None)
    ids = [p.doc_id for p in passages]
    found = distinct(
        [find(a, part, cands, ids, passage_dates=[p.date for p in passages]) for part in a.parts]
    )
    return [f.text if f is not None else None for f in found]


def test_a_part_counting_what_became_of_the_things_needs_a_sentence_saying_so() -> None:
    """ "..., and how many went to Stage 2?": the total the first part counts is no answer to the second."""
    asked = "How many complaints did Wexbridge receive in 2023, and how many went to Stage 2?"
    total = "Wexbridge received 140 complaints in 2023, of which 98 were resolved informally."
    assert _shorts(asked, total) == ["140", None]
    staged = "In 2023, 9 complaints went to Stage 2 in Wexbridge."
    assert _shorts(asked, total, staged) == ["140", "9"]


def test_a_body_asked_by_its_acronym_is_said_by_the_word_it_is_called_by() -> None:
    """ "how many went to the LGSCO?": "made to the Local Government Ombudsman" says it."""
    asked = "How many complaints did Wexbridge get in 2023, and how many went to the LGSCO?"
    said = (
        "In 2023 Wexbridge received just 12 complaints, and three more were made to the Local Government "
        "Ombudsman."
    )
    assert _shorts(asked, said) == ["12", "three"]


def test_of_two_figures_in_a_sentence_the_one_going_with_the_parts_verb_answers_it() -> None:
    """ "How many investigations were started, and how many led to a conference?": the figure "leading to" one."""
    asked = "How many child protection investigations did Wexbridge start in 2023, and how many led to a conference?"
    said = (
        "In 2023 a total of 900 child protection investigations were initiated by Wexbridge, with 310 leading to "
        "an initial child protection conference."
    )
    assert _shorts(asked, said) == ["900", "310"]


def test_a_later_parts_label_says_what_it_counts() -> None:
    """ "Number of complaints that went to Stage 2", not "Number of Stage"; a first part keeps its focus."""
    a = analyse("How many complaints did Wexbridge receive in 2023, and how many went to Stage 2?", PLACES)
    assert [_label(p, a.multipart) for p in a.parts] == [
        "Number of complaints",
        "Number of complaints that went to Stage 2",
    ]
    short = analyse("How many complaints did Wexbridge get, and how many were upheld?", PLACES)
    assert _label(short.parts[1], True) == "Number of complaints upheld"
    # a short first part is labelled by its focus, not by its own words ("Letter wrote letter")
    who = analyse("Who wrote the letter, and did they praise anything?", PLACES)
    assert _label(who.parts[0], True) == "Name"


def test_a_count_asked_with_a_verb_is_the_figure_going_with_that_verb() -> None:
    """ "How many did the Ombudsman investigate?": "received 88 complaints ... and investigated 18": 18."""
    said = (
        "In 2023 the Ombudsman received a total of 88 complaints about Wexbridge and investigated 18 complaints "
        "listed under children's services."
    )
    assert _shorts("How many complaints about Wexbridge did the Ombudsman investigate in 2023?", said) == [
        "18"
    ]
    assert _shorts("How many complaints about Wexbridge did the Ombudsman receive in 2023?", said) == ["88"]
    # a verb describing the thing counted, or used as a preposition, is not the one the count is asked with
    areas = analyse(
        "How many of the areas inspected under the new framework got positive outcomes, according to the adviser?",
        PLACES,
    )
    assert _verbs_of(areas.parts[0]) == set()  # "got" is a light verb
