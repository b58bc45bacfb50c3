"""The CI floor check: the real eval (bundled set, bundled corpus, real MiniLM) must meet evals/floors.json.

Only our pipeline is run here (the baseline is for the report, not a gate). When a floor breaks, the failure
message names it and the full report is written to the test's tmp folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evals.cli import DEFAULT_FLOORS, DEFAULT_SET, load_floors, run_eval
from evals.questions import load_questions
from evals.report import fmt, write_report
from tests.conftest import CORPUS, TODAY


@pytest.mark.integration
def test_bundled_eval_meets_the_floors(real_assistant: Any, tmp_path: Path) -> None:
    floors = load_floors(DEFAULT_FLOORS)
    assert Path(floors["set"]).name == DEFAULT_SET.name
    run = run_eval(
        real_assistant,
        load_questions(DEFAULT_SET),
        set_path=DEFAULT_SET,
        corpus=CORPUS,
        floors=floors,
        floors_file=str(DEFAULT_FLOORS),
        today=TODAY,
    )
    assert run.floors is not None
    broken = [f for f in run.floors if not f.ok]
    if broken:
        paths = write_report(run, tmp_path, "eval-floors")
        lines = [
            f"{f.name} = {fmt(f.name.split('.', 1)[1], f.value)} "
            f"({'≥' if f.direction == 'min' else '≤'} {fmt(f.name.split('.', 1)[1], f.bound)} needed)"
            for f in broken
        ]
        pytest.fail("Eval floors broken:\n  " + "\n  ".join(lines) + f"\nFull report: {paths[0]}")
    assert run.ours.summary["all"].n == len(load_questions(DEFAULT_SET))
