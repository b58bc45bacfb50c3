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


@lru_cache(maxsize=_CACHE_SIZE)
def polarity(sentence: str) -> float:
    """The sentence's compound polarity, from -1 (criticism) to 1 (praise); cached by text."""
    lex = _lexicon()
    text = sentence
    if lex.phrase_pattern is not None:
        text = lex.phrase_pattern.sub(lambda m: _JOIN.join(m.group(0).lower().split()), text)
    return float(_pipeline()(text)._.polarity.compound)


def fits(sentence: str, wanted: int) -> bool:
    """Whether the sentence praises (`wanted` = `PRAISE`) or criticises (`CRITICISM`) clearly enough to answer."""
    return bool(wanted) and wanted * polarity(sentence) >= FITS
