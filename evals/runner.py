"""Run a question set through an answer function and score every answer.

The answer function is anything that turns a `Question` into an `assistant.answer.Answer`; for the product it
is `Assistant.ask` (see `assistant_answer_fn`). Retrieval is measured on the passages the answer chain
actually retrieved: the assistant's searcher is wrapped by a `RecordingSearcher` that keeps each search's
result.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from assistant.answer import Answer
from assistant.readability import resident_text
from evals.metrics import CitedText, KindSummary, QuestionScore, aggregate, score_question
from evals.questions import Question

if TYPE_CHECKING:
    from assistant.service import Assistant
    from vectorstore.retriever import HybridSearcher, SearchResult

__all__ = [
    "AnswerFn",
    "AssistantAnswerer",
    "QuestionRecord",
    "RecordingSearcher",
    "SystemRun",
    "answerability_of",
    "assistant_answer_fn",
    "instrument",
    "run_questions",
]

AnswerFn = Callable[[Question], Answer]
RetrievedFn = Callable[[], Sequence[str] | None]
ProgressFn = Callable[[int, int, "QuestionRecord"], None]
ERROR_STATUS = "error"


@dataclass
class QuestionRecord:
    """One question as asked: what came back, how long it took, and its scores."""

    question: Question
    status: str
    text: str
    citations: list[dict[str, Any]]
    retrieved: list[str] | None
    latency_ms: float
    score: QuestionScore
    answerer: str = ""
    notes: list[str] = field(default_factory=list)
    error: str = ""
    answerability: float | None = None  # as the answerer gave it (None: it gives none)

    @property
    def failed(self) -> bool:
        return self.score.crag != 1

    def reason(self) -> str:
        """Why the question failed, in words, for the report."""
        q, s = self.question, self.score
        if self.error:
            return f"error: {self.error}"
        if q.kind in ("unanswerable", "guardrail"):
            return f"should have declined, but answered (status {s.status})"
        if s.status in ("not_found", "refused"):
            return f"declined an answerable question (status {s.status})"
        return "missing from the answer: " + "; ".join(repr(m) for m in s.missing)

    def to_dict(self) -> dict[str, Any]:
        q = self.question
        return {
            "id": q.id,
            "kind": q.kind,
            "audience": q.audience,
            "phrasing": q.phrasing,
            "tags": list(q.tags),
            "question": q.question,
            "history": list(q.history),
            "expected_answer": q.answer,
            "must_contain": list(q.must_contain),
            "expected_sources": list(q.expected_sources),
            "status": self.status,
            "answer": self.text,
            "answerer": self.answerer,
            "citations": self.citations,
            "retrieved": self.retrieved,
            "notes": list(self.notes),
            "error": self.error,
            "answerability": self.answerability,
            "latency_ms": round(self.latency_ms, 1),
            "score": self.score.to_dict(),
            "reason": self.reason() if self.failed else "",
        }


@dataclass
class SystemRun:
    """One system (ours, or the baseline) over the whole set."""

    name: str
    label: str
    records: list[QuestionRecord]
    summary: dict[str, KindSummary]
    answerer: str = ""

    @property
    def failures(self) -> list[QuestionRecord]:
        return [r for r in self.records if r.failed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "answerer": self.answerer,
            "summary": {kind: s.to_dict() for kind, s in self.summary.items()},
            "questions": [r.to_dict() for r in self.records],
        }


# --- retrieval recording ------------------------------------------------------------------------


class RecordingSearcher:
    """Wraps a searcher (`HybridSearcher.search` signature) and keeps what each search returned."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.results: list[SearchResult] = []

    def search(self, query: str, *args: Any, **kwargs: Any) -> SearchResult:
        result: SearchResult = self.inner.search(query, *args, **kwargs)
        self.results.append(result)
        return result

    def take(self) -> list[str] | None:
        """Doc ids of the first search since the last `take`, best first (None if nothing was searched)."""
        results, self.results = self.results, []
        if not results:
            return None
        return [p.doc_id for p in results[0].passages]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def instrument(assistant: Assistant, searcher: Any = None) -> tuple[Assistant, RecordingSearcher]:
    """A copy of `assistant` whose searches are recorded; `searcher` replaces its own (the baseline's)."""
    recorder = RecordingSearcher(searcher if searcher is not None else assistant.searcher)
    copy = dataclasses.replace(assistant, searcher=cast("HybridSearcher", recorder), _extra={})
    return copy, recorder


