"""The checkable facts a text states: dates, years, financial years, numbers (digits or words), percentages and
Ofsted judgements, each normalised so that the verifier can compare them across texts ("5/11/2025" = "November
5th 2025", "one hundred and eighteen" = "118", "£1.2m" = "£1,200,000"). Pure and deterministic.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

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
