"""Question analysis: answer type, focus, councils, period and parts, read from spaCy's parse."""

from __future__ import annotations

import pytest

from assistant.question import AnswerType, analyse, carry_context
from assistant.verify import stem

PLACES = ["Bath and North East Somerset", "Stockton-on-Tees", "Stockton", "Rochdale", "Bexley", "Bury"]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many complaints did the council receive in 2022/23?", AnswerType.NUMBER),
        ("In 2022/23 how many children's complaints were resolved informally?", AnswerType.NUMBER),
        ("What was the total number of complaints in 2023/24?", AnswerType.NUMBER),
        ("How much did the inspection cost?", AnswerType.MONEY),
        ("What is the children's services budget for 2025/26?", AnswerType.MONEY),
        ("What proportion of complaints came from parents?", AnswerType.PERCENTAGE),
        ("When did Ofsted publish its final report?", AnswerType.DATE),
        ("What's the deadline for sending the action plan?", AnswerType.DATE),
        ("What period does the SEND Priority Impact Plan cover?", AnswerType.DATE),
        ("Who is the independent chair of the Improvement Board?", AnswerType.PERSON),
        ("Who was the lead inspector?", AnswerType.PERSON),
        ("Which board oversees the improvement plan?", AnswerType.ORGANISATION),
        ("How did Ofsted rate the leadership of children's services?", AnswerType.JUDGEMENT),
        ("What overall grade did Ofsted give?", AnswerType.JUDGEMENT),
        ("How long does the council allow for a Stage 2 investigation?", AnswerType.DURATION),
        ("How often does the case officer meet the director?", AnswerType.FREQUENCY),
        ("Is the new special school still due to open in 2026?", AnswerType.YES_NO),
        ("What were the most common themes in complaints?", AnswerType.LIST),
        ("What did Ofsted say about leadership?", AnswerType.DESCRIPTION),
        ("Why was the report deferred?", AnswerType.REASON),
        # a question word opening an adverbial or relative clause does not ask the question
        ("Was anything in the fostering service going well when Ofsted visited in 2024?", AnswerType.YES_NO),
        ("Did the panel meet after the plan, which was late, was approved?", AnswerType.YES_NO),
        # a clause under a preposition after the verb ("than when ...") asks nothing
        ("is lewisham any better now than when ofsted said requires improvement", AnswerType.YES_NO),
        ("To when was the Cabinet decision on foster carer fees moved?", AnswerType.DATE),  # fronting it asks
        # a question word the parser left unattached still determines the noun after it
        ("Which Ofsted inspector led the 2023 inspection?", AnswerType.PERSON),
        ("Do you know when the next inspection is due?", AnswerType.DATE),
        ("When was the council's fostering service judged inadequate?", AnswerType.DATE),
        ("One parent said it was slow - which team handles the appeals?", AnswerType.ORGANISATION),
        # a request asks for its object
        ("Could you give me the name of the director who signed the letter?", AnswerType.PERSON),
        ("Please list the priorities in the improvement plan", AnswerType.LIST),
        ("Tell me the date of the next scrutiny meeting", AnswerType.DATE),
        # "which of the ...": one of the things named after "of" is asked for
        (
            "Which of the three local area SEND inspection outcomes did the partnership get?",
            AnswerType.JUDGEMENT,
        ),
        ("Which of the recommendations has the council completed?", AnswerType.LIST),
    ],
)
def test_answer_type(question: str, kind: AnswerType) -> None:
    assert analyse(question, PLACES).answer_type == kind


@pytest.mark.parametrize(
    ("question", "focus_words"),
    [
        ("How many children's case records did the inspectors look at?", {"case", "records"}),
        ("Who is the independent chair of the Children's Improvement Board?", {"independent", "chair"}),
        ("What did Ofsted say about Bury's leadership?", {"leadership"}),
        ("Which ILACS inspection pathway is the council on now?", {"pathway"}),
        # a number word that only counts gives way to what it counts; a measure does not
        ("What is the total number of complaints about fostering?", {"complaints"}),
        ("What is the average caseload for a social worker?", {"average", "caseload"}),
        # a run of nouns is one phrase headed by its last noun, an acronym inside it included
        ("What were the area SEND inspection findings in 2024?", {"SEND", "inspection", "findings"}),
    ],
)
def test_focus_is_the_thing_asked_about(question: str, focus_words: set[str]) -> None:
    focus = analyse(question, PLACES).focus
    assert focus is not None
    assert focus_words <= set(focus.text.split())


