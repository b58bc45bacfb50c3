"""What makes a search quicker must not change what it finds: the keyword search run beside the dense one, the
dense hits' texts read from the keyword index, and the filter's passing documents worked out once per snapshot.
All on a real Chroma (tmp_path) with the hashing embedding."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import vectorstore.dense as dense
from tests.unit.test_retriever import FILTERS
from tests.unit.test_retriever_corpus import ingest, searcher_for, settings_for, write_corpus
from vectorstore.audience import Audience
from vectorstore.passage import Passage
from vectorstore.retriever import MODES, HybridSearcher, Mode, SearchFilters, SearchResult

QUERIES = (
    "When must the post-inspection action plan be submitted to Ofsted?",
    "How many complaints did Bury social care teams receive in 2022/23?",
    "placement sufficiency guidance",
    "SEND EHCP timeliness",
    "zzz nothing matches this",
)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("latency")
    settings = settings_for(root)
    ingest(settings, write_corpus(root / "corpus"))
    return settings


def _seen(result: SearchResult) -> list[tuple[Any, ...]]:
    """Everything a caller reads of a result's passages."""
    return [
        (p.chunk_id, p.text, p.score, sorted(p.scores.items()), p.title, p.date, p.section, p.page_start)
        for p in result.passages
    ]


@pytest.mark.parametrize("mode", MODES)
def test_keyword_beside_dense_finds_exactly_what_one_after_the_other_finds(settings: Any, mode: Mode) -> None:
    beside = searcher_for(settings)
    alone = HybridSearcher(searcher_for(settings).store, today=beside.today, keyword_threads=0)
    for filters in (None, *FILTERS):
        for query in QUERIES:
            got = beside.search(query, "officer", k=8, filters=filters, mode=mode)
            want = alone.search(query, "officer", k=8, filters=filters, mode=mode)
            assert _seen(got) == _seen(want), (query, filters)
            assert got.period == want.period and got.expanded_query == want.expanded_query


def test_timings_name_each_stage_and_the_wait(settings: Any) -> None:
    result = searcher_for(settings).search(QUERIES[0], mode="hybrid")
    t = result.timings_ms
    assert {"embed_ms", "dense_ms", "keyword_ms", "fuse_ms", "total_ms"} <= set(t)
    assert all(v >= 0 for v in t.values())
    assert t["total_ms"] >= t["embed_ms"] + t["dense_ms"] + t["fuse_ms"]  # the stages of the calling thread
    assert "keyword_wait_ms" not in searcher_for(settings).search(QUERIES[0], mode="keyword").timings_ms


def test_many_users_at_once_get_what_one_user_gets(settings: Any) -> None:
    """One searcher shared by the app's worker threads, with a keyword pool smaller than the users."""
    searcher = searcher_for(settings)
    want = {q: _seen(searcher.search(q, "officer", k=6)) for q in QUERIES}
    with ThreadPoolExecutor(6) as users:
        got = list(users.map(lambda q: (q, _seen(searcher.search(q, "officer", k=6))), QUERIES * 6))
    assert all(seen == want[q] for q, seen in got)


def test_a_busy_pool_never_makes_a_search_wait(settings: Any) -> None:
    """Its one thread held by another job: the search runs its keyword job itself instead of queueing."""
    searcher = searcher_for(settings)
    searcher._pool = ThreadPoolExecutor(1)
    release = threading.Event()
    blocker = searcher._pool.submit(release.wait, 10)
    try:
        result = searcher.search(QUERIES[0], mode="hybrid")
    finally:
        release.set()
        blocker.result()
    assert result.passages and "keyword_wait_ms" not in result.timings_ms
    assert _seen(result) == _seen(searcher_for(settings).search(QUERIES[0], mode="hybrid"))


