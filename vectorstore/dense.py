"""Dense search over the audience's collections, hiding chunks of document versions that are not active."""

from __future__ import annotations

from typing import Any

from vectorstore.audience import Audience
from vectorstore.passage import Passage
from vectorstore.store import Store

__all__ = ["dense_search"]


def dense_search(
    store: Store,
    query_vector: list[float],
    audience: Audience,
    k: int,
    where: dict[str, Any] | None,
    active: dict[str, str],
) -> list[Passage]:
    out: list[Passage] = []
    for coll in store.collections_for(audience):
        # no count() first: it costs as much as the search at 100k chunks, and Chroma returns fewer (or no)
        # results by itself when the collection holds fewer than k
        res = coll.query(
            query_embeddings=[query_vector],
            n_results=k,
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        for cid, text, meta, dist in zip(
            res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0], strict=False
        ):
            meta = meta or {}
            if active.get(str(meta.get("doc_id"))) != meta.get("content_hash"):
                continue  # a half-written or superseded version
            p = Passage.from_metadata(cid, text or "", meta, score=1.0 - float(dist))
            p.scores["dense"] = p.score
            out.append(p)
    out.sort(key=lambda p: p.score, reverse=True)
    return out[:k]
