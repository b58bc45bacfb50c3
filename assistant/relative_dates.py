"""Dates a paper gives relative to when it was written ("completed in July this year", "last year's figures"),
worked out from the paper's own date and shown as arithmetic, never as a quote: the paper does not say the year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_RELATIVE = re.compile(r"\b(?:(?P<when>earlier|later)\s+)?(?P<which>this|last|next)\s+year\b", re.I)
_RELATIVE_MONTH = re.compile(r"\b(?:(?P<when>earlier|later)\s+)?(?P<which>this|last|next)\s+month\b", re.I)
_OFFSET = {"this": 0, "last": -1, "next": 1}


_MONTHS = tuple(calendar.month_name[1:])
_MONTH_NUMBER = {m.lower(): i for i, m in enumerate(_MONTHS, start=1)}
_DAY_MONTH = re.compile(
    rf"^(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{'|'.join(_MONTHS)})|(?P<m2>{'|'.join(_MONTHS)})\s+"
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)$",
    re.I,
)


def resolve(text: str, written: dt.date | None) -> str | None:
    """`text` with its year (or month) worked out from `written` ("July this year", 2021-12-17 -> "July 2021";
    "earlier this year" -> "earlier in 2021"; "last month", 2019-02-05 -> "January 2019"; a day without its year,
    "6 February", the one nearest the paper's date -> "6 February 2024"), or None when it names no year or month
    relative to the paper or the date is unknown."""
    if written is not None and (day := _DAY_MONTH.match(text.strip())):
        return _nearest_year(text.strip(), day, written)
    if written is not None and (month := _RELATIVE_MONTH.search(text)):
        # "last month" in a paper of 5 February 2019: January 2019 (not from 1 January: how a paper dated by its
        # year alone is stored, which says no month)
        if not day_known(written):
            return None
        index = written.year * 12 + written.month - 1 + _OFFSET[month.group("which").lower()]
        return _put(text, month, f"{calendar.month_name[index % 12 + 1]} {index // 12}")
    m = _RELATIVE.search(text)
    if m is None or written is None:
        return None
    return _put(text, m, str(written.year + _OFFSET[m.group("which").lower()]))


def _put(text: str, m: re.Match[str], when: str) -> str:
    """`text` with the relative time `m` found ("earlier this year") given as `when` ("earlier in 2021")."""
    resolved = f"{m.group('when')} in {when}" if m.group("when") else when
    return " ".join(f"{text[: m.start()]}{resolved}{text[m.end() :]}".split())


def day_known(written: dt.date | None) -> bool:
    """Whether a paper's date may stand for its day: it has one, and not 1 January (how a paper dated by its year
    alone is stored)."""
    return written is not None and (written.month, written.day) != (1, 1)


def unresolved(text: str, written: dt.date | None) -> bool:
    """Whether `text` is a time said relative to its paper's date ("last month", "this year") that cannot be worked
    out: the paper is undated, or dated by its year alone for a month ("last month" in a paper of 2023)."""
    relative = _RELATIVE_MONTH.search(text) or _RELATIVE.search(text)
    return relative is not None and resolve(text, written) is None


def _nearest_year(text: str, day: re.Match[str], written: dt.date) -> str | None:
    month = _MONTH_NUMBER[(day["m1"] or day["m2"]).lower()]
    number = int(day["d1"] or day["d2"])
    options = []
    for year in (written.year - 1, written.year, written.year + 1):
        try:
            options.append(dt.date(year, month, number))
        except ValueError:
            continue
    if not options:
        return None
    nearest = min(options, key=lambda d: abs((d - written).days))
    return f"{text} {nearest.year}"


def note(text: str, written: dt.date | None) -> str | None:
    """The line that shows the working: "“July this year” in a paper dated 17 December 2021: July 2021."."""
    resolved = resolve(text, written)
    if resolved is None or written is None:
        return None
    day = f"{written.day} {written:%B %Y}"
    unit = "month" if _RELATIVE_MONTH.search(text) else "year"
    return (
        f"Worked out from the paper's date (the paper does not give the {unit}): “{text}” in a paper dated {day} "
        f"is {resolved}."
    )
