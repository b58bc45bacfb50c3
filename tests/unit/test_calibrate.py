"""The answerability fit: only tuning sets, a logistic fit that separates, a threshold for the stated target."""

from __future__ import annotations

import pytest

from assistant.answerability import Model, score
from evals.calibrate import Example, choose_threshold, fit, tuning_sets
from evals.questions import Question


def test_tuning_sets_are_named_and_each_keeps_its_papers() -> None:
    picked = tuning_sets("dev,tune2")
    assert [s.name for s in picked] == ["dev", "tune2"]
    assert picked[1].extra_corpora  # tune2 is answered from its own papers as well


@pytest.mark.parametrize("names", ["validation", "tune,fresh", "dev,fresh2"])
def test_a_judging_set_is_refused(names: str) -> None:
    with pytest.raises(ValueError, match="judging set"):
        tuning_sets(names)


def _example(signal: float, correct: bool, answerable: bool = True) -> Example:
    kind = "fact" if answerable else "unanswerable"
    q = Question("q", "q?", "", (), (), kind, "public")
    return Example(q, {"similarity": signal}, correct, answerable)


def test_fit_and_threshold_separate_right_from_wrong() -> None:
    examples = [_example(0.9, True)] * 6 + [_example(0.2, False, answerable=False)] * 4
    weights, bias = fit(examples, ["similarity"])
    assert weights["similarity"] > 0
    scores = [score(e.signals, Model(weights, bias, 0.5)) for e in examples]
    threshold, curve = choose_threshold(examples, scores, target_unanswered=0.0)
    chosen = next(c for c in curve if c["threshold"] == threshold)
    assert chosen["unanswerable_answered"] == 0.0 and chosen["coverage"] == 0.6


def test_of_thresholds_scoring_alike_the_highest_is_chosen() -> None:
    """Every threshold from 0.41 to 0.8 answers the six right answers and none of the wrong ones (one CRAG
    score): the highest, 0.8, is taken."""
    examples = [_example(0.9, True)] * 6 + [_example(0.2, False, answerable=False)] * 4
    scores = [0.8] * 6 + [0.4] * 4
    threshold, curve = choose_threshold(examples, scores, target_unanswered=1.0)
    best = max(c["crag"] for c in curve)
    assert threshold == 0.8 and next(c for c in curve if c["threshold"] == threshold)["crag"] == best
