"""General causes found on the tuning sets on 2026-12-07 (twentieth pass), each on wording no eval set uses."""

from __future__ import annotations

import datetime as dt

from assistant.candidates import collect
from assistant.nlp import parse
from assistant.people import private_people
from assistant.question import AnswerType, analyse, carry_context
from assistant.shortanswer import _undergone, find, undergone_words
from assistant.spans import typed_spans
from tests.unit.test_answer_pass17 import PLACES, _passage, _shorts
from vectorstore.querydates import stated_periods


def test_a_role_of_something_else_is_another_role() -> None:
    """ "Who was the director of children's services?": Ofsted's "director of social care" is another post."""
    asked = "Who was Wexbridge's director of children's services in 2023?"
    other = "Ofsted's national director of social care, Mary Holt, praised the services in Wexbridge in 2023."
    assert _shorts(asked, other) == [None]
    held = "In 2023 Ofsted wrote to Wexbridge's executive director for children's services, Tom Reyes."
    assert _shorts(asked, other, held) == ["Tom Reyes"]
    # the role named without what it is of may still be the one asked
    plain = "Wexbridge's director, Tom Reyes, welcomed the report in 2023."
    assert _shorts(asked, plain) == ["Tom Reyes"]
    # asked without what it is of, any director answers
    assert _shorts("Who was Wexbridge's director in 2023?", other) == ["Mary Holt"]


def test_where_and_when_are_not_part_of_the_thing_asked() -> None:
    """ "the director of children's services there": the label names the post, not the place."""
    focus = analyse("who was the director of children's services there at the time?", PLACES).focus
    assert focus is not None and "there" not in focus.text


def test_of_two_people_named_the_one_in_the_post_asked_answers() -> None:
    """A sentence naming a council leader and a minister: "which minister ...?" is answered with the minister,
    whose post (set off before the name) the glossary knows as a minister's."""
    said = (
        "In a letter to council leader Alan Price, the Parliamentary Under-Secretary of State for Schools, "
        "Ruth Oduya MP, praised Wexbridge's 2023 inspection outcome."
    )
    minister = _shorts("Which minister wrote to Wexbridge about its 2023 inspection?", said)[0] or ""
    assert minister.startswith("Ruth Oduya")
    assert _shorts("Which council leader received the letter about Wexbridge's 2023 inspection?", said) == [
        "Alan Price"
    ]


def test_a_minister_named_by_post_is_an_official_not_a_private_person() -> None:
    said = "The Parliamentary Under-Secretary of State for Children and Families, Ruth Oduya MP, wrote to us."
    assert private_people(said) == []


def test_a_figure_for_another_part_of_the_year_does_not_answer_for_the_months_asked() -> None:
    """ "Between April and September 2023": a year's figure ending in March 2023 shares the year, not the months."""
    asked = "How many fostering complaints did Wexbridge get between April and September 2023?"
    year_before = (
        "A total of 40 fostering complaints were made to Wexbridge between April 2022 and March 2023."
    )
    assert _shorts(asked, year_before) == [None]
    months = "Between April and September 2023, 12 fostering complaints were made to Wexbridge."
    assert _shorts(asked, year_before, months) == ["12"]
    # a whole year asked still meets a period that overlaps it
    assert _shorts("How many fostering complaints did Wexbridge get in 2023?", year_before) == ["40"]


def test_the_periods_a_sentence_states_are_those_with_their_year_written() -> None:
    today = dt.date(2026, 12, 7)
    assert stated_periods("Between April 2018 and March 2019, 252 complaints were made.", today) == [
        (dt.date(2018, 4, 1), dt.date(2019, 3, 31))
    ]
    assert stated_periods("This year there were fewer complaints.", today) == []


def test_a_figure_is_shown_with_the_words_that_make_it_a_bound_or_an_estimate() -> None:
    """ "More than 100 compliments" is not "100 compliments": the lead keeps the bound."""
    said = "Wexbridge received just four complaints in 2023 but received more than 100 compliments."
    a = analyse("How many compliments did Wexbridge receive in 2023?", PLACES)
    passage = _passage(said)
    short = find(a, a.parts[0], collect(a, [passage], None), [passage.doc_id], passage_dates=[passage.date])
    assert short is not None and short.text == "100" and short.shown == "more than 100"
    b = analyse("How many complaints did Wexbridge receive in 2023?", PLACES)
    short = find(b, b.parts[0], collect(b, [passage], None), [passage.doc_id], passage_dates=[passage.date])
    assert short is not None and short.shown == "four"  # "just" alone qualifies nothing


