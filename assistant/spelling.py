"""Misspelt words in a question, read as the papers' words ("complants" -> "complaints", "ofstead" -> "Ofsted"),
and plain words the papers say another way ("kids" -> "children", from the glossary's plain words).

A misspelt word finds nothing in the keyword index and misleads the question's analysis, so a question about
"complants" was refused though the papers give the figure. Only lower-case words of four letters or more that
no paper uses and that are not places are checked (names and acronyms are left as written). Their readings are
the words one edit away that the papers use (pyspellchecker's edits), the commonest in the papers first; failing
those, the English words two edits away (pyspellchecker's dictionary) that the papers use. A word with no such
reading is left as it is. The answer says how the question was read. Only questions in English are read so (the
pipeline asks py3langid), and the guardrails see the question as written as well as as read: a correction may never
turn a refused question into an answered one ("Jaki jest adres ...?" is Polish for "what is the address of ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from functools import cache
from typing import Any

from vectorstore.glossary import PLAIN_WORDS

MIN_LENGTH = 4  # shorter words have too many neighbours one edit away to guess between
ENGLISH_CONFIDENCE = (
    0.9  # only a question this surely English is read for misspellings (py3langid's probability)
)

# (words) -> how many passages of the papers use each word (0: none)
Frequency = Callable[[Sequence[str]], dict[str, int]]

_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")


@cache
def _checker() -> Any:
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=2)


def readings(question: str, frequency: Frequency, keep: Collection[str] = ()) -> dict[str, str]:
    """The misspelt words of `question` with the word each is read as; `keep`: words never changed (the place
    names the question may use, in lower case)."""
    kept = {w.lower() for w in keep}
    words = sorted({m.group() for m in _WORD.finditer(question) if len(m.group()) >= MIN_LENGTH} - kept)
    if not words:
        return {}
    used = frequency(words)
    unknown = [w for w in words if not used.get(w)]
    if not unknown:
        return {}
    checker = _checker()
    out: dict[str, str] = {}
    for word in unknown:
        # a plain word the papers say another way ("kids": "children"; the glossary's plain words)
        plain = [w for w in PLAIN_WORDS.get(word, ()) if " " not in w]
        if plain and (said := _commonest(plain, frequency, kept)) is not None:
            out[word] = said
            continue
        if _english(word, checker):  # an English word the papers do not use: nothing to correct
            continue
        best = _commonest(sorted(checker.edit_distance_1(word)), frequency, kept)
        if best is None:
            best = _commonest(sorted(checker.candidates(word) or ()), frequency, kept)
        if best is not None and best != word:
            out[word] = best
    return out


# British spellings and the American ones pyspellchecker's dictionary holds ("criticise": "criticize")
_BRITISH = (
    ("is", "iz"),  # criticise, organisation, recognised
    ("ys", "yz"),  # analyse
    ("our", "or"),  # behaviour, colour
    ("tre", "ter"),  # centre
    ("ae", "e"),  # paediatric
    ("mme", "m"),  # programme
    ("ence", "ense"),  # defence
)


def _english(word: str, checker: Any) -> bool:
    """Whether `word` is English, in its British spelling too ("criticise" was read as "criticism")."""
    if word in checker:
        return True
    spellings = {word}
    for british, american in _BRITISH:
        spellings |= {w.replace(british, american) for w in spellings}
    return any(w in checker for w in spellings - {word})


def _commonest(options: Sequence[str], frequency: Frequency, kept: Collection[str]) -> str | None:
    """The option the papers use most, an English word before any other; the index keeps word stems, so
    "ofsted" and "ofsteed" count alike: the shorter is taken (an extra letter is the likelier slip)."""
    options = [o for o in options if len(o) >= MIN_LENGTH - 1 and _LETTERS.fullmatch(o) and o not in kept]
    if not options:
        return None
    used = frequency(options)
    checker = _checker()
    found = [(o in checker, n, -len(o), o) for o, n in used.items() if n > 0]
    return max(found)[3] if found else None


_LETTERS = re.compile(r"[a-z]+")


def corrected(question: str, found: dict[str, str]) -> str:
    """`question` with each misspelt word replaced by its reading."""
    if not found:
        return question
    return _WORD.sub(lambda m: found.get(m.group(), m.group()), question)


NOTE_PREFIX = "Read “"  # how the note begins (the web shows it above the answer)


def note(found: dict[str, str]) -> str:
    """What the answer says of the readings: "Read “complants” as “complaints”." """
    pairs = ", ".join(f"“{w}” as “{r}”" for w, r in found.items())
    return f"Read {pairs}." if found else ""
