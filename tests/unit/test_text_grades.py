"""Ofsted's judgements as a council's own papers report them (assistant/text_grades.py) and the answers built on
them, alone and in a comparison. Made-up councils and wording; no eval question is used here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assistant.question import analyse
from assistant.text_grades import areas_named, asks_grades, grade_lines, graded_areas, several_grades
from tests.fakes import fake_pipeline, make_passage
from vectorstore.filters import SearchFilters
from vectorstore.retriever import SearchResult

PLACES = ["Wexbridge", "Ashford"]
NEWS = (
    "Wexbridge's children's services rated 'Inadequate' by Ofsted\n"
    "Inspectors visited the council between 3 and 14 March and graded the overall effectiveness of its "
    "children's services as 'Inadequate'.\n"
    "The report judged the services against four key criteria:\n"
    "- The impact of leaders on social work practice with children and families – Inadequate\n"
    "- The experiences and progress of children who need help and protection – Inadequate\n"
    "- The experiences and progress of children in care – Inadequate\n"
    "- The experiences and progress of care leavers – Requires Improvement to be Good\n"
    "Ofsted noted a deterioration since the last inspection in 2019, where services were rated 'Good'.\n"
    "Social workers build good relationships with children in care."
)
PROSE = (
    "Services were judged to be Outstanding in three out of four categories, including overall effectiveness. "
    "It was rated Good for the experiences and progress of children in care and care leavers."
)


def _news(text: str, council: str, n: int, date: dt.date | None = dt.date(2025, 4, 20)) -> Any:
    return make_passage(
        text, chunk_id=f"n{n}", doc_id=f"news-{n}", council=f"{council} Council", title="News", date=date
    )


def test_areas_are_named_by_the_longest_wording() -> None:
    assert areas_named("The experiences and progress of children in care and care leavers") == [
        "in_care",
        "care_leavers",
    ]
    assert areas_named("Wexbridge's children's services were rated good") == ["overall_effectiveness"]
    assert areas_named("Support for families was reviewed") == []
    assert areas_named("The council has achieved a 'Good' rating from Ofsted") == ["overall_effectiveness"]
    first = "Wexbridge has achieved a 'Good' rating from Ofsted in its first inspection since the return of services."
    assert [(g.area, g.grade) for g in graded_areas([make_passage(first)])] == [
        ("overall_effectiveness", "good")
    ]


def test_graded_areas_from_a_list_and_from_prose() -> None:
    got = {g.area: g.grade for g in graded_areas([make_passage(NEWS)])}
    assert got == {
        "overall_effectiveness": "inadequate",
        "impact_of_leaders": "inadequate",
        "help_and_protection": "inadequate",
        "in_care": "inadequate",  # not "good" from "good relationships with children in care"
        "care_leavers": "requires improvement to be good",
    }
    prose = {g.area: g.grade for g in graded_areas([make_passage(PROSE)])}
    assert prose == {"overall_effectiveness": "outstanding", "in_care": "good", "care_leavers": "good"}


def test_a_sentence_about_an_earlier_inspection_or_with_two_grades_states_none() -> None:
    assert (
        graded_areas(
            [make_passage("Since the last inspection, when children in care were rated good, it fell.")]
        )
        == []
    )
    assert graded_areas([make_passage("Care leavers moved from inadequate to good.")]) == []
    # a grade something fell from or lost is the one before
    for said in (
        "Decline of 'good' children's services blamed on cuts.",
        "The service lost its 'outstanding' rating.",
    ):
        assert graded_areas([make_passage(said)]) == [], said


@pytest.mark.parametrize(
    ("sentence", "grades"),
    [
        # each area takes the grade only linking words separate it from
        (
            "Along with the overall “outstanding” grade, the report rated the department “outstanding” in three "
            "out of four of the assessment categories and “good” for experiences and progress of care leavers",
            {"overall_effectiveness": "outstanding", "care_leavers": "good"},
        ),
        (
            'Ofsted awarded the authority outstanding in all areas except "the experiences and progress of '
            'children in care and care leavers", which it found to be "good".',
            {"in_care": "good", "care_leavers": "good"},  # areas joined by "and" share the grade
        ),
        (
            "Services were rated good overall and one area for the experiences and progress of children in care "
            "and care leavers was judged to be ‘outstanding’.",
            {"overall_effectiveness": "good", "in_care": "outstanding", "care_leavers": "outstanding"},
        ),
        (
            "Last year, children’s services were judged ‘good’ overall but ‘required improvement’ in the "
            "experiences and progress of children who need help and protection",
            {"overall_effectiveness": "good", "help_and_protection": "requires improvement to be good"},
        ),
        (
            "The council provides ‘good’ services for children in care and care leavers, with an overall "
            "classification of Requires Improvement.",
            {
                "overall_effectiveness": "requires improvement to be good",
                "in_care": "good",
                "care_leavers": "good",
            },
        ),
        (
            # a grade joined by "and" to one stated is stated too
            "The Council’s Children’s Services has been judged to be good overall and outstanding for the "
            "experiences and progress of children in care.",
            {"overall_effectiveness": "good", "in_care": "outstanding"},
        ),
    ],
)
def test_a_sentence_of_several_grades_gives_each_area_its_own(sentence: str, grades: dict[str, str]) -> None:
    assert several_grades(sentence)
    assert {g.area: g.grade for g in graded_areas([make_passage(sentence)])} == grades


def test_good_in_everyday_words_is_not_one_of_several_grades() -> None:
    assert not several_grades(
        "It is good for children in care to have stable homes, but care leavers require improvement."
    )


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What were the four Ofsted judgements for Wexbridge?", True),
        ("How was Wexbridge rated by Ofsted?", True),
        ("Ashford and Wexbridge - whose children's services got the better Ofsted grade?", True),
        # results in the words of an inspection framework, not only "Ofsted"
        ("How did the 2025 ILACS outcomes for Ashford and Wexbridge differ?", True),
        ("How did the 2025 budget outcomes for Ashford and Wexbridge differ?", False),
        ("When was Wexbridge's inspection that rated it good?", False),  # a date about a graded inspection
        ("which did better with ofsted last time, ashford or wexbridge", True),  # compared in Ofsted's terms
        ("What did Ofsted say Wexbridge could do better?", False),  # no comparison: what it said
        ("What was the outcome of the SEND revisit to Wexbridge?", False),  # not graded this way
        (
            "What is the rating of Wexbridge's youth justice service?",
            False,
        ),  # not what these judgements grade
    ],
)
def test_asks_grades(question: str, asks: bool) -> None:
    assert asks_grades(analyse(question, PLACES)) is asks


def test_a_year_asked_keeps_the_papers_of_that_year() -> None:
    passages = [_news(NEWS, "Wexbridge", 0, date=dt.date(2025, 4, 20))]
    assert grade_lines(analyse("What were Wexbridge's Ofsted grades in 2025?", PLACES), passages)
    assert grade_lines(analyse("What were Wexbridge's Ofsted grades in 2019?", PLACES), passages) == []


def _pipeline(passages_by_council: dict[str, list[Any]]) -> Any:
    def search(query: str, audience: str, filters: SearchFilters | None, k: int) -> SearchResult:
        wanted = set(filters.councils) if filters is not None and filters.councils else None
        found = [
            p
            for council, ps in passages_by_council.items()
            for p in ps
            if wanted is None or f"{council} Council" in wanted
        ]
        return SearchResult(found[:k], None, query, {})

    return fake_pipeline(search, "Wexbridge Council", councils=["Ashford Council"])


def test_the_grades_a_councils_news_states_answer_a_question_about_its_judgements() -> None:
    pipeline = _pipeline({"Wexbridge": [_news(NEWS, "Wexbridge", 0)]})
    answer = pipeline.answer("What were the four Ofsted judgements for Wexbridge's children's services?")
    assert answer.text.startswith("Overall effectiveness — Wexbridge Council: inadequate")
    assert "Care leavers: requires improvement to be good" in answer.text  # verified against its own line
    assert "Children in care: inadequate" in answer.text
    assert not [n for n in answer.notes if "unsupported" in n]
    assert "The experiences and progress of care leavers – Requires Improvement to be Good" in answer.text
    assert any("Ofsted's report is the authority" in line for line in answer.text.splitlines())


def test_a_comparison_of_grades_sets_each_councils_stated_grades_side_by_side() -> None:
    pipeline = _pipeline(
        {"Wexbridge": [_news(NEWS, "Wexbridge", 0)], "Ashford": [_news(PROSE, "Ashford", 1)]}
    )
    answer = pipeline.answer("Ashford and Wexbridge - whose children's services got the better Ofsted grade?")
    text = answer.text
    assert "Wexbridge:" in text and "Ashford:" in text
    assert text.index("Overall effectiveness — Wexbridge Council: inadequate") > text.index("Wexbridge:")
    assert "Overall effectiveness — Ashford Council: outstanding" in text
    assert "best first: Ashford outstanding; Wexbridge inadequate." in text


def test_every_lead_is_verified_against_its_own_line_not_a_sentence_naming_the_council() -> None:
    """The verifier matches a lead to the passage sentence sharing most of its words: a lead naming the council
    would be matched to the headline naming it (and its other grade) rather than to its own list line."""
    from assistant.compose import compose

    text = (
        "Inspectors visited Wexbridge Borough Council in July and graded the overall effectiveness of its "
        "services as 'Inadequate'.\n"
        "- The experiences and progress of children in care – Inadequate\n"
        "- The experiences and progress of care leavers – Requires Improvement to be Good"
    )
    passage = make_passage(text, council="Wexbridge Borough Council", date=dt.date(2023, 9, 11))
    lines = grade_lines(analyse("What were the Ofsted grades for Wexbridge?", PLACES), [passage])
    composed = compose(lines, [passage], None)
    assert composed.dropped == []
    assert "Care leavers: requires improvement to be good" in composed.text


def test_verdict_orders_overall_grades_best_first() -> None:
    from assistant.text_grades import verdict

    assert verdict([("Ashford", "good")]) == ""
    assert verdict([("Ashford", "inadequate"), ("Wexbridge", "requires improvement to be good")]).endswith(
        "best first: Wexbridge requires improvement to be good; Ashford inadequate."
    )
    assert "the same overall grade (good)" in verdict([("Ashford", "good"), ("Wexbridge", "good")])


def test_with_no_year_asked_the_newest_papers_grade_is_the_current_one() -> None:
    """An older paper's grade may rank first; the newest paper's is the grade now. "The report rated the service
    as ..." grades the children's services the sentence before named."""
    old = _news(
        "Children's services in Wexbridge are now rated 'good' in all areas.",
        "Wexbridge",
        0,
        dt.date(2017, 11, 6),
    )
    new = _news(
        "Ofsted has published its report into Wexbridge Council's children's services. "
        "The report rated the service as 'requires improvement to be good'.",
        "Wexbridge",
        1,
        dt.date(2024, 8, 21),
    )
    latest = analyse("What is Wexbridge's latest Ofsted grade?", PLACES)
    assert [(g.area, g.grade) for g in graded_areas([old, new], [1, 0])] == [
        ("overall_effectiveness", "requires improvement to be good")
    ]
    assert grade_lines(latest, [old, new])[0].text.endswith("requires improvement to be good.")
    in_2017 = analyse("What was Wexbridge's Ofsted grade in 2017?", PLACES)
    assert grade_lines(in_2017, [old, new])[0].text.endswith("good.")


