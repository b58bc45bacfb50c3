"""Chroma storage: one collection per audience (`open`, `exempt`) plus a small `docs` collection that is the
manifest (one record per document, and a state record whose generation changes on every write).

Embedded (`PersistentClient` under `index_dir/chroma`) or a Chroma server (`chroma_url`), same code.
The collection names carry a hash of the embedding model and chunking settings, so a change of either builds a
new index instead of mixing vectors.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from ingest.chunking import ChunkingConfig, settings_fingerprint
from ingest.documents import Chunk, Classification, DocumentMeta
from vectorstore.audience import Audience
from vectorstore.config import StoreConfig
from vectorstore.embeddings import model_id_of

STATE_ID = "__state__"


class StoreUnavailable(RuntimeError):
    """The Chroma server did not answer; the message says where it was looked for."""


class ChromaEmbeddingAdapter:
    """Hands Chroma our LangChain embeddings, so Chroma never falls back to its downloading default."""

    def __init__(self, embeddings: Embeddings) -> None:
        self._emb = embeddings

    def __call__(self, input: Sequence[str]) -> list[Any]:
        import numpy as np

        return [np.asarray(v, dtype="float32") for v in self._emb.embed_documents(list(input))]

    def embed_query(self, input: Sequence[str]) -> list[Any]:
        import numpy as np

        return [np.asarray(self._emb.embed_query(t), dtype="float32") for t in input]

    @staticmethod
    def name() -> str:
        return "council-qa-embeddings"

    def get_config(self) -> dict[str, Any]:
        return {"model_id": model_id_of(self._emb), "backend": str(getattr(self._emb, "backend", ""))}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingAdapter:
        """Chroma rebuilds the function from the collection's stored config; weights load only if it embeds."""
        from vectorstore.embeddings import make_embeddings
        from vectorstore.fake_embeddings import HashingEmbeddings

        if config.get("model_id") == HashingEmbeddings.model_id:
            return ChromaEmbeddingAdapter(HashingEmbeddings())
        return ChromaEmbeddingAdapter(make_embeddings(str(config.get("backend") or "torch")))

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]


@dataclass
class DocRecord:
    doc_id: str
    active_hash: str
    pending_hash: str
    meta: dict[str, Any]

    @property
    def clean(self) -> bool:
        return not self.pending_hash


def open_client(config: StoreConfig) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if config.chroma_url:
        url = urlparse(config.chroma_url)
        host, port = url.hostname or "127.0.0.1", url.port or 8000
        try:
            client = chromadb.HttpClient(
                host=host, port=port, ssl=url.scheme == "https", settings=chroma_settings
            )
            client.heartbeat()
        except Exception as exc:
            raise StoreUnavailable(
                f"The Chroma server at {config.chroma_url} did not answer ({type(exc).__name__}). "
                "Start it with `chroma run --host 127.0.0.1 --path data/chroma-server` or unset COUNCIL_CHROMA_URL."
            ) from None
        return client
    path = config.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def index_name(chunking: ChunkingConfig, model_id: str) -> str:
    return f"council-{settings_fingerprint(chunking, model_id)}"


