"""One measure over time (`assistant.series`): which period each figure is for, what a change question measures
(a grade in an inspection's terms, a length of time for "faster"), the figure a sentence compares with, and one
unit across periods. Wording and places are invented: no eval set uses them."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.candidates import Candidate
from assistant.question import AnswerType, analyse, financial_years, period_mentions
from assistant.series import _period, change_note, measure_label, measure_type, over_time
from assistant.spans import typed_spans
from tests.fakes import make_passage
from vectorstore.passage import Passage

PLACES = ["Wexbridge", "Harlow Vale"]


def _passage(
    text: str, date: dt.date | None = dt.date(2025, 6, 1), section: str = "", **fields: str
) -> Passage:
    values = {
        "council": "Wexbridge Council",
        "doc_id": f"p{len(text)}",
        "chunk_id": f"p{len(text)}#0",
    } | fields
    return make_passage(text, date=date, heading_path=(section,) if section else (), **values)


def _periods(sentence: str, kind: AnswerType, section: str = "", date: dt.date | None = None) -> list[str]:
    passage = _passage(sentence, date or dt.date(2025, 6, 1), section)
    return [f"{s.text}={_period(sentence, s, passage)[0]}" for s in typed_spans(sentence) if s.kind == kind]


def test_period_mentions_reads_financial_years_before_years() -> None:
    text = "From April 2022 to March 2023, and in 2023-24, but not in 2021."
    assert [m.label for m in period_mentions(text)] == ["2022/23", "2023/24", "2021"]
    assert financial_years(text) == {"2022/23", "2023/24"}


@pytest.mark.parametrize(
    ("sentence", "kind", "expected"),
    [
        (  # the period right after a figure is its own; otherwise the nearest before it
            "In 2024/25 the average wait for a first visit was 12 working days, down from the 17 working days "
            "in 2023/24.",
            AnswerType.DURATION,
            ["12 working days=2024/25", "17 working days=2023/24"],
        ),
        (
            "Foster carer enquiries were 41% in 2022-23 and 36% in 2023-24.",
            AnswerType.PERCENTAGE,
            ["41%=2022/23", "36%=2023/24"],
        ),
        (  # no period named: the section's, and a year back for "the previous year's"
            "Re-referrals fell to 19% from the previous year's 23%.",
            AnswerType.PERCENTAGE,
            ["19%=2024/25", "23%=2023/24"],
        ),
    ],
)
def test_each_figure_takes_its_own_period(sentence: str, kind: AnswerType, expected: list[str]) -> None:
    assert _periods(sentence, kind, section="Performance 2024-2025") == expected


def test_a_figure_of_the_year_before_in_an_undated_section_is_a_year_before_the_paper() -> None:
    sentence = "There were 64 adoptions, against 70 in the previous year."
    assert _periods(sentence, AnswerType.NUMBER, date=dt.date(2024, 5, 1)) == ["64=2024", "70=2023"]


@pytest.mark.parametrize(
    ("question", "change", "kind"),
    [
        ("Is Wexbridge answering complaints faster than the year before?", True, AnswerType.DURATION),
        ("Were fewer children adopted in Wexbridge in 2023/24 than in 2022/23?", True, AnswerType.NUMBER),
        ("How has Ofsted's view of Harlow Vale's children's services changed since 2016?", True, None),
        ("Has Wexbridge's fostering service got worse since its last inspection?", True, None),
    ],
)
def test_what_a_change_question_measures(question: str, change: bool, kind: AnswerType | None) -> None:
    analysis = analyse(question, PLACES)
    assert analysis.change is change
    expected = kind or AnswerType.JUDGEMENT  # in an inspection's terms, what changes is the grade
    assert measure_type(analysis) == expected


def test_a_comparison_between_councils_is_not_a_change_and_a_person_is_not_a_grade() -> None:
    analysis = analyse("Did the same lead inspector visit Wexbridge in 2019 and Harlow Vale in 2018?", PLACES)
    assert not analysis.change
    assert measure_type(analysis) is None
    assert not analyse("Did Wexbridge receive more complaints than Harlow Vale?", PLACES).change


def test_a_grade_over_time_is_read_from_every_sentence_about_the_place() -> None:
    """A grade stands by none of the question's words ("remained outstanding"): it is still the answer."""
    analysis = analyse("How has Ofsted's view of Wexbridge's children's services changed since 2016?", PLACES)
    first = "Inspection dates: 4 to 15 July 2016. The overall judgement is that children's services are good."
    later = "Since the last full inspection in 2019, services have remained outstanding."
    guidance = "Local authorities judged good in 2020 are inspected again within three years."
    passages = [
        _passage(first, dt.date(2016, 9, 1)),
        _passage(later, dt.date(2023, 3, 1)),
        _passage(guidance, dt.date(2024, 1, 1), council="Ofsted", doc_id="g", chunk_id="g#0"),
    ]
    candidates = [
        Candidate(first.split(". ")[1], 0, 1, score=0.5, context=0.3),
        Candidate(later, 1, 0, score=0.2, context=0.1),
        Candidate(guidance, 2, 0, score=0.6, context=0.3),
    ]
    values = over_time(analysis, AnswerType.JUDGEMENT, candidates, passages)
    assert [(v.period, v.span.value) for v in values] == [("2016", "good"), ("2019", "outstanding")]
    assert change_note(values, AnswerType.JUDGEMENT) == (
        "The judgement changed from good (2016) to outstanding (2019)."
    )


