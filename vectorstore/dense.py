"""Dense search over the audience's collections, hiding chunks of document versions that are not active."""

from __future__ import annotations

from typing import Any

from vectorstore.models import Passage
from vectorstore.store import Store


class ActiveVersions:
    """Which content hash is live for each document, cached until the store's generation changes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._generation: str | None = None
        self._active: dict[str, str] = {}

    def get(self) -> dict[str, str]:
        gen = self.store.generation()
        if gen != self._generation:
            self._active = {d: r.active_hash for d, r in self.store.doc_records().items() if r.active_hash}
            self._generation = gen
        return self._active

    @property
    def generation(self) -> str:
        self.get()
        return self._generation or "0"


def dense_search(store: Store, query_vector: list[float], audience: str, k: int,
                 where: dict[str, Any] | None, active: dict[str, str]) -> list[Passage]:
    out: list[Passage] = []
    for coll in store.collections_for(audience):
        if coll.count() == 0:
            continue
        res = coll.query(query_embeddings=[query_vector], n_results=min(k, coll.count()), where=where or None,
                         include=["documents", "metadatas", "distances"])
        for cid, text, meta, dist in zip(res["ids"][0], res["documents"][0], res["metadatas"][0],
                                         res["distances"][0], strict=False):
            meta = meta or {}
            if active.get(str(meta.get("doc_id"))) != meta.get("content_hash"):
                continue  # a half-written or superseded version
            p = Passage.from_metadata(cid, text or "", meta, score=1.0 - float(dist))
            p.scores["dense"] = p.score
            out.append(p)
    out.sort(key=lambda p: p.score, reverse=True)
    return out[:k]
