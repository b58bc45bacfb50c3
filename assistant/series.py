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
from typing import Any

from assistant.candidates import Candidate
from assistant.nlp import parse_many
from assistant.question import (
    AnswerType,
    Focus,
    Mention,
    QuestionAnalysis,
    lexicon,
    period_mentions,
    periods_asked,
)
from assistant.scope import place_of
from assistant.shortanswer import SHORTLIST, first_date, relation_terms, span_relation
from assistant.spans import TypedSpan, in_a_law_name, typed_spans
from assistant.text_grades import areas_named, paired_grades, several_grades
from assistant.verify import content_words, stem
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


_SPEED = frozenset({"faster", "slower", "quicker", "sooner", "longer", "shorter"})


@dataclass
class Value:
    period: str  # "2022/23", "2021"
    sort_key: float  # for chronological order (an undated paper's "after 2018" comes between 2018 and 2019)
    span: TypedSpan
    candidate: Candidate
    score: float
    stated: bool = True  # the period is named in the sentence or its section, not taken from the paper's date


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
    words = set(re.findall(r"[a-z]+", analysis.text.lower()))  # "Ofsted's" -> "ofsted", "s"
    if words & _SPEED:  # "answering faster": how long it takes
        return AnswerType.DURATION
    if words & _MORE_LESS:
        return AnswerType.NUMBER
    context = lex.classes["judgement_context"] | lex.classes["grade_words"]  # "has it always been good?"
    if analysis.change and words & context and _graded(words, focus):
        # what changes over time in an inspection's terms ("Ofsted's view", "its Ofsted results") is the grade
        return AnswerType.JUDGEMENT
    return None


def _graded(words: set[str], focus: Focus | None) -> bool:
    """Whether what a change question follows is a grade: it says so ("rating", "judged"), or it names an
    inspection and what changes is the service, its results or nothing named ("has Bury got worse since its 2018
    Ofsted?", "Ofsted's view of its services"), not another topic ("what progress has it made on its plan since
    the inspection?")."""
    lex = lexicon()
    if words & lex.classes["grade_words"] or focus is None:
        return True
    graded = (
        lex.classes["service_nouns"] | lex.classes["judgement_if_context"] | lex.classes["judgement_context"]
    )
    return bool({stem(w) for w in graded} & (focus.terms | {stem(focus.head)}))


