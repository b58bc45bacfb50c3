"""The conversation as HTML: each turn keeps its own question, answer and sources.

- Each `[n]` in an answer is a link to that answer's source n, with a preview (title, date, quote) shown on hover,
  on keyboard focus and on tap; Escape hides it.
- The sources follow their answer (on a phone too), with the quoted words marked and a link to the original.
- "Copy answer and sources" copies the answer text followed by its numbered references.
- How a follow-up was understood ("Answered as: ...") is shown above the answer.
- For residents (`plain=True`) the short answer leads, then the quote; the sources show only the words relied on,
  never a whole passage (no table debris).

Everything that comes from a paper or a person is HTML-escaped here (`web.render`); the only markup is ours.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from assistant.answer import Answer, Citation, Status
from assistant.citations import CLUSTER_RE, marker_numbers, strip_markers
from assistant.readability import readable_quote
from assistant.spelling import NOTE_PREFIX
from web.render import LinkFor, citation_html, citation_label, default_link, escape_chat

FOLLOW_UP_PREFIXES = ("Answered as", "Understood as")
_HEADING = re.compile(r"^From “.+”(?: \(.+\))?:$")
_BULLET = re.compile(r"^\s*[-•*]\s+")
_PHONE = re.compile(r"\b(999|0\d{3} \d{3} \d{4})\b")  # helplines in a refusal become phone links
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})  # Gradio's HTML template never sees a {{ from a paper

ROLE_TEXT = {
    Status.REFUSED: "cqa-refused",
    Status.NOT_FOUND: "cqa-not-found",
    Status.PARTIAL: "cqa-partial",
    Status.ANSWERED: "cqa-answered",
}


@dataclass
class Turn:
    """One question and what came back; `answer` is None while it is being answered or after an error."""

    question: str
    answer: Answer | None = None
    shown_text: str = ""  # the part of the answer streamed so far (all of it when finished)
    error: str = ""
    ask_id: int | None = None
    rating_token: str = ""


def understood_as(answer: Answer) -> str:
    """The note saying how a follow-up was understood, if the answer step resolved one."""
    return next((n for n in answer.notes if n.startswith(FOLLOW_UP_PREFIXES)), "")


def read_as(answer: Answer) -> str:
    """The note saying how misspelt words of the question were read ("Read “complants” as “complaints”."), if any."""
    return next((n for n in answer.notes if n.startswith(NOTE_PREFIX)), "")


def other_notes(answer: Answer) -> list[str]:
    return [n for n in answer.notes if not n.startswith(("why:", NOTE_PREFIX, *FOLLOW_UP_PREFIXES))]


def short_answer(answer: Answer) -> str:
    return str(getattr(answer, "short_answer", "") or "").strip()


def _ref(n: int, prefix: str, by_n: dict[int, Citation]) -> str:
    c = by_n.get(n)
    if c is None:
        return f"[{n}]"
    target = f"{prefix}-s{n}"
    preview = f"{citation_label(c)}: “{c.quote.strip() or c.passage_text.strip()[:300]}”"
    return (
        f'<span class="cqa-ref-wrap"><a class="cqa-ref" href="#{target}" aria-describedby="{target}-tip">[{n}]</a>'
        f'<span class="cqa-tip" role="tooltip" id="{target}-tip">{html.escape(preview)}</span></span>'
    )


def _with_refs(text: str, prefix: str, by_n: dict[int, Citation]) -> str:
    """`text` escaped for HTML, with each citation marker made a link with a preview."""
    out: list[str] = []
    last = 0
    for match in CLUSTER_RE.finditer(text):
        out.append(escape_chat(text[last : match.start()]))
        numbers: list[int] = []
        for m in re.finditer(r"\[[^\]]*\]", match.group()):
            numbers.extend(n for n in marker_numbers(m.group()) if n not in numbers)
        refs = "".join(_ref(n, prefix, by_n) for n in numbers)
        last = match.end()
        stop = text[last : last + 1]
        if stop and stop in ".,;:!?":  # the full stop stays on the line of its marker
            refs, last = refs + stop, last + 1
        out.append(f' <span class="cqa-nowrap">{refs}</span>')
    out.append(escape_chat(text[last:]))
    return "".join(out)


def answer_body(text: str, prefix: str, citations: list[Citation]) -> str:
    """Answer text as HTML: "From “Title” (date):" lines become headings, "- ..." lines a list, others paragraphs."""
    by_n = {c.n: c for c in citations}
    out: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    for line in text.splitlines():
        line = line.strip()
        if not line:
            flush()
            continue
        if _BULLET.match(line):
            items.append(_with_refs(_BULLET.sub("", line), prefix, by_n))
            continue
        flush()
        if _HEADING.match(line):
            out.append(f'<p class="cqa-from">{escape_chat(line)}</p>')
        else:
            out.append(f"<p>{_with_refs(line, prefix, by_n)}</p>")
    flush()
    return "".join(out)


def resident_lines(text: str, lead: str) -> str:
    """The answer's lines a resident sees under the short answer: not the lead again, and no line that is not
    prose (table debris: figures and labels pulled out of a table) unless it is one "label: value" line of a paper
    ("Inspection dates: 12 to 16 February 2024")."""
    kept = []
    lead_words = strip_markers(lead).strip()
    for line in text.splitlines():
        words = strip_markers(_BULLET.sub("", line)).strip()
        if not words or (lead_words and words == lead_words):
            continue
        if _HEADING.match(line.strip()) or readable_quote(words):
            kept.append(line)
    heading = [bool(_HEADING.match(line.strip())) for line in kept]
    return "\n".join(  # a paper's heading with none of its lines left goes too
        line for i, line in enumerate(kept) if not heading[i] or (i + 1 < len(kept) and not heading[i + 1])
    )


def copy_text(answer: Answer) -> str:
    """What "Copy" puts on the clipboard: the answer, then its references (title, date, page, quote)."""
    lines = [answer.text.strip()]
    if answer.citations:
        lines += ["", "Sources:"]
        lines += [f"[{c.n}] {citation_label(c)} — “{' '.join(c.quote.split())}”" for c in answer.citations]
    if answer.as_at:
        lines += ["", answer.as_at]
    return "\n".join(lines)


def _sources(answer: Answer, prefix: str, link_for: LinkFor, plain: bool, index: int) -> str:
    items = answer.citations
    if not items and answer.status == Status.NOT_FOUND and answer.closest:
        body = "".join(
            citation_html(c, link_for, quote=False, compact=plain, anchor=f"{prefix}-s{c.n}")
            for c in answer.closest
        )
        what = "papers" if plain else "passages"
        return (
            f'<details class="cqa-closest"><summary>The closest {what} ({len(answer.closest)}); they do not '
            f'answer the question</summary><ol class="cqa-citations">{body}</ol></details>'
        )
    if not items:
        return ""
    body = "".join(citation_html(c, link_for, compact=plain, anchor=f"{prefix}-s{c.n}") for c in items)
    label = f"Sources for answer {index}"
    return (
        f'<section class="cqa-sources" aria-label="{label}"><h3>Sources</h3>'
        f'<ol class="cqa-citations">{body}</ol></section>'
    )


def _actions(turn: Turn, answer: Answer, plain: bool, index: int) -> str:
    if answer.status == Status.REFUSED:
        return ""
    copy = html.escape(copy_text(answer), quote=True)
    buttons = [
        f'<button type="button" class="cqa-copy" data-copy="{copy}" '
        f'aria-label="Copy answer and sources (answer {index})">Copy answer and sources</button>'
    ]
    comment = ""
    if turn.rating_token and not plain:
        token = html.escape(turn.rating_token, quote=True)
        for value, word in ((1, "Helpful"), (-1, "Not helpful")):
            buttons.append(
                f'<button type="button" class="cqa-rate" data-token="{token}" data-rating="{value}" '
                f'aria-pressed="false" aria-label="{word}: rate answer {index}">{word}</button>'
            )
        box = f"cqa-comment-{index}-{token.split('.')[0]}"
        comment = (
            f'<div class="cqa-comment" hidden><label for="{box}">Comment on answer {index} (optional)</label>'
            f'<textarea id="{box}" rows="2" maxlength="2000"></textarea>'
            f'<button type="button" class="cqa-send-comment" data-token="{token}">Send comment</button></div>'
        )
    status = '<p class="cqa-action-status" role="status"></p>'
    return f'<div class="cqa-actions">{"".join(buttons)}</div>{comment}{status}'


def turn_html(
    turn: Turn, index: int, surface: str, link_for: LinkFor = default_link, plain: bool = False
) -> str:
    prefix = f"cqa-{surface}-t{index}"
    question = (
        f'<h2 class="cqa-q" id="{prefix}-q"><span class="cqa-vh">Question {index}: </span>'
        f"{escape_chat(turn.question)}</h2>"
    )
    answer = turn.answer
    if answer is None:
        if turn.error:
            body = f'<div class="cqa-answer cqa-error-answer"><p>{escape_chat(turn.error)}</p></div>'
        else:
            body = '<div class="cqa-answer cqa-pending"><p>Searching the papers…</p></div>'
        return (
            f'<article class="cqa-turn" id="{prefix}" aria-labelledby="{prefix}-q">{question}{body}</article>'
        )

    parts: list[str] = []
    understood = understood_as(answer)
    if understood:
        parts.append(f'<p class="cqa-understood"><strong>Follow-up.</strong> {escape_chat(understood)}</p>')
    spelt = read_as(answer)
    if spelt:  # shown to everyone, residents too: the answer is to the question as read
        parts.append(f'<p class="cqa-understood"><strong>Spelling.</strong> {escape_chat(spelt)}</p>')
    finished = turn.shown_text == answer.text
    text = turn.shown_text
    css = ROLE_TEXT.get(answer.status, "")
    shown = resident_lines(text, short_answer(answer)) if plain and finished else ""
    if plain and answer.status in (Status.ANSWERED, Status.PARTIAL):
        lead = short_answer(answer)
        if lead:
            parts.append(
                f'<p class="cqa-short">{_with_refs(lead, prefix, {c.n: c for c in answer.citations})}</p>'
            )
            if finished and answer.citations and shown.strip():
                parts.append('<p class="cqa-from-papers">What the papers say:</p>')
        elif finished:
            parts.append('<p class="cqa-from-papers">From the published papers:</p>')
    if answer.status == Status.REFUSED:
        parts.append(f'<div class="cqa-answer {css}" role="note" aria-label="Why this is not answered">')
        parts.append('<p class="cqa-refused-title">Not answered here</p>')
    else:
        parts.append(f'<div class="cqa-answer {css}">')
    if plain:
        text = shown if finished else resident_lines(text, "") if not short_answer(answer) else ""
    body = answer_body(text, prefix, answer.citations)
    if answer.status == Status.REFUSED:
        body = _PHONE.sub(lambda m: f'<a href="tel:{m.group(1).replace(" ", "")}">{m.group(1)}</a>', body)
    parts.append(body)
    parts.append("</div>")
    if finished:
        if answer.as_at:
            parts.append(f'<p class="cqa-as-at">{escape_chat(answer.as_at)}</p>')
        notes = [] if plain else other_notes(answer)
        if notes:
            parts.append(
                '<ul class="cqa-notes">' + "".join(f"<li>{escape_chat(n)}</li>" for n in notes) + "</ul>"
            )
        parts.append(_sources(answer, prefix, link_for, plain, index))
        parts.append(_actions(turn, answer, plain, index))
    return f'<article class="cqa-turn" id="{prefix}" aria-labelledby="{prefix}-q">{question}{"".join(parts)}</article>'


def transcript_html(
    turns: list[Turn], surface: str, link_for: LinkFor = default_link, plain: bool = False, empty: str = ""
) -> str:
    if not turns:
        return f'<div class="cqa-transcript cqa-transcript-empty"><p>{html.escape(empty)}</p></div>'
    body = "".join(turn_html(t, i, surface, link_for, plain) for i, t in enumerate(turns, 1))
    return f'<div class="cqa-transcript">{body}</div>'.translate(_BRACES)


def announcement(turn: Turn) -> str:
    """What a screen reader hears when an answer has arrived (the live region's text)."""
    if turn.error:
        return "The question could not be answered: " + turn.error
    a = turn.answer
    if a is None:
        return "Searching the papers…"
    n = len(a.citations)
    if a.status == Status.REFUSED:
        return "This question is not answered here; the reply says where to get help."
    if a.status == Status.NOT_FOUND:
        return "The papers held do not answer this."
    sources = f"{n} source{'s' if n != 1 else ''}"
    return f"Answer {'in part ' if a.status == Status.PARTIAL else ''}ready, with {sources} below it."
