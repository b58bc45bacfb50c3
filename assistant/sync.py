"""Sync the council's Modern.Gov site, then ingest what it wrote: on demand (`council sync moderngov --ingest`)
and on a schedule while `council serve` runs (COUNCIL_SYNC_URL, COUNCIL_SYNC_INTERVAL_H)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from ingest.moderngov import SyncReport, sync_site
from ingest.moderngov.schedule import Schedule

log = logging.getLogger("council.sync")
FIRST_DELAY_S = 10.0  # the server starts (and warms its model) before the first scheduled sync


def ingest_root(settings: Settings) -> Path:
    """The folder to ingest after a sync: the corpus when the papers are synced inside it (so a paper has the same
    document id as `council ingest <corpus>` gives it), else the sync folder itself."""
    corpus, synced = settings.corpus_dir.resolve(), settings.sync_dir.resolve()
    return corpus if synced.is_relative_to(corpus) else synced


def index_synced(settings: Settings, store: Any) -> Any:
    """Ingest the synced papers (unchanged files are skipped by content hash; removed papers are pruned)."""
    from vectorstore.indexer import Indexer

    return Indexer(store, settings.ingest()).sync([ingest_root(settings)], prune=True)


def sync_and_index(
    settings: Settings, store: Callable[[], Any], stop: threading.Event | None = None
) -> tuple[SyncReport, Any]:
    report = sync_site(settings.moderngov(), stop=stop)
    for line in report.summary_lines():
        log.info("sync: %s", line)
    ingested = index_synced(settings, store())
    for line in ingested.summary_lines():
        log.info("ingest after sync: %s", line)
    return report, ingested


def start_scheduled_sync(settings: Settings, store: Callable[[], Any]) -> Schedule | None:
    """Start the background sync if COUNCIL_SYNC_URL and COUNCIL_SYNC_INTERVAL_H are set (else None); stop it
    with `.stop()`."""
    if not settings.sync_url or settings.sync_interval_h <= 0:
        return None
    schedule = Schedule(
        lambda stop: sync_and_index(settings, store, stop),
        interval_s=settings.sync_interval_h * 3600,
        first_delay_s=FIRST_DELAY_S,
        nice=settings.ingest_nice,
    ).start()
    log.info("syncing %s every %g h in the background", settings.sync_url, settings.sync_interval_h)
    return schedule
