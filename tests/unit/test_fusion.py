"""Reciprocal-rank fusion: ordering, weights, ties, and fusing dense + keyword passages."""

from __future__ import annotations

import copy
import datetime as dt
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vectorstore.fusion import fuse_passages, rrf
from vectorstore.passage import Passage


def _passage(chunk_id: str, score: float = 0.0, **scores: float) -> Passage:
    return Passage(
        chunk_id=chunk_id,
        doc_id=f"doc-{chunk_id}",
        text=f"text of {chunk_id}",
        title="Title",
        date=dt.date(2025, 1, 1),
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
    ("rankings", "expected_order"),
    [
        ([], []),
        ([[]], []),
        ([["a", "b", "c"]], ["a", "b", "c"]),
        ([["a", "b", "c"], []], ["a", "b", "c"]),
        # Agreement wins: b is second in both lists, a and c are first in one list only.
        ([["a", "b", "x"], ["c", "b", "y"]], ["b", "a", "c", "x", "y"]),
        # Identical lists keep their order.
        ([["a", "b", "c"], ["a", "b", "c"]], ["a", "b", "c"]),
        # Reversed lists tie pairwise; first appearance (list 1 from its top) breaks the ties.
        ([["a", "b", "c"], ["c", "b", "a"]], ["a", "c", "b"]),
        # Disjoint lists interleave by rank, ties to the earlier list.
        ([["a", "b"], ["c", "d"]], ["a", "c", "b", "d"]),
        # Three lists.
        ([["a", "b"], ["b", "a"], ["b", "c"]], ["b", "a", "c"]),
        # Only an id's first position in a list counts.
        ([["a", "b", "a", "a"], ["b"]], ["b", "a"]),
    ],
)
def test_rrf_order(rankings: list[list[str]], expected_order: list[str]) -> None:
    assert [item for item, _ in rrf(rankings)] == expected_order


@pytest.mark.parametrize(
    ("rankings", "k", "expected"),
    [
        ([["a"]], 60, {"a": 1 / 61}),
        ([["a", "b"], ["b"]], 60, {"a": 1 / 61, "b": 1 / 62 + 1 / 61}),
        ([["a", "b"]], 0, {"a": 1.0, "b": 0.5}),
        ([["a", "b"], ["b", "a"]], 1, {"a": 1 / 2 + 1 / 3, "b": 1 / 3 + 1 / 2}),
        ([["a", "a", "b"]], 60, {"a": 1 / 61, "b": 1 / 63}),
    ],
)
def test_rrf_scores(rankings: list[list[str]], k: float, expected: dict[str, float]) -> None:
    result = dict(rrf(rankings, k=k))
    assert result.keys() == expected.keys()
    for item, score in expected.items():
        assert result[item] == pytest.approx(score)


@pytest.mark.parametrize(
    ("weights", "expected_order"),
    [
        ((1.0, 1.0), ["a", "c", "b", "d"]),
        ((1.0, 2.0), ["c", "d", "a", "b"]),  # keyword list counts double: its rank 2 beats rank 1
        ((2.0, 1.0), ["a", "b", "c", "d"]),
        ((0.0, 1.0), ["c", "d", "a", "b"]),  # zero weight: still listed, after the rest
        ((1.0, 0.0), ["a", "b", "c", "d"]),
    ],
)
def test_rrf_weights(weights: tuple[float, float], expected_order: list[str]) -> None:
    assert [item for item, _ in rrf([["a", "b"], ["c", "d"]], weights=weights)] == expected_order


def test_rrf_weighted_score() -> None:
    result = dict(rrf([["a"], ["a"]], k=10, weights=[0.5, 2.0]))
    assert result["a"] == pytest.approx(0.5 / 11 + 2.0 / 11)


def test_rrf_zero_weight_scores_zero() -> None:
    assert dict(rrf([["a"], ["b"]], weights=[1.0, 0.0]))["b"] == 0.0


@pytest.mark.parametrize(
    ("k", "weights"),
    [
        (-1, None),
        (math.nan, None),
        (math.inf, None),
        (60, [1.0]),
        (60, [1.0, 1.0, 1.0]),
        (60, [1.0, -0.5]),
        (60, [1.0, math.nan]),
    ],
)
def test_rrf_rejects_bad_arguments(k: float, weights: list[float] | None) -> None:
    with pytest.raises(ValueError):
        rrf([["a"], ["b"]], k=k, weights=weights)


