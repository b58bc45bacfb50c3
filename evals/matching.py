"""Tolerant matching of reference facts (numbers, dates, judgement words) inside generated answers.

`normalise` tidies typography; `canonical` goes further and rewrites numbers, dates, financial
years, percentages and money into one spelling each, so "5/11/2025" and "November 5th 2025" meet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath

__all__ = ["all_present", "canonical", "contains", "normalise", "source_matches"]

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_SUP_TAG = re.compile(r"</?\s*sup\s*>", re.IGNORECASE)
_ORDINAL = re.compile(r"\b(\d+)(st|nd|rd|th)\b")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Case-fold, straighten quotes, turn dashes into hyphens, drop ordinal suffixes, squeeze spaces."""
    text = _SUP_TAG.sub("", text.translate(_QUOTES)).casefold()
    text = _ORDINAL.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


# --- numbers written as words -------------------------------------------------------------------

_UNITS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2)
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_NUMBER_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
_AFTER_SCALE = "(?:(?<=hundred)|(?<=thousand)|(?<=million))"
_WORD_RUN = re.compile(rf"\b(?:{_NUMBER_WORD})\b(?:(?:[ -]|{_AFTER_SCALE} and )(?:{_NUMBER_WORD})\b)*")


def _words_to_numbers(run: str) -> str:
    """Turn one run like "one hundred and eighteen" into "118"; split runs that are not one number."""
    out: list[str] = []
    total = current = 0
    last = ""  # "unit", "tens", "hundred", "big" or "" at the start of a number
    for word in (w for w in re.split(r"[ -]", run) if w and w != "and"):
        if word in _UNITS:
            value = _UNITS[word]
            fits = last in ("", "hundred", "big") or (last == "tens" and 0 < value < 10)
            if not fits:
                out.append(str(total + current))
                total, current = 0, 0
            current += value
            last = "unit"
        elif word in _TENS:
            if last not in ("", "hundred", "big"):
                out.append(str(total + current))
                total, current = 0, 0
            current += _TENS[word]
            last = "tens"
        elif word == "hundred" and last in ("unit", "tens") and current < 100:
            current *= 100
            last = "hundred"
        elif word in ("thousand", "million") and (current or total) and last != "big":
            total += max(current, 1) * _SCALES[word]
            current = 0
            last = "big"
        else:  # a scale word that cannot attach: keep it as a word
            if last:
                out.append(str(total + current))
            out.append(word)
            total, current, last = 0, 0, ""
    if last:
        out.append(str(total + current))
    return " ".join(out)


# --- dates, financial years, percentages, money -------------------------------------------------

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_NUM = {m: i for i, m in enumerate(_MONTHS, 1)}
_ABBREV = {m[:3]: m for m in _MONTHS} | {"sept": "september"}
_MONTH = "|".join(_MONTHS)
_ABBR = "|".join(sorted(_ABBREV, key=len, reverse=True))
_ABBR_BEFORE = re.compile(rf"\b({_ABBR})\.?(?= ?\d)")
_ABBR_AFTER = re.compile(rf"(?<=\d )({_ABBR})\b\.?")
_NUMERIC_DMY = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_MONTH_DAY = re.compile(
    rf"(?<!\d )\b({_MONTH}) (\d{{1,2}})\b(?![.,/%-]\d)(?! (?:{_MONTH})\b)(?:,? (\d{{4}})\b)?"
)
_DAY_OF = re.compile(rf"\b(\d{{1,2}}) of ({_MONTH})\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}) ({_MONTH})\b(?:,? (\d{{4}})\b)?")
_FIN_YEAR = re.compile(rf"\b((?:19|20)\d\d) ?(?:/|-|to) ?(\d{{4}}|\d\d)\b(?![/-]\d)(?! (?:{_MONTH})\b)")
_APRIL_MARCH = re.compile(r"(?<!\d )\bapril ((?:19|20)\d\d) (?:to|-|until) march ((?:19|20)\d\d)\b")
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?) ?(?:%|per ?cent\b)")
_MULTIPLIER = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}
_MULTIPLIER |= {"bn": 1_000_000_000, "billion": 1_000_000_000}
_MONEY = re.compile(r"£ ?(\d+(?:\.\d+)?) ?(k|m|bn|thousand|million|billion)\b")
_SCALED = re.compile(r"(\d+(?:\.\d+)?)(?: ?(thousand|million|billion)\b|(k)\b)")
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=\w)|(?<=\w)-(?=[^\W\d_])")


def _day_month_year(day: str, month: int, year: str | None) -> str:
    text = f"{int(day)} {_MONTHS[month - 1]}"
    return f"{text} {year}" if year else text


def _month_first(match: re.Match[str]) -> str:
    month, day, year = match.groups()
    if not 1 <= int(day) <= 31:
        return match.group(0)
    return _day_month_year(day, _MONTH_NUM[month], year)


