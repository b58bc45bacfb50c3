"""One measure over time or across councils: "how have complaint numbers changed?", "has the rating changed
since 2021?", "did Bexley or Bury receive more complaints?".

The measure's kind comes from the question's focus (a count, a percentage, a sum, an Ofsted grade); each
period's value is the best span of that kind standing by the focus in a sentence about that period (the
financial year or year the sentence names, else its paper's date). Any arithmetic — a difference, a change
between the first and last values — is done here, in code, and shown as calculated.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from assistant.candidates import Candidate
from assistant.nlp import parse_many
from assistant.question import AnswerType, QuestionAnalysis, financial_years, lexicon
from assistant.shortanswer import SHORTLIST, relation_terms, span_relation
from assistant.spans import TypedSpan, typed_spans
from assistant.verify import stem
from vectorstore.passage import Passage

_MEASURES = (AnswerType.JUDGEMENT, AnswerType.PERCENTAGE, AnswerType.MONEY, AnswerType.NUMBER)
_MORE_LESS = frozenset(
    {
        "more",
        "fewer",
        "less",
        "higher",
        "lower",
        "most",
        "least",
        "increase",
        "decrease",
        "up",
        "down",
        "faster",
        "slower",
    }
)


@dataclass
class Value:
    period: str  # "2022/23", "2021"
    sort_key: int  # for chronological order
    span: TypedSpan
    candidate: Candidate
    score: float


def measure_type(analysis: QuestionAnalysis) -> AnswerType | None:
    """The kind of value a change or comparison question compares, or None when it asks for an account."""
    if analysis.answer_type in _MEASURES:
        return analysis.answer_type
    lex = lexicon()
    focus = analysis.focus
    if focus is not None:
        for kind in _MEASURES:
            if lex.has(kind.value, focus.core or focus.head):
                return kind
        if focus.head in {"number", "figure", "total", "count"}:
            return AnswerType.NUMBER
    words = {w.strip("?,.").lower() for w in analysis.text.split()}
    if words & _MORE_LESS:
        return AnswerType.NUMBER
    return None


def over_time(
    analysis: QuestionAnalysis,
    kind: AnswerType,
    candidates: Sequence[Candidate],
    passages: Sequence[Passage],
    allowed: Callable[[Candidate], bool] | None = None,
) -> list[Value]:
    """The best value of `kind` for each period the papers give, oldest first (only the periods asked, when
    the question names some)."""
    if not candidates:
        return []
    parse_many(
        [c.sentence for c in candidates[: SHORTLIST * 2]], lemmas=True
    )  # one batch; the privacy check reuses it
    shown = [c for c in candidates[: SHORTLIST * 2] if allowed is None or allowed(c)]
    if not shown:
        return []
    top = max(c.score for c in shown)  # the best sentence that may be shown (one naming a person may not)
    pool = [c for c in shown if c.score >= 0.6 * top] or shown[:1]
    asked_values = {s.value for s in typed_spans(analysis.text)}
    # a count, sum or share must qualify the focus itself ("118 complaints"); a grade may stand a step away
    min_relation = 0.5 if kind == AnswerType.JUDGEMENT else 0.9
    best_lexical = max(c.context for c in pool)
    docs = parse_many([c.sentence for c in pool])
    part = replace(analysis.parts[0], answer_type=kind)
    terms = relation_terms(part)
    if (
        kind == AnswerType.JUDGEMENT
    ):  # a grade stands by "judged", "rated", "effectiveness" as much as the focus
        terms = terms | {stem(w) for w in lexicon().classes["judgement_context"]}
    asked_fy = set(analysis.financial_years)
    low, high = (min(analysis.years), max(analysis.years)) if analysis.years else (0, 9999)
    if len(analysis.years) == 1:
        high = 9999  # "since 2021": from then on
    options: dict[str, list[Value]] = {}
    for cand, doc in zip(pool, docs, strict=True):
        if cand.context < 0.7 * best_lexical:
            continue  # a figure from a sentence about something else
        spans = [s for s in typed_spans(cand.sentence, doc) if s.kind == kind]
        for span in spans:
            if span.value in asked_values:
                continue
            relation = span_relation(doc, span, terms, cand.sentence)
            if relation < min_relation:
                continue
            period, key = _period(cand.sentence, span, passages[cand.passage_index])
            if not period:
                continue
            if asked_fy and len(asked_fy) > 1 and period not in asked_fy:
                continue
            if not low <= key <= high:
                continue
            options.setdefault(period, []).append(Value(period, key, span, cand, cand.score * relation))
    values = sorted(_one_measure(options, passages).values(), key=lambda v: v.sort_key)
    recent = _LAST_N.search(analysis.text)
    if recent:
        n = (
            _COUNT_WORDS.get(recent.group(1).lower()) or int(recent.group(1))
            if recent.group(1).isdigit() or recent.group(1).lower() in _COUNT_WORDS
            else 0
        )
        if n:
            values = values[-n:]
    return values


def _one_measure(options: dict[str, list[Value]], passages: Sequence[Passage]) -> dict[str, Value]:
    """The value for each period, keeping to one measure: where the best value of a period comes from another
    source than most periods' (an ombudsman's count of the complaints it investigated among a council's own
    annual counts), a value from the common source that scores nearly as well is taken instead."""
    best = {period: max(vals, key=lambda v: v.score) for period, vals in options.items()}

    def source(v: Value) -> str:
        passage = passages[v.candidate.passage_index]
        return passage.body or passage.doc_type

    counts = Counter(source(v) for v in best.values())
    if len(best) < 3 or not counts:
        return best
    common, n = counts.most_common(1)[0]
    if n < 2:
        return best
    for period, vals in options.items():
        if source(best[period]) == common:
            continue
        same = [v for v in vals if source(v) == common and v.score >= _SAME_MEASURE * best[period].score]
        if same:
            best[period] = max(same, key=lambda v: v.score)
    return best


_SAME_MEASURE = 0.85  # how much a value of the common source may score below the best and still be taken

_LAST_N = re.compile(
    r"\b(?:last|past|previous)\s+(\w+)\s+(?:financial\s+)?(?:years|reports|inspections)\b", re.I
)
_COUNT_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


_YEARISH = re.compile(r"\b(?:19|20)\d\d\b")


def _period(sentence: str, span: TypedSpan, passage: Passage) -> tuple[str, int]:
    """The period a value is for: the financial year the sentence names, else its year, else its section's
    ("2024-2025 Complaints"), else the paper's date."""
    outside = sentence[: span.start] + " " + sentence[span.end :]
    for text in (outside, passage.section):
        fys = sorted(financial_years(text))
        if fys:
            return fys[0], int(fys[0][:4])
        years = [y for y in _YEARISH.findall(text)]
        if years:
            return years[-1], int(years[-1])
    if passage.date:
        return str(passage.date.year), passage.date.year
    return "", 0


