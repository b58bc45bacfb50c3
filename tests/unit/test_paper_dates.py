"""When a paper was published: the date of the paper the question names by its title's words, with its name
quoted; not for "first published" (a page held may be a later version), nor when the question names no paper."""

from __future__ import annotations

import datetime as dt

from assistant.answer import Status
from assistant.candidates import Candidate
from assistant.paper_dates import asks_publication, named_paper, naming_sentence
from assistant.pipeline import AnswerPipeline, Coverage, PipelineConfig
from assistant.question import analyse
from assistant.scope import Places
from tests.fakes import fake_pipeline, make_passage
from tests.unit.test_answer_pipeline import FakeSearcher

PLACES = ["Wexbridge"]

GUIDANCE = make_passage(
    "Kinship care: statutory guidance for local authorities\n\nThis guidance sets out how councils should "
    "support kinship carers and the children they look after.",
    chunk_id="g1",
    doc_id="kinship-guidance",
    title="Guidance: Kinship care statutory guidance for local authorities",
    council="Department for Education",
    body="Department for Education",
    doc_type="guidance",
    date=dt.date(2024, 12, 10),
)
MINUTES = make_passage(
    "The committee noted the kinship care update and asked for a report in the spring.",
    chunk_id="m1",
    doc_id="minutes",
    title="Corporate Parenting Panel minutes",
    council="Wexbridge Council",
    date=dt.date(2025, 3, 4),
)


def test_which_questions_ask_when_a_paper_came_out() -> None:
    assert asks_publication(analyse("When did the DfE publish its kinship care guidance?", PLACES))
    assert asks_publication(analyse("When was the statutory guidance on kinship care issued?", PLACES))
    assert not asks_publication(analyse("When was the kinship care guidance first published?", PLACES))
    assert not asks_publication(analyse("When did Wexbridge adopt its kinship care policy?", PLACES))


def test_the_paper_is_the_one_whose_title_carries_the_questions_words() -> None:
    asked = analyse("When did the DfE publish its statutory guidance on kinship care?", PLACES)
    assert named_paper(asked, [MINUTES, GUIDANCE]) == 1
    # "the report" names no paper: the date of whichever paper came first would be a guess
    assert named_paper(analyse("When was the report published?", PLACES), [GUIDANCE]) is None


def test_a_paper_is_named_by_its_council_and_year_too() -> None:
    """ "Wexbridge's 2025 ILACS report": one word of its own, with the council and the year that name it."""
    report = make_passage(
        "Inspection dates: 9 to 20 June 2025. Overall effectiveness: requires improvement to be good.",
        chunk_id="r1",
        doc_id="ilacs-2025",
        title="Inspection of Wexbridge local authority children's services (ILACS)",
        council="Wexbridge Council",
        doc_type="inspection report",
        date=dt.date(2025, 7, 29),
    )
    cabinet = make_passage(
        "Report to: | Cabinet | Date: 10 September 2025",
        chunk_id="c1",
        doc_id="cabinet",
        title="Ofsted inspection of children's services in Wexbridge",
        council="Wexbridge Council",
        doc_type="cabinet report",
        date=dt.date(2025, 9, 10),
    )
    asked = analyse("On what exact date was Wexbridge's 2025 ILACS report published?", PLACES)
    assert named_paper(asked, [cabinet, report]) == 1
    assert named_paper(analyse("When was the 2019 ILACS report published?", PLACES), [report]) is None
    assert named_paper(analyse("When was the ILACS report published?", PLACES), [report]) is None


def test_the_quote_is_the_papers_best_sentence_for_the_question() -> None:
    candidates = [
        Candidate("The committee noted the kinship care update.", 1, 0, score=0.95),
        Candidate("This guidance sets out how councils should support kinship carers.", 0, 1, score=0.9),
        Candidate("Kinship care: statutory guidance for local authorities", 0, 0, score=0.4),
    ]
    best = naming_sentence(GUIDANCE, candidates, [GUIDANCE, MINUTES])
    assert best is not None and best.sentence.startswith("This guidance sets out")


def test_the_answer_gives_the_papers_date_and_says_so() -> None:
    places = Places.from_councils(["Wexbridge Council", "Department for Education"])
    pipeline = AnswerPipeline(
        search=FakeSearcher([GUIDANCE, MINUTES]),
        embed=None,
        places=lambda audience: places,
        coverage=lambda audience: Coverage(["Cabinet"], dt.date(2024, 1, 1), dt.date(2025, 9, 1)),
        config=PipelineConfig(home_council="Wexbridge Council"),
    )
    answer = pipeline.answer("When did the DfE publish its statutory guidance on kinship care?")
    assert answer.status == Status.ANSWERED
    assert answer.text.startswith("Published: 10 December 2024 (the date of “Guidance: Kinship care"), (
        answer.text
    )
    assert answer.citations[0].title.startswith("Guidance: Kinship care")


def test_a_paper_that_gives_anothers_publication_date_answers_with_that_date() -> None:
    """A cabinet decision on an inspection report, itself dated, says when the report was published: that is the
    answer, not the decision's own date."""
    decision = make_passage(
        "The Cabinet welcomed the findings of the Area SEND Inspection of Wexbridge, which was published on "
        "4 February 2025.",
        chunk_id="d1",
        doc_id="send-decision",
        title="Issue - decisions: Area SEND Inspection of Wexbridge",
        council="Wexbridge Council",
        date=dt.date(2025, 4, 22),
    )
    pipeline = fake_pipeline(FakeSearcher([decision]), "Wexbridge Council")
    answer = pipeline.answer("When was the area SEND inspection report for Wexbridge published?")
    assert "4 February 2025" in answer.text.splitlines()[0] and "22 April 2025" not in answer.text
