"""How easy an answer is to read, and whether a quote reads as prose at all (the widget and the eval report).

- `reading_ease`: the Flesch reading ease score (206.835 - 1.015 words/sentence - 84.6 syllables/word; 60-70 is
  plain English, under 30 is very hard), with syllables from pyphen's hyphenation dictionary and sentences from the
  project's sentence splitter. Hyphenation points undercount a few syllables (it never splits near a word's end),
  so scores run a little high; they compare answers with each other, not with other tools.
- `is_prose`: False for text pulled out of a table (mostly figures and short labels, cell separators): residents
  never see such debris as a quote; they are sent to the paper's table instead.
- `is_labelled`: a single "label: value" line of a paper ("Inspection dates: 12 to 16 February 2024"): not prose,
  but not debris either; a resident may read it as a quote.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyphen

from assistant.answer import Answer
from assistant.citations import strip_markers
from assistant.sentences import sentence_spans

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_TOKEN = re.compile(r"\S+")
_NUMBERISH = re.compile(r"^[£$€]?[\d.,/%:–-]+[a-z%]{0,2}$", re.I)
_CELL_SEPARATORS = re.compile(r"\||\t|\s{3,}")
MIN_PROSE_WORDS = 4
MAX_FIGURE_SHARE = 0.4


@lru_cache(maxsize=1)
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


def syllables(word: str) -> int:
    return max(1, len(_dictionary().positions(word.lower())) + 1)


def reading_ease(text: str) -> float | None:
    """Flesch reading ease of `text` (citation markers removed); None when it has no words."""
    text = strip_markers(text)
    words = _WORD.findall(text)
    if not words:
        return None
    sentences = max(1, len(sentence_spans(text)))
    total = sum(syllables(w) for w in words)
    return round(206.835 - 1.015 * len(words) / sentences - 84.6 * total / len(words), 1)


def is_prose(text: str) -> bool:
    """Whether `text` reads as a sentence: enough words, few bare figures, no table cell separators."""
    if _CELL_SEPARATORS.search(text.strip()):
        return False
    tokens = _TOKEN.findall(text)
    words = [t for t in tokens if _WORD.fullmatch(t.strip(".,;:()“”\"'"))]
    figures = [t for t in tokens if _NUMBERISH.match(t.strip(".,;:()“”\"'"))]
    if len(words) < MIN_PROSE_WORDS:
        return False
    return len(figures) <= MAX_FIGURE_SHARE * len(tokens)


_LABELLED = re.compile(r"^[A-Z][A-Za-z'’() -]{1,48}:\s+\S")
MAX_LABELLED_TOKENS = 16


def is_labelled(text: str) -> bool:
    """Whether `text` is one "label: value" line (a label of one to six words, one colon, a short value, no cell
    separators): a fact as a paper sets it out, not a row pulled out of a table."""
    text = " ".join(strip_markers(text).split())
    if _CELL_SEPARATORS.search(text) or text.count(":") != 1 or not _LABELLED.match(text):
        return False
    label = text.split(":", 1)[0]
    return len(label.split()) <= 6 and len(_TOKEN.findall(text)) <= MAX_LABELLED_TOKENS


def readable_quote(text: str) -> bool:
    """Whether a resident may read `text` as a quote: prose, or one "label: value" line of a paper."""
    return is_prose(text) or is_labelled(text)


def resident_text(answer: Answer) -> str:
    """The words a resident reads first in the widget: the short answer, else the answer without its markers."""
    return str(getattr(answer, "short_answer", "") or "").strip() or strip_markers(answer.text)
