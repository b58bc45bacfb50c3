"""Plain data objects that flow out of ingestion: parsed documents, their metadata and chunks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class DocType(StrEnum):
    CABINET_REPORT = "cabinet report"
    INSPECTION_REPORT = "inspection report"
    MONITORING_LETTER = "monitoring/focused-visit letter"
    SCRUTINY_MINUTES = "scrutiny minutes"
    COMPLAINTS_REPORT = "complaints report"
    SUMMARY = "summary"
    GUIDANCE = "guidance"
    OTHER = "other"


class Classification(StrEnum):
    OPEN = "open"
    EXEMPT = "exempt"


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    TABLE = "table"
    LIST = "list"


@dataclass(frozen=True)
class Block:
    """One structural unit of a parsed document, in reading order."""

    text: str
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0  # heading level (1 = top); 0 for non-headings
    page: int | None = None  # 1-based page for paginated formats


@dataclass
class ParsedDocument:
    """What a loader returns: the text as blocks plus whatever header fields the file carried."""

    blocks: list[Block]
    front_matter: dict[str, str] = field(default_factory=dict)
    page_count: int | None = None
    file_type: str = "text"


@dataclass(frozen=True)
class DocumentMeta:
    doc_id: str
    title: str
    council: str
    body: str
    doc_type: DocType
    date: dt.date | None
    date_text: str
    source_url: str
    classification: Classification
    content_hash: str
    path: str
    publisher: str = ""
    file_type: str = "text"
    page_count: int | None = None
    agenda_item: str = ""  # papers from a committee site: the agenda item they belong to
    links: tuple[tuple[str, str], ...] = ()  # (label, URL): meeting page, minutes, decision, issue history


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    ordinal: int
    text: str  # the passage as shown and quoted
    embed_text: str  # context prefix + text, what gets embedded
    heading_path: tuple[str, ...] = ()
    page_start: int | None = None
    page_end: int | None = None
    n_tokens: int = 0
