"""Deterministic inspection-cycle arithmetic, so the answerer never guesses dates.

Ofsted's ILACS framework: a local authority has a standard (or short) inspection usually every three years,
give or take six months, counted from its last one. Month precision: an inspection in June 2025 puts the next
between December 2027 and December 2028.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.facts import FactKind, fact_spans, strip_html
from assistant.sentences import sentence_spans
from vectorstore.passage import Passage

STANDARD_INTERVAL_MONTHS = 36
TOLERANCE_MONTHS = 6
_LOOKBACK_CHARS = 90  # how far before a date the word naming its event may be
_LOOKAHEAD_CHARS = 60


@dataclass(frozen=True)
class Window:
    start: dt.date  # first day of the first month
    end: dt.date  # last day of the last month
    text: str  # "December 2027 to December 2028"


def _year_month(value: dt.date | tuple[int, int]) -> tuple[int, int]:
    year, month = (value.year, value.month) if isinstance(value, dt.date) else value
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, got {month}")
    if not 1 <= year <= 9999:
        raise ValueError(f"year out of range: {year}")
    return year, month


def add_months(value: dt.date | tuple[int, int], months: int) -> tuple[int, int]:
    """(year, month) `months` after (or before, if negative) the month of `value`."""
    year, month = _year_month(value)
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (earlier, if negative), or that month's last day if it is shorter."""
    year, month = add_months(day, months)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def format_month(value: dt.date | tuple[int, int]) -> str:
    """ "December 2027"."""
    year, month = _year_month(value)
    return f"{calendar.month_name[month]} {year}"


def next_standard_inspection_window(
    last_inspection: dt.date | tuple[int, int],
    interval_months: int = STANDARD_INTERVAL_MONTHS,
    tolerance_months: int = TOLERANCE_MONTHS,
) -> Window:
    """When the next standard inspection is due: `interval_months` after the month of the last one, plus or
    minus `tolerance_months`. `last_inspection` is a date or (year, month)."""
    if interval_months < 0 or tolerance_months < 0:
        raise ValueError("interval and tolerance must not be negative")
    first = add_months(last_inspection, interval_months - tolerance_months)
    last = add_months(last_inspection, interval_months + tolerance_months)
    start = dt.date(first[0], first[1], 1)
    end = dt.date(last[0], last[1], calendar.monthrange(*last)[1])
    return Window(start, end, f"{format_month(first)} to {format_month(last)}")


# ----------------------------------------------------------------------------------------------------
# Finding the last inspection in the papers
# ----------------------------------------------------------------------------------------------------

_INSPECTION = re.compile(r"\b(?:inspect(?:ion|ions|ed|ing|ors?)|ILACS)\b", re.IGNORECASE)
# Events whose dates are not the standard inspection, and words that make a date a future one.
_OTHER_EVENT = re.compile(
    r"\b(?:focused\s+visits?|monitoring\s+visits?|visits?|joint\s+targeted|JTAI|area\s+SEND|SEND\s+(?:area\s+)?"
    r"inspection|next|due|expected|expect|anticipated?|will|would|upcoming|forthcoming|future|window|"
    r"planned|scheduled|prepar\w*|self-?assessment|annual\s+conversation|peer\s+review|"
    r"improvement\s+plan|action\s+plan|report(?:ed)?\s+to|cabinet|committee|meeting|met|meets|published|after|"
    r"following|since)\b",
    re.IGNORECASE,
)
# Inspections of a single setting or another service, unless the sentence is plainly about ILACS.
_OTHER_INSPECTION = re.compile(
    r"\b(?:children['’]?s\s+homes?|residential|fostering\s+(?:agency|service)|adoption\s+(?:agency|service)|"
    r"schools?|nurser(?:y|ies)|academy|college|secure\s+(?:children['’]?s\s+)?home|youth\s+justice|HMIP|"
    r"probation|CQC|care\s+quality|JTAI|joint\s+targeted|area\s+SEND|SEND\s+(?:area\s+)?inspection)\b",
    re.IGNORECASE,
)
_ILACS = re.compile(
    r"\b(?:ILACS|inspection\s+of\s+local\s+authority\s+children['’]?s\s+services|standard\s+inspection|"
    r"short\s+inspection|overall\s+effectiveness|children['’]?s\s+services\s+inspection)\b",
    re.IGNORECASE,
)
_MONTH_PRECISION = {FactKind.DATE, FactKind.MONTH_YEAR}


def _nearest_event(text: str, start: int, end: int) -> str | None:
    """The kind of event a date at [start, end) belongs to: "inspection", "other" or None (no clue nearby).
    The nearest clue before the date wins; failing that, the nearest after it."""
    before = text[max(0, start - _LOOKBACK_CHARS) : start]
    clues = [(m.end(), "inspection") for m in _INSPECTION.finditer(before)]
    clues += [(m.end(), "other") for m in _OTHER_EVENT.finditer(before)]
    if clues:
        return max(clues)[1]
    after = text[end : end + _LOOKAHEAD_CHARS]
    ahead = [(m.start(), "inspection") for m in _INSPECTION.finditer(after)]
    ahead += [(m.start(), "other") for m in _OTHER_EVENT.finditer(after)]
    return min(ahead)[1] if ahead else None


def inspection_dates(text: str) -> list[dt.date]:
    """Dates (month precision at least) that `text` gives for a past inspection of children's services.
    A range gives its first day; a month gives its first day."""
    clean = strip_html(text)
    found: dict[tuple[int, int], dt.date] = {}
    for s_start, s_end in sentence_spans(clean):
        sentence = clean[s_start:s_end]
        if not _INSPECTION.search(sentence):
            continue
        if _OTHER_INSPECTION.search(sentence) and not _ILACS.search(sentence):
            continue
        for start, end, fact in fact_spans(sentence):
            if fact.kind not in _MONTH_PRECISION:
                continue
            if _nearest_event(sentence, start, end) != "inspection":
                continue
            parts = [int(p) for p in fact.value.split("-")]
            when = dt.date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
            key = (s_start + start, s_start + end)  # both ends of a range share one span: keep the first day
            found[key] = min(when, found.get(key, when))
    return list(found.values())


def extract_last_inspection(passages: Iterable[Passage]) -> tuple[dt.date, Passage] | None:
    """The most recent past inspection of children's services stated in the passages, with the passage that
    states it; None when no passage gives one to the month. A date after the passage's own date is a plan,
    not an inspection, and is ignored."""
    best: tuple[dt.date, Passage] | None = None
    for passage in passages:
        for when in inspection_dates(passage.text):
            if passage.date is not None and when > passage.date:
                continue
            if best is None or when > best[0]:
                best = (when, passage)
    return best
