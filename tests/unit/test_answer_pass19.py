"""General causes found on the tuning sets on 2026-12-07 (nineteenth pass), each on wording no eval set uses: a
count of "areas of" the thing asked, what was done to the things counted, a date of another grade than the one
asked, and a choice between two councils named as alternatives."""

from __future__ import annotations

from dataclasses import replace

from assistant.question import AnswerType, analyse
from assistant.series import compare_note
from assistant.spans import TypedSpan
from tests.fakes import fake_pipeline
from tests.unit.test_answer_pass17 import PLACES, _passage, _shorts
from vectorstore.filters import SearchFilters
from vectorstore.retriever import SearchResult


def test_a_count_of_areas_of_the_thing_asked_counts_the_thing() -> None:
    """ "four areas of serious concern" are four concerns; "four members of staff" are staff."""
    said = "The review of Wexbridge's fostering service found four areas of serious concern."
    assert _shorts("How many concerns did the review of Wexbridge's fostering find?", said) == ["four"]
    staff = "Wexbridge appointed four members of staff to the fostering team in 2023."
    assert _shorts("How many staff did Wexbridge appoint to the fostering team in 2023?", staff) == ["four"]
    # a count of another thing still counts another thing
    other = "The review of Wexbridge's fostering service visited four homes in 2023."
    assert _shorts("How many concerns did the review of Wexbridge's fostering find?", other) == [None]


def test_a_count_of_things_that_had_something_else_done_to_them_does_not_answer() -> None:
    """ "How many were upheld?": complaints received, not considered, or not upheld are other counts."""
    asked = "How many of Wexbridge's fostering complaints were upheld in 2023?"
    received = "A total of 40 fostering complaints were received by Wexbridge in 2023."
    assert _shorts(asked, received) == [None]
    set_aside = "In 2023 the 9 fostering complaints not considered by Wexbridge were withdrawn."
    assert _shorts(asked, set_aside) == [None]
    denied = "In 2023, 12 fostering complaints were not upheld by Wexbridge."
    assert _shorts(asked, denied) == [None]
    upheld = "In 2023, 12 fostering complaints were upheld by Wexbridge after investigation."
    assert _shorts(asked, upheld) == ["12"]
    # the count asked in the active voice, or of things received, is not affected
    assert _shorts("How many fostering complaints did Wexbridge receive in 2023?", received) == ["40"]
    assert _shorts("How many fostering complaints were received by Wexbridge in 2023?", received) == ["40"]


def test_a_date_of_another_grade_is_not_the_date_of_the_grade_asked() -> None:
    """ "When was it first rated outstanding?": "rated 'Good' in 2017" dates another grade."""
    asked = "When was Wexbridge's children's social care first rated outstanding?"
    good = (
        "Following its previous inspection, Ofsted rated Wexbridge's children's social care 'Good' in 2017."
    )
    assert _shorts(asked, good) == [None]
    outstanding = "Ofsted rated Wexbridge's children's social care 'Outstanding' in March 2020."
    assert _shorts(asked, outstanding) == ["March 2020"]
    # a sentence naming no grade may still date the event
    plain = "Wexbridge's children's social care was last inspected by Ofsted in March 2020."
    assert _shorts("When was Wexbridge's children's social care last inspected?", plain) == ["March 2020"]


def test_two_councils_named_as_alternatives_ask_what_sets_them_apart() -> None:
    """ "Who got outstanding first, Wexbridge or Harlow Vale?" asks which: each one's date, not a person."""
    first = analyse("Who got outstanding first, Wexbridge or Harlow Vale?", PLACES)
    assert first.answer_type == AnswerType.DATE and first.comparison
    which = analyse("Which council was rated good sooner, Wexbridge's or Harlow Vale's?", PLACES)
    assert which.answer_type == AnswerType.DATE
    account = analyse("Which council has the stronger fostering service: Wexbridge or Harlow Vale?", PLACES)
    assert account.answer_type == AnswerType.DESCRIPTION
    # councils joined by "and" name whose people are asked for
    people = analyse("Who are the directors of children's services in Wexbridge and Harlow Vale?", PLACES)
    assert people.answer_type == AnswerType.PERSON


def test_dates_compared_say_which_came_first_unless_one_lies_within_the_other() -> None:
    def span(text: str, value: str) -> TypedSpan:
        return TypedSpan(0, len(text), text, AnswerType.DATE, value)

    note = compare_note(
        [("Wexbridge", span("April 2020", "month_year:2020-04")), ("Harlow Vale", span("2018", "year:2018"))],
        AnswerType.DATE,
    )
    assert note == "From the papers: Wexbridge April 2020, Harlow Vale 2018 — Harlow Vale's is the earlier."
    within = [
        ("Wexbridge", span("April 2020", "month_year:2020-04")),
        ("Harlow Vale", span("2020", "year:2020")),
    ]
    assert compare_note(within, AnswerType.DATE) == ""


def test_a_choice_between_two_councils_is_answered_with_each_ones_date() -> None:
    wex = _passage("Ofsted rated Wexbridge's children's services outstanding in November 2018.", doc="wex.md")
    dun = replace(
        _passage("Ofsted rated Dunmore's children's services outstanding in April 2020.", doc="dun.md"),
        council="Dunmore Council",
    )

    def search(query: str, audience: str, filters: SearchFilters | None, k: int) -> SearchResult:
        return SearchResult([wex, dun][:k], None, query, {})

    pipeline = fake_pipeline(search, "Wexbridge Council", councils=["Dunmore Council"])
    answer = pipeline.answer("Who got outstanding first, Wexbridge or Dunmore?")
    assert "November 2018" in answer.text and "April 2020" in answer.text
    assert "Wexbridge's is the earlier" in answer.text
