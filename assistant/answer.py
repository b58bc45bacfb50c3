"""The answer object every surface (CLI, UI, API, evals) shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    ANSWERED = "answered"
    PARTIAL = "partial"
    NOT_FOUND = "not_found"
    REFUSED = "refused"


@dataclass
class Citation:
    """One numbered source behind an answer. `quote` occurs verbatim in `passage_text`."""

    n: int
    doc_id: str
    chunk_id: str
    title: str
    date: dt.date | None
    body: str
    doc_type: str
    page: int | None
    section: str
    quote: str
    passage_text: str
    source_url: str
    score: float = 0.0
    agenda_item: str = (
        ""  # papers synced from a committee site: "7. Ofsted Inspection of Children's Services"
    )
    links: dict[str, str] = field(default_factory=dict)  # label -> URL: meeting page, minutes, decision, ...

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["date"] = self.date.isoformat() if self.date else None
        return d


@dataclass
class Answer:
    question: str
    text: str  # with inline [n] markers
    status: Status
    citations: list[Citation] = field(default_factory=list)
    as_at: str = ""  # e.g. "As at 16 September 2025 (newest paper relied on: ...)"
    notes: list[str] = field(default_factory=list)  # e.g. fallbacks, superseded facts, dropped sentences
    answerer: str = "extractive"
    closest: list[Citation] = field(default_factory=list)  # for not_found: the nearest passages, not support
    query: str = ""  # what was searched (a follow-up is resolved against the conversation)
    answerability: float | None = None  # 0..1: how sure the answer step was that the papers answer it
    short_answer: str = ""  # the lead line of a factoid answer ("Number of complaints: 135 (…)"), if any
    signals: dict[str, float] = field(default_factory=dict)  # what the answerability score was made of

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "status": self.status.value,
            "as_at": self.as_at,
            "citations": [c.to_dict() for c in self.citations],
            "notes": list(self.notes),
            "answerer": self.answerer,
            "closest": [c.to_dict() for c in self.closest],
            "query": self.query,
            "answerability": self.answerability,
            "short_answer": self.short_answer,
            "signals": dict(self.signals),
        }
