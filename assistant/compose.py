"""Answer text and citations from the lines an answerer chose: every claim is verified against the passage it
cites before it is kept, citations are numbered in order of first use, and each quotes its passage verbatim.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from assistant.answer import Citation, Status
from assistant.verify import DEFAULT_MIN_OVERLAP, Similarity, find_quote, verify_sentence
from ingest.text import fmt_date
from vectorstore.passage import Passage


class LineKind(StrEnum):
    LEAD = "lead"  # the short answer: "Number of complaints: 135 (Bury Council, 2024/25)"
    QUOTE = "quote"  # a sentence of a paper, verbatim
    HEADING = "heading"  # "From “Inspection of Bury …” (29 July 2025):" — no claim of its own
    NOTE = "note"  # "Upheld: the papers held do not say." — a gap, or arithmetic shown


@dataclass
class Line:
    text: str
    kind: LineKind
    passage: int | None = None  # 0-based index into the passages (claims only)
    bullet: bool = False
    items: list[str] = field(default_factory=list)  # list items a quote introduces with a colon


@dataclass
class Composed:
    text: str
    citations: list[Citation]
    status: Status
    dropped: list[str]
    short_answer: str = ""


def compose(
    lines: Sequence[Line],
    passages: Sequence[Passage],
    similarity: Similarity | None = None,
) -> Composed:
    """Verify each claim line against its passage and build the answer; headings survive only with a claim
    under them, and a lead survives only with its quote's support."""
    kept: list[Line] = []
    dropped: list[str] = []
    quotes: dict[int, list[str]] = {}
    for line in lines:
        if line.kind in {LineKind.HEADING, LineKind.NOTE}:
            kept.append(line)
            continue
        assert line.passage is not None
        passage = passages[line.passage]
        # a lead ("Number of complaints: 135 (Bury Council, 2024/25)") is labelled with the question's words and
        # the paper's council: its facts — the figure, date or grade — must be in the passage, its wording need not
        overlap = 0.0 if line.kind == LineKind.LEAD else DEFAULT_MIN_OVERLAP
        verdict = verify_sentence(line.text, [line.passage + 1], passages, similarity, min_overlap=overlap)
        if not verdict.supported:
            dropped.append(f'Removed an unsupported sentence ({verdict.reason}): "{line.text}"')
            continue
        kept.append(line)
        quote = line.text if line.text in passage.text else find_quote(line.text, passage.text)
        if line.kind == LineKind.QUOTE and quote:
            bucket = quotes.setdefault(line.passage, [])
            if quote not in bucket:
                bucket.append(quote)
    kept = _drop_orphan_headings(kept)
    claims = [line for line in kept if line.kind in {LineKind.LEAD, LineKind.QUOTE}]
    if not claims:
        return Composed("", [], Status.NOT_FOUND, dropped)
    order: list[int] = []
    for line in claims:
        if line.passage is not None and line.passage not in order:
            order.append(line.passage)
    number = {p: n for n, p in enumerate(order, start=1)}
    citations = []
    for p in order:
        quote = " … ".join(quotes.get(p, [])[:2])
        if not quote:
            first = next(line for line in claims if line.passage == p)
            quote = find_quote(first.text, passages[p].text)
        citations.append(to_citation(number[p], passages[p], quote))
    text = _render(kept, number)
    gaps = any(
        line.kind == LineKind.NOTE and line.passage is None and line.text.endswith("not say.")
        for line in kept
    )
    status = Status.PARTIAL if dropped or gaps else Status.ANSWERED
    # the answer's headline: its first lead that is not one item of a list (a history's first inspection is not
    # the answer to "has it always been good?")
    lead = next((line.text for line in kept if line.kind == LineKind.LEAD and not line.bullet), "")
    return Composed(text, citations, status, dropped, lead)


def _drop_orphan_headings(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    for i, line in enumerate(lines):
        if line.kind == LineKind.HEADING:
            following = next((x for x in lines[i + 1 :] if x.kind != LineKind.NOTE), None)
            if following is None or following.kind == LineKind.HEADING:
                continue
        out.append(line)
    return out


def _render(lines: Sequence[Line], number: dict[int, int]) -> str:
    out: list[str] = []
    for line in lines:
        text = line.text
        if line.passage is not None and line.passage in number:
            text = with_marker(text, number[line.passage])
        if line.items:
            text += "\n" + "\n".join(f"  - {item}" for item in line.items)
        out.append(f"- {text}" if line.bullet else text)
    return "\n".join(out).strip()


_CLOSERS = ".!?…"


def with_marker(sentence: str, n: int) -> str:
    """The sentence with "[n]" before its final punctuation (or at its end)."""
    s = sentence.rstrip()
    trail = ""
    while s and s[-1] in "\"'’”)]":
        trail = s[-1] + trail
        s = s[:-1]
    if s and s[-1] in _CLOSERS:
        end = len(s)
        while end > 0 and s[end - 1] in _CLOSERS:
            end -= 1
        return f"{s[:end]}{trail} [{n}]{s[end:]}"
    if s.endswith(":"):
        return f"{s[:-1]}{trail} [{n}]:"
    return f"{s}{trail} [{n}]."


def to_citation(n: int, p: Passage, quote: str) -> Citation:
    if quote and quote not in p.text:  # a quote must occur verbatim in its passage
        quote = find_quote(quote, p.text)
    return Citation(
        n=n,
        doc_id=p.doc_id,
        chunk_id=p.chunk_id,
        title=p.title,
        date=p.date,
        body=p.body,
        doc_type=p.doc_type,
        page=p.page_start,
        section=p.section,
        quote=quote,
        passage_text=p.text,
        source_url=p.source_url,
        score=round(p.score, 4),
    )


def as_at_line(citations: Sequence[Citation]) -> str:
    dated = [c for c in citations if c.date]
    if not dated:
        return "As at: the papers relied on are undated."
    newest = max(dated, key=lambda c: c.date or dt.date.min)
    rest = sorted({fmt_date(c.date) for c in dated if c.date != newest.date})
    older = f" Older papers used: {', '.join(rest)}." if rest else ""
    return f"As at {fmt_date(newest.date)}: newest paper relied on is “{newest.title}”.{older}"
