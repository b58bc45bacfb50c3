"""Fixtures for the attack and failure tests: the canary corpus, its indexes (hashing and MiniLM), the
assistant and the web app over them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.security import canary

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from assistant.service import Assistant
    from assistant.settings import Settings
    from vectorstore.store import Store
    from web.services import Services

TODAY = dt.date(2026, 11, 23)
OFFICER_TOKEN = "officer-token-for-tests-0123456789"


def canary_settings_for(root: Path, **overrides: Any) -> Settings:
    from assistant.settings import load_settings

    values: dict[str, Any] = {
        "index_dir": root / "index",
        "corpus_dir": root / "corpus",
        "feedback_db": root / "feedback.sqlite3",
        "officer_token": OFFICER_TOKEN,
        "widget_rate_limit_per_min": 1_000_000,  # the attack runs are not about throttling
    }
    values.update(overrides)
    return load_settings(**values)


def _ingest(settings: Settings, store: Store) -> None:
    from vectorstore.indexer import Indexer

    report = Indexer(store).sync([settings.corpus_dir])
    assert not report.skipped, report.summary_lines()
    assert len(report.added) == len(list(settings.corpus_dir.rglob("*.*"))) - 1  # all but metadata.yaml


@pytest.fixture(scope="session")
def canary_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("canary")
    canary.build(root)
    return root


@pytest.fixture(scope="session")
def canary_settings(canary_root: Path) -> Settings:
    """The canary corpus ingested with the hashing embedding."""
    from tests.fakes import fake_store

    settings = canary_settings_for(canary_root)
    _ingest(settings, fake_store(settings))
    return settings


@pytest.fixture(scope="session")
def canary_bot(canary_settings: Settings) -> Assistant:
    from tests.fakes import fake_assistant

    return fake_assistant(canary_settings, today=TODAY)


@pytest.fixture(scope="session")
def canary_services(canary_settings: Settings, canary_bot: Assistant) -> Services:
    from web.services import Services

    return Services(canary_settings, bot=canary_bot, today=TODAY)


@pytest.fixture(scope="session")
def canary_client(canary_settings: Settings, canary_services: Services) -> Iterator[TestClient]:
    """The whole web app (API, widget, chat) over the canary index, in process."""
    from fastapi.testclient import TestClient

    from web import create_app

    with TestClient(create_app(canary_settings, services=canary_services)) as client:
        yield client


@pytest.fixture(scope="session")
def minilm_canary_bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The canary corpus ingested with the real MiniLM."""
    from assistant.factory import store_for
    from assistant.service import Assistant

    root = tmp_path_factory.mktemp("canary-minilm")
    canary.build(root)
    settings = canary_settings_for(root, embedding_backend="torch")
    store = store_for(settings)
    _ingest(settings, store)
    return Assistant.from_settings(settings, store=store, today=TODAY)