@pytest.mark.parametrize(
    ("question", "kind", "head"),
    [
        # words typed as a search: the parser reads "ofsted", "rochdale" or "send" as verbs
        ("rochdale childrens services ofsted rating 2023?", AnswerType.JUDGEMENT, "rating"),
        ("bexley ofsted rating", AnswerType.JUDGEMENT, "rating"),
        ("next inspection date?", AnswerType.DATE, "date"),
    ],
)
def test_a_question_typed_as_a_search_asks_for_what_its_last_noun_names(
    question: str, kind: AnswerType, head: str
) -> None:
    a = analyse(question, PLACES)
    assert a.answer_type == kind
    assert a.focus is not None and a.focus.head == head


def test_councils_named_in_order_and_aliases_found() -> None:
    a = analyse("How did Bath and North East Somerset and Stockton compare in 2023?", PLACES)
    assert a.councils == ("Bath and North East Somerset", "Stockton")
    assert a.comparison and not a.home
    assert a.years == (2023,)


def test_no_council_named_means_the_home_council() -> None:
    a = analyse("How many complaints were upheld?", PLACES)
    assert a.councils == () and a.home


def test_place_names_are_not_key_terms_and_type_words_are_not_either() -> None:
    a = analyse("What's the deadline for Bury to send its post-inspection action plan?", PLACES)
    assert "buri" not in a.key_terms and "bury" not in a.key_terms
    assert not any(t.startswith("deadlin") for t in a.key_terms)
    assert {stem("action"), stem("plan")} <= a.key_terms


def test_the_source_of_a_report_is_not_its_topic() -> None:
    a = analyse("What did Ofsted say about leadership?", PLACES)
    assert a.key_terms == {"leadership"}


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "When was the 2020 ILACS inspection and what was the outcome?",
            [AnswerType.DATE, AnswerType.JUDGEMENT],
        ),
        ("How many complaints were dealt with, investigated and upheld?", [AnswerType.NUMBER] * 3),
        (
            "How many priority actions and areas for improvement came out of the inspection?",
            [AnswerType.NUMBER] * 2,
        ),
        ("How many complaints were received in 2023?", [AnswerType.NUMBER]),
    ],
)
def test_multi_part_questions(question: str, parts: list[AnswerType]) -> None:
    assert [p.answer_type for p in analyse(question, PLACES).parts] == parts


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        # questions listed with commas: a question word after a bare comma opens a part
        (
            "How many complaints did the Ombudsman deal with in 2024-25, how many were investigated and how many "
            "upheld?",
            [
                "How many complaints did the Ombudsman deal with in 2024-25",
                "how many were investigated",
                "how many upheld",
            ],
        ),
        (
            "When was Bury inspected, what was the outcome?",
            ["When was Bury inspected", "what was the outcome"],
        ),
        # a relative clause after a comma is no new question
        (
            "What did Ofsted say about the plan, which was published in May?",
            ["What did Ofsted say about the plan, which was published in May"],
        ),
        # the conjunction joining the next part is not part of the one before
        (
            "When was the 2020 ILACS inspection and what was the outcome?",
            ["When was the 2020 ILACS inspection", "what was the outcome"],
        ),
    ],
)
def test_parts_are_split_where_a_new_question_starts(question: str, parts: list[str]) -> None:
    assert [p.text for p in analyse(question, PLACES).parts] == parts


def test_a_part_counting_what_went_somewhere_counts_the_first_parts_things() -> None:
    """ "..., and how many went to Stage 2?": "how many" is the subject; "Stage" is where they went."""
    a = analyse("How many complaints did Bury receive in 2024/25, and how many went to Stage 2?", PLACES)
    assert [p.focus.text if p.focus else None for p in a.parts] == ["complaints", "complaints"]
    own = analyse("How many complaints did Bury receive, and how many foster carers were approved?", PLACES)
    assert [p.focus.text if p.focus else None for p in own.parts] == ["complaints", "foster carers"]


