"""General causes found on the tuning sets on 2026-12-07 (nineteenth pass), each on wording no eval set uses: a
count of "areas of" the thing asked, what was done to the things counted, a date of another grade than the one
asked, and a choice between two councils named as alternatives."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from assistant.candidates import collect
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
    # "Of the 111 complaints, 15 were upheld": the whole the others are taken from is no count of those upheld
    partition = "Of the 111 Wexbridge fostering complaints in 2023, 15 were upheld and 47 were not upheld."
    assert _shorts(asked, partition) == ["15"]
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


def test_an_undated_paper_of_the_kind_found_first_leaves_the_newest_open() -> None:
    """ "Ofsted's most recent visit": an undated report of a visit found before the newest dated one may be the
    newer; no paper is answered from as the newest (the passages found answer as they rank)."""
    from assistant.latest import Paper, newest_of_kind

    last = analyse("What still needs to improve in Wexbridge after Ofsted's most recent visit?", PLACES)
    dated = Paper("a", "Ofsted visit to Wexbridge (news)", "other", dt.date(2019, 2, 5))
    undated = Paper("b", "Ofsted visit looks at help and protection in Wexbridge (radio)", "other", None)
    assert newest_of_kind(last, [dated, undated]) == "a"  # found after it: the dated paper stands
    assert newest_of_kind(last, [undated, dated]) is None


def test_a_figure_for_the_whole_does_not_answer_for_a_part_the_question_narrows_to() -> None:
    """ "complaints about fostering": "40 complaints" in all is not it; the paper's title may name the part."""
    asked = "How many complaints about fostering did Wexbridge receive in 2023?"
    whole = "Wexbridge received 40 complaints in 2023."
    assert _shorts(asked, whole) == [None]
    part = "Wexbridge received 12 complaints about fostering in 2023, fewer than before."
    assert _shorts(asked, part) == ["12"]
    from_parents = "How many complaints from parents did Wexbridge receive in 2023?"
    assert _shorts(from_parents, whole) == [None]
    # words common in the papers ("children's services") narrow nothing
    assert _shorts("How many complaints did Wexbridge receive in 2023?", whole) == ["40"]


def test_the_kind_of_contact_detail_asked_for_is_given() -> None:
    """ "Where can I write to?" is answered with the address, "what number do I ring?" with the phone number,
    whichever sentence shares more of the question's words."""
    phone = "To complain about Wexbridge children's services, call the complaints team on 01632 960123."
    post = "Letters go to Customer Care, Town Hall, High Street, Wexbridge, WX1 2AB."
    written = _shorts("Where can I write to complain about Wexbridge children's services?", phone, post)
    assert written and written[0] is not None and written[0].endswith("WX1 2AB")
    rung = _shorts("What number do I ring to complain about Wexbridge children's services?", phone, post)
    assert rung == ["01632 960123"]


def test_a_long_of_phrase_keeps_its_noun_in_the_focus() -> None:
    """ "the three areas of significant weakness identified in ...": the areas are of weakness, whatever clause
    follows the phrase."""
    a = analyse(
        "What were the three areas of serious concern identified in Wexbridge's 2023 fostering review?",
        PLACES,
    )
    assert a.focus is not None and {"concern", "serious"} <= a.focus.terms
    assert "identified" not in a.focus.text


def test_a_list_asked_for_that_the_papers_only_count_is_declined_saying_so() -> None:
    from assistant.summary import only_counted

    asked = "What were the three areas of serious concern identified in Wexbridge's 2023 fostering review?"
    a = analyse(asked, PLACES)
    counted = _passage("The 2023 fostering review identified three areas of serious concern.")
    cands = collect(a, [counted], None)
    assert only_counted(a, cands) == "The 2023 fostering review identified three areas of serious concern."
    listed = _passage(
        "The 2023 fostering review identified three areas of serious concern: delay, drift and data."
    )
    assert only_counted(a, collect(a, [listed], None)) == ""
    # a sentence naming one of them answers, counted or not
    named = _passage("The 2023 fostering review raised serious concern about delay in matching children.")
    assert only_counted(a, collect(a, [counted, named], None)) == ""
    # a question naming only the things' kind ("what were the three areas?") is left to the answer's points
    assert only_counted(analyse("What were the three areas in Wexbridge's review?", PLACES), cands) == ""