class AssistantAnswerer:
    """`Assistant.ask` with the question's audience and its earlier questions as the conversation, each with the
    answer it gets when asked in turn (as the chat passes them: a follow-up may lean on the answer before).
    `prepare` answers the earlier questions ahead of the timed answer."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self._held: dict[str, list[dict[str, str]]] = {}

    def prepare(self, q: Question) -> None:
        self._held[q.id] = self._conversation(q)

    def _conversation(self, q: Question) -> list[dict[str, str]]:
        history: list[dict[str, str]] = []
        for earlier in q.history:
            said = self.assistant.ask(earlier, audience=q.audience, history=list(history))
            history.append({"question": earlier, "answer": said.text})
        return history

    def __call__(self, q: Question) -> Answer:
        history = self._held.pop(q.id, None)
        if history is None:
            history = self._conversation(q)
        return self.assistant.ask(q.question, audience=q.audience, history=history)


def assistant_answer_fn(assistant: Assistant) -> AnswerFn:
    """An `AssistantAnswerer` for `assistant`."""
    return AssistantAnswerer(assistant)


# --- running ------------------------------------------------------------------------------------


def _citation_dict(c: Any) -> dict[str, Any]:
    return {
        "n": c.n,
        "doc_id": c.doc_id,
        "title": c.title,
        "date": c.date.isoformat() if c.date else None,
        "page": c.page,
        "section": c.section,
        "quote": c.quote,
    }


def _status(answer: Answer) -> str:
    return str(getattr(answer.status, "value", answer.status))


def answerability_of(answer: Answer | None) -> float | None:
    """The answerer's confidence that it should answer (`Answer.answerability`, 0..1), if it gives a usable one."""
    value = getattr(answer, "answerability", None)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if 0.0 <= value <= 1.0 else None


def ask_one(
    q: Question,
    answer_fn: AnswerFn,
    retrieved_fn: RetrievedFn | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> QuestionRecord:
    """Ask one question, time it, score it. An exception is recorded as an error (scored as wrong). A follow-up's
    earlier questions are answered first when `answer_fn` can (`prepare`), untimed and unrecorded: the time and
    the passages are the follow-up's own."""
    answer: Answer | None = None
    error = ""
    prepare = getattr(answer_fn, "prepare", None)
    if q.history and prepare is not None:
        try:
            prepare(q)
        except Exception as exc:  # a crash on an earlier question is the follow-up's error
            error = f"{type(exc).__name__}: {exc}"
        if retrieved_fn:
            retrieved_fn()  # the earlier questions' searches are not the follow-up's
    started = clock()
    if not error:
        try:
            answer = answer_fn(q)
        except Exception as exc:  # an eval run reports a crash on one question and carries on
            error = f"{type(exc).__name__}: {exc}"
    latency_ms = (clock() - started) * 1000
    # nothing searched (a guardrail refusal, a crash) counts as a retrieval miss, not as "not measured"
    # a question answered without a search (from the inspection record, or refused) has no retrieval to measure
    found = retrieved_fn() if retrieved_fn else None
    retrieved = list(found) if found is not None else None
    status = _status(answer) if answer is not None else ERROR_STATUS
    text = answer.text if answer is not None else ""
    citations = list(answer.citations) if answer is not None else []
    confidence = answerability_of(answer)
    score = score_question(
        id=q.id,
        kind=q.kind,
        must_contain=q.must_contain,
        expected_sources=q.expected_sources,
        status=status,
        text=text,
        citations=[CitedText(c.doc_id, c.quote, c.passage_text) for c in citations],
        retrieved_doc_ids=retrieved,
        latency_ms=latency_ms,
        answerability=confidence,
        resident_text=resident_text(answer) if answer is not None else "",
    )
    return QuestionRecord(
        question=q,
        status=status,
        text=text,
        citations=[_citation_dict(c) for c in citations],
        retrieved=retrieved,
        latency_ms=latency_ms,
        score=score,
        answerer=answer.answerer if answer is not None else "",
        notes=list(answer.notes) if answer is not None else [],
        error=error,
        answerability=confidence,
    )


def run_questions(
    questions: Sequence[Question],
    answer_fn: AnswerFn,
    *,
    name: str = "ours",
    label: str = "Council Q&A",
    retrieved_fn: RetrievedFn | None = None,
    progress: ProgressFn | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> SystemRun:
    """Every question through `answer_fn`, in order; scores aggregated by kind."""
    records: list[QuestionRecord] = []
    for i, q in enumerate(questions, 1):
        record = ask_one(q, answer_fn, retrieved_fn, clock)
        records.append(record)
        if progress:
            progress(i, len(questions), record)
    answerers = sorted({r.answerer for r in records if r.answerer})
    return SystemRun(
        name=name,
        label=label,
        records=records,
        summary=aggregate([r.score for r in records]),
        answerer=", ".join(answerers),
    )
