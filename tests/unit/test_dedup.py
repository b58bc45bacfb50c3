"""Near-duplicate removal: the same text in an agenda, a report and its minutes."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vectorstore.dedup import dedupe, dedupe_with_ids, shingles, similarity
from vectorstore.passage import Passage

REPORT = (
    "The Council received 120 Stage 1 complaints in 2023/24, an increase of 12 per cent on the "
    "previous year. The most common themes were communication, delays in assessment and the "
    "quality of plans. Learning from complaints is shared with team managers each quarter."
)
# The same paragraph as it appears in the minutes: different case, punctuation and line breaks.
MINUTES = (
    "the council received 120 stage 1 complaints in 2023/24 - an increase of 12 per cent on the\n"
    "previous year; the most common themes were: communication, delays in assessment, and the\n"
    "quality of plans. Learning from complaints is shared with team managers each quarter."
)
DIFFERENT = (
    "The SEND priority impact plan sets out five priorities agreed with the DfE and NHS England "
    "following the area SEND inspection, with progress reviewed by the improvement board."
)


def _passage(chunk_id: str, text: str, score: float = 1.0, **scores: float) -> Passage:
    return Passage(
        chunk_id=chunk_id,
        doc_id=f"doc-{chunk_id}",
        text=text,
        title="Title",
        date=dt.date(2024, 10, 1),
        body="Cabinet",
        doc_type="cabinet report",
        council="Bury",
        source_url="https://example.org",
        classification="open",
        path="data/x.pdf",
        score=score,
        scores=dict(scores),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", frozenset()),
        ("  ,, ", frozenset()),
        ("One two", frozenset({("one", "two")})),
        ("a b c d e", frozenset({("a", "b", "c", "d", "e")})),
        ("a b c d e f", frozenset({("a", "b", "c", "d", "e"), ("b", "c", "d", "e", "f")})),
        ("A, b; C. d! E", frozenset({("a", "b", "c", "d", "e")})),
    ],
)
def test_shingles(text: str, expected: frozenset[tuple[str, ...]]) -> None:
    assert shingles(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("a b c d e f", "a b c d e f", 1.0),
        ("a b c d e f", "A B C D E F", 1.0),
        ("a b c d e f", "u v w x y z", 0.0),
        ("a b c d e f", "a b c d e f g h", 1.0),  # contained
        ("a b c d e f", "", 0.0),
        ("", "", 0.0),
        ("a b c d e f g", "a b c d e x y", 1 / 3),  # 1 shared of 3 and 3: containment 1/3
    ],
)
def test_similarity(a: str, b: str, expected: float) -> None:
    assert similarity(shingles(a), shingles(b)) == pytest.approx(expected)


def test_report_and_minutes_are_duplicates() -> None:
    assert similarity(shingles(REPORT), shingles(MINUTES)) >= 0.8


@pytest.mark.parametrize(
    ("texts", "scores", "kept", "duplicates"),
    [
        # Identical text in agenda, report and minutes: one kept, two folded in.
        ([REPORT, REPORT, MINUTES], [0.9, 0.8, 0.7], ["a"], {"a": 2.0}),
        # Unrelated texts all kept.
        ([REPORT, DIFFERENT], [0.9, 0.8], ["a", "b"], {}),
        # The higher score wins even when it comes later; kept passages stay in input order.
        ([DIFFERENT, MINUTES, REPORT], [0.9, 0.5, 0.8], ["a", "c"], {"c": 1.0}),
        # A paragraph quoted inside a longer chunk is folded into it.
        ([REPORT + " " + DIFFERENT, REPORT], [0.9, 0.8], ["a"], {"a": 1.0}),
        # ... and the longer chunk into the quote if the quote scores higher.
        ([REPORT, REPORT + " " + DIFFERENT], [0.9, 0.8], ["a"], {"a": 1.0}),
        # Empty texts are never duplicates.
        (["", ""], [0.9, 0.8], ["a", "b"], {}),
        # Ties keep the earlier one.
        ([REPORT, REPORT], [0.5, 0.5], ["a"], {"a": 1.0}),
        ([], [], [], {}),
    ],
)
def test_dedupe(texts: list[str], scores: list[float], kept: list[str], duplicates: dict[str, float]) -> None:
    passages = [_passage(chr(ord("a") + i), t, s) for i, (t, s) in enumerate(zip(texts, scores, strict=True))]
    result = dedupe(passages)
    assert [p.chunk_id for p in result] == kept
    assert {p.chunk_id: p.scores["duplicates"] for p in result if "duplicates" in p.scores} == duplicates


def test_dropped_ids_reported() -> None:
    passages = [
        _passage("agenda", REPORT, 0.9),
        _passage("other", DIFFERENT, 0.8),
        _passage("mins", MINUTES, 0.7),
    ]
    kept, dropped = dedupe_with_ids(passages)
    assert [p.chunk_id for p in kept] == ["agenda", "other"]
    assert dropped == {"agenda": ["mins"]}


def test_threshold() -> None:
    half = "a b c d e f g h i j"
    other = "a b c d e f g x y z"  # 3 of 6 shingles shared
    passages = [_passage("a", half, 0.9), _passage("b", other, 0.8)]
    assert len(dedupe(passages, threshold=0.8)) == 2
    assert len(dedupe(passages, threshold=0.5)) == 1


@pytest.mark.parametrize("threshold", [0.0, -0.1, 1.5, math.nan])
def test_rejects_bad_threshold(threshold: float) -> None:
    with pytest.raises(ValueError):
        dedupe([_passage("a", REPORT)], threshold=threshold)


def test_counts_accumulate_and_inputs_untouched() -> None:
    first = _passage("a", REPORT, 0.9, rrf=0.9)
    second = _passage("b", MINUTES, 0.8, duplicates=2.0)  # had already absorbed two
    result = dedupe([first, second])
    assert [p.chunk_id for p in result] == ["a"]
    assert result[0].scores == {"rrf": 0.9, "duplicates": 3.0}
    assert first.scores == {"rrf": 0.9}
    assert second.scores == {"duplicates": 2.0}
    assert result[0] is not first


_TEXTS = st.sampled_from([REPORT, MINUTES, DIFFERENT, "", "short text", REPORT + " " + DIFFERENT])


@settings(max_examples=200, database=None, deadline=None)
@given(st.lists(st.tuples(_TEXTS, st.floats(0, 1)), max_size=8))
def test_dedupe_properties(items: list[tuple[str, float]]) -> None:
    passages = [_passage(str(i), text, score) for i, (text, score) in enumerate(items)]
    result, dropped = dedupe_with_ids(passages)
    ids = [p.chunk_id for p in result]
    assert ids == [p.chunk_id for p in passages if p.chunk_id in set(ids)]  # input order kept
    all_dropped = [d for ds in dropped.values() for d in ds]
    assert sorted(ids + all_dropped, key=int) == [p.chunk_id for p in passages]
    assert sum(p.scores.get("duplicates", 0.0) for p in result) == len(all_dropped)
    # Idempotent: nothing left to fold.
    again = dedupe(result)
    assert [p.chunk_id for p in again] == ids
    assert [p.scores for p in again] == [p.scores for p in result]


def test_a_chunk_of_one_file_is_not_lost_to_the_short_tail_it_overlaps() -> None:
    """Chunks of one file overlap by the chunker's overlap: a short tail chunk that scores higher must not swallow
    the longer chunk before it (whose other sentences may hold the answer); the tail is still dropped into a
    chunk of the same file that holds all of it."""
    from dataclasses import replace

    long = replace(_passage("a", f"{DIFFERENT} {REPORT}", score=0.5), doc_id="minutes")
    tail = replace(_passage("b", REPORT, score=0.9), doc_id="minutes")
    assert [p.chunk_id for p in dedupe([long, tail])] == ["a", "b"]
    assert [p.chunk_id for p in dedupe([replace(long, score=0.95), tail])] == ["a"]
    # in different files the shorter text quoted inside a longer one is still a duplicate
    other = replace(long, doc_id="report")
    assert [p.chunk_id for p in dedupe([other, tail])] == ["b"]
