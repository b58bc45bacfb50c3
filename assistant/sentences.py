"""Sentences, question types and the facts (dates, numbers, judgements) a sentence states.

Council text is awkward: abbreviations ("e.g.", "No. 5", "Cllr. Jones"), numbered paragraphs ("2.1 Cabinet
should ..."), bullet lines, PDF line wraps, headings without a full stop, ordinals ("5th", "29<sup>th</sup>"),
decimals ("83.3%") and numeric dates ("5.11.2025"). Everything here is pure and deterministic.

`sentence_spans` returns character offsets, so every sentence is a verbatim slice of the text it came from;
`split_sentences` returns those slices. `extract_facts` finds the checkable facts of a text (dates, years,
financial years, numbers, percentages) in a normalised form that `assistant.verify` compares across texts.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

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
    return start, end


# ----------------------------------------------------------------------------------------------------
# Question types
# ----------------------------------------------------------------------------------------------------


class QType(StrEnum):
    WHEN = "when"
    HOW_MANY = "how_many"
    WHO = "who"
    WHAT_JUDGEMENT = "what_judgement"
    YES_NO = "yes_no"
    OTHER = "other"


_COURTESY = re.compile(
    r"^(?:(?:hi|hello|hey)[,!.]?\s+)?(?:please\s+)?"
    r"(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell|show|let)\s+me\s+(?:know\s+)?"
    r"|(?:tell|show)\s+me\s+|let\s+me\s+know\s+"
    r"|(?:i\s+(?:want|would\s+like|'d\s+like|need)\s+to\s+know|i\s+wonder|do\s+you\s+know|any\s+idea)\s+)"
    r"(?:about\s+)?"
)
_WHEN = re.compile(
    r"^(?:(?:by|until|since|from|in|on|at|during)\s+)?(?:when\b|(?:what|which)\s+(?:date|year|month|day|time)\b)"
    r"|\b(?:what|which)\s+(?:is|was|were|are)\s+the\s+(?:date|dates|deadline|timescale|timing|month|year)\b"
    r"|\b(?:date|dates|deadline)\s+(?:of|for)\b|\bdue\s+date\b|\bhow\s+long\s+ago\b"
    r"|\binspection\s+window\b|\bwindow\s+for\b"
)
_HOW_MANY = re.compile(
    r"\bhow\s+(?:many|much|often|long)\b|\bwhat\s+%|\bnumber\s+of\b"
    r"|\b(?:what|which)\s+(?:(?:is|was|were|are)\s+the\s+)?"
    r"(?:number|numbers|percentage|percent|proportion|share|fraction|rate|total|amount|cost|costs|budget|"
    r"figure|figures|count|overspend|underspend|spend|ratio|average|caseload|caseloads)\b"
)
_WHO = re.compile(
    r"^(?:who|whom|whose)\b"
    r"|^(?:which|what)\s+(?:organisation|organisations|organization|body|bodies|council|councils|officer|"
    r"officers|councillor|councillors|cllr|member|members|person|people|committee|director|team|agency|"
    r"agencies|partner|partners|inspector|inspectors|chair|lead\s+member|cabinet\s+member|portfolio\s+holder)\b"
    r"|\bwhat\s+(?:is|was)\s+the\s+name\s+of\b"
)
_JUDGEMENT_Q = re.compile(
    r"\bjudge?ments?\b|\bjudged\b|\bgrade[ds]?\b|\bgrading\b|\brated\b|\bratings?\b|\boverall\s+effectiveness\b"
    r"|\boutcome\s+of\s+(?:the\s+|its\s+|their\s+)?(?:last\s+|latest\s+|most\s+recent\s+|recent\s+)?"
    r"(?:ilacs\s+|ofsted\s+)?inspection\b"
    r"|\b(?:outstanding|inadequate|requires?\s+improvement)\b"
)
_AUXILIARIES = _words(
    """
    is are was were do does did has have had can could will would should shall may might must isn't
    aren't wasn't weren't doesn't didn't hasn't haven't won't
    """
)


def question_type(question: str) -> QType:
    """What sort of answer the question wants; judgement beats yes/no ("Was Bury judged inadequate?")."""
    q = re.sub(r"\s+", " ", question.strip().lower().replace("’", "'"))
    q = _COURTESY.sub("", q).strip(" ,")
    first = q.split(" ", 1)[0] if q else ""
    if _WHEN.search(q):
        return QType.WHEN
    if _HOW_MANY.search(q):
        return QType.HOW_MANY
    if first in {"who", "whom", "whose"}:
        return QType.WHO
    if _JUDGEMENT_Q.search(q):
        return QType.WHAT_JUDGEMENT
    if _WHO.search(q):
        return QType.WHO
    if first in _AUXILIARIES:
        return QType.YES_NO
    return QType.OTHER


# ----------------------------------------------------------------------------------------------------
# Facts: dates, years, numbers, percentages, judgements
# ----------------------------------------------------------------------------------------------------


class FactKind(StrEnum):
    DATE = "date"  # value "2025-11-05"
    DAY_MONTH = "day_month"  # value "11-05" (no year given)
    MONTH_YEAR = "month_year"  # value "2025-11"
    MONTH = "month"  # value "11" (a month named on its own)
    YEAR = "year"  # value "2025"
    FINANCIAL_YEAR = "financial_year"  # value "2024" for 2024/25
    NUMBER = "number"  # value "118", "1.2"
    PERCENT = "percent"  # value "83.3"


@dataclass(frozen=True)
class Fact:
    kind: FactKind
    value: str
    text: str  # the words as written, for messages
    alternatives: tuple[str, ...] = ()  # other values that state the same thing (1.2m -> 1200000)
    weak: bool = False  # e.g. "one" as in "one of the areas": not checked as a claim

    @property
    def keys(self) -> tuple[str, ...]:
        return (f"{self.kind.value}:{self.value}", *(f"{self.kind.value}:{a}" for a in self.alternatives))


_MONTH_NUMBERS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_RE = (
    r"(?:(?i:jan(?:uary)?|feb(?:ruary)?|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?)|Mar(?:ch)?|MAR(?:CH)?|May|MAY)\b\.?"
)
_DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])(?!\d)(?:st|nd|rd|th)?\b"
_YEAR_RE = r"(?:19[5-9]\d|20\d\d)(?![\d%])"
_CONN = r"\s*(?:-|–|—|to|and|until|till|through)\s*"


def _g(name: str, pattern: str) -> str:
    return f"(?P<{name}>{pattern})"


_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        # 4 November to 22 November 2019 / 30 June - 2 July 2025
        (
            "dm_dm_y",
            rf"\b{_g('d1', _DAY_RE)}\s+(?:of\s+)?{_g('m1', _MONTH_RE)},?{_CONN}{_g('d2', _DAY_RE)}"
            rf"\s+(?:of\s+)?{_g('m2', _MONTH_RE)},?\s+{_g('y', _YEAR_RE)}",
        ),
        # 4 to 22 November 2019 / 2-20 June
        (
            "d_dm_y",
            rf"\b{_g('d1', _DAY_RE)}{_CONN}{_g('d2', _DAY_RE)}\s+(?:of\s+)?{_g('m2', _MONTH_RE)}"
            rf"(?:,?\s+{_g('y', _YEAR_RE)})?",
        ),
        # June 2nd to June 20th 2025 / June 2 - 20, 2025
        (
            "md_md_y",
            rf"\b{_g('m1', _MONTH_RE)}\s+{_g('d1', _DAY_RE)},?{_CONN}(?:{_g('m2', _MONTH_RE)}\s+)?"
            rf"{_g('d2', _DAY_RE)}(?:,?\s+{_g('y', _YEAR_RE)})?",
        ),
        ("dmy", rf"\b{_g('d1', _DAY_RE)}\s+(?:of\s+)?{_g('m1', _MONTH_RE)},?\s+{_g('y', _YEAR_RE)}"),
        ("mdy", rf"\b{_g('m1', _MONTH_RE)}\s+{_g('d1', _DAY_RE)},?\s+{_g('y', _YEAR_RE)}"),
        ("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<d1>[0-3]\d)\b"),
        (
            "numeric",
            r"(?<![\d.])(?P<d1>[0-3]?\d)(?P<sep>[./-])(?P<mo>[01]?\d)(?P=sep)"
            r"(?P<y>(?:19|20)\d\d|\d\d)(?![\d]|\.\d)",
        ),
        ("dm", rf"\b{_g('d1', _DAY_RE)}\s+(?:of\s+)?{_g('m1', _MONTH_RE)}"),
        ("md", rf"\b{_g('m1', _MONTH_RE)}\s+{_g('d1', _DAY_RE)}(?!\s*[,.]?\d)"),
        ("my", rf"\b{_g('m1', _MONTH_RE)},?\s+(?:of\s+)?{_g('y', _YEAR_RE)}"),
        (
            "fy",
            r"\b(?P<y>(?:19|20)\d\d)\s*(?:/|-|–|to)\s*(?P<y2>(?:19|20)\d\d|\d\d)(?![\d%])",
        ),
        ("year", rf"(?<![\w£$€.,]){_g('y', _YEAR_RE)}"),
        (
            "month",
            r"\b(?P<m1>January|February|March|April|June|July|August|September|October|November|December)\b"
            r"|\b(?:in|of|during|since|until|by|from|before|after|early|late|mid|end|start|and|to)\s+"
            r"(?P<may>May)\b",
        ),
    )
)
_NUMBER_RE = re.compile(
    r"(?<![\w.])[£$€]?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<suf>\s*(?:%|per\s?cent\b|percent\b|pc\b)|(?:\s*(?:m|bn|k)|\s+(?:million|billion|thousand))\b"
    r"|(?:st|nd|rd|th)\b)?"
)
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
_TENS["ninety"] = 90
_SCALES = {"thousand": 1_000, "million": 1_000_000}
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, "hundred", *_SCALES])
_NUMBER_WORDS_RE = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_NUMBER_WORD}))*\b"
    r"(?P<suf>\s*(?:%|per\s?cent\b|percent\b))?",
    re.IGNORECASE,
)
_SUFFIX_SCALE = {
    "m": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
    "k": 1_000,
}
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,40}>")


def _canonical(number: str) -> str:
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return number
    text = format(value.normalize(), "f")
    return text[:-2] if text.endswith(".0") else text


def _month(text: str) -> int:
    return _MONTH_NUMBERS[text.lower().rstrip(".")[:3]]


def _valid(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    return day <= (calendar.monthrange(year, month)[1] if year else (29 if month == 2 else 31))


def _date_facts(name: str, m: re.Match[str]) -> list[Fact]:
    """Facts for one date pattern match; [] when the match is not a real date."""
    gd = m.groupdict()
    text = m.group().strip()
    year = int(gd["y"]) if gd.get("y") else None
    if name == "year":
        return [Fact(FactKind.YEAR, str(year), text)]
    if name == "fy":
        y1, y2 = int(gd["y"]), gd["y2"]
        second = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
        if second == y1 + 1:
            return [Fact(FactKind.FINANCIAL_YEAR, str(y1), text)]
        return [Fact(FactKind.YEAR, str(y1), gd["y"])] + (
            [Fact(FactKind.YEAR, str(second), y2)] if len(y2) == 4 else []
        )
    if name == "month":
        month = _month(gd["m1"] or gd["may"])
        return [Fact(FactKind.MONTH, f"{month:02d}", text)]
    if name == "my":
        return [Fact(FactKind.MONTH_YEAR, f"{year}-{_month(gd['m1']):02d}", text)]
    if name in {"iso", "numeric"}:
        if year is not None and year < 100:
            year += 2000
        month, day = int(gd["mo"]), int(gd["d1"])
        if name == "numeric" and gd["sep"] != "/" and len(gd["y"]) == 2:
            return []  # "2.1.25" is more likely a paragraph number than a date
        if not _valid(year, month, day):
            return []
        return [Fact(FactKind.DATE, f"{year}-{month:02d}-{day:02d}", text)]
    days = [int(re.sub(r"\D", "", gd[key])) for key in ("d1", "d2") if gd.get(key)]
    months_text = [gd[key] for key in ("m1", "m2") if gd.get(key)]
    months = [_month(t) for t in months_text]
    if len(days) == 2 and len(months) == 1:
        months = months * 2
    facts: list[Fact] = []
    for day, month in zip(days, months, strict=True):
        if not _valid(year, month, day):
            return []
        if year is None:
            facts.append(Fact(FactKind.DAY_MONTH, f"{month:02d}-{day:02d}", text))
        else:
            facts.append(Fact(FactKind.DATE, f"{year}-{month:02d}-{day:02d}", text))
    return facts


def strip_html(text: str) -> str:
    """`text` without HTML tags such as <sup>: \"29<sup>th</sup>\" -> \"29th\"."""
    return _HTML_TAG.sub("", text)


