"""An `Answer` as plain text (CLI) or as HTML (UI).

Document text is data: every title, quote and passage is HTML-escaped before it reaches a page, so a paper
that contains `<script>` or a Markdown link shows it as text. Links are only ever made from URLs we choose
(files the app serves) or http(s) source URLs; anything else (`javascript:`, `data:`) is not linked.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from assistant.answer import Answer, Citation, Status
from assistant.citations import CLUSTER_RE
from assistant.readability import readable_quote
from assistant.sentences import sentence_spans
from ingest.text import fmt_date

LinkFor = Callable[[Citation], str | None]

# C0/C1 control characters (ANSI escapes start with ESC) except tab and newline: never printed to a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_QUOTE_JOIN = " … "  # how the chain joins two quotes from one passage


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def citation_details(c: Citation) -> list[str]:
    """The parts shown after a title: date, body, page, section (those that are known)."""
    parts = [fmt_date(c.date)]
    if c.body:
        parts.append(c.body)
    if c.agenda_item:
        parts.append(f"agenda item {_agenda_item(c)}")
    if c.page:
        parts.append(f"page {c.page}")
    if c.section:
        parts.append(c.section)
    return [_one_line(p) for p in parts]


def _agenda_item(c: Citation) -> str:
    """ "7" when the title already says what item 7 is, else "7. Title"."""
    number, _, title = c.agenda_item.partition(". ")
    if title and number and len(number) <= 8 and title.lower() in c.title.lower():
        return number
    return c.agenda_item


_LINK_ORDER = ("meeting page", "minutes", "decision", "issue history")


def site_links(c: Citation) -> list[tuple[str, str]]:
    """(label, URL) of the paper and its item on the council's site, http(s) only: the paper itself, then its
    meeting page, minutes, decision and issue history, so a report can be followed to what happened to it."""
    order = {label: i for i, label in enumerate(_LINK_ORDER)}
    ranked = sorted(c.links.items(), key=lambda kv: order.get(kv[0], len(order)))
    pairs = [("paper", c.source_url), *ranked] if c.links else []
    return [
        (label, url) for label, url in pairs if url.startswith(("http://", "https://")) and safe_href(url)
    ]


def citation_label(c: Citation) -> str:
    """`Title (10 September 2025, Cabinet, page 3, Section)`."""
    return f"{_one_line(c.title) or c.doc_id} ({', '.join(citation_details(c))})"


def answer_as_text(answer: Answer) -> str:
    """The answer, its numbered citations, the "as at" line and any notes, for a terminal."""
    lines = [_CONTROL.sub("", answer.text).strip()]
    if answer.citations:
        lines.append("")
        for c in answer.citations:
            quote = f" — “{_one_line(c.quote)}”" if c.quote.strip() else ""
            lines.append(f"[{c.n}] {citation_label(c)}{quote}")
            links = site_links(c)
            if links:
                lines.append(
                    "    On the council's site: " + " · ".join(f"{k} {_one_line(u)}" for k, u in links)
                )
    closest = answer.closest if answer.status == Status.NOT_FOUND else []
    if closest:
        lines += ["", "Closest passages (they do not answer the question):"]
        for c in closest:
            lines.append(f"[{c.n}] {citation_label(c)} — “{_excerpt(c.passage_text)}”")
    if answer.as_at:
        lines += ["", _one_line(answer.as_at)]
    if answer.notes:
        lines.append("")
        lines += [f"Note: {_one_line(note)}" for note in answer.notes]
    return "\n".join(lines)


def _excerpt(text: str, limit: int = 240) -> str:
    flat = _one_line(text)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------------------------- streaming


def sentence_prefixes(text: str) -> Iterator[str]:
    """Growing prefixes of `text`, one more sentence (with its citation markers) each time; ends with `text`.

    The answer is computed at once; the UI shows it sentence by sentence as it is sent, with no delays added.
    """
    last = 0
    for _, end in sentence_spans(text):
        marker = CLUSTER_RE.match(text, end)
        if marker:
            end = marker.end()
        if end > last:
            last = end
            yield text[:end].rstrip()
    if last < len(text.rstrip()) or not last:
        yield text


# --------------------------------------------------------------------------------------------- HTML

# The chat bubble shows its text as sanitised HTML (Markdown rendering is off): only `<` can start a tag, and only
# `&` followed by a name and `;` an entity. Escaping just those shows the text as written and keeps the bubble's
# accessible name (which Gradio takes from the raw text) readable.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def escape_chat(text: str) -> str:
    """Text for a Gradio chat bubble (render_markdown=False): shown exactly as written, no tags, no links."""
    text = _CONTROL.sub("", text)
    return _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def safe_href(url: str) -> str | None:
    """`url` if it is an http(s) URL or a path on this server, else None (never `javascript:` or `data:`)."""
    url = url.strip()
    if not url:
        return None
    if url.startswith("/") and not url.startswith("//"):
        return url
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    return None


def default_link(c: Citation) -> str | None:
    return safe_href(c.source_url)


def highlight(passage: str, quote: str) -> str:
    """The passage, HTML-escaped, with each occurrence of the quote (or its parts) inside `<mark>`."""
    spans: list[tuple[int, int]] = []
    for part in [q.strip() for q in quote.split(_QUOTE_JOIN)]:
        if not part:
            continue
        span = _find(passage, part)
        if span and not any(s < span[1] and span[0] < e for s, e in spans):
            spans.append(span)
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        out.append(html.escape(passage[pos:start]))
        out.append(f"<mark>{html.escape(passage[start:end])}</mark>")
        pos = end
    out.append(html.escape(passage[pos:]))
    return "".join(out)


def _find(passage: str, part: str) -> tuple[int, int] | None:
    i = passage.find(part)
    if i >= 0:
        return i, i + len(part)
    words = part.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), passage)  # the same words, other line breaks
    return (m.start(), m.end()) if m else None


def _e(text: str) -> str:
    return html.escape(_one_line(text), quote=True)


def citation_html(
    c: Citation,
    link_for: LinkFor = default_link,
    quote: bool = True,
    compact: bool = False,
    anchor: str = "",
) -> str:
    """One source: title, details, the passage with its quoted span highlighted, a link to the original.
    `compact` (residents): only the words relied on, and only when they read as prose (never table debris)."""
    title = _e(c.title) or _e(c.doc_id)
    details = " · ".join(_e(p) for p in citation_details(c))
    if c.doc_type:
        details += f" · {_e(c.doc_type)}"
    if compact and quote and c.quote.strip() and readable_quote(c.quote):
        passage = f"“{_e(c.quote)}”"  # residents see the words relied on, not the whole passage
    elif compact and quote:
        passage = "These words come from a table or a heading in this paper: open it to see them in context."
    elif compact:
        passage = ""  # residents: the nearest papers by name, not passages that do not answer
    else:
        passage = highlight(c.passage_text, c.quote) if quote else html.escape(c.passage_text)
    href = link_for(c)
    link = ""
    if href and safe_href(href):
        published = not href.startswith("/")
        what = "the published paper" if published else "the paper, at this passage"
        name = (
            f"Open the original document for source {c.n}: {_one_line(c.title) or c.doc_id}, "
            f"{fmt_date(c.date)}: {what} (opens in a new tab)"
        )
        link = (
            f'<p class="cqa-open"><a href="{html.escape(href, quote=True)}" target="_blank" '
            f'rel="noopener noreferrer" aria-label="{html.escape(name, quote=True)}">'
            f'Open the original document</a> <span class="cqa-open-what">({what})</span></p>'
        )
    related = " · ".join(
        f'<a href="{html.escape(u, quote=True)}" target="_blank" rel="noopener noreferrer">{_e(k)}</a>'
        for k, u in site_links(c)
    )
    if related:
        link += f'<p class="cqa-related">On the council\'s site: {related}</p>'
    return (
        f'<li class="cqa-citation" id="{html.escape(anchor or f"cqa-source-{c.n}", quote=True)}" tabindex="-1">'
        f'<p class="cqa-cite-title"><span class="cqa-n">[{c.n}]</span> <strong>{title}</strong></p>'
        f'<p class="cqa-cite-meta">{details}</p>'
        + (f'<blockquote class="cqa-passage">{passage}</blockquote>' if passage else "")
        + f"{link}</li>"
    )
