"""Answers from the inspection record, over the 22 real reports (no index): routing, each kind of answer, and the
verifier holding every line to the record's quotes."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.compose import LineKind, compose
from assistant.question import analyse
from assistant.record import InspectionRecord
from assistant.record_answers import answer, fits, grade_lead
from ingest.inspection_record import extract
from tests.ofsted import meta, parsed, report_names

PLACES = ["Bury", "Rochdale", "Oldham", "Bolton", "Manchester", "Wigan", "Salford", "Stockport", "Tameside",
          "Trafford"]  # fmt: skip
TODAY = dt.date(2026, 12, 5)


@pytest.fixture(scope="module")
def record() -> InspectionRecord:
    return InspectionRecord(extract(parsed(n), meta(n)) for n in report_names())


def ask(record: InspectionRecord, question: str, about: tuple[str, ...] = ("Bury",)) -> str:
    a = analyse(question, PLACES, TODAY)
    found = answer(a, a.councils or about, record, lambda doc_id: None, TODAY)
    assert found is not None, question
    composed = compose(found.lines, found.passages)
    assert composed.citations and all(c.quote in c.passage_text for c in composed.citations)
    return composed.text


@pytest.mark.parametrize(
    ("question", "fit"),
    [
        ("When was Rochdale last inspected and what was the outcome?", True),
        ("Who led Oldham's 2024 ILACS?", True),
        ("How does Bury compare with Rochdale?", True),
        ("Which councils are good or better?", True),
        ("How long was Bury inadequate?", True),
        ("How did Ofsted rate leadership in 2025?", True),
        ("How many complaints were upheld in 2024/25?", False),
        ("What did Ofsted say Bury needs to improve?", False),
        ("What did the monitoring visit find?", False),
        ("How many councils in the North West are rated good?", True),
        ("Has the proportion of councils judged good or outstanding gone up since 2022?", False),
        ("Has the uphold rate for complaints about Bury gone up since 2023?", False),
        ("At what intervals does the SEND stocktake process assess progress?", False),
        ("Roughly how long after the June 2025 inspection will Bury's next standard inspection be?", True),
        ("What did Ofsted find in Trafford in June 2026?", True),
    ],
)
def test_which_questions_the_record_fits(question: str, fit: bool) -> None:
    assert fits(analyse(question, PLACES, TODAY)) is fit


def test_last_inspection_dates_and_outcome(record: InspectionRecord) -> None:
    text = ask(record, "When was Rochdale last inspected and what was the outcome?")
    assert "23 January 2023 to 3 February 2023" in text and "requires improvement to be good" in text


def test_lead_inspector(record: InspectionRecord) -> None:
    assert "Rebekah Tucker" in ask(record, "Who led Oldham's 2024 ILACS?")


def test_a_judgement_by_area_and_year(record: InspectionRecord) -> None:
    text = ask(record, "How did Ofsted rate the leadership of Bury's children's services in 2025?")
    assert "impact of leaders" in text and text.rstrip().endswith("good [1].")


def test_history_since_a_year_with_the_change_worked_out(record: InspectionRecord) -> None:
    text = ask(record, "Has Bury's Ofsted rating changed since 2021?")
    assert "inadequate" in text and "requires improvement to be good" in text
    assert "improved from inadequate (2021) to requires improvement to be good (2025)" in text


def test_history_since_a_grade_the_question_names(record: InspectionRecord) -> None:
    """ "since Ofsted said it was inadequate": the record answers (the "said" sets a time, it does not ask what a
    report said), and the change is worked out from the last inspection with that grade."""
    question = "Has Bury improved since Ofsted said it was inadequate?"
    assert fits(analyse(question, PLACES, TODAY))
    assert "improved from inadequate (2021) to requires improvement to be good (2025)" in ask(
        record, question
    )


def test_two_councils_side_by_side(record: InspectionRecord) -> None:
    text = ask(record, "How does Bury compare with Rochdale?")
    assert text.index("Bury") < text.index("Rochdale")
    assert text.count("Overall effectiveness") == 2


def test_councils_at_a_grade_in_a_region(record: InspectionRecord) -> None:
    text = ask(record, "Which Greater Manchester councils are good or better?")
    listed = text.split("Not good or better")[0]
    assert "Manchester City Council: outstanding" in listed and "Oldham Council: good" in listed
    assert "Bury Council" not in listed and "Rochdale" not in listed


def test_time_at_a_grade_is_calculated_from_the_report_dates(record: InspectionRecord) -> None:
    text = ask(record, "How long was Bury inadequate?")
    assert "from 17 December 2021 to 29 July 2025 is 3 years and 7 months" in text


def test_the_next_window_is_computed_and_said_to_be(record: InspectionRecord) -> None:
    text = ask(record, "When is Bury's next Ofsted inspection due?")
    assert (
        "December 2027 to December 2028" in text and "Calculated from the papers (not stated in them)" in text
    )


def test_a_year_the_record_does_not_hold_gives_no_record_answer(record: InspectionRecord) -> None:
    a = analyse("What overall grade did Ofsted give Bury in 2019?", PLACES, TODAY)
    assert answer(a, ("Bury",), record, lambda doc_id: None, TODAY) is None


def test_progress_since_the_only_send_inspection_is_for_the_text(record: InspectionRecord) -> None:
    """One area SEND inspection is held for Bury (2024): it gives the state now, not the progress since it."""
    assert "widespread and/or systemic failings" in ask(record, "Has Bury's SEND service improved?")
    since = analyse("What progress has Bury made on SEND since the 2024 inspection?", PLACES, TODAY)
    assert fits(since)
    assert answer(since, ("Bury",), record, lambda doc_id: None, TODAY) is None


def test_every_claim_line_cites_a_quote_of_the_record(record: InspectionRecord) -> None:
    a = analyse("How does Bury compare with Rochdale?", PLACES, TODAY)
    found = answer(a, a.councils, record, lambda doc_id: None, TODAY)
    assert found is not None
    claims = [line for line in found.lines if line.kind == LineKind.LEAD]
    assert claims and all(line.passage is not None for line in claims)


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("What did inspectors say about care leavers in Bolton in 2023?", "Care leavers — Bolton"),
        ("What did Ofsted say about Tameside's leadership?", "The impact of leaders"),
        ("Was Tameside inadequate for care leavers as well?", "Care leavers — Tameside"),
        ("What does Ofsted say Bolton needs to improve for care leavers?", None),  # not after the grade
        ("What did the council say about care leavers in Bolton?", None),  # no inspection asked about
        ("How many care leavers are in Bolton?", None),  # a figure, not a summary
    ],
)
def test_an_open_question_about_a_judged_area_is_led_by_its_grade(
    record: InspectionRecord, question: str, lead: str | None
) -> None:
    a = analyse(question, PLACES, TODAY)
    found = grade_lead(a, a.councils, record, lambda doc_id: None)
    if lead is None:
        assert found is None
        return
    assert found is not None and found.lines[0].text.startswith(lead)
    composed = compose(found.lines, found.passages)
    assert composed.citations and all(c.quote in c.passage_text for c in composed.citations)


def test_a_history_names_the_judgements_that_moved_each_cited_to_its_report(record: InspectionRecord) -> None:
    text = ask(record, "Has Bolton's Ofsted rating changed since 2018?")
    assert "unchanged from good (2018) to good (2023)" in text
    moved = text.split("Judgements that moved", 1)[1]
    assert "help and protection" in moved and "requires improvement to be good" in moved
    assert moved.count("[") >= 2  # the earlier and the later grade, each with its own citation


def test_the_gap_between_the_two_most_recent_inspections_is_worked_out(record: InspectionRecord) -> None:
    text = ask(record, "How long was there between Salford's two most recent ILACS inspections?")
    assert "8 October 2018" in text and "6 November 2023" in text and "(61 months)" in text


def test_a_question_about_a_judged_area_as_a_whole_is_led_by_its_grade(record: InspectionRecord) -> None:
    a = analyse("How are we doing on care leavers?", PLACES, TODAY)
    found = grade_lead(a, ("Bury",), record, lambda doc_id: None)
    assert found is not None and found.lines[0].text.startswith("Care leavers — Bury")
    within = analyse("Are care leavers' homes safe?", PLACES, TODAY)  # something within the area
    assert grade_lead(within, ("Bury",), record, lambda doc_id: None) is None


def test_the_judgements_of_one_inspection_at_a_grade(record: InspectionRecord) -> None:
    """ "Which judgement was still good?" lists the judgements at that grade, each cited, then the others; when
    none was, it says so."""
    text = ask(record, "Which Stockport judgement was still good in 2025?")
    at_grade, others = text.split("Its other judgements:")
    assert "Care leavers: good" in at_grade and "requires improvement" not in at_grade
    assert "Overall effectiveness: requires improvement to be good" in others
    none = ask(record, "Which of Wigan's judgements were inadequate in 2025?")
    assert none.splitlines()[0].endswith("none.") and "Children in care: outstanding" in none
    assert fits(analyse("What was Stockport judged good at in 2025?", PLACES, TODAY))


def test_what_an_inspection_found_as_a_whole_is_its_dates_and_every_judgement(
    record: InspectionRecord,
) -> None:
    """ "What did Ofsted find in Trafford in June 2026?": the month says when, not what about; with no other
    topic the inspection's dates and every judgement lead. A topic ("caseloads") or an area is the text's."""
    a = analyse("What did Ofsted find in Trafford in June 2026?", PLACES, TODAY)
    assert "june" not in a.key_terms and fits(a)
    text = ask(record, "What did Ofsted find in Trafford in June 2026?")
    assert "8 June 2026" in text
    assert "The impact of leaders on social work practice — Trafford" in text and "Children in care" in text
    assert not fits(analyse("What did Ofsted say about caseloads in Bury in 2025?", PLACES, TODAY))
    assert not fits(analyse("What did Ofsted say Bury needs to improve in 2025?", PLACES, TODAY))


def test_a_question_in_parts_asking_when_and_what_was_found_is_the_whole_inspection(
    record: InspectionRecord,
) -> None:
    """ "When did Ofsted last inspect Bury and what did they say?": one part asks when, the other what was found,
    so the answer is the dates and every judgement; a part asking something else keeps it for the text."""
    for question in (
        "When did Ofsted last inspect Bury and what did they say?",
        "when did ofsted last inspect bury and what did they say",
    ):
        a = analyse(question, PLACES, TODAY)
        assert len(a.parts) == 2 and fits(a), question
        text = ask(record, question)
        assert "9 June 2025 to 20 June 2025" in text and "Care leavers — Bury" in text
        assert "The impact of leaders on social work practice — Bury" in text
    assert not fits(
        analyse("When did Ofsted last inspect Bury and what did they say about caseloads?", PLACES, TODAY)
    )
    assert not fits(analyse("Who led Bury's last inspection and what did they say?", PLACES, TODAY))


def test_a_question_asking_what_someone_else_said_about_an_inspection_is_for_the_text() -> None:
    """ "What did the scrutiny committee say about the Ofsted inspection?" asks for the committee's words, which
    the record does not hold (found in the browser: it was answered with the report's grades); the inspectors'
    own findings still are the record's."""
    for speaker in ("the scrutiny committee", "councillors", "the Cabinet"):
        question = f"What did {speaker} say about the Ofsted inspection of Bury in September 2025?"
        assert not fits(analyse(question, PLACES, TODAY)), question
    for speaker in ("Ofsted", "the inspectors"):
        question = f"What did {speaker} find at Bury's latest inspection?"
        assert fits(analyse(question, PLACES, TODAY)), question


def test_a_comparison_on_inspections_names_each_councils_dates_and_grades(record: InspectionRecord) -> None:
    text = ask(record, "How do Oldham and Wigan compare on their most recent Ofsted inspections?")
    oldham, wigan = text.split("Wigan Council")
    assert "13 May 2024 to" in oldham and "Overall effectiveness: good" in oldham
    assert "6 October 2025 to" in wigan and "Overall effectiveness: good" in wigan


def test_a_comparison_takes_each_councils_inspection_in_the_year_or_at_the_grade_asked(
    record: InspectionRecord,
) -> None:
    text = ask(record, "How did Stockport in 2022 and Rochdale in 2018 compare?")
    assert "28 March 2022 to" in text and "29 January 2018 to" in text
    assert "2025" not in text and "2023" not in text
    later = ask(
        record,
        "Stockport and Tameside have both been judged requires improvement to be good - how did those "
        "inspections compare?",
    )
    assert "12 May 2025 to" in later and "13 May 2019 to" in later


def test_a_comparison_of_who_led_two_inspections_is_not_a_comparison_of_grades(
    record: InspectionRecord,
) -> None:
    a = analyse(
        "Did the same inspector lead Oldham's 2019 inspection and Wigan's 2022 inspection?", PLACES, TODAY
    )
    found = answer(a, a.councils, record, lambda doc_id: None, TODAY)
    assert found is None or not any("Overall effectiveness" in line.text for line in found.lines)


def test_a_comparison_with_a_council_the_record_lacks_is_left_to_the_papers_text(
    record: InspectionRecord,
) -> None:
    from assistant.record_answers import compare_one

    a = analyse("How does Bury compare with Leicester on Ofsted grades?", [*PLACES, "Leicester"], TODAY)
    assert answer(a, a.councils, record, lambda doc_id: None, TODAY) is None
    side = compare_one(a, "Bury", record, lambda doc_id: None)
    assert side is not None and any("requires improvement to be good" in line.text for line in side.lines)
    assert compare_one(a, "Leicester", record, lambda doc_id: None) is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # every judgement of one inspection, asked for "each" or as what the council "got"
        (
            "Which grade did Oldham receive in its 2024 inspection for every judgement?",
            ["Children in care", "Care leavers"],
        ),
        (
            "What did Rochdale get from the inspectors in 2023?",
            ["23 January 2023 to", "Overall effectiveness"],
        ),
        # the judgements, plural: all of them
        ("Which judgements did Oldham get in its 2024 inspection?", ["Children in care", "Care leavers"]),
        # the judged areas a question names, with punctuation between them
        (
            "How did Tameside fare in its latest Ofsted on leadership, care leavers?",
            ["impact of leaders", "Care leavers"],
        ),
    ],
)
def test_grades_asked_for_by_area_or_as_a_whole(
    record: InspectionRecord, question: str, expected: list[str]
) -> None:
    text = ask(record, question)
    assert all(e in text for e in expected), text


