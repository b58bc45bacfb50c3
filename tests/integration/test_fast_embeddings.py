"""The fast embedding paths give the fp32 model's vectors: cosine > 0.99 for every chunk of real papers, and the
default backend is the fast one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import CORPUS

pytestmark = pytest.mark.integration

DEFAULT_BACKEND = "auto"


@pytest.fixture(scope="module")
def chunk_texts() -> list[str]:
    """What the indexer embeds (context prefix + text) for chunks of a few real papers, in three formats."""
    from ingest.chunking import ChunkingConfig, chunk_document
    from ingest.loaders import load_file
    from ingest.metadata import build_meta, content_hash
    from ingest.tokens import wordpiece_counter
    from vectorstore.embeddings import packaged_model_dir

    count = wordpiece_counter(str(packaged_model_dir() / "tokenizer.json"))
    stem = "bury-cabinet-2025-09-10-ofsted-standard-inspection-report"
    paths = [
        CORPUS / "formats" / f"{stem}.pdf",
        CORPUS / "formats" / f"{stem}.docx",
        *sorted((CORPUS / "public").glob("*.md"))[:6],
    ]
    texts: list[str] = []
    for path in paths:
        parsed = load_file(path)
        meta = build_meta(parsed, path.name, content_hash(path.read_bytes(), {}))
        texts += [c.embed_text for c in chunk_document(parsed, meta, ChunkingConfig(), count)][:8]
    texts.append("When is Bury's next Ofsted standard inspection window?")  # a query, too
    texts.append(" ".join(["inspection"] * 400))  # longer than the model's 256 word-pieces: truncated alike
    return texts


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("index") / "models"  # where the app keeps exports: <index dir>/models


def _vectors(backend: str, texts: list[str], cache: Path) -> np.ndarray:
    from vectorstore.embeddings import make_embeddings

    emb = make_embeddings(backend, cache_dir=cache)
    return np.asarray(emb.embed_documents(texts), dtype=np.float32)


@pytest.fixture(scope="module")
def fp32(chunk_texts: list[str], model_cache: Path) -> np.ndarray:
    return _vectors("torch", chunk_texts, model_cache)


@pytest.mark.parametrize(("backend", "floor"), [("onnx", 0.9999), ("onnx-int8", 0.99)])
def test_fast_path_agrees_with_fp32(
    backend: str, floor: float, chunk_texts: list[str], fp32: np.ndarray, model_cache: Path
) -> None:
    fast = _vectors(backend, chunk_texts, model_cache)
    assert fast.shape == fp32.shape
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-4)
    cosine = (fast * fp32).sum(axis=1)
    worst = int(np.argmin(cosine))
    assert cosine.min() > floor, f"{backend}: cosine {cosine.min():.4f} for {chunk_texts[worst][:80]!r}"


def test_vectors_are_repeatable_and_query_path_agrees(chunk_texts: list[str], model_cache: Path) -> None:
    from vectorstore.embeddings import make_embeddings

    emb = make_embeddings("onnx-int8", cache_dir=model_cache)
    texts = chunk_texts[:10]
    assert emb.embed_documents(texts) == emb.embed_documents(texts)  # same papers, same vectors
    # int8 activations are quantised per batch, so a text alone is close to, not equal to, the text in a batch
    alone = np.asarray(emb.embed_query(texts[3]))
    assert float(alone @ np.asarray(emb.embed_documents(texts)[3])) > 0.99


def test_export_is_reused(model_cache: Path) -> None:
    from vectorstore.embeddings import packaged_model_dir
    from vectorstore.onnx_export import export_onnx

    first = export_onnx(packaged_model_dir(), model_cache, quantised=True)
    stamp = first.stat().st_mtime_ns
    assert export_onnx(packaged_model_dir(), model_cache, quantised=True) == first
    assert first.stat().st_mtime_ns == stamp
    assert not [p for p in model_cache.iterdir() if p.name.startswith(".tmp-")]


def test_default_backend_is_the_fast_path(model_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.factory import embeddings_for
    from assistant.settings import Settings, load_settings

    assert Settings.model_fields["embedding_backend"].default == DEFAULT_BACKEND
    monkeypatch.delenv("COUNCIL_EMBEDDING_BACKEND", raising=False)
    emb = embeddings_for(load_settings(index_dir=model_cache.parent))
    emb.embed_query("Who inspected Bury's children's services?")
    # `auto` measured both ONNX paths once on this CPU and runs the faster (no fallback to torch)
    import json

    from vectorstore.auto_backend import choice_path
    from vectorstore.embeddings import packaged_model_dir
    from vectorstore.onnx_export import cache_key

    record = json.loads(choice_path(model_cache, cache_key(packaged_model_dir())).read_text())
    fastest = min(record["cpu_seconds"], key=record["cpu_seconds"].get)
    assert getattr(emb, "active_backend", None) == record["backend"] == fastest
