"""Plain text (Markdown, text files, text extracted from PDF and Word pages) as blocks: headings, paragraphs,
lists and tables, in reading order. Pure functions; the loaders call them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.documents import Block, BlockKind

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_TAG = re.compile(r"</?(?:b|i|u|em|strong|sup|sub|span|br)\b[^>]*>", re.I)
_EMPH = re.compile(r"(\*\*|__)(.+?)\1")
_END_PUNCT = re.compile(r"[.!?:;,)\]\"'’”]$")


def clean_inline(text: str) -> str:
    """Strip inline HTML tags and Markdown emphasis; keep the words."""
    text = _TAG.sub("", text)
    text = _EMPH.sub(r"\2", text)
    return text.replace("\u00a0", " ").strip()


def _is_table_line(line: str) -> bool:
    s = line.strip()
    return (s.startswith("|") and s.count("|") >= 2) or ("\t" in s and len(s.split("\t")) >= 2)


def _table_text(lines: list[str]) -> str:
    rows = []
    for line in lines:
        s = line.strip()
        if re.fullmatch(r"\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?", s):
            continue  # Markdown separator row
        cells = [c.strip() for c in (s.strip("|").split("|") if s.startswith("|") else s.split("\t"))]
        rows.append(" | ".join(clean_inline(c) for c in cells if c.strip()))
    return "\n".join(r for r in rows if r)


def _looks_like_heading(line: str, next_line: str | None) -> bool:
    words = line.split()
    if not (1 <= len(words) <= 10) or len(line) > 80 or _END_PUNCT.search(line):
        return False
    if not (line[0].isupper() or line[0].isdigit()) or _LIST_ITEM.match(line):
        return False
    # a heading is followed by something longer (its body); a run of short lines is not a heading
    return next_line is not None and len(next_line) > len(line) + 20


def text_to_blocks(text: str, page: int | None = None) -> Iterable[Block]:
    """Blocks from Markdown or plain text: `#` headings, tables (pipes or tabs), list items, paragraphs.

    Lines broken mid-sentence (common in pages copied from the web) are joined back into paragraphs.
    """
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    i, n = 0, len(lines)
    para: list[str] = []

    def flush() -> Iterable[Block]:
        if para:
            joined = clean_inline(" ".join(p.strip() for p in para))
            para.clear()
            if joined:
                yield Block(joined, BlockKind.PARAGRAPH, 0, page)

    while i < n:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            yield from flush()
            i += 1
            continue
        m = _MD_HEADING.match(stripped)
        if m:
            yield from flush()
            heading = clean_inline(m.group(2))
            if heading:
                yield Block(heading, BlockKind.HEADING, len(m.group(1)), page)
            i += 1
            continue
        if _is_table_line(line):
            yield from flush()
            rows = []
            while i < n and lines[i].strip() and _is_table_line(lines[i]):
                rows.append(lines[i])
                i += 1
            table = _table_text(rows)
            if table:
                yield Block(table, BlockKind.TABLE, 0, page)
            continue
        if _LIST_ITEM.match(line):
            yield from flush()
            item = clean_inline(_LIST_ITEM.sub("", line, count=1))
            if item:
                yield Block(item, BlockKind.LIST, 0, page)
            i += 1
            continue
        if para and _ends_sentence(para[-1]) and not _continues(stripped):
            yield from flush()
        nxt = next((lines[j].strip() for j in range(i + 1, min(n, i + 3)) if lines[j].strip()), None)
        if not para and _looks_like_heading(stripped, nxt):
            yield Block(clean_inline(stripped), BlockKind.HEADING, 3, page)
            i += 1
            continue
        para.append(stripped)
        i += 1
    yield from flush()


def _ends_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?:]['\"’”)]?$", line.strip()))


def _continues(line: str) -> bool:
    return bool(line) and (line[0].islower() or line[0] in ".,;:)")
