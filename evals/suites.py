"""The named question sets `council eval --sets` runs, and the papers each is answered from.

- `dev`: the development set, tuned on for many releases (its figures flatter the answerer).
- `validation`: new questions about the `validation` half of the papers (evals/sets/paper-split.json). Never tune
  on these questions; CI floors sit on this set.
- `tune`: questions in the same style about the `tune` half, free to tune on. Not run by default.
- `fresh`: questions about real papers of councils that are not in the sample corpus (evals/fresh/corpus/). They
  are answered from the sample corpus plus those papers together, so the sample papers are realistic distractors.
- `tune2`: questions about real papers of still other councils (evals/tune2/corpus/), for finding general causes
  on papers like the fresh ones: free to tune on, never a measure of generalisation. Not run by default.
- `tune3`: questions about real papers of yet more councils (evals/tune3/corpus/), weighted towards open questions
  (what Ofsted said, strengths, areas for improvement, concerns raised, why), names with roles and near-miss
  unanswerable questions; papers found and questions written blind. Free to tune on. Not run by default.
- `fresh2`: the same, on papers of other councils again (evals/fresh2/corpus/), added on 2026-12-06 after the
  answerer's fifth pass; papers found and questions written blind (by someone who did not run the answerer), and
  nobody has looked at how it answers them: a failure seen there is not a cause to tune on.
- `tune4`: questions about real papers of ten more councils (evals/tune4/corpus/), added on 2026-12-07 when tune3
  had been tuned on for a whole pass; papers found and questions written blind, in the judging sets' mix. Free to
  tune on. Not run by default.
- `fresh3`: questions about real papers of eleven more councils (evals/fresh3/corpus/), added on 2026-12-07 after
  the fourteenth pass, found and written blind like fresh2; for judging only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DEFAULT_SETS",
    "EVAL_SETS",
    "FRESH2_CORPUS",
    "FRESH3_CORPUS",
    "FRESH_CORPUS",
    "TUNE2_CORPUS",
    "TUNE3_CORPUS",
    "TUNE4_CORPUS",
    "EvalSet",
    "parse_sets",
]

EVALS_DIR = Path(__file__).resolve().parent
SETS_DIR = EVALS_DIR / "sets"
FRESH_CORPUS = EVALS_DIR / "fresh" / "corpus"
FRESH2_CORPUS = EVALS_DIR / "fresh2" / "corpus"
FRESH3_CORPUS = EVALS_DIR / "fresh3" / "corpus"
TUNE2_CORPUS = EVALS_DIR / "tune2" / "corpus"
TUNE3_CORPUS = EVALS_DIR / "tune3" / "corpus"
TUNE4_CORPUS = EVALS_DIR / "tune4" / "corpus"


@dataclass(frozen=True)
class EvalSet:
    name: str
    path: Path
    extra_corpora: tuple[Path, ...] = ()  # folders answered from in addition to the corpus
    description: str = ""


EVAL_SETS: dict[str, EvalSet] = {
    s.name: s
    for s in (
        EvalSet("dev", SETS_DIR / "dev.jsonl", (), "development set (tuned on)"),
        EvalSet(
            "validation", SETS_DIR / "validation.jsonl", (), "new questions, validation half of the papers"
        ),
        EvalSet("fresh", SETS_DIR / "fresh.jsonl", (FRESH_CORPUS,), "papers of councils not in the corpus"),
        EvalSet("fresh2", SETS_DIR / "fresh2.jsonl", (FRESH2_CORPUS,), "papers added later, questions blind"),
        EvalSet(
            "fresh3", SETS_DIR / "fresh3.jsonl", (FRESH3_CORPUS,), "papers added later still, questions blind"
        ),
        EvalSet("tune", SETS_DIR / "tune.jsonl", (), "new questions, tune half of the papers"),
        EvalSet("tune2", SETS_DIR / "tune2.jsonl", (TUNE2_CORPUS,), "papers of other councils, to tune on"),
        EvalSet(
            "tune3", SETS_DIR / "tune3.jsonl", (TUNE3_CORPUS,), "more papers of other councils, to tune on"
        ),
        EvalSet(
            "tune4", SETS_DIR / "tune4.jsonl", (TUNE4_CORPUS,), "papers of ten more councils, to tune on"
        ),
    )
}
DEFAULT_SETS: tuple[str, ...] = ("dev", "validation", "fresh", "fresh2", "fresh3")


def parse_sets(value: str | Sequence[str]) -> list[EvalSet]:
    """`"dev,validation"` -> those sets, in the order given; ValueError names an unknown one."""
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [n.strip() for n in names if n.strip()]
    if not names:
        raise ValueError(f"no question set named (known: {', '.join(EVAL_SETS)})")
    unknown = [n for n in names if n not in EVAL_SETS]
    if unknown:
        raise ValueError(f"unknown question set {unknown[0]!r} (known: {', '.join(EVAL_SETS)})")
    return [EVAL_SETS[n] for n in dict.fromkeys(names)]
