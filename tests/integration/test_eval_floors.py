"""The CI floor check: the real eval (bundled sets, bundled corpus, real MiniLM) must meet evals/floors.json.

CI's floors sit on the validation set (questions about papers nobody tunes on). It answers from the bundled corpus,
which the session fixture ingests once, so it costs about ten seconds here. The dev set's floors stay in
evals/floors.json and are checked by `make eval` (`council eval --check-floors`), not here; the fresh set needs an
index of its own (the bundled corpus plus evals/fresh/corpus), has no floors yet and runs in `make eval` too.

Only our pipeline is run here (the baseline is for the report, not a gate). When a floor breaks, the failure
message names it and the full report is written to the test's tmp folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evals.cli import DEFAULT_FLOORS, floors_for, load_floors, run_eval
from evals.questions import load_questions
from evals.report import fmt, write_report
from evals.suites import EVAL_SETS
from tests.conftest import CORPUS, TODAY


@pytest.mark.integration
@pytest.mark.parametrize("name", ["validation"])
def test_bundled_eval_meets_the_floors(real_assistant: Any, tmp_path: Path, name: str) -> None:
    floors = floors_for(load_floors(DEFAULT_FLOORS), name)
    assert floors is not None, f"no floors for {name} in {DEFAULT_FLOORS}"
    eval_set = EVAL_SETS[name]
    assert Path(floors["set"]).name == eval_set.path.name
    questions = load_questions(eval_set.path)
    run = run_eval(
        real_assistant,
        questions,
        set_path=eval_set.path,
        corpus=CORPUS,
        floors=floors,
        floors_file=str(DEFAULT_FLOORS),
        today=TODAY,
    )
    assert run.floors is not None
    broken = [f for f in run.floors if not f.ok]
    if broken:
        paths = write_report(run, tmp_path, f"eval-floors-{name}")
        lines = [
            f"{f.name} = {fmt(f.name.split('.', 1)[1], f.value)} "
            f"({'≥' if f.direction == 'min' else '≤'} {fmt(f.name.split('.', 1)[1], f.bound)} needed)"
            for f in broken
        ]
        pytest.fail(f"{name} eval floors broken:\n  " + "\n  ".join(lines) + f"\nFull report: {paths[0]}")
    assert run.ours.summary["all"].n == len(questions)
