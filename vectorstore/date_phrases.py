"""The phrases a question names time with, as regular expressions: point phrases (a year, a month, a financial
year, "last September") with named groups for `vectorstore.querydates`' handlers, and the pieces the combinator
phrases ("since X", "between X and Y") are built from.
"""

from __future__ import annotations

import re

from vectorstore.periods import _NUMBER_WORDS

_YEAR = r"(?:199\d|20\d\d)"
_MON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MON_FULL = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_NO_NUMBER_NEXT = r"(?!\s*,?\s*\d)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_DASH = r"[/\-‐–]"
_FY_PAIR = rf"{_YEAR}\s?{_DASH}\s?\d\d(?:\d\d)?(?!\d)"
_FY_SHORT = r"\d\d\s?/\s?\d\d(?!\d)"
_QUARTER = r"(?:Q|quarter\s*)(?P<q>[1-4])"
_FY_WORDS = r"(?:(?:the\s+)?(?:financial\s+year|FY)\s*)"
_NUM = r"(?:\d{1,3}|" + "|".join(_NUMBER_WORDS) + ")"
_UNIT = r"(?P<unit>day|week|month|year)"
_UNITS = rf"{_UNIT}s?"

_POINTS: dict[str, str] = {
    "iso": rf"(?P<y>{_YEAR})-(?P<m>\d\d)-(?P<d>\d\d)",
    "numeric": rf"(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>{_YEAR})",
    "dmy": rf"(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON}),?\s+(?P<y>{_YEAR})",
    "mdy": rf"(?P<mon>{_MON})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})",
    "fy_quarter": rf"{_QUARTER}\s*,?\s*(?:of\s+|in\s+)?{_FY_WORDS}?(?P<fy>{_FY_PAIR}|{_FY_SHORT})",
    "fy_quarter_after": rf"(?P<fy>{_FY_PAIR})\s*,?\s*{_QUARTER}",
    "year_quarter": rf"{_QUARTER}\s*,?\s*(?:of\s+|in\s+)?(?P<y>{_YEAR})",
    "academic": rf"(?:the\s+)?(?:academic|school)\s+year\s+(?P<fy>{_FY_PAIR})",
    "academic_after": rf"(?P<fy>{_FY_PAIR})\s+(?:academic|school)\s+year",
    "fy_short": rf"(?:financial\s+year|FY)\s*(?P<fy>{_FY_SHORT})",
    "fy": rf"{_FY_WORDS}?(?P<fy>{_FY_PAIR})(?:\s+financial\s+year)?",
    "ambiguous_year": (
        rf"(?:(?:financial|academic|school)\s+year|FY)\s*(?:{_YEAR}|\d\d)(?!\d)"
        rf"|{_YEAR}\s+(?:financial|academic|school)\s+year"
    ),
    "month_year": rf"(?P<mon>{_MON}),?\s+(?P<y>{_YEAR})",
    "year": rf"(?P<y>{_YEAR})",
    "relative_year": r"(?P<rel>last|this|previous|current)\s+(?:(?P<kind>financial|academic|school)\s+)?year",
    "relative_month_unit": r"(?P<rel>last|this|previous|current)\s+month",
    "relative_month": rf"(?P<rel>last|this)\s+(?P<mon>{_MON_FULL}|sept){_NO_NUMBER_NEXT}",
    "bare_month": rf"(?P<mon>{_MON_FULL}){_NO_NUMBER_NEXT}",
}
_STANDALONE = [name for name in _POINTS if name != "bare_month"]
_COMPILED_POINTS = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _POINTS.items()}


def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_P = "(?:" + "|".join(_unnamed(p) for p in _POINTS.values()) + ")"
_A = rf"(?P<a>{_P})"
_B = rf"(?P<b>{_P})"
_START = r"(?<![\w£$€])"
_END = r"(?![\w%£]|[.,]\d)"
