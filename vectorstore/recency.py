"""Date-aware re-ranking, and spotting figures that a later paper has superseded.

``apply_recency`` multiplies each passage's score by a factor (recorded as ``scores["recency"]``):

* No period named: ``1 + weight * 2 ** (-age_days / half_life_days)``, so a paper dated today gets
  ``1 + weight`` and one ``half_life_days`` old gets ``1 + weight / 2``: when several papers answer, the newer
  ranks higher.  Undated passages get ``1``; ones dated after ``today`` count as age 0.
* A period named: ``1 + period_weight`` for a paper dated inside the period; ``1 - period_weight`` for one dated
  before the period starts (it cannot report on it); ``1`` (neutral) for one dated after it ends, because papers
  reporting on a period (annual complaints reports, minutes, inspection summaries) come out after it, often
  years after.  Then, whatever its date, a passage whose text or title *names* the period ("2022/23", "2022-23",
  "2022/2023", "April 2022 to March 2023" for that financial year; "September 2025" for that month; the year
  for a calendar year) is multiplied by ``1 + mention_weight``.  Undated passages get only the mention factor.
  Nothing is removed.

A negative score is divided by the factor instead, so a boost always moves a passage up.

``superseded`` is a heuristic for "the same measure, different figures, in papers of different dates":
for each measure in ``MEASURES`` it collects the values (numbers, judgement words or dates, depending
on the measure) in the sentences of a passage that mention the measure, ignoring years, stage and
quarter numbers and the days of dates.  Two passages of the same council with different dates and
different non-empty value sets for a measure give an ``(older, newer, measure)`` tuple.  It does not
understand which figure relates to which sub-group, so it flags for a human (or the answer prompt) to
check; it does not decide.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from vectorstore.passage import Passage
from vectorstore.querydates import OPEN_START, Period

__all__ = [
    "MEASURES",
    "Measure",
    "apply_recency",
    "measure_values",
    "mentions_period",
    "period_pattern",
    "recency_factor",
    "superseded",
]


def _check(half_life_days: float, *weights: float) -> None:
    if not (math.isfinite(half_life_days) and half_life_days > 0):
        raise ValueError(f"half_life_days must be > 0, got {half_life_days!r}")
    for weight in weights:
        if not (math.isfinite(weight) and 0 <= weight < 1):
            raise ValueError(f"weights must be in [0, 1), got {weight!r}")


def recency_factor(
    day: dt.date | None,
    period: Period | None,
    today: dt.date,
    half_life_days: float = 730.0,
    weight: float = 0.15,
    *,
    period_weight: float | None = None,
    mentions: bool = False,
    mention_weight: float = 0.3,
) -> float:
    """The multiplier ``apply_recency`` uses for a passage dated ``day`` (``mentions``: it names ``period``).

    ``period_weight`` defaults to ``weight``.
    """
    if period is None:
        if day is None:
            return 1.0
        age = max(0, (today - day).days)
        return 1.0 + weight * 2.0 ** (-age / half_life_days)
    inside = weight if period_weight is None else period_weight
    factor = 1.0
    if day is not None and day < period.start:
        factor = 1.0 - inside
    elif day is not None and day <= period.end:
        factor = 1.0 + inside
    return factor * (1.0 + mention_weight) if mentions else factor


def apply_recency(
    passages: Iterable[Passage],
    period: Period | None,
    today: dt.date,
    half_life_days: float = 730.0,
    weight: float = 0.15,
    *,
    period_weight: float | None = None,
    mention_weight: float = 0.3,
) -> list[Passage]:
    """Copies of ``passages`` with date-adjusted scores, best first (ties keep input order)."""
    _check(half_life_days, weight, weight if period_weight is None else period_weight)
    if not (math.isfinite(mention_weight) and mention_weight >= 0):
        raise ValueError(f"mention_weight must be >= 0, got {mention_weight!r}")
    adjusted: list[Passage] = []
    for passage in passages:
        named = (
            period is not None
            and mention_weight > 0
            and mentions_period(f"{passage.title}\n{passage.text}", period)
        )
        factor = recency_factor(
            passage.date,
            period,
            today,
            half_life_days,
            weight,
            period_weight=period_weight,
            mentions=named,
            mention_weight=mention_weight,
        )
        score = passage.score * factor if passage.score >= 0 else passage.score / factor
        scores = {**passage.scores, "recency": factor}
        adjusted.append(dataclasses.replace(passage, score=score, scores=scores))
    return sorted(adjusted, key=lambda p: -p.score)


# ---------------------------------------------------------------------------------------------------
# Does a passage name the period asked about?

_MONTH_NAMES = [m.lower() for m in calendar.month_name]
_DASH = r"\s?[/\-‐–]\s?"


def _month_words(month: int) -> str:
    full = _MONTH_NAMES[month]
    short = full[:3] + ("t?" if month == 9 else "")
    return f"(?:{full}|{short}\\.?)"


def _year_pair(first: int) -> str:
    """2022/23, 2022-23, 2022 - 2023, 2022/2023 (not 2022/24, not 12022/23)."""
    second = first + 1
    return f"{first}{_DASH}(?:{second}|{second % 100:02d})(?!\\d)"


def _span_words(start: dt.date, end: dt.date) -> str:
    """'April 2022 to March 2023', 'Apr 2022 - Mar 2023'."""
    return (
        f"{_month_words(start.month)}\\s+{start.year}\\s*(?:to|until|-|–|—)\\s*"
        f"{_month_words(end.month)}\\s+{end.year}"
    )


@lru_cache(maxsize=256)
def period_pattern(period: Period) -> re.Pattern[str] | None:
    """A pattern for the ways papers name ``period``; None for periods with no name of their own
    (open-ended or rolling ones, "since June 2025", "the last 12 months")."""
    start, end = period.start, period.end
    if start == OPEN_START:
        return None
    last_day = calendar.monthrange(end.year, end.month)[1]
    whole_months = start.day == 1 and end.day == last_day
    alternatives: list[str] = []
    if whole_months and end.year == start.year + 1 and (start.month, end.month) in {(4, 3), (9, 8)}:
        alternatives += [_year_pair(start.year), _span_words(start, end)]  # financial or academic year
    elif whole_months and (start.month, end.month) == (1, 12) and end.year - start.year <= 5:
        alternatives += [f"(?<![\\d/-]){y}(?![\\d])" for y in range(start.year, end.year + 1)]
    elif whole_months and start.year == end.year and start.month == end.month:
        alternatives.append(f"{_month_words(start.month)},?\\s+{start.year}")
    elif start == end:
        day, month = start.day, _month_words(start.month)
        alternatives += [
            f"(?<!\\d){day}(?:st|nd|rd|th)?\\s+(?:of\\s+)?{month},?\\s+{start.year}",
            f"{month}\\s+{day}(?:st|nd|rd|th)?,?\\s+{start.year}",
            f"{start.isoformat()}",
            f"(?<!\\d)0?{day}/0?{start.month}/{start.year}",
        ]
    elif whole_months and (end - start).days <= 370 * 5:
        # a run of months or quarters: name either end month
        alternatives += [f"{_month_words(d.month)},?\\s+{d.year}" for d in (start, end)]
    if not alternatives:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")", re.IGNORECASE)


def mentions_period(text: str, period: Period) -> bool:
    """Whether ``text`` names ``period`` in one of the usual ways (see ``period_pattern``)."""
    pattern = period_pattern(period)
    return bool(pattern and pattern.search(text))


# ---------------------------------------------------------------------------------------------------
# Superseded figures

ValueKind = Literal["number", "judgement", "date"]


@dataclass(frozen=True)
class Measure:
    name: str
    pattern: re.Pattern[str]
    kinds: tuple[ValueKind, ...] = ("number",)


def _measure(name: str, pattern: str, *kinds: ValueKind) -> Measure:
    return Measure(name, re.compile(pattern, re.IGNORECASE), kinds or ("number",))


MEASURES: tuple[Measure, ...] = (
    _measure("overall judgement", r"\boverall\s+(?:judge?ments?|effectiveness)\b", "judgement"),
    _measure("inspection window", r"\binspection\s+window\b", "date", "number"),
    _measure("complaints", r"\bcomplaints?\b"),
    _measure("ombudsman decisions", r"\b(?:ombudsman|LGSCO)\b"),
    _measure("EHCP timeliness", r"\b(?:within\s+)?(?:20|twenty)[\s-]weeks?\b"),
    _measure("children looked after", r"\b(?:children\s+looked\s+after|looked[\s-]after\s+children|CLA)\b"),
    _measure("child protection plans", r"\b(?:child\s+protection|CP)\s+plans?\b"),
    _measure("caseloads", r"\bcaseloads?\b"),
    _measure("agency social workers", r"\bagency\s+(?:social\s+workers?|workers?|staff)\b"),
    _measure("vacancies", r"\bvacanc(?:y|ies)\b"),
    _measure("re-referrals", r"\bre-?referrals?\b"),
    _measure("overspend", r"\b(?:overspend|overspent|deficit)\b"),
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+")
_NUMBER = re.compile(
    r"(?<![\w/£.])(?P<pound>£\s?)?(?P<num>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s?(?P<unit>%|per\s?cent|million|billion|bn|m|k)(?!\w))?(?![\w/%]|\.\d)",
    re.IGNORECASE,
)
_NOT_A_FIGURE_BEFORE = re.compile(
    r"\b(?:stage|q|quarter|section|para(?:graph)?|page|appendix|item|part|phase|tier|level|year|"
    r"key\s+stage|ks|week|recommendation|annex|table|figure|no\.?)\s*$",
    re.IGNORECASE,
)
_MONTH_AFTER = re.compile(rf"^\s*(?:st|nd|rd|th)?\s*(?:of\s+)?{_MONTH}\b", re.IGNORECASE)
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}\.?\s*$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:199\d|20\d\d)$")
_DATE = re.compile(rf"\b(?:{_MONTH}\s+)?(?:199\d|20\d\d)(?:\s?[/-]\s?\d\d(?!\d))?\b", re.IGNORECASE)
_JUDGEMENT = re.compile(
    r"\b(?:requires?\s+improvement(?:\s+to\s+be\s+good)?|outstanding|inadequate|good)\b", re.IGNORECASE
)
_UNITS = {"per cent": "%", "percent": "%", "million": "m", "billion": "bn"}


def _numbers(sentence: str) -> set[str]:
    found: set[str] = set()
    for m in _NUMBER.finditer(sentence):
        num = m["num"].replace(",", "").rstrip(".")
        unit = _UNITS.get(re.sub(r"\s+", " ", (m["unit"] or "").lower()), (m["unit"] or "").lower())
        if not m["pound"] and not unit and _YEAR.match(num):
            continue
        before, after = sentence[: m.start()], sentence[m.end() :]
        if _NOT_A_FIGURE_BEFORE.search(before) or _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after):
            continue
        found.add(f"{'£' if m['pound'] else ''}{num}{unit}")
    return found


def _dates(sentence: str) -> set[str]:
    return {re.sub(r"\s+", " ", m.group(0).lower()) for m in _DATE.finditer(sentence)}


def _judgements(sentence: str) -> set[str]:
    found: set[str] = set()
    for m in _JUDGEMENT.finditer(sentence):
        word = m.group(0).lower()
        found.add("requires improvement" if word.startswith("require") else word)
    return found


_EXTRACTORS = {"number": _numbers, "date": _dates, "judgement": _judgements}


def measure_values(text: str, measure: Measure) -> frozenset[str]:
    """Normalised values reported alongside ``measure`` in ``text`` (empty if it is not mentioned)."""
    values: set[str] = set()
    for sentence in _SENTENCE_BREAK.split(text):
        if not measure.pattern.search(sentence):
            continue
        rest = measure.pattern.sub(" ", sentence)  # the measure's own numbers ("20 weeks") are not values
        for kind in measure.kinds:
            values |= _EXTRACTORS[kind](rest)
    return frozenset(values)


def superseded(
    passages: Iterable[Passage], measures: Iterable[Measure] = MEASURES
) -> list[tuple[Passage, Passage, str]]:
    """``(older, newer, measure)`` for each pair of dated passages reporting a measure differently.

    Pairs come in input order (older/newer by date); passages from different councils, from the same
    document or with the same date are never paired.
    """
    items = [(p, p.date) for p in passages if p.date is not None]
    measure_list = list(measures)
    values = [[measure_values(p.text, m) for m in measure_list] for p, _ in items]
    found: list[tuple[Passage, Passage, str]] = []
    for i, (first, first_date) in enumerate(items):
        for j in range(i + 1, len(items)):
            second, second_date = items[j]
            if first.council != second.council or first.doc_id == second.doc_id:
                continue
            if first_date == second_date:
                continue
            older, newer = (first, second) if first_date < second_date else (second, first)
            for index, measure in enumerate(measure_list):
                a, b = values[i][index], values[j][index]
                if a and b and a != b:
                    found.append((older, newer, measure.name))
    return found
