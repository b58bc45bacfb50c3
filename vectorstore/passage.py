"""The retrieval result handed to the assistant: a chunk, its document's metadata and its scores."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Passage:
    chunk_id: str
    doc_id: str
    text: str
    title: str
    date: dt.date | None
    body: str
    doc_type: str
    council: str
    source_url: str
    classification: str
    path: str
    heading_path: tuple[str, ...] = ()
    page_start: int | None = None
    page_end: int | None = None
    score: float = 0.0
    scores: dict[str, float] = field(default_factory=dict)  # per-retriever scores/ranks

    @property
    def section(self) -> str:
        return " > ".join(self.heading_path)

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict[str, Any], score: float = 0.0) -> Passage:
        raw_date = meta.get("date") or ""
        heading = meta.get("heading_path") or ""
        return cls(
            chunk_id=chunk_id,
            doc_id=str(meta.get("doc_id", "")),
            text=text,
            title=str(meta.get("title", "")),
            date=dt.date.fromisoformat(raw_date) if raw_date else None,
            body=str(meta.get("body", "")),
            doc_type=str(meta.get("doc_type", "")),
            council=str(meta.get("council", "")),
            source_url=str(meta.get("source_url", "")),
            classification=str(meta.get("classification", "open")),
            path=str(meta.get("path", "")),
            heading_path=tuple(h for h in str(heading).split(" > ") if h),
            page_start=_opt_int(meta.get("page_start")),
            page_end=_opt_int(meta.get("page_end")),
            score=score,
        )


def _opt_int(value: Any) -> int | None:
    if value is None or value == "" or value == -1:
        return None
    return int(value)
