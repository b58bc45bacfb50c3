"""Evaluation metrics as pure functions: one question scored, then scores aggregated by kind.

Definitions (the report repeats them):

- **hit@k**: one of the first k retrieved passages comes from an expected source (a file stem, so the
  PDF and DOCX copies of a paper count). **MRR**: 1 / rank of the first such passage, 0 if none.
  Both only for questions that name expected sources.
- **answer accuracy**: answerable kinds: the answer was given (status answered or partial) and states every
  `must_contain` item (tolerant matcher), and for a number question (or follow-up) whose answer leads with
  figures ("Number of complaints: 135 (...)"), one of the required figures is among them (a wrong lead over a
  quote stating the right figure is wrong); no-answer kinds (unanswerable, guardrail): the assistant declined
  (status not_found or refused).
- **citation precision**: of the citations of a given answer, the share whose quoted span occurs verbatim in
  the cited passage and whose passage states at least one `must_contain` item (any item, for a question with
  none). **citation recall**: the share of `must_contain` items stated by at least one cited passage.
  Both only for answered answerable questions.
- **refusal accuracy**: no-answer kinds declined. **false-refusal rate**: answerable kinds declined.
- **CRAG score**: correct +1, missing (an honest decline of an answerable question) 0, wrong -1 (a wrong or
  incomplete answer, or any answer to a no-answer question). A wrong answer costs more than "not found".
- **answered rate**: the share of questions given an answer (status answered or partial); for the unanswerable
  kind this is "unanswerable questions answered anyway".
- **latency**: p50 and p95 of the time to answer, in milliseconds.
- **precision–coverage curve**: questions sorted by the answerer's confidence (`Answer.answerability`, 0..1;
  an answerer without one counts 1.0 for an answer and 0.0 for a decline); at each threshold, coverage is the share
  of all questions answered with at least that confidence and precision the share of those answers that are
  correct (an answer to an unanswerable or guardrail question is never correct).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.citations import strip_markers
from assistant.readability import reading_ease
from evals.matching import all_present, contains, source_matches
from evals.questions import KINDS, NO_ANSWER_KINDS

__all__ = [
    "ALL",
    "ANSWER_STATUSES",
    "COVERAGE_GRID",
    "HIT_KS",
    "REFUSAL_STATUSES",
    "CitedText",
    "CoveragePoint",
    "FloorResult",
    "KindSummary",
    "QuestionScore",
    "aggregate",
    "answer_correct",
    "check_floors",
    "citation_precision",
    "citation_recall",
    "citation_supports",
    "crag_score",
    "false_refusal",
    "hit_at_k",
    "is_refusal",
    "mean",
    "percentile",
    "precision_coverage",
    "quote_verbatim",
    "reciprocal_rank",
    "refusal_correct",
    "score_question",
]

ALL = "all"
HIT_KS: tuple[int, ...] = (1, 3, 4)
ANSWER_STATUSES: tuple[str, ...] = ("answered", "partial")
REFUSAL_STATUSES: tuple[str, ...] = ("not_found", "refused")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class CitedText:
    """What the metrics need of one citation: where it points, the quoted span and the passage it quotes."""

    doc_id: str
    quote: str
    passage_text: str


# --- retrieval ----------------------------------------------------------------------------------


def _first_rank(ranked_doc_ids: Sequence[str], expected: Sequence[str]) -> int | None:
    for rank, doc_id in enumerate(ranked_doc_ids, 1):
        if source_matches(doc_id, expected):
            return rank
    return None


def hit_at_k(ranked_doc_ids: Sequence[str], expected: Sequence[str], k: int) -> bool | None:
    """Whether an expected source is among the first k passages; None when nothing is expected."""
    if not expected:
        return None
    rank = _first_rank(ranked_doc_ids, expected)
    return rank is not None and rank <= k


def reciprocal_rank(ranked_doc_ids: Sequence[str], expected: Sequence[str]) -> float | None:
    """1 / rank of the first passage from an expected source, 0.0 if none; None when nothing is expected."""
    if not expected:
        return None
    rank = _first_rank(ranked_doc_ids, expected)
    return 0.0 if rank is None else 1.0 / rank


# --- answers ------------------------------------------------------------------------------------


def is_refusal(status: str) -> bool:
    return status in REFUSAL_STATUSES


def answer_correct(kind: str, status: str, text: str, must_contain: Sequence[str]) -> tuple[bool, list[str]]:
    """(correct, must_contain items missing from the answer); see the module docstring."""
    if kind in NO_ANSWER_KINDS:
        return is_refusal(status), []
    if status not in ANSWER_STATUSES:
        return False, list(must_contain)
    # markers are removed first, so "[2]" is never read as the number 2
    text = strip_markers(text)
    correct, missing = all_present(text, must_contain)
    if correct and kind in LEAD_CHECKED and (figures := _lead_misses(text, must_contain)):
        return False, figures
    return correct, missing


LEAD_CHECKED = frozenset({"number", "followup"})  # kinds asking for a figure ("and how many were upheld?")
# a short answer's lead line, "Number of complaints: 135 (Bury Council, 2024/25)." (markers removed)
_LEAD = re.compile(r"^[^:\n]{2,90}: (?P<value>.+?)(?: \((?:[^()]|\([^()]*\))*\))?\.?$")
_FIGURE = re.compile(r"^[£$]?\d[\d,.]*%?(?:m|bn| million| per cent)?$")


def _lead_misses(text: str, must_contain: Sequence[str]) -> list[str]:
    """The required figures, when the answer leads with figures and none of them is one: "Number of children:
    approximately 51,000" over a quote that also says "403 children were in care" gives a wrong answer first,
    which stating the right figure further down does not make right. [] when the lead states one, or when the
    answer has no lead stating a figure, or nothing required is a figure."""
    figures = [item for item in must_contain if all(_FIGURE.match(a.strip()) for a in item.split("|"))]
    leads = [m["value"] for line in text.splitlines() if (m := _LEAD.match(line.strip()))]
    leads = [value for value in leads if any(ch.isdigit() for ch in value)]
    if not figures or not leads or any(contains(v, item) for v in leads for item in figures):
        return []
    return figures


def refusal_correct(kind: str, status: str) -> bool | None:
    """For a no-answer kind, whether the assistant declined; None for answerable kinds."""
    return is_refusal(status) if kind in NO_ANSWER_KINDS else None


def false_refusal(kind: str, status: str) -> bool | None:
    """For an answerable kind, whether the assistant declined it; None for no-answer kinds."""
    return None if kind in NO_ANSWER_KINDS else is_refusal(status)


def crag_score(kind: str, status: str, correct: bool) -> int:
    """+1 correct, 0 an honest decline of an answerable question, -1 anything wrong."""
    if correct:
        return 1
    if kind not in NO_ANSWER_KINDS and is_refusal(status):
        return 0
    return -1


# --- citations ----------------------------------------------------------------------------------


def quote_verbatim(citation: CitedText) -> bool:
    """The quoted span occurs in the passage (only runs of whitespace may differ)."""
    quote = _SPACE.sub(" ", citation.quote).strip()
    return bool(quote) and quote in _SPACE.sub(" ", citation.passage_text)


def citation_supports(citation: CitedText, must_contain: Sequence[str]) -> bool:
    """The quote is verbatim and the cited passage states at least one required item (if any are given)."""
    if not quote_verbatim(citation):
        return False
    return not must_contain or any(contains(citation.passage_text, item) for item in must_contain)


def citation_precision(citations: Sequence[CitedText], must_contain: Sequence[str]) -> float | None:
    """Share of citations that support the answer; None when there are no citations."""
    if not citations:
        return None
    return sum(citation_supports(c, must_contain) for c in citations) / len(citations)


def citation_recall(citations: Sequence[CitedText], must_contain: Sequence[str]) -> float | None:
    """Share of required items stated by some cited passage; None when nothing is required."""
    if not must_contain:
        return None
    covered = sum(any(contains(c.passage_text, item) for c in citations) for item in must_contain)
    return covered / len(must_contain)


# --- one question -------------------------------------------------------------------------------


@dataclass
class QuestionScore:
    id: str
    kind: str
    status: str
    correct: bool
    crag: int
    latency_ms: float
    missing: list[str] = field(default_factory=list)
    hits: dict[int, bool | None] = field(default_factory=dict)
    rr: float | None = None
    citation_precision: float | None = None
    citation_recall: float | None = None
    quotes_verbatim: float | None = None
    refusal_correct: bool | None = None
    false_refusal: bool | None = None
    answered: bool = False  # status answered or partial
    answerability: float = 0.0  # the answerer's confidence, or 1.0 / 0.0 for answered / declined
    reading_ease: float | None = None  # Flesch reading ease of what the widget shows first (answered only)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "correct": self.correct,
            "crag": self.crag,
            "latency_ms": round(self.latency_ms, 1),
            "missing": list(self.missing),
            "hits": {str(k): v for k, v in self.hits.items()},
            "rr": self.rr,
            "citation_precision": self.citation_precision,
            "citation_recall": self.citation_recall,
            "quotes_verbatim": self.quotes_verbatim,
            "refusal_correct": self.refusal_correct,
            "false_refusal": self.false_refusal,
            "answered": self.answered,
            "answerability": self.answerability,
            "reading_ease": self.reading_ease,
        }


def score_question(
    *,
    id: str,
    kind: str,
    must_contain: Sequence[str],
    expected_sources: Sequence[str],
    status: str,
    text: str,
    citations: Sequence[CitedText],
    retrieved_doc_ids: Sequence[str] | None,
    latency_ms: float,
    ks: Sequence[int] = HIT_KS,
    answerability: float | None = None,
    resident_text: str = "",
) -> QuestionScore:
    """Every metric for one answered question. `retrieved_doc_ids` None: retrieval was not measured.
    `answerability` None: the answerer gave no confidence (1.0 for an answer, 0.0 for a decline)."""
    correct, missing = answer_correct(kind, status, text, must_contain)
    given = status in ANSWER_STATUSES
    answered = kind not in NO_ANSWER_KINDS and given
    score = QuestionScore(
        id=id,
        kind=kind,
        status=status,
        correct=correct,
        crag=crag_score(kind, status, correct),
        latency_ms=latency_ms,
        missing=missing,
        refusal_correct=refusal_correct(kind, status),
        false_refusal=false_refusal(kind, status),
        answered=given,
        answerability=(1.0 if given else 0.0) if answerability is None else answerability,
    )
    if retrieved_doc_ids is not None and expected_sources:
        score.hits = {k: hit_at_k(retrieved_doc_ids, expected_sources, k) for k in ks}
        score.rr = reciprocal_rank(retrieved_doc_ids, expected_sources)
    if answered:
        score.citation_precision = citation_precision(citations, must_contain)
        if score.citation_precision is None:
            score.citation_precision = 0.0  # an answer with no citation supports nothing
        score.citation_recall = citation_recall(citations, must_contain)
        if citations:
            score.quotes_verbatim = sum(quote_verbatim(c) for c in citations) / len(citations)
        score.reading_ease = reading_ease(resident_text or text)
    return score


# --- aggregation --------------------------------------------------------------------------------


def mean(values: Iterable[float | bool | None]) -> float | None:
    """Mean of the values that are not None; None when there are none."""
    kept = [float(v) for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (0-100) with linear interpolation between ranks (numpy's default)."""
    if not values:
        return None
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {p}")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@dataclass
class KindSummary:
    """Aggregates over one kind of question (or all of them). None: the metric does not apply."""

    kind: str
    n: int
    answer_accuracy: float | None
    crag: float | None
    hits: dict[int, float | None]
    mrr: float | None
    citation_precision: float | None
    citation_recall: float | None
    quotes_verbatim: float | None
    refusal_accuracy: float | None
    false_refusal_rate: float | None
    answered_rate: float | None
    reading_ease: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    counts: dict[str, int] = field(default_factory=dict)  # correct / missing / wrong

    def metrics(self) -> dict[str, float | None]:
        """Flat name -> value, the names used by floors.json and the JSON report."""
        out: dict[str, float | None] = {
            "answer_accuracy": self.answer_accuracy,
            "crag": self.crag,
        }
        out |= {f"hit@{k}": v for k, v in self.hits.items()}
        out |= {
            "mrr": self.mrr,
            "citation_precision": self.citation_precision,
            "citation_recall": self.citation_recall,
            "quotes_verbatim": self.quotes_verbatim,
            "refusal_accuracy": self.refusal_accuracy,
            "false_refusal_rate": self.false_refusal_rate,
            "answered_rate": self.answered_rate,
            "reading_ease": self.reading_ease,
            "latency_p50_ms": self.latency_p50_ms,
            "latency_p95_ms": self.latency_p95_ms,
        }
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "n": self.n, **self.metrics(), "counts": dict(self.counts)}

    @staticmethod
    def metric_names(ks: Sequence[int] = HIT_KS) -> list[str]:
        names = ["answer_accuracy", "crag", *(f"hit@{k}" for k in ks), "mrr", "citation_precision"]
        names += [
            "citation_recall",
            "quotes_verbatim",
            "refusal_accuracy",
            "false_refusal_rate",
            "answered_rate",
            "reading_ease",
        ]
        return [*names, "latency_p50_ms", "latency_p95_ms"]


