"""scripts/compare_eval_runs.py: question-by-question comparison of two eval reports."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "compare_eval_runs.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compare_eval_runs", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _report(path: Path, **answers: tuple[str, str, float]) -> Path:
    qs = [
        {"id": qid, "answer": text, "status": status, "citations": [], "latency_ms": ms, "retrieved": [qid]}
        for qid, (text, status, ms) in answers.items()
    ]
    path.write_text(json.dumps({"systems": {"ours": {"questions": qs}}}), encoding="utf-8")
    return path


def test_same_answers_at_other_latencies_are_the_same(tmp_path: Path) -> None:
    a = _report(tmp_path / "a.json", q1=("Yes [1].", "answered", 10.0), q2=("No.", "not_found", 5.0))
    b = _report(tmp_path / "b.json", q1=("Yes [1].", "answered", 99.0), q2=("No.", "not_found", 1.0))
    assert _script().main([str(a), str(b)]) == 0


def test_a_changed_answer_or_status_is_reported(tmp_path: Path) -> None:
    a = _report(tmp_path / "a.json", q1=("Yes [1].", "answered", 10.0), q2=("No.", "not_found", 5.0))
    b = _report(tmp_path / "b.json", q1=("Yes, in 2024 [1].", "answered", 10.0), q2=("No.", "refused", 5.0))
    script = _script()
    assert script.main([str(a), str(b)]) == 1
    before, after = script.questions(a, "ours"), script.questions(b, "ours")
    assert script.differences(before, after, ("answer", "status")) == [
        "q1: answer differs",
        "q2: status differs",
    ]
    assert script.differences(before, {"q1": after["q1"]}, ("status",)) == ["q2: only in one report"]
