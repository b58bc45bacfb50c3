"""Plain configuration for ingestion, built by `assistant.settings` (the only module reading the environment)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.chunking import ChunkingConfig


@dataclass(frozen=True)
class IngestConfig:
    """How files are read and cut: the chunk sizes, and the limits that make a bad file a skipped file."""

    chunking: ChunkingConfig = field(default_factory=ChunkingConfig)
    max_file_size_mb: float = 50.0
    per_file_timeout_s: float = 60.0
    parse_workers: int = 1  # papers parsed at once ahead of the embedding (0: one at a time, in turn)

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_size_mb * 1e6)
