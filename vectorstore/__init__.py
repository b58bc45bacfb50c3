"""The index: embeddings, Chroma (dense) and BM25 (keyword) search fused by rank, the catalog of documents held,
and the crash-safe writer. Audience scoping happens here and only here.

Names are imported on first use (importing `vectorstore.passage` alone stays cheap).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vectorstore.audience import Audience
    from vectorstore.catalog import Catalog, DocumentInfo, LibrarySummary
    from vectorstore.config import StoreConfig
    from vectorstore.embeddings import make_embeddings
    from vectorstore.filters import FilterError, SearchFilters
    from vectorstore.indexer import Indexer, IngestReport
    from vectorstore.passage import Passage
    from vectorstore.retriever import MODES, HybridSearcher, SearchResult
    from vectorstore.store import Store, StoreUnavailable

_EXPORTS = {
    "Audience": "audience",
    "Catalog": "catalog",
    "DocumentInfo": "catalog",
    "LibrarySummary": "catalog",
    "StoreConfig": "config",
    "make_embeddings": "embeddings",
    "FilterError": "filters",
    "SearchFilters": "filters",
    "Indexer": "indexer",
    "IngestReport": "indexer",
    "Passage": "passage",
    "MODES": "retriever",
    "HybridSearcher": "retriever",
    "SearchResult": "retriever",
    "Store": "store",
    "StoreUnavailable": "store",
}
__all__ = [
    "MODES",
    "Audience",
    "Catalog",
    "DocumentInfo",
    "FilterError",
    "HybridSearcher",
    "Indexer",
    "IngestReport",
    "LibrarySummary",
    "Passage",
    "SearchFilters",
    "SearchResult",
    "Store",
    "StoreConfig",
    "StoreUnavailable",
    "make_embeddings",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