def _number_word_value(words: list[str]) -> int:
    total, current = 0, 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
    return total + current


_ONE_BEFORE = re.compile(
    r"\b(?:no|any|every|each|some|the|this|that|which|another|at)\s*$|-to-$|^\s*$", re.IGNORECASE
)
_ONE_AFTER = re.compile(r"^(?:\s*(?:of|or|another|and\s+only|way|thing|day|to\s+one)\b|-to-one\b)", re.I)


def _pronoun_one(text: str, start: int, end: int) -> bool:
    """Is "one" here a pronoun or idiom ("one of the", "no one", "one-to-one", "One area ...") rather than a
    count ("one complaint was upheld")?"""
    return bool(
        _ONE_BEFORE.search(text[max(0, start - 12) : start]) or _ONE_AFTER.search(text[end : end + 12])
    )


def fact_spans(text: str) -> list[tuple[int, int, Fact]]:
    """`extract_facts` with where each fact was written: (start, end) offsets in `strip_html(text)`."""
    clean = strip_html(text)
    taken = [False] * (len(clean) + 1)
    found: list[tuple[int, int, Fact]] = []

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    def take(start: int, end: int) -> None:
        for i in range(start, end):
            taken[i] = True

    for name, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(clean):
            if not free(m.start(), m.end()):
                continue
            facts = _date_facts(name, m)
            if facts:
                take(m.start(), m.end())
                found.extend((m.start(), m.end(), fact) for fact in facts)
    for m in _NUMBER_RE.finditer(clean):
        if not free(m.start("num"), m.end("num")):
            continue
        take(m.start(), m.end())
        value = _canonical(m.group("num"))
        suffix = (m.group("suf") or "").strip().lower()
        raw = m.group().strip()
        if suffix and (suffix[0] == "%" or suffix.startswith("per") or suffix == "pc"):
            found.append((m.start(), m.end(), Fact(FactKind.PERCENT, value, raw)))
        elif suffix in _SUFFIX_SCALE:
            scaled = _canonical(str(Decimal(m.group("num").replace(",", "")) * _SUFFIX_SCALE[suffix]))
            found.append((m.start(), m.end(), Fact(FactKind.NUMBER, scaled, raw, alternatives=(value,))))
        else:
            found.append((m.start(), m.end(), Fact(FactKind.NUMBER, value, raw)))
    for m in _NUMBER_WORDS_RE.finditer(clean):
        if not free(m.start(), m.end()):
            continue
        words = [
            w
            for w in re.split(r"[\s-]+", m.group().lower())
            if w in _UNITS or w in _TENS or w in _SCALES or w == "hundred"
        ]
        if not words:
            continue
        value = str(_number_word_value(words))
        raw = m.group().strip()
        if m.group("suf"):
            found.append((m.start(), m.end(), Fact(FactKind.PERCENT, value, raw)))
        else:
            weak = words == ["one"] and _pronoun_one(clean, m.start(), m.end())
            found.append((m.start(), m.end(), Fact(FactKind.NUMBER, value, raw, weak=weak)))
    return sorted(found, key=lambda item: item[0])


