"""Reading papers: find files, parse them safely (pages, headings, tables), infer their metadata, cut chunks.

The lowest layer: it imports nothing from the other packages. `vectorstore.indexer` calls `SourceReader` and writes
what it returns.
"""

from ingest.chunking import ChunkingConfig
from ingest.config import IngestConfig
from ingest.documents import Chunk, Classification, DocType, DocumentMeta, ParsedDocument
from ingest.loaders import SUPPORTED_SUFFIXES, LoadError, load_file
from ingest.metadata import SidecarError
from ingest.sources import Skipped, SourceFile, SourceReader, discover
from ingest.text import fmt_date

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Chunk",
    "ChunkingConfig",
    "Classification",
    "DocType",
    "DocumentMeta",
    "IngestConfig",
    "LoadError",
    "ParsedDocument",
    "SidecarError",
    "Skipped",
    "SourceFile",
    "SourceReader",
    "discover",
    "fmt_date",
    "load_file",
]