def test_a_refusal_names_what_narrowed_the_thing_looked_for() -> None:
    whole = _passage("Wexbridge received 40 complaints in 2023.", doc="wex.md")

    def search(query: str, audience: str, filters: SearchFilters | None, k: int) -> SearchResult:
        return SearchResult([whole], None, query, {})

    pipeline = fake_pipeline(search, "Wexbridge Council")
    answer = pipeline.answer("How many complaints about fostering did Wexbridge receive in 2023?")
    assert answer.status.value == "not_found"
    assert "“complaints about fostering”" in answer.text


def test_what_still_needed_to_improve_asks_for_the_areas_not_a_change_over_time() -> None:
    """ "What still needed to improve in Wexbridge after the 2017 inspection?": improving is what was needed
    (the small model may attach the infinitive as a clause of its own), not what happened."""
    a = analyse("What still needed to improve in Wexbridge after the 2017 pilot inspection?", PLACES)
    assert not a.change
    assert analyse("Has Wexbridge improved since the 2017 pilot inspection?", PLACES).change


def test_a_list_of_phrases_ends_where_long_prose_written_otherwise_begins() -> None:
    from tests.unit.test_answer_general_causes import items_after

    text = (
        "Areas that still need to improve include:\n- The educational attainment of children in care\n"
        "- Ensuring every care leaver has a record of their health history\n"
        "- Including specific actions in children's plans\n"
        "Councillor Ann Lee, Wexbridge's Cabinet Member for Children's Services, said: \u201cIt is fantastic that "
        "our children's services are now rated good in all areas and we thank our staff.\u201d"
    )
    question = "What still needs to improve in Wexbridge?"
    items = items_after(question, text, "Areas that")
    assert items[-1] == "Including specific actions in children's plans" and len(items) == 3
    # a last item written with a full stop, no longer than the others, stays in the list
    closed = text.split("Councillor")[0].rstrip() + ".\n"
    closed_items = items_after(question, closed, "Areas that")
    assert closed_items[-1].startswith("Including specific actions")
    assert len(closed_items) == 3


def test_a_grade_reported_as_just_given_is_dated_by_its_paper() -> None:
    """ "When did Wexbridge first get outstanding?": "have been rated 'Outstanding'" in a paper of 15 April 2020
    was reported that day; a sentence in the past tense, naming another grade, or giving a date does not say."""
    from assistant.paper_dates import grade_reported

    asked = analyse("When did Wexbridge's children's services first get an outstanding grade?", PLACES)
    news = _passage(
        "Wexbridge's children's services have been rated 'Outstanding' by Ofsted.", date=dt.date(2020, 4, 15)
    )
    found = grade_reported(asked, collect(asked, [news], None), [news])
    assert found is not None and found.sentence.startswith("Wexbridge's children's services have been")
    for text in (
        "Wexbridge's children's services were rated 'Outstanding' by Ofsted.",  # when, the paper does not say
        "Wexbridge's children's services have been rated 'Good' by Ofsted.",  # another grade
        "Wexbridge's children's services have been rated 'Outstanding' by Ofsted since March 2020.",
    ):
        other = _passage(text, date=dt.date(2020, 4, 15))
        assert grade_reported(asked, collect(asked, [other], None), [other]) is None
    undated = _passage(news.text, date=None)
    assert grade_reported(asked, collect(asked, [undated], None), [undated]) is None
    # only a question asking when a grade was given
    plain = analyse("When did Wexbridge's children's services last have an inspection?", PLACES)
    assert grade_reported(plain, collect(plain, [news], None), [news]) is None


def test_a_refused_date_of_a_grade_is_answered_with_the_date_it_was_reported() -> None:
    news = _passage(
        "Wexbridge's children's services have been rated 'Outstanding' by Ofsted.",
        date=dt.date(2020, 4, 15),
        doc="wex.md",
    )

    def search(query: str, audience: str, filters: SearchFilters | None, k: int) -> SearchResult:
        return SearchResult([news], None, query, {})

    pipeline = fake_pipeline(search, "Wexbridge Council")
    pipeline.config = replace(pipeline.config, min_answerability=0.99)  # no date found answers well enough
    answer = pipeline.answer("When did Wexbridge's children's services first get an outstanding grade?")
    assert answer.text.startswith("Reported: 15 April 2020 (the date of ")
    assert "have been rated 'Outstanding'" in answer.text