def extract_facts(text: str) -> list[Fact]:
    """Checkable facts stated in `text`: dates (full, day-month, month-year), years, financial years,
    numbers (digits or words) and percentages, in order of appearance.

    A date's parts are not repeated as separate facts ("5 November 2025" is one DATE, not also a year and
    the number 5). Numbers inside dates, years and financial years are not numbers."""
    return [fact for _, _, fact in fact_spans(text)]


_JUDGEMENT_RE = re.compile(
    r"\b(?P<ri>requires?\s+improvement(?:\s+to\s+be\s+good)?|requiring\s+improvement(?:\s+to\s+be\s+good)?)\b"
    r"|\b(?P<inadequate>inadequate)\b|\b(?P<good>good)\b|\b(?P<outstanding>outstanding)\b",
    re.IGNORECASE,
)
_JUDGEMENT_CONTEXT = re.compile(
    r"\b(?:judge?(?:ment|d|s)?|judgment|rated|rating|ratings|graded?|grades?|overall\s+effectiveness|ofsted|"
    r"inspect\w*|ilacs)\b",
    re.IGNORECASE,
)


def has_judgement_context(text: str) -> bool:
    """Does `text` talk about judging (judged, rated, Ofsted, inspection, overall effectiveness ...)?"""
    return bool(_JUDGEMENT_CONTEXT.search(strip_html(text)))