def measure_label(analysis: QuestionAnalysis, kind: AnswerType) -> str:
    """What a series heading names: the focus without the comparison ("more complaints" -> "complaints"), and
    for a length of time asked as speed ("answering complaints faster"), that it is the time taken."""
    if analysis.focus is None:
        return ""
    words = analysis.focus.text.split()
    while words and words[0].lower() in _MORE_LESS | _SPEED:
        words = words[1:]
    label = " ".join(words)
    if label and kind == AnswerType.DURATION and not lexicon().has(kind.value, analysis.focus.head):
        label = f"time taken for {label}"
    return label


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
    if kind == AnswerType.JUDGEMENT:
        # a grade answers "how has Ofsted's view changed" whatever words stand by it ("remained outstanding"),
        # so every shown sentence of a paper about a place may give one; national guidance gives none
        pool = [c for c in shown if place_of(passages[c.passage_index].council)]
    # a figure the question states is not its answer; but a change question naming a grade names where the
    # series starts ("has it improved since Ofsted rated it inadequate?")
    asked_values = {
        s.value
        for s in typed_spans(analysis.text)
        if not (kind == AnswerType.JUDGEMENT == s.kind and analysis.change)
    }
    # a count, sum or share must qualify the focus itself ("118 complaints"); a grade or a length of time may
    # stand a step or two away ("complaints were answered in 21 working days")
    min_relation = 0.5 if kind in {AnswerType.JUDGEMENT, AnswerType.DURATION} else 0.9
    if not pool:
        return []
    best_lexical = max(c.context for c in pool)
    docs = parse_many([c.sentence for c in pool])
    part = replace(analysis.parts[0], answer_type=kind)
    terms = relation_terms(part)
    # a grade stands by "judged", "rated", "effectiveness" as much as the focus; a length of time by "response
    # time", "within"
    context = {AnswerType.JUDGEMENT: "judgement_context", AnswerType.DURATION: "duration_context"}.get(kind)
    if context:
        terms = terms | {stem(w) for w in lexicon().classes[context]}
    others = analysis.key_terms - (part.focus.terms if part.focus else frozenset())
    asked_fy = set(analysis.financial_years)
    low, high = (min(analysis.years), max(analysis.years)) if analysis.years else (0, 9999)
    if len(analysis.years) == 1:
        high = 9999  # "since 2021": from then on
    options: dict[str, list[Value]] = {}
    overall_asked = kind == AnswerType.JUDGEMENT and not _areas_asked(analysis.text)
    for cand, doc in zip(pool, docs, strict=True):
        if cand.context < 0.7 * best_lexical and kind != AnswerType.JUDGEMENT:
            continue  # a figure from a sentence about something else
        overall = _overall_grade(cand.sentence) if overall_asked else None
        if overall == "":
            continue  # "how has its rating changed?": "children in care were good" is one area's grade
        spans = [
            s
            for s in typed_spans(cand.sentence, doc)
            if s.kind == kind and s.value not in asked_values and overall in (None, s.value)
        ]
        if kind == AnswerType.JUDGEMENT:  # "Ofsted didn't find all our services to be consistently good"
            # nor a grade word opening a sentence: a table's cell run into the next line ("Outstanding Ofsted
            # produces this report ...") or a plain adjective ("Outstanding practice was seen")
            spans = [s for s in spans if not _negated(doc, s) and s.start > 0]
        related = {id(s): span_relation(doc, s, terms, cand.sentence) for s in spans}
        for span in spans:
            # the grade a sentence of several pairs with "overall" is the service's, whatever the parse says; so
            # is a grade in quotes ("after it found the department to be “good” in 2014"): quoting marks the grade
            relation = (
                max(related[id(span)], 0.9)
                if overall or (kind == AnswerType.JUDGEMENT and _quoted_by_inspectors(cand, span))
                else related[id(span)]
            )
            period, key, stated = _period(cand.sentence, span, passages[cand.passage_index])
            if relation < min_relation and stated:
                # the figure a sentence compares with ("21 working days, an improvement from the 25 working days
                # in 2023/24") stands for the same measure in another period as the figure by the focus
                compared = [
                    related[id(o)]
                    for o in spans
                    if _unit(o) == _unit(span) and related[id(o)] >= min_relation and o.end <= span.start
                ]
                relation = 0.9 * max(compared) if compared else 0.0
                if not compared or not period:
                    continue
            elif relation < min_relation or not period:
                continue
            if others:  # of two figures by the focus, the one nearer the question's other words
                relation *= 0.8 + 0.2 * span_relation(doc, span, others, cand.sentence)
            if asked_fy and len(asked_fy) > 1 and period not in asked_fy:
                continue
            if not low <= key <= high:
                continue
            options.setdefault(period, []).append(
                Value(period, key, span, cand, cand.score * relation, stated)
            )
    if any("/" in v.period for vals in options.values() for v in vals if v.stated):
        # a paper's calendar year is no financial year: "2025" beside "2024/25" would be one period twice
        options = {p: vals for p, vals in options.items() if "/" in p or any(v.stated for v in vals)}
    values = sorted(_one_measure(options, passages).values(), key=lambda v: v.sort_key)
    n = periods_asked(analysis.text)
    if n:
        values = values[-n:]
    return values


def _areas_asked(text: str) -> list[str]:
    return [a for a in areas_named(text) if a != "overall_effectiveness"]


_QUOTES = "\"'‘’“”"


def _quoted_by_inspectors(cand: Candidate, span: TypedSpan) -> bool:
    """Whether a span stands in quotation marks ("rated 'good'", "“Outstanding”") in a sentence about an inspection
    (not "a provider whose leadership has been rated as ‘Outstanding’ by the CQC")."""
    sentence = cand.sentence
    return (
        span.start > 0
        and span.end < len(sentence)
        and sentence[span.start - 1] in _QUOTES
        and sentence[span.end] in _QUOTES
        and bool(_INSPECTION_WORDS & content_words(sentence))
    )


