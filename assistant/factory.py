"""The one module that names concrete classes (MiniLM, Chroma, ChatOpenAI). Everything else takes interfaces."""

from __future__ import annotations

from functools import lru_cache

from langchain_core.embeddings import Embeddings

from assistant.errors import BackendUnavailableError
from assistant.settings import Settings
from vectorstore.embeddings import make_embeddings
from vectorstore.store import Store, StoreUnavailable


def embeddings_for(settings: Settings) -> Embeddings:
    return _cached_embeddings(
        settings.embedding_backend,
        settings.embedding_model_dir,
        settings.embedding_batch_size,
        str(settings.index_dir / "models"),
    )


@lru_cache(maxsize=4)
def _cached_embeddings(backend: str, model_dir: str, batch: int, cache_dir: str) -> Embeddings:
    from pathlib import Path

    return make_embeddings(backend, model_dir, batch, Path(cache_dir))


def store_for(settings: Settings, embeddings: Embeddings | None = None) -> Store:
    try:
        return Store(settings.store(), embeddings or embeddings_for(settings))
    except StoreUnavailable as exc:
        raise BackendUnavailableError(str(exc)) from None
