"""Plain configuration for the store, built by `assistant.settings` (the only module reading the environment)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunking import ChunkingConfig


@dataclass(frozen=True)
class StoreConfig:
    index_dir: Path = Path("data/index")
    chroma_url: str = ""
    embedding_model_dir: str = ""
    embedding_backend: str = "torch"
    embedding_batch_size: int = 32
    chunking: ChunkingConfig = field(default_factory=ChunkingConfig)
    max_file_size_mb: float = 50.0
    per_file_timeout_s: float = 60.0
