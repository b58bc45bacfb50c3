"""Sources as people check them: one source per paper and quote, and where "Open the original" goes.

A paper held in several formats (the same title, date and council as .md, .docx and .pdf) is one paper: citations
of the same words from its copies become one source, and the answer's [n] markers are renumbered to match.

The original is the published paper (`source_url`, at the cited page for a PDF) when it is known; otherwise the
paper as a readable page on this server (`/papers/<doc id>`), scrolled to the cited passage with the quote marked.
Exempt papers are linked only for officers, with a signed, time-limited link.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from urllib.parse import urlencode, urlsplit

from assistant.answer import Answer, Citation
from assistant.citations import CLUSTER_RE, MARKER_RE, format_markers, marker_numbers, renumber
from vectorstore.audience import Audience
from vectorstore.catalog import Catalog, DocumentInfo
from web.files import LinkSigner, paper_url
from web.render import LinkFor, safe_href

_NOT_WORD = re.compile(r"[\W_]+")
_QUOTE_KEY_CHARS = 120
_QUOTE_IN_LINK_CHARS = 300  # the reader marks it only where the paper has it


def paper_key(title: str, date: object, council: str) -> tuple[str, str, str]:
    """What makes two files the same paper: title, date and council, compared without case or punctuation."""
    return (_NOT_WORD.sub(" ", title).strip().casefold(), str(date or ""), council.strip().casefold())


def _quote_key(c: Citation) -> str:
    return _NOT_WORD.sub("", (c.quote or c.passage_text).casefold())[:_QUOTE_KEY_CHARS]


def _preference(c: Citation, doc: DocumentInfo | None) -> tuple[int, int, int]:
    """Which copy stands for the paper: one with a published address, then one with pages, then the first."""
    return (0 if c.source_url else 1, 0 if c.page else 1, 0 if doc and doc.file_type == "pdf" else 1)


def _merge(citations: Sequence[Citation], catalog: Catalog) -> tuple[list[Citation], dict[int, int]]:
    """The citations with copies of one quote from one paper merged, renumbered 1..n; old number -> new."""
    groups: dict[tuple[tuple[str, str, str], str], list[Citation]] = {}
    for c in citations:
        doc = catalog.get(c.doc_id)
        council = doc.council if doc else ""
        groups.setdefault((paper_key(c.title, c.date, council), _quote_key(c)), []).append(c)
    merged: list[Citation] = []
    mapping: dict[int, int] = {}
    for copies in groups.values():
        best = min(copies, key=lambda c: _preference(c, catalog.get(c.doc_id)))
        n = len(merged) + 1
        merged.append(dataclasses.replace(best, n=n))
        for c in copies:
            mapping[c.n] = n
    return merged, mapping


def _renumber(text: str, mapping: dict[int, int]) -> str:
    """`renumber`, then each cluster of markers without repeats: "[1][2][3]" -> "[1][1][1]" -> "[1]"."""

    def once(cluster: re.Match[str]) -> str:
        group = cluster.group()
        numbers = [n for m in MARKER_RE.finditer(group) for n in marker_numbers(m.group())]
        lead = group[: len(group) - len(group.lstrip(" \t"))]
        trail = group[len(group.rstrip(" \t")) :]
        return lead + format_markers(numbers) + trail

    return CLUSTER_RE.sub(once, renumber(text, mapping))


def one_source_per_paper(answer: Answer, catalog: Catalog) -> Answer:
    """`answer` with each paper's copies of one quote cited once ([1][2][3] -> [1]); unchanged when none repeat."""
    citations, mapping = _merge(answer.citations, catalog)
    closest, _ = _merge(answer.closest, catalog)
    if len(citations) == len(answer.citations) and len(closest) == len(answer.closest):
        return answer
    text = _renumber(answer.text, mapping)
    merged = dataclasses.replace(answer, text=text, citations=citations, closest=closest)
    short = getattr(answer, "short_answer", "")
    if short:  # read by name until every Answer has the field (the answer step adds it)
        merged.short_answer = _renumber(short, mapping)  # type: ignore[attr-defined,unused-ignore]
    return merged


def at_page(url: str, page: int | None) -> str:
    """A published PDF's address opened at `page` (`#page=N`, which PDF viewers follow)."""
    if not page or "#" in url or not urlsplit(url).path.lower().endswith(".pdf"):
        return url
    return f"{url}#page={page}"


def links(catalog: Catalog, signer: LinkSigner, audience: Audience) -> LinkFor:
    """How `audience` opens a citation's original: its published address, else the paper's readable page."""

    def link(c: Citation) -> str | None:
        doc = catalog.get(c.doc_id)
        if doc is not None and not doc.visible_to(audience):
            return None
        published = safe_href(c.source_url or (doc.source_url if doc else ""))
        if published and not published.startswith("/"):
            return at_page(published, c.page)
        if doc is None:
            return None
        query: dict[str, str] = (
            {"passage": c.chunk_id, "quote": c.quote[:_QUOTE_IN_LINK_CHARS]} if c.chunk_id else {}
        )
        if not doc.is_open:
            query.update(dict(p.split("=", 1) for p in signer.sign(doc.doc_id).split("&")))
        return paper_url(doc.doc_id) + ("?" + urlencode(query) if query else "") + "#cqa-cited"

    return link


LinkFactory = Callable[[Audience], LinkFor]