class Store:
    def __init__(self, config: StoreConfig, embeddings: Embeddings, client: Any | None = None) -> None:
        self.config = config
        self.embeddings = embeddings
        self.client = client if client is not None else open_client(config)
        self.name = index_name(config.chunking, model_id_of(embeddings))
        self._ef = ChromaEmbeddingAdapter(embeddings)
        self._collections: dict[str, Any] = {}

    # ------------------------------------------------------------ collections

    def collection(self, classification: Classification | str) -> Any:
        key = Classification(classification).value
        if key not in self._collections:
            self._collections[key] = self.client.get_or_create_collection(
                f"{self.name}-{key}",
                embedding_function=self._ef,
                metadata={"hnsw:space": "cosine", "classification": key},
            )
        return self._collections[key]

    def collections_for(self, audience: Audience) -> list[Any]:
        """The collections `audience` may search (the retriever parsed the audience)."""
        return [self.collection(c) for c in audience.classifications]

    @property
    def docs(self) -> Any:
        if "docs" not in self._collections:
            self._collections["docs"] = self.client.get_or_create_collection(
                f"{self.name}-docs", embedding_function=None, metadata={"hnsw:space": "l2"}
            )
        return self._collections["docs"]

    def exists(self) -> bool:
        return f"{self.name}-docs" in self._collection_names()

    def other_indexes(self) -> list[str]:
        """Indexes in the same place built with other chunking or embedding settings (an earlier version of the
        code, or other settings): the current settings cannot read them, a fresh ingest builds their own."""
        return sorted(
            n.removesuffix("-docs")
            for n in self._collection_names()
            if n.startswith("council-") and n.endswith("-docs") and n != f"{self.name}-docs"
        )

    def _collection_names(self) -> set[str]:
        return {c if isinstance(c, str) else c.name for c in self.client.list_collections()}

    # ------------------------------------------------------------ manifest

    def doc_records(self) -> dict[str, DocRecord]:
        got = self.docs.get(include=["metadatas", "documents"])
        out: dict[str, DocRecord] = {}
        for doc_id, meta, doc in zip(
            got["ids"], got["metadatas"] or [], got["documents"] or [], strict=False
        ):
            if doc_id == STATE_ID:
                continue
            meta = meta or {}
            out[doc_id] = DocRecord(
                doc_id=doc_id,
                active_hash=str(meta.get("active_hash", "")),
                pending_hash=str(meta.get("pending_hash", "")),
                meta=json.loads(doc) if doc else {},
            )
        return out

    def document_details(self, doc_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The manifest record of each of these documents (title, body, agenda item, links, ...), by id."""
        ids = sorted(set(doc_ids) - {STATE_ID})
        if not ids:
            return {}
        got = self.docs.get(ids=ids, include=["documents"])
        return {
            i: json.loads(d) if d else {} for i, d in zip(got["ids"], got["documents"] or [], strict=False)
        }

    def generation(self) -> str:
        got = self.docs.get(ids=[STATE_ID], include=["metadatas"])
        metas = got.get("metadatas") or []
        return str(metas[0].get("generation", "0")) if metas and metas[0] else "0"

    def _bump_generation(self) -> None:
        self.docs.upsert(
            ids=[STATE_ID],
            embeddings=[[0.0]],
            documents=["{}"],
            metadatas=[{"generation": f"{time.time_ns()}", "kind": "state"}],
        )

    def _write_record(self, doc_id: str, active: str, pending: str, meta: dict[str, Any]) -> None:
        self.docs.upsert(
            ids=[doc_id],
            embeddings=[[1.0]],
            documents=[json.dumps(meta, default=str)],
            metadatas=[{"active_hash": active, "pending_hash": pending, "kind": "doc"}],
        )

    # ------------------------------------------------------------ writes (crash-safe order)

    def replace_document(
        self,
        meta: DocumentMeta,
        chunks: list[Chunk],
        vectors: list[list[float]],
        previous: DocRecord | None,
        extra: dict[str, Any],
    ) -> None:
        """Write a new version of a document so that a crash at any point leaves a usable index.

        1. mark the record pending (readers keep using the active version);
        2. upsert the new chunks (new ids: the hash is in the id);
        3. make the new version active (readers switch over);
        4. delete every other version's chunks, in both audience collections;
        5. clear the pending mark. An interrupted run is redone from step 2 by the next ingest.
        """
        record_meta = {**document_metadata(meta), **extra, "n_chunks": len(chunks)}
        old_active = previous.active_hash if previous else ""
        self._write_record(meta.doc_id, old_active, meta.content_hash, record_meta)
        target = self.collection(meta.classification)
        base = chunk_base_metadata(meta)
        batch = 256
        for i in range(0, len(chunks), batch):
            part = chunks[i : i + batch]
            target.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=vectors[i : i + batch],
                documents=[c.text for c in part],
                metadatas=[{**base, **chunk_metadata(c)} for c in part],
            )
        self._write_record(meta.doc_id, meta.content_hash, meta.content_hash, record_meta)
        self._bump_generation()  # readers switch to the new version now
        for cls in Classification:
            coll = self.collection(cls)
            if cls == meta.classification:
                where: dict[str, Any] = {
                    "$and": [{"doc_id": meta.doc_id}, {"content_hash": {"$ne": meta.content_hash}}]
                }
            else:
                where = {"doc_id": meta.doc_id}
            coll.delete(where=where)
        self._write_record(meta.doc_id, meta.content_hash, "", record_meta)
        self._bump_generation()

    def remove_document(self, doc_id: str, record: DocRecord | None) -> None:
        """Hide first, then delete chunks, then the record; an interruption is finished by the next prune."""
        meta = record.meta if record else {}
        self._write_record(doc_id, "", "__deleted__", meta)
        for cls in Classification:
            self.collection(cls).delete(where={"doc_id": doc_id})
        self.docs.delete(ids=[doc_id])
        self._bump_generation()

    # ------------------------------------------------------------ reads

    def count(self, classification: Classification | str) -> int:
        return int(self.collection(classification).count())

    def chunks_of(
        self, classification: Classification | str, doc_id: str, content_hash: str
    ) -> list[tuple[str, str, dict]]:
        """One version's chunks (id, text, metadata) in one collection."""
        got = self.collection(classification).get(
            where={"$and": [{"doc_id": doc_id}, {"content_hash": content_hash}]},
            include=["documents", "metadatas"],
        )
        return list(zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=False))

    def vectors_searchable(
        self, classification: Classification | str, doc_id: str, content_hash: str
    ) -> bool:
        """Whether dense search finds the last-written chunk of this version by its own vector. A killed process's
        newest rows are in Chroma's log but may be missing from its vector index until they are written again;
        chunks go to the index in the order written, so the last one being found means every one is."""
        coll = self.collection(classification)
        got = coll.get(
            where={"$and": [{"doc_id": doc_id}, {"content_hash": content_hash}]},
            include=["embeddings", "metadatas"],
        )
        if not got["ids"]:
            return False
        last = max(range(len(got["ids"])), key=lambda i: int((got["metadatas"][i] or {}).get("ordinal", 0)))
        found = coll.query(
            query_embeddings=[got["embeddings"][last]],
            n_results=1,
            where={"$and": [{"doc_id": doc_id}, {"content_hash": content_hash}]},
            include=[],
        )
        return bool(found["ids"] and found["ids"][0] and found["ids"][0][0] == got["ids"][last])

    def iter_chunks(
        self, classification: Classification | str, page: int = 5000
    ) -> Iterable[tuple[str, str, dict]]:
        coll = self.collection(classification)
        offset = 0
        while True:
            got = coll.get(include=["documents", "metadatas"], limit=page, offset=offset)
            ids = got["ids"]
            if not ids:
                return
            yield from zip(ids, got["documents"] or [], got["metadatas"] or [], strict=False)
            offset += len(ids)