def test_a_keyword_failure_is_raised_by_search(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    searcher = searcher_for(settings)

    def broken(*args: Any) -> list[Passage]:
        raise RuntimeError("keyword index unreadable")

    monkeypatch.setattr(searcher, "_keyword", broken)
    for mode in ("hybrid", "hybrid+recency", "keyword"):
        with pytest.raises(RuntimeError, match="keyword index unreadable"):
            searcher.search(QUERIES[0], mode=mode)  # type: ignore[arg-type]
    assert searcher.search(QUERIES[0], mode="dense").passages


def test_a_dense_failure_is_raised_and_its_keyword_job_dropped(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    searcher = searcher_for(settings)

    def broken(*args: Any, **kwargs: Any) -> list[Passage]:
        raise ValueError("chroma is down")

    monkeypatch.setattr("vectorstore.retriever.dense_search", broken)
    for mode in ("dense", "hybrid", "hybrid+recency"):
        with pytest.raises(ValueError, match="chroma is down"):
            searcher.search(QUERIES[0], mode=mode)  # type: ignore[arg-type]
    assert searcher._pool is not None
    searcher._pool.shutdown(wait=True)  # returns: no job was left running or queued by the failed searches
    assert searcher.search(QUERIES[0], mode="keyword").passages


# ------------------------------------------------------------------------------------------------ dense texts


def _opened(settings: Any) -> HybridSearcher:
    """A new searcher whose keyword indexes are open (a first search opens them)."""
    searcher = searcher_for(settings)
    versions = searcher.catalog.snapshot()
    for classification in ("open", "exempt"):
        searcher.keyword.get(classification, versions)
    return searcher


@pytest.mark.parametrize("filters", [None, *FILTERS])
def test_dense_texts_from_the_keyword_index_are_chromas(settings: Any, filters: SearchFilters | None) -> None:
    searcher = _opened(settings)
    versions = searcher.catalog.snapshot()
    held: list[str] = []

    def stored(classification: str, ids: list[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        found = searcher.keyword.stored(classification, ids)
        held.extend(found)
        return found

    for query in QUERIES:
        vector = searcher.store.embeddings.embed_query(query)
        args = (searcher.store, vector, Audience.OFFICER, 10, filters, versions)
        from_keyword = dense.dense_search(*args, stored)
        from_chroma = dense.dense_search(*args)
        assert [vars(p) for p in from_keyword] == [vars(p) for p in from_chroma], (query, filters)
        assert {p.chunk_id for p in from_keyword} <= set(held)  # read from the keyword index, not from Chroma


def test_dense_reads_from_chroma_what_the_keyword_index_lacks(settings: Any) -> None:
    """A version Chroma holds that the keyword index does not have yet (written there next)."""
    searcher = _opened(settings)
    versions = searcher.catalog.snapshot()
    vector = searcher.store.embeddings.embed_query(QUERIES[0])
    asked: list[str] = []

    def half(classification: str, ids: list[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        asked.extend(ids)
        return searcher.keyword.stored(classification, ids[::2])

    args = (searcher.store, vector, Audience.OFFICER, 10, None, versions)
    got = dense.dense_search(*args, half)
    assert asked and [vars(p) for p in got] == [vars(p) for p in dense.dense_search(*args)]


def test_stored_skips_ids_the_index_does_not_hold(settings: Any) -> None:
    searcher = _opened(settings)
    rows = searcher.store.collection("open").get(limit=3, include=["documents", "metadatas"])
    got = searcher.keyword.stored("open", [*rows["ids"], "no-such-doc::000000000000::0000"])
    assert got == {
        cid: (text, meta)
        for cid, text, meta in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
    }
    assert searcher.keyword.stored("open", []) == {}


def test_stored_never_opens_an_index(settings: Any) -> None:
    """Opening takes the folder's write lock, which an ingest in another process may hold: dense search does not
    wait for it, it reads from Chroma until a keyword search has opened the index."""
    searcher = searcher_for(settings)
    ids = searcher.store.collection("open").get(limit=3, include=[])["ids"]
    assert searcher.keyword.stored("open", ids) == {}
    assert searcher.search(QUERIES[0], mode="dense").passages
    assert searcher.keyword.stored("open", ids) == {}
    searcher.search(QUERIES[0], mode="keyword")
    assert set(searcher.keyword.stored("open", ids)) == set(ids)


# ------------------------------------------------------------------------------------------------ memo


def test_the_passing_documents_are_worked_out_once_per_snapshot_and_filters(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    searcher = searcher_for(settings)
    calls: list[tuple[str, SearchFilters]] = []
    real = dense._select

    def counting(versions: Any, filters: SearchFilters, classification: str) -> Any:
        calls.append((classification, filters))
        return real(versions, filters, classification)

    monkeypatch.setattr(dense, "_select", counting)
    cabinet, stockton = FILTERS[1], FILTERS[0]
    for _ in range(3):
        for filters in (cabinet, stockton, SearchFilters(bodies=("Cabinet",))):  # equal filters share one
            searcher.search(QUERIES[0], "officer", filters=filters, mode="dense")
    assert sorted(calls, key=repr) == sorted(
        [(c, f) for f in (cabinet, stockton) for c in ("open", "exempt")], key=repr
    )


def test_memo_keeps_one_value_per_key_and_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    import vectorstore.catalog as catalog

    monkeypatch.setattr(catalog, "MEMO_SIZE", 3)
    snap = catalog.Snapshot("1", {}, {}, {})
    built: list[int] = []

    def build(i: int) -> Any:
        return lambda: built.append(i) or i

    assert [snap.memo(i, build(i)) for i in (0, 1, 0, 2, 1)] == [0, 1, 0, 2, 1]
    assert built == [0, 1, 2]
    assert snap.memo(3, build(3)) == 3 and snap.memo(0, build(0)) == 0  # full at 3: the memo started again
    assert built == [0, 1, 2, 3, 0]
    assert catalog.Snapshot("1", {}, {}, {}) == snap  # the memo is not part of what a snapshot is
