"""Refusal as one calibrated decision: should the papers' best sentence be offered as an answer?

One score from the signals the answer step already has — how similar the best sentence is to the question,
how much of the question's key terms and focus it covers, whether it holds a span of the wanted type and how
close that span stands to the focus, whether other papers agree, and whether it is about the period asked —
combined by a logistic model whose weights and threshold are fitted on the tuning questions
(`evals/calibrate.py`) and stored as data in `assistant/data/answerability.json`. The threshold is chosen for a
stated target (few unanswerable questions answered, few false refusals) and the precision–coverage curve is in
the eval report.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from assistant.candidates import BEFORE_THE_PERIOD, UNDATED_REPORT, Candidate, reports_on
from assistant.question import AnswerType, QuestionAnalysis, lexicon
from assistant.shortanswer import ShortAnswer
from assistant.text_grades import area_phrases, areas_named
from assistant.verify import stem
from ingest.inspection_record import fold

FEATURES = (
    "similarity",
    "lexical",
    "context",
    "focus",
    "period",
    "typed",
    "relation",
    "agreement",
    "factoid",
    "verb",
    "rare",
    "dense",
    "phrase",
)


@dataclass(frozen=True)
class Decision:
    answer: bool
    score: float
    reason: str
    signals: dict[str, float] = field(default_factory=dict)
    said: str = ""  # for a refusal: a sentence telling the person what was found and why it is not the answer


@dataclass(frozen=True)
class Model:
    weights: dict[str, float]
    bias: float
    threshold: float


@cache
def model() -> Model:
    raw = json.loads(resources.files("assistant").joinpath("data/answerability.json").read_text("utf-8"))
    return Model(
        {k: float(v) for k, v in raw["weights"].items()}, float(raw["bias"]), float(raw["threshold"])
    )


def features(
    analysis: QuestionAnalysis,
    candidates: Sequence[Candidate],
    shorts: Sequence[ShortAnswer | None],
    dense: float = 0.0,
) -> dict[str, float]:
    """The signals for one question, each in 0..1."""
    factoid = analysis.answer_type.factoid
    found = [s for s in shorts if s is not None]
    # a multi-part question's open parts ("... and how did they react?") have no short answer to find: the
    # typed share is of the parts a span answers ("who is ...", "how many ...")
    typed_parts = [
        s for s, p in zip(shorts, analysis.parts, strict=False) if s is not None or p.answer_type.factoid
    ]
    best = judged_sentence(candidates, shorts)
    if best is None:
        return dict.fromkeys(FEATURES, 0.0)
    # the sentence the short answers came from (or the best one) is judged; for a question of several parts each
    # answered from its own sentence ("when was it carried out, and when published?"), each sentence holds its
    # part's words only: they are judged together, by the mean of their signals
    judged = list({id(s.candidate): s.candidate for s in found}.values()) if analysis.multipart else []
    if len(judged) < 2:
        judged = [best]
    return {
        "similarity": _mean(max(0.0, c.similarity) for c in judged),
        "lexical": _mean(c.lexical for c in judged),
        "context": _mean(c.context for c in judged),
        "focus": _mean(c.focus for c in judged),
        "period": _mean(c.period for c in judged),
        "typed": (len(found) / len(typed_parts))
        if factoid and typed_parts
        else (1.0 if not factoid else 0.0),
        "relation": sum(s.relation for s in found) / len(found) if found else (0.0 if factoid else 1.0),
        "agreement": min(1.0, (max(s.agreement for s in found) - 1) / 2) if found else 0.0,
        "factoid": 1.0 if factoid else 0.0,
        "verb": max(_verb_match(analysis, c) for c in judged),
        "rare": _mean(_rare_coverage(analysis, c) for c in judged),
        "dense": dense,
        "phrase": sum(s.phrase for s in found) / len(found) if found else (0.0 if factoid else 1.0),
    }


def _mean(values: Iterable[float]) -> float:
    listed = list(values)
    return sum(listed) / len(listed)


def judged_sentence(
    candidates: Sequence[Candidate], shorts: Sequence[ShortAnswer | None]
) -> Candidate | None:
    """The sentence an answer is judged by: the one the first short answer came from, else the best one."""
    found = next((s for s in shorts if s is not None), None)
    if found is not None:
        return found.candidate
    return candidates[0] if candidates else None


def _verb_match(analysis: QuestionAnalysis, best: Candidate) -> float:
    """1 when the sentence uses the question's content verb ("received" for "how many did they receive"),
    0.5 when the question has none (only "have", "be"), 0 when it is about another action."""
    if not analysis.verbs:
        return 0.5
    words = best.words | {w.lower() for w in best.sentence.split()}
    if any(stem(v) in words for v in analysis.verbs):
        return 1.0
    # "which councillors spoke ...?": "Councillor Egan ... said:" (speaking is said in many verbs)
    speech = _speech_stems()
    said = {stem(w) for w in re.findall(r"[a-z]+", best.sentence.lower())}
    return 1.0 if any(stem(v) in speech for v in analysis.verbs) and speech & said else 0.0


@cache
def _speech_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in lexicon().classes["speech_verbs"])


def _rare_coverage(analysis: QuestionAnalysis, best: Candidate) -> float:
    """Whether the sentence holds the question's two rarest key terms (the words that say what it is about)."""
    weights = analysis.weights
    # ties broken by the word itself: a set's order differs between runs (hash seeds)
    terms = sorted(analysis.key_terms, key=lambda t: (-weights.get(t, 1.0), t))[:2]
    if not terms:
        return 0.0
    return sum(t in best.words for t in terms) / len(terms)


