"""Follow-up questions, resolved against the previous question so that the answer step sees a whole question.

- "And the year after that?" / "and the one before?" — the previous question with its year moved on or back.
- "What about Rochdale?" / "And for 2023/24?" / "And adoption performance?" — the previous question asked of
  another council, period or thing (the new words replace the previous question's council, period or focus).
- "Why?" — why the previous answer holds: a reason question about the previous question's topic.
- "When was that decision made?", "How many of those were upheld?" — the question keeps its own kind and focus
  and borrows the previous question's topic, council and period.

A resolved follow-up is shown to the person as "Answered as: ...", and goes through the same cleaning, limits
and guardrails as any question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.citations import strip_markers
from assistant.nlp import parse
from assistant.question import AnswerType
from assistant.spans import typed_spans

_FOLLOWUP_START = re.compile(
    r"^\s*(?:and|also|but|so|what about|how about|and what|what else|"
    r"which one|tell me more|more on|same for|what was it|how many of them|how many of those)\b",
    re.I,
)
# a question opening like one about the answer before ("why ...", "did they ...", "has it ...") leans on it unless
# it says what it is about itself (a place, or more words of its own than a follow-up has)
_QUESTION_START = re.compile(
    r"^\s*(?:why|is that|was that|did they|does it|did it|has it|have they)\b",
    re.I,
)
# "how many did Bexley get?": a count with no noun counts what the question before counted
_ELLIPSIS = re.compile(
    r"^\s*(?:and\s+)?how\s+(?:many|much)\s+(?:did|do|does|were|was|have|has|had|are|is|will|would)\b", re.I
)
_PRONOUN = re.compile(
    r"\b(?:it|its|they|them|their|that|this|those|these|there|he|she|him|his|her|the report|the inspection|"
    r"the committee|the council|the plan|the letter|the visit|the decision)\b",
    re.I,
)
_WHAT_ABOUT = re.compile(
    r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(.+?)\s*\??\s*$|^\s*and\s+(?:for\s+|in\s+)?(.+?)\s*\??\s*$", re.I
)
_WHY = re.compile(
    r"^\s*(?:and\s+|but\s+|so\s+)?why\b(?:\s+(?:is|was|did|does|has)\s+(?:that|it|this))?\s*\??\s*$", re.I
)
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
_MAX_FOLLOWUP_WORDS = 14
_OWN_TERMS = 3  # a follow-up has at most this many key terms of its own


@dataclass
class Resolved:
    question: str  # what the answer step analyses
    query: str  # what is searched
    note: str = ""  # "Answered as: ..." for the person asking
    carried: str = ""  # the previous question whose topic, council and period a pronoun follow-up borrows
    reason: bool = False  # "why?": the answer is a reason for the previous answer
    checked: list[str] = field(default_factory=list)  # every text the guardrails must see


def previous_question(history: Sequence[dict[str, str]]) -> str:
    return next((h["question"] for h in reversed(history) if h.get("question")), "")


def previous_answer(history: Sequence[dict[str, str]]) -> str:
    return next((h.get("answer", "") for h in reversed(history) if h.get("question")), "")


def is_followup(
    question: str, history: Sequence[dict[str, str]], own_terms: int, places: Sequence[str] = ()
) -> bool:
    """A question that leans on the conversation: starts like a continuation, or is short, has pronouns and
    few words of its own. A pronoun in a question that names its councils itself points at them ("how does
    Oldham compare with Wigan on *their* latest inspections?"), not at the conversation."""
    if not previous_question(history):
        return False
    if _FOLLOWUP_START.search(question) or _ELLIPSIS.search(question):
        return True
    if any(re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", question, re.I) for p in places):
        return False
    if _QUESTION_START.search(question):
        return own_terms <= _OWN_TERMS
    return len(question.split()) <= 12 and bool(_PRONOUN.search(question)) and own_terms <= _OWN_TERMS


def _shift_years(text: str, step: int) -> str:
    def shift(m: re.Match[str]) -> str:
        start = int(m.group(1)) + step
        if m.group(2) is None:
            return str(start)
        end = (int(m.group(4)) + step) % 100
        return f"{start}{m.group(2)}{m.group(3) and str(start + 1)[:2]}{end:02d}"

    return _FY_OR_YEAR.sub(shift, text)


def resolve(
    question: str,
    history: Sequence[dict[str, str]],
    *,
    own_terms: int,
    places: Sequence[str] = (),
    previous_focus: str = "",
    previous_places: Sequence[str] = (),
) -> Resolved:
    """`question` made whole against the conversation. `own_terms` is how many key terms it has of its own;
    `places` the council place names held; `previous_focus` and `previous_places` what the previous question
    asked about and of whom."""
    previous = previous_question(history)
    plain = Resolved(question, question, checked=[question])
    if (
        not previous
        or len(question.split()) > _MAX_FOLLOWUP_WORDS
        or not is_followup(question, history, own_terms, places)
    ):
        return plain
    checked = [question, previous]
    step = 1 if _LATER.search(question) else -1 if _EARLIER.search(question) else 0
    if step and _FY_OR_YEAR.search(previous):
        rewritten = _shift_years(previous, step)
        return Resolved(rewritten, rewritten, f"Answered as: {rewritten}", checked=[*checked, rewritten])
    if _WHY.match(question):
        asked = f"Why {_lower_first(previous.rstrip('?'))}?"
        return Resolved(
            asked,
            f"{previous} why reason because",
            f"Answered as: {asked}",
            reason=True,
            checked=[*checked, asked],
        )
    named = _person_before(history) if _PERSON_PRONOUN.search(question) else ""
    if named:
        # "who did she replace?" after an answer naming Jane Parfrement: "who did Jane Parfrement replace?", with
        # the previous question's topic, council and period
        asked = _named_for_pronoun(question, named)
        return Resolved(
            asked,
            f"{previous} {asked}".strip(),
            f"Answered as: {asked}",
            carried=previous,
            checked=[*checked, asked],
        )
    m = _WHAT_ABOUT.match(question)
    new = (m.group(1) or m.group(2) or "").strip() if m else ""
    if new and _is_phrase(new):
        rewritten = _substitute(previous, new, places, previous_focus, previous_places)
        if rewritten and rewritten != previous:
            return Resolved(rewritten, rewritten, f"Answered as: {rewritten}", checked=[*checked, rewritten])
    query = f"{previous} {question}".strip()
    return Resolved(
        question, query, f"Answered as a follow-up to: {previous}", carried=previous, checked=checked
    )


_PERSON_PRONOUN = re.compile(r"\b(?:she|he|her|him|his)\b", re.I)
# a short answer's lead line: "Director: Jane Okafor (...).", "Lead inspector — Bury Council, ILACS standard
# inspection (published 29 July 2025): Rebecca Dubbins [1]."
_LEAD = re.compile(r"^(?![-•]\s)[^:“”]{1,120}:\s+(.+)$")  # (not a summary's point)


def _person_before(history: Sequence[dict[str, str]]) -> str:
    """The person the previous answer leads with ("Director: Jane Parfrement (Derbyshire County Council) [1]."),
    or "" when its first line names no one."""
    answer = previous_answer(history).strip()
    lead = _LEAD.match(strip_markers(answer.splitlines()[0])) if answer else None
    if lead is None:
        return ""  # a refusal, or a summary: no one answered
    value = lead.group(1)
    return next((s.text for s in typed_spans(value, parse(value)) if s.kind == AnswerType.PERSON), "")


def _named_for_pronoun(question: str, name: str) -> str:
    """The question with its first personal pronoun replaced by `name` ("when was she appointed?" -> "when was
    Jane Parfrement appointed?"; "what was his role?" -> "what was Ian Johnson's role?")."""

    def named(m: re.Match[str]) -> str:
        return f"{name}'s" if m.group(0).lower() == "his" else name

    return _PERSON_PRONOUN.sub(named, question, count=1)


def _substitute(
    previous: str, new: str, places: Sequence[str], focus: str, previous_places: Sequence[str]
) -> str:
    """The previous question with `new` in place of its council, its period or its focus."""
    new_place = next(
        (
            p
            for p in sorted(places, key=len, reverse=True)
            if re.fullmatch(rf"(?:the\s+)?{re.escape(p)}(?:['’]s)?", new, re.I)
        ),
        None,
    )
    if new_place is not None:
        for old in previous_places:
            swapped = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new_place, previous, flags=re.I)
            if swapped != previous:
                return swapped
        return f"{previous.rstrip('?')} in {new_place}?"
    if _FY_OR_YEAR.fullmatch(new.strip()):
        if _FY_OR_YEAR.search(previous):
            return _FY_OR_YEAR.sub(new.strip(), previous, count=1)
        return f"{previous.rstrip('?')} in {new.strip()}?"
    if focus and re.search(re.escape(focus), previous, re.I) and len(new.split()) <= 6:
        return re.sub(re.escape(focus), new, previous, count=1, flags=re.I)
    return ""


_NOT_PHRASE_START = frozenset(
    [
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "is",
        "are",
        "was",
        "were",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "can",
        "could",
        "will",
        "would",
        "should",
        "shall",
        "may",
        "might",
        "must",
    ]
)


def _is_phrase(text: str) -> bool:
    """ "Rochdale", "2023/24", "adoption performance" — not a clause of its own ("what was leadership judged")."""
    words = text.split()
    return 0 < len(words) <= 6 and words[0].lower() not in _NOT_PHRASE_START


def _lower_first(text: str) -> str:
    words = text.split(" ", 1)
    if words and words[0].isupper() and len(words[0]) > 1:
        return text  # an acronym
    return text[:1].lower() + text[1:]