def test_a_speed_question_reads_the_compared_figure_and_keeps_to_one_unit() -> None:
    """ "Faster than the year before": the lengths of time, each for its own year, in the same unit; the
    compared figure ("down from the 17 working days in 2023/24") counts though it stands far from the focus."""
    analysis = analyse("Is Wexbridge answering complaints faster than the year before?", PLACES)
    both = (
        "In 2024/25 the average response time to a complaint was 12 working days, an improvement on the 17 "
        "working days in 2023/24."
    )
    other = "In 2024/25, 81% of complaints were answered on time, an average response time of 9 days."
    passages = [_passage(f"{both} {other}", section="Complaints")]
    candidates = [
        Candidate(other, 0, 1, score=0.62, context=0.5),
        Candidate(both, 0, 0, score=0.6, context=0.5),
    ]
    values = over_time(analysis, AnswerType.DURATION, candidates, passages)
    assert [(v.period, v.span.value) for v in values] == [
        ("2023/24", "17 working days"),
        ("2024/25", "12 working days"),
    ]
    assert change_note(values, AnswerType.DURATION) == (
        "Calculated from the papers: from 17 working days (2023/24) to 12 working days (2024/25), down 5 "
        "working days."
    )


def test_a_papers_calendar_year_is_not_set_beside_financial_years() -> None:
    analysis = analyse("How have Wexbridge's complaint numbers changed?", PLACES)
    stated = "Wexbridge received 210 complaints in 2022/23 and 188 complaints in 2023/24."
    undated = "Wexbridge received 150 complaints."
    passages = [_passage(stated), _passage(undated)]
    candidates = [
        Candidate(stated, 0, 0, score=0.5, context=0.5),
        Candidate(undated, 1, 0, score=0.5, context=0.5),
    ]
    values = over_time(analysis, AnswerType.NUMBER, candidates, passages)
    assert [v.period for v in values] == ["2022/23", "2023/24"]


@pytest.mark.parametrize(
    ("question", "kind", "label"),
    [
        ("Did Wexbridge get more complaints in 2023/24 than in 2022/23?", AnswerType.NUMBER, "complaints"),
        (
            "Is Wexbridge answering complaints faster than the year before?",
            AnswerType.DURATION,
            "time taken for complaints",
        ),
    ],
)
def test_a_series_heading_names_the_measure_not_the_comparison(
    question: str, kind: AnswerType, label: str
) -> None:
    assert measure_label(analyse(question, PLACES), kind) == label


def test_an_overall_rating_over_time_takes_no_one_areas_grade_and_no_grade_said_in_passing() -> None:
    """ "How has Wexbridge's rating changed?": "children in care were good" grades one area, and "didn't find all
    our services to be consistently good" gives no grade; the 2024 paper's own rating is the 2024 value."""
    analysis = analyse(
        "How has Wexbridge's Ofsted rating for children's services changed since 2015?", PLACES
    )
    old = "In 2017 Wexbridge's children's services were rated 'good' in all areas."
    area = "Inspectors concluded that the experiences and progress of children in care were good."
    passing = "The council said it was disappointing that Ofsted didn't find all our services to be consistently good."
    rated = "The report rated the service as 'requires improvement to be good'."
    passages = [_passage(old, dt.date(2017, 11, 6))] + [
        _passage(t, dt.date(2024, 8, 21)) for t in (area, passing, rated)
    ]
    candidates = [
        Candidate(old, 0, 0, score=0.5, context=0.5),
        Candidate(area, 1, 0, score=0.6, context=0.5),
        Candidate(passing, 2, 0, score=0.6, context=0.5),
        Candidate(rated, 3, 0, score=0.3, context=0.5),
    ]
    values = over_time(analysis, AnswerType.JUDGEMENT, candidates, passages)
    assert [(v.period, v.span.value) for v in values] == [("2017", "good"), ("2024", "requires improvement")]


def test_a_quoted_grade_far_from_the_focus_and_an_undated_papers_grade_take_their_places() -> None:
    """ "after it found the department to be “good” in 2014": quoting marks the grade, however far the parse puts
    it from the focus; an undated paper's grade is from after the latest year it speaks of ("since the last
    inspection in 2018"), placed after that year's."""
    analysis = analyse("Has Wexbridge always been good for children's social care?", PLACES)
    quoted = (
        "Inspectors upped Wexbridge Council's overall judgment following an inspection in November 2018, after "
        'it found the department to be "good" in 2014.'
    )
    dated = "Ofsted rated Wexbridge's children's social care services 'good' in 2018."
    undated = (
        "Wexbridge's children's services were inspected by Ofsted and upgraded to ‘outstanding’. Since the last "
        "inspection in 2018, leaders have made significant improvements."
    )
    passages = [
        _passage(quoted, dt.date(2019, 1, 7)),
        _passage(dated, dt.date(2019, 2, 1)),
        _passage(undated, None),
    ]
    candidates = [
        Candidate(quoted, 0, 0, score=0.4, context=0.3),
        Candidate(dated, 1, 0, score=0.5, context=0.3),
        Candidate(undated.split(". ")[0] + ".", 2, 0, score=0.5, context=0.3),
    ]
    values = over_time(analysis, AnswerType.JUDGEMENT, candidates, passages)
    assert [(v.period, v.span.value) for v in values] == [
        ("2014", "good"),
        ("2018", "good"),
        ("after 2018", "outstanding"),
    ]
