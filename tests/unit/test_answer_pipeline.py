"""The answer pipeline end to end with a fake searcher (no index, no embeddings): typed short answers, scope by
council, multi-part questions, summaries, series, comparisons, follow-ups and refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import pytest

from assistant.answer import Status
from assistant.pipeline import AnswerPipeline, Coverage, PipelineConfig
from assistant.scope import Places
from tests.fakes import fake_pipeline, make_passage
from vectorstore.filters import SearchFilters
from vectorstore.passage import Passage
from vectorstore.retriever import SearchResult

PAPERS = [
    make_passage(
        "Social Care Teams received a total of 118 complaints during the 2022/23 financial year. "
        "Most of the complaints received (83.3%) were from parents or carers.",
        chunk_id="b1",
        doc_id="bury-2223",
        title="Complaints report 2022/23",
        council="Bury Council",
        date=dt.date(2023, 9, 1),
        heading_path=("2022-2023 Complaints",),
    ),
    make_passage(
        "Social Care Teams received a total of 117 complaints during the 2023/24 financial year.",
        chunk_id="b2",
        doc_id="bury-2324",
        title="Complaints report 2023/24",
        council="Bury Council",
        date=dt.date(2024, 9, 1),
        heading_path=("2023-2024 Complaints",),
    ),
    make_passage(
        "A total of 135 complaints were received across all stages in 2024/25. "
        "The report praised the progress made and graded the leadership of children's services as good. "
        "Inspectors found that supervision was not yet consistently effective.",
        chunk_id="b3",
        doc_id="bury-2425",
        title="Complaints report 2024/25",
        council="Bury Council",
        date=dt.date(2025, 9, 1),
        heading_path=("2024-2025 Complaints",),
    ),
    make_passage(
        "Bexley received 90 children's social care complaints in 2022/23.",
        chunk_id="x1",
        doc_id="bexley-2223",
        title="Bexley complaints 2022/23",
        council="London Borough of Bexley",
        date=dt.date(2023, 6, 1),
    ),
    make_passage(
        "Lincolnshire's children's services received 318 complaints in 2024/25, 29% of all contacts.",
        chunk_id="l1",
        doc_id="lincs",
        title="Lincolnshire complaints",
        council="Lincolnshire County Council",
        date=dt.date(2025, 7, 1),
    ),
]


class FakeSearcher:
    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = list(passages)
        self.calls: list[tuple[str, SearchFilters | None]] = []

    def __call__(self, query: str, audience: str, filters: SearchFilters | None, k: int) -> SearchResult:
        self.calls.append((query, filters))
        found = [
            p
            for p in self.passages
            if filters is None or not filters.councils or p.council in filters.councils
        ]
        return SearchResult(found[:k], None, query, {})


def make(passages: Sequence[Passage] = PAPERS, threshold: float = 0.0) -> tuple[AnswerPipeline, FakeSearcher]:
    searcher = FakeSearcher(passages)
    places = Places.from_councils(p.council for p in passages)
    pipeline = AnswerPipeline(
        search=searcher,
        embed=None,
        places=lambda audience: places,
        coverage=lambda audience: Coverage(["Cabinet"], dt.date(2022, 1, 1), dt.date(2025, 9, 1)),
        config=PipelineConfig(home_council="Bury Council", min_answerability=threshold),
    )
    return pipeline, searcher


def bury_news(
    text: str, chunk_id: str, date: dt.date, doc_id: str = "news", title: str = "Council news"
) -> Passage:
    """A Bury Council news item (one chunk of it)."""
    return make_passage(
        text, chunk_id=chunk_id, doc_id=doc_id, title=title, council="Bury Council", date=date
    )


def test_a_figure_leads_with_its_span_council_and_year_then_the_quote() -> None:
    pipeline, _ = make()
    answer = pipeline.answer("How many complaints did children's social care receive in 2022/23?")
    assert answer.status == Status.ANSWERED
    first = answer.text.splitlines()[0]
    assert "118" in first and "Bury Council" in first and "2022/23" in first
    assert answer.short_answer.startswith("Number of complaints: 118")
    assert all(c.quote in c.passage_text for c in answer.citations)
    assert answer.citations[0].doc_id == "bury-2223"


def test_a_refusal_about_another_council_says_what_that_councils_own_papers_are() -> None:
    searcher = FakeSearcher(PAPERS)
    coverage = Coverage(
        ["Cabinet", "Ofsted"],
        dt.date(2016, 1, 1),
        dt.date(2025, 9, 1),
        [
            ("Bury Council", "Cabinet", dt.date(2016, 1, 1)),
            ("Lincolnshire County Council", "Scrutiny", dt.date(2024, 7, 1)),
            ("Lincolnshire County Council", "Scrutiny", dt.date(2025, 7, 1)),
            ("Lincolnshire Council", "Scrutiny", dt.date(2025, 1, 1)),  # named as most of its papers name it
        ],
    )
    pipeline = AnswerPipeline(
        search=searcher,
        embed=None,
        places=lambda audience: Places.from_councils(p.council for p in PAPERS),
        coverage=lambda audience: coverage,
        config=PipelineConfig(home_council="Bury Council", min_answerability=0.99),
    )
    about_them = pipeline.answer("How much did Lincolnshire spend on agency social workers?")
    assert about_them.status == Status.NOT_FOUND
    assert (
        "The papers held for Lincolnshire County Council are from Scrutiny from 1 July 2024 to 1 July 2025"
        in (about_them.text)
    )
    about_home = pipeline.answer("How much did the council spend on agency social workers?")
    assert "They cover Cabinet, Ofsted from 1 January 2016 to 1 September 2025." in about_home.text
    assert coverage.of(["Northshire"]) is None  # no paper of its own: the library's coverage is given


def test_another_councils_figure_is_never_the_home_councils_answer() -> None:
    pipeline, searcher = make([PAPERS[2], PAPERS[4]])
    answer = pipeline.answer("How many complaints did children's services get in 2024/25?")
    assert "318" not in answer.text and "Lincolnshire" not in answer.text
    assert (
        searcher.calls[0][1] is not None
        and "Lincolnshire County Council" not in searcher.calls[0][1].councils
    )


def test_a_council_named_is_answered_from_its_papers() -> None:
    pipeline, _ = make()
    answer = pipeline.answer("How many complaints did Lincolnshire receive in 2024/25?")
    assert "318" in answer.text and "Lincolnshire County Council" in answer.text


def test_a_question_asking_for_a_figure_the_papers_lack_is_declined_saying_what_was_looked_for() -> None:
    pipeline, _ = make()
    answer = pipeline.answer("How much did the 2025 inspection cost?")
    assert answer.status == Status.NOT_FOUND
    assert answer.text.startswith("I looked for a sum of money")


def test_every_part_of_a_multi_part_question_is_answered_or_named_as_missing() -> None:
    pipeline, _ = make()
    answer = pipeline.answer(
        "In 2022/23 how many complaints were received, and what share came from parents?"
    )
    assert "118" in answer.text and "83.3%" in answer.text


def test_an_open_question_gets_cited_points() -> None:
    pipeline, _ = make()
    answer = pipeline.answer("What did the report say about leadership and supervision?")
    assert answer.status == Status.ANSWERED
    assert "leadership" in answer.text and "supervision" in answer.text
    assert all(c.quote in c.passage_text for c in answer.citations)


def test_a_change_question_lists_each_period_and_works_out_the_change_in_code() -> None:
    pipeline, _ = make()
    answer = pipeline.answer("How have complaint numbers changed over the last three years?")
    lines = answer.text.splitlines()
    assert [line for line in lines if line.startswith("- ")][:3] == [
        "- 2022/23: 118 [1].",
        "- 2023/24: 117 [2].",
        "- 2024/25: 135 [3].",
    ]
    assert "Calculated from the papers: from 118 (2022/23) to 135 (2024/25), up 17." in answer.text


def test_a_series_keeps_to_one_measure_and_reporting_verbs_are_not_its_topic() -> None:
    """An ombudsman's count of the complaints it investigated is another measure than the council's own count of
    complaints received: where both give 2024/25, the series keeps to the source of its other years."""
    ombudsman = make_passage(
        "We investigated 14 complaints about children's social care in 2024/25.",
        chunk_id="o1",
        doc_id="lgsco",
        title="Ombudsman statistics",
        council="Bury Council",
        date=dt.date(2025, 7, 1),
        body="Local Government and Social Care Ombudsman",
    )
    papers = [replace(p, body="Scrutiny Committee") for p in PAPERS]
    pipeline, _ = make([ombudsman, *papers])
    answer = pipeline.answer("How have complaint numbers changed over the last three years reported?")
    assert "- 2024/25: 135" in answer.text and "14" not in answer.text.split("Calculated")[0], answer.text


def test_a_comparison_answers_each_council_from_its_own_papers() -> None:
    pipeline, _ = make()
    answer = pipeline.answer("Did Bexley or Bury receive more children's social care complaints in 2022/23?")
    assert "118" in answer.text and "90" in answer.text
    assert "Bury is higher by 28" in answer.text


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [("And the year after that?", "117"), ("What about Bexley?", "90")],
)
def test_follow_ups_are_resolved_and_shown(follow_up: str, expected: str) -> None:
    pipeline, _ = make()
    history = [{"question": "How many complaints did Bury receive in 2022/23?", "answer": ""}]
    answer = pipeline.answer(follow_up, history=history)
    assert expected in answer.text
    assert any(n.startswith("Answered as:") for n in answer.notes)


def test_a_follow_up_to_a_safeguarding_question_is_refused() -> None:
    pipeline, searcher = make()
    history = [{"question": "My son was taken into care in 2024, how do I get him back?", "answer": ""}]
    answer = pipeline.answer("and the year after that?", history=history)
    assert answer.status == Status.REFUSED
    assert searcher.calls == []


def test_the_answerability_threshold_decides() -> None:
    strict, _ = make(threshold=0.99)
    assert strict.answer("What did the report say about leadership?").status == Status.NOT_FOUND
    assert strict.answer("What did the report say about leadership?").answerability is not None


def test_the_last_meeting_is_answered_from_the_rest_of_the_newest_minutes() -> None:
    """ "What happened at the last meeting?": the newest minutes are chosen, and the rest of that paper is searched
    (its standing items fill the passage found first)."""
    from tests.fakes import fake_pipeline, make_document

    older = make_passage(
        "The committee discussed school transport.",
        chunk_id="m1",
        doc_id="minutes-2024",
        doc_type="scrutiny minutes",
        council="Bury Council",
        date=dt.date(2024, 3, 1),
    )
    newest = replace(older, chunk_id="m2", doc_id="minutes-2025", date=dt.date(2025, 3, 1), text="Apologies.")
    business = replace(newest, chunk_id="m3", text="The committee agreed the new foster care allowances.")
    searcher = FakeSearcher([older, newest])
    docs = {
        "minutes-2024": make_document("minutes-2024", doc_type="scrutiny minutes", date=dt.date(2024, 3, 1)),
        "minutes-2025": make_document("minutes-2025", doc_type="scrutiny minutes", date=dt.date(2025, 3, 1)),
    }

    def search(query: str, audience: str, filters: SearchFilters | None, k: int) -> SearchResult:
        if filters is not None and filters.date_from == dt.date(2025, 3, 1):
            return SearchResult([newest, business], None, query, {})
        return searcher(query, audience, filters, k)

    pipeline = fake_pipeline(
        search, "Bury Council", documents=docs.get, papers=lambda audience: list(docs.values())
    )
    answer = pipeline.answer("What happened at the last scrutiny meeting?")
    assert "foster care allowances" in answer.text and "school transport" not in answer.text


def test_a_question_naming_its_own_councils_is_not_a_follow_up_for_its_pronoun() -> None:
    """ "their" in "how did Bexley and Bury compare on their complaints?" points at the councils it names, not at
    the question before it; a pronoun with no council named still leans on the conversation."""
    from assistant.followup import is_followup

    history = [{"question": "How long after the inspection was the report published?", "answer": ""}]
    places = ["Bexley", "Bury"]
    assert not is_followup("How did Bexley and Bury compare on their complaints?", history, 1, places)
    assert is_followup("How did they compare on complaints?", history, 1, places)
    assert is_followup("And Bexley?", history, 0, places)  # a continuation still is
    pipeline, _ = make()
    answer = pipeline.answer(
        "Did Bexley or Bury get more complaints in their 2022/23 reports?", history=history
    )
    assert not any(n.startswith("Answered as a follow-up") for n in answer.notes)


FOSTERING = make_passage(
    "There are currently 160 foster carers approved for 258 children and young people.",
    chunk_id="f1",
    doc_id="bury-2016",
    title="Inspection report 2016",
    council="Bury Council",
    date=dt.date(2016, 5, 16),
)


@pytest.mark.parametrize(
    ("today", "status", "question"),
    [
        (dt.date(2026, 12, 6), Status.NOT_FOUND, "How many foster carers does the council currently have?"),
        (dt.date(2017, 1, 10), Status.ANSWERED, "How many foster carers does the council currently have?"),
        # the present tense asks how things are now as much as "currently" does
        (dt.date(2026, 12, 6), Status.NOT_FOUND, "How many foster carers are there in the council's area?"),
        (dt.date(2026, 12, 6), Status.ANSWERED, "How many foster carers did the council have in 2016?"),
    ],
)
def test_a_current_figure_is_not_taken_from_a_paper_years_old(
    today: dt.date, status: Status, question: str
) -> None:
    """ "How many ... currently?" is not answered with a figure of a paper older than two years: that is
    history. The refusal says what was found and from when; a recent enough paper answers, dated."""
    searcher = FakeSearcher([FOSTERING])
    places = Places.from_councils(["Bury Council"])
    pipeline = AnswerPipeline(
        search=searcher,
        embed=None,
        places=lambda audience: places,
        coverage=lambda audience: Coverage(["Cabinet"], dt.date(2016, 1, 1), dt.date(2016, 9, 1)),
        config=PipelineConfig(home_council="Bury Council", min_answerability=0.0),
        today=today,
    )
    answer = pipeline.answer(question)
    assert answer.status == status
    assert "16 May 2016" in answer.text
    if status == Status.ANSWERED:
        assert answer.text.splitlines()[0].startswith("Number of foster carers: 160 (Bury Council, paper of")


DIRECTOR = make_passage(
    "Steve Crocker, director of children's services, said the partnership was the way forward.",
    chunk_id="d1",
    doc_id="wexbridge-2019",
    title="Wexbridge news 2019",
    council="Bury Council",
    date=dt.date(2019, 1, 7),
)


@pytest.mark.parametrize(
    ("status", "question"),
    [
        # asked as now: a name in a paper years old held the role then
        (Status.NOT_FOUND, "Who is the director of children's services now?"),
        (Status.ANSWERED, "Who was the director of children's services in 2019?"),
    ],
)
def test_a_person_asked_for_as_now_is_not_taken_from_a_paper_years_old(status: Status, question: str) -> None:
    pipeline = fake_pipeline(FakeSearcher([DIRECTOR]), "Bury Council", today=dt.date(2026, 12, 6))
    answer = pipeline.answer(question)
    assert answer.status == status, answer.text
    if status == Status.NOT_FOUND:
        assert "7 January 2019, too old to say who holds it now" in answer.text
    else:
        assert "Steve Crocker" in answer.text


def test_a_person_named_by_title_and_surname_is_given_in_full_with_the_sentence_that_says_so() -> None:
    """News names a person in full once and by title and surname after: the answer gives the full name and
    quotes the sentence that gives it, so an officer can check it."""
    first = bury_news(
        "Councillor Paul Dixon made the commitment after the Cabinet discussed the monitoring visit.",
        "d1",
        dt.date(2025, 9, 19),
    )
    later = replace(
        first,
        chunk_id="d2",
        text="Councillor Dixon, Cabinet Member for Children's Social Care, said the council would improve.",
    )
    pipeline, _ = make([later, first])
    answer = pipeline.answer("Who is the cabinet member for children's social care?")
    assert ": Councillor Paul Dixon (Bury Council)" in answer.text.splitlines()[0]
    assert {c.quote for c in answer.citations} >= {first.text, later.text}


def test_a_question_answered_only_by_sentences_naming_a_possible_private_individual_says_so() -> None:
    """The one sentence that answers names someone with no role (who may be a child or a parent): it is never
    shown, and the refusal says why instead of claiming nothing was supported."""
    paper = make_passage(
        "Jayden Hart moved to the new residential home in Bury in March 2025.",
        chunk_id="p1",
        doc_id="bury-home",
        title="Residential homes update",
        council="Bury Council",
        date=dt.date(2025, 4, 1),
    )
    pipeline, _ = make([paper])
    answer = pipeline.answer("What happened at the new residential home in Bury?")
    assert answer.status == Status.NOT_FOUND
    assert "private individual" in answer.text and "Jayden" not in answer.text
    assert any("private individual" in n for n in answer.notes)


def test_an_open_part_of_a_multi_part_question_gets_its_own_points_not_a_missing_note() -> None:
    """ "Who is the cabinet member ... and how did they react?": the name leads, and the open part is answered
    with the paper's own sentences rather than "the papers held do not say"."""
    paper = bury_news(
        "Councillor Paul Dixon, Cabinet Member for Children's Social Care, welcomed the inspection report. "
        "He said the council would act on every recommendation the inspectors made within six months.",
        "r1",
        dt.date(2025, 9, 19),
        doc_id="reaction",
    )
    pipeline, _ = make([paper])
    answer = pipeline.answer(
        "Who is the cabinet member for children's social care, and how did they react to the recommendations?"
    )
    assert "Councillor Paul Dixon" in answer.text.splitlines()[0]
    assert "do not say" not in answer.text
    assert "every recommendation" in answer.text