_INSPECTION_WORDS = frozenset(
    stem(w) for w in ("Ofsted", "inspection", "inspectors", "judgement", "judgment")
)


def _negated(doc: Any, span: TypedSpan) -> bool:
    """Whether a span stands under a negated verb ("didn't find them to be good")."""
    tokens = [t for t in doc if span.start <= t.idx < span.end]
    return any(any(c.dep_ == "neg" for c in a.children) for t in tokens[:1] for a in [t, *t.ancestors])


def _overall_grade(sentence: str) -> str | None:
    """The grade a sentence gives the service as a whole: None when it names no judged area (any grade in it
    is the whole service's), "" when it grades only judged areas. In a sentence of several grades, the one
    paired with "overall" ("'good' services for children in care and care leavers, with an overall
    classification of Requires Improvement")."""
    named = areas_named(sentence)
    if not named:
        return None
    if several_grades(sentence):
        return dict(paired_grades(sentence)).get("overall_effectiveness", "")
    return None if "overall_effectiveness" in named else ""


def _one_measure(options: dict[str, list[Value]], passages: Sequence[Passage]) -> dict[str, Value]:
    """The value for each period, keeping to one measure: where the best value of a period comes from another
    source than most periods' (an ombudsman's count of the complaints it investigated among a council's own
    annual counts), or counts in other units ("16 days" among "working days"), a value of the common kind that
    scores nearly as well is taken instead."""
    best = {period: max(vals, key=lambda v: v.score) for period, vals in options.items()}

    def source(v: Value) -> str:
        passage = passages[v.candidate.passage_index]
        return passage.body or passage.doc_type

    # the unit a period gives no other for ("25 working days" alone) sets the measure
    if len(best) >= 2:
        sole = Counter(_unit(vals[0]) for vals in options.values() if len({_unit(v) for v in vals}) == 1)
        if sole:
            _keep_to(_unit, sole.most_common(1)[0][0], options, best)
    # the source most periods' best values come from (at least two of three or more)
    if len(best) >= 3:
        common, n = Counter(source(v) for v in best.values()).most_common(1)[0]
        if n >= 2:
            _keep_to(source, common, options, best)
    return best


def _keep_to(
    kind_of: Callable[[Value], str], common: str, options: dict[str, list[Value]], best: dict[str, Value]
) -> None:
    """Where a period's best value is not of the `common` kind, take one of that kind that scores nearly as well."""
    for period, vals in options.items():
        if kind_of(best[period]) == common:
            continue
        same = [v for v in vals if kind_of(v) == common and v.score >= _SAME_MEASURE * best[period].score]
        if same:
            best[period] = max(same, key=lambda v: v.score)


_SAME_MEASURE = 0.85  # how much a value of the common source may score below the best and still be taken


def _period(sentence: str, span: TypedSpan, passage: Passage) -> tuple[str, float, bool]:
    """The period a value is for: the financial year or year the sentence names for it, else its section's
    ("2024-2025 Complaints"), else the paper's date, each moved a year back when the value is "the previous
    year's"; for an undated paper, "after" the latest year it speaks of.

    Where a sentence names several periods, a value takes the one right after it ("25 working days in
    2023/24"), else the nearest before it ("In 2024/25, ... 21 working days")."""
    mentions = [
        m
        for m in period_mentions(sentence)
        if (m.end <= span.start or m.start >= span.end) and not in_a_law_name(sentence, m.start, m.end)
    ]
    after = [m for m in mentions if m.start >= span.end and _JOINS.fullmatch(sentence[span.end : m.start])]
    if after:
        return after[0].label, after[0].year, True
    back = int(
        bool(
            _PREVIOUS_BEFORE.search(sentence[max(0, span.start - 30) : span.start])
            or _PREVIOUS_AFTER.match(sentence[span.end : span.end + 40])
        )
    )
    before = [m for m in mentions if m.end <= span.start]
    found = before[-1:] or mentions[:1] or period_mentions(passage.section)[:1]
    if found:
        return *_shifted(found[0], back), True
    if passage.date:
        year = passage.date.year - back
        return str(year), year, False
    # an undated paper was written after the latest year it speaks of ("since the last inspection in 2018"): its
    # value is said to be from after then, and comes after that year's
    spoken = [
        m.year for m in period_mentions(passage.text) if not in_a_law_name(passage.text, m.start, m.end)
    ]
    if spoken and not back:
        return f"after {max(spoken)}", max(spoken) + 0.5, False
    return "", 0, False


