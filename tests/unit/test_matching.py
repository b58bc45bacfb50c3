"""Tables for the tolerant answer matcher in evals.matching."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evals.matching import all_present, canonical, contains, normalise, source_matches

STEM = "bury-cabinet-2025-09-10-ofsted-standard-inspection-report"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Requires Improvement", "requires improvement"),
        ("  lots\tof \n\n space ", "lots of space"),
        ("Bury\u2019s \u2018good\u2019 rating", "bury's 'good' rating"),
        ("\u201cfar more children\u201d", '"far more children"'),
        ("2022\u201323", "2022-23"),
        ("18\u201424 months", "18-24 months"),
        ("published on July 29<sup>th</sup>", "published on july 29"),
        ("by November 5th", "by november 5"),
        ("1st, 2nd, 3rd and 03rd", "1, 2, 3 and 03"),
        ("the 5th of November", "the 5 of november"),
        ("non\u00a0breaking", "non breaking"),
        ("fifth and 5th", "fifth and 5"),
        ("north", "north"),  # "th" inside a word is not an ordinal
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one hundred and eighteen", "118"),
        ("twenty-three", "23"),
        ("two or three times", "2 or 3 times"),
        ("two and three", "2 and 3"),
        ("ten thousand and five", "10005"),
        ("three-year anniversary", "3 year anniversary"),
        ("November 5th 2025", "5 november 2025"),
        ("5/11/2025", "5 november 2025"),
        ("2025-11-05", "5 november 2025"),
        ("Nov. 5, 2025", "5 november 2025"),
        ("June 2<sup>nd</sup> to June 20<sup>th</sup> 2025", "2 june to 20 june 2025"),
        ("03rd December 2024", "3 december 2024"),
        ("Dec 2027", "december 2027"),
        ("2022-23", "2022/23"),
        ("2022 to 2023", "2022/23"),
        ("April 2022 to March 2023", "2022/23"),
        ("2025-2028", "2025-2028"),
        ("1 April 2023 to 24 March 2024", "1 april 2023 to 24 march 2024"),
        ("83.3 per cent", "83.3%"),
        ("3,646 cases", "3646 cases"),
        ("£195K", "£195000"),
        ("£2.5 million", "£2500000"),
    ],
)
def test_canonical(text: str, expected: str) -> None:
    assert canonical(text) == expected


@pytest.mark.parametrize(
    ("answer", "required"),
    [
        ("Bury received 118 complaints.", "118"),
        ("Bury received one hundred and eighteen complaints.", "118"),
        ("Bury received 118 complaints.", "one hundred and eighteen"),
        ("There were two of them.", "2"),
        ("There were 2 of them.", "two"),
        ("Inspections happen every three years.", "3 years"),
        ("Inspections happen every 3 years.", "three years"),
        ("due by 5 November 2025", "5 November 2025"),
        ("due by November 5th 2025", "5 November 2025"),
        ("due by 5/11/2025", "5 November 2025"),
        ("due by 2025-11-05", "5 November 2025"),
        ("due by 5 Nov 2025", "5 November 2025"),
        ("due by the 5th of November, 2025", "November 5 2025"),
        ("published on July 29<sup>th</sup>", "29 July"),
        ("from June 2<sup>nd</sup> to June 20<sup>th</sup> 2025", "2 June"),
        ("from June 2<sup>nd</sup> to June 20<sup>th</sup> 2025", "20 June 2025"),
        ("in 2022/23", "2022-23"),
        ("in 2022-23", "2022/23"),
        ("from 2022 to 2023", "2022/23"),
        ("from April 2022 to March 2023", "2022/23"),
        ("in 2022\u201323", "2022/23"),
        ("between Dec 2027 and Dec 2028", "December 2027|Dec 2027"),
        ("between December 2027 and December 2028", "Dec 2027"),
        ("It REQUIRES IMPROVEMENT TO BE GOOD.", "improvement to be good"),
        ("Bury\u2019s leadership is \u2018good\u2019", "Bury's leadership is 'good'"),
        ("Inspected by Ofsted (JTAI)", "Joint Targeted Area Inspection|JTAI"),
        ("83.3 per cent of them", "83.3%"),
        ("a 20-week timescale", "20 week"),
        ("delays in the provision of service", "delay"),
        ("£195,000 from reserves", "195K"),
        ("3,646 open cases", "3,646"),
        ("the three- and half-year journey", "half year"),
        ("Caroline O\u2019Neill", "Caroline O'Neill"),
    ],
)
def test_contains_matches(answer: str, required: str) -> None:
    assert contains(answer, required)


@pytest.mark.parametrize(
    ("answer", "required"),
    [
        ("Bury received 1180 complaints.", "118"),
        ("Bury received 2118 complaints.", "118"),
        ("It was published in 2025.", "2"),
        ("It was published in 2025.", "two"),
        ("It cost 2.5 million.", "2"),
        ("about 11.8 per 100,000", "11"),
        ("in 2022/23", "23"),
        ("in 2022/23", "2022"),
        ("due by 15 November 2025", "5 November 2025"),
        ("due by 5 November 2024", "5 November 2025"),
        ("due by 5/12/2025", "5 November 2025"),
        ("from 2022 to 2024", "2022/23"),
        ("between December 2026 and December 2027", "December 2028"),
        ("It was judged inadequate.", "improvement to be good"),
        ("Leadership was good.", "outstanding|requires improvement"),
        ("They met the goodwill target.", "good"),
        ("83.3% of them", "3.3%"),
        ("anything at all", ""),
        ("anything at all", "|"),
    ],
)
def test_contains_rejects(answer: str, required: str) -> None:
    assert not contains(answer, required)


@pytest.mark.parametrize(
    ("answer", "must_contain", "expected"),
    [
        ("Between December 2027 and December 2028.", ["December 2027", "December 2028"], (True, [])),
        ("Between December 2027 and 2028.", ["December 2027", "December 2028"], (False, ["December 2028"])),
        ("Nothing relevant.", ["118", "117"], (False, ["118", "117"])),
        ("118 in 2022/23 and 117 in 2023/24", ["118", "117"], (True, [])),
        ("Anything at all.", [], (True, [])),
    ],
)
def test_all_present(answer: str, must_contain: list[str], expected: tuple[bool, list[str]]) -> None:
    assert all_present(answer, must_contain) == expected


@pytest.mark.parametrize(
    ("doc_id", "expected_stems", "expected"),
    [
        (f"public/{STEM}.md", [STEM], True),
        (f"seeds/{STEM}.md", [STEM], True),
        (f"formats/{STEM}.pdf", [STEM], True),
        (f"data/corpus/formats/{STEM}.docx", [STEM], True),
        (f"/work/main/data/corpus/seeds/{STEM}.md", ["other", STEM], True),
        (STEM, [STEM], True),
        (f"{STEM}.MD", [STEM.upper()], True),
        (f"public\\{STEM}.md", [STEM], True),
        (f"public/{STEM}.md#chunk-3", [STEM], True),
        (f"public/{STEM}.md", [f"{STEM}.md"], True),
        (f"public/{STEM}.md", ["bury-cabinet-2025-09-10"], False),
        (f"public/{STEM}-v2.md", [STEM], False),
        (f"public/{STEM}.md", [], False),
        ("", [STEM], False),
    ],
)
def test_source_matches(doc_id: str, expected_stems: list[str], expected: bool) -> None:
    assert source_matches(doc_id, expected_stems) is expected


# --- properties --------------------------------------------------------------------------------

_SMALL = [
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
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _in_words(n: int) -> str:
    """British English words for 0..999 ("one hundred and eighteen")."""
    hundreds, rest = divmod(n, 100)
    if rest < 20:
        tail = _SMALL[rest]
    else:
        tens, units = divmod(rest, 10)
        tail = _TENS[tens - 2] + (f"-{_SMALL[units]}" if units else "")
    if not hundreds:
        return tail
    return f"{_SMALL[hundreds]} hundred" + (f" and {tail}" if rest else "")


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


@settings(database=None)
@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=9))
def test_digits_match_themselves_not_longer_numbers(n: int, extra: int) -> None:
    assert contains(f"There were {n} complaints.", str(n))
    assert contains(f"There were {n:,} complaints.", str(n))
    assert not contains(f"There were {n}{extra} complaints.", str(n))


@settings(database=None)
@given(st.integers(min_value=0, max_value=999))
def test_number_words_match_digits(n: int) -> None:
    assert contains(f"There were {_in_words(n)} complaints.", str(n))
    assert contains(f"There were {n} complaints.", _in_words(n))


@settings(database=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_date_formats_share_one_canonical_form(day: dt.date) -> None:
    month = day.strftime("%B")
    expected = f"{day.day} {month.lower()} {day.year}"
    spellings = [
        f"{day.day} {month} {day.year}",
        f"{month} {_ordinal(day.day)} {day.year}",
        f"{month} {day.day}, {day.year}",
        f"the {_ordinal(day.day)} of {month} {day.year}",
        f"{day.day}/{day.month}/{day.year}",
        day.strftime("%d/%m/%Y"),
        day.isoformat(),
        f"{day.day} {month[:3]} {day.year}",
        f"{month[:3]}. {day.day}, {day.year}",
    ]
    for spelling in spellings:
        assert expected in canonical(spelling), spelling