def test_rrf_does_not_mutate_inputs() -> None:
    rankings = [["a", "b"], ["b", "c"]]
    before = copy.deepcopy(rankings)
    rrf(rankings)
    assert rankings == before


_IDS = st.lists(st.sampled_from("abcdefgh"), max_size=8)


@settings(max_examples=200, database=None, deadline=None)
@given(st.lists(_IDS, max_size=4), st.randoms(use_true_random=False))
def test_rrf_scores_independent_of_list_order(rankings: list[list[str]], rnd: random.Random) -> None:
    shuffled = list(rankings)
    rnd.shuffle(shuffled)
    assert dict(rrf(rankings)) == dict(rrf(shuffled))


@settings(max_examples=200, database=None, deadline=None)
@given(st.lists(_IDS, max_size=4))
def test_rrf_properties(rankings: list[list[str]]) -> None:
    result = rrf(rankings)
    ids = [item for item, _ in result]
    assert len(ids) == len(set(ids))
    assert set(ids) == {item for ranking in rankings for item in ranking}
    scores = [score for _, score in result]
    assert scores == sorted(scores, reverse=True)
    # No id can beat rank 1 in every list.
    assert all(0 < score <= len(rankings) / 61 + 1e-12 for score in scores)


# --------------------------------------------------------------------------------------------------
# fuse_passages


def test_fuse_passages_ranks_and_scores() -> None:
    dense = [_passage("a", 0.9), _passage("b", 0.8)]
    keyword = [_passage("b", 12.0), _passage("c", 7.0)]
    fused = fuse_passages(dense, keyword)
    assert [p.chunk_id for p in fused] == ["b", "a", "c"]
    by_id = {p.chunk_id: p for p in fused}
    assert by_id["b"].score == pytest.approx(1 / 62 + 1 / 61)
    assert by_id["b"].scores == {
        "dense_rank": 2,
        "dense_score": 0.8,
        "keyword_rank": 1,
        "keyword_score": 12.0,
    }
    assert by_id["a"].scores == {"dense_rank": 1, "dense_score": 0.9}
    assert by_id["c"].scores == {"keyword_rank": 2, "keyword_score": 7.0}


@pytest.mark.parametrize(
    ("dense_ids", "keyword_ids", "expected"),
    [
        ([], [], []),
        (["a"], [], ["a"]),
        ([], ["a"], ["a"]),
        (["a", "b", "c"], ["c", "b", "a"], ["a", "c", "b"]),
        (["a", "b"], ["c", "d"], ["a", "c", "b", "d"]),
        (["a", "a", "b"], ["b"], ["b", "a"]),  # a repeated chunk counts once, at its best rank
    ],
)
def test_fuse_passages_order(dense_ids: list[str], keyword_ids: list[str], expected: list[str]) -> None:
    fused = fuse_passages([_passage(i) for i in dense_ids], [_passage(i) for i in keyword_ids])
    assert [p.chunk_id for p in fused] == expected
    assert [p.score for p in fused] == sorted((p.score for p in fused), reverse=True)


def test_fuse_passages_keeps_existing_scores_and_dense_metadata() -> None:
    dense = [_passage("a", 0.5, cosine=0.5)]
    keyword_copy = _passage("a", 3.0, bm25=3.0)
    keyword_copy.title = "Keyword title"
    fused = fuse_passages(dense, [keyword_copy])
    assert fused[0].title == "Title"
    assert fused[0].scores["cosine"] == 0.5
    assert fused[0].scores["bm25"] == 3.0
    assert fused[0].scores["dense_rank"] == 1
    assert fused[0].scores["keyword_rank"] == 1


def test_fuse_passages_does_not_mutate_inputs() -> None:
    dense = [_passage("a", 0.5, cosine=0.5)]
    keyword = [_passage("a", 3.0)]
    fuse_passages(dense, keyword)
    assert dense[0].score == 0.5
    assert dense[0].scores == {"cosine": 0.5}
    assert keyword[0].scores == {}


def test_fuse_passages_weights_and_k() -> None:
    dense = [_passage("a"), _passage("b")]
    keyword = [_passage("c"), _passage("d")]
    assert [p.chunk_id for p in fuse_passages(dense, keyword, weights=(1.0, 2.0))] == ["c", "d", "a", "b"]
    fused = fuse_passages(dense, keyword, k=0)
    assert fused[0].score == 1.0
