"""Drop near-identical passages: the same text in an agenda, the report and its minutes.

Texts are lower-cased and reduced to word tokens (``[a-z0-9]+``, so punctuation, quotes and layout do
not matter) and compared as sets of word 5-gram shingles.  Two passages are duplicates when either

* Jaccard similarity ``|A ∩ B| / |A ∪ B|``, or
* containment ``|A ∩ B| / min(|A|, |B|)`` (a paragraph quoted inside a longer chunk)

reaches ``threshold``.  A text shorter than five words is one shingle of all its words.  Empty texts
are never duplicates of anything.

The higher-scored passage of a duplicate pair is kept (ties: the earlier one); it is returned as a
copy whose ``scores["duplicates"]`` counts the passages folded into it, including any those had
themselves absorbed.  Kept passages stay in input order.  Pairwise comparison is O(n²), fine for the
≤100 passages of one retrieval.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence

from vectorstore.models import Passage

__all__ = ["SHINGLE_SIZE", "dedupe", "dedupe_with_ids", "shingles", "similarity"]

SHINGLE_SIZE = 5
_TOKEN = re.compile(r"[a-z0-9]+")


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[tuple[str, ...]]:
    """The set of word ``size``-grams of ``text`` (one shingle if it is shorter than ``size``)."""
    tokens = _TOKEN.findall(text.lower())
    if not tokens:
        return frozenset()
    if len(tokens) < size:
        return frozenset({tuple(tokens)})
    return frozenset(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def similarity(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    """max(Jaccard, containment) of two shingle sets; 0 if either is empty."""
    if not a or not b:
        return 0.0
    common = len(a & b)
    return max(common / len(a | b), common / min(len(a), len(b)))


def dedupe_with_ids(
    passages: Sequence[Passage], threshold: float = 0.8
) -> tuple[list[Passage], dict[str, list[str]]]:
    """Like ``dedupe``, also returning kept chunk id → chunk ids of the passages dropped into it."""
    if not (math.isfinite(threshold) and 0 < threshold <= 1):
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    sets = [shingles(p.text) for p in passages]
    # Visit best first; a passage is dropped into the best kept passage it duplicates.
    order = sorted(range(len(passages)), key=lambda i: (-passages[i].score, i))
    kept: list[int] = []
    absorbed: dict[int, list[int]] = {}
    for i in order:
        owner = next((k for k in kept if similarity(sets[i], sets[k]) >= threshold), None)
        if owner is None:
            kept.append(i)
            absorbed[i] = []
        else:
            absorbed[owner].append(i)
    results: list[Passage] = []
    dropped_ids: dict[str, list[str]] = {}
    for i in sorted(kept):
        passage = passages[i]
        dropped = absorbed[i]
        if dropped:
            count = passage.scores.get("duplicates", 0.0) + sum(
                1 + passages[j].scores.get("duplicates", 0.0) for j in dropped
            )
            passage = dataclasses.replace(passage, scores={**passage.scores, "duplicates": count})
            dropped_ids.setdefault(passage.chunk_id, []).extend(passages[j].chunk_id for j in dropped)
        else:
            passage = dataclasses.replace(passage, scores=dict(passage.scores))
        results.append(passage)
    return results, dropped_ids


def dedupe(passages: Sequence[Passage], threshold: float = 0.8) -> list[Passage]:
    """``passages`` without near-duplicates; see the module docstring."""
    return dedupe_with_ids(passages, threshold)[0]
