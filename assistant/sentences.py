"""Sentence splitting for council text.

Council text is awkward: abbreviations ("e.g.", "No. 5", "Cllr. Jones"), numbered paragraphs ("2.1 Cabinet
should ..."), bullet lines, PDF line wraps, headings without a full stop, ordinals ("5th", "29<sup>th</sup>"),
decimals ("83.3%") and numeric dates ("5.11.2025"). Everything here is pure and deterministic.

`sentence_spans` returns character offsets, so every sentence is a verbatim slice of the text it came from;
`split_sentences` returns those slices. The facts a sentence states are read by `assistant.facts`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# ----------------------------------------------------------------------------------------------------
# Sentence splitting
# ----------------------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviations whose full stop never ends a sentence (compared lower-case, without the final ".").
_ABBREVIATIONS = _words(
    """
    e.g eg i.e ie cf viz vs v approx c ca est al nb n.b cllr cllrs mr mrs ms mx dr prof rev revd hon rt
    st sr jr lt col capt sgt insp supt det dept govt inc incl fig figs
    """
)
# Abbreviations that do not end a sentence when a number follows ("No. 5", "para. 2.1", "Nov. 2025").
_NUMBER_ABBREVIATIONS = _words(
    """
    no nos para paras p pp vol ref tel sec s ss art reg ch jan feb mar apr jun jul aug sep sept oct nov
    dec
    """
)
# Words before a single capital letter that make it a label, not an initial ("Appendix A. The ...").
_LABEL_WORDS = _words(
    """
    appendix annex annexe plan table figure fig part section category grade option stage level tier
    phase schedule child children mr mrs ms miss mx family person box chart group type class block list
    step item priority rating school council authority site area unit ward vitamin
    """
)
_TITLE_WORDS = _words("mr mrs ms mx miss dr prof cllr councillor sir dame lord lady rev")
# Words that usually open a sentence, so a capital letter and full stop before them end one ("Mr X. The ...").
_SENTENCE_STARTERS = _words(
    """
    the a an this that these those it its there they we he she his her their our in on at for by from
    however although but and also as after before during following since when where while if overall
    ofsted cabinet council members inspectors officers
    """
)
# A line ending in one of these words runs on to the next line.
_CONTINUATION_WORDS = _words(
    """
    a an the of to in for and or but nor with by on at from that which who whose as is are was were be
    been being has have had than per its their our his her this these those into onto within across
    between about under over not also will would should could may must can shall such both each every
    any all some very more most less including where when while whilst because if so then during after
    before since until through against towards upon via &
    """
)
_WRAP_MIN_CHARS = 70  # an unpunctuated line at least this long is a wrapped line, not a heading
_TERMINAL = re.compile(r"[.!?…][\"'’”)\]]*$")
_BULLET = re.compile(r"[ \t]*(?:[-–—•*·▪◦‣●○■□➢➤►✓]|o(?=[ \t]+[A-Z]))[ \t]+")
_MONTH_WORDS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b"
)
_NUMBERING = re.compile(
    r"[ \t]*(?:"
    r"\((?:[a-z]|[ivx]{1,5}|\d{1,2})\)"  # (a) (iv) (3)
    r"|(?:[a-z]|[ivx]{1,5}|\d{1,2})\)"  # a) iv) 3)
    r"|\d{1,2}(?:\.\d{1,2}){0,3}\.(?=[ \t])"  # 3.  2.1.
    rf"|\d{{1,2}}(?:\.\d{{1,2}}){{0,3}}(?=[ \t]+(?!{_MONTH_WORDS})[A-Z])"  # 2.1 Cabinet / 4 Recommendations
    r")[ \t]+"
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'’”)\]]*(?=\s|$)|(?<=\s)(?=[•▪●■][ \t])")
_NEXT_STARTS_SENTENCE = re.compile(r"\s*[\"'‘“(\[]?[A-Z0-9£$€]|\s*[•▪●■]")


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, each a verbatim slice of it (bullets and paragraph numbers trimmed off)."""
    return [text[start:end] for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, in order and not overlapping."""
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        for start, end in _split_block(text, block_start, block_end):
            start, end = _trim(text, start, end)
            if start < end and any(ch.isalnum() for ch in text[start:end]):
                spans.append((start, end))
    return spans


def _lines(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


def _starts_item(line: str) -> bool:
    return bool(_BULLET.match(line) or _NUMBERING.match(line))


def _runs_on(prev: str, nxt: str) -> bool:
    """Does the line `prev` continue onto the line `nxt` (a wrapped line) rather than end there?"""
    prev = prev.rstrip()
    stripped = nxt.lstrip()
    if _starts_item(nxt) or " | " in prev or " | " in nxt:  # list items and table rows stand alone
        return False
    if _TERMINAL.search(prev):
        return True  # the in-block splitter decides (it knows abbreviations)
    if prev.endswith(":"):
        return stripped[:1].islower()
    if prev[-1:] in ",;(-–—&/+":
        return True
    if stripped[:1].islower():
        return True
    last_word = re.findall(r"[\w&]+$", prev)
    if last_word and last_word[0].lower() in _CONTINUATION_WORDS:
        return True
    return len(prev.strip()) >= _WRAP_MIN_CHARS


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Runs of lines that belong together: blank lines, bullets, numbered items and headings break them."""
    block: tuple[int, int] | None = None
    prev_end = 0
    for start, end in _lines(text):
        if block is not None:
            blank_between = text.count("\n", prev_end, start) >= 2
            if not blank_between and _runs_on(text[block[0] : prev_end], text[start:end]):
                block = (block[0], end)
                prev_end = end
                continue
            yield block
        block = (start, end)
        prev_end = end
    if block is not None:
        yield block


def _token_before(text: str, pos: int, floor: int) -> str:
    """The whitespace-delimited token ending at `pos` (exclusive), without leading brackets or quotes."""
    start = pos
    while start > floor and not text[start - 1].isspace():
        start -= 1
    return text[start:pos].lstrip("([\"'‘“")


def _previous_word(text: str, pos: int, floor: int) -> str:
    """The word before the token starting at `pos`, lower-case, without punctuation."""
    end = pos
    while end > floor and text[end - 1].isspace():
        end -= 1
    start = end
    while start > floor and not text[start - 1].isspace():
        start -= 1
    return text[start:end].strip("([\"'‘“.,;:").lower()


def _is_boundary(text: str, match: re.Match[str], sentence_start: int, block_end: int) -> bool:
    end = match.end()
    if match.group() == "":  # an inline bullet glyph
        return True
    following = text[end:block_end]
    if not following.strip():
        return True
    if not _NEXT_STARTS_SENTENCE.match(following):
        return False
    if "." not in match.group() or match.group().rstrip("\"'’”)]").endswith(("..", "…")):
        return True
    dot = match.start() + match.group().index(".")
    token = _token_before(text, dot, sentence_start)
    lowered = token.lower()
    next_is_number = bool(re.match(r"\s*\d", following))
    if lowered in _ABBREVIATIONS or (next_is_number and lowered in _NUMBER_ABBREVIATIONS):
        return False
    if re.fullmatch(r"[A-Z]", token):
        # "Appendix A. The ..." and "Mr X. The council ..." end sentences; "Mr J. Smith" does not.
        next_word = re.match(r"\s*[\"'‘“(]?([A-Za-z]+)", following)
        starts_clause = next_word is not None and next_word.group(1).lower() in _SENTENCE_STARTERS
        previous = _previous_word(text, dot - 1, sentence_start)
        return starts_clause or (previous in _LABEL_WORDS and previous not in _TITLE_WORDS)
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", token) and lowered not in {"a.m", "p.m"}:
        return False  # dotted acronym or abbreviation mid-sentence: "U.K.", "n.b."
    # a paragraph number on its own: "3. Recommendations"
    return not (
        re.fullmatch(r"\d{1,2}(?:\.\d{1,2}){0,3}", token)
        and not text[sentence_start : dot - len(token)].strip()
    )


def _split_block(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    sentence_start = start
    for match in _BOUNDARY.finditer(text, start, end):
        cut = match.end()
        if cut <= sentence_start or not _is_boundary(text, match, sentence_start, end):
            continue
        yield sentence_start, cut
        sentence_start = cut
    if sentence_start < end:
        yield sentence_start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    for _ in range(3):  # "- 2.1 Cabinet ..." has two markers
        marker = _BULLET.match(text, start, end) or _NUMBERING.match(text, start, end)
        if not marker or marker.end() >= end:
            break
        start = marker.end()
        while start < end and text[start].isspace():  # "• \nb": the marker's line ended at the marker
            start += 1
    return start, end


_INTRO_QUESTION_MAX_WORDS = 12
_FOOTNOTE_START = re.compile(r"(?:^|\n\s*\n)\s*[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s")


def footnotes(text: str) -> list[tuple[int, int]]:
    """Where `text` holds footnotes: each paragraph that starts with a superscript mark ("¹ The areas for
    improvement have been cross-referenced with ..."), to the paragraph's end."""
    out = []
    for m in _FOOTNOTE_START.finditer(text):
        end = text.find("\n\n", m.end())
        out.append((m.start(), len(text) if end < 0 else end))
    return out


def introduces_list(sentence: str) -> bool:
    """A sentence whose items follow it: one ending in a colon ("You can complain by:") or a short question
    standing as a heading ("What needs to improve?" above the report's list; "What happens next?")."""
    s = sentence.rstrip().rstrip("¹²³⁴⁵⁶⁷⁸⁹⁰*†").rstrip()  # "What needs to improve?¹": a footnote mark
    if s.endswith((":-", ":–", ":—")):
        return True  # "these were as follows:-", as minutes often write it
    return s.endswith(":") or (s.endswith("?") and len(s.split()) <= _INTRO_QUESTION_MAX_WORDS)
