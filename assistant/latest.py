"""The newest paper of the kind a question asks about: "what happened at the last scrutiny meeting?" is answered
from the newest paper recording a scrutiny meeting among the passages found, not from whichever meeting's
summary reads closest to the question; older papers of the kind are history.

A paper is of the kind when its title holds every word that qualifies the focus ("scrutiny") and one of the
words a paper of that event is called by (`assistant/data/papers.yaml`: a meeting's minutes, agenda, summary),
and, for an event whose own record is a kind of paper (an inspection's report, a visit's letter), when it is of
that kind or of no known kind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from assistant.question import QuestionAnalysis, lexicon
from assistant.verify import stem


@cache
def _papers_data() -> dict[str, Any]:
    """`assistant/data/papers.yaml`, read once."""
    raw = yaml.safe_load(resources.files("assistant").joinpath("data/papers.yaml").read_text("utf-8"))
    return raw if isinstance(raw, dict) else {}


@cache
def _event_papers() -> dict[str, frozenset[str]]:
    raw = _papers_data()
    return {
        str(k).lower(): frozenset(stem(str(w).lower()) for w in v) for k, v in raw["event_papers"].items()
    }


@cache
def _event_doc_types() -> dict[str, frozenset[str]]:
    raw = _papers_data()
    return {
        stem(str(k).lower()): frozenset(str(t).lower() for t in v)
        for k, v in (raw.get("event_doc_types") or {}).items()
    }


@cache
def procedural_phrases() -> tuple[str, ...]:
    raw = _papers_data()
    return tuple(str(p).lower() for p in raw.get("procedural_phrases") or ())


def is_procedural(sentence: str) -> bool:
    """A standing item of a meeting ("No apologies were received", "the minutes ... approved as a correct
    record"): it says a meeting was held, not what happened at it."""
    low = sentence.lower()
    return any(p in low for p in procedural_phrases())


@dataclass(frozen=True)
class Paper:
    """What choosing the newest paper of a kind needs to know of one (a passage's paper or a catalog entry)."""

    doc_id: str
    title: str
    doc_type: str
    date: dt.date | None


def newest_of_kind(analysis: QuestionAnalysis, papers: Iterable[Paper]) -> str | None:
    """The doc_id of the newest dated paper of the kind a "latest"/"last" question names, or None when the
    question names no kind of paper or event, or no paper is of it. `papers` come best first (the passages
    found, then the rest of the library); of two on the same day, the earlier one wins. An undated paper of the
    kind found before the newest dated one leaves the question open (None): which is newer cannot be told."""
    if not analysis.latest:
        return None
    events = {stem(k): v for k, v in _event_papers().items()}
    focus = analysis.focus
    # the event is the focus ("the last scrutiny *meeting*"), else a topic word ("the most recent children and
    # young people scrutiny *committee*", where the small model takes "children" for the focus)
    if focus is not None and stem(focus.head.lower()) in events:
        event, words = stem(focus.head.lower()), set(focus.terms)
    else:
        event = next((t for t in sorted(analysis.key_terms) if t in events), "")
        words = set(analysis.key_terms) - {stem(v) for v in analysis.verbs}
    if not event:
        return None
    called = events[event]
    own_kinds = _event_doc_types().get(event)
    latest = {stem(w) for w in lexicon().classes["latest_words"]}
    qualifiers = words - latest - {event}
    best: tuple[dt.date, int] | None = None
    chosen = None
    undated = None  # the rank of the best undated paper of the kind
    for rank, p in enumerate(papers):
        kind = p.doc_type.lower()
        if own_kinds and kind not in {"", "other"} and kind not in own_kinds:
            continue  # the scrutiny minutes on an inspection are not the inspection's report
        title = {stem(w) for w in re.findall(r"[a-z]+", f"{p.title} {p.doc_type}".lower())}
        if not qualifiers <= title or not title & called:
            continue
        if p.date is None:
            undated = rank if undated is None else undated
            continue
        key = (p.date, -rank)
        if best is None or key > best:
            best, chosen = key, p.doc_id
    if best is not None and undated is not None and undated < -best[1]:
        # a paper of the kind found before the newest dated one cannot be placed: it may be the newer
        return None
    return chosen
