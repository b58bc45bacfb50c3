"""Praise and criticism: whether a question asks for either, and whether a sentence gives it.

"What strengths did Ofsted find?" is answered by "children at risk of exploitation benefit from persistent work",
which shares no word with the question; "what concerns did councillors raise?" by "children wait too long for
assessments". A sentence's polarity is scored by asent (MIT: VADER's lexicon and rules on spaCy tokens, with
negation, intensifiers and "but"), on spaCy's tokenizer alone (no parse: a few hundred sentences a question cost
milliseconds), with the words and phrases of inspection reports and minutes that general English scores
otherwise layered on from `assistant/data/polarity.yaml` ("requires improvement" is criticism, "the committee
agreed" is neither). Which focus words ask for praise or criticism is data too.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc

PRAISE = 1
CRITICISM = -1
FITS = 0.25  # a sentence's compound polarity (-1 to 1) at least this far on the side asked for gives it
_CACHE_SIZE = 8192
_JOIN = "_"  # a phrase's words joined into one token ("requires_improvement"), scored as the phrase


@dataclass(frozen=True)
class _Lexicon:
    praise_focus: frozenset[str]
    criticism_focus: frozenset[str]
    remedies: frozenset[str]
    grades: frozenset[str]
    words: dict[str, float]
    negations: frozenset[str]
    phrases: dict[str, float]
    phrase_pattern: re.Pattern[str] | None


@cache
def _lexicon() -> _Lexicon:
    raw = yaml.safe_load(resources.files("assistant").joinpath("data/polarity.yaml").read_text("utf-8"))
    phrases = {str(k).lower(): float(v) for k, v in (raw.get("phrases") or {}).items()}
    pattern = (
        re.compile(
            r"\b(" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b", re.I
        )
        if phrases
        else None
    )
    return _Lexicon(
        praise_focus=frozenset(str(w).lower() for w in raw.get("praise_focus") or ()),
        criticism_focus=frozenset(str(w).lower() for w in raw.get("criticism_focus") or ()),
        remedies=frozenset(str(w).lower() for w in raw.get("remedy_verbs") or ()),
        grades=frozenset(str(w).lower() for w in raw.get("grades") or ()),
        words={str(k).lower(): float(v) for k, v in (raw.get("words") or {}).items()},
        negations=frozenset(str(w).lower() for w in raw.get("negations") or ()),
        phrases=phrases,
        phrase_pattern=pattern,
    )


def asked(phrases: list[str]) -> int:
    """`PRAISE` when one of the question's focus phrases (lemmas, e.g. "strength", "good practice") asks for
    what was done well, `CRITICISM` when one asks for what was not, 0 otherwise."""
    lex = _lexicon()
    for phrase in phrases:
        low = " ".join(phrase.lower().split())
        if low in lex.praise_focus:
            return PRAISE
        if low in lex.criticism_focus:
            return CRITICISM
    return 0


def remedy_verbs() -> frozenset[str]:
    """Verbs saying something is to be put right ("needs to improve", "need to sort out"), as lemmas."""
    return _lexicon().remedies


def asking_words() -> frozenset[str]:
    """The one-word forms of the praise and criticism a question may ask for ("strength", "well", "concern")."""
    lex = _lexicon()
    return frozenset(w for w in lex.praise_focus | lex.criticism_focus if " " not in w)


_lock = threading.Lock()
_nlp: Callable[[str], Doc] | None = None


def _pipeline() -> Callable[[str], Doc]:
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy
                from asent.component import Asent
                from asent.lang.en import CONTRASTIVE_CONJ, INTENSIFIERS, LEXICON, NEGATIONS

                lex = _lexicon()
                lexicon = dict(LEXICON) | lex.words
                lexicon |= {_JOIN.join(p.split()): v for p, v in lex.phrases.items()}
                nlp = spacy.blank("en")
                nlp.add_pipe("sentencizer")
                # the component sets asent's token and span extensions (getters, read on demand)
                score = Asent(
                    nlp,
                    lexicon=lexicon,
                    name="polarity",
                    intensifiers=INTENSIFIERS,
                    negations=set(NEGATIONS) | lex.negations,
                    contrastive_conjugations=CONTRASTIVE_CONJ,
                    lowercase=True,
                    lemmatize=False,
                    force=True,
                )
                _nlp = lambda text: score(nlp(text))  # noqa: E731
    return _nlp


_FOOTNOTE_MARKS = str.maketrans("", "", "¹²³⁴⁵⁶⁷⁸⁹⁰*†‡")


@lru_cache(maxsize=_CACHE_SIZE)
def polarity(sentence: str) -> float:
    """The sentence's compound polarity, from -1 (criticism) to 1 (praise); cached by text."""
    lex = _lexicon()
    # "What needs to improve?¹": the tokenizer would keep "?¹" as one word
    text = sentence.translate(_FOOTNOTE_MARKS)
    if lex.phrase_pattern is not None:
        text = lex.phrase_pattern.sub(lambda m: _JOIN.join(m.group(0).lower().split()), text)
    return float(_pipeline()(text)._.polarity.compound)