def score(values: dict[str, float], m: Model | None = None) -> float:
    m = m or model()
    z = m.bias + sum(m.weights.get(k, 0.0) * v for k, v in values.items())
    return 1.0 / (1.0 + math.exp(-z))


_STRICT = frozenset(
    {
        AnswerType.NUMBER,
        AnswerType.MONEY,
        AnswerType.PERCENTAGE,
        AnswerType.DATE,
        AnswerType.JUDGEMENT,
        AnswerType.DURATION,
        AnswerType.CONTACT,
    }
)


def decide(
    analysis: QuestionAnalysis,
    candidates: Sequence[Candidate],
    shorts: Sequence[ShortAnswer | None],
    threshold: float | None = None,
    dense: float = 0.0,
) -> Decision:
    """`dense` is the best dense-retrieval similarity among the passages (how close the papers came at all)."""
    values = features(analysis, candidates, shorts, dense)
    s = score(values)
    limit = model().threshold if threshold is None else threshold
    if not candidates:
        return Decision(False, 0.0, "no sentence in the passages reads as an answer", values)
    if analysis.answer_type in _STRICT and shorts and all(x is None for x in shorts):
        return Decision(
            False, s * 0.5, f"no passage gives {_KIND_WORDS[analysis.answer_type]} for it", values
        )
    best = judged_sentence(candidates, shorts)
    if (
        reports_on(analysis)
        and best is not None
        and best.dated <= UNDATED_REPORT
        and analysis.period is not None
    ):
        return Decision(
            False,
            s * 0.5,
            f"no paper written from {analysis.period.text} on reports what it asks",
            values,
            said=f"No paper held that was written from {analysis.period.text} on reports it.",
        )
    # the numbered things the part answered asks about ("stage 2"), not another part's
    part = next((x.part for x in shorts if x is not None), analysis.parts[0] if analysis.parts else None)
    asked = [n for n in analysis.numbered if part is None or names_numbered(n, part.text)]
    unnamed = [n for n in asked if best is not None and not names_numbered(n, best.sentence)]
    if analysis.answer_type in _STRICT and unnamed:
        # "how many went to stage 2?": a figure from a sentence that does not name stage 2 is another figure
        # (the year's total, stage 1's)
        return Decision(
            False,
            s * 0.5,
            f"no passage gives {_KIND_WORDS[analysis.answer_type]} for {unnamed[0]}",
            values,
            said=f"No paper held gives {_KIND_WORDS[analysis.answer_type]} for {unnamed[0]}.",
        )
    area = _area_not_named(analysis, best)
    if area:
        # "what grade did it get for care leavers?": a grade from a sentence about the service as a whole
        return Decision(
            False,
            s * 0.5,
            f"no passage gives a grade for {area}",
            values,
            said=f"No paper held gives a grade for {area}.",
        )
    if values["period"] <= BEFORE_THE_PERIOD:
        return Decision(
            False, s * 0.5, "the papers that hold it were published before the period asked", values
        )
    if s < limit:
        return Decision(False, s, f"answerability {s:.2f} below the threshold {limit:.2f}", values)
    return Decision(True, s, f"answerability {s:.2f}", values)


def _area_not_named(analysis: QuestionAnalysis, best: Candidate | None) -> str:
    """For a grade asked for a judged area ("care leavers"), the area in the question's words when the sentence
    giving the grade names none of the areas asked; "" otherwise."""
    if analysis.answer_type != AnswerType.JUDGEMENT or best is None:
        return ""
    asked = [a for a in areas_named(analysis.text) if a != "overall_effectiveness"]
    if not asked or set(asked) & set(areas_named(best.sentence)):
        return ""
    words = fold(analysis.text)
    return next((p for p in area_phrases()[asked[0]] if p in words), asked[0].replace("_", " "))


_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def names_numbered(name: str, sentence: str) -> bool:
    """Whether `sentence` names the numbered thing `name` ("stage 2": "Stage 2", "stage two", "stages 1 and 2")."""
    noun, number = name.rsplit(" ", 1)
    spelt = _NUMBER_WORDS[int(number)] if int(number) < len(_NUMBER_WORDS) else number
    numbers = rf"(?:{number}|{spelt})"
    pattern = rf"\b{re.escape(noun)}s?\s+(?:\d+\s*(?:,|and|or|&)\s*)*{numbers}\b"
    return re.search(pattern, sentence, re.I) is not None


_KIND_WORDS = {
    AnswerType.NUMBER: "a number",
    AnswerType.MONEY: "a sum of money",
    AnswerType.PERCENTAGE: "a percentage",
    AnswerType.DATE: "a date",
    AnswerType.JUDGEMENT: "an Ofsted judgement",
    AnswerType.DURATION: "a length of time",
    AnswerType.CONTACT: "contact details",
}