def test_a_comparison_searches_each_councils_own_papers_without_any_councils_names() -> None:
    """Each side is searched in that council's own papers first, its name and short forms left out of the query
    (the filters scope it), so national guidance on every council and papers that happen to use a short form
    do not fill its passages."""
    calls: list[tuple[str, tuple[str, ...]]] = []
    national = make_passage(
        "Inspectors grade every council's services against the framework.",
        chunk_id="g",
        doc_id="guide",
        council="Ofsted",
        title="Guidance",
        date=dt.date(2024, 4, 5),
    )
    by_council = {
        "Wexbridge Council": [_news(NEWS, "Wexbridge", 0)],
        "Ashford Council": [_news(PROSE, "Ashford", 1)],
    }

    def search(query: str, audience: str, filters: SearchFilters | None, k: int) -> SearchResult:
        councils = tuple(filters.councils) if filters is not None else ()
        calls.append((query, councils))
        found = [national] if "Ofsted" in councils else []
        found += [p for c in councils for p in by_council.get(c, [])]
        return SearchResult(found[:k], None, query, {})

    pipeline = fake_pipeline(search, "Wexbridge Council", councils=["Ashford Council", "Ofsted"])
    answer = pipeline.answer("Ashford v Wexbridge - whose children's services got the better Ofsted grade?")
    assert "best first: Ashford outstanding; Wexbridge inadequate." in answer.text
    sides = [(q, c) for q, c in calls if c in {("Ashford Council",), ("Wexbridge Council",)}]
    assert len(sides) == 2 and all(
        "ashford" not in q.lower() and "wexbridge" not in q.lower() for q, _ in sides
    )


def test_the_grade_before_is_read_from_the_sentence_about_the_previous_inspection() -> None:
    """ "What was it rated before that?": the papers' sentence about the previous judgement answers it, and is
    never taken for the current grade."""
    news = _news(
        "Wexbridge's children's services have been rated 'inadequate' by Ofsted. "
        "It gives the children's services a lower rating than the previous 'requires improvement' judgement in 2019.",
        "Wexbridge",
        0,
        dt.date(2022, 9, 5),
    )
    now = grade_lines(analyse("What was Wexbridge's Ofsted rating in 2022?", PLACES), [news])
    before = grade_lines(
        analyse("What was Wexbridge's Ofsted rating before the 2022 inspection?", PLACES), [news]
    )
    assert now[0].text.endswith("inadequate.") and before[0].text.endswith("requires improvement to be good.")


def test_a_question_asking_for_praise_is_not_a_grades_question() -> None:
    assert not asks_grades(
        analyse("did ofsted find anything good in wexbridge when it was rated inadequate?", PLACES)
    )
