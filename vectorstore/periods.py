"""A period of time a question is about, and the calendar arithmetic that builds one (months, calendar,
financial and academic years, financial quarters). `vectorstore.querydates` reads periods out of questions.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

__all__ = ["OPEN_START", "Period"]

OPEN_START = dt.date.min


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    text: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


# ---------------------------------------------------------------------------------------------------
# Calendar helpers

_Span = tuple[dt.date, dt.date]


def _month_span(year: int, month: int) -> _Span:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _year_span(year: int) -> _Span:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _financial_year(year: int) -> _Span:
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def _academic_year(year: int) -> _Span:
    return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)


def _financial_quarter(year: int, quarter: int) -> _Span:
    month = 4 + 3 * (quarter - 1)  # Q1 April, Q2 July, Q3 October, Q4 January (as month 13)
    first_year, first_month = (year + 1, month - 12) if month > 12 else (year, month)
    start = dt.date(first_year, first_month, 1)
    return start, _month_span(first_year, first_month + 2)[1]


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _year_starting(day: dt.date, first_month: int) -> int:
    """The year in which the (financial/academic) year containing ``day`` began."""
    return day.year if day.month >= first_month else day.year - 1


def _latest_month(month: int, today: dt.date, *, include_current: bool) -> _Span:
    if month < today.month or (include_current and month == today.month):
        return _month_span(today.year, month)
    return _month_span(today.year - 1, month)


# Month and number words a question may use.
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
    "thirty-six": 36,
}
