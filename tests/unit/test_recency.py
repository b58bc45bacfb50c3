"""Recency re-ranking with and without a named period, and superseded-figure detection."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from vectorstore.passage import Passage
from vectorstore.querydates import OPEN_START, Period
from vectorstore.recency import (
    MEASURES,
    apply_recency,
    measure_values,
    mentions_period,
    period_pattern,
    recency_factor,
    superseded,
)

TODAY = dt.date(2026, 11, 23)
D = dt.date
FY_2023_24 = Period(D(2023, 4, 1), D(2024, 3, 31), "2023/24")


def _passage(
    chunk_id: str,
    day: dt.date | None,
    score: float = 1.0,
    text: str = "",
    doc_id: str | None = None,
    council: str = "Bury",
) -> Passage:
    return Passage(
        chunk_id=chunk_id,
        doc_id=doc_id or f"doc-{chunk_id}",
        text=text or f"text of {chunk_id}",
        title="Title",
        date=day,
        body="Cabinet",
        doc_type="cabinet report",
        council=council,
        source_url="https://example.org",
        classification="open",
        path="data/x.pdf",
        score=score,
        scores={"rrf": score},
    )


# --------------------------------------------------------------------------------------------------
# recency_factor


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (None, 1.0),
        (TODAY, 1.15),
        (TODAY + dt.timedelta(days=30), 1.15),  # future-dated: age 0
        (TODAY - dt.timedelta(days=730), 1.075),  # one half-life
        (TODAY - dt.timedelta(days=1460), 1.0375),  # two half-lives
        (D(1990, 1, 1), 1.0 + 0.15 * 2 ** (-(TODAY - D(1990, 1, 1)).days / 730)),
    ],
)
def test_factor_without_period(day: dt.date | None, expected: float) -> None:
    assert recency_factor(day, None, TODAY) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (None, 1.0),
        (D(2023, 4, 1), 1.15),  # first day inside
        (D(2024, 3, 31), 1.15),  # last day inside
        (D(2023, 3, 31), 0.85),  # day before it starts: cannot report on it
        (D(2024, 4, 1), 1.0),  # just after: a report on the period, neutral
        (D(2026, 9, 16), 1.0),  # years after: papers report on a period late, still neutral
        (D(2020, 1, 1), 0.85),
    ],
)
def test_factor_with_period(day: dt.date | None, expected: float) -> None:
    assert recency_factor(day, FY_2023_24, TODAY) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(None, 1.3), (D(2023, 10, 1), 1.15 * 1.3), (D(2025, 9, 16), 1.3), (D(2022, 1, 1), 0.85 * 1.3)],
)
def test_factor_when_the_passage_names_the_period(day: dt.date | None, expected: float) -> None:
    assert recency_factor(day, FY_2023_24, TODAY, mentions=True) == pytest.approx(expected)


def test_factor_period_weight_separate_from_recency_weight() -> None:
    assert recency_factor(D(2023, 10, 1), FY_2023_24, TODAY, weight=0.5, period_weight=0.1) == pytest.approx(
        1.1
    )
    assert recency_factor(TODAY, None, TODAY, weight=0.5, period_weight=0.1) == pytest.approx(1.5)


def test_factor_open_start_period() -> None:
    before_2020 = Period(OPEN_START, D(2019, 12, 31), "before 2020")
    assert recency_factor(D(2001, 5, 5), before_2020, TODAY) == pytest.approx(1.15)
    assert recency_factor(D(2023, 5, 5), before_2020, TODAY) == pytest.approx(1.0)


# --------------------------------------------------------------------------------------------------
# apply_recency


def test_newer_wins_a_tie_without_period() -> None:
    old = _passage("old", D(2020, 1, 1))
    new = _passage("new", D(2026, 10, 1))
    undated = _passage("undated", None)
    result = apply_recency([old, undated, new], None, TODAY)
    assert [p.chunk_id for p in result] == ["new", "old", "undated"]
    assert result[2].score == 1.0
    assert result[2].scores["recency"] == 1.0


def test_recency_does_not_overturn_a_clear_relevance_gap() -> None:
    relevant_old = _passage("old", D(2018, 1, 1), score=1.5)
    new = _passage("new", TODAY, score=1.0)
    assert [p.chunk_id for p in apply_recency([relevant_old, new], None, TODAY)] == ["old", "new"]


def test_period_boosts_inside_and_penalises_before() -> None:
    inside = _passage("inside", D(2023, 10, 1))
    later = _passage("later", D(2026, 10, 1))
    before = _passage("before", D(2022, 10, 1))
    undated = _passage("undated", None)
    result = apply_recency([before, undated, later, inside], FY_2023_24, TODAY)
    assert [p.chunk_id for p in result] == ["inside", "undated", "later", "before"]
    assert {p.chunk_id: p.score for p in result} == pytest.approx(
        {"inside": 1.15, "undated": 1.0, "later": 1.0, "before": 0.85}
    )
    assert len(result) == 4  # nothing removed


def test_a_later_report_naming_the_period_beats_a_paper_dated_inside_it() -> None:
    # A summary of 16 September 2025 reporting 2022/23 complaints, against a paper dated in 2022/23 that does not
    # report them: the text naming the period wins.
    fy_2022_23 = Period(D(2022, 4, 1), D(2023, 3, 31), "2022/23")
    report = _passage(
        "report", D(2025, 9, 16), text="Teams received a total of 118 complaints in the 2022/23 year."
    )
    contemporary = _passage("contemporary", D(2022, 9, 7), text="An update on the improvement programme.")
    older = _passage("older", D(2021, 1, 1), text="Complaints in 2022/23 are forecast to fall.")
    result = apply_recency([contemporary, older, report], fy_2022_23, TODAY)
    assert [p.chunk_id for p in result] == ["report", "contemporary", "older"]


@pytest.mark.parametrize(("score", "boosted", "penalised"), [(2.0, 2.3, 1.7), (-2.0, -2 / 1.15, -2 / 0.85)])
def test_boost_moves_up_even_for_negative_scores(score: float, boosted: float, penalised: float) -> None:
    (up,) = apply_recency([_passage("a", D(2023, 10, 1), score=score)], FY_2023_24, TODAY)
    (down,) = apply_recency([_passage("a", D(2020, 1, 1), score=score)], FY_2023_24, TODAY)
    assert up.score == pytest.approx(boosted)
    assert down.score == pytest.approx(penalised)
    assert up.score > score > down.score


def test_apply_recency_does_not_mutate_and_keeps_scores() -> None:
    original = _passage("a", D(2025, 1, 1), score=0.5)
    (result,) = apply_recency([original], None, TODAY)
    assert original.score == 0.5
    assert original.scores == {"rrf": 0.5}
    assert result is not original
    assert result.scores["rrf"] == 0.5
    assert result.scores["recency"] == pytest.approx(result.score / 0.5)


def test_ties_keep_input_order() -> None:
    passages = [_passage(c, D(2025, 1, 1)) for c in "abc"]
    assert [p.chunk_id for p in apply_recency(passages, None, TODAY)] == ["a", "b", "c"]


def test_weight_zero_changes_nothing() -> None:
    passages = [_passage("a", D(2020, 1, 1), 0.3), _passage("b", TODAY, 0.2)]
    result = apply_recency(passages, None, TODAY, weight=0.0)
    assert [(p.chunk_id, p.score) for p in result] == [("a", 0.3), ("b", 0.2)]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"half_life_days": 0.0},
        {"half_life_days": -5.0},
        {"half_life_days": math.nan},
        {"weight": -0.1},
        {"weight": 1.0},
        {"weight": math.inf},
        {"period_weight": 1.0},
        {"mention_weight": -0.1},
        {"mention_weight": math.nan},
    ],
)
def test_rejects_bad_arguments(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        apply_recency([_passage("a", TODAY)], None, TODAY, **kwargs)


# --------------------------------------------------------------------------------------------------
# Naming a period

FY_2022_23 = Period(D(2022, 4, 1), D(2023, 3, 31), "2022/23")
AY_2023_24 = Period(D(2023, 9, 1), D(2024, 8, 31), "academic year 2023/24")
YEAR_2016 = Period(D(2016, 1, 1), D(2016, 12, 31), "2016")
SEPT_2025 = Period(D(2025, 9, 1), D(2025, 9, 30), "September 2025")
DAY = Period(D(2025, 11, 5), D(2025, 11, 5), "5 November 2025")
Q3_2024_25 = Period(D(2024, 10, 1), D(2024, 12, 31), "Q3 2024/25")


@pytest.mark.parametrize(
    ("period", "text", "expected"),
    [
        (FY_2022_23, "received 118 complaints during the 2022/23 financial year", True),
        (FY_2022_23, "annual complaints reports for 2022-23 and 2023-24", True),
        (FY_2022_23, "2022 - 2023 Complaints", True),
        (FY_2022_23, "the 2022/2023 annual report", True),
        (FY_2022_23, "for the periods April 2022 to March 2023, and April 2023 to March 2024", True),
        (FY_2022_23, "from Apr 2022 - Mar 2023", True),
        (FY_2022_23, "in 2023/24 complaints rose", False),
        (FY_2022_23, "in 2021/22 complaints rose", False),
        (FY_2022_23, "the 12022/23 reference", False),
        (FY_2022_23, "in 2022 complaints rose", False),
        (AY_2023_24, "in the 2023/24 academic year", True),
        (YEAR_2016, "inspected in May 2016", True),
        (YEAR_2016, "the 2016/17 budget", True),
        (YEAR_2016, "the 2015/16 budget", False),
        (YEAR_2016, "in 2017", False),
        (SEPT_2025, "on 16 September 2025 the committee", True),
        (SEPT_2025, "in Sept 2025", True),
        (SEPT_2025, "in September 2024", False),
        (DAY, "submitted to Ofsted by November 5th 2025", True),
        (DAY, "by 5 November 2025", True),
        (DAY, "on 05/11/2025", True),
        (DAY, "by 15 November 2025", False),
        (Q3_2024_25, "between October 2024 and December 2024", True),
    ],
)
def test_mentions_period(period: Period, text: str, expected: bool) -> None:
    assert mentions_period(text, period) is expected


@pytest.mark.parametrize(
    "period",
    [
        Period(OPEN_START, D(2019, 12, 31), "before 2020"),  # open-ended
        Period(D(2025, 11, 23), D(2026, 11, 23), "the last 12 months"),  # rolling
        Period(D(2000, 1, 1), D(2025, 12, 31), "between 2000 and 2025"),  # too long to name
    ],
)
def test_periods_without_a_name_of_their_own(period: Period) -> None:
    assert period_pattern(period) is None
    assert not mentions_period("anything from 2019 or 2025", period)


# --------------------------------------------------------------------------------------------------
# Measure values

_MEASURES = {m.name: m for m in MEASURES}


@pytest.mark.parametrize(
    ("measure", "text", "expected"),
    [
        (
            "complaints",
            "In 2023/24 we received 120 Stage 1 complaints, up 12% on 2022/23. Staffing was stable.",
            {"120", "12%"},
        ),
        ("complaints", "Complaints: 1,204 in the year to 31 March 2024.", {"1204"}),
        ("complaints", "No figures for complaints here.", set()),
        ("complaints", "Caseloads were 18.", set()),  # measure not mentioned
        ("overspend", "A £2.1m overspend is forecast at Q3 2024/25.", {"£2.1m"}),
        ("overspend", "The deficit is 3.5 per cent of budget.", {"3.5%"}),
        (
            "overall judgement",
            "The overall effectiveness of children's services was judged requires improvement to be good.",
            {"requires improvement"},
        ),
        ("overall judgement", "Overall effectiveness: Good", {"good"}),
        ("overall judgement", "Overall judgement: inadequate (March 12, 2024).", {"inadequate"}),
        (
            "inspection window",
            "The area entered its inspection window in September 2024, with inspection expected by 2027.",
            {"september 2024", "2027"},
        ),
        ("EHCP timeliness", "58% of new EHC plans were issued within 20 weeks.", {"58%"}),
        ("caseloads", "Average caseloads fell to 18 per social worker on 3rd May 2024.", {"18"}),
        ("children looked after", "There were 412 children looked after at 31 March.", {"412"}),
    ],
)
def test_measure_values(measure: str, text: str, expected: set[str]) -> None:
    assert measure_values(text, _MEASURES[measure]) == expected


# --------------------------------------------------------------------------------------------------
# superseded

OLD_COMPLAINTS = "In 2022/23 the service received 95 complaints."
NEW_COMPLAINTS = "In 2023/24 the service received 120 complaints, up from 95."


def test_superseded_complaints() -> None:
    old = _passage("old", D(2023, 7, 1), text=OLD_COMPLAINTS)
    new = _passage("new", D(2024, 7, 1), text=NEW_COMPLAINTS)
    # Input order does not decide which is older.
    assert [(a.chunk_id, b.chunk_id, m) for a, b, m in superseded([new, old])] == [
        ("old", "new", "complaints")
    ]


def test_superseded_judgement() -> None:
    old = _passage("old", D(2022, 3, 1), text="Overall effectiveness: requires improvement to be good.")
    new = _passage("new", D(2025, 3, 1), text="The overall effectiveness is now judged to be good.")
    assert [(a.chunk_id, b.chunk_id, m) for a, b, m in superseded([old, new])] == [
        ("old", "new", "overall judgement")
    ]


def test_superseded_inspection_window() -> None:
    old = _passage("old", D(2023, 1, 1), text="The local area's inspection window opens in 2024.")
    new = _passage("new", D(2025, 1, 1), text="The inspection window now runs to December 2026.")
    assert [m for _, _, m in superseded([old, new])] == ["inspection window"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Same figure restated: nothing superseded.
        (
            _passage("a", D(2023, 1, 1), text="We received 95 complaints."),
            _passage("b", D(2024, 1, 1), text="There were 95 complaints in total."),
        ),
        # Same date.
        (
            _passage("a", D(2024, 1, 1), text="We received 95 complaints."),
            _passage("b", D(2024, 1, 1), text="We received 120 complaints."),
        ),
        # Undated.
        (
            _passage("a", None, text="We received 95 complaints."),
            _passage("b", D(2024, 1, 1), text="We received 120 complaints."),
        ),
        # Same document (an agenda item and its appendix chunk).
        (
            _passage("a", D(2023, 1, 1), text="We received 95 complaints.", doc_id="d"),
            _passage("b", D(2024, 1, 1), text="We received 120 complaints.", doc_id="d"),
        ),
        # Different councils.
        (
            _passage("a", D(2023, 1, 1), text="We received 95 complaints.", council="Bury"),
            _passage("b", D(2024, 1, 1), text="We received 120 complaints.", council="Rochdale"),
        ),
        # The measure mentioned without a figure in one of them.
        (
            _passage("a", D(2023, 1, 1), text="Complaints are handled by the team."),
            _passage("b", D(2024, 1, 1), text="We received 120 complaints."),
        ),
        # Only years and stage numbers differ: not figures.
        (
            _passage("a", D(2023, 1, 1), text="Stage 2 complaints in 2022 are listed."),
            _passage("b", D(2024, 1, 1), text="Stage 3 complaints in 2023 are listed."),
        ),
        # Different measures.
        (
            _passage("a", D(2023, 1, 1), text="We received 95 complaints."),
            _passage("b", D(2024, 1, 1), text="Caseloads were 18."),
        ),
    ],
)
def test_not_superseded(first: Passage, second: Passage) -> None:
    assert superseded([first, second]) == []


def test_superseded_several_measures_and_pairs() -> None:
    a = _passage("a", D(2022, 6, 1), text="We received 80 complaints. Caseloads were 22.")
    b = _passage("b", D(2023, 6, 1), text="We received 95 complaints. Caseloads were 20.")
    c = _passage("c", D(2024, 6, 1), text="We received 95 complaints.")
    found = [(x.chunk_id, y.chunk_id, m) for x, y, m in superseded([a, b, c])]
    assert found == [
        ("a", "b", "complaints"),
        ("a", "b", "caseloads"),
        ("a", "c", "complaints"),
    ]
