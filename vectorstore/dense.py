"""Dense search over the audience's collections, hiding chunks of document versions that are not active.

With filters (committee, council, document type, dates), Chroma's own ``where`` costs in proportion to the chunks
each clause matches, not the few it returns (about 0.8 s at 100,000 chunks for a committee and a date range;
BENCHMARKS.md). Every filter is a property of a document, which the catalog holds, and a chunk's id names its
document version and ordinal (`ingest.chunking.chunk_id`), so a filtered search works from the catalog instead:

- when few chunks pass, it names them (each passing document's ids, from its chunk count) and Chroma searches
  those ids only;
- when many pass, it asks for the nearest chunks by id and distance only - enough that ``k`` of them should pass,
  twice over - keeps those whose document passes, and reads the texts of the ``k`` it keeps. These are the ``k``
  nearest chunks that pass: any nearer one would be among those read.

Whichever is cheaper is chosen (each costs about the same per chunk id). When the catalog cannot name the chunks (a
document without its chunk count) or too few of the nearest pass, Chroma's ``where`` is used as before.

Chroma is asked for ids and distances only. Reading the texts and metadata of 40 chunks from Chroma costs more than
the nearest-neighbour search itself (about 5 ms against 2 at 100,000 chunks); the keyword index stores the same
text and metadata under the same chunk id and reads them in under 2 ms, so ``stored`` (`KeywordIndexes.stored`)
is asked first and Chroma only for what it does not hold (a version not written there yet). A chunk id names one
version of one document (`ingest.chunking.chunk_id`), so both hold the same text and metadata for it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import Any

from chromadb.errors import ChromaError

from vectorstore.audience import Audience
from vectorstore.catalog import DocumentInfo, Snapshot
from vectorstore.filters import SearchFilters
from vectorstore.passage import Passage
from vectorstore.store import Store

__all__ = ["dense_search"]

MARGIN = 2.0  # read this many times the nearest chunks that should hold k passing ones
_SEP = "::"  # chunk ids are "<doc id>::<content hash[:12]>::<ordinal, 4 digits>"
Row = tuple[str, str, dict[str, Any], float]  # id, text, metadata, distance
Hit = tuple[str, float]  # id, distance
# (classification, chunk ids) -> text and metadata of those it holds, by id
Stored = Callable[[str, list[str]], dict[str, tuple[str, dict[str, Any]]]]


def dense_search(
    store: Store,
    query_vector: list[float],
    audience: Audience,
    k: int,
    filters: SearchFilters | None,
    versions: Snapshot,
    stored: Stored | None = None,
) -> list[Passage]:
    """The ``k`` nearest live chunks ``audience`` may read that pass ``filters``, nearest first; ``stored`` reads
    chunks' texts and metadata by id more cheaply than Chroma (see the module docstring)."""
    out: list[Passage] = []
    where = filters.chroma_where() if filters is not None else None
    for cls in audience.classifications:
        coll = store.collection(cls)
        hits = None
        if filters is not None and where is not None:
            hits = _filtered(coll, query_vector, k, filters, versions, cls.value)
        if hits is None:
            # no count() first: it costs as much as the search at 100k chunks, and Chroma returns fewer (or no)
            # results by itself when the collection holds fewer than k
            hits = _query(coll, query_vector, k, where=where)
        for cid, text, meta, dist in _read(coll, hits, stored, cls.value):
            meta = meta or {}
            if versions.active.get(str(meta.get("doc_id"))) != meta.get("content_hash"):
                continue  # a half-written or superseded version
            p = Passage.from_metadata(cid, text or "", meta, score=1.0 - float(dist))
            p.scores["dense"] = p.score
            out.append(p)
    out.sort(key=lambda p: p.score, reverse=True)
    return out[:k]


def _query(coll: Any, vector: list[float], k: int, **kw: Any) -> list[Hit]:
    got = coll.query(query_embeddings=[vector], n_results=k, include=["distances"], **kw)
    return [(cid, float(dist)) for cid, dist in zip(got["ids"][0], got["distances"][0], strict=False)]


