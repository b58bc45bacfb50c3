"""Fit the answerability model: one logistic score from the answer step's signals, and its threshold.

    python -m evals.calibrate --sets dev,tune,tune2,tune3,tune4 [--target-unanswered 0.25]

Every question of the tuning sets is answered with the threshold at 0 (so each answerable-looking question
gets its best answer), and labelled 1 when that answer is correct (states every `must_contain` item) and 0
when it is wrong or the question should have been declined (kind `unanswerable`). A logistic regression on the
signals (`assistant.answerability.FEATURES`) is fitted by gradient descent with a small L2 penalty; the
threshold is the one that maximises the CRAG score (+1 right, −1 wrong, 0 declined) on the same questions while
answering at most `--target-unanswered` of the unanswerable ones (of thresholds scoring within 0.005 of the best,
the highest: a wrong answer costs more than a refusal). Weights, bias, threshold and the
precision–coverage table are written to `assistant/data/answerability.json`.

Each named set is answered from its own papers, as `council eval --sets` answers it (tune2 from the sample
corpus plus evals/tune2/corpus, tune3 and tune4 likewise with their own folders), so the model also learns
from papers of councils outside the sample corpus.
Only tuning sets may be passed here: the validation and fresh sets judge the result, and naming one is an error.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from evals.metrics import answer_correct
from evals.questions import Question, load_questions
from evals.suites import EvalSet, parse_sets

OUT = Path(__file__).resolve().parent.parent / "assistant" / "data" / "answerability.json"
SKIP_KINDS = {"guardrail"}


@dataclass
class Example:
    question: Question
    signals: dict[str, float]
    correct: bool
    answerable: bool


def collect(assistant: object, questions: Sequence[Question]) -> list[Example]:
    """Answer every question with the threshold at 0 and label the answer."""
    from evals.runner import assistant_answer_fn

    answer_fn = assistant_answer_fn(assistant)  # type: ignore[arg-type]
    out = []
    for q in questions:
        if q.kind in SKIP_KINDS:
            continue
        answer = answer_fn(q)
        signals = getattr(answer, "signals", None) or {}
        if not signals:
            continue  # refused by a guardrail or nothing retrieved: no score to fit
        answerable = q.kind != "unanswerable"
        correct = answerable and bool(
            answer_correct(q.kind, answer.status.value, answer.text, q.must_contain)[0]
        )
        out.append(Example(q, dict(signals), correct, answerable))
    return out


def fit(
    examples: Sequence[Example], features: Sequence[str], l2: float = 0.01, steps: int = 4000
) -> tuple[dict[str, float], float]:
    """Logistic regression by gradient descent: P(correct answer | signals)."""
    xs = [[e.signals.get(f, 0.0) for f in features] for e in examples]
    ys = [1.0 if e.correct else 0.0 for e in examples]
    w = [0.0] * len(features)
    b = 0.0
    lr = 0.5
    n = len(xs)
    for _ in range(steps):
        gw = [0.0] * len(features)
        gb = 0.0
        for x, y in zip(xs, ys, strict=True):
            z = b + sum(wi * xi for wi, xi in zip(w, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            d = p - y
            gb += d
            for i, xi in enumerate(x):
                gw[i] += d * xi
        b -= lr * gb / n
        w = [wi - lr * (gi / n + l2 * wi) for wi, gi in zip(w, gw, strict=True)]
    return dict(zip(features, (round(v, 4) for v in w), strict=True)), round(b, 4)


def choose_threshold(
    examples: Sequence[Example], scores: Sequence[float], target_unanswered: float
) -> tuple[float, list[dict[str, float]]]:
    """The threshold with the best CRAG score among those answering at most `target_unanswered` of the
    unanswerable questions (the highest of those scoring within `CRAG_TIE` of the best), and the
    precision–coverage curve."""
    n_unans = sum(not e.answerable for e in examples) or 1
    curve = []
    best_t, best_crag = 0.5, -math.inf
    for i in range(0, 100):
        t = i / 100
        answered = [(e, s) for e, s in zip(examples, scores, strict=True) if s >= t]
        right = sum(e.correct for e, _ in answered)
        wrong = len(answered) - right
        unans = sum(not e.answerable for e, _ in answered)
        crag = (right - wrong) / len(examples)
        curve.append(
            {
                "threshold": t,
                "coverage": round(len(answered) / len(examples), 4),
                "precision": round(right / len(answered), 4) if answered else 1.0,
                "unanswerable_answered": round(unans / n_unans, 4),
                "crag": round(crag, 4),
            }
        )
    # among the thresholds meeting the target, the best CRAG score; of those within `CRAG_TIE` of it, the highest
    # threshold: a wrong answer costs a council more than a refusal, so an equal score is taken with fewer answers
    eligible = [
        (c["threshold"], c["crag"]) for c in curve if c["unanswerable_answered"] <= target_unanswered + 1e-9
    ]
    if eligible:
        best_crag = max(c for _, c in eligible)
        best_t = max(t for t, c in eligible if c >= best_crag - CRAG_TIE)
    return best_t, curve


CRAG_TIE = 0.005  # CRAG scores this close are equal (about one question in two hundred)


JUDGING_SETS = frozenset({"validation", "fresh", "fresh2", "fresh3"})


def tuning_sets(names: str) -> list[EvalSet]:
    """The named sets, refusing any set that judges the result (fitting on it would flatter the figures)."""
    picked = parse_sets(names)
    judging = [s.name for s in picked if s.name in JUDGING_SETS]
    if judging:
        raise ValueError(
            f"{', '.join(judging)}: a judging set; fit on tuning sets only (dev, tune, tune2, tune3, tune4)"
        )
    return picked


def main(
    sets: Annotated[
        str, typer.Option(help="Tuning sets by name, comma-separated.")
    ] = "dev,tune,tune2,tune3,tune4",
    corpus: Annotated[Path, typer.Option(help="Corpus folder.")] = Path("data/corpus"),
    out: Annotated[Path, typer.Option(help="Where the eval indexes live.")] = Path("reports"),
    target_unanswered: Annotated[
        float, typer.Option(help="Most unanswerable questions answered at the chosen threshold.")
    ] = 0.25,
    write: Annotated[Path, typer.Option(help="Where to write the model.")] = OUT,
) -> None:
    from assistant.answerability import FEATURES, Model, score
    from assistant.factory import store_for
    from assistant.service import Assistant
    from assistant.settings import load_settings
    from evals.cli import eval_index_dir
    from vectorstore.indexer import Indexer

    try:
        picked = tuning_sets(sets)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--sets") from None
    settings = load_settings()
    examples: list[Example] = []
    for chosen in picked:
        roots = [corpus, *chosen.extra_corpora]
        eval_settings = settings.model_copy(
            update={"index_dir": eval_index_dir(out, roots), "chroma_url": "", "min_answerability": 0.0}
        )
        store = store_for(eval_settings)
        Indexer(store, eval_settings.ingest()).sync(roots, prune=True)
        assistant = Assistant.from_settings(eval_settings, store=store)
        examples += collect(assistant, load_questions(chosen.path))
    weights, bias = fit(examples, FEATURES)
    model = Model(weights, bias, 0.5)
    scores = [score(e.signals, model) for e in examples]
    threshold, curve = choose_threshold(examples, scores, target_unanswered)
    chosen_point = next(c for c in curve if c["threshold"] == threshold)
    data = {
        "note": (
            f"Fitted by evals/calibrate.py on {dt.date.today().isoformat()} from {len(examples)} tuning questions "
            f"({', '.join(s.name for s in picked)}); threshold chosen for at most {target_unanswered:.0%} of "
            "unanswerable questions answered, best CRAG score."
        ),
        "weights": weights,
        "bias": bias,
        "threshold": threshold,
        "at_threshold": chosen_point,
        "curve": curve[::5],
    }
    write.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    typer.echo(json.dumps({k: data[k] for k in ("weights", "bias", "threshold", "at_threshold")}, indent=2))


if __name__ == "__main__":  # pragma: no cover
    typer.run(main)