def summarise(kind: str, scores: Sequence[QuestionScore], ks: Sequence[int] = HIT_KS) -> KindSummary:
    latencies = [s.latency_ms for s in scores]
    return KindSummary(
        kind=kind,
        n=len(scores),
        answer_accuracy=mean(s.correct for s in scores),
        crag=mean(s.crag for s in scores),
        hits={k: mean(s.hits.get(k) for s in scores) for k in ks},
        mrr=mean(s.rr for s in scores),
        citation_precision=mean(s.citation_precision for s in scores),
        citation_recall=mean(s.citation_recall for s in scores),
        quotes_verbatim=mean(s.quotes_verbatim for s in scores),
        refusal_accuracy=mean(s.refusal_correct for s in scores),
        false_refusal_rate=mean(s.false_refusal for s in scores),
        answered_rate=mean(s.answered for s in scores),
        reading_ease=mean(s.reading_ease for s in scores),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        counts={
            "correct": sum(s.crag == 1 for s in scores),
            "missing": sum(s.crag == 0 for s in scores),
            "wrong": sum(s.crag == -1 for s in scores),
        },
    )


def aggregate(scores: Sequence[QuestionScore], ks: Sequence[int] = HIT_KS) -> dict[str, KindSummary]:
    """Summaries keyed by kind (known kinds first, in their usual order) plus ALL for every question."""
    kinds = [k for k in KINDS if any(s.kind == k for s in scores)]
    kinds += sorted({s.kind for s in scores} - set(kinds))
    out = {kind: summarise(kind, [s for s in scores if s.kind == kind], ks) for kind in kinds}
    out[ALL] = summarise(ALL, scores, ks)
    return out


