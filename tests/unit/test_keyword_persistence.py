"""The keyword index stays in step with Chroma without ever being rebuilt whole: the writer updates it document by
document, a reader that finds it behind (another process wrote, or a writer died) reconciles only what changed,
and a crash mid-ingest leaves it consistent (simulated here with Store methods; a real SIGKILL is in
tests/system/test_keyword_crash.py). A write followed at once by a query sees the new chunks and not the removed
ones."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_retriever_corpus import BURY_2223, ingest, searcher_for, settings_for, write_corpus
from vectorstore import keyword
from vectorstore.keyword import KeywordIndex, KeywordIndexes, build_keyword_indexes
from vectorstore.retriever import MODES, HybridSearcher
from vectorstore.store import Store

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


def _state_digest(searcher: HybridSearcher, classification: str = "open") -> str:
    return keyword._State(searcher.keyword.folder(classification) / "state.sqlite3").digest()


def _no_reads_from_chroma(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the keyword index read chunks from Chroma")

    monkeypatch.setattr(Store, "iter_chunks", refuse)
    monkeypatch.setattr(Store, "chunks_of", refuse)


def _replica(settings: Any, tmp_path: Path) -> HybridSearcher:
    """Another app process on the same Chroma with its own keyword index (as replicas of a `chroma run` server)."""
    searcher = searcher_for(settings)
    searcher.keyword = KeywordIndexes(searcher.store, tmp_path / "replica-keyword", searcher.catalog)
    return searcher


def test_the_ingest_leaves_an_index_in_step_on_disk(
    corpus: tuple[Any, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.fakes import fake_store

    settings, _ = corpus
    counts = build_keyword_indexes(fake_store(settings))
    assert counts["open"] > 0 and counts["exempt"] == 2
    _no_reads_from_chroma(monkeypatch)  # a freshly started app searches what the ingest wrote
    fresh = searcher_for(settings)
    assert _found(fresh, BURY_2223)
    assert _state_digest(fresh) == fresh.catalog.snapshot().digest("open")


def test_an_unchanged_reingest_writes_nothing(
    corpus: tuple[Any, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, root = corpus
    app = searcher_for(settings)
    assert _found(app, BURY_2223)
    before = _state_digest(app)

    def refuse(*args: Any) -> int:
        raise AssertionError("the keyword index was written")

    monkeypatch.setattr(KeywordIndex, "replace", refuse)
    report = ingest(settings, root)
    assert not report.added and not report.replaced
    assert _found(app, BURY_2223) and _found(searcher_for(settings), BURY_2223)
    assert _state_digest(app) == before


def test_a_write_then_a_query_at_once_sees_the_new_chunks_and_not_the_old(corpus: tuple[Any, Path]) -> None:
    settings, root = corpus
    app = searcher_for(settings)  # running before the re-ingest
    assert _found(app, BURY_2223)
    exempt_before = _state_digest(app, "exempt")
    (root / DOC).write_text(f"# Complaints\n\n{NEW_TEXT}\n", encoding="utf-8")
    report = ingest(settings, root)
    assert report.replaced == [DOC]
    for searcher in (app, searcher_for(settings)):
        for mode in MODES:
            assert _found(searcher, NEW_TEXT, mode), mode
            assert not _found(searcher, BURY_2223, mode), mode
    assert _state_digest(app, "exempt") == exempt_before  # the other collection was not touched


def test_a_removed_document_is_unreachable_at_once(corpus: tuple[Any, Path]) -> None:
    settings, root = corpus
    app = searcher_for(settings)
    assert _found(app, BURY_2223)
    (root / DOC).unlink()
    assert ingest(settings, root, prune=True).removed == [DOC]
    for searcher in (app, searcher_for(settings)):
        for mode in MODES:
            assert not _found(searcher, BURY_2223, mode), mode


def test_a_replica_reconciles_only_the_document_that_changed(
    corpus: tuple[Any, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, root = corpus
    replica = _replica(settings, tmp_path)
    assert _found(replica, BURY_2223)  # a small collection: caught up before that first query
    (root / DOC).write_text(f"# Complaints\n\n{NEW_TEXT}\n", encoding="utf-8")
    ingest(settings, root)  # another process: the replica's index knows nothing of it
    reads: list[str] = []
    original = Store.chunks_of

    def counted(self: Store, classification: Any, doc_id: str, content_hash: str) -> Any:
        reads.append(doc_id)
        return original(self, classification, doc_id, content_hash)

    monkeypatch.setattr(Store, "chunks_of", counted)
    monkeypatch.setattr(Store, "iter_chunks", lambda *a, **k: pytest.fail("read the whole collection"))
    for mode in MODES:
        assert _found(replica, NEW_TEXT, mode), mode
        assert not _found(replica, BURY_2223, mode), mode
    assert reads == [DOC]


def test_a_replica_far_behind_catches_up_in_the_background(
    corpus: tuple[Any, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = corpus
    monkeypatch.setattr(keyword, "INLINE_CHUNKS", 0)  # everything counts as "far behind"
    replica = _replica(settings, tmp_path)
    replica.search("warm up", "officer", mode="keyword")  # returns at once with what the index holds
    deadline = time.monotonic() + 30
    while not _found(replica, BURY_2223):
        assert time.monotonic() < deadline, "the background catch-up never finished"
        time.sleep(0.1)


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
    shutil.rmtree(fresh.keyword.cache_dir)  # forces a build that reads the orphan chunks from Chroma
    rebuilt = searcher_for(settings)
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


def test_a_crash_between_the_index_commit_and_its_record_redoes_one_document(
    corpus: tuple[Any, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, root = corpus
    app = searcher_for(settings)
    assert _found(app, BURY_2223)
    (root / DOC).write_text(f"# Complaints\n\n{NEW_TEXT}\n", encoding="utf-8")

    def die(self: Any, changes: Any, reset: bool = False) -> None:
        raise KeyboardInterrupt  # the process is killed after tantivy committed, before the versions are recorded

    monkeypatch.setattr(keyword._State, "record", die)
    with pytest.raises(KeyboardInterrupt):
        ingest(settings, root)
    monkeypatch.undo()
    fresh = searcher_for(settings)
    for mode in MODES:
        assert _found(fresh, NEW_TEXT, mode), mode
        assert not _found(fresh, BURY_2223, mode), mode
    assert _state_digest(fresh) == fresh.catalog.snapshot().digest("open")


def test_a_damaged_index_is_rebuilt(corpus: tuple[Any, Path]) -> None:
    settings, _ = corpus
    app = searcher_for(settings)
    assert _found(app, BURY_2223)
    (app.keyword.folder("open") / "meta.json").write_text("garbage")
    assert _found(searcher_for(settings), BURY_2223)
    assert len(KeywordIndex.create(app.keyword.folder("open"))) > 0  # and written back whole


def test_an_index_of_another_tokenizer_is_rebuilt(
    corpus: tuple[Any, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = corpus
    assert _found(searcher_for(settings), BURY_2223)
    monkeypatch.setattr(keyword, "FORMAT", "tantivy-1|tokenizer-next")
    fresh = searcher_for(settings)
    assert _found(fresh, BURY_2223)
    assert (
        keyword._State(fresh.keyword.folder("open") / "state.sqlite3").get("format")
        == "tantivy-1|tokenizer-next"
    )


def test_a_read_only_cache_folder_still_searches(corpus: tuple[Any, Path]) -> None:
    settings, _ = corpus
    searcher = searcher_for(settings)
    blocker = searcher.keyword.cache_dir
    shutil.rmtree(blocker, ignore_errors=True)  # the ingest built it; replace it with a file
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the cache folder should be")
    assert _found(searcher, BURY_2223)