@pytest.mark.parametrize(
    "question",
    [
        "What is the latest inspection rating for Oldham's youth offending service?",
        "What grade did Wigan's adoption agency get at its last inspection?",
    ],
)
def test_a_grade_for_something_the_record_does_not_grade_is_not_the_records(question: str) -> None:
    assert not fits(analyse(question, PLACES, TODAY))


def test_a_grade_asked_for_one_area_is_not_answered_with_the_overall_grade(record: InspectionRecord) -> None:
    """ "What grade did Bury get for care leavers?": "grade" asks for that area's; where the inspection gives the
    area no grade of its own (2021), that is said, not the overall grade in its place."""
    assert ask(record, "What grade did Bury get for care leavers in 2025?").startswith("Care leavers")
    a = analyse("What grade did Bury get for care leavers in 2021?", PLACES, TODAY)
    found = answer(a, ("Bury",), record, lambda doc_id: None, TODAY)
    assert found is not None and not found.lines and "gives no such grade" in found.declined


def test_a_history_has_no_headline_of_its_first_inspection(record: InspectionRecord) -> None:
    """The widget shows a resident the answer's short answer as its headline: for a history it is none of the listed
    inspections ("has it always been good?" is not answered by the 2016 grade)."""
    a = analyse("has bury always been good for children?", PLACES, TODAY)
    found = answer(a, ("Bury",), record, lambda doc_id: None, TODAY)
    assert found is not None
    composed = compose(found.lines, found.passages)
    assert "inspection by inspection" in composed.text and composed.short_answer == ""
    one = answer(
        analyse("When was Rochdale last inspected?", PLACES, TODAY),
        ("Rochdale",),
        record,
        lambda d: None,
        TODAY,
    )
    assert one is not None and compose(one.lines, one.passages).short_answer  # a single fact still leads