def test_a_misspelt_question_is_answered_as_read_and_the_reading_is_said() -> None:
    """ "complants" finds nothing in the keyword index and misleads the analysis: it is read as the papers'
    "complaints" (their words, counted by the index's stems), and the answer says so."""
    from vectorstore.keyword import tokenize

    used: dict[str, int] = {}
    for p in PAPERS:
        for token in set(tokenize(p.text)):
            used[token] = used.get(token, 0) + 1

    def frequencies(words: Sequence[str], audience: str) -> dict[str, int]:
        return {w: min((used.get(t, 0) for t in tokenize(w) or [w]), default=0) for w in words}

    pipeline, _ = make()
    unread = pipeline.answer("How many complants did childrens social care receive in 2022/23?")
    assert "118" not in unread.text.splitlines()[0]  # without the index's words, it is not found
    pipeline.frequencies = frequencies
    answer = pipeline.answer("How many complants did childrens social care receive in 2022/23?")
    assert answer.status == Status.ANSWERED and "118" in answer.text.splitlines()[0]
    assert "Read “complants” as “complaints”." in answer.notes
    assert answer.question == "How many complants did childrens social care receive in 2022/23?"


def test_a_part_asking_how_many_of_the_first_parts_things_is_labelled_by_its_own_words() -> None:
    from assistant.pipeline import _label
    from assistant.question import analyse

    a = analyse("How many complaints did Bury get, and how many were upheld?", ["Bury"])
    assert [_label(p, a.multipart) for p in a.parts] == [
        "Number of complaints",
        "Number of complaints upheld",
    ]


