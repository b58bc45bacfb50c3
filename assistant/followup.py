"""Follow-up questions: "and what did it say about leadership?" is searched together with the conversation."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.extractive import key_terms

_FOLLOWUP_START = re.compile(
    r"^\s*(and|also|but|so|what about|how about|and what|what else|why|when was that|is that|was that|did they|"
    r"does it|did it|has it|have they|which one|tell me more|more on|same for|what was it|how many of them)\b",
    re.I,
)
_PRONOUN = re.compile(
    r"\b(it|its|they|them|their|that|this|those|these|there|he|she|the report|the inspection|"
    r"the committee|the council|the plan|the letter|the visit)\b",
    re.I,
)


# "and the year after that?": the same question about the next (or previous) year
_LATER = re.compile(
    r"\b(?:year|one)\s+after(?:\s+(?:that|this|it))?\b|\b(?:following|next)\s+year\b|\ba\s+year\s+later\b",
    re.I,
)
_EARLIER = re.compile(
    r"\b(?:year|one)\s+before(?:\s+(?:that|this|it))?\b|\b(?:previous|preceding|prior)\s+year\b"
    r"|\ba\s+year\s+(?:earlier|before)\b",
    re.I,
)
_FY_OR_YEAR = re.compile(r"\b((?:19|20)\d\d)(?:(\s*[/–-]\s*|\s+to\s+)((?:19|20)?)(\d\d))?\b")


def _shift_years(text: str, step: int) -> str:
    def shift(m: re.Match[str]) -> str:
        start = int(m.group(1)) + step
        if m.group(2) is None:
            return str(start)
        end = (int(m.group(4)) + step) % 100
        return f"{start}{m.group(2)}{m.group(3) and str(start + 1)[:2]}{end:02d}"

    return _FY_OR_YEAR.sub(shift, text)


def rewrite(question: str, history: Sequence[dict[str, str]]) -> str | None:
    """The previous question asked again about the year after (or before) the one it named, when the follow-up
    only asks for that ("And the year after that?"); None otherwise."""
    if len(question.split()) > 10 or not history:
        return None
    step = 1 if _LATER.search(question) else -1 if _EARLIER.search(question) else 0
    previous = previous_question(history)
    if not step or not _FY_OR_YEAR.search(previous):
        return None
    return _shift_years(previous, step)


def is_followup(question: str, history: Sequence[dict[str, str]]) -> bool:
    """A question that leans on the conversation: starts like a continuation, or is short, has pronouns and few
    key terms of its own."""
    if not history or not any(h.get("question") for h in history):
        return False
    if _FOLLOWUP_START.search(question):
        return True
    terms = key_terms(question)
    return len(question.split()) <= 12 and bool(_PRONOUN.search(question)) and len(terms) <= 3


def resolve(question: str, history: Sequence[dict[str, str]]) -> tuple[str, set[str]]:
    """The query to search with, and topic terms carried over from the conversation.

    The previous question is prepended (its words name the topic: "Bury's Ofsted inspection"); the follow-up's own
    words stay last so they still decide which sentence answers it."""
    if not is_followup(question, history):
        return question, set()
    previous = previous_question(history)
    return f"{previous} {question}".strip(), key_terms(previous)


def previous_question(history: Sequence[dict[str, str]]) -> str:
    return next((h["question"] for h in reversed(history) if h.get("question")), "")