def test_a_change_asked_with_no_time_is_against_the_inspection_before(record: InspectionRecord) -> None:
    """ "Has it improved?", "did it get better or worse at its last inspection?": than at the inspection before
    (Bury's 2016 grade equals its 2025 one, but 2021's was inadequate); a history runs from the first."""
    for question in (
        "Has Bury's Ofsted rating improved?",
        "did bury get better or worse at its last ofsted inspection?",
    ):
        assert "improved from inadequate (2021) to requires improvement to be good (2025)" in ask(
            record, question
        )
    text = ask(record, "Has Bury always been good for children's social care?")
    assert "unchanged from requires improvement to be good (2016)" in text


def test_which_of_two_councils_first_held_a_grade(record: InspectionRecord) -> None:
    """ "Who got requires improvement first, Rochdale or Oldham?": each one's first graded inspection at the
    grade, and which came first; a council never at the grade is said to be so."""
    text = ask(record, "Who got requires improvement first, Rochdale or Oldham?")
    assert "published 12 March 2018" in text and "published 4 March 2019" in text
    assert "Rochdale Borough Council was judged requires improvement to be good first (12 March 2018)" in text
    good = ask(record, "Which council was rated good first, Rochdale or Oldham?")
    assert "Rochdale Borough Council: not judged good overall" in good and "published 12 July 2024" in good


def test_a_date_asked_of_two_councils_gives_both(record: InspectionRecord) -> None:
    """ "When were Rochdale and Oldham last inspected?": both councils' latest inspections, not the first named."""
    text = ask(record, "When were Rochdale and Oldham last inspected?")
    assert "Rochdale Borough Council: 23 January 2023 to 3 February 2023" in text
    assert "Oldham Council: 13 May 2024 to 24 May 2024" in text


def test_when_a_council_got_a_grade_is_when_it_was_first_judged_so(record: InspectionRecord) -> None:
    """ "When did Bury's rating go to inadequate?": the inspection that first gave the grade overall, not the
    latest inspection's dates; a grade never given overall is answered with what was judged so."""
    text = ask(record, "When did Bury's Ofsted rating go to inadequate?")
    assert "First judged inadequate overall" in text and "published 17 December 2021" in text
    assert "9 June 2025" not in text
    leaders = ask(record, "when did bury get good from ofsted")
    assert "Judged good" in leaders and "impact of leaders" in leaders
