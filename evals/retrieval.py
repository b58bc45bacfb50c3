"""Retrieval evaluation: does each retriever put an expected source document near the top?

For every question that names expected source documents, each mode (``dense``, ``keyword``, ``hybrid``,
``hybrid+recency``) retrieves ``k`` passages for the question's audience.  The question's *rank* in a mode is the
1-based position of the first passage whose document is one of the expected sources (``source_matches``: file
stems, so ``formats/x.pdf`` counts for ``x``), or ``None`` if none of the ``k`` passages is.  Per mode:

* ``hit@1``: share of questions with rank 1;
* ``hit@k``: share with any rank (``hit@5`` for the default ``k=5``);
* ``MRR``: mean of ``1 / rank`` (0 for a miss), i.e. MRR@k.

Typical use (``council eval --retrieval`` does this)::

    report = run_retrieval_eval(assistant, load_questions("evals/sets/dev.jsonl"))
    print(format_markdown(report))

or from a shell, against the index the settings name: ``python -m evals.retrieval [--questions FILE] [--json]``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from evals.matching import source_matches
from evals.metrics import percentile
from evals.questions import Question, load_questions

__all__ = [
    "MODES",
    "RETRIEVAL_KINDS",
    "ModeScores",
    "QuestionRanks",
    "RetrievalReport",
    "format_markdown",
    "retrieval_questions",
    "run_retrieval_eval",
]

MODES: tuple[str, ...] = ("dense", "keyword", "hybrid", "hybrid+recency")
MODE_LABELS = {
    "dense": "dense only",
    "keyword": "BM25 only",
    "hybrid": "hybrid",
    "hybrid+recency": "hybrid+recency",
}
# Questions that stand alone and have a source to find (follow-ups need their history; the rest have no source).
RETRIEVAL_KINDS: tuple[str, ...] = ("fact", "number", "date", "temporal", "comparison")


class Searcher(Protocol):
    """What the eval needs: ``assistant.service.Assistant`` fits."""

    def search(
        self, question: str, audience: str = ..., filters: Any = ..., k: int | None = ..., mode: str = ...
    ) -> Any: ...


@dataclass(frozen=True)
class QuestionRanks:
    """One question's outcome: rank of the first expected source per mode (None: not in the top k)."""

    id: str
    question: str
    kind: str
    expected_sources: tuple[str, ...]
    ranks: dict[str, int | None]
    retrieved: dict[str, list[str]]  # mode -> doc ids of the k passages, best first


@dataclass(frozen=True)
class ModeScores:
    mode: str
    questions: int
    hit_at_1: float
    hit_at_k: float
    mrr: float
    p50_ms: float
    p95_ms: float


@dataclass
class RetrievalReport:
    k: int
    scores: dict[str, ModeScores]
    questions: list[QuestionRanks] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "scores": {mode: asdict(s) for mode, s in self.scores.items()},
            "questions": [asdict(q) for q in self.questions],
        }


def retrieval_questions(
    questions: Iterable[Question], kinds: Sequence[str] = RETRIEVAL_KINDS
) -> list[Question]:
    """The questions a retrieval eval can score: a retrieval kind and at least one expected source."""
    return [q for q in questions if q.kind in kinds and q.expected_sources]


def first_hit(doc_ids: Sequence[str], expected: Sequence[str]) -> int | None:
    """1-based rank of the first document matching an expected source, or None."""
    for rank, doc_id in enumerate(doc_ids, start=1):
        if source_matches(doc_id, expected):
            return rank
    return None


def run_retrieval_eval(
    assistant: Searcher, questions: Iterable[Question], modes: Sequence[str] = MODES, k: int = 5
) -> RetrievalReport:
    """Score each mode over ``retrieval_questions(questions)``; see the module docstring for the metrics."""
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    chosen = retrieval_questions(questions)
    rows: list[QuestionRanks] = []
    latencies: dict[str, list[float]] = {m: [] for m in modes}
    for q in chosen:
        ranks: dict[str, int | None] = {}
        retrieved: dict[str, list[str]] = {}
        for mode in modes:
            result = assistant.search(q.question, audience=q.audience, k=k, mode=mode)
            doc_ids = [p.doc_id for p in result.passages[:k]]
            retrieved[mode] = doc_ids
            ranks[mode] = first_hit(doc_ids, q.expected_sources)
            latencies[mode].append(float(result.timings_ms.get("total_ms", 0.0)))
        rows.append(QuestionRanks(q.id, q.question, q.kind, q.expected_sources, ranks, retrieved))
    scores = {mode: _score(mode, [r.ranks[mode] for r in rows], latencies[mode]) for mode in modes}
    return RetrievalReport(k=k, scores=scores, questions=rows)


def _score(mode: str, ranks: list[int | None], latencies: list[float]) -> ModeScores:
    n = len(ranks)
    if n == 0:
        return ModeScores(mode, 0, 0.0, 0.0, 0.0, 0.0, 0.0)
    return ModeScores(
        mode=mode,
        questions=n,
        hit_at_1=sum(r == 1 for r in ranks) / n,
        hit_at_k=sum(r is not None for r in ranks) / n,
        mrr=sum(1.0 / r for r in ranks if r) / n,
        p50_ms=percentile(latencies, 50) or 0.0,
        p95_ms=percentile(latencies, 95) or 0.0,
    )


def format_markdown(report: RetrievalReport, misses: bool = True) -> str:
    """A metrics table per mode, then (if ``misses``) the questions some mode missed and where each found it."""
    k = report.k
    n = next(iter(report.scores.values())).questions if report.scores else 0
    lines = [
        f"## Retrieval ({n} questions, top {k})",
        "",
        f"| mode | hit@1 | hit@{k} | MRR@{k} | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for mode, s in report.scores.items():
        lines.append(
            f"| {MODE_LABELS.get(mode, mode)} | {s.hit_at_1:.3f} | {s.hit_at_k:.3f} | {s.mrr:.3f} "
            f"| {s.p50_ms:.0f} | {s.p95_ms:.0f} |"
        )
    lines.append("")
    lines.append("Latency is the searcher's own total per call (query embedding included), on this machine.")
    missed = [q for q in report.questions if any(r is None for r in q.ranks.values())]
    if misses and missed:
        modes = list(report.scores)
        lines += [
            "",
            f"### Questions missed by at least one mode ({len(missed)})",
            "",
            "| id | " + " | ".join(MODE_LABELS.get(m, m) for m in modes) + " |",
            "|---|" + "---:|" * len(modes),
        ]
        for q in missed:
            cells = " | ".join("–" if q.ranks[m] is None else str(q.ranks[m]) for m in modes)
            lines.append(f"| {q.id} | {cells} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the retrieval eval against the configured index and print the table (or JSON)."""
    import datetime as dt
    from pathlib import Path

    from assistant.service import Assistant
    from assistant.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m evals.retrieval", description=main.__doc__)
    parser.add_argument("--questions", type=Path, default=Path(__file__).parent / "sets" / "dev.jsonl")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="reference day, YYYY-MM-DD")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    args = parser.parse_args(argv)
    assistant = Assistant.from_settings(load_settings(), today=args.today)
    report = run_retrieval_eval(assistant, load_questions(args.questions), k=args.k)
    print(json.dumps(report.to_dict(), indent=2) if args.json else format_markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