def test_a_list_cut_by_a_chunk_boundary_is_read_on_into_the_papers_next_chunk() -> None:
    """The areas for improvement run over two chunks; only the first is retrieved. The answer gives every item,
    and stops where prose shaped unlike the items begins."""
    first = bury_news(
        "Ofsted's report on Bury identified areas for improvement which include:\n\n"
        "A quicker response when children are first identified as being at risk\n\n"
        "More social workers to support children and young people",
        "news::0",
        dt.date(2022, 9, 5),
    )
    second = replace(
        first,
        chunk_id="news::1",
        text="Better monitoring of children who are absent from school\n\n"
        "Although more work is needed, inspectors saw improvements in Bury.",
    )
    pipeline, _ = make([first])
    question = "What areas for improvement did Ofsted identify for Bury in 2022?"
    cut = pipeline.answer(question)
    assert "absent from school" not in cut.text  # the second chunk is never retrieved
    pipeline.paper_passages = lambda doc_id, audience: [first, second] if doc_id == "news" else []
    whole = pipeline.answer(question)
    assert "  - Better monitoring of children who are absent from school" in whole.text
    assert "more work is needed" not in whole.text


def test_a_list_of_sentences_is_not_read_on_past_the_chunk_boundary() -> None:
    """Past a cut, sentences written like the items before them are as likely to be the prose after the list: a
    list of full sentences is not read on into the next chunk (a list of phrases is, above)."""
    first = bury_news(
        "Ofsted's report on Bury identified areas for improvement which include:\n\n"
        "Children wait too long for a response.\n\nThere are too few social workers.",
        "news::0",
        dt.date(2022, 9, 5),
    )
    second = replace(first, chunk_id="news::1", text="The inspectors spoke with more than 300 children.")
    pipeline, _ = make([first])
    pipeline.paper_passages = lambda doc_id, audience: [first, second]
    answer = pipeline.answer("What areas for improvement did Ofsted identify for Bury in 2022?")
    assert "  - There are too few social workers." in answer.text and "300 children" not in answer.text


