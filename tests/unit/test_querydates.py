"""Periods named in questions, read against a fixed today of Monday 23 November 2026."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vectorstore.querydates import OPEN_START, Period, names_period, parse_period

TODAY = dt.date(2026, 11, 23)
D = dt.date

# (question, start, end, matched text)
PERIODS: list[tuple[str, dt.date, dt.date, str]] = [
    # Calendar years.
    ("What did Ofsted find in 2023?", D(2023, 1, 1), D(2023, 12, 31), "2023"),
    ("What did the 2023 ILACS say?", D(2023, 1, 1), D(2023, 12, 31), "2023"),
    # after an inspection of a year: from that year (the inspection may have been late in it) to today
    (
        "How much was invested after the 2018 inadequate inspection?",
        D(2018, 1, 1),
        TODAY,
        "after the 2018 inadequate inspection",
    ),
    ("What changed following its 2019 Ofsted?", D(2019, 1, 1), TODAY, "following its 2019 Ofsted"),
    ("the budget after the 2018 budget", D(2018, 1, 1), D(2018, 12, 31), "2018"),  # not an inspection
    ("complaints during 2019", D(2019, 1, 1), D(2019, 12, 31), "2019"),
    ("What is planned for 2027?", D(2027, 1, 1), D(2027, 12, 31), "2027"),
    ("the 2024's figures", D(2024, 1, 1), D(2024, 12, 31), "2024"),
    # UK financial years.
    ("How many complaints in 2023/24?", D(2023, 4, 1), D(2024, 3, 31), "2023/24"),
    ("the 2023-24 complaints report", D(2023, 4, 1), D(2024, 3, 31), "2023-24"),
    ("spend in 2023–24", D(2023, 4, 1), D(2024, 3, 31), "2023–24"),
    ("budget for 2023/2024", D(2023, 4, 1), D(2024, 3, 31), "2023/2024"),
    ("the 1999/00 outturn", D(1999, 4, 1), D(2000, 3, 31), "1999/00"),
    ("the 2011-12 outturn", D(2011, 4, 1), D(2012, 3, 31), "2011-12"),
    ("financial year 2023/24", D(2023, 4, 1), D(2024, 3, 31), "financial year 2023/24"),
    ("the financial year 2023-2024", D(2023, 4, 1), D(2024, 3, 31), "the financial year 2023-2024"),
    ("FY2023/24 overspend", D(2023, 4, 1), D(2024, 3, 31), "FY2023/24"),
    ("FY 23/24 overspend", D(2023, 4, 1), D(2024, 3, 31), "FY 23/24"),
    ("the 2026/27 budget", D(2026, 4, 1), D(2027, 3, 31), "2026/27"),
    # Academic years.
    ("academic year 2023/24 exclusions", D(2023, 9, 1), D(2024, 8, 31), "academic year 2023/24"),
    ("the school year 2024-25", D(2024, 9, 1), D(2025, 8, 31), "the school year 2024-25"),
    ("2024/25 academic year", D(2024, 9, 1), D(2025, 8, 31), "2024/25 academic year"),
    # Financial quarters.
    ("Q3 2024/25 performance", D(2024, 10, 1), D(2024, 12, 31), "Q3 2024/25"),
    ("Q1 2024/25", D(2024, 4, 1), D(2024, 6, 30), "Q1 2024/25"),
    ("Q2 2024-25", D(2024, 7, 1), D(2024, 9, 30), "Q2 2024-25"),
    ("Q4 2024/25 data", D(2025, 1, 1), D(2025, 3, 31), "Q4 2024/25"),
    ("in Q1 of 2025/26", D(2025, 4, 1), D(2025, 6, 30), "Q1 of 2025/26"),
    ("quarter 2 2025/26", D(2025, 7, 1), D(2025, 9, 30), "quarter 2 2025/26"),
    ("2025/26 Q2", D(2025, 7, 1), D(2025, 9, 30), "2025/26 Q2"),
    ("q3 24/25", D(2024, 10, 1), D(2024, 12, 31), "q3 24/25"),
    # A quarter without a financial year: the whole calendar year (both readings fall inside it).
    ("Q3 2024 performance", D(2024, 1, 1), D(2024, 12, 31), "Q3 2024"),
    # Months and days.
    ("in September 2025", D(2025, 9, 1), D(2025, 9, 30), "September 2025"),
    ("Sept 2025 letter", D(2025, 9, 1), D(2025, 9, 30), "Sept 2025"),
    ("Sep. 2025 letter", D(2025, 9, 1), D(2025, 9, 30), "Sep. 2025"),
    ("december, 2025", D(2025, 12, 1), D(2025, 12, 31), "december, 2025"),
    ("February 2024", D(2024, 2, 1), D(2024, 2, 29), "February 2024"),
    ("may 2024 cabinet", D(2024, 5, 1), D(2024, 5, 31), "may 2024"),
    ("the 12 March 2024 meeting", D(2024, 3, 12), D(2024, 3, 12), "12 March 2024"),
    ("the 3rd of May 2024", D(2024, 5, 3), D(2024, 5, 3), "3rd of May 2024"),
    ("March 12, 2024", D(2024, 3, 12), D(2024, 3, 12), "March 12, 2024"),
    ("minutes of 2024-03-12", D(2024, 3, 12), D(2024, 3, 12), "2024-03-12"),
    ("minutes of 12/03/2024", D(2024, 3, 12), D(2024, 3, 12), "12/03/2024"),
    ("data for 2024-03", D(2024, 3, 1), D(2024, 3, 31), "2024-03"),
    # Months without a year.
    ("what happened last September?", D(2026, 9, 1), D(2026, 9, 30), "last September"),
    ("last December", D(2025, 12, 1), D(2025, 12, 31), "last December"),
    ("last November", D(2025, 11, 1), D(2025, 11, 30), "last November"),  # before today's month
    ("last sept", D(2026, 9, 1), D(2026, 9, 30), "last sept"),
    ("this June", D(2026, 6, 1), D(2026, 6, 30), "this June"),
    ("What happened in September?", D(2026, 9, 1), D(2026, 9, 30), "in September"),
    ("during November", D(2026, 11, 1), D(2026, 11, 30), "during November"),  # the current month
    ("What happened in May", D(2026, 5, 1), D(2026, 5, 31), "in May"),
    ("in December", D(2025, 12, 1), D(2025, 12, 31), "in December"),
    # Relative calendar periods.
    ("complaints last year", D(2025, 1, 1), D(2025, 12, 31), "last year"),
    ("last year's complaints report", D(2025, 1, 1), D(2025, 12, 31), "last year"),
    ("the previous year", D(2025, 11, 23), D(2026, 11, 23), "the previous year"),  # rolling
    ("complaints this year", D(2026, 1, 1), TODAY, "this year"),
    ("this financial year", D(2026, 4, 1), TODAY, "this financial year"),
    ("last financial year", D(2025, 4, 1), D(2026, 3, 31), "last financial year"),
    ("the current financial year", D(2026, 4, 1), TODAY, "current financial year"),
    ("last academic year", D(2025, 9, 1), D(2026, 8, 31), "last academic year"),
    ("this academic year", D(2026, 9, 1), TODAY, "this academic year"),
    ("last month", D(2026, 10, 1), D(2026, 10, 31), "last month"),
    ("this month", D(2026, 11, 1), TODAY, "this month"),
    # Rolling periods.
    ("in the last 12 months", D(2025, 11, 23), TODAY, "the last 12 months"),
    ("last 12 months", D(2025, 11, 23), TODAY, "last 12 months"),
    ("over the past two years", D(2024, 11, 23), TODAY, "the past two years"),
    ("past two years", D(2024, 11, 23), TODAY, "past two years"),
    ("the past year", D(2025, 11, 23), TODAY, "the past year"),
    ("in the last year", D(2025, 11, 23), TODAY, "the last year"),
    ("the last month", D(2026, 10, 23), TODAY, "the last month"),
    ("last 6 months", D(2026, 5, 23), TODAY, "last 6 months"),
    ("the last eighteen months", D(2025, 5, 23), TODAY, "the last eighteen months"),
    ("in the past 30 days", D(2026, 10, 24), TODAY, "the past 30 days"),
    ("last 2 weeks", D(2026, 11, 9), TODAY, "last 2 weeks"),
    ("previous 3 years", D(2023, 11, 23), TODAY, "previous 3 years"),
    # Since / after / before / until.
    ("What has changed since June 2025?", D(2025, 6, 1), TODAY, "since June 2025"),
    ("since 2023", D(2023, 1, 1), TODAY, "since 2023"),
    ("since 2023/24", D(2023, 4, 1), TODAY, "since 2023/24"),
    ("since 12 March 2024", D(2024, 3, 12), TODAY, "since 12 March 2024"),
    ("since last September", D(2026, 9, 1), TODAY, "since last September"),
    ("since September", D(2026, 9, 1), TODAY, "since September"),
    ("since the start of 2025", D(2025, 1, 1), TODAY, "since the start of 2025"),
    ("since the inspection in March 2024", D(2024, 3, 1), TODAY, "since the inspection in March 2024"),
    ("since the last inspection in 2024", D(2024, 1, 1), TODAY, "since the last inspection in 2024"),
    ("from March 2024 until now", D(2024, 3, 1), TODAY, "from March 2024 until now"),
    ("2024 to date", D(2024, 1, 1), TODAY, "2024 to date"),
    ("after March 2024", D(2024, 4, 1), TODAY, "after March 2024"),
    ("after 2024", D(2025, 1, 1), TODAY, "after 2024"),
    ("post-2020 reforms", D(2021, 1, 1), TODAY, "post-2020"),
    ("after October 2026", D(2026, 11, 1), TODAY, "after October 2026"),
    ("before 2020", OPEN_START, D(2019, 12, 31), "before 2020"),
    ("prior to April 2023", OPEN_START, D(2023, 3, 31), "prior to April 2023"),
    ("pre-2020 reports", OPEN_START, D(2019, 12, 31), "pre-2020"),
    ("until March 2025", OPEN_START, D(2025, 3, 31), "until March 2025"),
    ("by March 2025", OPEN_START, D(2025, 3, 31), "by March 2025"),
    ("up to the end of 2022", OPEN_START, D(2022, 12, 31), "up to the end of 2022"),
    # from a date to an event the question names, not a date: on to today
    ("from 2019 to the improvement notice being lifted", D(2019, 1, 1), TODAY, "from 2019 to"),
    ("from March 2019 to the end of 2020", D(2019, 3, 1), D(2020, 12, 31), "March 2019 to the end of 2020"),
    # Ranges.
    ("between 2021 and 2023", D(2021, 1, 1), D(2023, 12, 31), "between 2021 and 2023"),
    ("from 2019 to 2021", D(2019, 1, 1), D(2021, 12, 31), "from 2019 to 2021"),
    ("2021 to 2023", D(2021, 1, 1), D(2023, 12, 31), "2021 to 2023"),
    ("the 2021-2023 trend", D(2021, 1, 1), D(2023, 12, 31), "2021-2023"),
    ("March 2025 to June 2025", D(2025, 3, 1), D(2025, 6, 30), "March 2025 to June 2025"),
    ("between March and June 2024", D(2024, 3, 1), D(2024, 6, 30), "between March and June 2024"),
    ("from September to March 2024", D(2023, 9, 1), D(2024, 3, 31), "from September to March 2024"),
    ("from September 2025 to March", D(2025, 9, 1), D(2026, 3, 31), "from September 2025 to March"),
    ("between March and June", D(2026, 3, 1), D(2026, 6, 30), "between March and June"),
    ("from 2023-24 to 2024-25", D(2023, 4, 1), D(2025, 3, 31), "from 2023-24 to 2024-25"),
    (
        "20 March 2023 to 12 April 2023",
        D(2023, 3, 20),
        D(2023, 4, 12),
        "20 March 2023 to 12 April 2023",
    ),
    ("the year ending March 2024", D(2023, 4, 1), D(2024, 3, 31), "the year ending March 2024"),
    ("12 months to 30 September 2025", D(2024, 10, 1), D(2025, 9, 30), "12 months to 30 September 2025"),
    # Several periods: one span over all of them.
    ("compare 2022 with 2024", D(2022, 1, 1), D(2024, 12, 31), "2022 with 2024"),
    ("In 2019/20 and 2020/21", D(2019, 4, 1), D(2021, 3, 31), "2019/20 and 2020/21"),
    ("in 2023 compared with last year", D(2023, 1, 1), D(2025, 12, 31), "2023 compared with last year"),
]


@pytest.mark.parametrize(("question", "start", "end", "text"), PERIODS, ids=[p[0] for p in PERIODS])
def test_parse_period(question: str, start: dt.date, end: dt.date, text: str) -> None:
    assert parse_period(question, TODAY) == Period(start=start, end=end, text=text)
    assert names_period(question)


NOT_PERIODS = [
    "What has changed since the inspection?",
    "What did the council say recently?",
    "the latest Ofsted letter",
    "before the inspection",
    "in the last three inspections",
    "How many EHCPs were issued within 20 weeks?",
    "there were 1500 contacts",
    "£2025 was spent",
    "2,024 referrals",
    "a 2023.5 estimate",
    "what may happen in may",
    "since may",
    "what did the council march on",
    "past years' reports",
    "the last few months",
    "the 2020s",
    "",
    "Q3 performance",
    "next year",
    "last week",
    "last quarter",
    "1989 records",
]


@pytest.mark.parametrize("question", NOT_PERIODS)
def test_no_period(question: str) -> None:
    assert parse_period(question, TODAY) is None
    assert not names_period(question)


# Date-like but malformed or ambiguous: the answer is None rather than a guess.
AMBIGUOUS = [
    "FY24 budget",
    "financial year 2023",
    "the 2024 financial year",
    "academic year 2023",
    "2023/25",
    "31/02/2024 meeting",
    "13/13/2024",
    "between 2023 and 2021",
    "from June 2025 to March 2024",
    "the last 0 months",
    "Q3 2024/26",
    "in 2023/25 and 2024",  # one bad phrase spoils the question
]


@pytest.mark.parametrize("question", AMBIGUOUS)
def test_ambiguous_is_none(question: str) -> None:
    assert parse_period(question, TODAY) is None


# Fine as phrases, but they point past today: None, though the question does name a period.
FUTURE = ["since June 2027", "after 2026", "after November 2026", "since 2030/31"]


@pytest.mark.parametrize("question", FUTURE)
def test_future_open_ended(question: str) -> None:
    assert parse_period(question, TODAY) is None
    assert names_period(question)


@pytest.mark.parametrize(
    ("today", "question", "start", "end"),
    [
        # "last September" is the most recent September before the current month.
        (D(2026, 9, 15), "last September", D(2025, 9, 1), D(2025, 9, 30)),
        (D(2026, 10, 1), "last September", D(2026, 9, 1), D(2026, 9, 30)),
        (D(2026, 1, 10), "last September", D(2025, 9, 1), D(2025, 9, 30)),
        # A bare month includes the current month.
        (D(2026, 9, 15), "in September", D(2026, 9, 1), D(2026, 9, 30)),
        (D(2026, 8, 31), "in September", D(2025, 9, 1), D(2025, 9, 30)),
        # Financial and academic years turn over in April and September.
        (D(2026, 3, 31), "this financial year", D(2025, 4, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), "last financial year", D(2025, 4, 1), D(2026, 3, 31)),
        (D(2026, 8, 31), "this academic year", D(2025, 9, 1), D(2026, 8, 31)),
        (D(2026, 1, 15), "last month", D(2025, 12, 1), D(2025, 12, 31)),
        # Month arithmetic clamps to the month's last day.
        (D(2026, 3, 31), "the last month", D(2026, 2, 28), D(2026, 3, 31)),
        (D(2024, 2, 29), "the past year", D(2023, 2, 28), D(2024, 2, 29)),
    ],
)
def test_relative_to_today(today: dt.date, question: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(question, today)
    assert period is not None
    assert (period.start, period.end) == (start, end)


def test_period_is_frozen_and_contains() -> None:
    period = Period(D(2024, 4, 1), D(2025, 3, 31), "2024/25")
    with pytest.raises(dataclasses.FrozenInstanceError):
        period.start = D(2020, 1, 1)  # type: ignore[misc]
    assert D(2024, 4, 1) in period
    assert D(2025, 3, 31) in period
    assert D(2025, 4, 1) not in period
    assert "2024" not in period


_WORDS = st.sampled_from(
    [
        *("in", "since", "between", "and", "to", "from", "before", "after", "until", "by", "the"),
        *("last", "past", "this", "year", "years", "month", "months", "Q3", "quarter", "2023"),
        *("2024/25", "2023-24", "23/24", "FY", "financial", "academic", "May", "may", "March"),
        *("September", "Sept", "12", "3rd", "of", "2024-03-12", "12/03/2024", "31/02/2024", "two"),
        *("inspection", "complaints", ",", "-", "/", "now", "date", "ending", "pre-", "£", "2099"),
        *("1990", "2021-2023", "SEND", "EHCP", "20", "weeks"),
    ]
)


@settings(max_examples=400, database=None, deadline=None)
@given(
    st.lists(_WORDS, max_size=10),
    st.sampled_from([" ", "", "  "]),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)),
)
def test_period_invariants(words: list[str], sep: str, today: dt.date) -> None:
    question = sep.join(words)
    period = parse_period(question, today)
    if period is not None:
        assert period.start <= period.end
        assert period.text
        assert period.text in question
        assert names_period(question)


@settings(max_examples=200, database=None, deadline=None)
@given(st.text(max_size=80))
def test_never_raises_on_arbitrary_text(question: str) -> None:
    period = parse_period(question, TODAY)
    assert period is None or period.text in question
