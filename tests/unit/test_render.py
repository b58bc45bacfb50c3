"""Rendering an Answer for the terminal and the web: order, formats, and escaping of document text."""

from __future__ import annotations

import datetime as dt
import itertools
from html.parser import HTMLParser
from typing import Any

import pytest

from assistant.answer import Answer, Citation, Status
from web.render import (
    answer_as_text,
    citation_label,
    escape_chat,
    highlight,
    safe_href,
    sentence_prefixes,
)
from web.transcript import Turn, transcript_html, turn_html

PASSAGE = (
    "Ofsted carried out a standard inspection of children's services in June 2025. "
    "The overall effectiveness was judged to be good. Standard inspections take place every 3 years."
)


def cite(n: int = 1, **kw: Any) -> Citation:
    base: dict[str, Any] = {
        "n": n,
        "doc_id": "seeds/bury-cabinet.md",
        "chunk_id": f"c{n}",
        "title": "Ofsted Standard Inspection of Children's Services in Bury",
        "date": dt.date(2025, 9, 10),
        "body": "Cabinet",
        "doc_type": "cabinet report",
        "page": 3,
        "section": "Background",
        "quote": "The overall effectiveness was judged to be good.",
        "passage_text": PASSAGE,
        "source_url": "",
    }
    base.update(kw)
    return Citation(**base)


def answer(**kw: Any) -> Answer:
    base: dict[str, Any] = {
        "question": "How was Bury judged?",
        "text": "The overall effectiveness was judged to be good [1].",
        "status": Status.ANSWERED,
        "citations": [cite()],
        "as_at": "As at 10 September 2025: newest paper relied on is “Ofsted Standard Inspection”.",
        "notes": ["The inspection window was calculated in code from a cited date."],
    }
    base.update(kw)
    return Answer(**base)


def test_text_order_and_citation_format() -> None:
    out = answer_as_text(answer())
    lines = out.splitlines()
    assert lines[0] == "The overall effectiveness was judged to be good [1]."
    assert lines[2] == (
        "[1] Ofsted Standard Inspection of Children's Services in Bury "
        "(10 September 2025, Cabinet, page 3, Background) — "
        "“The overall effectiveness was judged to be good.”"
    )
    assert out.index("[1] Ofsted") < out.index("As at 10 September 2025") < out.index("Note: The inspection")


@pytest.mark.parametrize(
    ("kw", "label"),
    [
        ({}, "T (10 September 2025, Cabinet, page 3, Background)"),
        ({"page": None}, "T (10 September 2025, Cabinet, Background)"),
        ({"section": "", "body": ""}, "T (10 September 2025, page 3)"),
        ({"date": None, "page": None, "section": "", "body": ""}, "T (undated)"),
        ({"date": dt.date(2025, 9, 1)}, "T (1 September 2025, Cabinet, page 3, Background)"),
        ({"title": ""}, "seeds/bury-cabinet.md (10 September 2025, Cabinet, page 3, Background)"),
    ],
)
def test_citation_label(kw: dict[str, Any], label: str) -> None:
    assert citation_label(cite(**{"title": "T", **kw})) == label


def test_text_strips_terminal_escapes_and_line_breaks_in_quotes() -> None:
    c = cite(title="Evil\x1b[31m title", quote="two\nlines")
    out = answer_as_text(answer(text="Answer\x1b[2J here [1].", citations=[c]))
    assert "\x1b" not in out
    assert "Answer[2J here [1]." in out.splitlines()[0]
    assert "“two lines”" in out


def test_text_without_citations_or_notes() -> None:
    out = answer_as_text(
        answer(citations=[], as_at="", notes=[], status=Status.REFUSED, text="I can't help.")
    )
    assert out == "I can't help."


def test_text_lists_closest_passages_for_not_found() -> None:
    a = answer(
        status=Status.NOT_FOUND, citations=[], as_at="", notes=[], text="The papers held do not answer this."
    )
    a.closest = [cite(quote="")]
    out = answer_as_text(a)
    assert "Closest passages" in out
    assert "[1] Ofsted Standard Inspection" in out


def test_sentence_prefixes_grow_by_sentence_and_keep_markers() -> None:
    text = "First sentence here [1]. Second one follows. [2] Third and last [1][2]."
    parts = list(sentence_prefixes(text))
    assert parts[-1] == text
    assert parts[0] == "First sentence here [1]."
    assert parts[1] == "First sentence here [1]. Second one follows. [2]"
    assert all(b.startswith(a) for a, b in itertools.pairwise(parts))


@pytest.mark.parametrize("text", ["", "no full stop", "   "])
def test_sentence_prefixes_always_end_with_the_text(text: str) -> None:
    assert list(sentence_prefixes(text))[-1] == text