def test_a_change_question_with_one_grade_in_the_papers_leads_with_it() -> None:
    """ "Did it get better or worse at its last inspection?": the one paper says the grade was kept; that grade
    leads, cited, and what the paper says follows."""
    kept = make_passage(
        "It has been confirmed that Bury Council will retain its ‘Requires Improvement’ judgement following a "
        "recent Ofsted inspection of children's services. The full inspection noted that although the council "
        "had sustained some improvements, services had not continued to improve at the pace needed.",
        chunk_id="k1",
        doc_id="bury-ri",
        title="Inspection findings",
        council="Bury Council",
        date=dt.date(2025, 3, 1),
    )
    pipeline, _ = make([kept])
    answer = pipeline.answer(
        "Did Bury's children's social care get better or worse at its last Ofsted inspection?"
    )
    first = answer.text.splitlines()[0]
    assert "Requires Improvement (2025)" in first and first.endswith("[1]."), answer.text
    assert "pace needed" in answer.text


def test_each_side_of_an_open_comparison_gives_its_best_points_not_its_opening_sentences() -> None:
    """A comparison answered by summaries quotes each council's best sentences, wherever they stand in the paper
    (its opening lines say when and who, not what was found)."""

    def side(council: str, place: str, finding: str) -> Passage:
        return make_passage(
            f"The SEND inspection of plans in the {place} area took place in the autumn. "
            "The SEND inspection team looked at plans with inspectors from Ofsted and the CQC. "
            "The SEND inspectors read plans and met parents, carers and leaders during the visit. "
            f"The SEND inspection found {finding}.",
            chunk_id=place,
            doc_id=f"{place}-send",
            title=f"{council} SEND inspection",
            council=council,
            date=dt.date(2024, 5, 1),
        )

    pipeline, _ = make(
        [
            side("Bury Council", "Bury", "weaknesses in the quality of plans and delays in assessments"),
            side("London Borough of Bexley", "Bexley", "delays in assessments and weak plans for children"),
        ]
    )
    answer = pipeline.answer(
        "Compare what the SEND inspections of Bury and Bexley found about delays in plans."
    )
    assert "weaknesses in the quality of plans" in answer.text, answer.text
    assert "weak plans for children" in answer.text, answer.text