def find_judgements(text: str, context: bool | None = None) -> list[str]:
    """Ofsted judgement phrases in `text`, normalised: "outstanding", "good", "requires improvement",
    "inadequate". "good" and "outstanding" count only in a judgement context (judged, rated, Ofsted,
    inspection ...) or when quoted/capitalised mid-sentence, since "good progress" and "outstanding actions"
    are everyday council English. `context` overrides the check for judgement context (for a sentence
    taken from a longer text that has it)."""
    clean = strip_html(text)
    if context is None:
        context = bool(_JUDGEMENT_CONTEXT.search(clean))
    out: list[str] = []
    for m in _JUDGEMENT_RE.finditer(clean):
        kind = m.lastgroup or ""
        if kind in {"good", "outstanding"}:
            word = m.group()
            before = clean[max(0, m.start() - 1) : m.start()]
            after = clean[m.end() : m.end() + 1]
            quoted = before in {"'", "‘", '"', "“"} or after in {"'", "’", '"', "”"}
            capital_mid = word[0].isupper() and m.start() > 0 and clean[: m.start()].strip() != ""
            if not (context or quoted or capital_mid):
                continue
        label = "requires improvement" if kind == "ri" else kind
        if label not in out:
            out.append(label)
    return out


# ----------------------------------------------------------------------------------------------------
# Sentence features
# ----------------------------------------------------------------------------------------------------

