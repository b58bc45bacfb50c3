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

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from vectorstore.date_phrases import (
    _A,
    _B,
    _COMPILED_POINTS,
    _END,
    _NUM,
    _POINTS,
    _STANDALONE,
    _START,
    _UNIT,
    _UNITS,
    _unnamed,
)
from vectorstore.periods import (
    _MONTHS,
    _NUMBER_WORDS,
    OPEN_START,
    Period,
    _academic_year,
    _financial_quarter,
    _financial_year,
    _latest_month,
    _month_span,
    _shift_months,
    _Span,
    _year_span,
    _year_starting,
)

__all__ = ["OPEN_START", "Period", "names_period", "parse_period", "stated_periods"]

# ---------------------------------------------------------------------------------------------------
# Patterns.  Point patterns name one stretch of time; each carries named groups for its handler and
# is also used, with the names stripped, inside the combinator patterns ("since X", "between X and Y").


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
    # "after the 2018 inspection", "following its 2019 Ofsted": from the event's year (it may be late in it) on
    (
        rf"(?:after|since|following)\s+(?:the\s+|its\s+|their\s+)?{_A}\s+(?:[a-z-]+\s+){{0,2}}?"
        r"(?:inspection|inspections|visit|report|judgement|judgment|rating|review|ofsted|ilacs)\b",
        _since,
    ),
    (rf"(?:(?:after|later\s+than)\s+|post-){_A}", _after),
    (rf"(?:(?:before|prior\s+to|earlier\s+than)\s+|pre-){_A}", _before),
    (rf"(?:until|till|up\s+(?:to|until)|by)\s+(?:the\s+end\s+of\s+)?{_A}", _until),
    (rf"(?:from\s+|since\s+)?{_A}\s+(?:to|until|till)\s+(?:now|today|date|the\s+present(?:\s+day)?)", _since),
    # "from 2019 to the improvement notice being lifted": to an event the question names, not a date
    (
        rf"from\s+{_A}\s+(?:to|until|till)"
        r"(?=\s+(?:the|its|their|when)\s)(?!\s+the\s+(?:end|start|beginning|middle|close)\b)",
        _since,
    ),
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


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def stated_periods(text: str, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The stretches of time a sentence names with their year written ("between April 2018 and March 2019",
    "in 2019/20", "on 5 March 2021"), each as (first day, last day); phrases without a year ("this year") are
    left out, as they depend on when the sentence was written."""
    chosen = _choose(_candidates(text, today))
    return [c.span for c in chosen if c.span is not None and _YEAR.search(text[c.start : c.end])]


# With a reference day this far ahead nothing fails for being in the future.
_FAR_FUTURE = dt.date(9000, 1, 1)


def names_period(question: str) -> bool:
    """Whether ``question`` names a period ``parse_period`` can read, whatever today is."""
    return parse_period(question, _FAR_FUTURE) is not None