def fits(sentence: str, wanted: int, asked: str = "") -> bool:
    """Whether the sentence praises (`wanted` = `PRAISE`) or criticises (`CRITICISM`) clearly enough to answer.

    A sentence naming a fault outright ("there were weaknesses in providing clear and timely information") is
    criticism whatever the words describing what was at fault add up to; a negation just before the fault
    ("no significant weaknesses", "without concerns") unsays it. A fault the question (`asked`) names as a phrase
    is no answer by itself: "a Written Statement of Action was required because of significant areas of
    weakness" does not say what the areas of weakness were (one word is: "what concerns were raised?" is
    answered by "councillors raised concerns about delays")."""
    if not wanted:
        return False
    text = _without_echoes(sentence, asked) if asked else sentence
    if wanted * polarity(text) >= FITS:
        return True
    return wanted == CRITICISM and names_a_fault(text)


STRONG = -2.0  # a word or phrase of the papers' lexicon at least this critical names a fault
_NEGATED_WITHIN = 3  # words before a fault that a negation unsays it from


def names_a_fault(sentence: str) -> bool:
    """Whether the sentence names a fault (a word or phrase the lexicon scores `STRONG` or worse) un-negated."""
    faults = _faults()
    tokens = _TOKEN.findall(sentence.lower())
    negations = _lexicon().negations | _NEGATIONS
    for i in range(len(tokens)):
        size = next((n for n in (3, 2, 1) if " ".join(tokens[i : i + n]) in faults), 0)
        if size and not negations & set(tokens[max(0, i - _NEGATED_WITHIN) : i]):
            return True
    return False


def _without_echoes(sentence: str, asked: str) -> str:
    """The sentence without the fault phrases (of two words or more) that `asked` names too."""
    for pattern in _echoes(asked):
        sentence = pattern.sub(" ", sentence)
    return sentence


@lru_cache(maxsize=64)
def _echoes(asked: str) -> tuple[re.Pattern[str], ...]:
    """The fault phrases a question names, longest first, as patterns (worked out once per question, not once per
    sentence scored)."""
    said = " ".join(_TOKEN.findall(asked.lower()))
    echoed = [f for f in _faults() if " " in f and re.search(rf"\b{f}\b", said)]
    return tuple(
        re.compile(r"\b" + r"\s+".join(re.escape(w) for w in phrase.split()) + r"\b", re.I)
        for phrase in sorted(echoed, key=len, reverse=True)
    )


@cache
def _faults() -> frozenset[str]:
    lex = _lexicon()
    return frozenset(w for w, v in (lex.words | lex.phrases).items() if v <= STRONG) - lex.grades


_TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)?")
_NEGATIONS = frozenset({"no", "not", "never", "without", "nor", "none", "neither", "n't"})
