"""Drop near-identical passages: the same text in an agenda, the report and its minutes.

Texts are lower-cased and reduced to word tokens (``[a-z0-9]+``, so punctuation, quotes and layout do
not matter) and compared as sets of word 5-gram shingles.  Two passages are duplicates when either

* Jaccard similarity ``|A ∩ B| / |A ∪ B|``, or
* containment ``|A ∩ B| / min(|A|, |B|)`` (a paragraph quoted inside a longer chunk)

reaches ``threshold``.  A text shorter than five words is one shingle of all its words.  Empty texts
are never duplicates of anything.  HTML tags left by converters (``<sup>``) are ignored.

The same paper held in several files (the Markdown, PDF and Word copies of one report) is chunked at different
places, so its copies only partly overlap.  With ``family_threshold`` set, two passages from *different files*
with the same title, council and date are duplicates from that (lower) similarity on.

The higher-scored passage of a duplicate pair is kept (ties: the earlier one); it is returned as a
copy whose ``scores["duplicates"]`` counts the passages folded into it, including any those had
themselves absorbed.  Kept passages stay in input order.  Pairwise comparison is O(n²), fine for the
≤100 passages of one retrieval; with ``limit`` passages are visited best first and the work stops once ``limit``
are kept (later passages are neither returned nor examined), so a search pays for about ``k`` passages.

``max_per_doc`` keeps the top of the list diverse: once that many passages of one paper (its files counted
together) are kept, its further passages are put aside and only used if fewer than ``limit`` others are found;
those come last.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence

from vectorstore.passage import Passage

__all__ = ["SHINGLE_SIZE", "dedupe", "dedupe_with_ids", "shingles", "similarity"]

SHINGLE_SIZE = 5
_TOKEN = re.compile(r"[a-z0-9]+")
_TAG = re.compile(r"</?[a-z]+[^>]*>", re.IGNORECASE)


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[tuple[str, ...]]:
    """The set of word ``size``-grams of ``text`` (one shingle if it is shorter than ``size``)."""
    tokens = _TOKEN.findall(_TAG.sub(" ", text).lower())
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


def _covered(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    """The share of ``a``'s shingles that ``b`` holds (0 if either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a)


def _family(p: Passage) -> tuple[str, str, str] | None:
    title = " ".join(p.title.casefold().split())
    return (title, p.council.casefold(), p.date.isoformat()) if title and p.date else None


def _paper(p: Passage) -> tuple[str, ...]:
    """One key for all files holding the same paper (same title, council and date), else the document id."""
    return _family(p) or (p.doc_id,)


def _check(name: str, value: float | None) -> None:
    if value is not None and not (math.isfinite(value) and 0 < value <= 1):
        raise ValueError(f"{name} must be in (0, 1], got {value!r}")


def dedupe_with_ids(
    passages: Sequence[Passage],
    threshold: float = 0.8,
    *,
    family_threshold: float | None = None,
    limit: int | None = None,
    max_per_doc: int | None = None,
) -> tuple[list[Passage], dict[str, list[str]]]:
    """Like ``dedupe``, also returning kept chunk id → chunk ids of the passages dropped into it."""
    _check("threshold", threshold)
    _check("family_threshold", family_threshold)
    sets: dict[int, frozenset[tuple[str, ...]]] = {}

    def owner_of(i: int, kept: list[int]) -> int | None:
        """The best kept passage that ``i`` duplicates, if any."""
        sets[i] = shingles(passages[i].text)
        for k in kept:
            bar = threshold
            if family_threshold is not None and passages[i].doc_id != passages[k].doc_id:
                family = _family(passages[i])
                if family is not None and family == _family(passages[k]):
                    bar = min(threshold, family_threshold)
            if passages[i].doc_id == passages[k].doc_id:
                # two chunks of one file overlap by the chunker's overlap: the later one is a duplicate only
                # when it adds nothing ("the rest of the paragraph" must not be lost to a short tail chunk)
                if _covered(sets[i], sets[k]) >= bar:
                    return k
            elif similarity(sets[i], sets[k]) >= bar:
                return k
        return None

    # Visit best first; a passage is dropped into the best kept passage it duplicates.  Passages of a document
    # that already has ``max_per_doc`` kept are put aside, and used only if fewer than ``limit`` are found.
    order = sorted(range(len(passages)), key=lambda i: (-passages[i].score, i))
    kept: list[int] = []
    late: list[int] = []  # kept from the put-aside passages, shown after the others
    absorbed: dict[int, list[int]] = {}
    per_doc: dict[tuple[str, ...], int] = {}
    put_aside: list[int] = []
    for i in order:
        if limit is not None and len(kept) >= limit:
            break
        paper = _paper(passages[i])
        if max_per_doc is not None and per_doc.get(paper, 0) >= max_per_doc:
            put_aside.append(i)
            continue
        owner = owner_of(i, kept)
        if owner is None:
            kept.append(i)
            absorbed[i] = []
            per_doc[paper] = per_doc.get(paper, 0) + 1
        else:
            absorbed[owner].append(i)
    for i in put_aside:
        if limit is not None and len(kept) + len(late) >= limit:
            break
        owner = owner_of(i, kept + late)
        if owner is None:
            late.append(i)
            absorbed[i] = []
        else:
            absorbed[owner].append(i)
    results: list[Passage] = []
    dropped_ids: dict[str, list[str]] = {}
    for i in sorted(kept) + late:
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


def dedupe(
    passages: Sequence[Passage],
    threshold: float = 0.8,
    *,
    family_threshold: float | None = None,
    limit: int | None = None,
    max_per_doc: int | None = None,
) -> list[Passage]:
    """``passages`` without near-duplicates; see the module docstring."""
    return dedupe_with_ids(
        passages, threshold, family_threshold=family_threshold, limit=limit, max_per_doc=max_per_doc
    )[0]
