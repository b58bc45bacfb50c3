from __future__ import annotations

import datetime as dt

import pytest

from assistant.inspection_window import (
    Window,
    add_months,
    extract_last_inspection,
    format_month,
    inspection_dates,
    months_after,
    next_standard_inspection_window,
)
from tests.fakes import make_passage
from vectorstore.passage import Passage


def _passage(text: str, date: dt.date | None = dt.date(2025, 9, 1), chunk_id: str = "c") -> Passage:
    return make_passage(text, date=date, chunk_id=chunk_id, doc_id=chunk_id)


WINDOWS: list[tuple[dt.date | tuple[int, int], str, dt.date, dt.date]] = [
    ((2025, 6), "December 2027 to December 2028", dt.date(2027, 12, 1), dt.date(2028, 12, 31)),
    (dt.date(2025, 6, 20), "December 2027 to December 2028", dt.date(2027, 12, 1), dt.date(2028, 12, 31)),
    (dt.date(2019, 11, 4), "May 2022 to May 2023", dt.date(2022, 5, 1), dt.date(2023, 5, 31)),
    ((2024, 1), "July 2026 to July 2027", dt.date(2026, 7, 1), dt.date(2027, 7, 31)),
    ((2024, 7), "January 2027 to January 2028", dt.date(2027, 1, 1), dt.date(2028, 1, 31)),
    ((2023, 12), "June 2026 to June 2027", dt.date(2026, 6, 1), dt.date(2027, 6, 30)),
    ((2025, 8), "February 2028 to February 2029", dt.date(2028, 2, 1), dt.date(2029, 2, 28)),
    ((2021, 8), "February 2024 to February 2025", dt.date(2024, 2, 1), dt.date(2025, 2, 28)),
    ((2021, 2), "August 2023 to August 2024", dt.date(2023, 8, 1), dt.date(2024, 8, 31)),
]


@pytest.mark.parametrize(("last", "text", "start", "end"), WINDOWS)
def test_next_standard_inspection_window(
    last: dt.date | tuple[int, int], text: str, start: dt.date, end: dt.date
) -> None:
    assert next_standard_inspection_window(last) == Window(start, end, text)


def test_window_interval_and_tolerance_are_parameters() -> None:
    window = next_standard_inspection_window((2025, 6), interval_months=12, tolerance_months=0)
    assert window.text == "June 2026 to June 2026"
    assert window.start == dt.date(2026, 6, 1) and window.end == dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    "bad",
    [(2025, 0), (2025, 13), (0, 5)],
)
def test_bad_months_are_rejected(bad: tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        next_standard_inspection_window(bad)


def test_negative_interval_is_rejected() -> None:
    with pytest.raises(ValueError):
        next_standard_inspection_window((2025, 6), interval_months=-1)


@pytest.mark.parametrize(
    ("value", "months", "expected"),
    [
        ((2025, 6), 30, (2027, 12)),
        ((2025, 6), -6, (2024, 12)),
        ((2025, 12), 1, (2026, 1)),
        ((2025, 1), -1, (2024, 12)),
    ],
)
def test_add_months(value: tuple[int, int], months: int, expected: tuple[int, int]) -> None:
    assert add_months(value, months) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 12, 6), -24, dt.date(2024, 12, 6)),
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),  # a shorter month: its last day
        (dt.date(2024, 2, 29), -12, dt.date(2023, 2, 28)),
    ],
)
def test_months_after_keeps_the_day_or_the_months_last(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_after(day, months) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2027, 12, 1), "December 2027"),
        ((2028, 1), "January 2028"),
        (dt.date(2025, 6, 20), "June 2025"),
    ],
)
def test_format_month(value: dt.date | tuple[int, int], expected: str) -> None:
    assert format_month(value) == expected


DATES: list[tuple[str, list[dt.date]]] = [
    ("Bury was inspected in the 3 weeks at the start of June 2025.", [dt.date(2025, 6, 1)]),
    ("The inspection took place over three weeks from June 2nd to June 20th 2025.", [dt.date(2025, 6, 2)]),
    ("Inspection dates: 2 to 20 June 2025", [dt.date(2025, 6, 2)]),
    ("Ofsted ILACS inspection 4 to 22 November 2019: requires improvement.", [dt.date(2019, 11, 4)]),
    ("In June 2025, Ofsted inspected Bury children's services.", [dt.date(2025, 6, 1)]),
    (
        "Inspected by Ofsted in June 2025, the council was judged to require improvement.",
        [dt.date(2025, 6, 1)],
    ),
    (
        "The last inspection was in November 2019; the next inspection is expected by December 2027.",
        [dt.date(2019, 11, 1)],
    ),
    ("The focused visit in March 2024 looked at the front door.", []),
    ("Ofsted carried out a monitoring visit on 5 March 2024 after the inspection.", []),
    ("The inspection report was published on 1 August 2025.", []),
    ("Ofsted inspected the Radcliffe children's home in May 2024.", []),
    ("The joint targeted area inspection in January 2023 looked at neglect.", []),
    ("The next inspection is due in 2028.", []),
    ("Inspectors found practice had improved.", []),
    ("It met on the 29<sup>th</sup> May 2025 after the inspection in April 2025.", [dt.date(2025, 4, 1)]),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_inspection_dates(text: str, expected: list[dt.date]) -> None:
    assert inspection_dates(text) == expected


def test_extract_last_inspection_takes_the_most_recent() -> None:
    old = _passage("Ofsted inspection 4 to 22 November 2019: requires improvement.", chunk_id="old")
    new = _passage("Bury was inspected in the 3 weeks at the start of June 2025.", chunk_id="new")
    other = _passage("The focused visit in March 2024 looked at the front door.", chunk_id="other")
    result = extract_last_inspection([old, other, new])
    assert result is not None
    when, passage = result
    assert when == dt.date(2025, 6, 1)
    assert passage.chunk_id == "new"
    assert next_standard_inspection_window(when).text == "December 2027 to December 2028"


def test_extract_last_inspection_ignores_dates_after_the_paper() -> None:
    plan = _passage("We expect an inspection in June 2026.", date=dt.date(2025, 9, 1), chunk_id="plan")
    stated = _passage("The service was inspected in June 2026.", date=dt.date(2025, 9, 1), chunk_id="odd")
    past = _passage("The service was inspected in November 2019.", date=dt.date(2020, 2, 1), chunk_id="past")
    result = extract_last_inspection([plan, stated, past])
    assert result is not None
    assert result[0] == dt.date(2019, 11, 1)
    assert result[1].chunk_id == "past"


def test_extract_last_inspection_none() -> None:
    assert extract_last_inspection([]) is None
    assert extract_last_inspection([_passage("Complaints rose in 2024/25.")]) is None
