"""Structure-aware chunking.

Sections start at headings and at numbered paragraphs ("2.1 Cabinet should ...", "12. Children ..."), whose
number joins the heading path ("... > paragraph 12"); blocks are packed into chunks of at most `max_tokens`
word-pieces; in a paginated paper a chunk never spans two pages, so the page of a chunk is the page of every quote
from it; tables stay whole (a table too big for one chunk is split by rows, repeating
its header row); a long paragraph is split by sentences; neighbouring chunks of one section overlap by about
`overlap_tokens`. Each chunk keeps its heading path and pages, and gets a short context prefix (title, date,
section) that is embedded with it but not shown. A section's heading (below the title) is also the first
line of its first chunk, so its words are searched and read with what follows ("What needs to improve?"
above the report's list).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ingest.documents import Block, BlockKind, Chunk, DocumentMeta, ParsedDocument
from ingest.text import fmt_date
from ingest.tokens import TokenCounter, approx_count

CHUNKER_VERSION = "5"  # bump when loaders or chunking change their output: it renames the index
PREFIX_MAX_TOKENS = 48
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]?\s+(?=[A-Z0-9\"'“(])")
_NUMBERED = re.compile(r"^(\d{1,3}(?:\.\d{1,2}){1,2})\s+[A-Z]|^(\d{1,3})\.(?:\s+|(?=[A-Z]))\S")


@dataclass(frozen=True)
class ChunkingConfig:
    max_tokens: int = 200
    overlap_tokens: int = 30
    min_tokens: int = 80

    def identity(self) -> str:
        return f"v{CHUNKER_VERSION}:max{self.max_tokens}:ov{self.overlap_tokens}:min{self.min_tokens}"


@dataclass
class _Piece:
    text: str
    kind: BlockKind
    page: int | None
    tokens: int


@dataclass
class _Section:
    path: tuple[str, ...]
    pieces: list[_Piece] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # numbers of the numbered paragraphs it holds
    heading: _Piece | None = None  # the heading that opens it (none for a continuation or numbered part)

    @property
    def tokens(self) -> int:
        return sum(p.tokens for p in self.pieces)

    @property
    def has_body(self) -> bool:
        """Whether it holds more than its heading."""
        return any(p is not self.heading for p in self.pieces)

    @property
    def page(self) -> int | None:
        return self.pieces[0].page if self.pieces else None

    @property
    def full_path(self) -> tuple[str, ...]:
        if not self.paragraphs:
            return self.path
        first, last = self.paragraphs[0], self.paragraphs[-1]
        label = f"paragraph {first}" if first == last else f"paragraphs {first}–{last}"
        return (*self.path, label)


def chunk_id(doc_id: str, content_hash: str, ordinal: int) -> str:
    """Stable and version-specific: a changed file gets new ids, so old and new never collide."""
    return f"{doc_id}::{content_hash[:12]}::{ordinal:04d}"


def context_prefix(meta: DocumentMeta, path: tuple[str, ...], count: TokenCounter) -> str:
    date = fmt_date(meta.date)
    section = " > ".join(path[-2:])
    title = meta.title
    prefix = f"{title} ({date})" + (f" — {section}" if section else "")
    while count(prefix) > PREFIX_MAX_TOKENS and len(title) > 20:
        title = title[: int(len(title) * 0.8)].rstrip() + "…"
        prefix = f"{title} ({date})" + (f" — {section}" if section else "")
    return prefix


def chunk_document(
    parsed: ParsedDocument,
    meta: DocumentMeta,
    config: ChunkingConfig | None = None,
    count: TokenCounter = approx_count,
) -> list[Chunk]:
    config = config or ChunkingConfig()
    sections = _sections(parsed.blocks, count)
    sections = _merge_small(sections, config)
    chunks: list[Chunk] = []
    for section in sections:
        for pieces in _pack(section.pieces, config, count):
            text = "\n\n".join(p.text for p in pieces)
            pages = [p.page for p in pieces if p.page is not None]
            prefix = context_prefix(meta, section.full_path, count)
            ordinal = len(chunks)
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(meta.doc_id, meta.content_hash, ordinal),
                    doc_id=meta.doc_id,
                    ordinal=ordinal,
                    text=text,
                    embed_text=f"{prefix}\n{text}",
                    heading_path=section.full_path,
                    page_start=min(pages) if pages else None,
                    page_end=max(pages) if pages else None,
                    n_tokens=count(text),
                )
            )
    return chunks


def _sections(blocks: list[Block], count: TokenCounter) -> list[_Section]:
    stack: list[tuple[int, str]] = []
    sections: list[_Section] = [_Section(())]
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        if block.kind == BlockKind.HEADING:
            level = block.level or 3
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, text))
            # a heading below the paper's title is the section's first line too, so that its words are searched
            # and read with what follows ("What needs to improve?" above a list); a heading directly above
            # another is dropped; the title (level 1, often repeated on every page) stays in the path only
            if level < 2:
                sections.append(_Section(tuple(h for _, h in stack)))
                continue
            opening = _Piece(text, block.kind, block.page, count(text))
            sections.append(_Section(tuple(h for _, h in stack), [opening], heading=opening))
            continue
        last = sections[-1]
        numbered = _NUMBERED.match(text) if block.kind == BlockKind.PARAGRAPH else None
        if numbered and last.has_body:
            sections.append(_Section(last.path, paragraphs=[numbered.group(1) or numbered.group(2)]))
        elif numbered:
            last.paragraphs = [numbered.group(1) or numbered.group(2)]
        elif last.has_body and block.page is not None and last.page is not None and block.page != last.page:
            sections.append(
                _Section(last.path, paragraphs=last.paragraphs[-1:])
            )  # a page never shares a chunk
        sections[-1].pieces.append(_Piece(text, block.kind, block.page, count(text)))
    return [s for s in sections if s.has_body]


def _merge_small(sections: list[_Section], config: ChunkingConfig) -> list[_Section]:
    """Sections under `min_tokens` join their following neighbours on the same page while the result fits in
    one chunk.

    The merged section keeps the path of its largest part, so a lone heading line does not name the chunk."""
    out: list[_Section] = []
    for section in sections:
        prev = out[-1] if out else None
        if (
            prev is not None
            and (prev.tokens < config.min_tokens or section.tokens < config.min_tokens)
            and (prev.tokens + section.tokens <= config.max_tokens)
            and (prev.page == section.page or prev.page is None or section.page is None)
        ):
            bigger = prev if prev.tokens >= section.tokens else section
            paragraphs = (
                _ordered_union(prev.paragraphs, section.paragraphs)
                if prev.path == section.path
                else bigger.paragraphs
            )
            out[-1] = _Section(bigger.path, prev.pieces + section.pieces, paragraphs, bigger.heading)
        else:
            out.append(section)
    return out


def _ordered_union(a: list[str], b: list[str]) -> list[str]:
    return list(dict.fromkeys([*a, *b]))


def _split_piece(piece: _Piece, config: ChunkingConfig, count: TokenCounter) -> list[_Piece]:
    """Split one over-long block: tables by rows (header repeated), prose by sentences, then by words."""
    if piece.tokens <= config.max_tokens:
        return [piece]
    header = ""
    if piece.kind == BlockKind.TABLE:
        rows = piece.text.split("\n")
        header, units, joiner = rows[0], rows[1:], "\n"
    else:
        units, joiner = [u for u in _SENTENCE_END.split(piece.text) if u.strip()], " "
    # prose leaves room for the overlap carried in from the previous chunk; tables repeat their header instead
    budget = config.max_tokens - (count(header) + 1 if header else config.overlap_tokens)
    groups: list[list[str]] = [[]]
    for unit in units:
        if count(unit) > budget:  # one enormous sentence or row: cut it by words
            words = unit.split()
            step = max(1, int(len(words) * budget / max(1, count(unit))) - 1)
            groups.extend([" ".join(words[i : i + step])] for i in range(0, len(words), step))
            groups.append([])
            continue
        if groups[-1] and count(joiner.join([*groups[-1], unit])) > budget:
            groups.append([])
        groups[-1].append(unit)
    out = []
    for group in filter(None, groups):
        body = joiner.join(group)
        text = f"{header}\n{body}" if header else body
        out.append(_Piece(text, piece.kind, piece.page, count(text)))
    return out


def _pack(pieces: list[_Piece], config: ChunkingConfig, count: TokenCounter) -> list[list[_Piece]]:
    units: list[_Piece] = []
    for piece in pieces:
        units.extend(_split_piece(piece, config, count))
    groups: list[list[_Piece]] = []
    current: list[_Piece] = []
    used = 0
    for unit in units:
        if current and used + unit.tokens > config.max_tokens:
            groups.append(current)
            current = _overlap_tail(current, config, count)
            used = sum(p.tokens for p in current)
            if used + unit.tokens > config.max_tokens:
                current, used = [], 0
        current.append(unit)
        used += unit.tokens
    if current:
        groups.append(current)
    return groups


def _overlap_tail(group: list[_Piece], config: ChunkingConfig, count: TokenCounter) -> list[_Piece]:
    """The last sentences of the previous chunk (never a table) up to `overlap_tokens`."""
    if config.overlap_tokens <= 0 or not group or group[-1].kind == BlockKind.TABLE:
        return []
    last = group[-1]
    sentences = [s for s in _SENTENCE_END.split(last.text) if s.strip()]
    tail: list[str] = []
    for sentence in reversed(sentences):
        if count(" ".join([sentence, *tail])) > config.overlap_tokens:
            break
        tail.insert(0, sentence)
    if not tail or len(tail) == len(sentences):
        return []
    text = " ".join(tail)
    return [_Piece(text, last.kind, last.page, count(text))]


def settings_fingerprint(config: ChunkingConfig, model_id: str) -> str:
    """The index identity: a hash of the embedding model and chunking settings."""
    raw = f"{model_id}|{config.identity()}|prefix{PREFIX_MAX_TOKENS}"
    return hashlib.sha256(raw.encode()).hexdigest()[:10]