FEATURE_DATE = "date"
FEATURE_MONTH_YEAR = "month_year"
FEATURE_YEAR = "year"
FEATURE_NUMBER = "number"
FEATURE_PERCENTAGE = "percentage"
FEATURE_MONEY = "money"
FEATURE_NAME = "name"
FEATURE_JUDGEMENT = "judgement"

_NAME_SKIP_FIRST = _words(
    """
    the a an in on at for of to this that these those it its our we they he she his her their there
    however overall also as by from with since after before during when where while if all some each
    every both most many more no not and but or so i you
    """
)
_CALENDAR_WORDS = _words(
    """
    january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday
    """
)
_NAME_JOINERS = frozenset({"of", "for", "and", "&", "the", "on", "in", "de", "la", "van", "von"})
_KNOWN_ORGS = frozenset({"ofsted", "cafcass", "barnardo's", "barnardos", "nspcc", "unicef"})
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’&-]*|&")


# Capitalised words that name roles, bodies, places and things, never a person (compared lower-case).
_NOT_PERSON = (
    _NAME_SKIP_FIRST
    | _CALENDAR_WORDS
    | _words(
        """
    council councils borough county metropolitan city district town committee board boards cabinet ofsted cqc
    department dfe government education children children's childrens child young people family families
    service services social care work worker workers practice director directors deputy assistant executive
    strategic lead leader member members chair chairman chairperson vice officer officers inspector inspectors
    inspection inspections his her majesty's majestys chief principal head manager managers team teams
    improvement partnership partnerships local authority authorities area send nhs icb integrated health
    hospital trust school schools academy academies safeguarding hub mash front door court ombudsman lgsco
    parliament minister secretary state commissioner panel group forum plan report reports letter letters
    overview scrutiny annual progress monitoring visit visits focused standard judgement policy strategy
    programme project fund funding national regional greater north south east west central england english
    britain british uk kingdom united royal new old early help corporate parenting champion portfolio holder
    agenda minutes item items appendix section chapter page table figure act acts regulation regulations
    framework outcome outcomes quality assurance performance data key stage ehc ehcp mr mrs ms miss dr cllr
    councillor professor sir dame lord lady combined
    """
    )
)
_PERSON_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Cllr|Councillor|Professor|Prof|Sir|Dame)\.?\s+(?:[A-Z]\.\s*)*[A-Z][a-z'’-]+"
)


