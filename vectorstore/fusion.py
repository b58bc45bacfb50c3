"""Reciprocal-rank fusion (RRF) of ranked id lists, and of dense + keyword passage lists.

An id at 1-based rank ``r`` in ranking ``i`` contributes ``weights[i] / (k + r)``; an id's fused score is
the sum of its contributions (``math.fsum``, so the result does not depend on the order of the
rankings).  Only an id's first (best) position in each ranking counts.  Ties keep first-appearance
order: reading the rankings one after another, each from its top.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from vectorstore.passage import Passage

__all__ = ["fuse_passages", "rrf"]


def _check(rankings: Sequence[Sequence[str]], k: float, weights: Sequence[float] | None) -> list[float]:
    if not math.isfinite(k) or k < 0:
        raise ValueError(f"k must be a finite number >= 0, got {k!r}")
    if weights is None:
        return [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"{len(weights)} weights given for {len(rankings)} rankings")
    for weight in weights:
        if not math.isfinite(weight) or weight < 0:
            raise ValueError(f"weights must be finite and >= 0, got {weight!r}")
    return [float(w) for w in weights]


def _first_ranks(ranking: Sequence[str]) -> dict[str, int]:
    """1-based rank of each id's first occurrence."""
    ranks: dict[str, int] = {}
    for position, item in enumerate(ranking, start=1):
        ranks.setdefault(item, position)
    return ranks


def rrf(
    rankings: Sequence[Sequence[str]], k: float = 60, weights: Sequence[float] | None = None
) -> list[tuple[str, float]]:
    """Fuse ``rankings`` (best first) into ``(id, score)`` pairs, best first.

    Raises ``ValueError`` for a negative ``k``, a negative weight or a weight count that does not match.
    """
    checked = _check(rankings, k, weights)
    contributions: dict[str, list[float]] = {}
    for ranking, weight in zip(rankings, checked, strict=True):
        for item, rank in _first_ranks(ranking).items():
            contributions.setdefault(item, []).append(weight / (k + rank))
    fused = [(item, math.fsum(parts)) for item, parts in contributions.items()]
    order = {item: index for index, item in enumerate(contributions)}
    return sorted(fused, key=lambda pair: (-pair[1], order[pair[0]]))


def fuse_passages(
    dense: list[Passage], keyword: list[Passage], k: float = 60, weights: Sequence[float] | None = None
) -> list[Passage]:
    """One passage per chunk id, ``score`` = fused RRF score, best first.

    Each result is a copy whose ``scores`` keep the inputs' entries and add ``dense_rank`` /
    ``dense_score`` and ``keyword_rank`` / ``keyword_score`` for the lists the chunk appeared in
    (ranks are 1-based; a list the chunk is missing from adds nothing).  The dense copy's metadata
    wins when a chunk is in both lists.  ``weights`` is an optional ``(dense, keyword)`` pair.
    """
    dense_ranks = _first_ranks([p.chunk_id for p in dense])
    keyword_ranks = _first_ranks([p.chunk_id for p in keyword])
    first: dict[str, Passage] = {}
    first_dense: dict[str, Passage] = {}
    first_keyword: dict[str, Passage] = {}
    for source, store in ((dense, first_dense), (keyword, first_keyword)):
        for passage in source:
            store.setdefault(passage.chunk_id, passage)
            first.setdefault(passage.chunk_id, passage)
    fused = rrf([list(dense_ranks), list(keyword_ranks)], k=k, weights=weights)
    results: list[Passage] = []
    for chunk_id, score in fused:
        scores: dict[str, float] = {}
        extra: dict[str, float] = {}
        for name, store, ranks in (
            ("dense", first_dense, dense_ranks),
            ("keyword", first_keyword, keyword_ranks),
        ):
            found = store.get(chunk_id)
            if found is not None:
                scores.update(found.scores)
                extra[f"{name}_rank"] = ranks[chunk_id]
                extra[f"{name}_score"] = found.score
        scores.update(extra)
        results.append(dataclasses.replace(first[chunk_id], score=score, scores=scores))
    return results