def test_a_plural_of_four_letters_meets_its_singular() -> None:
    """ "how many days did it run?": "a five day inspection"; the stemmer keeps words of four letters whole."""
    from assistant.verify import stem

    assert stem("days") == stem("day") and stem("gaps") == stem("gap") and stem("fees") == stem("fee")
    assert stem("news") != stem("new") and stem("plus") == "plus" and stem("this") == "this"


def test_who_said_a_quoted_sentence_is_the_speaker_introducing_the_quotation() -> None:
    """ "Who said it made grim reading?": the quotation's later sentence names no one; the sentence opening the
    quotation ("Vice-chair Ann Lee said: “...") names its speaker."""
    text = (
        "Councillor Bob Hart chaired the meeting on Wexbridge's children's services.\n\n"
        "Vice-chair of the committee Ann Lee said: \u201cWhy has it taken so long to get here?\n\n"
        "\u201cSome of this does make grim reading, unfortunately.\n\n"
        "\u201cWe must do better for our children.\u201d"
    )
    assert _shorts(
        "Who said the Ofsted report on Wexbridge's children's services made grim reading?", text
    ) == ["Ann Lee"]
    # a quotation whose opening names no one says nothing of who spoke: the presenter is all there is
    unnamed = text.replace("Vice-chair of the committee Ann Lee said:", "The report was discussed:")
    assert _shorts(
        "Who said the Ofsted report on Wexbridge's children's services made grim reading?", unnamed
    ) == ["Councillor Bob Hart"]


def test_a_timeline_asked_for_is_a_history_in_date_order() -> None:
    """ "Trace the intervention from 2012 to 2015": every year of the span is asked, older papers are not marked
    down, and the points come oldest paper first."""
    from assistant.summary import choose

    a = analyse("Trace Wexbridge's intervention in children's services from 2012 to 2015.", PLACES)
    assert a.timeline and a.history and a.change
    assert not analyse("What did Wexbridge's intervention in children's services achieve?", PLACES).timeline
    old = _passage(
        "An improvement notice for Wexbridge's children's services was issued on 3 August 2012.",
        date=dt.date(2012, 8, 3),
        doc="old.md",
    )
    mid = _passage(
        "Ofsted found in January 2014 that the intervention in Wexbridge's children's services had not yet worked.",
        date=dt.date(2014, 1, 7),
        doc="mid.md",
    )
    new = _passage(
        "The intervention in Wexbridge's children's services was closed on 9 November 2015.",
        date=dt.date(2015, 11, 9),
        doc="new.md",
    )
    passages = [new, old, mid]
    cands = collect(a, passages, None)
    assert all(c.dated == 1.0 for c in cands)  # 2014 is within "from 2012 to 2015"
    # a change between two years compares those years: a year between them is not asked
    between = analyse(
        "How did Wexbridge's intervention in children's services change from 2012 to 2015?", PLACES
    )
    assert not between.timeline
    assert [c.dated for c in collect(between, [mid], None)] != [1.0]
    points = choose(a, cands, passages)
    assert [passages[p.candidate.passage_index].doc_id for p in points] == ["old.md", "mid.md", "new.md"]


def test_a_grade_reported_is_looked_for_among_the_best_few_sentences_only() -> None:
    """The privacy check parses each sentence it is asked about: only as many as the shortlist needs."""
    from assistant.paper_dates import NEWS_SHORTLIST, grade_reported

    asked = analyse("When did Wexbridge's children's services first get an outstanding grade?", PLACES)
    passages = [
        _passage(f"Wexbridge's children's services met on day {n} of the month.", n=n) for n in range(9)
    ]
    seen: list[str] = []

    def allowed(cand: object) -> bool:
        seen.append(getattr(cand, "sentence", ""))
        return True

    assert grade_reported(asked, collect(asked, passages, None), passages, allowed) is None
    assert len(seen) == NEWS_SHORTLIST
