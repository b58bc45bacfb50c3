"""The baseline: the plain LangChain recipe a council would otherwise build, answered by the same answerer.

Recipe: each file's text (the same loaders as ingestion, blocks joined by blank lines) is cut by
`RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)`, embedded with the same MiniLM embeddings
(passed explicitly) into a `langchain_chroma.Chroma`, and searched by plain similarity, top 4. No headings in
chunks, no keyword search, no fusion, no recency, no de-duplication.

Only retrieval differs from ours: a `BaselineSearcher` replaces the assistant's searcher, so the questions
go through the same chain (guardrails, follow-up resolution, extractive or LLM answerer, verifier). Two things
are kept so the comparison is fair rather than rigged: public questions search open papers only (a metadata
filter on `classification`, as anyone publishing to residents would add), and the chain's follow-up
resolution rewrites the query before the baseline searches with it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from ingest.loaders import SUPPORTED_SUFFIXES, LoadError, load_file
from ingest.metadata import SidecarError, build_meta, content_hash, load_sidecar, sidecar_for
from ingest.sources import discover
from vectorstore.embeddings import model_id_of
from vectorstore.passage import Passage
from vectorstore.retriever import SearchResult

__all__ = [
    "CHUNK_OVERLAP_CHARS",
    "CHUNK_SIZE_CHARS",
    "TOP_K",
    "BaselineSearcher",
    "BaselineText",
    "build_baseline",
    "corpus_texts",
    "split_texts",
]

CHUNK_SIZE_CHARS = 1000
CHUNK_OVERLAP_CHARS = 200
TOP_K = 4
_COLLECTION_PREFIX = "baseline-"


@dataclass
class BaselineText:
    """One file's text as the plain recipe sees it, with its metadata and where each page starts."""

    doc_id: str
    text: str
    meta: dict[str, Any]
    page_starts: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page number)

    def page_at(self, offset: int) -> int | None:
        page = None
        for start, number in self.page_starts:
            if start > offset:
                break
            page = number
        return page


def corpus_texts(
    corpus: Path | Sequence[Path], max_file_size_mb: float = 50.0
) -> tuple[list[BaselineText], list[str]]:
    """Every supported file under `corpus` (one folder or several) as text with metadata; and one line per file
    that was skipped."""
    files, problems = discover([corpus] if isinstance(corpus, Path) else list(corpus))
    skipped = [f"{p.path}: {p.reason}" for p in problems]
    out: list[BaselineText] = []
    sidecars: dict[Path, dict[str, dict[str, str]]] = {}
    for src in files:
        if src.path.suffix.lower() not in SUPPORTED_SUFFIXES:
            skipped.append(f"{src.doc_id}: unsupported file type")
            continue
        try:
            if src.root not in sidecars:
                sidecars[src.root] = load_sidecar(src.root)
            overrides = sidecar_for(src.path, src.doc_id, sidecars[src.root])
            data = src.path.read_bytes()
            parsed = load_file(src.path, max_bytes=int(max_file_size_mb * 1e6))
            meta = build_meta(parsed, src.doc_id, content_hash(data, overrides), overrides)
        except (LoadError, SidecarError, OSError) as exc:
            skipped.append(f"{src.doc_id}: {exc}")
            continue
        pieces: list[str] = []
        page_starts: list[tuple[int, int]] = []
        offset = 0
        for block in parsed.blocks:
            if block.page is not None and (not page_starts or page_starts[-1][1] != block.page):
                page_starts.append((offset, block.page))
            pieces.append(block.text)
            offset += len(block.text) + 2
        record = {
            "doc_id": meta.doc_id,
            "title": meta.title,
            "date": meta.date.isoformat() if meta.date else "",
            "body": meta.body,
            "doc_type": meta.doc_type.value,
            "council": meta.council,
            "source_url": meta.source_url,
            "classification": meta.classification.value,
            "path": meta.path,
            "content_hash": meta.content_hash,
        }
        out.append(BaselineText(meta.doc_id, "\n\n".join(pieces), record, page_starts))
    return out, skipped


