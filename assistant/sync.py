"""Sync the council's Modern.Gov site, then ingest what it wrote (`council sync moderngov --ingest`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.settings import Settings


def ingest_root(settings: Settings) -> Path:
    """The folder to ingest after a sync: the corpus when the papers are synced inside it (so a paper has the same
    document id as `council ingest <corpus>` gives it), else the sync folder itself."""
    corpus, synced = settings.corpus_dir.resolve(), settings.sync_dir.resolve()
    return corpus if synced.is_relative_to(corpus) else synced


def index_synced(settings: Settings, store: Any) -> Any:
    """Ingest the synced papers (unchanged files are skipped by content hash; removed papers are pruned)."""
    from vectorstore.indexer import Indexer

    return Indexer(store).sync([ingest_root(settings)], prune=True)