# --- precision against coverage -----------------------------------------------------------------


@dataclass(frozen=True)
class CoveragePoint:
    """What answering only above a confidence threshold would give."""

    threshold: float
    answered: int  # questions answered with at least this confidence
    correct: int  # of those, correct
    coverage: float  # answered / all questions
    precision: float | None  # correct / answered; None when nothing is answered

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "answered": self.answered,
            "correct": self.correct,
            "coverage": self.coverage,
            "precision": self.precision,
        }


COVERAGE_GRID: tuple[float, ...] = tuple(i / 10 for i in range(11))


def precision_coverage(
    scores: Sequence[QuestionScore], thresholds: Iterable[float] | None = None
) -> list[CoveragePoint]:
    """Precision and coverage at each threshold (default: every confidence that occurs, highest first), see the
    module docstring. A question counts as answered at a threshold if the answerer answered it and its
    confidence is at least the threshold."""
    if thresholds is None:
        thresholds = sorted({s.answerability for s in scores if s.answered}, reverse=True)
    points: list[CoveragePoint] = []
    for t in thresholds:
        kept = [s for s in scores if s.answered and s.answerability >= t]
        correct = sum(s.correct for s in kept)
        points.append(
            CoveragePoint(
                threshold=t,
                answered=len(kept),
                correct=correct,
                coverage=len(kept) / len(scores) if scores else 0.0,
                precision=correct / len(kept) if kept else None,
            )
        )
    return points


