"""A paper's section headings as pointers to an answer (assistant/sections.py) and their use by the candidate step,
the list summary and the pipeline. Made-up councils and wording; no eval question is used here."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from assistant.candidates import collect
from assistant.question import analyse
from assistant.sections import PER_PAPER, fitting_sections, heading_fits, read_under, section_heading
from assistant.sentences import footnotes
from tests.fakes import fake_pipeline, make_passage
from vectorstore.filters import SearchFilters
from vectorstore.passage import Passage
from vectorstore.retriever import SearchResult

PLACES = ["Wexbridge", "Ashford"]


def _chunk(text: str, heading: tuple[str, ...], n: int, doc: str = "report") -> Passage:
    return make_passage(
        text,
        chunk_id=f"{doc}::{n:04d}",
        doc_id=doc,
        title="Inspection of Wexbridge children's services",
        council="Wexbridge Council",
        body="Ofsted",
        heading_path=heading,
    )


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        (("Inspection of Wexbridge", "What needs to improve?", "paragraph 12"), "What needs to improve?"),
        (("Report", "Paragraphs 43–44"), "Report"),
        (("Recommendations",), "Recommendations"),
        ((), ""),
    ],
)
def test_section_heading_is_the_last_that_names_something(path: tuple[str, ...], heading: str) -> None:
    assert section_heading(path) == heading


@pytest.mark.parametrize(
    ("question", "heading", "fits"),
    [
        # a heading that is a question introduces what follows; "needs" is a light verb
        ("What were Ashford's areas for improvement in 2023?", "What needs to improve?", True),
        (
            "What does Wexbridge still need to improve in its fostering service?",
            "What needs to improve?¹",
            True,
        ),
        # every content word of the heading must be asked about
        ("What kind of visits will Wexbridge get between inspections?", "Inspection findings", False),
        ("What did the review say about Wexbridge's staffing?", "Executive summary", False),
        # one word fits when it is what the question asks for
        ("What recommendations did the review of Ashford's fostering make?", "Recommendations", True),
        ("What did the review of Ashford's fostering find?", "Recommendations", False),
        # a heading whose head noun is what the question asks for, with words of its own
        ("What are the priorities in Ashford's response to the visit?", "Six Key Priorities for 2026", True),
        (
            "What are the priorities in Ashford's response to the visit?",
            "Council to Debate Priorities",
            False,
        ),
        ("What did Ofsted say about Ashford's children's services?", "Services for Children in Care", False),
        # a short answer or a trend is found in its own sentences
        ("How many complaints did Wexbridge receive in 2023/24?", "Complaints received", False),
        ("How have complaints to Wexbridge changed since 2021?", "Complaints received", False),
        # the council's own name in a heading fits every question about it: it does not count
        ("What did Ofsted say about Wexbridge?", "Wexbridge", False),
        # a long "heading" is a sentence the reader took for one
        (
            "What needs to improve in Wexbridge?",
            "What needs to improve in the service and why the leaders of the service have not yet done it",
            False,
        ),
    ],
)
def test_heading_fits(question: str, heading: str, fits: bool) -> None:
    assert heading_fits(analyse(question, PLACES), heading, PLACES) is fits


def test_a_list_heading_lends_its_lines_the_question_words_a_descriptive_one_does_not() -> None:
    a = analyse("What were Ashford's areas for improvement in 2023?", PLACES)
    assert {"area", "improv"} <= read_under(a, "What needs to improve?", PLACES)
    b = analyse("How was the inspection of Ashford carried out?", PLACES)
    assert heading_fits(b, "About this inspection", PLACES)
    assert read_under(b, "About this inspection", PLACES) == set()


def test_fitting_sections_takes_the_first_chunks_of_each_papers_fitting_section() -> None:
    a = analyse("What were Wexbridge's areas for improvement?", PLACES)
    head = ("Inspection of Wexbridge", "What needs to improve?")
    paper = [
        _chunk("Leaders know their services well.", ("Inspection of Wexbridge", "Headline findings"), 0),
        _chunk("The quality of plans for children.", head, 1),
        _chunk("The timeliness of assessments.", head, 2),
        _chunk("The consistency of supervision.", head, 3),
    ]
    other = [_chunk("The quality of visits.", ("Report", "What needs to improve?"), 0, doc="other")]
    got = fitting_sections(a, [paper, other], have=[paper[1].chunk_id], limit=5, places=PLACES)
    assert [p.chunk_id for p in got] == ["report::0002", "report::0003", "other::0000"][: PER_PAPER + 1]
    assert len(fitting_sections(a, [paper, other], have=(), limit=1, places=PLACES)) == 1


def test_a_list_under_a_fitting_heading_outranks_sentences_that_only_share_the_words() -> None:
    a = analyse("What were Ashford's areas for improvement in 2023?", PLACES)
    loose = make_passage(
        "Areas for improvement from the last visit have mostly been addressed. Leaders plan further improvement.",
        chunk_id="a",
        doc_id="a",
        council="Ashford Council",
        date=None,
    )
    listed = make_passage(
        "What needs to improve?\n\nThe quality of personal education plans for children in care.\n\n"
        "The timeliness of strategy discussions.",
        chunk_id="b",
        doc_id="b",
        council="Ashford Council",
        heading_path=("Inspection of Ashford", "What needs to improve?"),
    )
    best = collect(a, [loose, listed], None)
    items = [c for c in best if "education plans" in c.sentence or "strategy discussions" in c.sentence]
    assert items and all(c.lexical == 1.0 for c in items)
    without = collect(a, [loose, replace(listed, heading_path=("Inspection of Ashford", "Findings"))], None)
    assert all(c.lexical == 0.0 for c in without if "strategy discussions" in c.sentence)


def test_footnotes_are_found_and_left_out_of_a_list() -> None:
    text = (
        "What needs to improve?¹\n\n¹ The areas have been cross-referenced with the framework. It is guidance.\n\n"
        "The quality of plans.\n\nThe timeliness of visits."
    )
    ((start, end),) = footnotes(text)
    assert text[start:end].strip().startswith("¹ The areas") and "quality of plans" not in text[start:end]
    assert footnotes("A sentence with 10² in it.\n\nAnother.") == []


def _pipeline_with_sections(paper_passages: Any) -> Any:
    front = _chunk("Inspection dates: 3 to 14 March 2025. Leaders know their services well.", ("Report",), 0)
    others = [
        replace(
            _chunk(f"Councillors discussed improvement item {i} in Wexbridge.", ("Minutes",), i, doc=f"m{i}"),
            body="Cabinet",
        )
        for i in range(3)
    ]

    def search(query: str, audience: str, filters: SearchFilters | None, k: int) -> SearchResult:
        return SearchResult([front, *others][:k], None, query, {})

    return fake_pipeline(search, "Wexbridge Council", paper_passages=paper_passages)


def test_the_pipeline_reads_the_section_whose_heading_the_question_echoes() -> None:
    """The search finds the report's front page but not its list of areas for improvement; the report's own
    heading leads to it."""
    head = ("Inspection of Wexbridge", "What needs to improve?")
    report = [
        _chunk("Inspection dates: 3 to 14 March 2025. Leaders know their services well.", ("Report",), 0),
        _chunk(
            "What needs to improve?\n\nThe quality of contingency plans for children.\n\n"
            "The consistency of decisions by the designated officer.",
            head,
            1,
        ),
    ]
    question = "What were Wexbridge's areas for improvement?"
    asked: list[tuple[str, str]] = []

    def paper_passages(doc_id: str, audience: str) -> list[Passage]:
        asked.append((doc_id, audience))
        return report if doc_id == "report" else []

    answer = _pipeline_with_sections(paper_passages).answer(question, "public")
    assert "contingency plans" in answer.text and "designated officer" in answer.text
    assert ("report", "public") in asked
    without = _pipeline_with_sections(None).answer(question, "public")
    assert "contingency plans" not in without.text


def test_a_papers_passages_come_in_reading_order_for_the_audience_that_may_read_it(
    unit_settings: Any, small_corpus: Path
) -> None:
    from tests.conftest import TODAY
    from tests.fakes import fake_assistant, fake_store
    from vectorstore.indexer import Indexer

    draft = small_corpus / "seeds" / "wexbridge-draft.md"
    draft.write_text(
        "---\ntitle: Draft review\ncouncil: Bury Council\ndate: 2025-11-01\nclassification: exempt\n---\n\n"
        "# Draft\n\nThe staffing review is not yet agreed.\n"
    )
    Indexer(fake_store(unit_settings)).sync([small_corpus])
    bot = fake_assistant(unit_settings, today=TODAY)
    docs = {d.doc_id: d for d in bot.catalog.documents("officer")}
    open_id = next(i for i, d in docs.items() if "scrutiny" in i)
    draft_id = next(i for i in docs if "draft" in i)
    chunks = bot.paper_passages(open_id, "public")
    assert len(chunks) > 2 and {p.doc_id for p in chunks} == {open_id}
    ordinals = [int(p.chunk_id.rsplit("::", 1)[-1]) for p in chunks]
    assert ordinals == sorted(ordinals)
    assert any(p.heading_path for p in chunks)
    assert bot.paper_passages(draft_id, "public") == []  # residents never read an exempt paper
    assert "staffing review" in " ".join(p.text for p in bot.paper_passages(draft_id, "officer"))
    assert bot.paper_passages("no-such-paper", "officer") == []