_JOINS = re.compile(r"[^.;:\d]{0,25}?\b(?:in|for|during|of|at)\s+(?:the\s+)?(?:year\s+|period\s+)?", re.I)
_LAST_YEAR = r"(?:previous|prior|preceding|last)\s+year"
# "the previous year's 60%", "60% the year before", "60% in the previous year"
_PREVIOUS_BEFORE = re.compile(_LAST_YEAR + r"(?:'s|’s)?\s+(?:\w+\s+of\s+)?$", re.I)
_PREVIOUS_AFTER = re.compile(
    r"[^.;,\d]{0,20}?\b(?:(?:in|during)\s+the\s+" + _LAST_YEAR + r"|the\s+year\s+before)", re.I
)


def _shifted(mention: Mention, back: int) -> tuple[str, int]:
    if not back:
        return mention.label, mention.year
    year = mention.year - back
    if "/" in mention.label:
        return f"{year}/{(year + 1) % 100:02d}", year
    return str(year), year


def number(span: TypedSpan) -> Decimal | None:
    """The figure of a value: "135", "21" of "21 working days"."""
    try:
        return Decimal(span.value.split()[0].replace(",", "")) if span.value else None
    except (InvalidOperation, ValueError):
        return None


def _unit(value: TypedSpan | Value) -> str:
    """What a length of time is counted in ("working days"); empty for a bare figure."""
    span = value.span if isinstance(value, Value) else value
    return " ".join(span.value.split()[1:]) if span.kind == AnswerType.DURATION else ""


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
    if a is None or b is None or _unit(first.span) != _unit(last.span):
        return ""
    diff = b - a
    unit = " percentage points" if kind == AnswerType.PERCENTAGE else f" {_unit(last.span)}".rstrip()
    if diff == 0:
        return f"Calculated from the papers: the same ({_fmt(a)}) in {first.period} and {last.period}."
    direction = "up" if diff > 0 else "down"
    counted = f" {_unit(last.span)}".rstrip()  # "25 working days"
    return (
        f"Calculated from the papers: from {_fmt(a)}{counted} ({first.period}) to {_fmt(b)}{counted} "
        f"({last.period}), {direction} {_fmt(abs(diff))}{unit}."
    )


def compare_note(values: Sequence[tuple[str, TypedSpan]], kind: AnswerType) -> str:
    """ "Calculated from the papers: Bury 118, Bexley 90 — Bury 28 more." for two or more numeric values."""
    if kind == AnswerType.DATE:
        return _order_note(values)
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


def _order_note(values: Sequence[tuple[str, TypedSpan]]) -> str:
    """ "From the papers: Essex 2018, Islington 15 April 2020 — Essex's is the earlier." for dates each side's
    papers give; nothing when one date lies within another ("2020" and "April 2020") or one is no plain date."""
    starts = [(name, span, first_date(span)) for name, span in values]
    if len(starts) < 2 or any(not start for _, _, start in starts):
        return ""
    ordered = sorted(starts, key=lambda item: item[2])
    (first, _, a), (_, _, b) = ordered[0], ordered[1]
    listing = ", ".join(f"{name} {span.text}" for name, span, _ in starts)
    if b.startswith(a) or a.startswith(b):
        return ""
    return f"From the papers: {listing} — {first}'s is the earlier."


def _fmt(n: Decimal) -> str:
    text = format(n.normalize(), "f")
    return f"{int(n):,}" if n == n.to_integral_value() else text
