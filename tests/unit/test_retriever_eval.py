"""The retrieval eval's metrics (hit@1, hit@k, MRR@k) on a scripted searcher."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from evals.questions import Question
from evals.retrieval import (
    RetrievalReport,
    first_hit,
    format_markdown,
    retrieval_questions,
    run_retrieval_eval,
)


def _q(qid: str, expected: tuple[str, ...], kind: str = "fact", audience: str = "public") -> Question:
    return Question(qid, f"question {qid}?", "answer", (), expected, kind, audience)


@dataclass
class _Passage:
    doc_id: str


@dataclass
class _Result:
    passages: list[_Passage]
    timings_ms: dict[str, float] = field(default_factory=lambda: {"total_ms": 10.0})


class ScriptedSearcher:
    """Returns fixed document lists per (question, mode) and records the calls."""

    def __init__(self, script: dict[tuple[str, str], list[str]]) -> None:
        self.script = script
        self.calls: list[tuple[str, str, int | None, str]] = []

    def search(
        self,
        question: str,
        audience: str = "public",
        filters: Any = None,
        k: int | None = None,
        mode: str = "hybrid+recency",
    ) -> _Result:
        self.calls.append((question, audience, k, mode))
        return _Result([_Passage(d) for d in self.script.get((question, mode), [])])


@pytest.mark.parametrize(
    ("docs", "expected", "rank"),
    [
        (["public/a.md", "public/b.md"], ("a",), 1),
        (["public/x.md", "formats/a.pdf"], ("a",), 2),  # another format of the expected paper counts
        (["public/x.md", "public/y.md"], ("a",), None),
        (["public/x.md", "public/b.md", "public/a.md"], ("a", "b"), 2),  # any expected source
        ([], ("a",), None),
    ],
)
def test_first_hit(docs: list[str], expected: tuple[str, ...], rank: int | None) -> None:
    assert first_hit(docs, expected) == rank


def test_only_standalone_questions_with_sources_are_scored() -> None:
    qs = [_q("1", ("a",)), _q("2", ()), _q("3", ("a",), kind="followup"), _q("4", ("a",), kind="temporal")]
    assert [q.id for q in retrieval_questions(qs)] == ["1", "4"]


def test_metrics() -> None:
    qs = [_q("1", ("a",)), _q("2", ("b",), audience="officer"), _q("3", ("c",)), _q("4", ("d",))]
    script = {
        ("question 1?", "dense"): ["a.md"],  # rank 1
        ("question 2?", "dense"): ["x.md", "b.md"],  # rank 2
        ("question 3?", "dense"): ["x.md", "y.md", "z.md", "w.md", "v.md", "c.md"],  # rank 6: beyond k
        ("question 4?", "dense"): [],  # miss
        ("question 1?", "keyword"): ["a.md"],
        ("question 2?", "keyword"): ["b.md"],
        ("question 3?", "keyword"): ["c.md"],
        ("question 4?", "keyword"): ["x.md", "x.md", "x.md", "x.md", "d.md"],
    }
    searcher = ScriptedSearcher(script)
    report = run_retrieval_eval(searcher, qs, modes=("dense", "keyword"), k=5)
    dense, keyword = report.scores["dense"], report.scores["keyword"]
    assert (dense.questions, dense.hit_at_1, dense.hit_at_k) == (4, 0.25, 0.5)
    assert dense.mrr == pytest.approx((1 + 1 / 2) / 4)
    assert (keyword.hit_at_1, keyword.hit_at_k) == (0.75, 1.0)
    assert keyword.mrr == pytest.approx((3 + 1 / 5) / 4)
    assert [q.ranks for q in report.questions][2] == {"dense": None, "keyword": 1}
    assert report.questions[2].retrieved["dense"] == ["x.md", "y.md", "z.md", "w.md", "v.md"]  # cut to k
    # Each question is asked for its own audience, k passages, in each mode.
    assert ("question 2?", "officer", 5, "keyword") in searcher.calls
    assert dense.p95_ms == 10.0
    assert report.to_dict()["scores"]["keyword"]["hit_at_1"] == 0.75


def test_markdown_table_and_misses() -> None:
    qs = [_q("1", ("a",)), _q("2", ("b",))]
    script = {("question 1?", "dense"): ["a.md"], ("question 2?", "dense"): ["x.md"]}
    text = format_markdown(run_retrieval_eval(ScriptedSearcher(script), qs, modes=("dense",), k=3))
    assert "| mode | hit@1 | hit@3 | MRR@3 |" in text
    assert "| dense only | 0.500 | 0.500 | 0.500 |" in text
    assert "| 2 | – |" in text
    assert "| 1 |" not in text


def test_empty_and_bad_inputs() -> None:
    report = run_retrieval_eval(ScriptedSearcher({}), [], modes=("dense",))
    assert isinstance(report, RetrievalReport) and report.scores["dense"].questions == 0
    assert "0 questions" in format_markdown(report)
    with pytest.raises(ValueError):
        run_retrieval_eval(ScriptedSearcher({}), [], k=0)
