"""`council serve` syncs the council's site in the background (COUNCIL_SYNC_URL, COUNCIL_SYNC_INTERVAL_H) and
ingests what it wrote, while questions keep being answered without waiting for it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import assistant.sync
from app import create_app
from assistant.factory import store_for
from assistant.settings import load_settings
from tests.conftest import TODAY
from tests.moderngov_site import FakeSite
from vectorstore.indexer import Indexer
from web.services import Services

pytestmark = pytest.mark.integration


def test_serve_syncs_in_the_background_without_blocking_questions(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_cli_embeddings: None
) -> None:
    site = FakeSite(paper_delay_s=0.4)  # about 6 s of papers: long enough to ask questions meanwhile
    base = site.start()
    settings = load_settings(
        corpus_dir=small_corpus,
        index_dir=tmp_path / "index",
        feedback_db=tmp_path / "feedback.sqlite3",
        sync_url=base,
        sync_interval_h=24,
        sync_dir=small_corpus / "moderngov",
        sync_council="Northfield Borough Council",
        sync_lookback_days=3650,
        sync_request_interval_s=0,
        sync_timeout_s=1.5,
        sync_backoff_s=0.05,
        ingest_nice=0,
        widget_rate_limit_per_min=10_000,
    )
    Indexer(store_for(settings)).sync([small_corpus])  # what was there before the site was synced
    monkeypatch.setattr(assistant.sync, "FIRST_DELAY_S", 0.0)
    try:
        with TestClient(create_app(settings, Services(settings, today=TODAY))) as client:
            schedule = client.app.state.sync  # type: ignore[attr-defined]
            assert schedule is not None
            answered_meanwhile = 0
            while not schedule.finished.is_set():
                answer = client.post("/api/ask", json={"question": "How many complaints were received?"})
                assert answer.status_code == 200, answer.text
                answered_meanwhile += not schedule.finished.is_set()
                time.sleep(0.1)
            # questions were answered while the sync ran, not queued behind it
            assert answered_meanwhile >= 3, answered_meanwhile
            report, ingested = schedule.last_result
            assert len(report.new) == 9 and schedule.last_error == ""
            assert len([d for d in ingested.added if d.startswith("moderngov/")]) == 9
            docs = store_for(settings).doc_records()
            synced = [r.meta for d, r in docs.items() if d.startswith("moderngov/")]
            assert {m["council"] for m in synced} == {"Northfield Borough Council"}
        assert not schedule._thread.is_alive()  # stopped with the server
    finally:
        site.stop()


def test_no_schedule_unless_configured(tmp_path: Path) -> None:
    settings = load_settings(index_dir=tmp_path / "index", sync_interval_h=6)
    assert assistant.sync.start_scheduled_sync(settings, lambda: None) is None  # no COUNCIL_SYNC_URL
    settings = load_settings(index_dir=tmp_path / "index", sync_url="https://x.gov.uk")
    assert assistant.sync.start_scheduled_sync(settings, lambda: None) is None  # no interval
