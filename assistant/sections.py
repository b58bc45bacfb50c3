"""A paper's own section headings as pointers to an answer.

Papers set out what a reader looks for under headings: "What needs to improve?", "Areas for improvement",
"Recommendations", "Next steps", "Complaints received". A question that echoes a heading ("what were Stockport's
areas for improvement?") is answered by the section under it, whose lines (a list of findings, often with no verb
and none of the question's words) rank poorly on their own words. This module says whether a section's heading
fits a question and picks the sections of the papers found that do; the candidate step reads a section's lines
with its heading's words, as it reads a list's items with the sentence introducing them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

from assistant.nlp import parse
from assistant.question import AnswerType, QuestionAnalysis, lexicon
from assistant.sentences import introduces_list
from assistant.verify import content_words, stem
from vectorstore.passage import Passage

MAX_HEADING_WORDS = 10  # a longer "heading" is a sentence the reader took for one
PER_PAPER = 2  # the first chunks of a fitting section taken from each paper
_NUMBERED = re.compile(r"^(?:paragraphs?|para\.?|section|item|appendix)\s*[\d.–-]+\b", re.I)


def section_heading(heading_path: Sequence[str]) -> str:
    """The heading a chunk sits under: the last of its heading path that names something (not "paragraph 74")."""
    for heading in reversed(heading_path):
        if heading.strip() and not _NUMBERED.match(heading.strip()):
            return heading.strip()
    return ""


def heading_words(heading: str, places: Iterable[str] = ()) -> set[str]:
    """A heading's content words, without light verbs ("What *needs* to improve?") and the names of places (a
    heading naming the council fits every question about it)."""
    if not heading or len(heading.split()) > MAX_HEADING_WORDS:
        return set()
    named: set[str] = set(_light())
    for place in places:
        named |= _words(place)
    return {w for w in _words(heading) if not w.isdigit()} - named


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    """`content_words`, kept: every chunk of every paper found is tried against one question and its places,
    and a section's heading repeats on each of its chunks."""
    return frozenset(content_words(text))


@cache
def _light() -> frozenset[str]:
    return frozenset(stem(w) for w in lexicon().classes["light_verbs"])


def about_terms(analysis: QuestionAnalysis) -> frozenset[str]:
    """The words a question is about: its key terms and its focus's ("areas for improvement")."""
    return analysis.key_terms | _focus_words(analysis)


def _focus_words(analysis: QuestionAnalysis) -> frozenset[str]:
    focus = analysis.focus
    if focus is None:
        return frozenset()
    return focus.terms | _words(f"{focus.head} {focus.core}")


def heading_fits(analysis: QuestionAnalysis, heading: str, places: Iterable[str] = ()) -> bool:
    """Whether the question asks for what stands under `heading`. Only an open question (a list, a description;
    a short answer such as a name or a figure, or a trend, is found in its own sentences), using every content
    word of the heading, one of them a word it is about; a heading of one word fits only when it introduces what
    follows (a question, "What needs to improve?", or a colon) or names what the question asks for
    ("Recommendations")."""
    if analysis.answer_type.factoid or analysis.change:
        return False  # a figure, or figures over time, is found in its own sentences
    words = heading_words(heading, places)
    if not words:
        return False
    if _names_the_focus(analysis, heading, words):
        return True
    if not words <= _words(analysis.text) or not words & about_terms(analysis):
        return False
    return len(words) >= 2 or introduces_list(heading) or bool(words & _focus_words(analysis))


def _names_the_focus(analysis: QuestionAnalysis, heading: str, words: set[str]) -> bool:
    """A heading whose head noun is what the question asks for ("Six Key Priorities for the Coming Year" for
    "what are the priorities in the response?"), unless that is a word every paper's headings use ("services",
    "children")."""
    focus = analysis.focus
    if focus is None or focus.head in lexicon().classes["service_nouns"]:
        return False
    head = stem(focus.head)
    return head in words and _head_noun(heading) == head


@lru_cache(maxsize=4096)
def _head_noun(heading: str) -> str:
    """The stem of a heading's head noun (the root of its parse), or "" when its root is not a noun."""
    root = parse(heading)[:].root
    return stem(root.lower_) if root.pos_ in {"NOUN", "PROPN"} else ""


def read_under(analysis: QuestionAnalysis, heading: str, places: Iterable[str] = ()) -> set[str]:
    """The words every line of a section is read with: when its heading fits the question and introduces a list
    (a question or a colon: "What needs to improve?"), or the question asks for a list, the heading's words and
    the words the question is about (the lines answer them: the report's list is the areas for improvement);
    otherwise none (a descriptive heading is context, which the candidate step reads already)."""
    if not heading_fits(analysis, heading, places):
        return set()
    if not (introduces_list(heading) or analysis.answer_type == AnswerType.LIST):
        return set()
    return heading_words(heading, places) | about_terms(analysis)


def fitting_sections(
    analysis: QuestionAnalysis,
    papers: Sequence[Sequence[Passage]],
    have: Iterable[str],
    limit: int,
    places: Iterable[str] = (),
) -> list[Passage]:
    """Of each paper's chunks (in reading order), the first `PER_PAPER` of the sections whose heading fits the
    question and that are not among `have` (chunk ids); at most `limit` in all, papers in the order given."""
    seen = set(have)
    places = tuple(places)
    out: list[Passage] = []
    for chunks in papers:
        taken = 0
        for chunk in chunks:
            if taken >= PER_PAPER or len(out) >= limit:
                break
            if chunk.chunk_id in seen or not heading_fits(
                analysis, section_heading(chunk.heading_path), places
            ):
                continue
            seen.add(chunk.chunk_id)
            out.append(chunk)
            taken += 1
    return out