def has_person_name(sentence: str, places: frozenset[str] = frozenset()) -> bool:
    """Whether the sentence names a person: a title and a surname ("Cllr Smith"), or two or more capitalised
    words none of which is a role, body, place or calendar word ("Linda Clegg", "Caroline O'Neill")."""
    text = strip_html(sentence)
    if _PERSON_TITLE.search(text):
        return True
    run = 0
    for m in _WORD_RE.finditer(text):
        word = m.group()
        low = word.lower().replace("’", "'")
        personal = (
            word[0].isupper()
            and not word.isupper()
            and low not in _NOT_PERSON
            and low.removesuffix("'s") not in _NOT_PERSON
            and low not in places
        )
        run = run + 1 if personal else 0
        if run >= 2:
            return True
    return False


def _has_name(sentence: str) -> bool:
    words = [m.group() for m in _WORD_RE.finditer(strip_html(sentence))]
    run: list[str] = []
    runs: list[list[str]] = []
    for i, word in enumerate(words):
        lowered = word.lower().rstrip("'’s").replace("’", "'")
        if word.lower().replace("’", "'") in _KNOWN_ORGS or lowered in _KNOWN_ORGS:
            return True
        if (
            len(word) >= 2
            and sum(ch.isupper() for ch in word) >= 2
            and word.isalpha()
            and word not in {"II", "III"}
        ):
            return True  # an acronym: MASH, LGSCO, DfE, NSPCC
        capital = word[0].isupper() and word.lower() not in _CALENDAR_WORDS
        joiner = (
            bool(run) and word.lower() in _NAME_JOINERS and i + 1 < len(words) and words[i + 1][0].isupper()
        )
        if (capital and not (i == 0 and word.lower() in _NAME_SKIP_FIRST)) or joiner:
            run.append(word)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    for run_words in runs:
        capitals = [w for w in run_words if w[0].isupper()]
        if len(capitals) >= 2:
            return True
    # a title followed by a surname: "Cllr. Jones", "Mr Smith"
    return bool(re.search(r"\b(?:Cllr|Councillor|Mr|Mrs|Ms|Mx|Dr|Prof)\.?\s+[A-Z][a-z]", sentence))


def sentence_features(sentence: str) -> set[str]:
    """Which kinds of answer a sentence could give: "date", "month_year", "year", "number", "percentage",
    "money", "name" (capitalised multiword name, title + name, acronym or Ofsted) and "judgement".

    "number" covers counts, amounts and percentages but not years, dates or the pronoun "one"."""
    features: set[str] = set()
    for fact in extract_facts(sentence):
        if fact.kind == FactKind.DATE:
            features |= {FEATURE_DATE, FEATURE_MONTH_YEAR, FEATURE_YEAR}
        elif fact.kind == FactKind.DAY_MONTH:
            features.add(FEATURE_DATE)
        elif fact.kind == FactKind.MONTH_YEAR:
            features |= {FEATURE_MONTH_YEAR, FEATURE_YEAR}
        elif fact.kind in {FactKind.YEAR, FactKind.FINANCIAL_YEAR}:
            features.add(FEATURE_YEAR)
        elif fact.kind == FactKind.PERCENT:
            features |= {FEATURE_PERCENTAGE, FEATURE_NUMBER}
        elif fact.kind == FactKind.NUMBER and not fact.weak:
            features.add(FEATURE_NUMBER)
            if fact.text[:1] in "£$€":
                features.add(FEATURE_MONEY)
    if _has_name(sentence):
        features.add(FEATURE_NAME)
    if find_judgements(sentence):
        features.add(FEATURE_JUDGEMENT)
    return features