def _numeric_date(match: re.Match[str], day: str, month: str, year: str) -> str:
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return match.group(0)
    return _day_month_year(day, int(month), year)


def _financial_year(match: re.Match[str]) -> str:
    start, end = int(match.group(1)), match.group(2)
    follows = int(end) == start + 1 if len(end) == 4 else int(end) == (start + 1) % 100
    return f"{start}/{(start + 1) % 100:02d}" if follows else match.group(0)


def _scaled(number: str, unit: str) -> str:
    try:
        value = Decimal(number) * _MULTIPLIER[unit]
    except (InvalidOperation, KeyError):
        return number
    return format(value.normalize(), "f")


def canonical(text: str) -> str:
    """`normalise`, then one spelling each for numbers, dates, financial years, percentages and money."""
    text = _THOUSANDS_COMMA.sub("", normalise(text))
    text = _WORD_HYPHEN.sub(" ", text)
    text = _WORD_RUN.sub(lambda m: _words_to_numbers(m.group(0)), text)
    text = _ABBR_BEFORE.sub(lambda m: _ABBREV[m.group(1)], text)
    text = _ABBR_AFTER.sub(lambda m: _ABBREV[m.group(1)], text)
    text = _DAY_OF.sub(r"\1 \2", text)
    text = _ISO.sub(lambda m: _numeric_date(m, m.group(3), m.group(2), m.group(1)), text)
    text = _NUMERIC_DMY.sub(lambda m: _numeric_date(m, m.group(1), m.group(2), m.group(3)), text)
    text = _MONTH_DAY.sub(_month_first, text)
    text = _DAY_MONTH.sub(lambda m: _day_month_year(m.group(1), _MONTH_NUM[m.group(2)], m.group(3)), text)
    text = _APRIL_MARCH.sub(_financial_year, text)
    text = _FIN_YEAR.sub(_financial_year, text)
    text = _PERCENT.sub(r"\1%", text)
    text = _MONEY.sub(lambda m: "£" + _scaled(m.group(1), m.group(2)), text)
    text = _SCALED.sub(lambda m: _scaled(m.group(1), m.group(2) or m.group(3)), text)
    return _SPACES.sub(" ", text).strip()


# --- matching -----------------------------------------------------------------------------------


def _joins_number(text: str, at: int, step: int) -> bool:
    """True if the separator at `at` continues a number (as in "2.5", "2022/23", "1,180")."""
    beyond = at + step
    return text[at] in "./," and 0 <= beyond < len(text) and text[beyond].isdigit()


def _bounded(hay: str, needle: str, start: int) -> bool:
    end = start + len(needle)
    if needle[0].isalnum() and start > 0:
        before = hay[start - 1]
        if before.isalnum() or (needle[0].isdigit() and start > 1 and _joins_number(hay, start - 1, -1)):
            return False
    if needle[-1].isalnum() and end < len(hay):
        after = hay[end]
        if needle[-1].isalpha():  # tolerate a plural: "delay" matches "delays"
            for suffix in ("es", "s"):
                if hay.startswith(suffix, end):
                    rest = end + len(suffix)
                    return rest == len(hay) or not hay[rest].isalnum()
        if after.isalnum() or (needle[-1].isdigit() and _joins_number(hay, end, 1)):
            return False
    return True


def _found(hay: str, needle: str) -> bool:
    start = hay.find(needle)
    while start != -1:
        if _bounded(hay, needle, start):
            return True
        start = hay.find(needle, start + 1)
    return False


def contains(answer_text: str, required: str) -> bool:
    """Whether `answer_text` states `required`; `required` may list alternatives as "a|b"."""
    hay = canonical(answer_text)
    alternatives = [canonical(alt) for alt in required.split("|")]
    return any(alt and _found(hay, alt) for alt in alternatives)


def all_present(answer_text: str, must_contain: Iterable[str]) -> tuple[bool, list[str]]:
    """(True, []) if every required item is in the answer, else (False, the items that are missing)."""
    missing = [item for item in must_contain if not contains(answer_text, item)]
    return not missing, missing


_DOC_SUFFIXES = {".md", ".markdown", ".txt", ".pdf", ".docx", ".doc", ".html", ".htm", ".json"}


def _stem(doc_id_or_path: str) -> str:
    name = PurePosixPath(doc_id_or_path.split("#", 1)[0].replace("\\", "/").strip()).name
    path = PurePosixPath(name)
    return (path.stem if path.suffix.lower() in _DOC_SUFFIXES else name).casefold()


def source_matches(doc_id_or_path: str, expected_stems: Sequence[str]) -> bool:
    """Whether a document id or path ("public/foo.md", "formats/foo.pdf") has one of the expected stems."""
    stem = _stem(doc_id_or_path)
    return bool(stem) and any(stem == _stem(expected) for expected in expected_stems)
