"""General causes found on the tuning sets on 2026-12-07 (eighteenth pass), each on wording no eval set uses: a
number that is the size of another noun, one of several things asked for ("which of the ..."), and a run of
nouns the parser splits at an acronym."""

from __future__ import annotations

from assistant.question import AnswerType, analyse, carry_context, for_one_side
from tests.unit.test_answer_pass17 import PLACES, _shorts


def test_a_bare_number_after_of_is_the_size_of_its_noun_not_a_count_of_the_thing_asked() -> None:
    """ "the top band on a scale of five" counts no children; "a total of 42" is what the total counts."""
    banded = "Wexbridge's fostering service was placed in the top band on a scale of five by the regulator."
    assert _shorts("How many Wexbridge children were in foster care in 2023?", banded) == [None]
    total = "Wexbridge's fostering service looked after a total of 42 children in foster care in 2023."
    assert _shorts("How many Wexbridge children were in foster care in 2023?", total) == ["42"]


def test_a_command_asking_for_a_measure_asks_for_a_number() -> None:
    """ "Compare the numbers of ...": the verb of request is any command's; the measure says the answer's type."""
    a = analyse("Compare the numbers of complaints about fostering in Wexbridge and Harlow Vale.", PLACES)
    assert a.answer_type == AnswerType.NUMBER and a.focus is not None and "complaints" in a.focus.text
    b = analyse("Summarise the fostering complaints in Wexbridge.", PLACES)
    assert b.answer_type != AnswerType.NUMBER


def test_each_side_of_a_comparison_keeps_the_years_named_beside_its_council() -> None:
    a = analyse("How did Wexbridge's 2021/22 and Harlow Vale's 2018/19 complaints reports compare?", PLACES)
    assert for_one_side(a, ["Wexbridge"]).financial_years == ("2021/22",)
    assert for_one_side(a, ["Harlow Vale"]).financial_years == ("2018/19",)
    b = analyse("Compare the SEND outcomes for Wexbridge (2023) and Harlow Vale (2019).", PLACES)
    assert for_one_side(b, ["Wexbridge"]).years == (2023,)
    assert for_one_side(b, ["Harlow Vale"]).years == (2019,)
    # a year named for both stays with both
    c = analyse("Compare Wexbridge and Harlow Vale in 2023.", PLACES)
    assert for_one_side(c, ["Wexbridge"]).years == (2023,) == for_one_side(c, ["Harlow Vale"]).years


def test_a_question_asking_what_was_found_is_answered_by_a_sentence_passing_a_judgement() -> None:
    """ "What did the inspection find?": a finding judges; when and by whom it was done is no finding."""
    from assistant.candidates import collect
    from assistant.summary import choose
    from tests.unit.test_answer_pass17 import _passage

    text = (
        "The Wexbridge fostering inspection took place over a week in March 2024. "
        "The Wexbridge fostering inspection was carried out by two inspectors. "
        "The inspection found serious weaknesses in the support given to foster carers."
    )
    a = analyse("What did the Wexbridge fostering inspection find?", PLACES)
    passages = [_passage(text)]
    points = choose(a, collect(a, passages, None), passages, limit=1)
    assert [p.text for p in points] == [
        "The inspection found serious weaknesses in the support given to foster carers."
    ], [p.text for p in points]


def test_a_follow_up_asking_another_kind_of_answer_does_not_borrow_the_previous_questions_thing() -> None:
    """After "what did the fostering inspection find?", "who has been brought in to fix it?" asks for a person:
    the finding is its topic, not the kind of thing its answer is. "How many of those were upheld?" still counts
    the complaints asked about before."""
    found = analyse("What did the fostering inspection find in Wexbridge?", PLACES)
    who = carry_context(analyse("Who has been brought in to fix it?", PLACES), found)
    assert who.answer_type == AnswerType.PERSON
    assert who.focus is None or "inspect" not in who.focus.terms, who.focus
    count = analyse("How many complaints did Wexbridge get in 2023?", PLACES)
    upheld = carry_context(analyse("How many of those were upheld?", PLACES), count)
    assert upheld.focus is not None and upheld.focus.head == "complaint"


def test_the_words_of_a_bodys_name_are_not_what_a_sentence_is_about() -> None:
    """ "How many children's social care complaints ...?": the Local Government and Social Care Ombudsman's count
    is not the council's social care complaints; asked about the Ombudsman, it answers."""
    from assistant.candidates import without_body_names

    assert without_body_names("The Local Government and Social Care Ombudsman (LGSCO) said") == (
        "The LGSCO Ombudsman (LGSCO) said"
    )
    ombudsman = (
        "The Local Government and Social Care Ombudsman (LGSCO) received 88 complaints about Wexbridge."
    )
    council = "Wexbridge's social care complaints team received a total of 135 complaints in the year."
    asked = "How many social care complaints did Wexbridge receive?"
    assert _shorts(asked, ombudsman + " " + council) == ["135"]
    assert _shorts(
        "How many complaints about Wexbridge did the Ombudsman receive?", ombudsman + " " + council
    ) == ["88"]


def test_a_heading_opening_with_a_year_is_no_statement() -> None:
    from assistant.candidates import is_debris

    assert is_debris("2022-2023 Complaints") and is_debris("2024/25 Annual report")
    assert not is_debris("2023 was a good year for the fostering service.")


def test_a_sentence_sending_the_reader_elsewhere_is_no_point_unless_the_question_asks_where_to_read() -> None:
    from assistant.candidates import collect
    from assistant.summary import choose
    from tests.unit.test_answer_pass17 import _passage

    text = (
        "You can read the Wexbridge fostering inspection report on the Local Offer website. "
        "Find out all about our fostering strategy and help shape a positive future for Wexbridge fostering. "
        "The inspection looked at support for carers in March."
    )
    passages = [_passage(text)]
    a = analyse("Tell me about the Wexbridge fostering inspection report.", PLACES)
    texts = [p.text for p in choose(a, collect(a, passages, None), passages, limit=1)]
    assert texts == ["The inspection looked at support for carers in March."], texts
    b = analyse("Where can I read the Wexbridge fostering inspection report?", PLACES)
    texts = [p.text for p in choose(b, collect(b, passages, None), passages, limit=1)]
    assert texts and texts[0].startswith("You can read"), texts