def test_a_post_in_brackets_or_after_the_next_word_is_its_own_persons() -> None:
    said = (
        "Wexbridge was congratulated in 2023 by its DfE adviser (Carol Noon) and by its Improvement Board "
        "chair, Lena Clay."
    )
    assert _shorts("Who was the chair of Wexbridge's Improvement Board in 2023?", said) == ["Lena Clay"]
    bracketed = "In 2023 Wexbridge's adviser Carol Noon met Lena Clay (Improvement Board chair)."
    assert _shorts("Who was the chair of Wexbridge's Improvement Board in 2023?", bracketed) == ["Lena Clay"]


def test_a_count_done_in_part_is_not_a_count_of_those_done() -> None:
    """ "How many were upheld?": "82 (26%) complaints were partially upheld" counts another outcome, and the share
    in brackets after a count is the count's, not the answer to "how many"."""
    asked = "How many of Wexbridge's complaints were upheld in 2023?"
    partly = "In 2023, 82 (26%) complaints to Wexbridge were partially upheld."
    assert _shorts(asked, partly) == [None]
    upheld = "In 2023, 52 (16%) complaints to Wexbridge were upheld."
    assert _shorts(asked, partly, upheld) == ["52"]
    assert _shorts("How many of Wexbridge's complaints were partially upheld in 2023?", partly) == ["82"]


def test_a_follow_up_asks_what_was_done_to_the_things_the_question_before_counted() -> None:
    """ "How many of those were upheld?" after "How many complaints ...?": the count of complaints upheld."""
    before = analyse("How many fostering complaints did Wexbridge receive in 2023?", PLACES)
    asked = carry_context(analyse("How many of those were upheld?", PLACES), before, topic=True)
    part = asked.parts[0]
    assert part.focus is not None and part.focus.head == "complaint"
    assert "uphold" in _undergone(part)


def test_a_small_bare_number_is_never_a_date() -> None:
    """The small model sometimes tags a count at the start of a line ("52 (16%) were upheld") as a date."""
    said = "52 (16%) were upheld"
    assert not [s for s in typed_spans(said, parse(said)) if s.kind == AnswerType.DATE]


def test_a_former_holder_of_the_post_is_not_who_held_it_then() -> None:
    """ "Who was the director in 2019?": "Tom Reyes, who had been director ... left" is a former holder; words set
    off after a name run up to the next name ("by Ann Lowe, prior to ... director Mary Holt": Mary Holt's)."""
    asked = "Who was Wexbridge's director of children's services in 2019?"
    former = (
        "In January 2015, Tom Reyes, who had been director of children's services in Wexbridge since 2011, left "
        "for another council."
    )
    current = (
        "He was replaced on an interim basis by Ann Lowe, prior to the appointment of current director of "
        "children's services Mary Holt in February 2016."
    )
    assert _shorts(asked, former, current) == ["Mary Holt"]
    # asked for the former holder, the former holder answers
    assert _shorts("Who was Wexbridge's previous director of children's services?", former) == ["Tom Reyes"]


def test_a_post_is_labelled_with_its_whole_name() -> None:
    """ "Director of children's services", not "director of services"; a place's possessive stays out."""
    focus = analyse("Who was the director of children's services in Wexbridge in 2019?", PLACES).focus
    assert focus is not None and focus.label == "Director of children's services"
    chair = analyse("Who is the chair of Wexbridge's children's scrutiny committee?", PLACES).focus
    assert chair is not None and "Wexbridge" not in chair.label and "children's" in chair.label


def test_a_noun_split_from_the_noun_it_numbers_is_part_of_the_thing_asked() -> None:
    """ "Wexbridge's 2023/24 stage 1 complaints", parsed "stage | 1 complaints": the thing is the complaints."""
    focus = analyse("How many of Wexbridge's 2023/24 stage 1 complaints were upheld?", PLACES).focus
    assert focus is not None and focus.head == "complaint" and focus.text == "2023/24 stage 1 complaints"
    results = analyse("What were the key stage 2 results in Wexbridge?", PLACES).focus
    assert results is not None and results.text == "key stage 2 results"


def test_a_count_of_things_done_to_is_labelled_with_what_was_done() -> None:
    """ "How many of those were upheld?": "Number of complaints upheld", not a count of all complaints."""
    before = analyse("How many complaints did Wexbridge receive in 2023?", PLACES)
    asked = carry_context(analyse("How many of those were upheld?", PLACES), before, topic=True)
    assert undergone_words(asked.parts[0]) == "upheld"
    partly = analyse("How many of Wexbridge's complaints were partially upheld in 2023?", PLACES)
    assert undergone_words(partly.parts[0]) == "partially upheld"
    assert undergone_words(before.parts[0]) == ""


def test_the_next_clause_of_a_list_of_outcomes_is_not_the_counts_own() -> None:
    """ "28 were not upheld, 19 were partly upheld, and 11 were upheld": 11, not 19, were upheld."""
    said = "In 2023 the outcomes showed that 28 were not upheld, 19 were partly upheld, and 11 were upheld."
    assert _shorts("How many of Wexbridge's complaints were upheld in 2023?", said) == ["11"]