def test_a_place_typed_in_lower_case_that_is_also_a_word_names_the_place_where_it_modifies_a_noun() -> None:
    """ "how many bury complaints ...": Bury (the verb never modifies a noun); "did they bury it?" names nothing."""
    places = ["Bury", "Wexbridge"]
    counted = analyse("how many bury complaints were upheld in 2023?", places)
    assert counted.councils == ("Bury",) and counted.focus is not None and counted.focus.text == "complaints"
    assert analyse("when is bury council next inspected?", places).councils == ("Bury",)
    assert analyse("did they bury the report about Wexbridge?", places).councils == ("Wexbridge",)


def test_financial_years_and_numbered_names_are_kept() -> None:
    a = analyse("How many Stage 2 complaints were there in 2024-25?", PLACES)
    assert a.financial_years == ("2024/25",)
    assert "stage 2" in a.numbered


@pytest.mark.parametrize(
    ("question", "latest", "change"),
    [
        ("Is the council still under intervention?", True, False),
        ("Has the SEND service improved since 2021?", False, True),
        ("How have complaint numbers changed over the last three years?", False, True),
        ("How many complaints were received in 2023?", False, False),
        # a comparative before its noun compares the councils named; it asks nothing about change
        ("Which got the better ILACS grade, Rochdale or Bexley?", False, False),
        ("Has Rochdale got better since 2021?", False, True),
        # values over several periods are a history, whatever the verb
        ("Track Rochdale's Ofsted judgements over its last three inspections.", True, True),
        ("has rochdale always been good for childrens social care?", False, True),
        ("Has Rochdale ever been rated inadequate?", False, True),
        ("Which was the first ever council rated outstanding?", False, False),  # the earliest, not a history
    ],
)
def test_time_intent(question: str, latest: bool, change: bool) -> None:
    a = analyse(question, PLACES)
    assert (a.latest, a.change) == (latest, change)


def test_a_follow_up_borrows_council_and_period_but_keeps_its_own_kind() -> None:
    before = analyse("How many complaints did Bexley receive in 2022/23?", PLACES)
    after = carry_context(analyse("How many of those were upheld?", PLACES), before)
    assert after.councils == ("Bexley",)
    assert after.financial_years == ("2022/23",)
    assert after.answer_type == AnswerType.NUMBER
    assert stem("complaints") in after.key_terms
    # "those" are the complaints asked about before: the answer's label and refusal name them
    assert after.focus is not None and after.focus.text == "complaints"
    assert after.parts[0].focus is not None and after.parts[0].focus.text == "complaints"
    kept = carry_context(analyse("How many of the foster carers were approved?", PLACES), before)
    assert kept.focus is not None and kept.focus.text == "foster carers"  # a focus of its own stays


@pytest.mark.parametrize(
    ("question", "places", "councils"),
    [
        ("what date was suffolks 2024 ofsted report published", ["Suffolk"], ("Suffolk",)),
        ("rochdales complaints in 2024", ["Rochdale"], ("Rochdale",)),
        ("Sales figures in Rochdale", ["Sale", "Rochdale"], ("Rochdale",)),  # an everyday word takes no "s"
        ("How many complaints did Suffolk get?", ["Suffolk"], ("Suffolk",)),
    ],
)
def test_a_possessive_typed_without_its_apostrophe_names_the_place(
    question: str, places: list[str], councils: tuple[str, ...]
) -> None:
    assert analyse(question, places).councils == councils


def test_latest_is_read_from_the_word_as_written_and_keeps_its_own_time_in_a_conversation() -> None:
    """The small model lemmatises "latest" as "late"; a question asking for the latest does not borrow the
    previous question's year ("what about 2021?" before it), while a plain follow-up still does."""
    assert analyse("What is the latest grade?", PLACES).latest
    assert analyse("Which got the better grade last time, Rochdale or Bexley?", PLACES).latest
    assert not analyse("How many complaints were there last year?", PLACES).latest
    before = analyse("What grade did Rochdale get for care leavers in 2021?", PLACES)
    latest = carry_context(analyse("What was Bexley's latest inspection outcome?", PLACES), before)
    assert latest.years == () and latest.councils == ("Bexley",)
    plain = carry_context(analyse("And what about Bexley?", PLACES), before)
    assert plain.years == (2021,)