def document_metadata(meta: DocumentMeta) -> dict[str, Any]:
    return {
        "doc_id": meta.doc_id,
        "title": meta.title,
        "council": meta.council,
        "body": meta.body,
        "doc_type": meta.doc_type.value,
        "date": meta.date.isoformat() if meta.date else "",
        "date_text": meta.date_text,
        "source_url": meta.source_url,
        "classification": meta.classification.value,
        "content_hash": meta.content_hash,
        "path": meta.path,
        "publisher": meta.publisher,
        "file_type": meta.file_type,
        "page_count": meta.page_count if meta.page_count is not None else -1,
    } | _site_details(meta)


def _site_details(meta: DocumentMeta) -> dict[str, Any]:
    """Where a paper from a committee site sits there (agenda item, links); kept on the document record only."""
    out: dict[str, Any] = {}
    if meta.agenda_item:
        out["agenda_item"] = meta.agenda_item
    if meta.links:
        out["links"] = json.dumps(dict(meta.links), ensure_ascii=False)
    return out


def chunk_base_metadata(meta: DocumentMeta) -> dict[str, Any]:
    base = document_metadata(meta)
    for key in ("date_text", "agenda_item", "links"):
        base.pop(key, None)
    base["date_ord"] = int(meta.date.strftime("%Y%m%d")) if meta.date else 0
    return base


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    return {
        "ordinal": chunk.ordinal,
        "heading_path": " > ".join(chunk.heading_path),
        "page_start": chunk.page_start if chunk.page_start is not None else -1,
        "page_end": chunk.page_end if chunk.page_end is not None else -1,
        "n_tokens": chunk.n_tokens,
    }