def test_each_side_of_a_comparison_is_answered_for_the_year_named_beside_its_council() -> None:
    pipeline, _ = make()
    answer = pipeline.answer(
        "Compare the numbers of complaints received by Bury (2024/25) and Bexley (2022/23)."
    )
    assert "135" in answer.text and "90" in answer.text, answer.text
    assert "118" not in answer.text, answer.text


def test_a_rating_history_ends_with_where_the_newest_paper_says_things_stand() -> None:
    """ "How has Bexley's Ofsted rating changed since 2018?": the grades, then the newest paper's best points (a
    monitoring visit's letter after the last grade)."""

    def paper(text: str, doc_id: str, date: dt.date, title: str) -> Passage:
        return make_passage(
            text, chunk_id=doc_id, doc_id=doc_id, title=title, council="London Borough of Bexley", date=date
        )

    passages = [
        paper(
            "Ofsted rated Bexley's children's services good in 2018.",
            "b2018",
            dt.date(2018, 6, 1),
            "2018 news",
        ),
        paper(
            "Ofsted rated Bexley's children's services inadequate in 2023.",
            "b2023",
            dt.date(2023, 6, 1),
            "2023 news",
        ),
        paper(
            "Ofsted's third monitoring visit to Bexley's children's services found positive progress in 2025. "
            "Leaders have strengthened the oversight of children's plans.",
            "b2025",
            dt.date(2025, 3, 1),
            "Monitoring visit letter",
        ),
    ]
    pipeline, _ = make(passages)
    answer = pipeline.answer("How has Bexley's Ofsted rating for children's services changed since 2018?")
    assert "good" in answer.text and "inadequate" in answer.text, answer.text
    assert "The newest paper, “Monitoring visit letter”" in answer.text, answer.text
    assert "positive progress" in answer.text, answer.text


def test_a_count_with_no_noun_counts_what_the_question_before_counted() -> None:
    """ "How many did Bexley get?": the complaints asked about before, for Bexley."""
    pipeline, _ = make()
    history = [{"question": "How many complaints did Bury receive in 2022/23?", "answer": ""}]
    answer = pipeline.answer("How many did Bexley get?", history=history)
    assert "90" in answer.text, answer.text
    assert any(n.startswith("Answered as a follow-up to:") for n in answer.notes), answer.notes


def test_a_question_naming_its_own_councils_does_not_take_the_year_asked_before() -> None:
    """After a question about Bury in 2024/25, one about Bexley's complaints that leans on nothing is asked of
    Bexley's papers whatever their year."""
    pipeline, _ = make()
    history = [{"question": "How many complaints did Bury receive in 2024/25?", "answer": ""}]
    answer = pipeline.answer(
        "How many children's social care complaints did the London Borough of Bexley receive?",
        history=history,
    )
    assert "90" in answer.text, answer.text