# --- floors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FloorResult:
    name: str  # "<kind>.<metric>", e.g. "all.answer_accuracy"
    direction: str  # "min": the value must be at least `bound`; "max": at most
    bound: float
    value: float | None

    @property
    def ok(self) -> bool:
        if self.value is None:
            return False
        return self.value >= self.bound if self.direction == "min" else self.value <= self.bound

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "direction": self.direction,
            "bound": self.bound,
            "value": self.value,
            "ok": self.ok,
        }


def check_floors(summary: dict[str, KindSummary], floors: dict[str, Any]) -> list[FloorResult]:
    """Each bound in `floors` ({"min": {"all.crag": 0.5}, "max": {"all.false_refusal_rate": 0.2}})
    against the summary. A metric that is missing or not measured breaks its floor; an unknown name raises
    ValueError."""
    results: list[FloorResult] = []
    for direction in ("min", "max"):
        for name, bound in sorted(dict(floors.get(direction, {})).items()):
            kind, _, metric = name.partition(".")
            if not metric:
                raise ValueError(f"floor {name!r} must be written <kind>.<metric>, e.g. all.answer_accuracy")
            known = KindSummary.metric_names()
            if metric not in known:
                raise ValueError(f"floor {name!r}: unknown metric {metric!r} (known: {', '.join(known)})")
            value = summary[kind].metrics()[metric] if kind in summary else None
            results.append(FloorResult(name, direction, float(bound), value))
    return results