def _read(coll: Any, hits: list[Hit], stored: Stored | None, classification: str) -> list[Row]:
    """The hits with their texts and metadata: from ``stored`` first, from Chroma for the rest. A hit found in
    neither (removed since the search) is left out."""
    ids = [cid for cid, _ in hits]
    found = stored(classification, ids) if stored is not None and ids else {}
    missing = [cid for cid in ids if cid not in found]
    if missing:
        got = coll.get(ids=missing, include=["documents", "metadatas"])
        found.update(zip(got["ids"], zip(got["documents"], got["metadatas"], strict=False), strict=False))
    return [(cid, *found[cid], dist) for cid, dist in hits if cid in found]


def _filtered(
    coll: Any, vector: list[float], k: int, filters: SearchFilters, versions: Snapshot, classification: str
) -> list[Hit] | None:
    """The ``k`` nearest live chunks of ``coll`` that pass ``filters``; None when Chroma's where must decide."""
    chosen = versions.memo(
        ("dense-filter", classification, filters), lambda: _select(versions, filters, classification)
    )
    if not chosen.nameable:
        return None  # a document whose chunks the catalog cannot name
    if not chosen.n_pass:
        return []
    n_read = math.ceil(MARGIN * k * chosen.n_all / chosen.n_pass)
    try:
        if chosen.n_pass <= n_read:
            ids = [
                f"{doc_id}{_SEP}{short_hash}{_SEP}{i:04d}"
                for (doc_id, short_hash), chunks in chosen.passing.items()
                for i in range(chunks)
            ]
            return _query(coll, vector, k, ids=ids)
        return _nearest_passing(coll, vector, k, n_read, chosen.passing.keys())
    except ChromaError:
        return None  # an id the catalog named is not in Chroma (a write in progress): ask with the where


@dataclass(frozen=True)
class _Selection:
    """The documents of one collection that pass one set of filters in one snapshot: working them out reads every
    document's metadata (3 ms for 400 documents), so it is done once per snapshot and filters (`Snapshot.memo`)."""

    passing: dict[tuple[str, str], int]  # (doc id, content hash[:12], as in chunk ids) -> chunks
    n_pass: int  # chunks of the passing documents
    n_all: int  # chunks of the collection (a document without its count as one)
    nameable: bool  # every passing document's chunk count is known


def _select(versions: Snapshot, filters: SearchFilters, classification: str) -> _Selection:
    docs = [d for d in versions.documents.values() if d.classification.value == classification]
    passing = [d for d in docs if filters.accepts(_filter_fields(d))]
    return _Selection(
        passing={(d.doc_id, d.content_hash[:12]): d.chunks for d in passing},
        n_pass=sum(d.chunks for d in passing),
        n_all=sum(max(d.chunks, 1) for d in docs),
        nameable=all(d.chunks > 0 for d in passing),
    )


def _nearest_passing(
    coll: Any, vector: list[float], k: int, n_read: int, passing: Container[tuple[str, str]]
) -> list[Hit] | None:
    got = coll.query(query_embeddings=[vector], n_results=n_read, include=["distances"])
    ids, dists = got["ids"][0], got["distances"][0]
    chosen: list[tuple[str, float]] = []
    for cid, dist in zip(ids, dists, strict=False):
        version = cid.rsplit(_SEP, 2)
        if len(version) != 3:
            return None  # not an id the indexer wrote: let Chroma read the chunk's own metadata
        if (version[0], version[1]) in passing:
            chosen.append((cid, float(dist)))
            if len(chosen) == k:
                break
    if len(chosen) < k and len(ids) >= n_read:
        return None  # fewer passed than expected among the nearest: the where decides
    return chosen


def _filter_fields(doc: DocumentInfo) -> dict[str, Any]:
    """The fields `SearchFilters.accepts` reads, as a chunk of ``doc`` carries them (`store.chunk_base_metadata`)."""
    return {
        "date_ord": int(doc.date.strftime("%Y%m%d")) if doc.date else 0,
        "body": doc.body,
        "council": doc.council,
        "doc_type": doc.doc_type.value,
    }
