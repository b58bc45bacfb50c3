from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.citations import (
    cited_numbers,
    format_markers,
    marker_numbers,
    parse_markers,
    renumber,
    strip_markers,
)

PARSES: list[tuple[str, list[tuple[str, list[int]]]]] = [
    ("", []),
    ("No markers here.", [("No markers here.", [])]),
    ("Forty complaints were upheld [1].", [("Forty complaints were upheld.", [1])]),
    ("Forty complaints were upheld. [1]", [("Forty complaints were upheld.", [1])]),
    ("Forty complaints were upheld.[1]", [("Forty complaints were upheld.", [1])]),
    ("Forty complaints were upheld [1, 2].", [("Forty complaints were upheld.", [1, 2])]),
    ("Forty complaints were upheld [1,2].", [("Forty complaints were upheld.", [1, 2])]),
    ("Forty complaints were upheld [1][2].", [("Forty complaints were upheld.", [1, 2])]),
    ("Forty complaints were upheld [1] [2].", [("Forty complaints were upheld.", [1, 2])]),
    ("Forty complaints were upheld [1-3].", [("Forty complaints were upheld.", [1, 2, 3])]),
    ("Forty complaints were upheld [1–3].", [("Forty complaints were upheld.", [1, 2, 3])]),
    ("Forty complaints were upheld [ 1 - 3 ].", [("Forty complaints were upheld.", [1, 2, 3])]),
    ("Forty complaints were upheld [1, 3-4].", [("Forty complaints were upheld.", [1, 3, 4])]),
    ("Forty complaints were upheld [3-1].", [("Forty complaints were upheld.", [1, 2, 3])]),
    ("Forty complaints were upheld [2][2].", [("Forty complaints were upheld.", [2])]),
    ("Forty complaints were upheld [2] [1].", [("Forty complaints were upheld.", [2, 1])]),
    (
        "Ofsted visited in June 2025 [1]. Forty complaints were upheld [2].",
        [("Ofsted visited in June 2025.", [1]), ("Forty complaints were upheld.", [2])],
    ),
    (
        "Ofsted visited in June 2025. [1] Forty complaints were upheld. [2]",
        [("Ofsted visited in June 2025.", [1]), ("Forty complaints were upheld.", [2])],
    ),
    (
        "Ofsted visited in June 2025.[1][3] Forty complaints were upheld.[2]",
        [("Ofsted visited in June 2025.", [1, 3]), ("Forty complaints were upheld.", [2])],
    ),
    (
        "In 2024/25 [2] the council received 118 complaints [1].",
        [("In 2024/25 the council received 118 complaints.", [2, 1])],
    ),
    ("[4] Leading marker sentence.", [("Leading marker sentence.", [4])]),
    (
        "Here is what the papers say: Forty complaints were upheld [2].",
        [("Here is what the papers say: Forty complaints were upheld.", [2])],
    ),
    (
        "Here is what the papers say.\n- Forty complaints were upheld [2]\n- Ofsted visited in June [1]",
        [
            ("Here is what the papers say.", []),
            ("Forty complaints were upheld", [2]),
            ("Ofsted visited in June", [1]),
        ],
    ),
    (
        "The rate was 83.3% [1]. Cllr. Jones agreed [2].",
        [("The rate was 83.3%.", [1]), ("Cllr. Jones agreed.", [2])],
    ),
    ("Is it due [1]? Yes [2]!", [("Is it due?", [1]), ("Yes!", [2])]),
    ("Not a marker [a] or [sic] here [1].", [("Not a marker [a] or [sic] here.", [1])]),
    ("Ofsted said services were 'good' [1].", [("Ofsted said services were 'good'.", [1])]),
    ("It is cited twice [1] in one sentence [2].", [("It is cited twice in one sentence.", [1, 2])]),
    ("Out of range markers are kept [9].", [("Out of range markers are kept.", [9])]),
]


@pytest.mark.parametrize(("text", "expected"), PARSES)
def test_parse_markers(text: str, expected: list[tuple[str, list[int]]]) -> None:
    assert parse_markers(text) == expected


STRIPS: list[tuple[str, str]] = [
    ("", ""),
    ("Plain.", "Plain."),
    ("Upheld [1].", "Upheld."),
    ("Upheld. [1]", "Upheld."),
    ("Upheld.[1][2] Next [3].", "Upheld. Next."),
    ("A [1] b.", "A b."),
    ("A[1] b.", "A b."),
    ("A [1], b.", "A, b."),
    ("(see [1]) now.", "(see) now."),
    ("[1] Start.", "Start."),
    ("Line one [1]\nLine two [2]", "Line one\nLine two"),
    ("Keep [a] and [sic].", "Keep [a] and [sic]."),
]


@pytest.mark.parametrize(("text", "expected"), STRIPS)
def test_strip_markers(text: str, expected: str) -> None:
    assert strip_markers(text) == expected


RENUMBERS: list[tuple[str, dict[int, int], str]] = [
    ("A [1]. B [2].", {1: 2, 2: 1}, "A [2]. B [1]."),
    ("A [1, 3].", {1: 2, 3: 1}, "A [1, 2]."),
    ("A [1][3].", {1: 5, 3: 6}, "A [5][6]."),
    ("A [1] [3].", {1: 5, 3: 6}, "A [5] [6]."),
    ("A [1-3].", {1: 1, 2: 2, 3: 3}, "A [1, 2, 3]."),
    ("A [4].", {1: 1}, "A."),
    ("A [1][4].", {1: 1}, "A [1]."),
    ("A [1, 4].", {1: 1}, "A [1]."),
    ("A [1, 2].", {1: 1, 2: 1}, "A [1]."),
    ("A. [2] B.", {}, "A. B."),
    ("No markers.", {1: 2}, "No markers."),
]


@pytest.mark.parametrize(("text", "mapping", "expected"), RENUMBERS)
def test_renumber(text: str, mapping: dict[int, int], expected: str) -> None:
    assert renumber(text, mapping) == expected


MARKERS: list[tuple[str, list[int]]] = [
    ("[1]", [1]),
    ("[1, 2]", [1, 2]),
    ("[1-3]", [1, 2, 3]),
    ("[1 to 3]", [1, 2, 3]),
    ("[2, 1]", [2, 1]),
    ("[1; 2 and 4]", [1, 2, 4]),
    ("[1-999]", [1, 999]),
]


@pytest.mark.parametrize(("marker", "expected"), MARKERS)
def test_marker_numbers(marker: str, expected: list[int]) -> None:
    assert marker_numbers(marker) == expected


def test_format_markers_and_cited_numbers() -> None:
    assert format_markers([2, 1, 2]) == "[2][1]"
    assert format_markers([]) == ""
    assert cited_numbers("A [3]. B [1, 2][3].") == [1, 2, 3]


_WORDS = st.sampled_from(
    ["Forty", "complaints", "were", "upheld", "in", "2024", "[1]", "[2, 3]", "[4-5]", "."]
)


@given(st.lists(_WORDS, max_size=25).map(" ".join))
def test_strip_is_idempotent_and_removes_every_marker(text: str) -> None:
    once = strip_markers(text)
    assert strip_markers(once) == once
    assert cited_numbers(once) == []
    assert all(not markers for _, markers in parse_markers(once))


@given(st.lists(_WORDS, max_size=25).map(" ".join))
def test_parse_keeps_every_cited_number(text: str) -> None:
    parsed = parse_markers(text)
    found = sorted({n for _, markers in parsed for n in markers})
    if parsed:
        assert found == cited_numbers(text)
