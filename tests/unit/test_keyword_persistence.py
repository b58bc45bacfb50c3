"""The keyword index stays in step with Chroma: built by the ingest, persisted beside it, rebuilt when a document
version is activated or removed, and consistent after a crash mid-ingest (simulated here with Store methods; a real
SIGKILL is in test_keyword_crash.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_retriever_corpus import BURY_2223, ingest, searcher_for, settings_for, write_corpus
from vectorstore.keyword import KeywordIndex, build_keyword_indexes
from vectorstore.retriever import MODES, HybridSearcher

DOC = "bury-scrutiny-2023-02-02.md"
NEW_TEXT = "Complaints fell to 61 after the Wexbridge triage pilot began."


@pytest.fixture()
def corpus(tmp_path: Path) -> tuple[Any, Path]:
    settings = settings_for(tmp_path)
    root = write_corpus(tmp_path / "corpus")
    ingest(settings, root)
    return settings, root


def _found(searcher: HybridSearcher, text: str, mode: str = "keyword") -> bool:
    result = searcher.search(text, "officer", k=50, mode=mode)  # type: ignore[arg-type]
    return any(text in p.text for p in result.passages)


def _stamp(searcher: HybridSearcher) -> str:
    return (searcher.keyword.folder("open") / "STAMP").read_text()


def _no_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(rows: Any) -> KeywordIndex:
        raise AssertionError("the keyword index was rebuilt")

    monkeypatch.setattr(KeywordIndex, "build", staticmethod(refuse))


def test_ingest_then_build_leaves_a_ready_index_on_disk(
    corpus: tuple[Any, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.fakes import fake_store

    settings, _ = corpus
    counts = build_keyword_indexes(fake_store(settings))
    assert counts["open"] > 0 and counts["exempt"] == 2
    _no_builds(monkeypatch)  # a freshly started app loads it from disk
    assert _found(searcher_for(settings), BURY_2223)


def test_unchanged_reingest_keeps_the_index(
    corpus: tuple[Any, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, root = corpus
    app = searcher_for(settings)
    assert _found(app, BURY_2223)
    before = _stamp(app)
    report = ingest(settings, root)
    assert not report.added and not report.replaced
    _no_builds(monkeypatch)
    assert _found(app, BURY_2223) and _found(searcher_for(settings), BURY_2223)
    assert _stamp(app) == before


def test_a_replaced_version_is_searched_and_the_old_text_is_gone(corpus: tuple[Any, Path]) -> None:
    settings, root = corpus
    app = searcher_for(settings)  # running before the re-ingest
    assert _found(app, BURY_2223)
    exempt_before = (app.keyword.folder("exempt") / "STAMP").read_text()
    stamp = _stamp(app)
    (root / DOC).write_text(f"# Complaints\n\n{NEW_TEXT}\n", encoding="utf-8")
    report = ingest(settings, root)
    assert report.replaced == [DOC]
    for searcher in (app, searcher_for(settings)):
        for mode in MODES:
            assert _found(searcher, NEW_TEXT, mode), mode
            assert not _found(searcher, BURY_2223, mode), mode
    assert _stamp(app) != stamp
    # Only the collection that changed was rebuilt.
    assert (app.keyword.folder("exempt") / "STAMP").read_text() == exempt_before


def test_a_removed_document_is_unreachable(corpus: tuple[Any, Path]) -> None:
    settings, root = corpus
    app = searcher_for(settings)
    assert _found(app, BURY_2223)
    (root / DOC).unlink()
    assert ingest(settings, root, prune=True).removed == [DOC]
    for searcher in (app, searcher_for(settings)):
        for mode in MODES:
            assert not _found(searcher, BURY_2223, mode), mode


def _write_unactivated_version(settings: Any, activate: bool) -> None:
    """What `Store.replace_document` has done when the process dies: steps 1-2 (pending record, new chunks), and
    with ``activate`` step 3 too (the new version made live), but never the clean-up or the generation bump."""
    from tests.fakes import fake_store

    store = fake_store(settings)
    record = store.doc_records()[DOC]
    new_hash = "f" * 64
    _, _, meta = next(row for row in store.iter_chunks("open") if row[2]["doc_id"] == DOC)
    store._write_record(DOC, record.active_hash, new_hash, record.meta)
    store.collection("open").upsert(
        ids=[f"{DOC}::{new_hash[:12]}::0000"],
        embeddings=store.embeddings.embed_documents([NEW_TEXT]),
        documents=[NEW_TEXT],
        metadatas=[{**meta, "content_hash": new_hash, "ordinal": 0}],
    )
    if activate:
        store._write_record(DOC, new_hash, new_hash, record.meta)


def test_crash_before_activation_hides_the_half_written_version(corpus: tuple[Any, Path]) -> None:
    settings, root = corpus
    app = searcher_for(settings)
    assert _found(app, BURY_2223)
    _write_unactivated_version(settings, activate=False)
    fresh = searcher_for(settings)
    rebuilt = searcher_for(settings)
    for folder in (rebuilt.keyword.folder("open"), rebuilt.keyword.folder("exempt")):
        (folder / "STAMP").unlink()  # forces a rebuild that reads the orphan chunks from Chroma
    for searcher in (app, fresh, rebuilt):
        for mode in MODES:
            assert not _found(searcher, NEW_TEXT, mode), mode
            assert _found(searcher, BURY_2223, mode), mode
    # The next ingest redoes the interrupted document from the file on disk.
    report = ingest(settings, root)
    assert report.replaced == [DOC]
    for searcher in (app, searcher_for(settings)):
        assert not _found(searcher, NEW_TEXT) and _found(searcher, BURY_2223)
    from tests.fakes import fake_store

    assert [row for row in fake_store(settings).iter_chunks("open") if NEW_TEXT in row[1]] == []


def test_crash_after_activation_searches_the_new_version(corpus: tuple[Any, Path]) -> None:
    settings, _ = corpus
    searcher_for(settings).search("warm the cache", mode="keyword")
    _write_unactivated_version(settings, activate=True)  # the generation did not move
    fresh = searcher_for(settings)
    for mode in MODES:
        assert _found(fresh, NEW_TEXT, mode), mode
        assert not _found(fresh, BURY_2223, mode), mode


def test_a_damaged_cache_is_rebuilt(corpus: tuple[Any, Path]) -> None:
    settings, _ = corpus
    app = searcher_for(settings)
    assert _found(app, BURY_2223)
    (app.keyword.folder("open") / "rows.jsonl").write_text("garbage\n")
    assert _found(searcher_for(settings), BURY_2223)
    assert KeywordIndex.load(app.keyword.folder("open"), _stamp(app)) is not None  # and written back whole


def test_a_read_only_cache_folder_still_searches(corpus: tuple[Any, Path]) -> None:
    settings, _ = corpus
    searcher = searcher_for(settings)
    blocker = searcher.keyword.cache_dir
    shutil.rmtree(blocker, ignore_errors=True)  # the ingest built it; replace it with a file
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the cache folder should be")
    assert _found(searcher, BURY_2223)
