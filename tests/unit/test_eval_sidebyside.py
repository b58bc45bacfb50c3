"""Precision against coverage, the answered rate, the side-by-side report, and `council eval --sets`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from assistant.answer import Answer, Status
from evals import suites
from evals.metrics import COVERAGE_GRID, aggregate, precision_coverage, score_question
from evals.report import EvalRun
from evals.runner import answerability_of, assistant_answer_fn, run_questions
from evals.sidebyside import SetResult, render_sets_markdown, sets_to_json, write_sets_report
from evals.suites import EvalSet, parse_sets
from tests.unit.test_eval_runner import QUESTIONS, UNSEEN, FakeAssistant, FakeClock


def score(kind: str, status: str, correct_text: bool, confidence: float | None) -> Any:
    return score_question(
        id="q", kind=kind, must_contain=() if kind == "unanswerable" else ("5 November 2025",),
        expected_sources=(), status=status, text="By 5 November 2025." if correct_text else "Soon.",
        citations=[], retrieved_doc_ids=None, latency_ms=1.0, answerability=confidence,
    )  # fmt: skip


def test_precision_against_coverage_by_confidence() -> None:
    scores = [
        score("date", "answered", True, 0.9),
        score("date", "answered", False, 0.6),
        score("unanswerable", "answered", False, 0.3),  # answering it is never correct
        score("date", "not_found", False, 0.95),  # declined: never counted as answered
        score("unanswerable", "not_found", False, None),
    ]
    points = {p.threshold: p for p in precision_coverage(scores)}
    assert list(points) == [0.9, 0.6, 0.3]  # every confidence of an answer, highest first
    assert (points[0.9].answered, points[0.9].correct, points[0.9].precision) == (1, 1, 1.0)
    assert points[0.9].coverage == pytest.approx(1 / 5)
    assert points[0.6].precision == pytest.approx(1 / 2) and points[0.3].precision == pytest.approx(1 / 3)
    grid = precision_coverage(scores, COVERAGE_GRID)
    assert grid[-1].threshold == 1.0 and grid[-1].answered == 0 and grid[-1].precision is None
    assert grid[0].coverage == pytest.approx(3 / 5)


def test_without_a_confidence_answers_count_one_and_declines_zero() -> None:
    answered, declined = score("date", "partial", True, None), score("date", "refused", False, None)
    assert (answered.answerability, declined.answerability) == (1.0, 0.0)
    assert [p.coverage for p in precision_coverage([answered, declined])] == [0.5]


def test_answered_rate_by_kind() -> None:
    scores = [score("unanswerable", "answered", False, None), score("unanswerable", "not_found", False, None),
              score("date", "answered", True, None)]  # fmt: skip
    summary = aggregate(scores)
    assert summary["unanswerable"].answered_rate == 0.5 and summary["all"].answered_rate == pytest.approx(
        2 / 3
    )


@pytest.mark.parametrize(
    ("value", "expected"), [(0.75, 0.75), (1, 1.0), (1.5, None), (-0.1, None), ("0.5", None), (True, None)]
)
def test_answerability_is_read_from_the_answer_when_usable(value: Any, expected: float | None) -> None:
    answer = Answer("q", "t", Status.ANSWERED)
    assert answerability_of(answer) is None  # today's Answer has no such attribute
    object.__setattr__(answer, "answerability", value)  # as the rewritten answerer will set it
    assert answerability_of(answer) == expected


def test_parse_sets() -> None:
    assert [s.name for s in parse_sets("validation, dev,validation")] == ["validation", "dev"]
    assert parse_sets(["fresh"])[0].extra_corpora == (suites.FRESH_CORPUS,)
    with pytest.raises(ValueError, match="unknown question set 'unseen'"):
        parse_sets("dev,unseen")
    with pytest.raises(ValueError, match="no question set named"):
        parse_sets(" , ")


def fake_result(name: str, tmp_path: Path, with_confidence: bool) -> SetResult:
    bot = FakeAssistant()
    fn = assistant_answer_fn(bot)  # type: ignore[arg-type]

    def answer(q: Any) -> Answer:
        a = fn(q)
        if with_confidence:
            object.__setattr__(a, "answerability", 0.8 if q.id == "right" else 0.4)
        return a

    ours = run_questions(QUESTIONS, answer, clock=FakeClock())
    run = EvalRun(
        started=dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC), seconds=12.0, set_path=f"{name}.jsonl",
        set_sha256="cd" * 32, questions=len(QUESTIONS), corpus="data/corpus", documents=3,
        today=dt.date(2026, 12, 5), config={"embeddings": "hashing"}, systems=[ours],
    )  # fmt: skip
    return SetResult(name, run, ingest_seconds=30.0, report=f"eval-2026-12-05-{name}.md")


def test_side_by_side_report(tmp_path: Path) -> None:
    results = [fake_result("dev", tmp_path, False), fake_result("validation", tmp_path, True)]
    md = render_sets_markdown(results, "cov.png")
    assert "| Metric | dev | validation |" in md
    assert "| Answer accuracy | 42.9% | 42.9% |" in md
    assert "| Unanswerable questions answered (lower is better) | 0.0% | 0.0% |" in md
    assert "| Questions | 7 | 7 |" in md
    assert "Accuracy gap, dev minus validation: +0.0 points." in md
    assert "`dev`: the answerer gives no confidence" in md and "`validation`: the answerer gives" not in md
    assert "| 0.0 to 0.4 |" in md and "| 0.5 to 0.8 |" in md and "| 0.9 to 1.0 |" in md
    assert "![Precision against coverage](cov.png)" in md
    assert "index ready in 30 s, questions answered in 12 s" in md
    data = sets_to_json(results)
    curve = data["sets"]["validation"]["precision_coverage"]
    assert [p["threshold"] for p in curve] == [0.8, 0.4] and curve[0]["precision"] == 1.0
    assert data["sets"]["dev"]["headline"]["all.answer_accuracy"] == pytest.approx(3 / 7)
    paths = write_sets_report(results, tmp_path / "out", "eval-2026-12-05-sets")
    assert [p.name for p in paths] == ["eval-2026-12-05-sets.md", "eval-2026-12-05-sets.json",
                                       "eval-2026-12-05-sets-coverage.png"]  # fmt: skip
    assert paths[2].read_bytes().startswith(b"\x89PNG")


# --- `council eval --sets`, on the hashing embedding, with the named sets pointed at small files -------------


@pytest.fixture()
def small_sets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    extra = tmp_path / "fresh-papers"
    extra.mkdir()
    (extra / "elsewhere-minutes.md").write_text(
        "# Elsewhere scrutiny\n\nElsewhere Council's children's services were judged good in May 2024.\n"
    )
    for name, rows, roots in (("dev", UNSEEN, ()), ("fresh", UNSEEN[1:], (extra,))):
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        monkeypatch.setitem(suites.EVAL_SETS, name, EvalSet(name, path, roots))
    return extra


def test_council_eval_sets_side_by_side(
    eval_cli: typer.Typer, small_corpus: Path, small_sets: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    floors = tmp_path / "floors.json"
    floors.write_text(
        json.dumps({"sets": {"dev": {"set": "dev.jsonl", "min": {"all.answer_accuracy": 0.0}}}})
    )
    args = ["--sets", "dev,fresh", "--corpus", str(small_corpus), "--out", str(out), "--no-baseline", "-q",
            "--check-floors", "--floors", str(floors)]  # fmt: skip
    result = CliRunner().invoke(eval_cli, args)
    assert result.exit_code == 0, result.output
    day = dt.date.today().isoformat()
    assert (out / f"eval-{day}-dev.md").is_file() and (out / f"eval-{day}-fresh.md").is_file()
    data = json.loads((out / f"eval-{day}-sets.json").read_text())
    assert list(data["sets"]) == ["dev", "fresh"]
    assert data["sets"]["dev"]["documents"] == 2 and data["sets"]["fresh"]["documents"] == 3  # + fresh papers
    assert data["sets"]["fresh"]["questions"] == 1
    assert "Answer accuracy" in result.stdout and "All 1 floors met (dev)." in result.stdout
    fresh_md = (out / f"eval-{day}-fresh.md").read_text()
    assert "No floors for the set 'fresh'" in fresh_md
    indexes = sorted(p.name for p in (out / ".eval-index").iterdir())
    assert len(indexes) == 2 and any(n.startswith("corpus+fresh-papers-") for n in indexes)


def test_council_eval_rejects_set_and_sets_together_and_unknown_names(
    eval_cli: typer.Typer, tmp_path: Path
) -> None:
    both = CliRunner().invoke(eval_cli, ["--set", "x.jsonl", "--sets", "dev", "--out", str(tmp_path)])
    assert both.exit_code == 2 and "not both" in both.output
    unknown = CliRunner().invoke(eval_cli, ["--sets", "dev,nope", "--out", str(tmp_path)])
    assert unknown.exit_code == 2 and "unknown question set 'nope'" in unknown.output


def test_council_eval_set_with_no_floors_for_it_is_an_error(eval_cli: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "unseen.jsonl"
    path.write_text(json.dumps(UNSEEN[0]) + "\n")
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"sets": {"dev": {"min": {"all.crag": 0.0}}}}))
    args = ["--set", str(path), "--check-floors", "--floors", str(floors), "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(eval_cli, args)
    assert result.exit_code == 2 and "has no floors for the set 'unseen'" in result.output