def number(span: TypedSpan) -> Decimal | None:
    try:
        return Decimal(span.value)
    except (InvalidOperation, ValueError):
        return None


def change_note(values: Sequence[Value], kind: AnswerType) -> str:
    """ "Calculated: from 118 (2022/23) to 135 (2024/25), up 17." — or the grades' sequence."""
    if len(values) < 2:
        return ""
    first, last = values[0], values[-1]
    if kind == AnswerType.JUDGEMENT:
        if first.span.value == last.span.value:
            return f"The judgement was the same in {first.period} and {last.period}: {last.span.text}."
        return f"The judgement changed from {first.span.text} ({first.period}) to {last.span.text} ({last.period})."
    a, b = number(first.span), number(last.span)
    if a is None or b is None:
        return ""
    diff = b - a
    unit = " percentage points" if kind == AnswerType.PERCENTAGE else ""
    if diff == 0:
        return f"Calculated from the papers: the same ({_fmt(a)}) in {first.period} and {last.period}."
    direction = "up" if diff > 0 else "down"
    return (
        f"Calculated from the papers: from {_fmt(a)} ({first.period}) to {_fmt(b)} ({last.period}), "
        f"{direction} {_fmt(abs(diff))}{unit}."
    )


def compare_note(values: Sequence[tuple[str, TypedSpan]], kind: AnswerType) -> str:
    """ "Calculated from the papers: Bury 118, Bexley 90 — Bury 28 more." for two or more numeric values."""
    nums = [(name, number(span)) for name, span in values]
    if kind == AnswerType.JUDGEMENT or len(nums) < 2 or any(n is None for _, n in nums):
        return ""
    ordered = sorted(nums, key=lambda x: x[1], reverse=True)  # type: ignore[arg-type, return-value]
    (top, a), (_, b) = ordered[0], ordered[1]
    assert a is not None and b is not None
    listing = ", ".join(f"{name} {_fmt(n)}" for name, n in nums if n is not None)
    if a == b:
        return f"Calculated from the papers: {listing} — the same."
    unit = " percentage points" if kind == AnswerType.PERCENTAGE else ""
    return f"Calculated from the papers: {listing} — {top} is higher by {_fmt(a - b)}{unit}."


def _fmt(n: Decimal) -> str:
    text = format(n.normalize(), "f")
    return f"{int(n):,}" if n == n.to_integral_value() else text