class _Text(HTMLParser):
    """Collects the visible text and the tags of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(fragment: str) -> _Text:
    p = _Text()
    p.feed(fragment)
    p.close()
    return p


EVIL = 'Click <script>alert("x")</script> and [here](javascript:alert(1)) <img src=x onerror=alert(1)>'


def test_html_escapes_every_piece_of_document_text() -> None:
    c = cite(
        title=EVIL, body=EVIL, section=EVIL, doc_type=EVIL, quote=EVIL, passage_text=f"Before. {EVIL} After."
    )
    a = answer(text=EVIL, citations=[c], as_at=EVIL, notes=[EVIL])
    out = shown(a)
    parsed = parse(out)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not any(k.startswith("on") for k, _ in parsed.attrs)
    assert '<script>alert("x")</script>' in "".join(parsed.text)  # shown as text
    assert "[here](javascript:alert(1))" in "".join(parsed.text)


def test_highlight_marks_the_quote_inside_the_passage() -> None:
    out = highlight(PASSAGE, "The overall effectiveness was judged to be good.")
    assert "<mark>The overall effectiveness was judged to be good.</mark>" in out
    assert out.startswith("Ofsted carried out")


def test_highlight_marks_each_part_of_a_joined_quote_and_ignores_line_breaks() -> None:
    passage = "Alpha one.\nBeta\ntwo. Gamma <b>three</b>."
    out = highlight(passage, "Alpha one. … Beta two. … Gamma <b>three</b>.")
    assert out.count("<mark>") == 3
    assert "<mark>Gamma &lt;b&gt;three&lt;/b&gt;.</mark>" in out


def test_highlight_without_a_match_is_just_escaped() -> None:
    assert highlight("a < b", "missing") == "a &lt; b"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://bury.moderngov.co.uk/doc.pdf", True),
        ("http://example.org/x", True),
        ("/files/seeds/a.md", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example/x", False),
        ("", False),
        ("ftp://example.org/x", False),
    ],
)
def test_safe_href(url: str, ok: bool) -> None:
    assert (safe_href(url) is not None) is ok


def test_citation_links_have_accessible_names_and_never_unsafe_urls() -> None:
    good = shown(answer(), link_for=lambda c: "/files/seeds/bury-cabinet.md")
    assert 'href="/files/seeds/bury-cabinet.md"' in good
    name = "Open the original document for source 1: Ofsted Standard Inspection of Children&#x27;s Services in Bury, "
    assert f'aria-label="{name}10 September 2025: the paper, at this passage (opens in a new tab)"' in good
    published = shown(answer(), link_for=lambda c: "https://example.gov.uk/paper.pdf#page=3")
    assert "10 September 2025: the published paper (opens in a new tab)" in published
    assert 'rel="noopener noreferrer"' in good
    bad = shown(answer(citations=[cite(source_url="javascript:alert(1)")]))
    assert "javascript:" not in bad and 'class="cqa-open"' not in bad


def test_not_found_shows_the_closest_passages_folded_and_an_empty_conversation_says_what_to_do() -> None:
    a = answer(status=Status.NOT_FOUND, citations=[], text="Not found.")
    a.closest = [cite(quote="")]
    out = shown(a)
    assert (
        '<details class="cqa-closest"><summary>The closest passages (1)' in out and "Ofsted Standard" in out
    )
    assert "Ask a question" in transcript_html(
        [], "chat", empty="Ask a question: each answer has its sources."
    )


def shown(a: Answer, **kw: Any) -> str:
    """An answer as the conversation shows it (web.transcript), finished."""
    return turn_html(Turn(a.question, a, shown_text=a.text), 1, "chat", **kw)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("Children & Young People", "Children & Young People"),
        ("literal &lt; entity and &#60;", "literal &amp;lt; entity and &amp;#60;"),
        ("[here](javascript:alert(1)) *em*", "[here](javascript:alert(1)) *em*"),
        ("bell\x07 and \x1b[31m", "bell and [31m"),
    ],
)
def test_escape_chat_shows_text_as_written(text: str, shown: str) -> None:
    assert escape_chat(text) == shown


@pytest.mark.parametrize("plain", [False, True])
def test_how_a_misspelt_word_was_read_is_shown_to_everyone_once(plain: bool) -> None:
    """The answer is to the question as read: the reading is said above it, residents' plain view included, and
    not again among the notes."""
    a = answer()
    a.notes = ["Read “complants” as “complaints”.", "Checked the inspection record."]
    out = shown(a, plain=plain)
    assert '<p class="cqa-understood"><strong>Spelling.</strong> Read “complants” as “complaints”.</p>' in out
    assert out.count("complants") == 1
