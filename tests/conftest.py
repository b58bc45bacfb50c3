"""Shared fixtures. Unit tests inject the weightless hashing embedding (`tests.fakes`); integration and system
tests use the real MiniLM."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

for _k, _v in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}.items():
    os.environ[_k] = _v
for _k in [k for k in os.environ if k.startswith("COUNCIL_")]:
    del os.environ[_k]  # tests never inherit a developer's settings
# in-process `council ingest` calls must not lower the priority of the whole test run (tests that check it say so)
os.environ["COUNCIL_INGEST_NICE"] = "0"

from tests.servers import chroma_server, llama_server  # noqa: E402,F401 - fixtures for every tier

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "data" / "corpus"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture()
def unit_settings(tmp_path: Path):
    """Settings for a private index under tmp_path (open it with `tests.fakes.fake_store`)."""
    from assistant.settings import load_settings

    return load_settings(index_dir=tmp_path / "index", feedback_db=tmp_path / "feedback.sqlite3")


@pytest.fixture()
def fake_cli_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process `council ...` (CliRunner) with the hashing embedding injected at the composition root."""
    from assistant import factory
    from vectorstore.fake_embeddings import HashingEmbeddings

    monkeypatch.setattr(factory, "embeddings_for", lambda settings: HashingEmbeddings())


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Path:
    """A private copy of a few bundled papers that a test may change or delete."""
    dest = tmp_path / "corpus"
    (dest / "seeds").mkdir(parents=True)
    for name in (
        "bury-cabinet-2025-09-10-ofsted-standard-inspection-report.md",
        "bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md",
    ):
        shutil.copy(CORPUS / "seeds" / name, dest / "seeds" / name)
    shutil.copy(CORPUS / "metadata.yaml", dest / "metadata.yaml")
    return dest


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder `build` fills once per test run: under `pytest -n 2` (`make test`) the first worker to ask builds
    it and the others wait for it, so that an index embedded with the real MiniLM (tens of seconds) is not built
    once per worker. Callers copy it before changing anything in it."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    folder = tmp_path_factory.getbasetemp().parent / f"shared-{name}"  # this run's, shared by its workers
    done, failed = folder / ".built", folder / ".failed"
    try:
        folder.mkdir()
    except FileExistsError:  # another worker is building it
        deadline = time.monotonic() + 900
        while not done.exists():
            if failed.exists():
                raise RuntimeError(
                    f"building {name} failed in another worker: {failed.read_text()}"
                ) from None
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} was not built within 900 s by another worker") from None
            time.sleep(0.5)
        return folder
    try:
        build(folder)
    except BaseException as exc:
        failed.write_text(repr(exc))
        raise
    done.touch()
    return folder


def _ingest_bundled_corpus(folder: Path) -> None:
    from assistant.factory import store_for
    from assistant.settings import load_settings
    from vectorstore.indexer import Indexer

    settings = load_settings(index_dir=folder / "index", feedback_db=folder / "feedback.sqlite3")
    report = Indexer(store_for(settings)).sync([CORPUS])
    assert not report.skipped, report.summary_lines()


@pytest.fixture(scope="session")
def minilm_settings(tmp_path_factory: pytest.TempPathFactory):
    """The bundled corpus ingested with the real MiniLM once per test run, in a private copy for this process."""
    from assistant.settings import load_settings

    built = built_once(tmp_path_factory, "minilm", _ingest_bundled_corpus)
    root = tmp_path_factory.mktemp("minilm-copy")
    shutil.copytree(built / "index", root / "index", ignore=shutil.ignore_patterns("*.lock"))
    return load_settings(index_dir=root / "index", feedback_db=root / "feedback.sqlite3")


@pytest.fixture(scope="session")
def real_assistant(minilm_settings):
    from assistant.service import Assistant

    return Assistant.from_settings(minilm_settings, today=TODAY)


@pytest.fixture()
def env_clean() -> Iterator[None]:
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/system/ is the system tier: real processes, servers and a browser."""
    system = pytest.mark.system
    for item in items:
        if "tests/system/" in item.path.as_posix():
            item.add_marker(system)
