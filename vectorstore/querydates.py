"""Dates and periods named in a question ("in 2023/24", "since June 2025", "the last 12 months").

``parse_period`` returns the period the question is about, or ``None``.  It is deliberately
conservative: a phrase is only read as a date when its meaning is clear, and anything ambiguous or
malformed (``"FY24"``, ``"2023/25"``, ``"31/02/2024"``) makes the whole answer ``None`` rather than a
guess.  "since the inspection" names no date, so it gives ``None`` unless a concrete date follows
("since the inspection in March 2024").

Readings, with ``today`` as the reference day:

* ``2023`` → the calendar year; ``2023/24``, ``2023-24``, ``FY 23/24``, ``financial year 2023/24`` →
  the UK financial year 1 April 2023 – 31 March 2024; ``academic year 2023/24`` → 1 Sept – 31 Aug.
* ``Q3 2024/25`` → the financial quarter (Q1 = April–June … Q4 = January–March of the second year).
  ``Q3 2024`` (no financial year) → all of 2024, since calendar and financial quarters both fall there.
* ``September 2025``, ``12 March 2024``, ``2024-03-12``, ``12/03/2024`` (day first) → that month/day.
* ``in September`` (no year) → the most recent September up to and including today's month;
  ``last September`` → the most recent September *before* today's month; ``this September`` → this
  year's.  Bare month names need a preposition ("in", "since", …), and bare ``May``/``March`` must be
  capitalised, so the verbs are not read as months.
* ``last year`` / ``this year`` → the previous calendar year / 1 January to today (likewise
  ``last|this financial year``, ``last|this academic year``, ``last|this month``).
* ``the last year``, ``the past 6 months``, ``past two years``, ``last 12 months`` → rolling back
  from today.
* ``since X`` / ``X to date`` / ``after X`` → from the start of X / the day after X, to today;
  ``before X`` → up to the day before X; ``until X`` / ``by X`` → up to the end of X;
  ``between X and Y`` / ``from X to Y`` / ``X to Y`` → start of X to end of Y;
  ``the year ending X`` → the twelve months ending with X.

Open-ended starts use ``OPEN_START`` (``date.min``); open-ended ends use ``today``.  When a question
names several periods, the result spans all of them and its ``text`` runs from the first phrase to
the last.  ``Period.text`` is always a substring of the question.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["OPEN_START", "Period", "names_period", "parse_period"]

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


# ---------------------------------------------------------------------------------------------------
# Patterns.  Point patterns name one stretch of time; each carries named groups for its handler and
# is also used, with the names stripped, inside the combinator patterns ("since X", "between X and Y").

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

_YEAR = r"(?:199\d|20\d\d)"
_MON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MON_FULL = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_NO_NUMBER_NEXT = r"(?!\s*,?\s*\d)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_DASH = r"[/\-‐–]"
_FY_PAIR = rf"{_YEAR}\s?{_DASH}\s?\d\d(?:\d\d)?(?!\d)"
_FY_SHORT = r"\d\d\s?/\s?\d\d(?!\d)"
_QUARTER = r"(?:Q|quarter\s*)(?P<q>[1-4])"
_FY_WORDS = r"(?:(?:the\s+)?(?:financial\s+year|FY)\s*)"
_NUM = r"(?:\d{1,3}|" + "|".join(_NUMBER_WORDS) + ")"
_UNIT = r"(?P<unit>day|week|month|year)"
_UNITS = rf"{_UNIT}s?"

_POINTS: dict[str, str] = {
    "iso": rf"(?P<y>{_YEAR})-(?P<m>\d\d)-(?P<d>\d\d)",
    "numeric": rf"(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>{_YEAR})",
    "dmy": rf"(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON}),?\s+(?P<y>{_YEAR})",
    "mdy": rf"(?P<mon>{_MON})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})",
    "fy_quarter": rf"{_QUARTER}\s*,?\s*(?:of\s+|in\s+)?{_FY_WORDS}?(?P<fy>{_FY_PAIR}|{_FY_SHORT})",
    "fy_quarter_after": rf"(?P<fy>{_FY_PAIR})\s*,?\s*{_QUARTER}",
    "year_quarter": rf"{_QUARTER}\s*,?\s*(?:of\s+|in\s+)?(?P<y>{_YEAR})",
    "academic": rf"(?:the\s+)?(?:academic|school)\s+year\s+(?P<fy>{_FY_PAIR})",
    "academic_after": rf"(?P<fy>{_FY_PAIR})\s+(?:academic|school)\s+year",
    "fy_short": rf"(?:financial\s+year|FY)\s*(?P<fy>{_FY_SHORT})",
    "fy": rf"{_FY_WORDS}?(?P<fy>{_FY_PAIR})(?:\s+financial\s+year)?",
    "ambiguous_year": (
        rf"(?:(?:financial|academic|school)\s+year|FY)\s*(?:{_YEAR}|\d\d)(?!\d)"
        rf"|{_YEAR}\s+(?:financial|academic|school)\s+year"
    ),
    "month_year": rf"(?P<mon>{_MON}),?\s+(?P<y>{_YEAR})",
    "year": rf"(?P<y>{_YEAR})",
    "relative_year": r"(?P<rel>last|this|previous|current)\s+(?:(?P<kind>financial|academic|school)\s+)?year",
    "relative_month_unit": r"(?P<rel>last|this|previous|current)\s+month",
    "relative_month": rf"(?P<rel>last|this)\s+(?P<mon>{_MON_FULL}|sept){_NO_NUMBER_NEXT}",
    "bare_month": rf"(?P<mon>{_MON_FULL}){_NO_NUMBER_NEXT}",
}
_STANDALONE = [name for name in _POINTS if name != "bare_month"]
_COMPILED_POINTS = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _POINTS.items()}


def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_P = "(?:" + "|".join(_unnamed(p) for p in _POINTS.values()) + ")"
_A = rf"(?P<a>{_P})"
_B = rf"(?P<b>{_P})"
_START = r"(?<![\w£$€])"
_END = r"(?![\w%£]|[.,]\d)"


# ---------------------------------------------------------------------------------------------------
# Resolving one point


def _month_number(text: str) -> int:
    return _MONTHS[text.strip(". ").lower()[:3]]


def _fy_start(text: str) -> int | None:
    """First year of a consecutive pair such as ``2023/24``, ``2023-2024`` or ``23/24``; else None."""
    parts = re.findall(r"\d+", text)
    first, second = parts[0], parts[1]
    start = int(first) if len(first) == 4 else 2000 + int(first)
    if len(second) == 4:
        return start if int(second) == start + 1 else None
    return start if int(second) == (start + 1) % 100 else None


def _resolve_fy(text: str) -> _Span | None:
    start = _fy_start(text)
    if start is not None:
        return _financial_year(start)
    first, second = (int(n) for n in re.findall(r"\d+", text)[:2])
    dashed = "/" not in text
    if dashed and second >= 1000 and second > first:  # 2021-2023: a run of calendar years
        return _year_span(first)[0], _year_span(second)[1]
    if dashed and second < 100 and re.search(r"\d-\d\d$", text) and 1 <= second <= 12:  # 2024-03
        return _month_span(first, second)
    return None


def _resolve_point(text: str, today: dt.date) -> _Span | None:
    """The span a point phrase names, or None if it is malformed or ambiguous."""
    for name, regex in _COMPILED_POINTS.items():
        m = regex.fullmatch(text.strip())
        if m is not None:
            return _POINT_HANDLERS[name](m, today)
    return None


def _date(year: str, month: int, day: str) -> _Span | None:
    try:
        day_ = dt.date(int(year), month, int(re.sub(r"\D", "", day)))
    except ValueError:
        return None
    return day_, day_


def _day_month_year(m: re.Match[str], _: dt.date) -> _Span | None:
    month = int(m["m"]) if "m" in m.groupdict() else _month_number(m["mon"])
    return _date(m["y"], month, m["d"])


def _fy_quarter(m: re.Match[str], _: dt.date) -> _Span | None:
    text = m["fy"]
    start = _fy_start(text)
    return None if start is None else _financial_quarter(start, int(m["q"]))


def _academic(m: re.Match[str], _: dt.date) -> _Span | None:
    start = _fy_start(m["fy"])
    return None if start is None else _academic_year(start)


def _fy(m: re.Match[str], _: dt.date) -> _Span | None:
    return _resolve_fy(m["fy"])


def _fy_short(m: re.Match[str], _: dt.date) -> _Span | None:
    start = _fy_start(m["fy"])
    return None if start is None else _financial_year(start)


def _relative_year(m: re.Match[str], today: dt.date) -> _Span | None:
    back = m["rel"].lower() in {"last", "previous"}
    kind = (m["kind"] or "").lower()
    if kind == "financial":
        start = _year_starting(today, 4) - back
        span = _financial_year(start)
    elif kind in {"academic", "school"}:
        start = _year_starting(today, 9) - back
        span = _academic_year(start)
    else:
        span = _year_span(today.year - back)
    return (span[0], today) if not back else span


def _relative_month_unit(m: re.Match[str], today: dt.date) -> _Span | None:
    if m["rel"].lower() in {"last", "previous"}:
        last = _shift_months(today, -1)
        return _month_span(last.year, last.month)
    return today.replace(day=1), today


def _relative_month(m: re.Match[str], today: dt.date) -> _Span | None:
    month = _month_number(m["mon"])
    if m["rel"].lower() == "this":
        return _month_span(today.year, month)
    return _latest_month(month, today, include_current=False)


def _bare_month(m: re.Match[str], today: dt.date) -> _Span | None:
    return _latest_month(_month_number(m["mon"]), today, include_current=True)


_PointHandler = Callable[[re.Match[str], dt.date], _Span | None]
_POINT_HANDLERS: dict[str, _PointHandler] = {
    "iso": _day_month_year,
    "numeric": _day_month_year,
    "dmy": _day_month_year,
    "mdy": _day_month_year,
    "fy_quarter": _fy_quarter,
    "fy_quarter_after": _fy_quarter,
    "year_quarter": lambda m, _: _year_span(int(m["y"])),
    "academic": _academic,
    "academic_after": _academic,
    "fy_short": _fy_short,
    "fy": _fy,
    "ambiguous_year": lambda m, _: None,
    "month_year": lambda m, _: _month_span(int(m["y"]), _month_number(m["mon"])),
    "year": lambda m, _: _year_span(int(m["y"])),
    "relative_year": _relative_year,
    "relative_month_unit": _relative_month_unit,
    "relative_month": _relative_month,
    "bare_month": _bare_month,
}


def _bare_month_number(text: str) -> int | None:
    m = _COMPILED_POINTS["bare_month"].fullmatch(text.strip())
    return None if m is None else _month_number(m["mon"])


def _is_verb_not_month(text: str) -> bool:
    """Lower-case bare "may"/"march" are read as verbs, not months."""
    word = text.strip()
    return word.lower() in {"may", "march"} and not word[0].isupper()


# ---------------------------------------------------------------------------------------------------
# Combinators


def _range(m: re.Match[str], today: dt.date) -> _Span | None:
    """``between X and Y`` / ``from X to Y``: a bare month borrows its year from the other end."""
    a_month, b_month = _bare_month_number(m["a"]), _bare_month_number(m["b"])
    b = _resolve_point(m["b"], today)
    if b is None:
        return None
    if a_month is not None and b_month is None:
        year = b[0].year - (a_month > b[0].month)
        a: _Span | None = _month_span(year, a_month)
    else:
        a = _resolve_point(m["a"], today)
        if a is not None and b_month is not None:
            if a_month is not None:  # both bare: the first is the latest such month not after the second
                a = _month_span(b[0].year - (a_month > b_month), a_month)
            else:
                b = _month_span(a[0].year + (b_month < a[0].month), b_month)
    if a is None or a[0] > b[1]:
        return None
    return a[0], b[1]


def _since(m: re.Match[str], today: dt.date) -> _Span | None:
    a = _resolve_point(m["a"], today)
    return None if a is None or a[0] > today else (a[0], today)


def _after(m: re.Match[str], today: dt.date) -> _Span | None:
    a = _resolve_point(m["a"], today)
    if a is None or a[1] >= today:
        return None
    return a[1] + dt.timedelta(days=1), today


def _before(m: re.Match[str], today: dt.date) -> _Span | None:
    a = _resolve_point(m["a"], today)
    return None if a is None else (OPEN_START, a[0] - dt.timedelta(days=1))


def _until(m: re.Match[str], today: dt.date) -> _Span | None:
    a = _resolve_point(m["a"], today)
    return None if a is None else (OPEN_START, a[1])


def _year_ending(m: re.Match[str], today: dt.date) -> _Span | None:
    a = _resolve_point(m["a"], today)
    if a is None:
        return None
    return _shift_months(a[1], -12) + dt.timedelta(days=1), a[1]


def _in_point(m: re.Match[str], today: dt.date) -> _Span | None:
    return _resolve_point(m["a"], today)


def _rolling(m: re.Match[str], today: dt.date) -> _Span | None:
    raw = (m.groupdict().get("n") or "1").lower()
    n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
    if n == 0:
        return None
    unit = m["unit"].lower()
    if unit == "day":
        start = today - dt.timedelta(days=n)
    elif unit == "week":
        start = today - dt.timedelta(weeks=n)
    else:
        start = _shift_months(today, -n * (12 if unit == "year" else 1))
    return start, today


_Handler = Callable[[re.Match[str], dt.date], _Span | None]


_COMBINATORS: list[tuple[str, _Handler]] = [
    (rf"since\s+(?:the\s+(?:start|beginning)\s+of\s+)?{_A}", _since),
    (rf"since\s+(?:[a-z'’]+\s+){{1,5}}?(?:in|on|of|dated|from)\s+{_A}", _since),
    (rf"(?:(?:after|later\s+than)\s+|post-){_A}", _after),
    (rf"(?:(?:before|prior\s+to|earlier\s+than)\s+|pre-){_A}", _before),
    (rf"(?:until|till|up\s+(?:to|until)|by)\s+(?:the\s+end\s+of\s+)?{_A}", _until),
    (rf"(?:from\s+|since\s+)?{_A}\s+(?:to|until|till)\s+(?:now|today|date|the\s+present(?:\s+day)?)", _since),
    (rf"between\s+{_A}\s+(?:and|&|to|-|–)\s+{_B}", _range),
    (rf"from\s+{_A}\s*(?:to|until|till|through|-|–)\s*{_B}", _range),
    (rf"{_A}\s+(?:to|until|till|through)\s+{_B}", _range),
    (rf"(?:the\s+)?(?:year|12\s+months|twelve\s+months)\s+(?:ending|ended|to)\s+{_A}", _year_ending),
    (rf"(?:in|during|throughout|over|for)\s+(?P<a>{_unnamed(_POINTS['bare_month'])})", _in_point),
    # Rolling periods.  Without a number the unit must be singular ("the past year", not "past years").
    (rf"the\s+(?:last|past|previous)\s+(?P<n>{_NUM})\s+{_UNITS}", _rolling),
    (rf"the\s+(?:last|past|previous)\s+{_UNIT}", _rolling),
    (rf"past\s+(?P<n>{_NUM})\s+{_UNITS}", _rolling),
    (rf"past\s+{_UNIT}", _rolling),
    (rf"(?:last|previous)\s+(?P<n>{_NUM})\s+{_UNITS}", _rolling),
]


def _build() -> list[tuple[re.Pattern[str], _Handler]]:
    patterns: list[tuple[re.Pattern[str], _Handler]] = []
    for source, handler in _COMBINATORS:
        patterns.append((re.compile(_START + f"(?:{source})" + _END, re.IGNORECASE), handler))
    for name in _STANDALONE:
        source = _POINTS[name]
        patterns.append((re.compile(_START + f"(?:{source})" + _END, re.IGNORECASE), _POINT_HANDLERS[name]))
    return patterns


_PATTERNS = _build()


# ---------------------------------------------------------------------------------------------------
# Scanning


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    priority: int
    span: _Span | None  # None: a date phrase that is malformed or ambiguous


def _candidates(question: str, today: dt.date) -> list[_Candidate]:
    found: list[_Candidate] = []
    for priority, (regex, handler) in enumerate(_PATTERNS):
        for m in regex.finditer(question):
            groups = m.groupdict()
            if any(groups.get(g) and _is_verb_not_month(groups[g]) for g in ("a", "b")):
                continue
            found.append(_Candidate(m.start(), m.end(), priority, handler(m, today)))
    return found


def _choose(candidates: list[_Candidate]) -> list[_Candidate]:
    """Longest phrases first; a phrase overlapping one already chosen is dropped."""
    chosen: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.start - c.end, c.start, c.priority)):
        if all(cand.end <= other.start or cand.start >= other.end for other in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


def parse_period(question: str, today: dt.date) -> Period | None:
    """The period ``question`` is about, or None if it names none (or names one unclearly)."""
    chosen = _choose(_candidates(question, today))
    if not chosen:
        return None
    spans = [c.span for c in chosen]
    if any(span is None for span in spans):
        return None
    starts = [span[0] for span in spans if span is not None]
    ends = [span[1] for span in spans if span is not None]
    start, end = min(starts), max(ends)
    if start > end:
        return None
    return Period(start=start, end=end, text=question[chosen[0].start : chosen[-1].end])


# With a reference day this far ahead nothing fails for being in the future.
_FAR_FUTURE = dt.date(9000, 1, 1)


def names_period(question: str) -> bool:
    """Whether ``question`` names a period ``parse_period`` can read, whatever today is."""
    return parse_period(question, _FAR_FUTURE) is not None
