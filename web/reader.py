"""A paper as a readable page: its text as indexed, in order, with headings and page numbers, the cited passage
marked and scrolled to. For papers whose published address is not known (or that only this server holds), so an
officer can check a quote in its context without opening raw Markdown.

The text is the live version's chunks from the store (the very text the quote was taken from), joined with the
overlap between neighbouring chunks removed. Everything from the paper is HTML-escaped: a paper is data.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from vectorstore.catalog import DocumentInfo
from vectorstore.store import Store
from web.render import highlight

_MAX_OVERLAP_CHARS = 2000


@dataclass(frozen=True)
class Part:
    chunk_id: str
    text: str
    heading: str
    page: int | None


def _overlap(before: str, after: str) -> int:
    """Length of the longest end of `before` that `after` starts with (chunks repeat a few words)."""
    for n in range(min(len(before), len(after), _MAX_OVERLAP_CHARS), 0, -1):
        if before.endswith(after[:n]):
            return n
    return 0


def paper_parts(store: Store, doc: DocumentInfo) -> list[Part]:
    """The live chunks of `doc`, in reading order, each without the text its predecessor already showed."""
    got = store.collection(doc.classification).get(
        where={"$and": [{"doc_id": doc.doc_id}, {"content_hash": doc.content_hash}]},
        include=["documents", "metadatas"],
    )
    rows = sorted(
        zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=False),
        key=lambda r: int((r[2] or {}).get("ordinal", 0)),
    )
    parts: list[Part] = []
    previous = ""
    for chunk_id, text, meta in rows:
        text = text or ""
        cut = _overlap(previous, text)
        page = int(meta.get("page_start", -1) or -1)
        parts.append(
            Part(chunk_id, text[cut:].lstrip(), str(meta.get("heading_path", "")), page if page > 0 else None)
        )
        previous = text
    return parts


def _paragraphs(text: str, quote: str) -> str:
    if quote:
        return f"<p>{highlight(text, quote)}</p>".replace("\n\n", "</p><p>")
    return "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())


def paper_html(doc: DocumentInfo, parts: list[Part], cited: str = "", quote: str = "") -> str:
    """The body of the readable page: heading path changes become headings, page changes are noted, and the
    cited chunk (with `quote` marked in it) carries the id `cqa-cited` the link scrolls to."""
    out: list[str] = []
    heading = ""
    page: int | None = None
    for part in parts:
        if part.heading and part.heading != heading:
            heading = part.heading
            out.append(f"<h2>{html.escape(heading.split(' > ')[-1])}</h2>")
        if part.page and part.page != page:
            page = part.page
            out.append(f'<p class="cqa-page-no" id="page-{page}">Page {page}</p>')
        if part.chunk_id == cited:
            out.append(
                '<section id="cqa-cited" class="cqa-cited" tabindex="-1" aria-label="The cited passage">'
                f"{_paragraphs(part.text, quote)}</section>"
            )
        else:
            out.append(_paragraphs(part.text, ""))
    if not parts:
        out.append("<p>The text of this paper is not held in the index.</p>")
    return "".join(out)
