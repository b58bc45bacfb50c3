"""The time between two dated events, worked out in code (assistant/intervals.py): the question split into its two
events, each dated from the sentence that names it, the order the question asks for, and the gap at the precision
the papers give. Wording and places here are made up: no eval set uses them."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.answer import Status
from assistant.intervals import Dated, Interval, dated_sentences, gap, pair, parse_interval
from assistant.pipeline import AnswerPipeline
from assistant.question import analyse
from assistant.verify import stem
from tests.fakes import fake_pipeline, make_passage
from tests.unit.test_answer_pipeline import FakeSearcher
from vectorstore.passage import Passage

PLACES = ["Wexbridge", "Harlow Vale"]

VISITS = make_passage(
    "Ofsted judged Wexbridge's services for children inadequate in March 2023. "
    "The first monitoring visit took place on 11 and 12 October 2023. "
    "A second monitoring visit followed on 5 and 6 February 2024.",
    chunk_id="w1",
    doc_id="wex-visits",
    title="Monitoring visits to Wexbridge",
    council="Wexbridge Council",
    date=dt.date(2024, 3, 1),
)
REPORT = make_passage(
    "Inspection dates: 2 to 13 September 2024. Report published: 25 October 2024.",
    chunk_id="w2",
    doc_id="wex-report",
    title="Inspection of Wexbridge children's services",
    council="Wexbridge Council",
    date=dt.date(2024, 10, 25),
)
OTHER = make_passage(
    "Improvement notice issued to Thornbury Borough Council: May 2023. "
    "Improvement notice issued to Wexbridge Council: June 2023.",
    chunk_id="d1",
    doc_id="dfe-notices",
    title="Improvement notices",
    council="Department for Education",
    body="Department for Education",
    date=dt.date(2024, 1, 1),
)


@pytest.mark.parametrize(
    ("question", "first", "second", "relation"),
    [
        (
            "How long after being rated inadequate did Wexbridge have its first monitoring visit?",
            {"rated", "inadequate"},
            {"monitoring", "visit"},
            "after",
        ),
        (
            "How many weeks passed between the fieldwork and the publication?",
            {"fieldwork"},
            {"publication"},
            "between",
        ),
        ("How soon after the notice was the board set up?", {"notice"}, {"board"}, "after"),
        ("How long from the inspection to the report?", {"inspection"}, {"report"}, "between"),
        ("How long before the visit were the parents told?", {"visit"}, {"parents"}, "before"),
    ],
)
def test_a_question_is_split_into_its_two_events(
    question: str, first: set[str], second: set[str], relation: str
) -> None:
    interval = parse_interval(analyse(question, PLACES), PLACES)
    assert interval is not None
    assert {stem(w) for w in first} <= interval.first.terms
    assert {stem(w) for w in second} <= interval.second.terms
    assert interval.relation == relation
    framing = {stem(w) for w in ("wexbridge", "long", "did", "have", "first")}
    assert not framing & (interval.first.terms | interval.second.terms)


@pytest.mark.parametrize(
    "question",
    [
        "How long does Wexbridge have to answer a complaint?",  # a stated length, not a gap
        "How long after the inspection must the plan be sent?",  # a rule: the papers state it
        "How long was Wexbridge inadequate?",  # no second event
        "When was the first monitoring visit after the inspection?",  # a date, not a length of time
    ],
)
def test_other_questions_about_time_are_not_gaps(question: str) -> None:
    assert parse_interval(analyse(question, PLACES), PLACES) is None


def test_edges_orders_and_dates_the_question_gives() -> None:
    a = parse_interval(
        analyse("How long after the end of the March 2024 inspection was the next visit?", PLACES)
    )
    assert a is not None
    assert (a.first.edge, a.first.year, a.first.month) == ("end", 2024, 3)
    assert a.second.order == "first"
    b = parse_interval(analyse("How long has it been since Wexbridge was last inspected?", PLACES), PLACES)
    assert b is not None and b.second.today and b.first.order == "last"


def test_the_next_event_after_the_first_is_chosen_and_the_gap_is_in_months() -> None:
    interval = parse_interval(
        analyse("How long after being rated inadequate did Wexbridge get a monitoring visit?", PLACES), PLACES
    )
    assert interval is not None
    firsts = dated_sentences(interval.first, [VISITS], {})
    seconds = dated_sentences(interval.second, [VISITS], {})
    chosen = pair(interval, firsts, seconds)
    assert chosen is not None
    one, two = chosen
    assert one.span.text == "March 2023" and two.span.text == "11 and 12 October 2023"  # the first after it
    assert gap(interval, one, two).text == "about 7 months"


def _paired(interval: Interval, passage: Passage) -> tuple[Dated, Dated] | None:
    return pair(
        interval,
        dated_sentences(interval.first, [passage], {}),
        dated_sentences(interval.second, [passage], {}),
    )


def test_the_last_event_when_the_question_says_last() -> None:
    interval = parse_interval(
        analyse("How long after the inadequate judgement was the last monitoring visit?", PLACES), PLACES
    )
    assert interval is not None
    chosen = _paired(interval, VISITS)
    assert chosen is not None and chosen[1].span.text == "5 and 6 February 2024"


def test_days_and_weeks_from_the_end_of_one_period_to_the_start_of_the_next() -> None:
    interval = parse_interval(
        analyse("How long after the inspection ended was the report published?", PLACES), PLACES
    )
    assert interval is not None
    chosen = _paired(interval, REPORT)
    assert chosen is not None
    found = gap(interval, *chosen)
    assert (found.frm, found.to) == (dt.date(2024, 9, 13), dt.date(2024, 10, 25))
    assert found.text == "6 weeks (42 days)"


def test_another_councils_dates_never_date_the_event() -> None:
    interval = parse_interval(
        analyse("How long after its improvement notice did Wexbridge get a monitoring visit?", PLACES), PLACES
    )
    assert interval is not None
    dated = dated_sentences(
        interval.first, [OTHER], {}, about=("Wexbridge",), is_local=lambda c: "Council" in c
    )
    assert [d.span.text for d in dated] == ["June 2023"]


def _pipeline(searcher: FakeSearcher) -> AnswerPipeline:
    councils = [p.council for p in searcher.passages]
    return fake_pipeline(searcher, "Wexbridge Council", councils=councils, today=dt.date(2026, 6, 1))


def test_the_answer_leads_with_the_gap_and_quotes_both_dates() -> None:
    searcher = FakeSearcher([VISITS, REPORT])
    answer = _pipeline(searcher).answer("How long after the inspection ended was the report published?")
    assert answer.status == Status.ANSWERED
    lead = answer.text.splitlines()[0]
    assert lead.startswith("6 weeks (42 days): from 13 September 2024 to 25 October 2024")
    assert "Inspection dates: 2 to 13 September 2024" in answer.text and "Report published" in answer.text
    assert all(c.quote in c.passage_text for c in answer.citations)
    assert len(searcher.calls) == 2  # each event searched for on its own


def test_since_counts_to_today() -> None:
    answer = _pipeline(FakeSearcher([VISITS])).answer(
        "How long has it been since the second monitoring visit?"
    )
    assert answer.status == Status.ANSWERED
    assert answer.text.startswith("About 2 years and 4 months (846 days): from 6 February 2024 to today")


def test_an_event_the_papers_do_not_date_falls_back_to_the_ordinary_answer() -> None:
    answer = _pipeline(FakeSearcher([REPORT])).answer(
        "How long after the improvement board met did the inspectors arrive?"
    )
    assert "worked out" not in answer.text


def test_a_sentence_dates_an_event_only_when_it_names_it_itself() -> None:
    """The paper's title may add to a sentence that names the event, not stand in for it."""
    leaders = make_passage(
        "New interim senior leaders were appointed in mid-September 2024.",
        chunk_id="w3",
        doc_id="wex-inspection",
        title="Inspection of Wexbridge children's services",
        council="Wexbridge Council",
        date=dt.date(2024, 12, 1),
    )
    interval = parse_interval(analyse("How long after the inspection was the notice issued?", PLACES), PLACES)
    assert interval is not None
    assert dated_sentences(interval.first, [leaders], {}) == []


def test_since_counts_from_the_latest_of_the_events_unless_the_first_is_asked() -> None:
    inspections = make_passage(
        "The local area SEND inspection took place in June 2019. "
        "A further area SEND inspection took place in February 2024.",
        chunk_id="w4",
        doc_id="wex-send",
        title="SEND inspections in Wexbridge",
        council="Wexbridge Council",
        date=dt.date(2024, 5, 1),
    )
    latest = _pipeline(FakeSearcher([inspections])).answer("How long has it been since the SEND inspection?")
    assert "from February 2024 to today" in latest.text
    first = _pipeline(FakeSearcher([inspections])).answer(
        "How long has it been since the first SEND inspection?"
    )
    assert "from June 2019 to today" in first.text
