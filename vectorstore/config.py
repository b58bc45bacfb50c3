"""Plain configuration for the store, built by `assistant.settings` (the only module reading the environment)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunking import ChunkingConfig


@dataclass(frozen=True)
class StoreConfig:
    """Where the index lives (a folder, or a Chroma server) and the chunking that, with the embedding model, names
    it. The embedding model itself is handed to `Store` ready made."""

    index_dir: Path = Path("data/index")
    chroma_url: str = ""
    chunking: ChunkingConfig = field(default_factory=ChunkingConfig)