def split_texts(
    texts: Sequence[BaselineText],
    chunk_size: int = CHUNK_SIZE_CHARS,
    chunk_overlap: int = CHUNK_OVERLAP_CHARS,
) -> tuple[list[str], list[dict[str, Any]], list[str]]:
    """The recipe's fixed-size split: (chunk texts, their metadata, their ids)."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size, chunk_overlap=chunk_overlap, add_start_index=True
    )
    chunks: list[str] = []
    metas: list[dict[str, Any]] = []
    ids: list[str] = []
    for doc in texts:
        for i, piece in enumerate(splitter.create_documents([doc.text], [doc.meta])):
            start = int(piece.metadata.get("start_index", 0))
            page = doc.page_at(start)
            meta = dict(doc.meta, start_index=start, page_start=page or -1, page_end=page or -1)
            chunks.append(piece.page_content)
            metas.append(meta)
            ids.append(f"baseline:{doc.doc_id}#{i}")
    return chunks, metas, ids


def _fingerprint(texts: Sequence[BaselineText], model_id: str, chunk_size: int, chunk_overlap: int) -> str:
    h = hashlib.sha256(f"{model_id}\0{chunk_size}\0{chunk_overlap}".encode())
    for doc in sorted(texts, key=lambda d: d.doc_id):
        h.update(f"\0{doc.doc_id}\0{doc.meta['content_hash']}".encode())
    return h.hexdigest()[:16]


class BaselineSearcher:
    """Plain Chroma similarity search, top 4, open papers only for the public (`HybridSearcher.search`'s
    signature, so it can stand in for it)."""

    def __init__(self, vectorstore: Any, k: int = TOP_K) -> None:
        self.vectorstore = vectorstore
        self.k = k

    def search(
        self,
        query: str,
        audience: str = "public",
        k: int = TOP_K,
        filters: Any = None,
        mode: str = "similarity",
        use_period: bool = True,
    ) -> SearchResult:
        """The recipe always hands over its fixed top 4, whatever `k` the chain asks for."""
        import time

        started = time.perf_counter()
        where = {"classification": "open"} if audience == "public" else None
        hits = self.vectorstore.similarity_search_with_score(query, k=self.k, filter=where)
        passages = []
        for doc, distance in hits:
            meta = dict(doc.metadata)
            chunk_id = (
                str(meta.pop("chunk_id", "")) or f"baseline:{meta.get('doc_id')}@{meta.get('start_index')}"
            )
            similarity = 1.0 - float(distance) / 2.0  # squared L2 between unit vectors -> cosine
            passage = Passage.from_metadata(chunk_id, doc.page_content, meta, score=similarity)
            passage.scores["dense"] = similarity
            passages.append(passage)
        total_ms = (time.perf_counter() - started) * 1000
        return SearchResult(passages, None, query, {"total_ms": total_ms})


def build_baseline(
    corpus: Path | Sequence[Path],
    embeddings: Embeddings,
    persist_dir: Path,
    chunk_size: int = CHUNK_SIZE_CHARS,
    chunk_overlap: int = CHUNK_OVERLAP_CHARS,
    max_file_size_mb: float = 50.0,
) -> tuple[BaselineSearcher, list[str]]:
    """The baseline index for `corpus` under `persist_dir` (reused while the files are unchanged), and the
    files skipped."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    texts, skipped = corpus_texts(corpus, max_file_size_mb)
    name = _COLLECTION_PREFIX + _fingerprint(texts, model_id_of(embeddings), chunk_size, chunk_overlap)
    persist_dir.mkdir(parents=True, exist_ok=True)
    client = chromadb.PersistentClient(
        path=str(persist_dir), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    )
    existing = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    for old in existing - {name}:
        if old.startswith(_COLLECTION_PREFIX):
            client.delete_collection(old)
    chunks, metas, ids = split_texts(texts, chunk_size, chunk_overlap)
    if name in existing and client.get_collection(name).count() != len(ids):
        client.delete_collection(name)  # a build that was interrupted: start again
    store = Chroma(collection_name=name, embedding_function=embeddings, client=client)
    if not store.get(limit=1)["ids"]:
        for at in range(0, len(chunks), 256):
            store.add_texts(chunks[at : at + 256], metas[at : at + 256], ids[at : at + 256])
    return BaselineSearcher(store), skipped
