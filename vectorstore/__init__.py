"""The index: embeddings, Chroma (dense) and BM25 (keyword) search fused by rank, the catalog of documents held,
and the crash-safe writer. Audience scoping happens here and only here."""

from vectorstore.audience import Audience
from vectorstore.catalog import Catalog, DocumentInfo, LibrarySummary
from vectorstore.config import StoreConfig
from vectorstore.embeddings import make_embeddings
from vectorstore.filters import FilterError, SearchFilters
from vectorstore.indexer import Indexer, IngestReport
from vectorstore.passage import Passage
from vectorstore.retriever import MODES, HybridSearcher, SearchResult
from vectorstore.store import Store, StoreUnavailable

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
